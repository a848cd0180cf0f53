# Unit tests of src/core (books, state store).
