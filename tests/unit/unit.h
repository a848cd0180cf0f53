/* unit.h: what every cmocka unit test includes. Tests report in TAP so that the
 * automake harness counts each case; kt_run_tests() switches the output. */
#ifndef KT_TESTS_UNIT_H
#define KT_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define kt_run_tests(tests)                                                                        \
	(cmocka_set_message_output(CM_OUTPUT_TAP), cmocka_run_group_tests(tests, NULL, NULL))

/* Path of a fixture file under tests/fixtures (static buffer). */
const char *kt_fixture_path(const char *name);
/* Read a fixture into a malloc'd NUL-terminated buffer; fails the test if absent. */
char *kt_fixture_read(const char *name, size_t *len);

#endif
