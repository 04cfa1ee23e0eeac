/* util: error values, cleanup helpers, strict parsers, fd helpers. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *progname = "sbx";
static const char *invoked_as = "sbx"; /* argv[0] as given, for --help */
static bool level_prefix;

void sbx_set_level_prefix(bool on)
{
	level_prefix = on;
}

void sbx_set_progname(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	invoked_as = argv0;
	slash = strrchr(argv0, '/');
	progname = slash ? slash + 1 : argv0;
	if (*progname == '\0')
		progname = "sbx";
}

const char *sbx_progname(void)
{
	return progname;
}

const char *sbx_invoked_as(void)
{
	return invoked_as;
}

bool sbx_as_bwrap(void)
{
	return strcmp(progname, "bwrap") == 0;
}

int sbx_fail(struct sbx_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int sbx_fail_errno(struct sbx_err *err, const char *fmt, ...)
{
	int saved = errno;
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

/* One write so that messages from several processes do not interleave. */
static void print_line(const char *level, const struct sbx_err *err)
{
	char line[sizeof(err->msg) + 64];
	int n = snprintf(line, sizeof(line), "%s%s: %s\n", level_prefix ? level : "", progname,
			 err->msg);

	if (n > 0) {
		size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
		ssize_t w = write(STDERR_FILENO, line, len);
		(void)w;
	}
}

void sbx_print_err(const struct sbx_err *err)
{
	print_line("<3>", err);
}

void sbx_print_warning(const struct sbx_err *msg)
{
	print_line("<4>", msg);
}

void sbx_die_err(const struct sbx_err *err)
{
	sbx_print_err(err);
	exit(1);
}

void sbx_die(const char *fmt, ...)
{
	struct sbx_err err;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
	va_end(ap);
	sbx_die_err(&err);
}

void sbx_freep(void *p)
{
	free(*(void **)p);
}

void sbx_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

/* Decimal digits only: no sign, no spaces, no base prefixes, no empty string. */
static int parse_decimal(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s; s++) {
		unsigned d;

		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_fd(const char *s, int *out)
{
	unsigned long long v;

	if (parse_decimal(s, INT_MAX, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

int parse_id(const char *s, uint32_t *out)
{
	unsigned long long v;

	/* (uid_t)-1 is "no id" to the kernel: never a valid mapping. */
	if (parse_decimal(s, UINT32_MAX - 1, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int parse_octal_mode(const char *s, mode_t *out)
{
	unsigned v = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '7')
			return -1;
		v = v * 8 + (unsigned)(*s - '0');
		if (v > 07777)
			return -1;
	}
	*out = (mode_t)v;
	return 0;
}

int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;

	/* The kernel's tmpfs takes size= as an unsigned long long of bytes; keep
	 * clear of overflow when it rounds up to pages. */
	if (parse_decimal(s, (unsigned long long)LLONG_MAX, &v) < 0 || v == 0)
		return -1;
	*out = v;
	return 0;
}

static __attribute__((noreturn)) void oom(void)
{
	sbx_die("out of memory");
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	void *q = reallocarray(p, n ? n : 1, size ? size : 1);
	if (q == NULL)
		oom();
	return q;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (p == NULL)
		oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	char *p;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (r < 0)
		oom();
	return p;
}

int read_all_fd(int fd, size_t max, char **out, size_t *len, struct sbx_err *err)
{
	/* The buffer doubles up to max + 1 bytes (the data and a NUL), never
	 * beyond: whether there is more than max is asked with one byte read
	 * into extra. */
	size_t lim = max < SIZE_MAX - 1 ? max : SIZE_MAX - 2;
	size_t cap = lim < 4096 ? lim + 1 : 4096, n = 0;
	_cleanup_free_ char *buf = xmalloc(cap);

	for (;;) {
		char extra;
		ssize_t r;

		if (n == cap - 1 && cap <= lim) {
			cap = cap > (lim + 1) / 2 ? lim + 1 : cap * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		if (n < cap - 1)
			r = SBX_RETRY(read(fd, buf + n, cap - 1 - n));
		else
			r = SBX_RETRY(read(fd, &extra, 1));
		if (r < 0)
			return sbx_fail_errno(err, "can't read fd %d", fd);
		if (r == 0)
			break;
		if (n == cap - 1) {
			sbx_fail(err, "fd %d holds more than %zu bytes", fd, lim);
			errno = EFBIG;
			return -1;
		}
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = sbx_steal_ptr(&buf);
	*len = n;
	return 0;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = SBX_RETRY(write(fd, p, len));
		if (w < 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int write_file_at(int dirfd, const char *path, const char *data)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -1;
	return write_all(fd, data, strlen(data));
}

ssize_t read_file_at(int dirfd, const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t r;

	if (fd < 0 || size == 0)
		return -1;
	r = SBX_RETRY(read(fd, buf, size - 1));
	if (r < 0)
		return -1;
	buf[r] = '\0';
	return r;
}
