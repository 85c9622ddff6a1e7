SELECT * FROM assoc.find_all('owners', '{"where": {"name": {"$like": "a%"}}, "order": [["id", "ASC"]], "limit": 20, "include": [{"association": "pugs", "include": ["toys"]}]}')
