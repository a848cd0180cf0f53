/* commands: the command table and the commands that belong to the app itself
 * (config-check, paths). Other layers' commands are added as rows here. */
#include "app/commands.h"
#include "app/cmd_util.h"

#include <stdlib.h>
#include <string.h>

#include "base/dec.h"
#include "base/jwrite.h"
#include "base/sbuf.h"

static int cmd_config_check(struct app_ctx *ctx, int argc, char **argv);
static int cmd_paths(struct app_ctx *ctx, int argc, char **argv);
int cmd_paper(struct app_ctx *ctx, int argc, char **argv);

const struct app_command app_commands[] = {
	{"paper", cmd_paper, "run the paper exchange on its own and print its URLs and keys"},
	{"config-check", cmd_config_check,
	 "check the config file and show the selected profile (no secrets)"},
	{"paths", cmd_paths, "show where krakterm reads its config and writes its files"},
	{"balances", cmd_balances, "show the spot and futures wallets"},
	{"orders", cmd_orders, "list the open orders of both products"},
	{"positions", cmd_positions, "list futures and spot margin positions"},
	{"book", cmd_book, "print an order book: book SYMBOL [--depth N]"},
	{"ticker", cmd_ticker, "print a ticker: ticker SYMBOL"},
	{"funding", cmd_funding, "show a perpetual's funding rates: funding SYMBOL"},
	{"order", cmd_order, "place an order: order SYMBOL buy|sell TYPE SIZE [PRICE] [options]"},
	{"cancel", cmd_cancel, "cancel an order, or all: cancel ID | --all [SYMBOL]"},
	{"amend", cmd_amend, "change an open order: amend ID [--price P] [--size S] [--trigger T]"},
	{"close", cmd_close, "close a position: close SYMBOL [SIZE] [--limit P]"},
	{"leverage", cmd_leverage, "show or set futures margin: leverage SYMBOL [N|cross]"},
	{"transfer", cmd_transfer, "move funds: transfer ASSET AMOUNT FROM TO"},
	{"journal", cmd_journal, "print the trade journal"},
	{"record", cmd_record, "record market data: record FILE [--duration S] [SYMBOL...]"},
	{"replay", cmd_replay, "summarise a recording: replay FILE [--summary]"},
	{NULL, NULL, NULL},
};

