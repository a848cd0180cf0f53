# src/core (pending)
KT_LIB_CORE =
