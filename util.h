/* util: error values, cleanup helpers, strict number parsers and small fd/file
 * helpers shared by every module. Nothing here has side effects beyond the fds
 * and buffers it is handed; it is linked into the unit tests as is. */
#ifndef SBX_UTIL_H
#define SBX_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

/* An error filled by a module and printed by the top level. Fixed size, no
 * heap: it must work in the child after clone(). */
struct sbx_err {
	char msg[512];
};

/* Fill err with a printf-style message; always returns -1 so callers can
 * write `return sbx_fail(err, ...)`. */
int sbx_fail(struct sbx_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, with ": strerror(errno)" appended (errno read at call time). */
int sbx_fail_errno(struct sbx_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The name sbx was invoked as (basename of argv[0]), used in every message. */
void sbx_set_progname(const char *argv0);
const char *sbx_progname(void);
/* argv[0] verbatim: bwrap's --help says "usage: ARGV0 ...". */
const char *sbx_invoked_as(void);
/* Whether sbx runs under the name bwrap: then it speaks bubblewrap 0.12.0's
 * words (words.h) and reports its version. */
bool sbx_as_bwrap(void);

/* --level-prefix: messages start with a syslog level ("<3>" for errors). */
void sbx_set_level_prefix(bool on);

/* Print "NAME: msg" on stderr. */
void sbx_print_err(const struct sbx_err *err);
/* Print a warning, "NAME: msg" (level <4> with --level-prefix). */
void sbx_print_warning(const struct sbx_err *msg);
/* Print "NAME: msg" and exit(1). Only top-level files call these. */
__attribute__((noreturn)) void sbx_die_err(const struct sbx_err *err);
__attribute__((noreturn, format(printf, 1, 2))) void sbx_die(const char *fmt, ...);

/* Cleanup helpers (GCC/clang cleanup attribute). close() is never retried. */
void sbx_freep(void *p);
void sbx_closep(int *fd);
#define _cleanup_free_ __attribute__((cleanup(sbx_freep)))
#define _cleanup_close_ __attribute__((cleanup(sbx_closep)))

/* Hand ownership on: return the value and leave the variable empty. */
static inline int sbx_steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}
static inline void *sbx_steal_ptr(void *pp)
{
	void **p = pp;
	void *v = *p;
	*p = NULL;
	return v;
}

/* Strict parsers: the whole string, range- and overflow-checked. 0 or -1. */
int parse_fd(const char *s, int *out);            /* 0..INT_MAX, decimal */
int parse_id(const char *s, uint32_t *out);       /* uid/gid: 0..2^32-2 */
int parse_octal_mode(const char *s, mode_t *out); /* 0..07777 */
int parse_size(const char *s, uint64_t *out);     /* decimal bytes, >0 */

/* Allocation that cannot fail silently: exits with a message on ENOMEM. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Read everything from fd (until EOF) into a NUL-terminated heap buffer of
 * at most max + 1 bytes; more than max bytes is an error with errno EFBIG
 * (an fd on /dev/zero must not eat memory). */
int read_all_fd(int fd, size_t max, char **out, size_t *len, struct sbx_err *err);
/* Write all of buf to fd, retrying short writes and EINTR. 0 or -1/errno. */
int write_all(int fd, const void *buf, size_t len);
/* Write a whole buffer to path (opened O_WRONLY|O_CLOEXEC). 0 or -1/errno. */
int write_file_at(int dirfd, const char *path, const char *data);
/* Read a small text file into buf (NUL-terminated). bytes read or -1/errno. */
ssize_t read_file_at(int dirfd, const char *path, char *buf, size_t size);

/* Retry on EINTR. The value has expr's own type (an int fd stays an int, a
 * read's ssize_t an ssize_t), so no caller needs a cast. */
#define SBX_RETRY(expr)                             \
	({                                          \
		__typeof__(expr) _r;                \
		do                                  \
			_r = (expr);                \
		while (_r == -1 && errno == EINTR); \
		_r;                                 \
	})

#endif
