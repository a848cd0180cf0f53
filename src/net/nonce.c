/* nonce: the per-key nonce high-water mark, kept in a small file under flock so
 * that restarts and concurrent processes sharing a key never go backwards. */
#include "net/nonce.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "base/clock.h"
#include "base/xalloc.h"

#define STATE_MAGIC       "krakterm-nonce 1 "
#define STATE_MAX         96            /* longest valid file is 17 + 3 + 20 + 1 bytes */
#define KEY_HASH_HEX      32            /* 128 bits of SHA-256: no collisions in practice */
#define LOCK_WAIT_NS      2000000000ull /* give up after 2 s: a peer is stuck, not busy */
#define LOCK_SLEEP_MAX_NS 1000000l      /* back off to at most 1 ms between tries */

struct nonce_store {
	int fd;
	enum nonce_format fmt;
	char *path;
	nonce_clock_fn clock;
	void *clock_ctx;
	bool dirty; /* written since open: fdatasync at close */
};

static const char *fmt_name(enum nonce_format f)
{
	return f == NONCE_MS ? "ms" : "us";
}

static const char *fmt_long(enum nonce_format f)
{
	return f == NONCE_MS ? "milliseconds" : "microseconds";
}

static uint64_t real_clock(void *ctx)
{
	return kt_wall_us();
}

/* mkdir -p with mode 0700 for every directory it creates. */
static int mkdir_private(const char *dir, struct kerr *err)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			rc = kerr_set(err, NONCE_E_IO, "cannot create the nonce directory %s: %s",
			              p, strerror(errno));
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	struct stat sb;
	if (rc == 0 && (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)))
		rc = kerr_set(err, NONCE_E_IO, "the nonce directory %s is not a directory", dir);
	free(p);
	return rc;
}

