-- bench/stress/check_btm.sql: the belongs_to_many state after the run
SET search_path = assoc_stress;
WITH checks (name, problems, example) AS (
    SELECT 'enrollments reference existing rows', count(*), min(format('%s-%s', e."studentId", e."courseId"))
      FROM enrollments e
     WHERE NOT EXISTS (SELECT FROM students s WHERE s.id = e."studentId")
        OR NOT EXISTS (SELECT FROM courses c WHERE c.id = e."courseId")
    UNION ALL
    SELECT 'student_count_courses = COUNT(*) GROUP BY', count(*), min(format('student %s', s.id))
      FROM students s
     WHERE student_count_courses(s.id) <> (SELECT count(*) FROM enrollments e WHERE e."studentId" = s.id)
    UNION ALL
    SELECT 'course_get_students = the links', count(*), min(format('course %s', c.id))
      FROM courses c
     WHERE ARRAY(SELECT g.id FROM course_get_students(c) g)
           IS DISTINCT FROM ARRAY(SELECT e."studentId" FROM enrollments e WHERE e."courseId" = c.id ORDER BY 1)
    UNION ALL
    SELECT 'student_with_courses lists the same courses', count(*), min(format('student %s', s.id))
      FROM students s
     WHERE ARRAY(SELECT (x->>'id')::int FROM json_array_elements(student_with_courses(s)->'courses') x ORDER BY 1)
           IS DISTINCT FROM ARRAY(SELECT e."courseId" FROM enrollments e WHERE e."studentId" = s.id ORDER BY 1)
    UNION ALL
    SELECT 'no duplicate link', count(*), min(format('%s-%s', "studentId", "courseId"))
      FROM (SELECT "studentId", "courseId" FROM enrollments GROUP BY 1, 2 HAVING count(*) > 1) d
)
SELECT name AS "check", problems, CASE WHEN problems > 0 THEN example END AS example FROM checks;
