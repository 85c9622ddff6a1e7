SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "include": ["toys"]}]}')
