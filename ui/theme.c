/* theme: slot table, built-in defaults and the libconfig theme loader. */
#include "ui/theme.h"

#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ui/term.h"

static const char *const slot_names[] = {
#define X(name, doc) #name,
	THEME_SLOTS(X)
#undef X
};
static const char *const slot_docs[] = {
#define X(name, doc) doc,
	THEME_SLOTS(X)
#undef X
};

const char *theme_slot_name(enum theme_slot s) { return s < SLOT_COUNT ? slot_names[s] : "?"; }
const char *theme_slot_doc(enum theme_slot s) { return s < SLOT_COUNT ? slot_docs[s] : "?"; }

/* One slot's colours for each depth. */
struct slot_spec {
	int fg256, bg256; /* TC_DEFAULT = same as fg/bg */
	int fg, bg;       /* 0-15 or TC_DEFAULT */
	unsigned attrs;   /* in colour */
	unsigned mono;    /* without colour */
	int set;
};

#define D TC_DEFAULT
/* The built-in dark theme: readable on a dark background in every depth. */
static const struct slot_spec builtin[SLOT_COUNT] = {
	[SLOT_normal] = {D, D, D, D, 0, 0, 1},
	[SLOT_dim] = {244, D, 8, D, 0, TA_DIM, 1},
	[SLOT_title] = {252, D, 7, D, TA_BOLD, TA_BOLD, 1},
	[SLOT_title_focus] = {231, 25, 15, 4, TA_BOLD, TA_REVERSE | TA_BOLD, 1},
	[SLOT_border] = {240, D, 8, D, 0, 0, 1},
	[SLOT_border_focus] = {33, D, 12, D, 0, TA_BOLD, 1},
	[SLOT_header] = {248, D, 7, D, TA_UNDERLINE, TA_UNDERLINE, 1},
	[SLOT_selection] = {231, 238, 15, 8, 0, TA_REVERSE, 1},
	[SLOT_bid] = {78, D, 10, D, 0, TA_BOLD, 1},
	[SLOT_ask] = {203, D, 9, D, 0, 0, 1},
	[SLOT_bid_bar] = {D, 22, D, 2, 0, TA_REVERSE, 1},
	[SLOT_ask_bar] = {D, 52, D, 1, 0, TA_REVERSE, 1},
	[SLOT_own_order] = {226, D, 11, D, TA_BOLD, TA_BOLD | TA_UNDERLINE, 1},
	[SLOT_spread] = {250, 236, 7, D, 0, TA_DIM, 1},
	[SLOT_up] = {78, D, 10, D, 0, TA_BOLD, 1},
	[SLOT_down] = {203, D, 9, D, 0, TA_UNDERLINE, 1},
	[SLOT_profit] = {78, D, 10, D, 0, TA_BOLD, 1},
	[SLOT_loss] = {203, D, 9, D, 0, TA_UNDERLINE, 1},
	[SLOT_warning] = {214, D, 11, D, TA_BOLD, TA_BOLD | TA_REVERSE, 1},
	[SLOT_error] = {196, D, 9, D, TA_BOLD, TA_BOLD | TA_REVERSE, 1},
	[SLOT_ok] = {78, D, 10, D, 0, 0, 1},
	[SLOT_live_badge] = {231, 160, 15, 1, TA_BOLD, TA_REVERSE | TA_BOLD | TA_BLINK, 1},
	[SLOT_paper_badge] = {16, 45, 0, 6, TA_BOLD, TA_REVERSE, 1},
	[SLOT_armed] = {16, 214, 0, 3, TA_BOLD, TA_REVERSE | TA_BOLD, 1},
	[SLOT_status_bar] = {252, 236, 7, 4, 0, TA_REVERSE, 1},
	[SLOT_message] = {252, D, 7, D, 0, 0, 1},
	[SLOT_input] = {231, 24, 15, 4, 0, TA_UNDERLINE, 1},
	[SLOT_input_error] = {203, D, 9, D, TA_BOLD, TA_BOLD, 1},
	[SLOT_chart_up] = {78, D, 10, D, 0, 0, 1},
	[SLOT_chart_down] = {203, D, 9, D, 0, TA_DIM, 1},
	[SLOT_tab] = {248, 236, 7, D, 0, 0, 1},
	[SLOT_tab_active] = {231, 25, 15, 4, TA_BOLD, TA_REVERSE, 1},
	[SLOT_alert] = {16, 226, 0, 11, TA_BOLD, TA_REVERSE | TA_BLINK, 1},
};
#undef D

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue",
	"bright-magenta", "bright-cyan", "bright-white"};

