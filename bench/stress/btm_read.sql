-- reader: student.getCourses(), course.countStudents()
\set s random(1, :students)
\set c random(1, :courses)
SELECT * FROM student_get_courses(:s);
SELECT course_count_students(:c), student_has_course(:s, :c);
