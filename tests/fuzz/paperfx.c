/* paperfx: the in-memory paper exchange of the paper fuzz targets (paperfx.h). */
#include "tests/fuzz/paperfx.h"

#include <stdlib.h>
#include <string.h>

#include "paper/px.h"

#define T0 1709287200000000000LL /* 2024-03-01T10:00:00Z */

static int64_t fx_clock(void *ctx)
{
	return ((struct paperfx *)ctx)->now_ns;
}

static dec_t D(const char *s)
{
	dec_t v;
	if (dec_parse(s, (size_t)-1, &v, NULL) != 0)
		abort();
	return v;
}

/* instrument, side, price, qty */
static const struct {
	int product;
	const char *instr;
	enum engine_side side;
	const char *price, *qty;
} makers[] = {
        {PX_SPOT, "BTC/USD", ENGINE_BUY, "60000", "1.5"},
        {PX_SPOT, "BTC/USD", ENGINE_BUY, "59990.5", "0.25"},
        {PX_SPOT, "BTC/USD", ENGINE_SELL, "60010", "1.2"},
        {PX_SPOT, "BTC/USD", ENGINE_SELL, "60020.1", "3"},
        {PX_FUTURES, "PF_XBTUSD", ENGINE_BUY, "60000", "2"},
        {PX_FUTURES, "PF_XBTUSD", ENGINE_SELL, "60015", "2"},
        {PX_SPOT, "BTC/USD", ENGINE_SELL, "60000", "0.1"},     /* takes a bid */
        {PX_FUTURES, "PF_XBTUSD", ENGINE_BUY, "60015", "0.5"}, /* takes an ask */
};
#define NMAKERS (sizeof makers / sizeof makers[0])

void paperfx_market_order(struct paperfx *fx, unsigned index)
{
	unsigned i = index % NMAKERS;
	struct px_place pl;
	memset(&pl, 0, sizeof pl);
	pl.account = PX_MARKET;
	pl.instr = px_instr_find(fx->p->px, makers[i].product, makers[i].instr);
	if (!pl.instr)
		abort();
	pl.side = makers[i].side;
	pl.type = ENGINE_T_LIMIT;
	pl.qty = D(makers[i].qty);
	pl.price = px_price_abs(D(makers[i].price));
	struct px_result res;
	(void)px_place(fx->p->px, &pl, &res, NULL);
}

void paperfx_open(struct paperfx *fx)
{
	static bool loop_ready;
	if (!loop_ready) {
		uv_loop_init(&fx->loop);
		loop_ready = true;
	}
	fx->now_ns = T0;
	struct paper_balance bal[] = {
	        {"USD", dec_from_int(100000), false},
	        {"BTC", dec_from_int(3), false},
	        {"USD", dec_from_int(100000), true},
	};
	struct paper_opts po = {
	        .state_path = "",
	        .reset = true,
	        .balances = bal,
	        .nbalances = sizeof bal / sizeof bal[0],
	        .id_seed = 42,
	        .clock = fx_clock,
	        .clock_ctx = fx,
	};
	struct kerr err = KERR_INIT;
	fx->p = paper_create(&fx->loop, &po, &err);
	if (!fx->p)
		abort();
	for (unsigned i = 0; i < 6; i++)
		paperfx_market_order(fx, i);
}

void paperfx_advance(struct paperfx *fx, int64_t ms)
{
	fx->now_ns += ms * 1000000;
	paper_tick(fx->p);
}

void paperfx_close(struct paperfx *fx)
{
	paper_destroy(fx->p);
	fx->p = NULL;
	uv_run(&fx->loop, UV_RUN_NOWAIT);
}
