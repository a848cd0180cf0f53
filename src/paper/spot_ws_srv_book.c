/* spot_ws_srv_book: px events to Spot WS v2 feeds. Books are served per
 * (pair, depth) group from a shared view of the top D levels: after each px
 * batch the new top D is diffed against the view and one update is rendered
 * for the whole group. What the update holds is what makes the client's book
 * (apply every level, then cut to D) equal px's top D, so every checksum
 * verifies:
 *   - a level that is new or changed within the top D is sent;
 *   - a level that left the top D is sent as qty 0 only when it is gone from
 *     px's range entirely (removed, or the side now has fewer than D levels);
 *     one pushed below the D-th level by better levels is not (the client's
 *     cut drops it, as Kraken's does);
 *   - a deeper level that moves into range because one above was removed is
 *     sent like a new level. */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "paper/faults.h"
#include "paper/spot_ws_srv_int.h"

/* Is price a better than b on this side (bids: higher; asks: lower)? */
static bool better(int side, int64_t a, int64_t b)
{
	return side == ENGINE_BUY ? a > b : a < b;
}

/* px's top n levels of one side in integer units. */
static size_t fetch(struct spot_ws_srv *s, const struct px_instr *in, int side, size_t n,
                    struct swss_lvl *out)
{
	if (s->lv_cap < n)
		s->lv = xgrow(s->lv, &s->lv_cap, n, sizeof *s->lv);
	size_t got = px_depth(s->px, in, (enum engine_side)side, s->lv, n);
	size_t k = 0;
	for (size_t i = 0; i < got; i++) {
		if (dec_to_scaled(s->lv[i].price, (unsigned)in->price_dp, &out[k].px) ||
		    dec_to_scaled(s->lv[i].qty, (unsigned)in->qty_dp, &out[k].qty) ||
		    out[k].qty <= 0)
			continue;
		k++;
	}
	return k;
}

static struct swss_lvl *scratch(struct spot_ws_srv *s, int side, size_t n)
{
	if (s->chg_cap[side] < n)
		s->chg[side] = xgrow(s->chg[side], &s->chg_cap[side], n, sizeof *s->chg[side]);
	return s->chg[side];
}

/* Refresh one side of a view from px; the changes a subscriber needs are put
 * in *out (count *nout). */
static void diff_side(struct spot_ws_srv *s, const struct px_instr *in, struct swss_side *v,
                      int side, size_t depth, struct swss_lvl *out, size_t *nout)
{
	/* New top D into the second half of the scratch, the diff into the first. */
	struct swss_lvl *nw = out + 2 * depth;
	size_t nn = fetch(s, in, side, depth, nw);
	size_t i = 0, j = 0, k = 0;
	while (i < v->n || j < nn) {
		if (j < nn && (i >= v->n || better(side, nw[j].px, v->px[i]))) {
			out[k++] = nw[j++]; /* new in range */
		} else if (i < v->n && (j >= nn || better(side, v->px[i], nw[j].px))) {
			/* Gone from the top D: delete it unless it was only pushed below. */
			if (nn < depth || better(side, v->px[i], nw[nn - 1].px))
				out[k++] = (struct swss_lvl){v->px[i], 0};
			i++;
		} else {
			if (v->qty[i] != nw[j].qty)
				out[k++] = nw[j];
			i++;
			j++;
		}
	}
	for (size_t m = 0; m < nn; m++) {
		v->px[m] = nw[m].px;
		v->qty[m] = nw[m].qty;
	}
	v->n = nn;
	v->dirty = false;
	*nout = k;
}

static void view_alloc(struct swss_view *v, size_t depth)
{
	for (int side = 0; side < 2; side++) {
		v->side[side].px = xcalloc(depth, sizeof(int64_t));
		v->side[side].qty = xcalloc(depth, sizeof(int64_t));
		v->side[side].n = 0;
		v->side[side].dirty = true;
	}
}

static void view_release(struct swss_view *v)
{
	for (int side = 0; side < 2; side++) {
		free(v->side[side].px);
		free(v->side[side].qty);
	}
	memset(v, 0, sizeof *v);
}

