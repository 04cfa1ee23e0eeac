/* Unit tests for util.c's strict parsers and helpers. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

/* read_all_fd() grows its buffer with xreallocarray(): this stand-in for
 * libc's records the largest size asked for while counting is on. */
static bool count_allocs;
static size_t biggest_alloc;

void *reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	if (count_allocs && n * size > biggest_alloc)
		biggest_alloc = n * size;
	return realloc(p, n * size);
}

/* A file of size zero bytes, at offset 0. */
static int zeros(size_t size)
{
	int fd = memfd_create("zeros", MFD_CLOEXEC);

	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)size), 0);
	return fd;
}

Test(parse_fd, accepts_plain_decimal)
{
	int fd = -1;

	cr_assert_eq(parse_fd("0", &fd), 0);
	cr_assert_eq(fd, 0);
	cr_assert_eq(parse_fd("2147483647", &fd), 0);
	cr_assert_eq(fd, 2147483647);
}

Test(parse_fd, rejects_everything_else)
{
	const char *bad[] = {
		"", "-1", "+3", " 3", "3 ", "0x3", "3a", "2147483648", "99999999999999999999", "1e3"
	};
	int fd = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(parse_fd(bad[i], &fd), -1, "accepted '%s'", bad[i]);
	cr_assert_eq(fd, 42, "a failed parse must not write its output");
}

Test(parse_id, range)
{
	uint32_t id;

	cr_assert_eq(parse_id("4294967294", &id), 0);
	cr_assert_eq(id, 4294967294u);
	cr_assert_eq(parse_id("4294967295", &id), -1, "(uid_t)-1 is not an id");
	cr_assert_eq(parse_id("-1", &id), -1);
	cr_assert_eq(parse_id("", &id), -1);
}

Test(parse_octal_mode, range_and_digits)
{
	mode_t m;

	cr_assert_eq(parse_octal_mode("0755", &m), 0);
	cr_assert_eq(m, 0755);
	cr_assert_eq(parse_octal_mode("7777", &m), 0);
	cr_assert_eq(m, 07777);
	cr_assert_eq(parse_octal_mode("0", &m), 0);
	cr_assert_eq(m, 0);
	cr_assert_eq(parse_octal_mode("10000", &m), -1);
	cr_assert_eq(parse_octal_mode("0789", &m), -1);
	cr_assert_eq(parse_octal_mode("999", &m), -1);
	cr_assert_eq(parse_octal_mode("", &m), -1);
	cr_assert_eq(parse_octal_mode("-1", &m), -1);
	cr_assert_eq(parse_octal_mode("00000000000000000000755", &m), 0, "leading zeros are fine");
}

Test(parse_size, positive_decimal_only)
{
	uint64_t s;

	cr_assert_eq(parse_size("1048576", &s), 0);
	cr_assert_eq(s, 1048576);
	cr_assert_eq(parse_size("0", &s), -1);
	cr_assert_eq(parse_size("abc", &s), -1);
	cr_assert_eq(parse_size("10k", &s), -1);
	cr_assert_eq(parse_size("-5", &s), -1);
	cr_assert_eq(parse_size("9223372036854775807", &s), 0);
	cr_assert_eq(parse_size("9223372036854775808", &s), -1);
}

Test(errors, messages_are_formatted_and_errno_appended)
{
	struct sbx_err err;

	cr_assert_eq(sbx_fail(&err, "can't %s %d", "do", 3), -1);
	cr_assert_str_eq(err.msg, "can't do 3");
	errno = ENOENT;
	cr_assert_eq(sbx_fail_errno(&err, "can't open %s", "/x"), -1);
	cr_assert_str_eq(err.msg, "can't open /x: No such file or directory");
}

Test(errors, long_messages_are_truncated_not_overflowed)
{
	struct sbx_err err;
	char big[2000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sbx_fail(&err, "%s", big);
	cr_assert_eq(strlen(err.msg), sizeof(err.msg) - 1);
}

Test(progname, basename_of_argv0)
{
	sbx_set_progname("/usr/local/bin/bwrap");
	cr_assert_str_eq(sbx_progname(), "bwrap");
	sbx_set_progname("sbx");
	cr_assert_str_eq(sbx_progname(), "sbx");
	sbx_set_progname("");
	cr_assert_str_eq(sbx_progname(), "sbx");
}

Test(read_all_fd, reads_everything_with_nuls)
{
	struct sbx_err err;
	int p[2];
	char *buf;
	size_t len;

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], "a\0bc\0", 5), 5);
	close(p[1]);
	cr_assert_eq(read_all_fd(p[0], 100, &buf, &len, &err), 0);
	cr_assert_eq(len, 5);
	cr_assert_eq(memcmp(buf, "a\0bc\0", 5), 0);
	cr_assert_eq(buf[5], '\0');
	free(buf);
	close(p[0]);
}

Test(read_all_fd, bad_fd_is_an_error)
{
	struct sbx_err err;
	char *buf;
	size_t len;

	cr_assert_eq(read_all_fd(987, 100, &buf, &len, &err), -1);
	cr_assert(strstr(err.msg, "fd 987") != NULL, "%s", err.msg);
}

/* The buffer never grows past max + 1 (it once doubled to twice max), with
 * exactly max bytes or with more. max is one past a power of two, where
 * doubling overshoots most. */
Test(read_all_fd, never_allocates_more_than_max)
{
	const size_t max = ((size_t)1 << 20) + 1;
	struct sbx_err err;
	char *buf;
	size_t len;
	int fd = zeros(max);

	biggest_alloc = 0;
	count_allocs = true;
	cr_assert_eq(read_all_fd(fd, max, &buf, &len, &err), 0, "%s", err.msg);
	count_allocs = false;
	cr_assert_eq(len, max);
	cr_assert_eq(buf[max], '\0');
	cr_assert_leq(biggest_alloc, max + 1, "allocated %zu for %zu bytes", biggest_alloc, max);
	free(buf);
	close(fd);

	fd = zeros(max + 1);
	biggest_alloc = 0;
	count_allocs = true;
	cr_assert_eq(read_all_fd(fd, max, &buf, &len, &err), -1);
	count_allocs = false;
	cr_assert_eq(errno, EFBIG);
	cr_assert(strstr(err.msg, "holds more than 1048577 bytes") != NULL, "%s", err.msg);
	cr_assert_leq(biggest_alloc, max + 1, "allocated %zu for %zu bytes", biggest_alloc, max);
	close(fd);
}

Test(read_all_fd, small_limits)
{
	struct sbx_err err;
	char *buf;
	size_t len;

	for (size_t max = 0; max < 3; max++) {
		for (size_t size = 0; size < 4; size++) {
			int fd = zeros(size);
			int r = read_all_fd(fd, max, &buf, &len, &err);

			if (size <= max) {
				cr_assert_eq(r, 0, "max %zu size %zu: %s", max, size, err.msg);
				cr_assert_eq(len, size);
				free(buf);
			} else {
				cr_assert_eq(r, -1, "max %zu size %zu", max, size);
				cr_assert_eq(errno, EFBIG);
			}
			close(fd);
		}
	}
}

Test(read_all_fd, more_than_max_is_an_error)
{
	struct sbx_err err;
	int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	char *buf;
	size_t len;

	cr_assert_geq(fd, 0);
	cr_assert_eq(read_all_fd(fd, 1 << 20, &buf, &len, &err), -1);
	cr_assert(strstr(err.msg, "holds more than 1048576 bytes") != NULL, "%s", err.msg);
	close(fd);
}