/* <dir>/<first 32 hex digits of SHA-256(key)>.nonce: the key never appears in clear. */
static char *state_path(const char *dir, const char *key_id)
{
	unsigned char md[32];
	unsigned int len = 0;
	char hex[KEY_HASH_HEX + 1];
	EVP_Digest(key_id, strlen(key_id), md, &len, EVP_sha256(), NULL);
	for (int i = 0; i < KEY_HASH_HEX / 2; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return xasprintf("%s/%s.nonce", dir, hex);
}

static int open_file(struct nonce_store *st, struct kerr *err)
{
	st->fd = open(st->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (st->fd < 0)
		return kerr_set(err, NONCE_E_IO, "cannot open the nonce file %s: %s", st->path,
		                strerror(errno));
	return 0;
}

/* flock(LOCK_EX) with a deadline, so a stopped peer cannot hang the event loop. */
static int lock_wait(struct nonce_store *st, struct kerr *err)
{
	uint64_t deadline = 0;
	long sleep_ns = 10000;
	for (int spins = 0;; spins++) {
		if (flock(st->fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK)
			return kerr_set(err, NONCE_E_IO, "cannot lock the nonce file %s: %s",
			                st->path, strerror(errno));
		/* A peer holds it for a few microseconds: yield before sleeping. */
		if (spins < 20) {
			sched_yield();
			continue;
		}
		uint64_t now = kt_mono_ns();
		if (!deadline)
			deadline = now + LOCK_WAIT_NS;
		else if (now > deadline)
			return kerr_set(err, NONCE_E_LOCKED,
			                "another process has held the nonce lock %s for over 2 s; "
			                "is a krakterm using this API key stopped?",
			                st->path);
		struct timespec ts = {0, sleep_ns};
		nanosleep(&ts, NULL);
		if (sleep_ns < LOCK_SLEEP_MAX_NS)
			sleep_ns *= 2;
	}
}

/* Lock the file that is currently at st->path. If it was deleted while we held
 * it open (a manual reset), reopen so we share the lock with newer processes. */
static int lock_current(struct nonce_store *st, struct kerr *err)
{
	for (int tries = 0; tries < 3; tries++) {
		if (lock_wait(st, err) < 0)
			return -1;
		struct stat sb;
		if (fstat(st->fd, &sb) < 0)
			return kerr_set(err, NONCE_E_IO, "cannot stat the nonce file %s: %s",
			                st->path, strerror(errno));
		if (sb.st_nlink > 0)
			return 0;
		close(st->fd);
		if (open_file(st, err) < 0)
			return -1;
	}
	return kerr_set(err, NONCE_E_IO, "the nonce file %s keeps disappearing", st->path);
}

static void unlock(struct nonce_store *st)
{
	flock(st->fd, LOCK_UN);
}

/* Parse the file: empty -> *have = false; otherwise its format and last value. */
static int state_read(struct nonce_store *st, bool *have, enum nonce_format *fmt, uint64_t *last,
                      size_t *len, struct kerr *err)
{
	char buf[STATE_MAX + 1];
	ssize_t n;
	do
		n = pread(st->fd, buf, STATE_MAX, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return kerr_set(err, NONCE_E_IO, "cannot read the nonce file %s: %s", st->path,
		                strerror(errno));
	*len = (size_t)n;
	*have = n > 0;
	if (n == 0)
		return 0;
	buf[n] = '\0';
	const char *p = buf;
	size_t ml = sizeof STATE_MAGIC - 1;
	if (strncmp(p, STATE_MAGIC, ml) != 0)
		goto damaged;
	p += ml;
	if (strncmp(p, "us ", 3) == 0)
		*fmt = NONCE_US;
	else if (strncmp(p, "ms ", 3) == 0)
		*fmt = NONCE_MS;
	else
		goto damaged;
	p += 3;
	uint64_t v = 0;
	const char *d0 = p;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned dig = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - dig) / 10)
			goto damaged;
		v = v * 10 + dig;
	}
	if (p == d0 || strcmp(p, "\n") != 0)
		goto damaged;
	*last = v;
	return 0;
damaged:
	return kerr_set(err, NONCE_E_DAMAGED,
	                "the nonce file %s is damaged; stop every krakterm using this API key, "
	                "delete the file and try again (see docs/signing.md)",
	                st->path);
}

/* Overwrite the file with the new high-water mark (complete write, no fsync). */
static int state_write(struct nonce_store *st, uint64_t v, size_t old_len, struct kerr *err)
{
	char buf[STATE_MAX];
	int n = snprintf(buf, sizeof buf, STATE_MAGIC "%s %" PRIu64 "\n", fmt_name(st->fmt), v);
	size_t off = 0;
	while (off < (size_t)n) {
		ssize_t w = pwrite(st->fd, buf + off, (size_t)n - off, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return kerr_set(err, NONCE_E_IO, "cannot write the nonce file %s: %s",
			                st->path, w < 0 ? strerror(errno) : "short write");
		off += (size_t)w;
	}
	if (old_len > (size_t)n && ftruncate(st->fd, n) < 0)
		return kerr_set(err, NONCE_E_IO, "cannot truncate the nonce file %s: %s", st->path,
		                strerror(errno));
	st->dirty = true;
	return 0;
}

static int format_mismatch(const struct nonce_store *st, enum nonce_format have, struct kerr *err)
{
	return kerr_set(err, NONCE_E_FORMAT,
	                "this API key's nonces have been in %s (%s), not %s: Kraken would treat "
	                "the shorter ones as lower and answer EAPI:Invalid nonce. Keep using %s "
	                "for this key (see docs/signing.md)",
	                fmt_long(have), st->path, fmt_long(st->fmt), fmt_long(have));
}

struct nonce_store *nonce_store_open(const char *state_dir, const char *key_id,
                                     enum nonce_format fmt, struct kerr *err)
{
	if (!state_dir || !*state_dir || !key_id || !*key_id) {
		kerr_set(err, NONCE_E_ARG,
		         "the nonce store needs a state directory and an API key");
		return NULL;
	}
	if (fmt != NONCE_US && fmt != NONCE_MS) {
		kerr_set(err, NONCE_E_ARG, "unknown nonce format %d", (int)fmt);
		return NULL;
	}
	if (mkdir_private(state_dir, err) < 0)
		return NULL;
	struct nonce_store *st = xcalloc(1, sizeof *st);
	st->fmt = fmt;
	st->clock = real_clock;
	st->path = state_path(state_dir, key_id);
	st->fd = -1;
	if (open_file(st, err) < 0 || lock_current(st, err) < 0)
		goto fail;
	bool have;
	enum nonce_format on_disk = fmt;
	uint64_t last;
	size_t len;
	int rc = state_read(st, &have, &on_disk, &last, &len, err);
	unlock(st);
	if (rc < 0)
		goto fail;
	if (have && on_disk != fmt) {
		format_mismatch(st, on_disk, err);
		goto fail;
	}
	return st;
fail:
	nonce_store_close(st);
	return NULL;
}

int nonce_next(struct nonce_store *st, char *out, size_t cap, struct kerr *err)
{
	if (out && cap > 0)
		out[0] = '\0';
	if (!st || !out || cap < NONCE_MAX)
		return kerr_set(err, NONCE_E_ARG, "nonce buffer missing or smaller than %d bytes",
		                NONCE_MAX);
	if (lock_current(st, err) < 0)
		return -1;
	bool have;
	enum nonce_format on_disk = st->fmt;
	uint64_t last = 0, next = 0;
	size_t len;
	int rc = state_read(st, &have, &on_disk, &last, &len, err);
	if (rc == 0 && have && on_disk != st->fmt)
		rc = format_mismatch(st, on_disk, err);
	if (rc == 0 && have && last == UINT64_MAX)
		rc = kerr_set(err, NONCE_E_RANGE, "the nonce in %s cannot grow any further",
		              st->path);
	if (rc == 0) {
		uint64_t now = st->clock(st->clock_ctx);
		if (st->fmt == NONCE_MS)
			now /= 1000;
		next = have && now <= last ? last + 1 : now;
		rc = state_write(st, next, len, err);
	}
	unlock(st);
	if (rc < 0)
		return -1;
	snprintf(out, cap, "%" PRIu64, next);
	return 0;
}

void nonce_store_set_clock(struct nonce_store *st, nonce_clock_fn fn, void *ctx)
{
	st->clock = fn ? fn : real_clock;
	st->clock_ctx = fn ? ctx : NULL;
}

const char *nonce_store_path(const struct nonce_store *st)
{
	return st->path;
}

void nonce_store_close(struct nonce_store *st)
{
	if (!st)
		return;
	if (st->fd >= 0) {
		if (st->dirty)
			fdatasync(st->fd);
		close(st->fd);
	}
	free(st->path);
	free(st);
}
