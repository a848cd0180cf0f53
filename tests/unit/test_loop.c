/* test_loop: the event loop on its own: create/free, timers (one-shot, repeat,
 * stop before firing, stop inside the callback), signals, watching an fd (a
 * pipe), "no keyboard" for /dev/null and files, fd flags restored, std fds
 * repaired, the before-wait hook, and freeing a loop with things still on it
 * (the sanitizer build proves nothing leaks). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/loop.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/unit.h"

static struct kt_loop *new_loop(void)
{
	struct kerr err = KERR_INIT;
	struct kt_loop *loop = kt_loop_new(NULL, &err);
	if (!loop)
		fail_msg("kt_loop_new: %s", err.msg);
	return loop;
}

/* A loop starts and shuts down cleanly, with and without options. */
static void create_free(void **state)
{
	kt_loop_free(new_loop());
	struct kt_loop_opts o = {.ca_file = NULL, .timeout_secs = 3};
	struct kt_loop *loop = kt_loop_new(&o, NULL);
	assert_non_null(loop);
	assert_int_equal(kt_loop_opts(loop)->timeout_secs, 3);
	assert_non_null(kt_loop_uv(loop));
	assert_non_null(kt_loop_lws(loop));
	kt_loop_free(loop);
	kt_loop_free(NULL);
}

/* A CA file that is missing, or is not PEM, is refused at start with a
 * message naming it (lws alone would only log it and run without TLS). */
static void bad_ca_file(void **state)
{
	struct kerr err = KERR_INIT;
	struct kt_loop_opts o = {.ca_file = "/nonexistent/krakterm-ca.pem"};
	assert_null(kt_loop_new(&o, &err));
	assert_int_equal(err.code, KT_LOOP_E_INIT);
	assert_non_null(strstr(err.msg, "/nonexistent/krakterm-ca.pem"));

	char path[300];
	snprintf(path, sizeof path, "%s/kt-ca-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not a certificate\n", 18), 18);
	close(fd);
	kerr_clear(&err);
	o.ca_file = path;
	struct kt_loop *loop = kt_loop_new(&o, &err);
	unlink(path);
	assert_null(loop);
	assert_int_equal(err.code, KT_LOOP_E_INIT);
	assert_non_null(strstr(err.msg, path));
}

struct tick {
	struct kt_loop *loop;
	struct kt_timer *t;
	int n, stop_at;
	int order[8], norder;
};

static void on_repeat(void *arg)
{
	struct tick *k = arg;
	if (++k->n == k->stop_at) {
		kt_timer_stop(k->t); /* inside its own callback */
		kt_loop_stop(k->loop);
	}
}

/* A repeating timer fires until it is stopped inside its own callback. */
static void timer_repeat_stop_in_cb(void **state)
{
	struct kt_loop *loop = new_loop();
	struct tick k = {.loop = loop, .stop_at = 3};
	k.t = kt_timer_start(loop, 1, 1, on_repeat, &k);
	assert_true(nt_run(loop, 5000));
	assert_int_equal(k.n, 3);
	kt_loop_free(loop);
}

static void on_order(void *arg)
{
	struct tick *k = (struct tick *)((void **)arg)[0];
	int id = (int)(intptr_t)((void **)arg)[1];
	k->order[k->norder++] = id;
	if (k->norder == 2)
		kt_loop_stop(k->loop);
}

static void on_never(void *arg)
{
	fail_msg("a stopped timer fired");
}

/* One-shot timers fire once, in deadline order; a stopped one never fires. */
static void timer_oneshot_order_and_stop(void **state)
{
	struct kt_loop *loop = new_loop();
	struct tick k = {.loop = loop};
	void *a[2] = {&k, (void *)(intptr_t)1}, *b[2] = {&k, (void *)(intptr_t)2};
	kt_timer_start(loop, 20, 0, on_order, b);
	kt_timer_start(loop, 0, 0, on_order, a); /* 0 ms: next loop turn */
	struct kt_timer *never = kt_timer_start(loop, 10, 0, on_never, NULL);
	kt_timer_stop(never);
	assert_true(nt_run(loop, 5000));
	assert_int_equal(k.norder, 2);
	assert_int_equal(k.order[0], 1);
	assert_int_equal(k.order[1], 2);
	kt_loop_free(loop);
}

