/* switcher: the instrument switcher with fuzzy search across spot and futures. */
#include <ctype.h>
#include <string.h>

#include "ui/ui_int.h"

/* Subsequence match, case-insensitive: consecutive and word-start matches
 * score higher, so "xbt" finds PF_XBTUSD and "btcu" finds BTC/USD first. */
int fuzzy_score(const char *q, const char *text)
{
	if (!*q)
		return 0;
	int score = 0, run = 0;
	size_t ti = 0, tl = strlen(text);
	for (size_t qi = 0; q[qi]; qi++) {
		char qc = (char)tolower((unsigned char)q[qi]);
		bool found = false;
		while (ti < tl) {
			char tc = (char)tolower((unsigned char)text[ti]);
			bool start = ti == 0 || !isalnum((unsigned char)text[ti - 1]);
			ti++;
			if (tc == qc) {
				run++;
				score += 1 + run * 2 + (start ? 5 : 0);
				found = true;
				break;
			}
			run = 0;
		}
		if (!found)
			return -1;
	}
	return score * 100 / (int)(tl + 1) + (ti == (size_t)strlen(q) ? 50 : 0);
}

static void refresh_hits(struct ui *ui)
{
	int scores[SWITCHER_MAX];
	ui->sw_nhits = 0;
	for (size_t i = 0; i < ui->st->ninstr; i++) {
		const struct instrument *in = &ui->st->instr[i];
		int s = fuzzy_score(ui->sw_query, in->id);
		int s2 = fuzzy_score(ui->sw_query, in->altname);
		if (s2 > s)
			s = s2;
		if (s < 0)
			continue;
		/* insertion into the sorted top list */
		int pos = ui->sw_nhits;
		while (pos > 0 && scores[pos - 1] < s)
			pos--;
		if (pos >= SWITCHER_MAX)
			continue;
		int last = ui->sw_nhits < SWITCHER_MAX ? ui->sw_nhits : SWITCHER_MAX - 1;
		memmove(&scores[pos + 1], &scores[pos], (size_t)(last - pos) * sizeof scores[0]);
		memmove(&ui->sw_hits[pos + 1], &ui->sw_hits[pos], (size_t)(last - pos) * sizeof ui->sw_hits[0]);
		scores[pos] = s;
		ui->sw_hits[pos] = (int)i;
		if (ui->sw_nhits < SWITCHER_MAX)
			ui->sw_nhits++;
	}
	if (ui->sw_sel >= ui->sw_nhits)
		ui->sw_sel = ui->sw_nhits ? ui->sw_nhits - 1 : 0;
}

void switcher_open(struct ui *ui)
{
	ui->overlay = OV_SWITCHER;
	ui->sw_query[0] = '\0';
	ui->sw_sel = 0;
	refresh_hits(ui);
}

void switcher_key(struct ui *ui, const char *name, const char *utf8)
{
	size_t len = strlen(ui->sw_query);
	if (strcmp(name, "Esc") == 0) {
		ui->overlay = OV_NONE;
	} else if (strcmp(name, "Enter") == 0) {
		if (ui->sw_nhits) {
			ui_set_instrument(ui, ui->sw_hits[ui->sw_sel]);
			ui->instr_chosen = true;
		}
		ui->overlay = OV_NONE;
	} else if (strcmp(name, "Down") == 0 || strcmp(name, "C-n") == 0 || strcmp(name, "Tab") == 0) {
		if (ui->sw_sel + 1 < ui->sw_nhits)
			ui->sw_sel++;
	} else if (strcmp(name, "Up") == 0 || strcmp(name, "C-p") == 0 || strcmp(name, "BTab") == 0) {
		if (ui->sw_sel > 0)
			ui->sw_sel--;
	} else if (strcmp(name, "Backspace") == 0) {
		if (len)
			ui->sw_query[len - 1] = '\0';
		refresh_hits(ui);
	} else if (strcmp(name, "C-u") == 0) {
		ui->sw_query[0] = '\0';
		refresh_hits(ui);
	} else if (utf8 && utf8[0] && utf8[0] != ' ' && len + strlen(utf8) < sizeof ui->sw_query) {
		strcat(ui->sw_query, utf8);
		ui->sw_sel = 0;
		refresh_hits(ui);
	}
}
