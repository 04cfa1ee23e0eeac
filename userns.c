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
#include <sys/file.h>
#include <sys/stat.h>
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

/* Room for element k of the array *arrp (of cap elements of size bytes),
 * doubling it when full; on failure the array is freed and *arrp NULL. */
static int grow(void *arrp, size_t *cap, size_t k, size_t size)
{
	void *a, *g;
	size_t n = *cap ? *cap * 2 : 8;

	if (k < *cap)
		return 0;
	memcpy(&a, arrp, sizeof(a));
	g = reallocarray(a, n, size);
	if (!g)
		free(a);
	memcpy(arrp, &g, sizeof(g));
	if (!g)
		return -1;
	*cap = n;
	return 0;
}

int userns_subid_parse(const char *text, size_t len, const char *name, uint32_t id,
		       struct sbx_subid **out, size_t *n, size_t *bad)
{
	const char *p = text, *end = text + len, *nl;
	struct sbx_subid *r = NULL, one;
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
		if (grow(&r, &cap, k, sizeof(*r)) < 0)
			return -1;
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

/* A decimal number of at most 64 bits, digits only, in [s, e). */
static bool dec64(const char *s, const char *e, uint64_t *v)
{
	uint64_t x = 0;

	if (s == e)
		return false;
	for (; s < e; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (*s < '0' || *s > '9' || x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

/* The next space-separated field of [*p, e) in [*fs, *fe). */
static bool next_field(const char **p, const char *e, const char **fs, const char **fe)
{
	const char *s = *p;

	while (s < e && *s == ' ')
		s++;
	if (s == e)
		return false;
	*fs = s;
	while (s < e && *s != ' ')
		s++;
	*fe = *p = s;
	return true;
}

/* "u|g START COUNT PIDNS PID STARTTIME", nothing more. */
static bool claim_line(const char *s, const char *e, struct sbx_claim *c)
{
	const char *fs, *fe;
	uint64_t v[5];

	if (!next_field(&s, e, &fs, &fe) || fe - fs != 1 || (*fs != 'u' && *fs != 'g'))
		return false;
	c->kind = *fs;
	for (int i = 0; i < 5; i++)
		if (!next_field(&s, e, &fs, &fe) || !dec64(fs, fe, &v[i]))
			return false;
	if (next_field(&s, e, &fs, &fe) || v[0] > UINT32_MAX || v[1] == 0 ||
	    v[0] + v[1] > UINT32_MAX || v[3] == 0 || v[3] > INT32_MAX)
		return false;
	c->start = (uint32_t)v[0];
	c->count = (uint32_t)v[1];
	c->pidns = v[2];
	c->pid = (int32_t)v[3];
	c->ptime = v[4];
	return true;
}

int userns_claims_parse(const char *text, size_t len, struct sbx_claim **out, size_t *n)
{
	const char *p = text, *end = text + len, *nl;
	struct sbx_claim *c = NULL, one;
	size_t cap = 0, k = 0;

	*out = NULL;
	*n = 0;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (!claim_line(p, nl, &one))
			continue;
		if (grow(&c, &cap, k, sizeof(*c)) < 0)
			return -1;
		c[k++] = one;
	}
	if (k == 0)
		free(c);
	else
		*out = c;
	*n = k;
	return 0;
}

bool userns_stat_parse(const char *text, size_t len, uint64_t *ptime, char *state)
{
	/* One line. The command name, field 2, is in parentheses and may hold
	 * anything (blanks, ')'): the fields that follow begin after the last
	 * ')'. */
	const char *e = memchr(text, '\n', len), *p, *fs = NULL, *fe = NULL;

	if (!e)
		e = text + len;
	p = memrchr(text, ')', (size_t)(e - text));
	if (!p)
		return false;
	p++;
	for (int field = 3; field <= 22; field++) {
		if (!next_field(&p, e, &fs, &fe))
			return false;
		if (field == 3 && fe - fs != 1)
			return false;
		if (field == 3)
			*state = *fs;
	}
	return dec64(fs, fe, ptime);
}

bool userns_slice_fit(const struct sbx_subid *owned, size_t n_owned, const struct sbx_subid *used,
		      size_t n_used, uint32_t count, uint32_t *start)
{
	if (count == 0)
		return false;
	for (size_t i = 0; i < n_owned; i++) {
		uint64_t at = owned[i].start, end = (uint64_t)owned[i].start + owned[i].count;
		bool moved = true;

		/* Past every used range that meets [at, at + count): each move
		 * is forward, so this ends. */
		while (moved && at + count <= end) {
			moved = false;
			for (size_t j = 0; j < n_used; j++) {
				uint64_t u = used[j].start, ue = u + used[j].count;

				if (u < at + count && at < ue) {
					at = ue;
					moved = true;
				}
			}
		}
		if (at + count <= end) {
			*start = (uint32_t)at;
			return true;
		}
	}
	return false;
}

size_t userns_slice_map(uint32_t inside, uint32_t own, uint32_t start, uint32_t count,
			struct sbx_idmap out[3])
{
	size_t k = 0;

	if (inside > 0)
		out[k++] = (struct sbx_idmap){ 0, start, inside };
	out[k++] = (struct sbx_idmap){ inside, own, 1 };
	if (inside < count)
		out[k++] = (struct sbx_idmap){ inside + 1, start + inside, count - inside };
	return k;
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

/* The caller's ranges in file (/etc/subuid or /etc/subgid), owner name
 * or uid own: *ranges malloc'd (NULL when none), *n. what ("uid", "gid")
 * and opt name the option in a refusal. */
static int read_owned(const char *file, const char *name, uint32_t own, const char *opt,
		      const char *what, struct sbx_subid **ranges, size_t *n, struct sbx_err *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0, bad = 0;
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return sbx_fail_errno(err,
				      "%s: can't read %s, which says which %ss are yours to map "
				      "(an administrator adds a range: usermod --add-sub%ss "
				      "FIRST-LAST %s)",
				      opt, file, what, what, name ? name : "USER");
	if (read_all_fd(fd, 1 << 20, &text, &len, err) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	if (userns_subid_parse(text, len, name, own, ranges, n, &bad) < 0)
		return sbx_fail(err, "out of memory");
	return 0;
}

/* The helper is there (an unprivileged caller's maps need it). */
static int check_helper(const char *opt, const char *helper, struct sbx_err *err)
{
	char path[64];

	if (find_helper(helper, path, sizeof(path)) == NULL)
		return sbx_fail(err,
				"%s needs %s, which is not installed (Debian, Ubuntu: "
				"apt-get install uidmap; Fedora: shadow-utils)",
				opt, helper);
	return 0;
}

/* One map's check: every range (but the caller's own id alone) delegated
 * to the caller in file. */
static int check_map(const struct sbx_idmap *m, size_t n, const char *what, const char *file,
		     const char *name, uint32_t own, struct sbx_err *err)
{
	_cleanup_free_ struct sbx_subid *ranges = NULL;
	char opt[16];
	size_t n_ranges = 0;

	if (n == 0)
		return 0;
	snprintf(opt, sizeof(opt), "--%s-map", what);
	if (check_helper(opt, what[0] == 'u' ? "newuidmap" : "newgidmap", err) < 0 ||
	    read_owned(file, name, own, opt, what, &ranges, &n_ranges, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (m[i].count == 1 && m[i].outside == own)
			continue; /* the caller's own id: newuidmap maps it without a range */
		if (!userns_subid_owns(ranges, n_ranges, m[i].outside, m[i].count))
			return sbx_fail(err,
					"--%s-map %u %u %u: %ss %u-%u are not delegated to %s in "
					"%s (an administrator adds them: usermod --add-sub%ss "
					"%u-%u %s)",
					what, m[i].inside, m[i].outside, m[i].count, what,
					m[i].outside, m[i].outside + (m[i].count - 1),
					name ? name : "you", file, what, m[i].outside,
					m[i].outside + (m[i].count - 1), name ? name : "USER");
	}
	return 0;
}

/* The name newuidmap matches lines by: /etc/passwd's (no NSS in a static
 * sbx), else $LOGNAME. A wrong one only changes which lines sbx's checks
 * read; newuidmap decides with its own. */
static const char *caller_name(uid_t uid, char *name, size_t size)
{
	_cleanup_free_ char *passwd = NULL;
	struct sbx_err err;
	size_t len = 0;
	bool named = false;
	const char *logname;
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd >= 0 && read_all_fd(fd, 16 << 20, &passwd, &len, &err) == 0)
		named = userns_passwd_name(passwd, len, (uint32_t)uid, name, size);
	if (fd >= 0)
		close(fd);
	logname = getenv("LOGNAME");
	if (!named && logname && strlen(logname) < size) {
		strcpy(name, logname);
		named = true;
	}
	return named ? name : NULL;
}

int userns_check_maps(const struct sbx_plan *plan, struct sbx_err *err)
{
	char buf[256];
	const char *name;

	if (plan->real_root || (plan->n_uid_map == 0 && plan->n_gid_map == 0))
		return 0;
	name = caller_name(plan->real_uid, buf, sizeof(buf));
	if (check_map(plan->uid_map, plan->n_uid_map, "uid", "/etc/subuid", name,
		      (uint32_t)plan->real_uid, err) < 0 ||
	    check_map(plan->gid_map, plan->n_gid_map, "gid", "/etc/subgid", name,
		      (uint32_t)plan->real_gid, err) < 0)
		return -1;
	return 0;
}

/* The registry of --auto-map: RUNTIME_DIR/sbx (mode 0700, the caller's),
 * the file "ranges" of claims, rewritten whole (a new file renamed over
 * it), and "lock", flock'd across each read-modify-write. */

/* The registry directory, made if need be; an O_PATH fd of it. */
static int registry_dir(const struct sbx_plan *plan, struct sbx_slice *s, struct sbx_err *err)
{
	const char *base = plan->runtime_dir;
	_cleanup_close_ int base_fd = -1;
	struct stat st;
	int fd;

	if ((size_t)snprintf(s->dir, sizeof(s->dir), "%s/sbx", base) >= sizeof(s->dir))
		return sbx_fail(err, "--auto-map: the runtime directory's name is too long");
	base_fd = open(base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (base_fd < 0)
		return sbx_fail_errno(err,
				      "--auto-map: can't open %s, where the registry of slices "
				      "in use lives",
				      base);
	/* Anyone else who could write here could make two sandboxes share a
	 * slice. */
	if (fstat(base_fd, &st) < 0 || st.st_uid != plan->real_uid || (st.st_mode & 022))
		return sbx_fail(err,
				"--auto-map: %s is not yours alone (it must be owned by uid %u "
				"and writable by no one else), so it can't hold the registry "
				"of slices in use",
				base, (unsigned)plan->real_uid);
	if (mkdirat(base_fd, "sbx", 0700) < 0 && errno != EEXIST)
		return sbx_fail_errno(err, "--auto-map: can't create %s", s->dir);
	fd = openat(base_fd, "sbx", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return sbx_fail_errno(err, "--auto-map: can't open %s", s->dir);
	if (fstat(fd, &st) < 0 || st.st_uid != plan->real_uid || (st.st_mode & 077)) {
		close(fd);
		return sbx_fail(err, "--auto-map: %s must be a directory of uid %u with mode 0700",
				s->dir, (unsigned)plan->real_uid);
	}
	return fd;
}

/* The registry's lock, taken: an fd to close to let it go. */
static int registry_lock(int dir_fd, const char *dir, struct sbx_err *err)
{
	int fd = openat(dir_fd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);

	if (fd < 0)
		return sbx_fail_errno(err, "--auto-map: can't open %s/lock", dir);
	if (SBX_RETRY(flock(fd, LOCK_EX)) < 0) {
		close(fd);
		return sbx_fail_errno(err, "--auto-map: can't lock %s/lock", dir);
	}
	return fd;
}

/* Whether the holder of claim c still runs. Another PID namespace's pid
 * can't be looked up from here: such a claim is kept. */
static bool holder_alive(const struct sbx_claim *c, uint64_t pidns)
{
	char path[32], buf[1024], state = 0;
	uint64_t t;
	ssize_t n;

	if (c->pidns != pidns)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)c->pid);
	n = read_file_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		return errno != ENOENT && errno != ESRCH;
	/* pid and start time: a reused pid is another process. A zombie's
	 * sandbox is gone (its processes die with it, PR_SET_PDEATHSIG). */
	if (!userns_stat_parse(buf, (size_t)n, &t, &state))
		return true;
	return t == c->ptime && state != 'Z' && state != 'X';
}

static bool claim_of(const struct sbx_claim *c, const struct sbx_slice *s)
{
	return c->pid == s->pid && c->ptime == s->ptime && c->pidns == s->pidns;
}

/* Under the lock: the claims whose holders run, but for s's own. */
static int registry_load(int dir_fd, const struct sbx_slice *s, struct sbx_claim **out, size_t *n,
			 struct sbx_err *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0, k = 0;
	int fd = openat(dir_fd, "ranges", O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);

	*out = NULL;
	*n = 0;
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return sbx_fail_errno(err, "--auto-map: can't open %s/ranges", s->dir);
	if (read_all_fd(fd, 4 << 20, &text, &len, err) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	if (userns_claims_parse(text, len, out, n) < 0)
		return sbx_fail(err, "out of memory");
	for (size_t i = 0; i < *n; i++)
		if (!claim_of(&(*out)[i], s) && holder_alive(&(*out)[i], s->pidns))
			(*out)[k++] = (*out)[i];
	*n = k;
	return 0;
}

/* Under the lock: replace the registry with these claims. */
static int registry_store(int dir_fd, const struct sbx_slice *s, const struct sbx_claim *c,
			  size_t n, struct sbx_err *err)
{
	_cleanup_free_ char *text = malloc(n * 80 + 1);
	size_t len = 0;
	int fd, r;

	if (!text)
		return sbx_fail(err, "out of memory");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, 80, "%c %u %u %llu %d %llu\n", c[i].kind,
					c[i].start, c[i].count, (unsigned long long)c[i].pidns,
					(int)c[i].pid, (unsigned long long)c[i].ptime);
	fd = openat(dir_fd, "ranges.new", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	if (fd < 0)
		return sbx_fail_errno(err, "--auto-map: can't write %s/ranges.new", s->dir);
	r = write_all(fd, text, len);
	if (close(fd) < 0 || r < 0 || renameat(dir_fd, "ranges.new", dir_fd, "ranges") < 0)
		return sbx_fail_errno(err, "--auto-map: can't write %s/ranges", s->dir);
	return 0;
}

/* Who holds a slice: this process, by pid, start time and PID namespace. */
static int identify_self(struct sbx_slice *s, struct sbx_err *err)
{
	char buf[1024], state;
	struct stat st;
	ssize_t n = read_file_at(AT_FDCWD, "/proc/self/stat", buf, sizeof(buf));

	if (n < 0 || !userns_stat_parse(buf, (size_t)n, &s->ptime, &state) ||
	    stat("/proc/self/ns/pid", &st) < 0)
		return sbx_fail(err, "--auto-map: can't read /proc/self, which names the holder "
				     "of a slice (is /proc mounted?)");
	s->pid = (int32_t)getpid();
	s->pidns = (uint64_t)st.st_ino;
	return 0;
}

/* A free slice of s->count ids of one kind, first fit among the owned
 * ranges, clear of the live claims and of the caller's own id. */
static int fit_kind(const struct sbx_claim *c, size_t n, char kind, uint32_t own,
		    const struct sbx_subid *owned, size_t n_owned, uint32_t count, uint32_t *start,
		    size_t *holders)
{
	_cleanup_free_ struct sbx_subid *used = calloc(n + 1, sizeof(*used));
	size_t k = 0;

	if (!used)
		return -1;
	used[k++] = (struct sbx_subid){ own, 1 };
	for (size_t i = 0; i < n; i++)
		if (c[i].kind == kind)
			used[k++] = (struct sbx_subid){ c[i].start, c[i].count };
	*holders = k - 1;
	return userns_slice_fit(owned, n_owned, used, k, count, start) ? 0 : 1;
}

/* The slices of both kinds, or a refusal that says what is missing. */
static int fit_slices(const struct sbx_plan *plan, const struct sbx_claim *c, size_t n,
		      struct sbx_slice *s, struct sbx_err *err)
{
	static const char *const what[2] = { "uid", "gid" }, *const file[2] = { "/etc/subuid",
										"/etc/subgid" };
	uint32_t own[2] = { (uint32_t)plan->real_uid, (uint32_t)plan->real_gid };
	uint32_t *start[2] = { &s->uid_start, &s->gid_start };
	char buf[256];
	const char *name = caller_name(plan->real_uid, buf, sizeof(buf));

	for (int k = 0; k < 2; k++) {
		_cleanup_free_ struct sbx_subid *owned = NULL;
		size_t n_owned = 0, holders = 0;
		int r;

		if (read_owned(file[k], name, own[k], "--auto-map", what[k], &owned, &n_owned,
			       err) < 0)
			return -1;
		if (n_owned == 0)
			return sbx_fail(err,
					"--auto-map: %s has no subordinate %ss in %s (an "
					"administrator delegates some: usermod --add-sub%ss "
					"100000-165535 %s)",
					name ? name : "this user", what[k], file[k], what[k],
					name ? name : "USER");
		r = fit_kind(c, n, what[k][0], own[k], owned, n_owned, s->count, start[k],
			     &holders);
		if (r < 0)
			return sbx_fail(err, "out of memory");
		if (r > 0)
			return sbx_fail(err,
					"--auto-map: no free slice of %u %ss among %s's in %s "
					"(%zu held by running sandboxes; end some, ask for fewer "
					"with --auto-map-size, or have more delegated)",
					s->count, what[k], name ? name : "this user", file[k],
					holders);
	}
	return 0;
}

int userns_auto_claim(const struct sbx_plan *plan, struct sbx_slice *s, struct sbx_err *err)
{
	_cleanup_free_ struct sbx_claim *c = NULL;
	_cleanup_close_ int dir_fd = -1, lock_fd = -1;
	struct sbx_claim *grown;
	size_t n = 0;

	memset(s, 0, sizeof(*s));
	if (plan->auto_map_size < 2)
		return 0;
	if (!plan->real_root && (check_helper("--auto-map", "newuidmap", err) < 0 ||
				 check_helper("--auto-map", "newgidmap", err) < 0))
		return -1;
	if (identify_self(s, err) < 0 || (dir_fd = registry_dir(plan, s, err)) < 0 ||
	    (lock_fd = registry_lock(dir_fd, s->dir, err)) < 0 ||
	    registry_load(dir_fd, s, &c, &n, err) < 0)
		return -1;
	s->count = plan->auto_map_size - 1;
	if (fit_slices(plan, c, n, s, err) < 0) {
		s->count = 0;
		return -1;
	}
	grown = reallocarray(c, n + 2, sizeof(*c));
	if (!grown) {
		s->count = 0;
		return sbx_fail(err, "out of memory");
	}
	c = grown;
	c[n++] = (struct sbx_claim){ 'u', s->uid_start, s->count, s->pidns, s->ptime, s->pid };
	c[n++] = (struct sbx_claim){ 'g', s->gid_start, s->count, s->pidns, s->ptime, s->pid };
	if (registry_store(dir_fd, s, c, n, err) < 0) {
		s->count = 0;
		return -1;
	}
	return 0;
}

void userns_auto_release(const struct sbx_slice *s)
{
	_cleanup_free_ struct sbx_claim *c = NULL;
	_cleanup_close_ int dir_fd = -1, lock_fd = -1;
	struct sbx_err err;
	size_t n = 0;

	if (s->count == 0)
		return;
	dir_fd = open(s->dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir_fd < 0 || (lock_fd = registry_lock(dir_fd, s->dir, &err)) < 0 ||
	    registry_load(dir_fd, s, &c, &n, &err) < 0)
		return;
	(void)registry_store(dir_fd, s, c, n, &err);
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

int userns_write_maps(pid_t pid, const struct sbx_plan *plan, const struct sbx_slice *slice,
		      struct sbx_err *err)
{
	struct sbx_idmap auto_uid[3], auto_gid[3];
	const struct sbx_idmap *um = plan->uid_map, *gm = plan->gid_map;
	size_t n_um = plan->n_uid_map, n_gm = plan->n_gid_map;
	char path[64];
	_cleanup_close_ int dir_fd = -1;

	if (slice && slice->count) {
		n_um = userns_slice_map(plan->sandbox_uid, plan->real_uid, slice->uid_start,
					slice->count, auto_uid);
		n_gm = userns_slice_map(plan->sandbox_gid, plan->real_gid, slice->gid_start,
					slice->count, auto_gid);
		um = auto_uid;
		gm = auto_gid;
	}
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	dir_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return sbx_fail_errno(err, "can't open %s", path);

	if (write_map(dir_fd, pid, "uid_map", "newuidmap", um, n_um, plan->real_root,
		      plan->sandbox_uid, plan->real_uid, err) < 0)
		return -1;
	/* newgidmap decides setgroups itself (allow, for a delegated range). */
	if (!plan->real_root && n_gm == 0 && write_file_at(dir_fd, "setgroups", "deny\n") < 0 &&
	    errno != ENOENT)
		return sbx_fail_errno(err, "can't write setgroups");
	return write_map(dir_fd, pid, "gid_map", "newgidmap", gm, n_gm, plan->real_root,
			 plan->sandbox_gid, plan->real_gid, err);
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
