/* userns: id maps and the diagnosis of a refused user namespace.
 *
 * MUST: an unprivileged caller maps by itself exactly one uid and one gid,
 *       its own, and denies setgroups first (user_namespaces(7): required
 *       before an unprivileged gid_map write, and it stops dropping
 *       supplementary groups to reach files their ACLs deny).
 * MUST: any other map of an unprivileged caller is written by the setuid
 *       newuidmap/newgidmap, which check /etc/subuid and /etc/subgid
 *       themselves (and decide setgroups); sbx's own check before the
 *       clone only gives a clear refusal, it grants nothing.
 * MUST: newuidmap/newgidmap run with an empty environment and default
 *       signals, from the monitor, which never sets no_new_privs.
 */
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

int64_t userns_map_inside(const struct sbx_idmap *m, size_t n, uint32_t outside)
{
	for (size_t i = 0; i < n; i++)
		if (outside >= m[i].outside && outside - m[i].outside < m[i].count)
			return (int64_t)m[i].inside + (outside - m[i].outside);
	return -1;
}

bool userns_map_has_inside(const struct sbx_idmap *m, size_t n, uint32_t inside)
{
	for (size_t i = 0; i < n; i++)
		if (inside >= m[i].inside && inside - m[i].inside < m[i].count)
			return true;
	return false;
}

static bool ranges_meet(uint32_t a, uint32_t na, uint32_t b, uint32_t nb)
{
	return (uint64_t)a < (uint64_t)b + nb && (uint64_t)b < (uint64_t)a + na;
}

size_t userns_map_overlap(const struct sbx_idmap *m, size_t n)
{
	for (size_t j = 1; j < n; j++)
		for (size_t i = 0; i < j; i++)
			if (ranges_meet(m[i].inside, m[i].count, m[j].inside, m[j].count) ||
			    ranges_meet(m[i].outside, m[i].count, m[j].outside, m[j].count))
				return j;
	return 0;
}

int userns_map_text(const struct sbx_idmap *m, size_t n, char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return -1;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int k = snprintf(buf + len, size - len, "%u %u %u\n", m[i].inside, m[i].outside,
				 m[i].count);

		if (k < 0 || (size_t)k >= size - len)
			return -1;
		len += (size_t)k;
	}
	return (int)len;
}

bool userns_passwd_name(const char *text, size_t len, uint32_t uid, char *out, size_t size)
{
	for (const char *line = text, *end = text + len; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *stop = eol ? eol : end;
		const char *c1 = memchr(line, ':', (size_t)(stop - line));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(stop - c1 - 1)) : NULL;
		const char *c3 = c2 ? memchr(c2 + 1, ':', (size_t)(stop - c2 - 1)) : NULL;
		uint32_t v;

		if (c3 && c1 > line && (size_t)(c1 - line) < size && subid_number(c2 + 1, c3, &v) &&
		    v == uid && memchr(line, '\0', (size_t)(c1 - line)) == NULL) {
			memcpy(out, line, (size_t)(c1 - line));
			out[c1 - line] = '\0';
			return true;
		}
		line = eol ? eol + 1 : end;
	}
	return false;
}

/* Where Debian's uidmap puts the helpers. */
static const char *find_helper(const char *name, char *buf, size_t size)
{
	static const char *const dirs[] = { "/usr/bin", "/bin", "/usr/sbin", "/sbin" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(buf, size, "%s/%s", dirs[i], name);
		if (access(buf, X_OK) == 0)
			return buf;
	}
	return NULL;
}

/* One map's check: a helper to write it, and every range (but the
 * caller's own id alone) delegated to the caller in file. */
static int check_map(const struct sbx_idmap *m, size_t n, const char *what, const char *file,
		     const char *helper, const char *name, uint32_t own, struct sbx_err *err)
{
	char path[64], *text = NULL;
	size_t len = 0, n_ranges = 0, bad = 0;
	struct sbx_subid *ranges = NULL;
	int fd, r = 0;

	if (n == 0)
		return 0;
	if (find_helper(helper, path, sizeof(path)) == NULL)
		return sbx_fail(err,
				"--%s-map needs %s, which is not installed (Debian, Ubuntu: "
				"apt-get install uidmap; Fedora: shadow-utils)",
				what, helper);
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return sbx_fail_errno(
			err,
			"--%s-map: can't read %s, which says which %ss are yours to map "
			"(an administrator adds a range: usermod --add-sub%ss FIRST-LAST %s)",
			what, file, what, what, name ? name : "USER");
	if (read_all_fd(fd, 1 << 20, &text, &len, err) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	if (userns_subid_parse(text, len, name, own, &ranges, &n_ranges, &bad) < 0) {
		free(text);
		return sbx_fail(err, "out of memory");
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		if (m[i].count == 1 && m[i].outside == own)
			continue; /* the caller's own id: newuidmap maps it without a range */
		if (!userns_subid_owns(ranges, n_ranges, m[i].outside, m[i].count))
			r = sbx_fail(err,
				     "--%s-map %u %u %u: %ss %u-%u are not delegated to %s in %s "
				     "(an administrator adds them: usermod --add-sub%ss %u-%u %s)",
				     what, m[i].inside, m[i].outside, m[i].count, what,
				     m[i].outside, m[i].outside + (m[i].count - 1),
				     name ? name : "you", file, what, m[i].outside,
				     m[i].outside + (m[i].count - 1), name ? name : "USER");
	}
	free(ranges);
	free(text);
	return r;
}

int userns_check_maps(const struct sbx_plan *plan, struct sbx_err *err)
{
	char name[256], *passwd = NULL;
	size_t len = 0;
	bool named = false;
	int fd;

	if (plan->real_root || (plan->n_uid_map == 0 && plan->n_gid_map == 0))
		return 0;
	/* The name newuidmap matches lines by: /etc/passwd's (no NSS in a
	 * static sbx), else $LOGNAME. A wrong one only changes which lines
	 * this check reads; newuidmap decides with its own. */
	fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd >= 0 && read_all_fd(fd, 16 << 20, &passwd, &len, err) == 0)
		named = userns_passwd_name(passwd, len, (uint32_t)plan->real_uid, name,
					   sizeof(name));
	if (fd >= 0)
		close(fd);
	free(passwd);
	if (!named && getenv("LOGNAME") && strlen(getenv("LOGNAME")) < sizeof(name)) {
		strcpy(name, getenv("LOGNAME"));
		named = true;
	}
	if (check_map(plan->uid_map, plan->n_uid_map, "uid", "/etc/subuid", "newuidmap",
		      named ? name : NULL, (uint32_t)plan->real_uid, err) < 0 ||
	    check_map(plan->gid_map, plan->n_gid_map, "gid", "/etc/subgid", "newgidmap",
		      named ? name : NULL, (uint32_t)plan->real_gid, err) < 0)
		return -1;
	return 0;
}

