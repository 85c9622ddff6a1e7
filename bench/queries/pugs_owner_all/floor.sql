SELECT j FROM "floor_pugs_owner_all"
