# src/paper: the paper exchange (matching engine, accounts, market, Kraken-protocol
# server). Depends on base, net.
KT_LIB_PAPER =