const struct app_command *app_command_find(const char *name)
{
	for (const struct app_command *c = app_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* 0: no arguments; 1: --help was answered; -1: an argument (reported). */
static int no_args(struct app_ctx *ctx, int argc, char **argv)
{
	if (argc <= 1)
		return 0;
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fprintf(ctx->out, "usage: krakterm %s\n(see krakterm(1), COMMANDS)\n", argv[0]);
		return 1;
	}
	fprintf(ctx->err, "krakterm %s: unexpected argument '%s'\n", argv[0], argv[1]);
	return -1;
}

static const char *yes_no(bool b)
{
	return b ? "true" : "false";
}

static void print_endpoint(FILE *out, const struct profile *p, enum profile_product prod)
{
	const struct profile_endpoint *e = &p->ep[prod];
	fprintf(out, "  %s:\n", profile_product_name(prod));
	if (p->paper) {
		fprintf(out, "    endpoints: the embedded paper exchange\n");
		return;
	}
	fprintf(out, "    rest_url: %s\n    ws_url: %s\n", e->rest_url, e->ws_url);
	if (e->ws_auth_url)
		fprintf(out, "    ws_auth_url: %s\n", e->ws_auth_url);
	/* "set (from key_cmd)" or "not set": never the value */
	const char *vals[2] = {e->key, e->secret}, *labels[2] = {"key", "secret"};
	for (int i = 0; i < 2; i++) {
		if (vals[i])
			fprintf(out, "    %s: set (from %s)\n", labels[i],
				profile_source_name(p, prod, i == 1));
		else
			fprintf(out, "    %s: not set\n", labels[i]);
	}
}

static void print_profile(FILE *out, const struct profile *p)
{
	char a[DEC_FMT_MAX], b[DEC_FMT_MAX], d[32];
	fprintf(out, "profile: %s (%s)\n", p->name,
		p->paper ? "paper trading on the embedded exchange" : "LIVE trading on Kraken");
	print_endpoint(out, p, PROFILE_SPOT);
	print_endpoint(out, p, PROFILE_FUTURES);
	if (p->paper) {
		dec_fmt_trim(p->paper_balance, a, sizeof a);
		fprintf(out, "  paper_state: %s\n  paper_seed: %lld%s\n  paper_balance: %s\n",
			p->paper_state ? p->paper_state : "(default)", (long long)p->paper_seed,
			p->paper_seed ? "" : " (new seed each run)", a);
	}
	fprintf(out, "  ca_file: %s\n  tier: %s\n", p->ca_file ? p->ca_file : "(none)",
		cfg_tier_name(p->tier));
	const struct cfg_safety *s = &p->safety;
	cfg_duration_fmt(s->arm_idle_timeout_s, d, sizeof d);
	dec_fmt_trim(s->max_order_notional, a, sizeof a);
	dec_fmt_trim(s->max_price_distance_pct, b, sizeof b);
	fprintf(out,
		"  confirm: %s\n  arm_idle_timeout: %s\n  max_order_notional: %s\n"
		"  max_price_distance_pct: %s\n  max_leverage: %lld\n  dead_man_switch: %lld\n"
		"  journal: %s\n",
		yes_no(s->confirm), d, a, b, (long long)s->max_leverage,
		(long long)s->dead_man_switch_s, yes_no(s->journal));
	if (!p->paper)
		fprintf(out, "  access: %s\n",
			profile_read_only(p) ? "read-only (no API keys: market data only)"
					     : "trading");
}

/* Validate the config (loading already did) and show the resolved profile. */
static int cmd_config_check(struct app_ctx *ctx, int argc, char **argv)
{
	int na = no_args(ctx, argc, argv);
	if (na)
		return na < 0 ? APP_EXIT_USAGE : APP_EXIT_OK;
	struct kerr err = KERR_INIT;
	if (profile_load_secrets(ctx->profile, &err) < 0) {
		fprintf(ctx->err, "krakterm: %s\n", err.msg);
		return APP_EXIT_USAGE;
	}
	char *names = cfg_profile_names(ctx->cfg);
	fprintf(ctx->out, "config: %s%s\nprofiles: %s\n", ctx->config_path,
		ctx->cfg->path ? "" : " (not found: built-in defaults)", names);
	free(names);
	print_profile(ctx->out, ctx->profile);
	if (ctx->cfg->nnotices) {
		fprintf(ctx->err, "krakterm config-check: %zu problem%s reported above\n",
			ctx->cfg->nnotices, ctx->cfg->nnotices == 1 ? "" : "s");
		return APP_EXIT_USAGE;
	}
	return APP_EXIT_OK;
}

static int cmd_paths(struct app_ctx *ctx, int argc, char **argv)
{
	int na = no_args(ctx, argc, argv);
	if (na)
		return na < 0 ? APP_EXIT_USAGE : APP_EXIT_OK;
	const struct paths *p = ctx->paths;
	const char *rows[][2] = {
		{"config", ctx->config_path},
		{"state", p->state_dir},
		{"data", p->data_dir},
		{"log", p->log_file},
	};
	size_t n = sizeof rows / sizeof rows[0];
	if (!ctx->args || !ctx->args->json) {
		for (size_t i = 0; i < n; i++)
			fprintf(ctx->out, "%-7s %s\n", rows[i][0], rows[i][1]);
		return APP_EXIT_OK;
	}
	struct sbuf b = SBUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	jw_obj_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jw_key(&w, rows[i][0]);
		jw_str(&w, rows[i][1]);
	}
	jw_obj_end(&w);
	fprintf(ctx->out, "%s\n", sbuf_str(&b));
	sbuf_free(&b);
	return APP_EXIT_OK;
}
