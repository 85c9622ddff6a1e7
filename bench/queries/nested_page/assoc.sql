SELECT * FROM assoc.find_all('owners', '{"where": {"$pugs.name$": {"$like": "pug a%"}}, "order": [["id", "ASC"]], "limit": 20, "include": ["pugs"]}')
