/* record: writing and reading recording lines. */
#include "kraken/record.h"

#include <string.h>

#include "base/jwrite.h"
#include "base/sbuf.h"
#include "core/state.h"

void record_write_msg(FILE *fp, uint64_t t_ms, const char *src, const char *msg, size_t len)
{
	struct jdoc d;
	jdoc_init(&d);
	bool valid = jdoc_parse(&d, msg, len, NULL) == 0;
	jdoc_free(&d);
	struct sbuf b = SBUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_key(&w, "t");
	jw_u64(&w, t_ms);
	jw_key(&w, "src");
	jw_str(&w, src);
	if (valid) {
		jw_key(&w, "msg");
		/* Keep the message byte for byte, minus any line breaks in it. */
		struct sbuf one = SBUF_INIT;
		for (size_t i = 0; i < len; i++)
			if (msg[i] != '\n' && msg[i] != '\r')
				sbuf_addc(&one, msg[i]);
		jw_raw(&w, one.p ? one.p : "null");
		sbuf_free(&one);
	} else {
		jw_key(&w, "raw");
		jw_strn(&w, msg, len);
	}
	jw_obj_end(&w);
	sbuf_addc(&b, '\n');
	fwrite(b.p, 1, b.len, fp);
	fflush(fp);
	sbuf_free(&b);
}

static void put_dec(struct jw *w, const char *k, dec_t v)
{
	jw_key(w, k);
	jw_dec_str(w, v);
}

void record_write_instruments(FILE *fp, uint64_t t_ms, const struct state *st)
{
	struct sbuf b = SBUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_key(&w, "t");
	jw_u64(&w, t_ms);
	jw_key(&w, "src");
	jw_str(&w, "instruments");
	jw_key(&w, "list");
	jw_arr_begin(&w);
	for (size_t i = 0; i < st->ninstr; i++) {
		const struct instrument *in = &st->instr[i];
		jw_obj_begin(&w);
		jw_key(&w, "id"); jw_str(&w, in->id);
		jw_key(&w, "rest_id"); jw_str(&w, in->rest_id);
		jw_key(&w, "altname"); jw_str(&w, in->altname);
		jw_key(&w, "base"); jw_str(&w, in->base);
		jw_key(&w, "quote"); jw_str(&w, in->quote);
		jw_key(&w, "base_rest"); jw_str(&w, in->base_rest);
		jw_key(&w, "quote_rest"); jw_str(&w, in->quote_rest);
		jw_key(&w, "product"); jw_i64(&w, in->product);
		jw_key(&w, "kind"); jw_i64(&w, in->kind);
		put_dec(&w, "tick", in->tick);
		put_dec(&w, "lot", in->lot);
		put_dec(&w, "min_size", in->min_size);
		put_dec(&w, "min_cost", in->min_cost);
		jw_key(&w, "price_dp"); jw_i64(&w, in->price_dp);
		jw_key(&w, "qty_dp"); jw_i64(&w, in->qty_dp);
		jw_key(&w, "cost_dp"); jw_i64(&w, in->cost_dp);
		put_dec(&w, "contract_size", in->contract_size);
		put_dec(&w, "fee_maker", in->fee_maker);
		put_dec(&w, "fee_taker", in->fee_taker);
		jw_key(&w, "expiry_ms"); jw_i64(&w, in->expiry_ms);
		jw_key(&w, "tradeable"); jw_bool(&w, in->tradeable);
		jw_key(&w, "tiers");
		jw_arr_begin(&w);
		for (int t = 0; t < in->ntiers; t++) {
			jw_arr_begin(&w);
			jw_dec_str(&w, in->tiers[t].size);
			jw_dec_str(&w, in->tiers[t].initial);
			jw_dec_str(&w, in->tiers[t].maintenance);
			jw_arr_end(&w);
		}
		jw_arr_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	sbuf_addc(&b, '\n');
	fwrite(b.p, 1, b.len, fp);
	fflush(fp);
	sbuf_free(&b);
}

static void get_str(const struct jdoc *d, int o, const char *k, char *buf, size_t cap)
{
	buf[0] = '\0';
	int t = jobj_get(d, o, k);
	if (t >= 0)
		jtok_str(d, t, buf, cap);
}

static dec_t get_dec(const struct jdoc *d, int o, const char *k)
{
	dec_t v = dec_zero();
	int t = jobj_get(d, o, k);
	if (t >= 0)
		jtok_dec(d, t, &v, NULL);
	return v;
}

static int64_t get_i64(const struct jdoc *d, int o, const char *k)
{
	int64_t v = 0;
	int t = jobj_get(d, o, k);
	if (t >= 0)
		jtok_i64(d, t, &v);
	return v;
}

int record_read_instruments(const struct jdoc *d, int list, struct state *st, struct kerr *err)
{
	if (!jtok_is(d, list, J_ARR))
		return kerr_set(err, 1, "the instruments line has no list");
	for (int o = jfirst(d, list); o >= 0; o = jnext(d, list, o)) {
		struct instrument in;
		memset(&in, 0, sizeof in);
		get_str(d, o, "id", in.id, sizeof in.id);
		if (!in.id[0])
			return kerr_set(err, 1, "an instrument without an id");
		get_str(d, o, "rest_id", in.rest_id, sizeof in.rest_id);
		get_str(d, o, "altname", in.altname, sizeof in.altname);
		get_str(d, o, "base", in.base, sizeof in.base);
		get_str(d, o, "quote", in.quote, sizeof in.quote);
		get_str(d, o, "base_rest", in.base_rest, sizeof in.base_rest);
		get_str(d, o, "quote_rest", in.quote_rest, sizeof in.quote_rest);
		in.product = get_i64(d, o, "product") ? PRODUCT_FUTURES : PRODUCT_SPOT;
		int64_t k = get_i64(d, o, "kind");
		in.kind = k >= IK_SPOT && k <= IK_FUTURE_INVERSE ? (enum instr_kind)k : IK_SPOT;
		in.tick = get_dec(d, o, "tick");
		in.lot = get_dec(d, o, "lot");
		in.min_size = get_dec(d, o, "min_size");
		in.min_cost = get_dec(d, o, "min_cost");
		int64_t pdp = get_i64(d, o, "price_dp"), qdp = get_i64(d, o, "qty_dp");
		if (pdp < 0 || pdp > 18 || qdp < 0 || qdp > 18)
			return kerr_set(err, 1, "%s: impossible precisions", in.id);
		in.price_dp = (uint8_t)pdp;
		in.qty_dp = (uint8_t)qdp;
		in.cost_dp = (uint8_t)(get_i64(d, o, "cost_dp") & 0x1f);
		in.contract_size = get_dec(d, o, "contract_size");
		in.fee_maker = get_dec(d, o, "fee_maker");
		in.fee_taker = get_dec(d, o, "fee_taker");
		in.expiry_ms = get_i64(d, o, "expiry_ms");
		bool tr = false;
		jtok_bool(d, jobj_get(d, o, "tradeable"), &tr);
		in.tradeable = tr;
		int tiers = jobj_get(d, o, "tiers");
		for (int t = jfirst(d, tiers); t >= 0 && in.ntiers < MARGIN_TIERS_MAX; t = jnext(d, tiers, t)) {
			struct margin_tier *mt = &in.tiers[in.ntiers++];
			jtok_dec(d, jarr_at(d, t, 0), &mt->size, NULL);
			jtok_dec(d, jarr_at(d, t, 1), &mt->initial, NULL);
			jtok_dec(d, jarr_at(d, t, 2), &mt->maintenance, NULL);
		}
		state_add_instrument(st, &in);
	}
	return 0;
}