static void on_oneshot_self_stop(void *arg)
{
	struct tick *k = arg;
	k->n++;
	kt_timer_stop(k->t); /* allowed in a one-shot's own callback too */
	kt_loop_stop(k->loop);
}

/* Stopping a one-shot inside its callback does not double-free it. */
static void timer_oneshot_stop_in_cb(void **state)
{
	struct kt_loop *loop = new_loop();
	struct tick k = {.loop = loop};
	k.t = kt_timer_start(loop, 0, 0, on_oneshot_self_stop, &k);
	assert_true(nt_run(loop, 5000));
	assert_int_equal(k.n, 1);
	kt_loop_free(loop);
}

struct sig {
	struct kt_loop *loop;
	int got;
	struct kt_signal *s;
};

static void on_sig(void *arg, int signum)
{
	struct sig *g = arg;
	g->got = signum;
	kt_signal_stop(g->s); /* safe inside its own callback */
	kt_loop_stop(g->loop);
}

static void raise_usr1(void *arg)
{
	raise(SIGUSR1);
}

/* A signal raised in the process reaches its callback on the loop. */
static void signal_delivered(void **state)
{
	struct kt_loop *loop = new_loop();
	struct sig g = {.loop = loop};
	g.s = kt_loop_on_signal(loop, SIGUSR1, on_sig, &g, NULL);
	assert_non_null(g.s);
	kt_timer_start(loop, 0, 0, raise_usr1, NULL);
	assert_true(nt_run(loop, 5000));
	assert_int_equal(g.got, SIGUSR1);
	kt_loop_free(loop);
}

struct fdw {
	struct kt_loop *loop;
	int fd, reads, status;
	char got;
	struct kt_fdwatch *w;
};

static void on_readable(void *arg, int status)
{
	struct fdw *f = arg;
	f->status = status;
	if (read(f->fd, &f->got, 1) == 1)
		f->reads++;
	kt_fdwatch_stop(f->w); /* inside its own callback */
	kt_loop_stop(f->loop);
}

static void write_pipe(void *arg)
{
	int fd = *(int *)arg;
	assert_int_equal(write(fd, "k", 1), 1);
}

/* Input on a watched pipe reaches the callback; the pipe's flags are
 * non-blocking while watched and restored (blocking) afterwards. */
static void fd_watch_pipe_restores_flags(void **state)
{
	struct kt_loop *loop = new_loop();
	int p[2];
	assert_int_equal(pipe(p), 0);
	int before = fcntl(p[0], F_GETFL);
	assert_false(before & O_NONBLOCK);
	struct fdw f = {.loop = loop, .fd = p[0], .status = 1};
	f.w = kt_loop_watch_fd(loop, p[0], on_readable, &f, NULL);
	assert_non_null(f.w);
	assert_true(fcntl(p[0], F_GETFL) & O_NONBLOCK); /* what the shell would inherit */
	kt_timer_start(loop, 0, 0, write_pipe, &p[1]);
	assert_true(nt_run(loop, 5000));
	assert_int_equal(f.reads, 1);
	assert_int_equal(f.status, 0);
	assert_int_equal(f.got, 'k');
	assert_int_equal(fcntl(p[0], F_GETFL), before);
	kt_loop_free(loop);
	close(p[0]);
	close(p[1]);
}

/* kt_loop_free restores the flags of an fd that is still watched. */
static void fd_flags_restored_by_free(void **state)
{
	struct kt_loop *loop = new_loop();
	int p[2];
	assert_int_equal(pipe(p), 0);
	int before = fcntl(p[0], F_GETFL);
	assert_non_null(kt_loop_watch_fd(loop, p[0], on_readable, NULL, NULL));
	kt_loop_free(loop);
	assert_int_equal(fcntl(p[0], F_GETFL), before);
	close(p[0]);
	close(p[1]);
}

/* /dev/null and regular files cannot be polled: that is "no keyboard", a
 * distinct error, and the fd is left as it was. */
