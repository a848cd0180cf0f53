/* fut_ws_int: helpers shared by the Futures WS codec files (fut_ws_codec.c,
 * fut_ws_market.c, fut_ws_account.c, fut_ws_orders.c). Not a public API. */
#ifndef KT_KRAKEN_FUT_WS_INT_H
#define KT_KRAKEN_FUT_WS_INT_H

#include "kraken/fut_ws_codec.h"

/* One decode call's context. */
struct fws_ctx {
	struct fut_ws_codec *c;
	struct state *st;
	const struct jdoc *d;
	struct fws_msg *out;
	struct kerr *err;
};

/* Errors: fill ctx->err, return -1. */
int fws_fail(struct fws_ctx *x, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Field readers. `req_*` fail when the field is missing; `opt_*` return 0 and
 * leave *has false (when given) if the field is missing or null. All fail on a
 * present field of the wrong type or an inexact number. */
int fws_req_dec(struct fws_ctx *x, int obj, const char *key, dec_t *out);
int fws_opt_dec(struct fws_ctx *x, int obj, const char *key, dec_t *out, bool *has);
int fws_tok_dec(struct fws_ctx *x, int tok, const char *what, dec_t *out);
/* Like fws_tok_dec, but never rounds (book prices and sizes): more than 18
 * decimals is an error. fws_tok_dec rounds such values half-even to 18. */
int fws_tok_dec_exact(struct fws_ctx *x, int tok, const char *what, dec_t *out);
int fws_req_ms(struct fws_ctx *x, int obj, const char *key, int64_t *out);
int fws_opt_ms(struct fws_ctx *x, int obj, const char *key, int64_t *out);
int fws_tok_ms(struct fws_ctx *x, int tok, const char *what, int64_t *out);
int fws_opt_bool(struct fws_ctx *x, int obj, const char *key, bool *out, bool *has);
/* A string field copied into buf (cap bytes); missing -> "" (opt) or error (req). */
int fws_req_str(struct fws_ctx *x, int obj, const char *key, char *buf, size_t cap);
int fws_opt_str(struct fws_ctx *x, int obj, const char *key, char *buf, size_t cap);
/* An array field: its token, or -1 when missing (opt) / error (req). */
int fws_req_arr(struct fws_ctx *x, int obj, const char *key);

/* Instrument index of a futures symbol in any case ("pf_xbtusd"), or -1. */
int fws_instr(const struct state *st, const char *sym, size_t len);
int fws_instr_tok(struct fws_ctx *x, int tok);

/* Grow the codec's generic scratch array to n elements of size bytes. */
void *fws_scratch(struct fut_ws_codec *c, size_t n, size_t size);

/* Feed handlers: obj is the root object. */
int fws_book_snapshot(struct fws_ctx *x, int obj);
int fws_book_delta(struct fws_ctx *x, int obj);
int fws_ticker(struct fws_ctx *x, int obj);
int fws_trades(struct fws_ctx *x, int obj, bool snapshot);
int fws_orders(struct fws_ctx *x, int obj, bool snapshot);
int fws_fills(struct fws_ctx *x, int obj);
int fws_positions(struct fws_ctx *x, int obj);
int fws_balances(struct fws_ctx *x, int obj, bool snapshot);
int fws_account_log(struct fws_ctx *x, int obj, bool snapshot);
int fws_notifications(struct fws_ctx *x, int obj);

#endif
