# src/net signing, hashing and nonce sources (part of libkt_net.a).
src_net_libkt_net_a_SOURCES +=
