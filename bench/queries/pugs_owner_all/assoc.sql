SELECT * FROM pug_with_owner()
