/* fut_ws_util: the Futures WS tests' state, instruments and recorder. */
#include "tests/unit/fut_ws_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"

static void recorder(void *ctx, const struct state_event *ev)
{
	struct fws_rec *r = ctx;
	r->counts[ev->kind]++;
	r->last_instr[ev->kind] = ev->instr;
	if (ev->kind == EV_NOTICE) {
		if (ev->level == NOTICE_INFO)
			r->notices_info++;
		else
			r->notices_warn++;
		snprintf(r->last_notice, sizeof r->last_notice, "%s", ev->text);
	}
}

static int add(struct state *st, const char *id, enum instr_kind kind, unsigned pdp, unsigned qdp,
               const char *base, const char *quote)
{
	struct instrument in;
	memset(&in, 0, sizeof in);
	snprintf(in.id, sizeof in.id, "%s", id);
	snprintf(in.rest_id, sizeof in.rest_id, "%s", id);
	snprintf(in.altname, sizeof in.altname, "%s", id);
	snprintf(in.base, sizeof in.base, "%s", base);
	snprintf(in.quote, sizeof in.quote, "%s", quote);
	in.product = PRODUCT_FUTURES;
	in.kind = kind;
	in.price_dp = (uint8_t)pdp;
	in.qty_dp = (uint8_t)qdp;
	in.tick = dec_make(5, 1);
	in.tradeable = true;
	return state_add_instrument(st, &in);
}

void fws_fixture_init(struct fws_fixture *f)
{
	memset(f, 0, sizeof *f);
	state_init(&f->st);
	f->xbt = add(&f->st, "PF_XBTUSD", IK_PERP_LINEAR, 1, 4, "BTC", "USD");
	f->pi = add(&f->st, "PI_XBTUSD", IK_PERP_INVERSE, 1, 0, "BTC", "USD");
	f->eth = add(&f->st, "PF_ETHUSD", IK_PERP_LINEAR, 2, 3, "ETH", "USD");
	fut_ws_codec_init(&f->codec);
	state_listen(&f->st, recorder, &f->rec);
}

void fws_fixture_free(struct fws_fixture *f)
{
	fut_ws_codec_free(&f->codec);
	state_free(&f->st);
}

int fws_feed(struct fws_fixture *f, const char *json, struct fws_msg *out, struct kerr *err)
{
	return fut_ws_decode(&f->codec, &f->st, json, strlen(json), out, err);
}

void fws_feed_file(struct fws_fixture *f, const char *name, struct fws_msg *out)
{
	char path[256];
	snprintf(path, sizeof path, "fut_ws/%s", name);
	size_t len;
	char *text = kt_fixture_read(path, &len);
	struct kerr err = KERR_INIT;
	int rc = fut_ws_decode(&f->codec, &f->st, text, len, out, &err);
	free(text);
	if (rc != 0)
		fail_msg("%s: %s", name, err.msg);
}

void fws_dec_text(dec_t v, char *buf)
{
	dec_fmt_trim(v, buf, DEC_FMT_MAX);
}

void fws_level_text(struct fws_fixture *f, int instr, enum side side, size_t i, char *px, char *qty)
{
	const struct market *m = state_market_peek(&f->st, instr);
	assert_non_null(m);
	const struct book_level *lv = book_level_at(&m->book, side, i);
	assert_non_null(lv);
	fws_dec_text(book_px_dec(&m->book, lv->px), px);
	fws_dec_text(book_qty_dec(&m->book, lv->qty), qty);
}
