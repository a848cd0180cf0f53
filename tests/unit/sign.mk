# Unit tests of src/net signing and nonces.
check_PROGRAMS += tests/unit/test_sign tests/unit/test_nonce
TESTS += tests/unit/test_sign tests/unit/test_nonce
tests_unit_test_sign_SOURCES = tests/unit/test_sign.c
tests_unit_test_sign_LDADD = src/net/libkt_net.a src/base/libkt_base.a $(OPENSSL_LIBS) \
	$(KT_TEST_LDADD)
tests_unit_test_nonce_SOURCES = tests/unit/test_nonce.c
tests_unit_test_nonce_LDADD = src/net/libkt_net.a src/base/libkt_base.a $(OPENSSL_LIBS) \
	$(KT_TEST_LDADD)
