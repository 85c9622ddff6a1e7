SELECT * FROM owner_with_pugs()