/* newuidmap PID IN OUT COUNT... (or newgidmap): 0, or -1 with why. */
static int run_map_helper(const char *helper, pid_t pid, const struct sbx_idmap *m, size_t n,
			  struct sbx_err *err)
{
	char path[64], pid_s[16], nums[SBX_MAX_IDMAP][3][12];
	char *argv[2 + 3 * SBX_MAX_IDMAP + 1];
	static char path_env[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	char *const envp[] = { path_env, NULL };
	posix_spawnattr_t attr;
	sigset_t none, all;
	pid_t child;
	int st, r;
	size_t k = 0;

	if (find_helper(helper, path, sizeof(path)) == NULL)
		return sbx_fail(err, "%s is not installed (apt-get install uidmap)", helper);
	snprintf(pid_s, sizeof(pid_s), "%d", (int)pid);
	argv[k++] = path;
	argv[k++] = pid_s;
	for (size_t i = 0; i < n; i++) {
		snprintf(nums[i][0], sizeof(nums[i][0]), "%u", m[i].inside);
		snprintf(nums[i][1], sizeof(nums[i][1]), "%u", m[i].outside);
		snprintf(nums[i][2], sizeof(nums[i][2]), "%u", m[i].count);
		argv[k++] = nums[i][0];
		argv[k++] = nums[i][1];
		argv[k++] = nums[i][2];
	}
	argv[k] = NULL;
	/* The helper gets default signals, none blocked (the monitor blocks
	 * the ones it takes synchronously). */
	sigemptyset(&none);
	sigfillset(&all);
	if (posix_spawnattr_init(&attr) != 0)
		return sbx_fail(err, "can't run %s", helper);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	r = posix_spawn(&child, path, NULL, &attr, argv, envp);
	posix_spawnattr_destroy(&attr);
	if (r != 0) {
		errno = r;
		return sbx_fail_errno(err, "can't run %s", path);
	}
	if (SBX_RETRY(waitpid(child, &st, 0)) != child)
		return sbx_fail_errno(err, "can't wait for %s", helper);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return sbx_fail(err, "%s refused the map (it said why above)", helper);
	return 0;
}

/* One map file: the plan's lines (root: by ourselves; else by the setuid
 * helper), or bwrap's single id. */
static int write_map(int dir_fd, pid_t pid, const char *file, const char *helper,
		     const struct sbx_idmap *m, size_t n, bool root, unsigned inside,
		     unsigned outside, struct sbx_err *err)
{
	static char text[SBX_MAX_IDMAP * 40];

	if (n > 0 && !root)
		return run_map_helper(helper, pid, m, n, err);
	if (n > 0) {
		if (userns_map_text(m, n, text, sizeof(text)) < 0)
			return sbx_fail(err, "the %s is too long", file);
	} else {
		userns_map_line(text, sizeof(text), inside, outside);
	}
	if (write_file_at(dir_fd, file, text) < 0)
		return sbx_fail_errno(err, "can't write %s '%.*s'", file, (int)strcspn(text, "\n"),
				      text);
	return 0;
}

int userns_write_maps(pid_t pid, const struct sbx_plan *plan, struct sbx_err *err)
{
	char path[64];
	_cleanup_close_ int dir_fd = -1;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	dir_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return sbx_fail_errno(err, "can't open %s", path);

	if (write_map(dir_fd, pid, "uid_map", "newuidmap", plan->uid_map, plan->n_uid_map,
		      plan->real_root, plan->sandbox_uid, plan->real_uid, err) < 0)
		return -1;
	/* newgidmap decides setgroups itself (allow, for a delegated range). */
	if (!plan->real_root && plan->n_gid_map == 0 &&
	    write_file_at(dir_fd, "setgroups", "deny\n") < 0 && errno != ENOENT)
		return sbx_fail_errno(err, "can't write setgroups");
	return write_map(dir_fd, pid, "gid_map", "newgidmap", plan->gid_map, plan->n_gid_map,
			 plan->real_root, plan->sandbox_gid, plan->real_gid, err);
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
