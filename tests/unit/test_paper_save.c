/* test_paper_save: when paper_flush writes the state file. A durable change is
 * saved at once; a nonce that moved alone waits a second (start-up makes a dozen
 * signed calls in a row and each save is two fsyncs); stopping saves it anyway,
 * and a restart then refuses the nonce. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paper/paper.h"
#include "tests/unit/test_px_util.h"

struct env {
	int64_t now;
	char dir[32], path[64];
	struct paper_opts o;
};

static int64_t env_clock(void *ctx)
{
	return ((struct env *)ctx)->now;
}

static struct paper *env_open(struct env *e, bool reset)
{
	struct kerr err = KERR_INIT;
	e->o.state_path = e->path;
	e->o.reset = reset;
	e->o.id_seed = 3;
	e->o.clock = env_clock;
	e->o.clock_ctx = e;
	struct paper *p = paper_create(NULL, &e->o, &err);
	if (!p)
		fail_msg("paper_create: %s", err.msg);
	return p;
}

/* Size and modification time in ns: did the file change? */
static int64_t stamp(const char *path)
{
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	return (int64_t)sb.st_mtim.tv_sec * SEC + sb.st_mtim.tv_nsec + (int64_t)sb.st_size;
}

static void nonce_saved_lazily(void **state)
{
	(void)state;
	struct env e;
	memset(&e, 0, sizeof e);
	e.now = T0;
	strcpy(e.dir, "/tmp/kt-save-XXXXXX");
	assert_non_null(mkdtemp(e.dir));
	snprintf(e.path, sizeof e.path, "%s/state.json", e.dir);

	struct paper *p = env_open(&e, true);
	assert_int_equal(paper_flush(p, NULL), 0);
	int64_t s0 = stamp(e.path);

	/* a nonce alone: not yet */
	px_nonce_set(p->px, 1, PX_SPOT, 1700000000000001ULL);
	assert_false(px_dirty(p->px));
	assert_true(px_nonce_dirty(p->px, NULL));
	e.now += SEC / 2;
	paper_tick(p);
	assert_int_equal(paper_flush(p, NULL), 0);
	assert_true(px_nonce_dirty(p->px, NULL));
	assert_int_equal(stamp(e.path), s0);

	/* a second later: saved */
	usleep(20000); /* let the file's mtime move */
	e.now += SEC;
	paper_tick(p);
	assert_int_equal(paper_flush(p, NULL), 0);
	assert_false(px_nonce_dirty(p->px, NULL));
	int64_t s1 = stamp(e.path);
	assert_true(s1 != s0);

	/* a nonce then a durable change: both saved at once */
	px_nonce_set(p->px, 1, PX_FUTURES, 1700000000001ULL);
	assert_int_equal(px_cancel_after(p->px, 1, PX_SPOT, 60, NULL, NULL), 0); /* durable */
	assert_true(px_dirty(p->px));
	usleep(20000);
	assert_int_equal(paper_flush(p, NULL), 0);
	assert_false(px_nonce_dirty(p->px, NULL));
	assert_false(px_dirty(p->px));
	assert_true(stamp(e.path) != s1);

	/* a nonce just before stopping: paper_destroy saves it */
	px_nonce_set(p->px, 1, PX_SPOT, 1700000000000009ULL);
	paper_destroy(p);
	p = env_open(&e, false);
	assert_int_equal(px_nonce_get(p->px, 1, PX_SPOT), 1700000000000009ULL);
	assert_int_equal(px_nonce_get(p->px, 1, PX_FUTURES), 1700000000001ULL);
	assert_false(px_nonce_dirty(p->px, NULL));
	paper_destroy(p);
	unlink(e.path);
	rmdir(e.dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(nonce_saved_lazily),
	};
	return kt_run_tests(tests);
}
