/* uuid: getrandom-backed random bytes and UUIDs (see uuid.h). */
#include "base/uuid.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

int kt_random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;
	while (n) {
		/* getrandom returns at most 32 MiB per call and can be interrupted */
		ssize_t got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

int kt_uuid_v4(char out[KT_UUID_STRLEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	if (kt_random_bytes(b, sizeof b))
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* variant 10xx */
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
	return 0;
}

bool kt_uuid_valid(const char *s)
{
	if (strlen(s) != KT_UUID_STRLEN)
		return false;
	for (int i = 0; i < KT_UUID_STRLEN; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		             (c >= 'A' && c <= 'F'))) {
			return false;
		}
	}
	return true;
}
