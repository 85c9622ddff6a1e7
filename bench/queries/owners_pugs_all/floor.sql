SELECT j FROM "floor_owners_pugs_all"