void swss_free_views(struct spot_ws_srv *s)
{
	for (int id = 0; id < SWSS_NINSTR; id++)
		for (int di = 0; di < SWSS_NDEPTH; di++)
			if (s->view[id][di].subs)
				view_release(&s->view[id][di]);
}

/* Bring a group's view up to date and send the update to its subscribers. */
static void group_update(struct spot_ws_srv *s, const struct px_instr *in, int di)
{
	struct swss_view *v = &s->view[in->id][di];
	size_t depth = (size_t)swss_depths[di];
	size_t n[2] = {0, 0};
	for (int side = 0; side < 2; side++) {
		struct swss_lvl *out = scratch(s, side, 3 * depth);
		if (v->side[side].dirty)
			diff_side(s, in, &v->side[side], side, depth, out, &n[side]);
	}
	if (!n[0] && !n[1])
		return;
	uint32_t ck = swss_checksum(v);
	ck = faults_spot_checksum(s->p, ck); /* fault injection: make clients resync */
	swss_render_book(s, in, false, s->chg[ENGINE_BUY], n[ENGINE_BUY], s->chg[ENGINE_SELL],
	                 n[ENGINE_SELL], ck);
	for (size_t i = 0; i < s->ncli; i++)
		if (s->cli[i]->depth[in->id] == di + 1)
			swss_send(s, s->cli[i], true);
	sbuf_reset(&s->out);
}

void swss_book_join(struct spot_ws_srv *s, struct swss_client *c, const struct px_instr *in, int di,
                    bool snapshot)
{
	struct swss_view *v = &s->view[in->id][di];
	size_t depth = (size_t)swss_depths[di];
	if (v->subs++ == 0) {
		view_alloc(v, depth);
		size_t n;
		for (int side = 0; side < 2; side++)
			diff_side(s, in, &v->side[side], side, depth, scratch(s, side, 3 * depth),
			          &n);
	}
	if (!snapshot)
		return;
	for (int side = 0; side < 2; side++) {
		struct swss_lvl *out = scratch(s, side, 3 * depth);
		for (size_t i = 0; i < v->side[side].n; i++)
			out[i] = (struct swss_lvl){v->side[side].px[i], v->side[side].qty[i]};
	}
	uint32_t ck = swss_checksum(v);
	ck = faults_spot_checksum(s->p, ck);
	swss_render_book(s, in, true, s->chg[ENGINE_BUY], v->side[ENGINE_BUY].n,
	                 s->chg[ENGINE_SELL], v->side[ENGINE_SELL].n, ck);
	swss_send(s, c, false);
}

void swss_book_leave(struct spot_ws_srv *s, const struct px_instr *in, int di)
{
	struct swss_view *v = &s->view[in->id][di];
	if (v->subs && --v->subs == 0)
		view_release(v);
}

/* A level changed: mark the groups it can matter to. */
static void book_change(struct spot_ws_srv *s, const struct px_event *ev)
{
	const struct px_instr *in = ev->instr;
	int side = ev->book.side;
	int64_t price;
	if (dec_to_scaled(ev->book.price, (unsigned)in->price_dp, &price))
		return;
	for (int di = 0; di < SWSS_NDEPTH; di++) {
		struct swss_side *v = &s->view[in->id][di].side[side];
		if (!s->view[in->id][di].subs || v->dirty)
			continue;
		/* Below a full view's worst level nothing can change the top D. */
		if (v->n < (size_t)swss_depths[di] || !better(side, v->px[v->n - 1], price))
			v->dirty = true;
	}
}

