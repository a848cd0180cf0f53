/* uuid: random bytes from the kernel (getrandom) and version-4 UUIDs, used
 * for client order ids (Futures cliOrdId, Spot cl_ord_id) and request ids.
 * No state: every call asks the kernel, which never blocks once the system
 * has booted. */
#ifndef KT_BASE_UUID_H
#define KT_BASE_UUID_H

#include <stdbool.h>
#include <stddef.h>

/* Length of "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" without the NUL. */
#define KT_UUID_STRLEN 36

/* Fill buf with n cryptographically random bytes; 0, or -1 if the kernel
 * refuses (errno set). */
int kt_random_bytes(void *buf, size_t n);
/* A random (version 4, RFC 9562) UUID in lower case into out[37]; 0 or -1. */
int kt_uuid_v4(char out[KT_UUID_STRLEN + 1]);
/* Is s a UUID in the 8-4-4-4-12 hex form (any version, either case)? */
bool kt_uuid_valid(const char *s);

#endif
