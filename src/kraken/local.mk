# src/kraken: Spot and Futures protocol codecs and sessions. Depends on base, core, net.
KT_LIB_KRAKEN =
