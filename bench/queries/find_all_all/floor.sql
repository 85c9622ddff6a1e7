SELECT j FROM "floor_find_all_all"
