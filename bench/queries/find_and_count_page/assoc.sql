SELECT assoc.find_and_count_all('owners', '{"where": {"name": {"$like": "a%"}}, "order": [["id", "ASC"]], "limit": 20, "include": [{"association": "pugs", "required": true}]}')
