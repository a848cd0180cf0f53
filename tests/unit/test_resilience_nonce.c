/* test_resilience_nonce: two krakterm processes sharing one API key.
 *
 * The test forks two children before it makes anything else; then it runs the
 * paper exchange (with its market) and hands each child the URLs, the keys of
 * account 1 and ONE nonce directory (as two krakterm processes of the same
 * user share $XDG_STATE_HOME/krakterm/nonces, flock'ed per key). Each child
 * runs the real Kraken client (both products, every feed) and places Spot and
 * Futures orders back to back for a few seconds, all at the same time as the
 * other child. What it proves:
 *   - no order result ever carries a nonce error (EAPI:Invalid nonce,
 *     nonceBelowThreshold, nonceDuplicate): every order is placed;
 *   - every order the children placed is at the exchange exactly once, with
 *     the id the child was told, and the exchange has no other open order of
 *     the account (none duplicated, none lost).
 * Each child exits through exit(), so the sanitizers check it for leaks too. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "tests/unit/resilience_util.h"
#include "tests/unit/unit.h"

#define CHILDREN 2
#define PLACE_MS 3000 /* each child places orders for this long */
/* Orders per child: Spot 100 (225 may rest per instrument), Futures 45 (a
 * sendorder costs 10 of the 500 a 10 s window allows) */
static const int max_orders[2] = {100, 45};

/* What the parent tells a child (one write on a pipe). */
struct child_cfg {
	struct paper_urls urls;
	struct px_keys keys;
	char nonce_dir[192];
	char out[256]; /* results file: "cl_id status order_id code|message" lines */
};

/* ---- the child ---- */

struct child {
	struct rz z;
	FILE *out;
	int pending;
	int placed[2];
	int64_t until;
	bool failed;
};

struct child_order {
	struct child *c;
	struct rz_pending p;
	struct order_req r;
};

static void child_next(struct child *c, int product);

static void child_done(void *arg, const struct intent_result *res)
{
	struct child_order *o = arg;
	struct child *c = o->c;
	const struct instrument *in = state_instrument(&c->z.st, o->r.instr);
	fprintf(c->out, "%d %s %d %s %s|%s\n", in->product, o->r.cl_id, (int)res->status,
	        res->order_id[0] ? res->order_id : "-", res->code[0] ? res->code : "-",
	        res->message);
	fflush(c->out);
	c->pending--;
	int product = in->product;
	free(o);
	child_next(c, product);
}

/* Keep one order of each product on its way until the time is up. */
static void child_next(struct child *c, int product)
{
	if (rz_now_ms() >= c->until || c->placed[product] >= max_orders[product] || c->failed)
		return;
	const char *id = product == PRODUCT_SPOT ? "BTC/USD" : "PF_XBTUSD";
	int instr = state_find_instrument(&c->z.st, id);
	const struct instrument *in = state_instrument(&c->z.st, instr);
	struct child_order *o = xcalloc(1, sizeof *o);
	o->c = c;
	/* far below the market (never fills): a fixed price keeps the exchange out
	 * of the child's process */
	o->r.instr = instr;
	o->r.side = SIDE_BUY;
	o->r.type = OT_LIMIT;
	o->r.tif = TIF_GTC;
	o->r.qty = dec_is_zero(in->min_size) ? in->lot : in->min_size;
	o->r.limit_price = dec_from_int(10000 + c->placed[product]);
	struct kerr err = KERR_INIT;
	if (intent_place(&c->z.st, &o->r, child_done, o, &err) < 0) {
		fprintf(c->out, "refused %s\n", err.msg);
		c->failed = true;
		free(o);
		return;
	}
	c->placed[product]++;
	c->pending++;
}

static bool child_finished(struct rz *z, void *arg)
{
	(void)z;
	struct child *c = arg;
	return c->pending == 0 &&
	       (rz_now_ms() >= c->until || c->failed ||
	        (c->placed[0] >= max_orders[0] && c->placed[1] >= max_orders[1]));
}

static int child_main(int in_fd)
{
	struct child_cfg cfg;
	ssize_t n = read(in_fd, &cfg, sizeof cfg);
	close(in_fd);
	if (n != (ssize_t)sizeof cfg)
		return 3; /* the parent gave up before starting us */
	struct child c;
	memset(&c, 0, sizeof c);
	c.out = fopen(cfg.out, "w");
	if (!c.out)
		return 4;
	/* the pro tier's matching-engine counter lets 100 orders go without waiting */
	struct rz_opts o = {.tier = KRAKEN_TIER_PRO};
	rz_connect(&c.z, &cfg.urls, &cfg.keys, cfg.nonce_dir, &o);
	xwipe(&cfg.keys, sizeof cfg.keys);
	c.until = rz_now_ms() + PLACE_MS;
	child_next(&c, PRODUCT_SPOT);
	child_next(&c, PRODUCT_FUTURES);
	bool ok = rz_wait(&c.z, child_finished, &c, PLACE_MS + 60000);
	rz_close(&c.z);
	fclose(c.out);
	return ok && !c.failed ? 0 : 5;
}

