-- writer: course.addStudents([...]) from the other side of the pair
\set c random(1, :courses)
\set s1 random(1, :students)
\set s2 random(1, :students)
BEGIN;
SELECT id FROM course_add_students(:c, ARRAY[:s1, :s2]::int[]);
SELECT stress_assert(course_has_students(:c, ARRAY[:s1, :s2]::int[]),
                     'course_add_students(' || :c || ') then course_has_students');
END;
