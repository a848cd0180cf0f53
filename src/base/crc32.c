/* crc32: slice-by-8 CRC-32 (see crc32.h). */
#include "base/crc32.h"

#include <pthread.h>
#include <string.h>

/* Eight 256-entry tables (8 KiB) are too large to write out as literals, so
 * they are computed once. This is the one mutable global in the module;
 * pthread_once makes the lazy build safe even if a caller ever uses it from
 * more than one thread. */
static uint32_t crc_tab[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc32_build(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
		crc_tab[0][i] = c;
	}
	for (int t = 1; t < 8; t++)
		for (int i = 0; i < 256; i++)
			crc_tab[t][i] =
			        (crc_tab[t - 1][i] >> 8) ^ crc_tab[0][crc_tab[t - 1][i] & 0xFF];
}

uint32_t kt_crc32(uint32_t crc, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	pthread_once(&crc_once, crc32_build);
	crc = ~crc;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (n >= 8) {
		uint32_t lo, hi;
		memcpy(&lo, p, 4);
		memcpy(&hi, p + 4, 4);
		lo ^= crc;
		crc = crc_tab[7][lo & 0xFF] ^ crc_tab[6][(lo >> 8) & 0xFF] ^
		      crc_tab[5][(lo >> 16) & 0xFF] ^ crc_tab[4][lo >> 24] ^ crc_tab[3][hi & 0xFF] ^
		      crc_tab[2][(hi >> 8) & 0xFF] ^ crc_tab[1][(hi >> 16) & 0xFF] ^
		      crc_tab[0][hi >> 24];
		p += 8;
		n -= 8;
	}
#endif
	while (n--)
		crc = crc_tab[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}
