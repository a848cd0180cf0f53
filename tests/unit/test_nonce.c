/* test_nonce: nonces rise strictly per key within a process, across close and
 * reopen with the clock behind, and across two concurrent processes; the key
 * never appears in the file name; one format per key; private directories. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/nonce.h"
#include "tests/unit/unit.h"

#define KEY "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/PublicKeyExample01234567890123"

static char dir[256];

struct fake_clock {
	uint64_t now; /* microseconds */
};

static uint64_t fake_now(void *ctx)
{
	return ((struct fake_clock *)ctx)->now;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/kt-nonce-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static uint64_t parse(const char *s)
{
	char *end;
	errno = 0;
	uint64_t v = strtoull(s, &end, 10);
	assert_int_equal(errno, 0);
	assert_true(*s && *end == '\0');
	return v;
}

static struct nonce_store *open_ok(const char *sub, const char *key, enum nonce_format f)
{
	char path[512];
	struct kerr err = KERR_INIT;
	snprintf(path, sizeof path, "%s/%s", dir, sub);
	struct nonce_store *st = nonce_store_open(path, key, f, &err);
	if (!st)
		fail_msg("nonce_store_open: %s", err.msg);
	return st;
}

static uint64_t next_ok(struct nonce_store *st)
{
	char buf[NONCE_MAX];
	struct kerr err = KERR_INIT;
	if (nonce_next(st, buf, sizeof buf, &err) != 0)
		fail_msg("nonce_next: %s", err.msg);
	return parse(buf);
}

/* 100,000 nonces from the real clock in one process are strictly increasing
 * and have the 16 digits of a microsecond timestamp. */
static void increasing_100k(void **state)
{
	struct nonce_store *st = open_ok("nonces", KEY, NONCE_US);
	char buf[NONCE_MAX];
	uint64_t prev = 0;
	for (int i = 0; i < 100000; i++) {
		assert_int_equal(nonce_next(st, buf, sizeof buf, NULL), 0);
		uint64_t v = parse(buf);
		if (v <= prev)
			fail_msg("nonce %d: %" PRIu64 " after %" PRIu64, i, v, prev);
		prev = v;
	}
	assert_int_equal(strlen(buf), 16);
	nonce_store_close(st);
}

/* Milliseconds give 13 digits and also rise strictly in a burst. */
static void ms_format_increasing(void **state)
{
	struct nonce_store *st = open_ok("nonces", KEY, NONCE_MS);
	char buf[NONCE_MAX];
	uint64_t prev = 0;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(nonce_next(st, buf, sizeof buf, NULL), 0);
		assert_true(parse(buf) > prev);
		prev = parse(buf);
	}
	assert_int_equal(strlen(buf), 13);
	nonce_store_close(st);
}

/* The high-water mark survives close/reopen: with the clock an hour behind
 * after the "restart" (and going back again mid-run) nonces still rise. */
static void persists_with_clock_behind(void **state)
{
	struct fake_clock clk = {1732312345678901ull};
	struct nonce_store *st = open_ok("nonces", KEY, NONCE_US);
	nonce_store_set_clock(st, fake_now, &clk);
	uint64_t last = 0;
	for (int i = 0; i < 10; i++) {
		clk.now += 5;
		last = next_ok(st);
	}
	assert_int_equal(last, 1732312345678951ull);
	nonce_store_close(st);

	clk.now -= 3600ull * 1000000; /* the clock went back an hour */
	st = open_ok("nonces", KEY, NONCE_US);
	nonce_store_set_clock(st, fake_now, &clk);
	assert_int_equal(next_ok(st), last + 1);
	assert_int_equal(next_ok(st), last + 2);
	clk.now = last + 1000; /* clock ahead again: follow it */
	assert_int_equal(next_ok(st), last + 1000);
	clk.now = 5; /* and back to nonsense: still upward */
	assert_int_equal(next_ok(st), last + 1001);
	nonce_store_close(st);
}

