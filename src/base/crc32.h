/* crc32: the standard IEEE 802.3 / zlib CRC-32 (reflected polynomial
 * 0xEDB88320), as used by Kraken's WS v2 book checksum.
 *
 * Incremental: start with crc = 0 and feed the previous result back in,
 * kt_crc32(kt_crc32(0, a, na), b, nb) == kt_crc32(0, ab, na + nb).
 * Slice-by-8: about 1 byte per cycle, so checksumming every book message is
 * cheap. The tables are built once, on first use, thread-safely. */
#ifndef KT_BASE_CRC32_H
#define KT_BASE_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t kt_crc32(uint32_t crc, const void *buf, size_t n);

#endif
