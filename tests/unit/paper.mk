# Unit tests of src/paper (matching engine, accounts).
