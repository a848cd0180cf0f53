# src/core: instruments, books, orders, positions, wallets, funding, the state store
# and its events, user intents. No I/O, no curses, no JSON. Depends on base.
KT_LIB_CORE =
