/* tui: the terminal interface's run loop — backend, screen, keyboard, signals,
 * the frame-rate cap, the dead man's switch and the journal, wired together. */
#ifndef KT_APP_TUI_H
#define KT_APP_TUI_H

#include "app/commands.h"

int app_run_tui(struct app_ctx *ctx);

#endif