/* ---- the parent ---- */

struct kid {
	pid_t pid;
	int cfg_fd;
	int status;
	bool exited;
};

static bool kids_exited(struct rz *z, void *arg)
{
	(void)z;
	struct kid *k = arg;
	bool all = true;
	for (int i = 0; i < CHILDREN; i++) {
		if (!k[i].exited && waitpid(k[i].pid, &k[i].status, WNOHANG) == k[i].pid)
			k[i].exited = true;
		all = all && k[i].exited;
	}
	return all;
}

struct tally {
	int ok, lines;
};

/* Check one child's results against the exchange. */
static void check_results(struct rz *z, const char *path, struct tally *t)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[600];
	while (fgets(line, sizeof line, f)) {
		int product, status;
		char cl[64], id[64], code[64];
		if (sscanf(line, "%d %63s %d %63s %63s", &product, cl, &status, id, code) != 5)
			fail_msg("%s: unreadable line: %s", path, line);
		t->lines++;
		if (strstr(line, "nonce") || strstr(line, "Nonce"))
			fail_msg("a nonce error reached the user: %s", line);
		if (status != INTENT_OK)
			fail_msg("an order was not placed: %s", line);
		char px_id[PX_ID_MAX];
		size_t at_px = rz_px_count_cl(z, product, cl, px_id, sizeof px_id);
		if (at_px != 1 || strcmp(px_id, id) != 0)
			fail_msg("order %s (%s): %zu at the exchange (%s)", cl, id, at_px, px_id);
		t->ok++;
	}
	fclose(f);
}

static void kill_kids(struct kid *k)
{
	for (int i = 0; i < CHILDREN; i++) {
		if (k[i].pid > 0 && !k[i].exited) {
			kill(k[i].pid, SIGKILL);
			waitpid(k[i].pid, NULL, 0);
		}
	}
}

static void two_processes_one_key(void **state)
{
	struct rz *z = *state;
	struct kid kids[CHILDREN];
	memset(kids, 0, sizeof kids);
	fflush(stdout); /* the children must not repeat buffered TAP output */
	fflush(stderr);
	for (int i = 0; i < CHILDREN; i++) {
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			/* the child's own output (a failed check) must not mix with
			 * the parent's TAP stream */
			dup2(STDERR_FILENO, STDOUT_FILENO);
			close(fds[1]);
			for (int j = 0; j < i; j++)
				close(kids[j].cfg_fd);
			exit(child_main(fds[0]));
		}
		close(fds[0]);
		kids[i].pid = pid;
		kids[i].cfg_fd = fds[1];
	}
	struct rz_opts o = {.no_client = true};
	rz_open(z, &o);
	struct child_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.urls = z->urls;
	assert_int_equal(paper_keys(z->run.p, 1, &cfg.keys), 0);
	snprintf(cfg.nonce_dir, sizeof cfg.nonce_dir, "%s", z->nonce_dir);
	for (int i = 0; i < CHILDREN; i++) {
		snprintf(cfg.out, sizeof cfg.out, "%s/child%d.txt", z->dir, i);
		assert_int_equal(write(kids[i].cfg_fd, &cfg, sizeof cfg), (ssize_t)sizeof cfg);
		close(kids[i].cfg_fd);
	}
	xwipe(&cfg.keys, sizeof cfg.keys);
	if (!rz_wait(z, kids_exited, kids, PLACE_MS + 90000)) {
		kill_kids(kids);
		fail_msg("the children did not finish");
	}
	struct tally t = {0};
	for (int i = 0; i < CHILDREN; i++) {
		if (!WIFEXITED(kids[i].status) || WEXITSTATUS(kids[i].status) != 0)
			fail_msg("child %d ended with status 0x%x", i, kids[i].status);
		char path[300];
		snprintf(path, sizeof path, "%s/child%d.txt", z->dir, i);
		check_results(z, path, &t);
	}
	/* nothing else is open: no order was duplicated */
	size_t open = rz_px_open_count(z, PX_SPOT) + rz_px_open_count(z, PX_FUTURES);
	assert_int_equal(open, (size_t)t.ok);
	assert_true(t.ok >= 4 * CHILDREN); /* both products, both children, really concurrent */
	printf("# %d orders placed by %d processes on one key, each once\n", t.ok, CHILDREN);
	rz_close(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(two_processes_one_key, rz_setup, rz_teardown),
	};
	return kt_run_tests(tests);
}
