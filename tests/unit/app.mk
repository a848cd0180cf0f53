# Unit tests of src/app (configuration, profiles, secrets, command line).
KT_APP_TEST_LDADD = $(KT_LAYER_LIBS) $(KT_EXT_LIBS) $(KT_TEST_LDADD)
check_PROGRAMS += tests/unit/test_config tests/unit/test_secrets tests/unit/test_cli
TESTS += tests/unit/test_config tests/unit/test_secrets tests/unit/test_cli
tests_unit_test_config_SOURCES = tests/unit/test_config.c
tests_unit_test_config_LDADD = $(KT_APP_TEST_LDADD)
tests_unit_test_secrets_SOURCES = tests/unit/test_secrets.c
tests_unit_test_secrets_LDADD = $(KT_APP_TEST_LDADD)
tests_unit_test_cli_SOURCES = tests/unit/test_cli.c
tests_unit_test_cli_LDADD = $(KT_APP_TEST_LDADD)
check_PROGRAMS += tests/unit/test_journal
TESTS += tests/unit/test_journal
tests_unit_test_journal_SOURCES = tests/unit/test_journal.c
tests_unit_test_journal_LDADD = $(KT_APP_TEST_LDADD)
