/* engine_int: the matching engine's private structures, shared by its files
 * (engine.c, engine_book.c, engine_map.c, engine_trigger.c, engine_match.c,
 * engine_amend.c). Nothing outside src/paper/engine*.c includes this. */
#ifndef KT_PAPER_ENGINE_INT_H
#define KT_PAPER_ENGINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "paper/engine.h"

#define ENGINE_NO_IDX    SIZE_MAX
#define ENGINE_MAX_QTY   (INT64_C(1) << 60)
#define ENGINE_MAX_PRICE (INT64_C(1) << 60)

struct elevel;
struct eacct;

/* Work queued during a call and run before it returns. */
enum equeue_kind { EQ_NONE, EQ_ACTIVATE, EQ_PLACE };

struct eorder {
	struct engine_order pub;      /* first: events hand out &pub */
	struct eorder *prev, *next;   /* FIFO at the level; `next` also links free orders */
	struct elevel *level;         /* NULL unless resting */
	struct eorder *aprev, *anext; /* the account's list */
	struct eacct *acct;           /* NULL until accepted */
	struct eorder *qnext;         /* work queue */
	size_t trig_idx;              /* index in its trigger heap / trailing array */
	size_t exp_idx;               /* index in the expiry heap */
	int8_t trig_box;              /* which trigger container holds it, -1 none */
	uint8_t qkind;                /* enum equeue_kind while queued */
	bool live;                    /* in the id map and account list */
};

/* One price level: FIFO of resting orders, visible total. */
struct elevel {
	int64_t price;
	int64_t qty; /* sum of `shown` */
	uint32_t count;
	struct eorder *head, *tail;
	uint32_t dirty_gen; /* == engine gen: dirty_idx is this call's entry */
	uint32_t dirty_idx;
	struct elevel *free_next;
};

/* One side: levels sorted so that the best is last (bids ascending, asks
 * descending); most activity is near the top, so inserts move few pointers. */
struct eside {
	struct elevel **lv;
	size_t n, cap;
};

/* A changed level in the current call (for the LEVEL events). */
struct edirty {
	struct elevel *lv; /* NULL once the level is gone */
	int64_t price;
	int64_t old_qty;
	enum engine_side side;
};

/* Binary heap of orders with their index kept in the order. */
enum eheap_kind { EHEAP_TRIG_MIN, EHEAP_TRIG_MAX, EHEAP_EXPIRY };
struct eheap {
	struct eorder **v;
	size_t n, cap;
	enum eheap_kind kind;
};

/* Trailing orders of one reference: scanned on every move of that price. */
struct etrail {
	struct eorder **v;
	size_t n, cap;
};

/* Open-addressing map id -> order. */
struct eidmap {
	struct eorder **slot;
	size_t cap, n; /* cap is a power of two */
};

struct eacct {
	uint32_t account;
	size_t n;
	struct eorder *head;
};

/* Open-addressing map account -> struct eacct (never shrinks). */
struct eacmap {
	struct eacct **slot;
	size_t cap, n;
};

struct engine {
	struct engine_instrument meta;
	char symbol[32];
	struct engine_ops ops;
	void *ctx;

	struct eside side[2];
	struct eidmap ids;
	struct eacmap accts;
	/* [ref][0]: fire when ref >= trigger (min-heap); [ref][1]: when <= (max-heap) */
	struct eheap trig[ENGINE_REF_COUNT][2];
	struct etrail trail[ENGINE_REF_COUNT];
	struct eheap expiry;

	int64_t ref[ENGINE_REF_COUNT];
	bool has_ref[ENGINE_REF_COUNT];
	int64_t now;
	uint64_t next_id, seq, trade_id;

	/* allocation pools */
	struct eorder *free_orders;
	struct elevel *free_levels;
	void **chunks;
	size_t nchunks, chunks_cap;

	/* the call in progress */
	bool busy;
	uint32_t gen;
	struct edirty *dirty;
	size_t ndirty, dirty_cap;
	struct eorder *qhead, *qtail;
	/* the order whose outcome the public call reports */
	uint64_t watch_id;
	struct engine_result *watch;
};

/* engine.c */
void engine_emit(struct engine *eng, struct engine_event *ev);
void engine_emit_order(struct engine *eng, enum engine_ev_kind kind, struct eorder *o,
                       enum engine_update what);
