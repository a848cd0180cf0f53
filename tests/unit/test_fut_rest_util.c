/* test_fut_rest_util: helpers shared by the Futures REST tests. */
#include "tests/unit/test_fut_rest_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"

void frx_load(struct frx *f, const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "fut_rest/%s", name);
	f->buf = kt_fixture_read(path, &f->len);
	fut_doc_init(&f->fd);
	struct kerr err = KERR_INIT;
	if (fut_doc_parse(&f->fd, f->buf, f->len, &err))
		fail_msg("%s: %s", name, err.msg);
}

int frx_text(struct frx *f, const char *text, struct kerr *err)
{
	f->len = strlen(text);
	f->buf = malloc(f->len + 1);
	assert_non_null(f->buf);
	memcpy(f->buf, text, f->len + 1);
	fut_doc_init(&f->fd);
	return fut_doc_parse(&f->fd, f->buf, f->len, err);
}

void frx_free(struct frx *f)
{
	fut_doc_free(&f->fd);
	free(f->buf);
	f->buf = NULL;
}

void frx_state(struct state *st)
{
	state_init(st);
	struct frx f;
	frx_load(&f, "instruments.json");
	struct kerr err = KERR_INIT;
	if (fut_decode_instruments(&f.fd, st, NULL, &err))
		fail_msg("instruments: %s", err.msg);
	frx_free(&f);
}

int frx_dec_is(dec_t v, const char *s)
{
	dec_t want;
	if (dec_parse(s, (size_t)-1, &want, NULL))
		return 0;
	if (dec_eq(v, want))
		return 1;
	char b[DEC_FMT_MAX];
	dec_fmt(v, -1, b, sizeof b);
	print_error("got %s, want %s\n", b, s);
	return 0;
}

void frx_count_events(void *ctx, const struct state_event *ev)
{
	int *counts = ctx;
	counts[ev->kind]++;
}
