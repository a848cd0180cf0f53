/* secrets: resolving API credentials from inline values, the environment and
 * commands such as `pass show kraken/spot-secret`. */
#include "app/secrets.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/sbuf.h"
#include "base/xalloc.h"

/* A command printing more than this is not printing a key. */
#define CMD_MAX_OUTPUT (64 * 1024)

/* Read everything from fd into b (up to CMD_MAX_OUTPUT, then drain) until EOF.
 * -1 when timeout_ms passed first. */
static int read_all(int fd, struct sbuf *b, int timeout_ms)
{
	char chunk[4096];
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = 0;
	for (;;) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		long long left = timeout_ms - ((long long)(t.tv_sec - t0.tv_sec) * 1000 +
					       (t.tv_nsec - t0.tv_nsec) / 1000000);
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int pr = left > 0 ? poll(&pfd, 1, (int)left) : 0;
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			rc = -1;
			break;
		}
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (b->len < CMD_MAX_OUTPUT)
			sbuf_add(b, chunk, (size_t)n);
	}
	xwipe(chunk, sizeof chunk);
	return rc;
}

static pid_t spawn_sh(const char *cmd, int out_fd, int close_fd)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	/* child: stdout to the pipe, default SIGPIPE so a closed pipe ends it */
	signal(SIGPIPE, SIG_DFL);
	if (out_fd == STDOUT_FILENO) /* fd 1 was free when the pipe was made */
		fcntl(out_fd, F_SETFD, 0);
	else if (dup2(out_fd, STDOUT_FILENO) < 0)
		_exit(127);
	else
		close(out_fd);
	close(close_fd);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

int secrets_run_cmd(const char *what, const char *cmd, char **out, struct kerr *err)
{
	return secrets_run_cmd_timeout(what, cmd, SECRETS_CMD_TIMEOUT_MS, out, err);
}

int secrets_run_cmd_timeout(const char *what, const char *cmd, int timeout_ms, char **out,
			    struct kerr *err)
{
	*out = NULL;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return kerr_set(err, errno, "%s: cannot run command '%s': %s", what, cmd,
				strerror(errno));
	fflush(NULL); /* the child must not inherit unflushed stdio buffers */
	pid_t pid = spawn_sh(cmd, fds[1], fds[0]);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return kerr_set(err, errno, "%s: cannot run command '%s': %s", what, cmd,
				strerror(errno));
	}
	struct sbuf b = SBUF_INIT;
	bool late = read_all(fds[0], &b, timeout_ms) < 0;
	close(fds[0]); /* the command's children get SIGPIPE if they write on */
	if (late)
		kill(pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int rc = 0;
	size_t line = b.p ? strcspn(b.p, "\r\n") : 0;
	if (late)
		rc = kerr_set(err, ETIMEDOUT, "%s: command '%s' did not finish within %d %s (stopped)",
			      what, cmd, timeout_ms % 1000 ? timeout_ms : timeout_ms / 1000,
			      timeout_ms % 1000 ? "ms" : "seconds");
	else if (WIFSIGNALED(status))
		rc = kerr_set(err, EIO, "%s: command '%s' was killed by signal %d", what, cmd,
			      WTERMSIG(status));
	else if (WEXITSTATUS(status) == 127)
		rc = kerr_set(err, EIO, "%s: command '%s' failed with status 127 (command not found?)",
			      what, cmd);
	else if (WEXITSTATUS(status) != 0)
		rc = kerr_set(err, EIO, "%s: command '%s' failed with status %d", what, cmd,
			      WEXITSTATUS(status));
	else if (line == 0)
		rc = kerr_set(err, ENODATA, "%s: command '%s' printed nothing", what, cmd);
	else
		*out = xstrndup(b.p, line);
	sbuf_free_secret(&b);
	return rc;
}

int secrets_resolve(const struct secret_spec *spec, char **out, enum secret_source *from,
		    struct kerr *err)
{
	*out = NULL;
	*from = SECRET_NONE;
	const char *v;
	if (spec->inline_val && *spec->inline_val) {
		*out = xstrdup(spec->inline_val);
		*from = SECRET_INLINE;
	} else if (spec->env && *spec->env) {
		if (!(v = getenv(spec->env)) || !*v)
			return kerr_set(err, ENOENT, "%s: environment variable '%s' is not set",
					spec->what, spec->env);
		*out = xstrdup(v);
		*from = SECRET_ENV;
	} else if (spec->cmd && *spec->cmd) {
		if (secrets_run_cmd(spec->what, spec->cmd, out, err) < 0)
			return -1;
		*from = SECRET_CMD;
	} else if (spec->std_env && (v = getenv(spec->std_env)) != NULL && *v) {
		*out = xstrdup(v);
		*from = SECRET_STD_ENV;
	}
	return 0;
}

const char *secrets_source_name(enum secret_source from, const struct secret_spec *spec,
				int is_secret)
{
	switch (from) {
	case SECRET_NONE:
		return "nowhere";
	case SECRET_INLINE:
		return is_secret ? "secret" : "key";
	case SECRET_ENV:
		return is_secret ? "secret_env" : "key_env";
	case SECRET_CMD:
		return is_secret ? "secret_cmd" : "key_cmd";
	case SECRET_STD_ENV:
		return spec->std_env;
	}
	return "?";
}
