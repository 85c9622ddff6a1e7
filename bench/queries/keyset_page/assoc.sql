SELECT * FROM assoc.find_all('owners', '{"order": ["id"], "after": [90000], "limit": 20, "include": ["pugs"]}')
