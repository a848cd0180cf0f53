/* spot_rest_srv: the paper exchange's Kraken Spot REST adapter. It serves
 * /0/public/<Method> and /0/private/<Method> exactly as Kraken does: the
 * same parameters (form or JSON bodies, query strings for GET), the same
 * JSON shapes (results keyed by the canonical pair id, prices and volumes
 * as strings at the pair's decimals, times as numbers, txid arrays, descr
 * texts) and the same error strings ("EGeneral:Invalid arguments:<field>",
 * "EQuery:Unknown asset pair", "EOrder:Insufficient funds"...).
 *
 * Every request is checked completely before px is asked to change
 * anything, so a bad request never half-applies; batch cancels are checked
 * as a whole first. Authentication has already happened (paper/server.c):
 * the account is paper_request_account(p, req). See docs/protocol.md. */
#ifndef KT_PAPER_SPOT_REST_SRV_H
#define KT_PAPER_SPOT_REST_SRV_H

#include "net/http_server.h"
#include "paper/paper.h"

/* Answer one request for a /0/public/... or /0/private/... path (always
 * replies, synchronously). */
void spot_rest_srv_handle(struct paper *p, struct http_request *req);

#endif