int theme_color_parse(const char *s, int *out)
{
	if (strcasecmp(s, "default") == 0) {
		*out = TC_DEFAULT;
		return 0;
	}
	for (int i = 0; i < 16; i++) {
		if (strcasecmp(s, color_names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	if (strcasecmp(s, "grey") == 0 || strcasecmp(s, "gray") == 0) {
		*out = 8;
		return 0;
	}
	char *end;
	long v = strtol(s, &end, 10);
	if (*s && !*end && v >= 0 && v <= 255) {
		*out = (int)v;
		return 0;
	}
	return -1;
}

static int attrs_parse(const char *s, unsigned *out)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {{"bold", TA_BOLD}, {"dim", TA_DIM}, {"reverse", TA_REVERSE},
		     {"underline", TA_UNDERLINE}, {"blink", TA_BLINK}, {"none", 0}};
	char buf[128];
	snprintf(buf, sizeof buf, "%s", s);
	unsigned a = 0;
	for (char *tok = strtok(buf, ", "); tok; tok = strtok(NULL, ", ")) {
		size_t i;
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strcasecmp(tok, names[i].name) == 0)
				break;
		if (i == sizeof names / sizeof names[0])
			return -1;
		a |= names[i].bit;
	}
	*out = a;
	return 0;
}

static void make_styles(struct theme *th, struct term *t, const struct slot_spec *spec)
{
	enum term_depth d = term_depth(t);
	for (int i = 0; i < SLOT_COUNT; i++) {
		const struct slot_spec *s = &spec[i];
		if (d == TERM_MONO) {
			th->style[i] = term_style(t, TC_DEFAULT, TC_DEFAULT, s->mono);
		} else if (d == TERM_256) {
			int fg = s->fg256 != TC_DEFAULT ? s->fg256 : s->fg;
			int bg = s->bg256 != TC_DEFAULT ? s->bg256 : s->bg;
			th->style[i] = term_style(t, fg, bg, s->attrs);
		} else {
			th->style[i] = term_style(t, s->fg, s->bg, s->attrs);
		}
	}
}

void theme_builtin(struct theme *th, struct term *t)
{
	snprintf(th->name, sizeof th->name, "dark");
	make_styles(th, t, builtin);
}

/* Read one colour setting; returns -1 (with err) when it is malformed. */
static int read_color(config_setting_t *slot, const char *key, int *out, const char *file,
		      struct kerr *err)
{
	config_setting_t *c = config_setting_get_member(slot, key);
	if (!c)
		return 0;
	int v;
	if (config_setting_type(c) == CONFIG_TYPE_INT) {
		v = config_setting_get_int(c);
		if (v < 0 || v > 255)
			return kerr_set(err, 1, "%s:%d: %s.%s: colour numbers go from 0 to 255", file,
					config_setting_source_line(c), config_setting_name(slot), key);
	} else if (config_setting_type(c) == CONFIG_TYPE_STRING) {
		if (theme_color_parse(config_setting_get_string(c), &v) < 0)
			return kerr_set(err, 1, "%s:%d: %s.%s: unknown colour '%s'", file,
					config_setting_source_line(c), config_setting_name(slot), key,
					config_setting_get_string(c));
	} else {
		return kerr_set(err, 1, "%s:%d: %s.%s: a colour is a name or a number", file,
				config_setting_source_line(c), config_setting_name(slot), key);
	}
	*out = v;
	return 0;
}

static int read_attrs(config_setting_t *slot, const char *key, unsigned *out, const char *file,
		      struct kerr *err)
{
	config_setting_t *c = config_setting_get_member(slot, key);
	if (!c)
		return 0;
	const char *s = config_setting_get_string(c);
	if (!s || attrs_parse(s, out) < 0)
		return kerr_set(err, 1,
				"%s:%d: %s.%s: attributes are a list like \"bold,underline\" "
				"(bold, dim, reverse, underline, blink, none)",
				file, config_setting_source_line(c), config_setting_name(slot), key);
	return 0;
}

static int slot_index(const char *name)
{
	for (int i = 0; i < SLOT_COUNT; i++)
		if (strcmp(name, slot_names[i]) == 0)
			return i;
	return -1;
}

static int load_file(struct theme *th, struct term *t, const char *path, struct kerr *err)
{
	config_t cf;
	config_init(&cf);
	if (config_read_file(&cf, path) != CONFIG_TRUE) {
		kerr_set(err, 1, "%s:%d: %s", config_error_file(&cf) ? config_error_file(&cf) : path,
			 config_error_line(&cf), config_error_text(&cf));
		config_destroy(&cf);
		return -1;
	}
	struct slot_spec spec[SLOT_COUNT];
	memcpy(spec, builtin, sizeof spec);
	const char *name = NULL;
	if (config_lookup_string(&cf, "name", &name) == CONFIG_TRUE)
		snprintf(th->name, sizeof th->name, "%s", name);
	config_setting_t *slots = config_lookup(&cf, "slots");
	int rc = 0;
	if (!slots || config_setting_type(slots) != CONFIG_TYPE_GROUP) {
		rc = kerr_set(err, 1, "%s: a theme needs a 'slots' group", path);
		goto out;
	}
	for (int i = 0; i < config_setting_length(slots); i++) {
		config_setting_t *s = config_setting_get_elem(slots, (unsigned)i);
		int idx = slot_index(config_setting_name(s));
		if (idx < 0) {
			rc = kerr_set(err, 1, "%s:%d: unknown slot '%s' (see docs/themes.md)", path,
				      config_setting_source_line(s), config_setting_name(s));
			goto out;
		}
		struct slot_spec *sp = &spec[idx];
		/* A slot written in the file starts from "default", not the built-in. */
		sp->fg256 = sp->bg256 = sp->fg = sp->bg = TC_DEFAULT;
		sp->attrs = sp->mono = 0;
		if (read_color(s, "fg", &sp->fg, path, err) < 0 ||
		    read_color(s, "bg", &sp->bg, path, err) < 0 ||
		    read_color(s, "fg256", &sp->fg256, path, err) < 0 ||
		    read_color(s, "bg256", &sp->bg256, path, err) < 0 ||
		    read_attrs(s, "attrs", &sp->attrs, path, err) < 0 ||
		    read_attrs(s, "mono", &sp->mono, path, err) < 0) {
			rc = -1;
			goto out;
		}
		if (sp->fg > 15 || sp->bg > 15) {
			rc = kerr_set(err, 1,
				      "%s:%d: %s: fg/bg are for 16-colour terminals (0-15 or a name); "
				      "use fg256/bg256 for 256 colours",
				      path, config_setting_source_line(s), config_setting_name(s));
			goto out;
		}
	}
	make_styles(th, t, spec);
out:
	config_destroy(&cf);
	return rc;
}

int theme_load(struct theme *th, struct term *t, const char *what, const char *user_dir,
	       const char *data_dir, struct kerr *err)
{
	char path[1024];
	memset(th, 0, sizeof *th);
	snprintf(th->name, sizeof th->name, "%s", what);
	if (strchr(what, '/'))
		return load_file(th, t, what, err);
	const char *dirs[] = {user_dir, data_dir};
	for (int i = 0; i < 2; i++) {
		if (!dirs[i])
			continue;
		snprintf(path, sizeof path, "%s/%s.conf", dirs[i], what);
		if (access(path, R_OK) == 0)
			return load_file(th, t, path, err);
	}
	if (strcmp(what, "dark") == 0) {
		theme_builtin(th, t);
		return 0;
	}
	return kerr_set(err, 1, "theme '%s' not found (looked in %s and %s)", what,
			user_dir ? user_dir : "-", data_dir ? data_dir : "-");
}