/* Draw n nonces into v; returns 0 when all succeeded (no cmocka: may run in a child). */
static int draw(struct nonce_store *st, uint64_t *v, int n)
{
	char buf[NONCE_MAX];
	struct kerr err = KERR_INIT;
	for (int i = 0; i < n; i++) {
		if (nonce_next(st, buf, sizeof buf, &err) != 0) {
			fprintf(stderr, "# nonce_next: %s\n", err.msg);
			return -1;
		}
		v[i] = strtoull(buf, NULL, 10);
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

#define PER_PROC 5000

/* Two processes each open their own store for the same key (their own file
 * descriptions, as two krakterm would), start together and draw PER_PROC
 * nonces. With `frozen` the clock never moves, so every value comes from the
 * shared file and any lost update would show as a duplicate. */
static void two_processes(int frozen)
{
	char sub[512], out[600];
	snprintf(sub, sizeof sub, "%s/nonces", dir);
	snprintf(out, sizeof out, "%s/child.bin", dir);
	int ready[2], go[2];
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	struct fake_clock clk = {1000};
	if (pid == 0) {
		static uint64_t cv[PER_PROC];
		char c = 'r';
		int rc = 1;
		struct nonce_store *st = nonce_store_open(sub, KEY, NONCE_US, NULL);
		if (st && frozen)
			nonce_store_set_clock(st, fake_now, &clk);
		if (write(ready[1], &c, 1) == 1 && read(go[0], &c, 1) == 1 && st &&
		    draw(st, cv, PER_PROC) == 0) {
			FILE *fp = fopen(out, "wb");
			rc = !(fp && fwrite(cv, sizeof cv[0], PER_PROC, fp) == PER_PROC);
			if (fp && fclose(fp) != 0)
				rc = 1;
		}
		nonce_store_close(st);
		_exit(rc);
	}
	uint64_t *all = calloc(2 * PER_PROC, sizeof *all);
	assert_non_null(all);
	struct nonce_store *st = open_ok("nonces", KEY, NONCE_US);
	if (frozen)
		nonce_store_set_clock(st, fake_now, &clk);
	char c;
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(write(go[1], "g", 1), 1);
	int prc = draw(st, all, PER_PROC);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	nonce_store_close(st);
	for (int i = 0; i < 2; i++) {
		close(ready[i]);
		close(go[i]);
	}
	assert_int_equal(prc, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	FILE *fp = fopen(out, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(all + PER_PROC, sizeof *all, PER_PROC, fp), PER_PROC);
	fclose(fp);
	for (int p = 0; p < 2; p++)
		for (int i = 1; i < PER_PROC; i++)
			if (all[p * PER_PROC + i] <= all[p * PER_PROC + i - 1])
				fail_msg("process %d: nonce %d not above the previous", p, i);
	qsort(all, 2 * PER_PROC, sizeof *all, cmp_u64);
	for (int i = 1; i < 2 * PER_PROC; i++)
		if (all[i] == all[i - 1])
			fail_msg("nonce %" PRIu64 " handed out twice", all[i]);
	if (frozen) /* nothing lost either: exactly 1000 .. 1000 + 2 * PER_PROC - 1 */
		assert_int_equal(all[2 * PER_PROC - 1], 1000 + 2 * PER_PROC - 1);
	free(all);
}

/* Two processes sharing a key, frozen clock: 10,000 distinct, each rising. */
static void two_processes_frozen_clock(void **state)
{
	two_processes(1);
}

/* The same with the real clock. */
static void two_processes_real_clock(void **state)
{
	two_processes(0);
}

/* The key is stored hashed: neither the file name nor its contents hold it,
 * the name is 32 hex digits + ".nonce", and the file is private (0600). */
static void file_name_hides_key(void **state)
{
	struct nonce_store *st = open_ok("nonces", KEY, NONCE_US);
	next_ok(st);
	char sub[512];
	snprintf(sub, sizeof sub, "%s/nonces", dir);
	DIR *d = opendir(sub);
	assert_non_null(d);
	int files = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		files++;
		assert_null(strstr(e->d_name, "AbCdEf"));
		assert_int_equal(strlen(e->d_name), 32 + strlen(".nonce"));
		assert_int_equal(strspn(e->d_name, "0123456789abcdef"), 32);
		assert_string_equal(e->d_name + 32, ".nonce");
	}
	closedir(d);
	assert_int_equal(files, 1);
	const char *path = nonce_store_path(st);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	char buf[256] = {0};
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	assert_true(fread(buf, 1, sizeof buf - 1, fp) > 0);
	fclose(fp);
	assert_null(strstr(buf, "AbCdEf"));
	assert_non_null(strstr(buf, "krakterm-nonce 1 us "));
	nonce_store_close(st);
}

/* A key whose nonces were microseconds refuses milliseconds (and vice versa),
 * at open and, if the other format got there first, at nonce_next. */
static void format_mismatch_refused(void **state)
{
	struct nonce_store *st = open_ok("nonces", KEY, NONCE_US);
	next_ok(st);
	nonce_store_close(st);
	char sub[512];
	snprintf(sub, sizeof sub, "%s/nonces", dir);
	struct kerr err = KERR_INIT;
	assert_null(nonce_store_open(sub, KEY, NONCE_MS, &err));
	assert_int_equal(err.code, NONCE_E_FORMAT);
	assert_non_null(strstr(err.msg, "EAPI:Invalid nonce"));
	assert_non_null(strstr(err.msg, "microseconds"));

	/* Another key: both formats open before any nonce exists; first use wins. */
	struct nonce_store *ms = open_ok("nonces", "other-key", NONCE_MS);
	struct nonce_store *us = open_ok("nonces", "other-key", NONCE_US);
	next_ok(ms);
	char buf[NONCE_MAX];
	err = (struct kerr)KERR_INIT;
	assert_int_equal(nonce_next(us, buf, sizeof buf, &err), -1);
	assert_int_equal(err.code, NONCE_E_FORMAT);
	assert_string_equal(buf, "");
	next_ok(ms);
	nonce_store_close(ms);
	nonce_store_close(us);
}

/* Missing state directories are created private (0700). */
static void state_dir_private(void **state)
{
	struct nonce_store *st = open_ok("state/krakterm/nonces", KEY, NONCE_US);
	const char *subs[] = {"state", "state/krakterm", "state/krakterm/nonces"};
	for (size_t i = 0; i < 3; i++) {
		char p[512];
		struct stat sb;
		snprintf(p, sizeof p, "%s/%s", dir, subs[i]);
		assert_int_equal(stat(p, &sb), 0);
		assert_true(S_ISDIR(sb.st_mode));
		assert_int_equal(sb.st_mode & 0777, 0700);
	}
	nonce_store_close(st);
}

/* A damaged file is refused with advice, never silently restarted. */
static void damaged_file_refused(void **state)
{
	struct nonce_store *st = open_ok("nonces", KEY, NONCE_US);
	char path[600];
	snprintf(path, sizeof path, "%s", nonce_store_path(st));
	nonce_store_close(st);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("krakterm-nonce 1 us 12x4\n", fp);
	fclose(fp);
	char sub[512];
	snprintf(sub, sizeof sub, "%s/nonces", dir);
	struct kerr err = KERR_INIT;
	assert_null(nonce_store_open(sub, KEY, NONCE_US, &err));
	assert_int_equal(err.code, NONCE_E_DAMAGED);
	assert_non_null(strstr(err.msg, "delete the file"));
}

/* Deleting the file (the documented reset) while a store is open: the open
 * store notices and rejoins the new file, so it shares the lock again. */
static void reset_file_is_rejoined(void **state)
{
	struct fake_clock clk = {1000};
	struct nonce_store *a = open_ok("nonces", KEY, NONCE_US);
	nonce_store_set_clock(a, fake_now, &clk);
	assert_int_equal(next_ok(a), 1000);
	assert_int_equal(next_ok(a), 1001);
	assert_int_equal(unlink(nonce_store_path(a)), 0);
	struct nonce_store *b = open_ok("nonces", KEY, NONCE_US);
	nonce_store_set_clock(b, fake_now, &clk);
	assert_int_equal(next_ok(b), 1000);
	assert_int_equal(next_ok(a), 1001); /* a now reads b's file */
	assert_int_equal(next_ok(b), 1002);
	nonce_store_close(a);
	nonce_store_close(b);
}

/* Bad arguments fail cleanly. */
static void bad_arguments(void **state)
{
	struct kerr err = KERR_INIT;
	assert_null(nonce_store_open(dir, "", NONCE_US, &err));
	assert_int_equal(err.code, NONCE_E_ARG);
	assert_null(nonce_store_open("", KEY, NONCE_US, &err));
	struct nonce_store *st = open_ok("nonces", KEY, NONCE_US);
	char small[8] = "x";
	assert_int_equal(nonce_next(st, small, sizeof small, &err), -1);
	assert_string_equal(small, "");
	nonce_store_close(st);
	nonce_store_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(increasing_100k, setup, teardown),
	        cmocka_unit_test_setup_teardown(ms_format_increasing, setup, teardown),
	        cmocka_unit_test_setup_teardown(persists_with_clock_behind, setup, teardown),
	        cmocka_unit_test_setup_teardown(two_processes_frozen_clock, setup, teardown),
	        cmocka_unit_test_setup_teardown(two_processes_real_clock, setup, teardown),
	        cmocka_unit_test_setup_teardown(file_name_hides_key, setup, teardown),
	        cmocka_unit_test_setup_teardown(format_mismatch_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(state_dir_private, setup, teardown),
	        cmocka_unit_test_setup_teardown(damaged_file_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(reset_file_is_rejoined, setup, teardown),
	        cmocka_unit_test_setup_teardown(bad_arguments, setup, teardown),
	};
	return kt_run_tests(tests);
}
