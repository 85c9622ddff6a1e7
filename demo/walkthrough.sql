-- PLACEHOLDER written by the set-up scripts' author: the real owner/pug
-- walkthrough of the seed document replaces this file.
CREATE EXTENSION assoc;
SELECT assoc.singularize('pugs');
