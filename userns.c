/* userns: id maps and the diagnosis of a refused user namespace.
 *
 * MUST: an unprivileged caller maps exactly one uid and one gid, its own,
 *       and denies setgroups first (user_namespaces(7): required before an
 *       unprivileged gid_map write, and it stops dropping supplementary
 *       groups to reach files their ACLs deny).
 */
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A decimal number of at most 32 bits, digits only, in [s, e). */
static bool subid_number(const char *s, const char *e, uint32_t *v)
{
	uint64_t x = 0;

	if (s == e)
		return false;
	for (; s < e; s++) {
		if (*s < '0' || *s > '9')
			return false;
		x = x * 10 + (uint64_t)(*s - '0');
		if (x > UINT32_MAX)
			return false;
	}
	*v = (uint32_t)x;
	return true;
}

/* Whether the owner field [s, e) names this owner: the name, or the id
 * as a decimal number (all 32 bits: ids of 2^31 and above included). */
static bool subid_owner(const char *s, const char *e, const char *name, uint32_t id)
{
	uint32_t v;

	if (name && strlen(name) == (size_t)(e - s) && memcmp(s, name, (size_t)(e - s)) == 0)
		return true;
	return subid_number(s, e, &v) && v == id;
}

/* One line [s, e): 1 a range of this owner, 0 another's or no range (a
 * comment, a blank line), -1 malformed. Strict, as newuidmap reads it: no
 * blanks around fields, no sign. */
static int subid_line(const char *s, const char *e, const char *name, uint32_t id,
		      struct sbx_subid *r)
{
	const char *c1, *c2, *t;
	uint32_t start, count;

	if (memchr(s, '\0', (size_t)(e - s)))
		return -1;
	for (t = s; t < e && (*t == ' ' || *t == '\t'); t++)
		;
	if (t == e || *t == '#')
		return 0;
	c1 = memchr(s, ':', (size_t)(e - s));
	c2 = c1 ? memchr(c1 + 1, ':', (size_t)(e - c1 - 1)) : NULL;
	if (!c1 || !c2 || c1 == s || memchr(c2 + 1, ':', (size_t)(e - c2 - 1)))
		return -1;
	if (!subid_number(c1 + 1, c2, &start) || !subid_number(c2 + 1, e, &count) || count == 0 ||
	    (uint64_t)start + count > UINT32_MAX)
		return -1;
	if (!subid_owner(s, c1, name, id))
		return 0;
	r->start = start;
	r->count = count;
	return 1;
}

static int subid_cmp(const void *a, const void *b)
{
	const struct sbx_subid *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int userns_subid_parse(const char *text, size_t len, const char *name, uint32_t id,
		       struct sbx_subid **out, size_t *n, size_t *bad)
{
	const char *p = text, *end = text + len, *nl;
	struct sbx_subid *r = NULL, *grown, one;
	size_t cap = 0, k = 0, i, j;
	int got;

	*out = NULL;
	*n = 0;
	*bad = 0;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		got = subid_line(p, nl, name, id, &one);
		if (got < 0)
			(*bad)++;
		if (got <= 0)
			continue;
		if (k == cap) {
			cap = cap ? cap * 2 : 4;
			grown = reallocarray(r, cap, sizeof(*r));
			if (!grown) {
				free(r);
				return -1;
			}
			r = grown;
		}
		r[k++] = one;
	}
	if (k == 0) {
		free(r);
		return 0;
	}
	qsort(r, k, sizeof(*r), subid_cmp);
	for (i = 0, j = 1; j < k; j++) {
		uint64_t last = (uint64_t)r[i].start + r[i].count;

		if ((uint64_t)r[j].start <= last) {
			uint64_t to = (uint64_t)r[j].start + r[j].count;

			if (to > last)
				r[i].count = (uint32_t)(to - r[i].start);
		} else {
			r[++i] = r[j];
		}
	}
	*out = r;
	*n = i + 1;
	return 0;
}

bool userns_subid_owns(const struct sbx_subid *r, size_t n, uint32_t start, uint32_t count)
{
	uint64_t to = (uint64_t)start + count;
	size_t i;

	if (count == 0 || to > UINT32_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (start >= r[i].start && to <= (uint64_t)r[i].start + r[i].count)
			return true;
	return false;
}

void userns_map_line(char *buf, size_t size, unsigned inside, unsigned outside)
{
	snprintf(buf, size, "%u %u 1\n", inside, outside);
}

int userns_write_maps(pid_t pid, const struct sbx_plan *plan, struct sbx_err *err)
{
	char path[64], line[64];
	_cleanup_close_ int dir_fd = -1;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	dir_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return sbx_fail_errno(err, "can't open %s", path);

	userns_map_line(line, sizeof(line), plan->sandbox_uid, plan->real_uid);
	if (write_file_at(dir_fd, "uid_map", line) < 0)
		return sbx_fail_errno(err, "can't write uid map '%.*s'", (int)strlen(line) - 1,
				      line);
	if (!plan->real_root && write_file_at(dir_fd, "setgroups", "deny\n") < 0 && errno != ENOENT)
		return sbx_fail_errno(err, "can't write setgroups");
	userns_map_line(line, sizeof(line), plan->sandbox_gid, plan->real_gid);
	if (write_file_at(dir_fd, "gid_map", line) < 0)
		return sbx_fail_errno(err, "can't write gid map '%.*s'", (int)strlen(line) - 1,
				      line);
	return 0;
}

static long read_sysctl(const char *path)
{
	char buf[32];

	if (read_file_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

void userns_explain_failure(int e, struct sbx_err *err)
{
	long max = read_sysctl("/proc/sys/user/max_user_namespaces");

	if (max == 0) {
		sbx_fail(err, "can't create a user namespace: they are disabled "
			      "(sysctl user.max_user_namespaces=0; set it above 0, or install sbx "
			      "setuid root)");
	} else if (e == ENOSPC) {
		sbx_fail(err,
			 "can't create a user namespace: the limit is reached "
			 "(user.max_user_namespaces=%ld, or the nesting depth of 32); "
			 "raise the sysctl or end other sandboxes",
			 max);
	} else if (read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1) {
		sbx_fail(err, "can't create a user namespace: AppArmor forbids it "
			      "(kernel.apparmor_restrict_unprivileged_userns=1); add an AppArmor "
			      "profile for sbx that allows 'userns', or set the sysctl to 0");
	} else if (read_sysctl("/proc/sys/kernel/unprivileged_userns_clone") == 0) {
		sbx_fail(err, "can't create a user namespace: unprivileged ones are disabled "
			      "(kernel.unprivileged_userns_clone=0); set it to 1");
	} else if (e == EPERM) {
		sbx_fail(err,
			 "can't create a user namespace: %s (if this runs in a container, "
			 "its seccomp profile or missing privileges forbid unshare/clone of "
			 "namespaces; allow them, or run sbx outside)",
			 strerror(e));
	} else if (e == EINVAL) {
		sbx_fail(err,
			 "can't create namespaces: %s (the kernel lacks one of the "
			 "namespace types asked for)",
			 strerror(e));
	} else {
		errno = e;
		sbx_fail_errno(err, "can't create namespaces");
	}
}
