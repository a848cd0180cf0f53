# ui: the terminal front end, the only layer that includes curses. Depends on base, core.
KT_LIB_UI =
