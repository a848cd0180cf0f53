/* cmd_paper: `krakterm paper` — run the paper exchange on its own, for other
 * programs (or another krakterm) to trade against. Prints the base URLs and
 * the paper API keys (--json for scripts), then serves until SIGINT/SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "app/commands.h"
#include "app/paper_embed.h"
#include "app/paper_run.h"
#include "base/jwrite.h"
#include "base/log.h"
#include "base/sbuf.h"
#include "net/loop.h"
#include "paper/faults.h"
#include "paper/server.h"

struct paper_cmd {
	struct kt_loop *loop;
	struct paper_run run;
};

static void on_stop_signal(void *arg, int signum)
{
	struct paper_cmd *pc = arg;
	LOGI("paper: signal %d, stopping", signum);
	kt_loop_stop(pc->loop);
}

static int usage(struct app_ctx *ctx, FILE *fp)
{
	fprintf(fp, "usage: krakterm paper [--listen HOST:PORT] [--state FILE] [--reset] "
			  "[--balance USD] [--seed N] [--speed PCT] [--rate N] [--no-market] "
			  "[--faults JSON] [--json]\n");
	return fp == ctx->out ? APP_EXIT_OK : APP_EXIT_USAGE; /* asked for, or a mistake */
}

static void print_info(struct app_ctx *ctx, struct paper *p, bool json)
{
	struct paper_info info;
	paper_info(p, &info);
	struct px_keys k;
	paper_keys(p, 1, &k);
	FILE *out = ctx->out;
	if (json) {
		struct sbuf b = SBUF_INIT;
		struct jw w;
		jw_init(&w, &b);
		jw_obj_begin(&w);
		jw_key(&w, "spot_rest_url"); jw_str(&w, info.urls.spot_rest);
		jw_key(&w, "spot_ws_url"); jw_str(&w, info.urls.spot_ws_public);
		jw_key(&w, "spot_ws_auth_url"); jw_str(&w, info.urls.spot_ws_private);
		jw_key(&w, "futures_rest_url"); jw_str(&w, info.urls.fut_rest);
		jw_key(&w, "futures_ws_url"); jw_str(&w, info.urls.fut_ws);
		jw_key(&w, "port"); jw_i64(&w, info.urls.port);
		jw_key(&w, "state_file"); jw_str(&w, info.state_path);
		jw_key(&w, "spot_key"); jw_str(&w, k.spot_key);
		jw_key(&w, "spot_secret"); jw_str(&w, k.spot_secret);
		jw_key(&w, "futures_key"); jw_str(&w, k.fut_key);
		jw_key(&w, "futures_secret"); jw_str(&w, k.fut_secret);
		jw_obj_end(&w);
		fprintf(out, "%s\n", b.p);
		sbuf_free_secret(&b);
	} else {
		fprintf(out, "krakterm paper exchange (paper money, real Kraken protocols)\n"
			     "  Spot REST        %s\n  Spot WS v2       %s\n  Spot WS v2 auth  %s\n"
			     "  Futures REST     %s   (/derivatives/api/v3/...)\n  Futures WS v1    %s\n"
			     "  state file       %s\n"
			     "  spot key         %s\n  spot secret      %s\n"
			     "  futures key      %s\n  futures secret   %s\n"
			     "Press Ctrl-C to stop.\n",
			info.urls.spot_rest, info.urls.spot_ws_public, info.urls.spot_ws_private,
			info.urls.fut_rest, info.urls.fut_ws, info.state_path[0] ? info.state_path : "(memory only)",
			k.spot_key, k.spot_secret, k.fut_key, k.fut_secret);
	}
	fflush(out);
}

