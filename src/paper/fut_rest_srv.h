/* fut_rest_srv: the paper exchange's Kraken Futures REST v3 adapter
 * (/derivatives/api/v3/... and /api/history/v3/...).
 *
 * It parses requests exactly as Kraken accepts them — parameters in the query
 * string or in a form body (both, merged: query first), repeated keys
 * (orderIds), batchorder's URL-encoded json= field — calls px, and renders
 * Kraken's shapes: `result`, `serverTime` (ISO, ms), numbers as JSON numbers at
 * the instrument's precision, sendStatus/editStatus/cancelStatus/batchStatus
 * with orderEvents (PLACE, EXECUTION, REJECT, CANCEL, EDIT), the status values
 * of kraken-protocol.md §3.5 (placed, postWouldExecute, iocWouldNotExecute,
 * wouldNotReducePosition, insufficientAvailableFunds,
 * clientOrderIdAlreadyExist, orderForEditNotFound...), and error replies
 * (invalidArgument, requiredArgumentMissing, notFound, Json Parse Error...).
 * A request that cannot be understood changes nothing; a batch is checked
 * whole before its first instruction runs.
 *
 * server.c has already verified the signature and nonce of private requests;
 * the caller's account is paper_request_account(). Replies are immediate. */
#ifndef KT_PAPER_FUT_REST_SRV_H
#define KT_PAPER_FUT_REST_SRV_H

#include "net/http_server.h"
#include "paper/paper.h"

/* Answer one request whose path starts with /derivatives/api/v3/ or
 * /api/history/v3/ (exactly one http_reply). */
void fut_rest_srv_handle(struct paper *p, struct http_request *req);

#endif
