/* tui: the one loop driving the screen. Network callbacks only change the core
 * state (the UI marks itself dirty); frames are drawn from a one-shot timer so
 * that bursts are coalesced under a frame-rate cap and an idle screen costs
 * nothing but the once-a-second clock. */
#include "app/tui.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/backend.h"
#include "app/deadman.h"
#include "app/journal.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "net/loop.h"
#include "ui/ui.h"

/* At most 20 frames a second: a number that changes faster cannot be read, and a
 * frame of a busy book ladder (sizes, running totals, depth bars) is ~1 KB to the
 * terminal: 30 frames a second were 34 KB/s at 1000 book changes a second. */
#define FRAME_MS 50

struct tui {
	struct app_ctx *ctx;
	struct backend be;
	struct ui *ui;
	struct kt_timer *frame;   /* pending frame */
	struct kt_timer *clock;   /* once a second: clocks, ages, countdowns */
	struct kt_fdwatch *kbd;
	struct kt_signal *sig[4];
	struct deadman *dms;
	struct journal *journal;
	int64_t last_frame;
};

/* The single fatal hook: restore the terminal before dying of OOM. */
static struct tui *fatal_tui;
static void restore_on_fatal(void)
{
	if (fatal_tui)
		ui_restore_terminal(fatal_tui->ui);
}

static void draw_frame(void *arg)
{
	struct tui *t = arg;
	t->frame = NULL;
	int64_t now = (int64_t)kt_mono_ms();
	ui_render(t->ui, now);
	t->last_frame = now;
}

/* Before the loop sleeps: schedule a frame if the screen needs one. */
static void before_wait(void *arg)
{
	struct tui *t = arg;
	if (ui_quit_requested(t->ui)) {
		kt_loop_stop(t->be.loop);
		return;
	}
	int64_t now = (int64_t)kt_mono_ms();
	if (t->frame || !ui_needs_frame(t->ui, now))
		return;
	int64_t wait = t->last_frame + FRAME_MS - now;
	t->frame = kt_timer_start(t->be.loop, wait > 0 ? (uint64_t)wait : 0, 0, draw_frame, t);
}

static void on_clock(void *arg) { (void)arg; /* wakes the loop; before_wait does the rest */ }

static void on_key(void *arg, int status)
{
	struct tui *t = arg;
	if (status < 0) {
		LOGW("keyboard: poll failed (%d)", status);
		return;
	}
	ui_input(t->ui, (int64_t)kt_mono_ms());
}

static void on_signal(void *arg, int signum)
{
	struct tui *t = arg;
	if (signum == SIGWINCH) {
		ui_resize(t->ui, 0, 0);
		return;
	}
	LOGI("signal %d: quitting", signum);
	kt_loop_stop(t->be.loop);
}

static void journal_hook(void *ctx, const char *kind, const char *text)
{
	struct tui *t = ctx;
	journal_write(t->journal, kind, "%s", text);
}

static int open_ui(struct tui *t, struct kerr *err)
{
	struct app_ctx *ctx = t->ctx;
	struct profile *p = ctx->profile;
	char max_notional[DEC_FMT_MAX], max_dist[DEC_FMT_MAX];
	dec_fmt_trim(p->safety.max_order_notional, max_notional, sizeof max_notional);
	dec_fmt_trim(p->safety.max_price_distance_pct, max_dist, sizeof max_dist);
	const char *data = getenv("KRAKTERM_DATA_DIR") ? getenv("KRAKTERM_DATA_DIR") : KT_DATADIR;
	/* Running from the build tree: the shipped files are in the source tree. */
	char keymaps[1024];
	snprintf(keymaps, sizeof keymaps, "%s/keymaps/default.conf", data);
	if (access(keymaps, R_OK) != 0)
		data = KT_SRCDIR;
	struct ui_opts o = {
		.profile = p->name,
		.live = profile_is_live(p),
		.confirm = p->safety.confirm,
		.arm_idle_ms = p->safety.arm_idle_timeout_s * 1000,
		.theme = ctx->cfg->theme,
		.keymap = ctx->cfg->keymap,
		.value_currency = ctx->cfg->value_currency,
		.config_dir = ctx->paths->config_dir,
		.data_dir = data,
		.no_color = getenv("NO_COLOR") && getenv("NO_COLOR")[0],
		.max_notional = max_notional,
		.max_distance_pct = max_dist,
		.max_leverage = (int)p->safety.max_leverage,
		.hooks = {.ctx = t, .journal = t->journal ? journal_hook : NULL},
	};
	return ui_new(&t->ui, &t->be.st, &o, err);
}

