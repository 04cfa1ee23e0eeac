/* profile: parser of the seccomp profile language (see profile.h).
 *
 * MUST: every error names the file and line; nothing is silently skipped.
 * MUST: includes are bounded (depth 8) and cycles are refused.
 */
#include "profile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 8

struct ctx {
	struct prof *out;
	const char *groups;
	const char *stack[MAX_DEPTH + 1];
	int depth;
	char *err;
	size_t errsize;
};

static __attribute__((format(printf, 4, 5))) int fail(struct ctx *c, const char *file, int line,
						      const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, c->errsize, "%s:%d: ", file, line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < c->errsize)
		vsnprintf(c->err + n, c->errsize - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static const struct {
	const char *name;
	int value;
} errnos[] = {
	{ "EPERM", EPERM },
	{ "ENOENT", ENOENT },
	{ "EACCES", EACCES },
	{ "ENOSYS", ENOSYS },
	{ "EINVAL", EINVAL },
	{ "ENOTTY", ENOTTY },
	{ "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "EPROTONOSUPPORT", EPROTONOSUPPORT },
	{ "EOPNOTSUPP", EOPNOTSUPP },
	{ "ENOMEM", ENOMEM },
	{ "EIO", EIO },
};

int prof_errno(const char *name)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (strcmp(errnos[i].name, name) == 0)
			return errnos[i].value;
	return -1;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || n > 1 << 20 ||
	    fseek(f, 0, SEEK_SET) < 0 || (buf = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		errno = EFBIG;
		return NULL;
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Parse an action starting at words[*i]; advances *i. */
static int parse_action(struct ctx *c, const char *file, int line, char **w, int n, int *i,
			enum prof_action *act, int *err)
{
	const char *a = w[*i];

	*err = 0;
	if (strcmp(a, "allow") == 0)
		*act = PROF_ALLOW;
	else if (strcmp(a, "kill") == 0)
		*act = PROF_KILL;
	else if (strcmp(a, "log") == 0)
		*act = PROF_LOG;
	else if (strcmp(a, "errno") == 0) {
		*act = PROF_ERRNO;
		if (*i + 1 >= n)
			return fail(c, file, line, "errno needs a name (e.g. errno EPERM)");
		*err = prof_errno(w[*i + 1]);
		if (*err < 0)
			return fail(c, file, line, "unknown errno '%s'", w[*i + 1]);
		(*i)++;
	} else
		return fail(c, file, line, "unknown action '%s' (allow, errno NAME, kill, log)", a);
	(*i)++;
	return 0;
}

static int add_rule(struct ctx *c, const char *file, int line, const char *name,
		    enum prof_action act, int err, const struct prof_cond *cond, unsigned n_cond)
{
	struct prof *p = c->out;
	struct prof_rule *r;

	if (strlen(name) >= sizeof(r->syscall))
		return fail(c, file, line, "syscall name too long");
	if (p->mount_by_flags && strcmp(name, "mount") == 0)
		return fail(c, file, line, "a rule for mount, which \"mount by-flags\" decides");
	r = realloc(p->rules, (p->n_rules + 1) * sizeof(*r));
	if (r == NULL)
		return fail(c, file, line, "out of memory");
	p->rules = r;
	r = &p->rules[p->n_rules++];
	memset(r, 0, sizeof(*r));
	strcpy(r->syscall, name);
	r->action = act;
	r->err = err;
	r->n_cond = n_cond;
	memcpy(r->cond, cond, n_cond * sizeof(*cond));
	snprintf(r->where, sizeof(r->where), "%s:%d", file, line);
	return 0;
}

/* A group's members: the words after "@name" on its line in groups.list. */
static int add_group(struct ctx *c, const char *file, int line, const char *group,
		     enum prof_action act, int err, const struct prof_cond *cond, unsigned n_cond)
{
	const char *g = c->groups;
	size_t len = strlen(group);

	while (g && *g) {
		const char *eol = strchr(g, '\n');
		size_t llen = eol ? (size_t)(eol - g) : strlen(g);

		if (llen > len && strncmp(g, group, len) == 0 &&
		    (g[len] == ' ' || g[len] == '\t')) {
			char buf[4096], *save, *tok;

			if (llen >= sizeof(buf))
				return fail(c, file, line, "group %s is too long", group);
			memcpy(buf, g + len, llen - len);
			buf[llen - len] = '\0';
			for (tok = strtok_r(buf, " \t", &save); tok;
			     tok = strtok_r(NULL, " \t", &save))
				if (add_rule(c, file, line, tok, act, err, cond, n_cond) < 0)
					return -1;
			return 0;
		}
		g = eol ? eol + 1 : NULL;
	}
	return fail(c, file, line, "unknown group '%s'", group);
}

static int parse_number(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return (*s == '\0' || *end != '\0' || errno || *s == '-') ? -1 : 0;
}

static int parse_text(struct ctx *c, const char *file, const char *text, const char *dir);

/* The directory of path, that its relative includes resolve against: "" for
 * a file in "/" (joined with "/NAME"), "." for a bare name. */
static void dir_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');

	snprintf(dir, size, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
}

/* An included file's own includes resolve against its directory, not the
 * including file's: what profile.h promises ("relative to this file"). */
static int do_include(struct ctx *c, const char *file, int line, const char *what, const char *dir)
{
	char path[1024], path_dir[1024];
	char *text;
	int r, len;

	if (what[0] == '/')
		len = snprintf(path, sizeof(path), "%s", what);
	else
		len = snprintf(path, sizeof(path), "%s/%s", dir, what);
	if (len < 0 || (size_t)len >= sizeof(path))
		return fail(c, file, line, "can't include %s: the path is too long", what);
	dir_of(path, path_dir, sizeof(path_dir));
	for (int i = 0; i < c->depth; i++)
		if (strcmp(c->stack[i], path) == 0)
			return fail(c, file, line, "include cycle: %s includes itself", what);
	if (c->depth >= MAX_DEPTH)
		return fail(c, file, line, "includes nested more than %d deep", MAX_DEPTH);
	text = read_file(path);
	if (text == NULL)
		return fail(c, file, line, "can't include %s: %s", what, strerror(errno));
	r = parse_text(c, path, text, path_dir);
	free(text);
	return r;
}

/* "argN OP VALUE" from w[0..2] into out. */
static int parse_cond(struct ctx *c, const char *file, int line, char *const *w,
		      struct prof_cond *out)
{
	if (strncmp(w[0], "arg", 3) != 0 || w[0][3] < '0' || w[0][3] > '5' || w[0][4] != '\0')
		return fail(c, file, line, "bad argument '%s' (arg0 to arg5)", w[0]);
	out->arg = (unsigned)(w[0][3] - '0');
	if (strcmp(w[1], "==") == 0)
		out->op = PROF_EQ;
	else if (strcmp(w[1], "=32") == 0)
		out->op = PROF_EQ32;
	else if (strcmp(w[1], "&") == 0)
		out->op = PROF_BITS;
	else if (strcmp(w[1], ">=") == 0)
		out->op = PROF_GE;
	else
		return fail(c, file, line, "bad operator '%s' (==, =32, &, >=)", w[1]);
	if (parse_number(w[2], &out->value) < 0)
		return fail(c, file, line, "bad value '%s'", w[2]);
	if (out->op == PROF_BITS && out->value == 0)
		return fail(c, file, line, "'& 0' can never match");
	return 0;
}

static int parse_line(struct ctx *c, const char *file, int line, char *s, const char *dir)
{
	char *w[64], *save, *tok;
	int n = 0, i = 0, cond = -1;
	enum prof_action act;
	struct prof_cond conds[PROF_MAX_CONDS];
	unsigned n_cond = 0;
	int err;

	for (tok = strtok_r(s, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (n == 64)
			return fail(c, file, line, "too many words");
		w[n++] = tok;
	}
	if (n == 0)
		return 0;
	if (strcmp(w[0], "description") == 0) {
		char *d = c->out->description;
		size_t cap = sizeof(c->out->description), off = 0;

		d[0] = '\0';
		/* Words joined by one space, cut at the buffer's end. */
		for (i = 1; i < n && off + 1 < cap; i++) {
			int k = snprintf(d + off, cap - off, "%s%s", i > 1 ? " " : "", w[i]);

			if (k < 0)
				break;
			off += (size_t)k < cap - off ? (size_t)k : cap - off - 1;
		}
		return 0;
	}
	if (strcmp(w[0], "include") == 0) {
		if (n != 2)
			return fail(c, file, line, "include takes one file");
		return do_include(c, file, line, w[1], dir);
	}
	if (strcmp(w[0], "mount") == 0 && n >= 2 && strcmp(w[1], "by-flags") == 0) {
		if (n != 2)
			return fail(c, file, line, "unexpected '%s' after mount by-flags", w[2]);
		for (size_t k = 0; k < c->out->n_rules; k++)
			if (strcmp(c->out->rules[k].syscall, "mount") == 0)
				return fail(c, file, line,
					    "mount by-flags after a rule for mount (%s)",
					    c->out->rules[k].where);
		c->out->mount_by_flags = true;
		return 0;
	}
	if (strcmp(w[0], "default") == 0 || strcmp(w[0], "newer") == 0) {
		bool newer = w[0][0] == 'n';

		i = 1;
		if (n < 2)
			return fail(c, file, line, "%s needs an action", w[0]);
		if (parse_action(c, file, line, w, n, &i, newer ? &c->out->newer : &c->out->dflt,
				 newer ? &c->out->newer_err : &c->out->dflt_err) < 0)
			return -1;
		if (i != n)
			return fail(c, file, line, "unexpected '%s' after the %s action", w[i],
				    w[0]);
		if (newer)
			c->out->newer_set = true;
		return 0;
	}
	if (parse_action(c, file, line, w, n, &i, &act, &err) < 0)
		return -1;
	for (int j = i; j < n; j++)
		if (strcmp(w[j], "if") == 0) {
			cond = j;
			break;
		}
	if (cond >= 0) {
		int at = cond + 1;

		for (;;) {
			if (n_cond == PROF_MAX_CONDS)
				return fail(c, file, line, "at most %d conditions, joined by 'and'",
					    PROF_MAX_CONDS);
			if (at + 3 > n)
				return fail(c, file, line, "a condition is: if argN OP VALUE");
			if (parse_cond(c, file, line, &w[at], &conds[n_cond]) < 0)
				return -1;
			for (unsigned k = 0; k < n_cond; k++)
				if (conds[k].arg == conds[n_cond].arg)
					return fail(c, file, line, "two conditions on arg%u",
						    conds[k].arg);
			n_cond++;
			at += 3;
			if (at == n)
				break;
			if (strcmp(w[at], "and") != 0 || at + 1 == n)
				return fail(
					c, file, line,
					"after a condition: 'and argN OP VALUE' or the end of the line");
			at++;
		}
		n = cond;
	}
	if (i == n)
		return fail(c, file, line, "no syscall after the action");
	for (; i < n; i++) {
		int r = w[i][0] == '@' ? add_group(c, file, line, w[i], act, err, conds, n_cond)
				       : add_rule(c, file, line, w[i], act, err, conds, n_cond);
		if (r < 0)
			return -1;
	}
	return 0;
}

static int parse_text(struct ctx *c, const char *file, const char *text, const char *dir)
{
	char *copy = strdup(text), *save = NULL, *l;
	int line = 0, r = 0;

	if (copy == NULL)
		return fail(c, file, 0, "out of memory");
	c->stack[c->depth++] = file;
	/* strtok_r would skip empty lines and lose the numbering. */
	for (l = copy; l && r == 0; l = save) {
		char *hash;

		save = strchr(l, '\n');
		if (save)
			*save++ = '\0';
		line++;
		if ((hash = strchr(l, '#')) != NULL)
			*hash = '\0';
		r = parse_line(c, file, line, l, dir);
	}
	c->depth--;
	free(copy);
	return r;
}

int prof_parse_text(const char *name, const char *text, const char *dir, const char *groups_text,
		    struct prof *out, char *err, size_t errsize)
{
	struct ctx c = { .out = out, .groups = groups_text, .err = err, .errsize = errsize };

	memset(out, 0, sizeof(*out));
	out->dflt = PROF_ALLOW;
	if (parse_text(&c, name, text, dir) < 0) {
		prof_free(out);
		return -1;
	}
	return 0;
}

int prof_parse_file(const char *path, const char *groups_path, struct prof *out, char *err,
		    size_t errsize)
{
	char *text = read_file(path), *groups = NULL, dir[1024];
	int r;

	if (text == NULL) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (groups_path && (groups = read_file(groups_path)) == NULL) {
		snprintf(err, errsize, "%s: %s", groups_path, strerror(errno));
		free(text);
		return -1;
	}
	dir_of(path, dir, sizeof(dir));
	r = prof_parse_text(path, text, dir, groups, out, err, errsize);
	free(text);
	free(groups);
	return r;
}

/* Append to err, keeping what fits. */
static void append(char *err, size_t errsize, const char *fmt, ...)
{
	size_t len = strlen(err);
	va_list ap;

	va_start(ap, fmt);
	if (len < errsize)
		vsnprintf(err + len, errsize - len, fmt, ap);
	va_end(ap);
}

/* Calls fn for every member of every group in groups, with its line. */
struct member_walk {
	void (*fn)(struct member_walk *w, const char *name, size_t len, int line);
};

static void walk_members(const char *groups, struct member_walk *w)
{
	int line = 0;

	for (const char *g = groups; g && *g;) {
		const char *eol = strchr(g, '\n'), *end = eol ? eol : g + strlen(g);
		const char *hash = memchr(g, '#', (size_t)(end - g));

		line++;
		if (hash)
			end = hash;
		if (*g == '@') {
			const char *p = g + strcspn(g, " \t\n");

			while (p < end) {
				size_t len;

				p += strspn(p, " \t");
				len = strcspn(p, " \t\n#");
				if (p + len > end)
					len = (size_t)(end - p);
				if (len == 0)
					break;
				w->fn(w, p, len, line);
				p += len;
			}
		}
		g = eol ? eol + 1 : NULL;
	}
}

struct check {
	struct member_walk walk;
	const char *groups_name;
	const char *const *known;
	size_t n_known;
	int *count; /* groups that list each known name */
	char *err;
	size_t errsize;
	bool bad;
};

static void check_member(struct member_walk *w, const char *name, size_t len, int line)
{
	struct check *c = (struct check *)w;

	for (size_t i = 0; i < c->n_known; i++) {
		if (strlen(c->known[i]) == len && strncmp(c->known[i], name, len) == 0) {
			if (c->count[i]++ > 0) {
				append(c->err, c->errsize, "%s%s:%d: %s is in more than one group",
				       c->err[0] ? "; " : "", c->groups_name, line, c->known[i]);
				c->bad = true;
			}
			return;
		}
	}
	/* A misspelt member classifies nothing. */
	append(c->err, c->errsize, "%s%s:%d: unknown syscall '%.*s'", c->err[0] ? "; " : "",
	       c->groups_name, line, (int)len, name);
	c->bad = true;
}

int prof_check_groups(const char *groups_name, const char *groups_text, const char *const *known,
		      size_t n_known, char *err, size_t errsize)
{
	struct check c = { .walk = { check_member },
			   .groups_name = groups_name,
			   .known = known,
			   .n_known = n_known,
			   .err = err,
			   .errsize = errsize };
	bool any = false;

	err[0] = '\0';
	c.count = calloc(n_known + 1, sizeof(int));
	if (c.count == NULL) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	walk_members(groups_text, &c.walk);
	for (size_t i = 0; i < n_known; i++) {
		if (c.count[i])
			continue;
		if (!any)
			append(err, errsize,
			       "%s%s: unclassified syscalls (give each a reviewed "
			       "decision: a group):",
			       err[0] ? "; " : "", groups_name);
		append(err, errsize, " %s", known[i]);
		any = c.bad = true;
	}
	free(c.count);
	return c.bad ? -1 : 0;
}

void prof_free(struct prof *p)
{
	free(p->rules);
	p->rules = NULL;
	p->n_rules = 0;
}
