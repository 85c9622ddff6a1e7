\set o random(1, :owners)
INSERT INTO uncounted.pugs (name, "ownerId") VALUES ('new', :o);