int app_run_tui(struct app_ctx *ctx)
{
	struct tui t;
	memset(&t, 0, sizeof t);
	t.ctx = ctx;
	struct kerr err = KERR_INIT;
	int rc = APP_EXIT_FAIL;
	struct backend_opts bo = {.feeds = true, .private_feeds = true, .replay = ctx->args->replay};
	int64_t start_ms = (int64_t)(kt_wall_ns() / 1000000);
	if (!isatty(STDOUT_FILENO)) {
		fprintf(ctx->err, "krakterm: the terminal interface needs a terminal; for scripts use a "
				  "command (krakterm --help lists them)\n");
		return APP_EXIT_FAIL;
	}
	if (ctx->profile->safety.journal)
		t.journal = journal_open(ctx->paths->state_dir, ctx->profile->name, &err);
	if (backend_open(&t.be, ctx, &bo, &err) < 0) {
		fprintf(ctx->err, "krakterm: %s\n", err.msg);
		goto out;
	}
	/* Fills of this run only: a replay re-lives someone else's, and the
	 * snapshot of earlier fills was journalled by the run that saw them. */
	if (!ctx->args->replay)
		journal_watch_fills(t.journal, &t.be.st, start_ms);
	if (open_ui(&t, &err) < 0) {
		fprintf(ctx->err, "krakterm: %s\n", err.msg);
		goto out;
	}
	fatal_tui = &t;
	xalloc_set_fatal_hook(restore_on_fatal);
	for (size_t i = 0; i < ctx->cfg->nnotices; i++)
		ui_notice(t.ui, 1, ctx->cfg->notices[i].text);
	t.kbd = kt_loop_watch_fd(t.be.loop, STDIN_FILENO, on_key, &t, &err);
	if (!t.kbd)
		LOGW("no keyboard: %s", err.msg);
	static const int sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};
	for (int i = 0; i < 4; i++)
		t.sig[i] = kt_loop_on_signal(t.be.loop, sigs[i], on_signal, &t, NULL);
	t.clock = kt_timer_start(t.be.loop, 1000, 1000, on_clock, &t);
	kt_loop_set_before_wait(t.be.loop, before_wait, &t);
	if (!ctx->args->replay && ctx->profile->safety.dead_man_switch_s > 0)
		t.dms = deadman_start(t.be.loop, &t.be.st, (int)ctx->profile->safety.dead_man_switch_s,
				      t.journal);
	kt_loop_run(t.be.loop);
	rc = APP_EXIT_OK;
out:
	if (t.be.loop)
		kt_loop_set_before_wait(t.be.loop, NULL, NULL);
	if (t.dms) {
		/* Switch the dead man's switch off so that quitting cancels nothing. */
		deadman_stop(t.dms);
		backend_run_until(&t.be, deadman_stopped(t.dms), 3000);
	}
	if (t.frame)
		kt_timer_stop(t.frame);
	if (t.clock)
		kt_timer_stop(t.clock);
	for (int i = 0; i < 4; i++)
		if (t.sig[i])
			kt_signal_stop(t.sig[i]);
	if (t.kbd)
		kt_fdwatch_stop(t.kbd);
	ui_free(t.ui); /* restores the terminal first */
	fatal_tui = NULL;
	xalloc_set_fatal_hook(NULL);
	if (t.be.loop)
		backend_close(&t.be);
	deadman_free(t.dms);
	journal_close(t.journal);
	return rc;
}
