-- writer: student.removeCourse(course), mostly one the student has
\set s random(1, :students)
\set c random(1, :courses)
SELECT id FROM student_remove_course(:s,
    COALESCE((SELECT "courseId" FROM enrollments WHERE "studentId" = :s ORDER BY random() LIMIT 1), :c));
