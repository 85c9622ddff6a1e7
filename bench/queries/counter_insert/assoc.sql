\set o random(1, :owners)
INSERT INTO counted.pugs (name, "ownerId") VALUES ('new', :o);