struct eorder *engine_order_alloc(struct engine *eng);
void engine_order_release(struct engine *eng, struct eorder *o);
void engine_queue_push(struct engine *eng, struct eorder *o, enum equeue_kind kind);
/* Prices derived from offsets, rounded onto the tick. */
int64_t engine_offset_amount(int64_t base, const struct engine_offset *off);
int64_t engine_round_tick(const struct engine *eng, int64_t price, enum engine_side side);
bool engine_type_is_market(enum engine_type t);
bool engine_type_has_trigger(enum engine_type t);
bool engine_type_is_trailing(enum engine_type t);
bool engine_type_has_limit(enum engine_type t);
/* Record o's state in the result of the current call if it is the watched order. */
void engine_watch_note(struct engine *eng, const struct eorder *o);
/* Begin/end a mutating call: the end runs queued work and emits LEVEL events. */
int engine_op_begin(struct engine *eng, struct kerr *err);
void engine_op_end(struct engine *eng);
/* A new order from a request (already checked); not yet in any index. */
struct eorder *engine_order_from_req(struct engine *eng, const struct engine_req *req);
/* Validation of a price, a trigger and offsets for `type` (requests, closes, amends). */
int engine_check_price(const struct engine *eng, int64_t price, const char *what, struct kerr *err);
int engine_check_qty(const struct engine *eng, int64_t qty, struct kerr *err);
int engine_check_offset(const struct engine *eng, const struct engine_offset *off, bool trail,
                        struct kerr *err);

/* engine_book.c */
void ebook_init(struct engine *eng);
void ebook_free(struct engine *eng);
struct elevel *ebook_best(const struct engine *eng, enum engine_side side);
struct elevel *ebook_find(const struct engine *eng, enum engine_side side, int64_t price);
/* Append o (its `shown` set) at the back of its price level. */
void ebook_append(struct engine *eng, struct eorder *o);
/* Take o out of its level (removing the level when it empties). */
void ebook_unlink(struct engine *eng, struct eorder *o);
/* Change the visible quantity of a resting order in place (priority kept). */
void ebook_set_shown(struct engine *eng, struct eorder *o, int64_t shown);
/* Move o to the back of its level (iceberg refill), shown set to `shown`. */
void ebook_requeue(struct engine *eng, struct eorder *o, int64_t shown);
/* Record the level's quantity before a change, once per call. */
void ebook_touch(struct engine *eng, struct elevel *lv, enum engine_side side);
/* Emit one LEVEL event per level changed in this call. */
void ebook_flush(struct engine *eng);

/* engine_map.c */
void idmap_init(struct eidmap *m);
void idmap_free(struct eidmap *m);
void idmap_put(struct eidmap *m, struct eorder *o);
struct eorder *idmap_get(const struct eidmap *m, uint64_t id);
void idmap_del(struct eidmap *m, uint64_t id);
void acmap_free(struct eacmap *m);
struct eacct *acmap_get(const struct eacmap *m, uint32_t account);
struct eacct *acmap_get_or_add(struct eacmap *m, uint32_t account);
void acct_link(struct eacct *a, struct eorder *o);
void acct_unlink(struct eacct *a, struct eorder *o);

/* engine_trigger.c */
void trig_init(struct engine *eng);
void trig_free(struct engine *eng);
/* Start watching a pending trigger order (may fire at once). */
void trig_add(struct engine *eng, struct eorder *o);
void trig_remove(struct engine *eng, struct eorder *o);
/* A reference price moved: follow trailing stops and queue fired orders. */
void trig_on_price(struct engine *eng, enum engine_ref ref, int64_t price);
/* Recompute a trailing order's trigger from its peak (after an amend). */
void trig_trail_reset(struct engine *eng, struct eorder *o);
void expiry_add(struct engine *eng, struct eorder *o);
void expiry_remove(struct engine *eng, struct eorder *o);
struct eorder *expiry_top(const struct engine *eng);

/* engine_match.c */
/* Admit, accept and execute a new order (or reject it). */
void match_place(struct engine *eng, struct eorder *o, enum engine_admit_phase phase,
                 bool admitted);
/* Run an order that is accepted and not pending: match, then rest or close. */
void match_execute(struct engine *eng, struct eorder *o);
/* A fired trigger order: admit again, then execute. */
void match_activate(struct engine *eng, struct eorder *o);
/* Close o (any state) with a final status, emit CLOSED, place its close child. */
void match_close(struct engine *eng, struct eorder *o, enum engine_status st, int reason);
/* Would an order on `side` at `limit` take from the other side right now? */
bool match_would_take(const struct engine *eng, enum engine_side side, int64_t limit);
/* Quantity a reduce-only order may still trade (0: none). */
int64_t match_reduce_allowed(struct engine *eng, const struct eorder *o);

#endif
