SELECT * FROM paranoid.owner_with_pugs()