int cmd_paper(struct app_ctx *ctx, int argc, char **argv);
int cmd_paper(struct app_ctx *ctx, int argc, char **argv)
{
	const char *listen = "127.0.0.1:0", *state = NULL;
	bool reset = false, json = ctx->args->json, market = true;
	const char *faults = NULL;
	dec_t balance = ctx->profile->paper_balance;
	struct sim_opts so = {.seed = (uint64_t)ctx->profile->paper_seed};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		unsigned long v;
		if ((strcmp(a, "--seed") == 0 || strcmp(a, "--speed") == 0 || strcmp(a, "--rate") == 0) &&
		    i + 1 < argc) {
			char *e;
			v = strtoul(argv[++i], &e, 10);
			if (*e || v > 100000000UL) {
				fprintf(ctx->err, "krakterm paper: %s wants a whole number\n", a);
				return APP_EXIT_USAGE;
			}
			if (a[2] == 's' && a[3] == 'e')
				so.seed = v;
			else if (a[2] == 's')
				so.speed = (uint32_t)v;
			else
				so.rate = (uint32_t)v;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return usage(ctx, ctx->out);
		else if (strcmp(a, "--no-market") == 0)
			market = false;
		else if (strcmp(a, "--faults") == 0 && i + 1 < argc)
			faults = argv[++i];
		else if (strcmp(a, "--listen") == 0 && i + 1 < argc)
			listen = argv[++i];
		else if (strcmp(a, "--state") == 0 && i + 1 < argc)
			state = argv[++i];
		else if (strcmp(a, "--reset") == 0)
			reset = true;
		else if (strcmp(a, "--json") == 0)
			json = true;
		else if (strcmp(a, "--balance") == 0 && i + 1 < argc) {
			struct kerr e = KERR_INIT;
			if (dec_parse(argv[++i], (size_t)-1, &balance, &e) < 0 || dec_sign(balance) <= 0) {
				fprintf(ctx->err, "krakterm paper: --balance: %s\n", e.msg[0] ? e.msg : "must be positive");
				return APP_EXIT_USAGE;
			}
		} else
			return usage(ctx, ctx->err);
	}
	char host[256];
	int port = 0;
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host) {
		fprintf(ctx->err, "krakterm paper: --listen wants HOST:PORT, e.g. 127.0.0.1:8900\n");
		return APP_EXIT_USAGE;
	}
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long pv = strtol(colon + 1, &end, 10);
	if (*end || pv < 0 || pv > 65535) {
		fprintf(ctx->err, "krakterm paper: bad port in --listen %s\n", listen);
		return APP_EXIT_USAGE;
	}
	port = (int)pv;
	struct kerr err = KERR_INIT;
	if (kt_loop_fix_std_fds(&err) < 0)
		return APP_EXIT_FAIL;
	struct paper_cmd pc;
	memset(&pc, 0, sizeof pc);
	pc.loop = kt_loop_new(NULL, &err);
	if (!pc.loop) {
		fprintf(ctx->err, "krakterm paper: %s\n", err.msg);
		return APP_EXIT_FAIL;
	}
	struct paper_balance bal = {"USD", balance, false};
	struct paper_opts po = {
		.host = host,
		.port = port,
		.state_path = state ? state : ctx->profile->paper_state,
		.reset = reset,
		.balances = &bal,
		.nbalances = 1,
		.adapters = paper_embed_adapters(),
	};
	paths_ensure_dir(ctx->paths->data_dir, NULL);
	if (paper_run_start(&pc.run, pc.loop, &po, &so, market, &err) < 0) {
		fprintf(ctx->err, "krakterm paper: %s\n", err.msg);
		kt_loop_free(pc.loop);
		return APP_EXIT_FAIL;
	}
	int rc = APP_EXIT_OK;
	/* sticky: a fault-injected restart brings them back with the new server */
	if (faults && faults_configure_sticky(pc.run.p, faults, strlen(faults), &err) < 0) {
		fprintf(ctx->err, "krakterm paper: --faults: %s\n", err.msg);
		rc = APP_EXIT_USAGE;
		goto stop;
	}
	print_info(ctx, pc.run.p, json);
	struct kt_signal *s1 = kt_loop_on_signal(pc.loop, SIGINT, on_stop_signal, &pc, NULL);
	struct kt_signal *s2 = kt_loop_on_signal(pc.loop, SIGTERM, on_stop_signal, &pc, NULL);
	kt_loop_run(pc.loop);
	kt_signal_stop(s1);
	kt_signal_stop(s2);
stop:
	paper_run_stop(&pc.run);
	while (!pc.run.stopped && uv_run(kt_loop_uv(pc.loop), UV_RUN_ONCE))
		;
	kt_loop_free(pc.loop);
	return rc;
}
