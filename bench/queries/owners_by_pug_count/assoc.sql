SELECT * FROM assoc.find_all('owners', '{"include": [{"association": "pugs", "count": "pugCount"}], "order": [["$count(pugs)$", "DESC"]], "limit": 20}')
