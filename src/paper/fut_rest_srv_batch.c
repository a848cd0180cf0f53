/* fut_rest_srv_batch: batchorder, cancelallorders and cancelallordersafter of
 * the paper Futures REST adapter. A batch is read and checked whole before
 * its first instruction runs, so a malformed batch changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jscan.h"
#include "base/xalloc.h"
#include "paper/fut_rest_srv_int.h"

/* ---- cancelallorders ---- */

struct cancel_acc {
	struct jw ids, events;
	int n;
};

static void cancelled_one(void *arg, const struct px_order *o)
{
	struct cancel_acc *a = arg;
	jw_obj_begin(&a->ids);
	frs_ks(&a->ids, "order_id", o->id);
	if (o->cl_ord_id[0])
		frs_ks(&a->ids, "cliOrdId", o->cl_ord_id);
	jw_obj_end(&a->ids);
	jw_obj_begin(&a->events);
	frs_ks(&a->events, "type", "CANCEL");
	frs_ks(&a->events, "uid", o->id);
	frs_order_member(&a->events, o);
	jw_obj_end(&a->events);
	a->n++;
}

void frs_cancelall(struct frs *c)
{
	const char *sym = frs_arg(&c->args, "symbol");
	const struct px_instr *in = NULL;
	if (sym && sym[0] && !(in = px_instr_find(c->px, PX_FUTURES, sym))) {
		frs_error(c, "invalidArgument");
		return;
	}
	struct sbuf ids = SBUF_INIT, events = SBUF_INIT;
	struct cancel_acc a = {.n = 0};
	jw_init(&a.ids, &ids);
	jw_init(&a.events, &events);
	jw_arr_begin(&a.ids);
	jw_arr_begin(&a.events);
	px_cancel_all(c->px, c->acct, PX_FUTURES, in, ENGINE_R_CANCEL_ALL, cancelled_one, &a);
	jw_arr_end(&a.ids);
	jw_arr_end(&a.events);
	frs_ok_begin(c);
	jw_key(&c->w, "cancelStatus");
	jw_obj_begin(&c->w);
	frs_kt(&c->w, "receivedTime", c->now_ns);
	frs_ks(&c->w, "cancelOnly", in ? in->symbol : "all");
	frs_ks(&c->w, "status", a.n ? "cancelled" : "noOrdersToCancel");
	jw_key(&c->w, "cancelledOrders");
	jw_raw(&c->w, sbuf_str(&ids));
	jw_key(&c->w, "orderEvents");
	jw_raw(&c->w, sbuf_str(&events));
	jw_obj_end(&c->w);
	sbuf_free(&ids);
	sbuf_free(&events);
	frs_ok_end(c);
}

/* ---- cancelallordersafter ---- */

void frs_cancel_after(struct frs *c)
{
	const char *t = frs_arg(&c->args, "timeout");
	if (!t || !t[0]) {
		frs_error(c, "requiredArgumentMissing");
		return;
	}
	char *end;
	long long secs = strtoll(t, &end, 10);
	if (*end || secs < 0 || secs > 86400) {
		frs_error(c, "invalidArgument");
		return;
	}
	int64_t trigger = 0;
	struct kerr err = KERR_INIT;
	if (px_cancel_after(c->px, c->acct, PX_FUTURES, secs, &trigger, &err)) {
		frs_error(c, "invalidArgument");
		return;
	}
	frs_ok_begin(c);
	jw_key(&c->w, "status");
	jw_obj_begin(&c->w);
	frs_kt(&c->w, "currentTime", c->now_ns);
	if (trigger)
		frs_kt(&c->w, "triggerTime", trigger);
	else
		frs_ks(&c->w, "triggerTime", "0");
	jw_obj_end(&c->w);
	frs_ok_end(c);
}

/* ---- batchorder ---- */

enum batch_op { B_SEND, B_EDIT, B_CANCEL };

struct batch_item {
	enum batch_op op;
	struct urlform args; /* the instruction's members as text */
	const char *tag;
	union {
		struct frs_send send;
		struct frs_edit edit;
		struct frs_cancel cancel;
	};
};