static void no_keyboard(void **state)
{
	struct kt_loop *loop = new_loop();
	struct kerr err = KERR_INIT;
	int fd = open("/dev/null", O_RDONLY);
	assert_true(fd >= 0);
	int before = fcntl(fd, F_GETFL);
	assert_null(kt_loop_watch_fd(loop, fd, on_readable, NULL, &err));
	assert_int_equal(err.code, KT_LOOP_E_NO_KEYBOARD);
	assert_non_null(strstr(err.msg, "no keyboard"));
	assert_int_equal(fcntl(fd, F_GETFL), before);
	close(fd);

	char path[300];
	snprintf(path, sizeof path, "%s/kt-loop-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	kerr_clear(&err);
	assert_null(kt_loop_watch_fd(loop, fd, on_readable, NULL, &err));
	assert_int_equal(err.code, KT_LOOP_E_NO_KEYBOARD);
	close(fd);

	kerr_clear(&err);
	assert_null(kt_loop_watch_fd(loop, 9999, on_readable, NULL, &err)); /* not open */
	assert_int_equal(err.code, KT_LOOP_E_WATCH);
	kt_loop_free(loop);
}

/* With fds 0-2 closed, kt_loop_fix_std_fds puts /dev/null there (checked in a
 * child process so this process keeps its own). */
static void fix_std_fds(void **state)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(0);
		close(1);
		close(2);
		if (kt_loop_fix_std_fds(NULL) != 0)
			_exit(1);
		for (int fd = 0; fd <= 2; fd++)
			if (fcntl(fd, F_GETFD) == -1)
				_exit(2);
		int n = open("/dev/null", O_RDONLY); /* the next fd is above 2 */
		_exit(n > 2 ? 0 : 3);
	}
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

struct hook {
	struct kt_loop *loop;
	int calls;
};

static void before_wait(void *arg)
{
	struct hook *h = arg;
	if (++h->calls == 3)
		kt_loop_stop(h->loop);
}

static void nothing(void *arg) {}

/* The before-wait hook runs once per loop turn, and not after removal. */
static void before_wait_hook(void **state)
{
	struct kt_loop *loop = new_loop();
	struct hook h = {loop, 0};
	kt_loop_set_before_wait(loop, before_wait, &h);
	struct kt_timer *t = kt_timer_start(loop, 1, 1, nothing, NULL);
	assert_true(nt_run(loop, 5000));
	assert_int_equal(h.calls, 3);
	kt_loop_set_before_wait(loop, NULL, NULL);
	kt_timer_stop(t);
	kt_loop_free(loop);
}

static void on_sig_count(void *arg, int signum) {}

/* Freeing a loop with live timers, signal and fd watchers releases them all
 * without calling anything (the sanitizer build checks for leaks). */
static void free_with_live_objects(void **state)
{
	struct kt_loop *loop = new_loop();
	int p[2];
	assert_int_equal(pipe(p), 0);
	kt_timer_start(loop, 100000, 0, on_never, NULL);
	kt_timer_start(loop, 100000, 5, on_never, NULL);
	assert_non_null(kt_loop_on_signal(loop, SIGUSR2, on_sig_count, NULL, NULL));
	assert_non_null(kt_loop_watch_fd(loop, p[0], on_readable, NULL, NULL));
	kt_loop_set_before_wait(loop, nothing, NULL);
	kt_loop_free(loop);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(create_free),
	        cmocka_unit_test(bad_ca_file),
	        cmocka_unit_test(timer_repeat_stop_in_cb),
	        cmocka_unit_test(timer_oneshot_order_and_stop),
	        cmocka_unit_test(timer_oneshot_stop_in_cb),
	        cmocka_unit_test(signal_delivered),
	        cmocka_unit_test(fd_watch_pipe_restores_flags),
	        cmocka_unit_test(fd_flags_restored_by_free),
	        cmocka_unit_test(no_keyboard),
	        cmocka_unit_test(fix_std_fds),
	        cmocka_unit_test(before_wait_hook),
	        cmocka_unit_test(free_with_live_objects),
	};
	if (getenv("KT_TEST_FILTER")) /* run one case while debugging */
		cmocka_set_test_filter(getenv("KT_TEST_FILTER"));
	return kt_run_tests(tests);
}
