# Unit tests of src/net signing and nonces.