static void bbo_check(struct spot_ws_srv *s, const struct px_instr *in)
{
	if (!s->bbo_subs[in->id])
		return;
	bool changed = false;
	for (int side = 0; side < 2; side++) {
		struct px_level l;
		int64_t p = 0, q = 0;
		if (px_best(s->px, in, (enum engine_side)side, &l) == 0) {
			dec_to_scaled(l.price, (unsigned)in->price_dp, &p);
			dec_to_scaled(l.qty, (unsigned)in->qty_dp, &q);
		}
		if (s->bbo[in->id][side][0] != p || s->bbo[in->id][side][1] != q)
			changed = true;
		s->bbo[in->id][side][0] = p;
		s->bbo[in->id][side][1] = q;
	}
	if (!changed)
		return;
	swss_render_ticker(s, in, false);
	for (size_t i = 0; i < s->ncli; i++)
		if (s->cli[i]->ticker[in->id] == SWSS_TICKER_BBO)
			swss_send(s, s->cli[i], true);
	sbuf_reset(&s->out);
}

static void trade_event(struct spot_ws_srv *s, const struct px_event *ev)
{
	const struct px_instr *in = ev->instr;
	swss_render_trade(s, in, ev->trade);
	for (size_t i = 0; i < s->ncli; i++)
		if (s->cli[i]->trade[in->id])
			swss_send(s, s->cli[i], true);
	sbuf_reset(&s->out);
	for (int ii = 0; ii < SWSS_NIV; ii++) {
		bool rendered = false;
		for (size_t i = 0; i < s->ncli; i++) {
			if (!(s->cli[i]->ohlc[in->id] & (1u << ii)))
				continue;
			if (!rendered)
				swss_render_ohlc(s, in, swss_intervals[ii], false);
			rendered = true;
			swss_send(s, s->cli[i], true);
		}
		sbuf_reset(&s->out);
	}
}

static void ticker_event(struct spot_ws_srv *s, const struct px_instr *in)
{
	bool rendered = false;
	for (size_t i = 0; i < s->ncli; i++) {
		if (s->cli[i]->ticker[in->id] != SWSS_TICKER_TRADES)
			continue;
		if (!rendered)
			swss_render_ticker(s, in, false);
		rendered = true;
		swss_send(s, s->cli[i], true);
	}
	sbuf_reset(&s->out);
}

/* Private events go to the connections of their account. */
static void private_event(struct spot_ws_srv *s, const struct px_event *ev)
{
	for (size_t i = 0; i < s->ncli; i++) {
		struct swss_client *c = s->cli[i];
		if (c->acct != ev->account || c->dead)
			continue;
		if (ev->kind == PX_EV_ORDER && c->executions) {
			swss_render_exec_event(s, c, ev);
			swss_send(s, c, false);
		} else if (ev->kind == PX_EV_SPOT_BALANCE && c->balances && ev->balance.ledger) {
			swss_render_balance_update(s, c, ev);
			swss_send(s, c, false);
		}
	}
}

/* px_reset emptied every book without level events: resend what changed. */
static void reset_views(struct spot_ws_srv *s)
{
	for (uint32_t id = 1; id < SWSS_NINSTR; id++) {
		const struct px_instr *in = px_instr_get(s->px, id);
		for (int di = 0; in && di < SWSS_NDEPTH; di++) {
			struct swss_view *v = &s->view[id][di];
			if (!v->subs)
				continue;
			v->side[0].dirty = v->side[1].dirty = true;
			group_update(s, in, di);
		}
	}
}

void swss_on_event(void *ctx, const struct px_event *ev)
{
	struct spot_ws_srv *s = ctx;
	if (ev->instr && ev->instr->product != PX_SPOT)
		return;
	switch (ev->kind) {
	case PX_EV_BOOK:
		book_change(s, ev);
		break;
	case PX_EV_BOOK_DONE:
		for (int di = 0; di < SWSS_NDEPTH; di++)
			if (s->view[ev->instr->id][di].subs)
				group_update(s, ev->instr, di);
		bbo_check(s, ev->instr);
		break;
	case PX_EV_TRADE:
		trade_event(s, ev);
		break;
	case PX_EV_TICKER:
		ticker_event(s, ev->instr);
		break;
	case PX_EV_RESET:
		reset_views(s);
		break;
	case PX_EV_ORDER:
	case PX_EV_SPOT_BALANCE:
		if (s->auth)
			private_event(s, ev);
		break;
	default:
		break;
	}
}
