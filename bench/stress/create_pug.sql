-- writer: owner.createPug({...}), recorded in the ledger in the same
-- transaction
\set o random(1, :owners)
INSERT INTO created (pug, owner)
SELECT id, "ownerId" FROM owner_create_pug(:o, jsonb_build_object('name', 'new pug'));
