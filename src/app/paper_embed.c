/* paper_embed: the adapter table. */
#include "app/paper_embed.h"

#include "paper/fut_rest_srv.h"
#include "paper/fut_ws_srv.h"
#include "paper/spot_rest_srv.h"
#include "paper/spot_ws_srv.h"

static const struct paper_adapters adapters = {
	.spot_rest_handle = spot_rest_srv_handle,
	.fut_rest_handle = fut_rest_srv_handle,
	.spot_ws_new = spot_ws_srv_new,
	.spot_ws_free = spot_ws_srv_free,
	.spot_ws_open = spot_ws_srv_open,
	.spot_ws_message = spot_ws_srv_message,
	.spot_ws_close = spot_ws_srv_close,
	.fut_ws_new = fut_ws_srv_new,
	.fut_ws_free = fut_ws_srv_free,
	.fut_ws_open = fut_ws_srv_open,
	.fut_ws_message = fut_ws_srv_message,
	.fut_ws_close = fut_ws_srv_close,
};

const struct paper_adapters *paper_embed_adapters(void) { return &adapters; }
