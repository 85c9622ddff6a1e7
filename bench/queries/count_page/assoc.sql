SELECT assoc.count('owners', '{"where": {"name": {"$like": "a%"}}, "include": [{"association": "pugs", "required": true}]}')
