-- writer: student.addCourse(course, {through: {grade}}), new through
-- values on an existing link update it; visible at once
\set s random(1, :students)
\set c random(1, :courses)
\set g random(1, 5)
BEGIN;
SELECT id FROM student_add_course(:s, :c, jsonb_build_object('grade', chr(64 + :g)));
SELECT stress_assert(student_has_course(:s, :c) AND (SELECT grade FROM enrollments
                     WHERE "studentId" = CAST(:s AS int) AND "courseId" = CAST(:c AS int)) = chr(64 + :g),
                     'student_add_course(' || :s || ', ' || :c || ') then the link and its grade');
END;
