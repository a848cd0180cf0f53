/* fut_rest_codec_int: helpers shared by the fut_rest_codec*.c files only
 * (token readers that tolerate null/absent fields, order-record decoding). */
#ifndef KT_KRAKEN_FUT_REST_CODEC_INT_H
#define KT_KRAKEN_FUT_REST_CODEC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/jscan.h"
#include "kraken/fut_rest_codec.h"

/* Is tok absent or JSON null? */
bool fr_absent(const struct jdoc *d, int tok);
/* Number or numeric string at tok -> out. Absent/null: *out = 0 and returns 1
 * (so optional fields need no extra check); malformed: -1 with err. */
int fr_dec(const struct jdoc *d, int tok, dec_t *out, struct kerr *err);
/* Like fr_dec but the field is required: absent is an error naming `what`. */
int fr_dec_req(const struct jdoc *d, int tok, const char *what, dec_t *out, struct kerr *err);
/* ISO time string (or integer epoch ms) -> epoch ms. Absent: 0 and returns 1. */
int fr_time(const struct jdoc *d, int tok, int64_t *ms, struct kerr *err);
/* String copy (empty for absent/null). Returns the length. */
size_t fr_str(const struct jdoc *d, int tok, char *buf, size_t cap);
/* Boolean; absent/null: false. */
bool fr_bool(const struct jdoc *d, int tok);
/* The payload member `key` of the reply (must be of type t), or -1 with a
 * FUT_E_SYNTAX error. Also fails with FUT_E_API for error replies. */
int fr_payload(const struct fut_doc *fd, const char *key, enum jtype t, struct kerr *err);

/* An order as Kraken describes it in orderEvents (OrderJson / OrderTriggerJson)
 * or orders/status (CachedOrderJson), decoded without touching the state. */
struct fr_order {
	char id[ORDER_ID_MAX];
	char cl_id[ORDER_ID_MAX];
	char symbol[INSTR_ID_MAX];
	enum side side;
	enum order_type type;
	enum tif tif;
	bool post_only, reduce_only, trigger;
	enum trigger_signal signal;
	dec_t qty, filled, limit, trigger_price;
	int64_t created_ms, updated_ms;
};
/* OrderJson (trigger=false) or OrderTriggerJson (trigger=true). */
int fr_order_decode(const struct jdoc *d, int tok, bool trigger, struct fr_order *o,
                    struct kerr *err);
/* Write a decoded order into the state with this status (and reason). */
void fr_order_apply(struct state *st, const struct fr_order *o, enum order_status status,
                    const char *reason);

/* Put "<prefix>: " before err's message (FUT_E_SYNTAX). Returns -1. */
int fr_prefix(struct kerr *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Wire names -> core enums; return 0 or -1. */
int fr_side(const struct jdoc *d, int tok, enum side *out);
enum trigger_signal fr_signal_parse(const char *s);

#endif
