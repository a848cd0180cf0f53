# Unit tests of src/app (configuration, profiles, secrets, command line).
