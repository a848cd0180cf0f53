# src/net: the event loop, HTTP over curl multi, WebSocket over lws, the HTTP/WS
# server used by the paper exchange, signing. Bytes, not exchanges. Depends on base.
KT_LIB_NET =
