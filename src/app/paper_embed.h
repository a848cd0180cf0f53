/* paper_embed: the paper exchange wired with its four protocol adapters, for
 * `krakterm paper` and for paper profiles (which run it inside the same
 * process and talk to it over loopback like to Kraken). */
#ifndef KT_APP_PAPER_EMBED_H
#define KT_APP_PAPER_EMBED_H

#include "paper/paper.h"

/* The adapters table (static). */
const struct paper_adapters *paper_embed_adapters(void);

#endif