/* One instruction object -> a form of its scalar members. */
static int item_form(const struct jdoc *d, int obj, struct urlform *f)
{
	size_t cap = jtok_size(d, obj) + 1;
	f->keys = xcalloc(cap, sizeof *f->keys);
	f->vals = xcalloc(cap, sizeof *f->vals);
	f->n = 0;
	for (int k = jfirst(d, obj); k >= 0; k = jnext(d, obj, k)) {
		int v = k + 1;
		enum jtype t = jtok_type(d, v);
		if (t == J_NULL)
			continue;
		if (t != J_STR && t != J_NUM && t != J_TRUE && t != J_FALSE)
			return -1;
		f->keys[f->n] = jtok_strdup(d, k);
		f->vals[f->n] = jtok_strdup(d, v); /* numbers and booleans: their raw text */
		f->n++;
	}
	return 0;
}

/* Read every instruction; NULL or the error code for the whole request. */
static const char *batch_read(struct frs *c, const struct jdoc *d, struct batch_item *items,
                              size_t n)
{
	int arr = jobj_get(d, 0, "batchOrder");
	size_t i = 0;
	for (int k = jfirst(d, arr); k >= 0 && i < n; k = jnext(d, arr, k), i++) {
		struct batch_item *it = &items[i];
		if (!jtok_is(d, k, J_OBJ) || item_form(d, k, &it->args))
			return "invalidArgument";
		const char *op = frs_arg(&it->args, "order");
		const char *why;
		it->tag = frs_arg(&it->args, "order_tag");
		if (!op)
			return "requiredArgumentMissing";
		if (!strcmp(op, "send")) {
			it->op = B_SEND;
			why = frs_parse_send(c, &it->args, &it->send);
			if (!why && !it->tag)
				why = "requiredArgumentMissing";
		} else if (!strcmp(op, "edit")) {
			it->op = B_EDIT;
			why = frs_parse_edit(&it->args, &it->edit);
		} else if (!strcmp(op, "cancel")) {
			it->op = B_CANCEL;
			why = frs_parse_cancel(&it->args, &it->cancel);
		} else {
			why = "invalidArgument";
		}
		if (why)
			return why;
	}
	return NULL;
}

/* A status object for an instruction px refused as malformed. */
static void refused(struct frs *c, struct jw *w, const struct batch_item *it, const char *code)
{
	jw_obj_begin(w);
	if (it->tag)
		frs_ks(w, "order_tag", it->tag);
	frs_ks(w, "status", code);
	frs_kt(w, "dateTimeReceived", c->now_ns);
	jw_key(w, "orderEvents");
	jw_arr_begin(w);
	jw_arr_end(w);
	jw_obj_end(w);
}

static void batch_run(struct frs *c, struct batch_item *items, size_t n)
{
	frs_ok_begin(c);
	jw_key(&c->w, "batchStatus");
	jw_arr_begin(&c->w);
	for (size_t i = 0; i < n; i++) {
		struct batch_item *it = &items[i];
		const char *why = NULL;
		/* Each entry is written to its own buffer first: a refusal writes nothing. */
		struct sbuf one = SBUF_INIT;
		struct jw w;
		jw_init(&w, &one);
		if (it->op == B_SEND)
			why = frs_exec_send(c, &it->send, &w, it->tag ? it->tag : "");
		else if (it->op == B_EDIT)
			why = frs_exec_edit(c, &it->edit, &w);
		else
			frs_exec_cancel(c, &it->cancel, &w);
		if (why)
			refused(c, &c->w, it, why);
		else
			jw_raw(&c->w, sbuf_str(&one));
		sbuf_free(&one);
	}
	jw_arr_end(&c->w);
	frs_ok_end(c);
}

void frs_batchorder(struct frs *c)
{
	const char *json = frs_arg(&c->args, "json");
	if (!json || !json[0]) {
		frs_error(c, "requiredArgumentMissing");
		return;
	}
	struct jdoc d;
	jdoc_init(&d);
	if (jdoc_parse(&d, json, strlen(json), NULL) || !jtok_is(&d, 0, J_OBJ) ||
	    !jtok_is(&d, jobj_get(&d, 0, "batchOrder"), J_ARR)) {
		jdoc_free(&d);
		frs_error(c, "Json Parse Error");
		return;
	}
	size_t n = jtok_size(&d, jobj_get(&d, 0, "batchOrder"));
	struct batch_item *items = xcalloc(n + 1, sizeof *items);
	const char *why = n ? batch_read(c, &d, items, n) : "requiredArgumentMissing";
	if (why)
		frs_error(c, why);
	else
		batch_run(c, items, n);
	for (size_t i = 0; i < n; i++)
		urlform_free(&items[i].args);
	free(items);
	jdoc_free(&d);
}
