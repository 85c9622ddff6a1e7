-- writer: student.setCourses([...]): up to 3 of its courses and 0 to 2
-- random ones, as text.  Afterwards the student has at least those (a
-- course's writer locks the course, not the student, and may add a link
-- of this student at the same time).
\set s random(1, :students)
\set n random(0, 2)
\set c1 random(1, :courses)
\set c2 random(1, :courses)
BEGIN;
SELECT (ARRAY(SELECT "courseId" FROM enrollments WHERE "studentId" = :s ORDER BY random() LIMIT 3)
        || (ARRAY[:c1, :c2]::int[])[1:(:n)])::text AS arr \gset
SELECT id FROM student_set_courses(:s, :arr);
SELECT stress_assert(ARRAY(SELECT id FROM student_get_courses(:s)) @> CAST(:arr AS int[]),
                     'student_set_courses(' || :s || ', ' || :arr || ') then student_get_courses');
END;
