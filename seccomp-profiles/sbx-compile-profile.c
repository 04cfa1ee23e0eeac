/* sbx-compile-profile: compile a seccomp profile (profile.h's language) to
 * a classic BPF program, the only part of sbx that links libseccomp.
 *
 *   sbx-compile-profile [--groups FILE] [-o OUT] PROFILE      raw BPF
 *   sbx-compile-profile [--groups FILE] --dump PROFILE        rule list
 *   sbx-compile-profile [--groups FILE] --c-source -o OUT NAME=PROFILE...
 *   sbx-compile-profile --groups FILE --check-groups
 *
 * MUST: the program decides for every ABI the CPU can enter the kernel with:
 *       x86-64 and i386 (int 0x80) get the profile's rules; an x32 call
 *       (the syscall number's bit 30, an ABI no distribution builds programs
 *       for, off by default in most kernels) and any other architecture
 *       kill the process. libseccomp emits that x32 check for an x86-64
 *       filter without the x32 arch; leaving x32 out also makes the
 *       default program a quarter shorter (242 -> 183 instructions), which
 *       the kernel checks and prepares at every sandbox start.
 * MUST: syscalls a profile always allows get no rule, so the kernel's action
 *       cache skips the filter for them; the rest is a binary tree.
 * MUST: what libseccomp 2.5.4 cannot say goes in a prefix of our own
 *       (prefix.h), before its program: the "newer" action for numbers
 *       above the reviewed table, syscalls it has no name for
 *       (syscalls.h), and ENOSYS for an i386 socketcall(2) whose call has
 *       argument conditions (libseccomp would drop them: a rule for
 *       "socket if arg0 == 40" became one for every socketcall(SYS_SOCKET)).
 * MUST: the build stops when libseccomp or sbx names a syscall that no group
 *       of groups.list classifies (--check-groups), so a new syscall gets a
 *       decision instead of passing by default.
 */
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "prefix.h"
#include "profile.h"
#include "syscalls.h"

static const char *prog = "sbx-compile-profile";

static __attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint32_t action(enum prof_action a, int err)
{
	switch (a) {
	case PROF_ALLOW:
		return SCMP_ACT_ALLOW;
	case PROF_ERRNO:
		return SCMP_ACT_ERRNO((uint16_t)err);
	case PROF_KILL:
		return SCMP_ACT_KILL_PROCESS;
	case PROF_LOG:
		return SCMP_ACT_LOG;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static const uint32_t compat_arches[] = {
#if defined(__x86_64__)
	SCMP_ARCH_X86,
#elif defined(__aarch64__)
	SCMP_ARCH_ARM,
#endif
};

/* Known to libseccomp on any ABI the filter covers? */
static int seccomp_knows(const char *name)
{
	if (seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR)
		return 1;
	for (size_t i = 0; i < sizeof(compat_arches) / sizeof(compat_arches[0]); i++)
		if (seccomp_syscall_resolve_name_arch(compat_arches[i], name) != __NR_SCMP_ERROR)
			return 1;
	return 0;
}

/* sbx's table of newer syscalls must agree with libseccomp where both
 * name one: a disagreement would filter the wrong syscall. */
static void check_newer_table(void)
{
	for (size_t i = 0; i < sbx_n_newer_syscalls; i++) {
		const struct sbx_syscall *t = &sbx_newer_syscalls[i];
		int a = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, t->name);
		int b = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, t->name);

		if ((a != __NR_SCMP_ERROR && a != t->x86_64) ||
		    (b != __NR_SCMP_ERROR && t->i386 >= 0 && b != t->i386))
			die("libseccomp and sbx's table (syscalls.c) disagree on %s's number%s",
			    t->name, "");
	}
}

/* What the prefix decides (prefix.h), gathered from the rules. */
#define MAX_PREFIX_RULES 64
struct prefix_plan {
	struct sbx_prefix_rule rules64[MAX_PREFIX_RULES], rules32[MAX_PREFIX_RULES];
	size_t n64, n32;
	uint32_t mux_calls[32];
	size_t n_mux;
};

static void prefix_rule(struct sbx_prefix_rule *rules, size_t *n, int nr, uint32_t act,
			bool to_program, const char *where)
{
	if (nr < 0)
		return;
	for (size_t i = 0; i < *n; i++)
		if (rules[i].nr == (uint32_t)nr) {
			if (rules[i].action != act || rules[i].to_program != to_program)
				die("%s: the rule conflicts with another rule for the same "
				    "syscall%s",
				    where, "");
			return;
		}
	if (*n == MAX_PREFIX_RULES)
		die("%s: too many rules for syscalls libseccomp does not know%s", where, "");
	rules[(*n)++] = (struct sbx_prefix_rule){ (uint32_t)nr, act, to_program };
}

/* A rule on a syscall libseccomp knows: if it has conditions and i386
 * reaches it through socketcall(2), the prefix answers that call ENOSYS
 * (the arguments are in memory, out of the filter's sight); through ipc(2)
 * it is refused outright. A number above the reviewed table on an ABI
 * goes on to libseccomp's program instead of the "newer" action. */
static void plan_known(struct prefix_plan *pp, const struct prof_rule *r)
{
	const struct sbx_mux_call *m = sbx_mux_call(r->syscall);
	int a = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, r->syscall);
	int b = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, r->syscall);
	bool have = false;

	if (m && r->n_cond > 0) {
		if (m->mux == SBX_I386_IPC)
			die("%s: a condition on '%s' cannot be checked on i386, which reaches "
			    "it through ipc(2) with its arguments in memory",
			    r->where, r->syscall);
		for (size_t i = 0; i < pp->n_mux; i++)
			have = have || pp->mux_calls[i] == m->call;
		if (!have)
			pp->mux_calls[pp->n_mux++] = m->call;
	}
	if (a > SBX_REVIEWED_LAST_X86_64)
		prefix_rule(pp->rules64, &pp->n64, a, 0, true, r->where);
	if (b > SBX_REVIEWED_LAST_I386)
		prefix_rule(pp->rules32, &pp->n32, b, 0, true, r->where);
}

/* libseccomp's form of one condition. */
static struct scmp_arg_cmp arg_cmp(const struct prof_cond *c)
{
	switch (c->op) {
	case PROF_EQ:
		return SCMP_CMP(c->arg, SCMP_CMP_EQ, c->value);
	case PROF_EQ32:
		/* The kernel reads int arguments from the low 32 bits only:
		 * compare those, or a set upper half slips by. */
		return SCMP_CMP(c->arg, SCMP_CMP_MASKED_EQ, 0xffffffffULL,
				c->value & 0xffffffffULL);
	case PROF_GE:
		return SCMP_CMP(c->arg, SCMP_CMP_GE, c->value);
	case PROF_BITS:
	case PROF_NONE:
	default:
		return SCMP_CMP(c->arg, SCMP_CMP_MASKED_EQ, c->value, c->value);
	}
}

static scmp_filter_ctx compile(const struct prof *p, struct prefix_plan *pp)
{
	uint32_t dflt = action(p->dflt, p->dflt_err);
	scmp_filter_ctx ctx = seccomp_init(dflt);

	memset(pp, 0, sizeof(*pp));
	if (ctx == NULL)
		die("can't initialise libseccomp%s%s", "", "");
	for (size_t i = 0; i < sizeof(compat_arches) / sizeof(compat_arches[0]); i++)
		if (seccomp_arch_add(ctx, compat_arches[i]) < 0)
			die("can't add a compat architecture%s%s", "", "");
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
		die("can't set filter attributes%s%s", "", "");
	/* mount by-flags: x86-64's mount(2) is decided in the prefix by its
	 * flags; i386's is refused there (32-bit programs get no mounts). */
	if (p->mount_by_flags)
		prefix_rule(pp->rules32, &pp->n32,
			    seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, "mount"),
			    SCMP_ACT_ERRNO(EPERM), false, "mount by-flags");
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct prof_rule *r = &p->rules[i];
		uint32_t act = action(r->action, r->err);
		const struct sbx_syscall *t;
		struct scmp_arg_cmp cmp[PROF_MAX_CONDS];
		int nr, rc;

		if (!seccomp_knows(r->syscall)) {
			/* libseccomp has no name for it: the prefix decides. */
			if ((t = sbx_newer_syscall(r->syscall)) == NULL)
				die("%s: unknown syscall '%s'", r->where, r->syscall);
			if (r->n_cond > 0)
				die("%s: conditions on '%s' need a libseccomp that knows it",
				    r->where, r->syscall);
			if (act != dflt || t->x86_64 > SBX_REVIEWED_LAST_X86_64)
				prefix_rule(pp->rules64, &pp->n64, t->x86_64, act, false, r->where);
			if (act != dflt || t->i386 > SBX_REVIEWED_LAST_I386)
				prefix_rule(pp->rules32, &pp->n32, t->i386, act, false, r->where);
			continue;
		}
		plan_known(pp, r);
		if (act == dflt && r->n_cond == 0)
			continue; /* what the default does anyway */
		nr = seccomp_syscall_resolve_name(r->syscall);
		for (unsigned k = 0; k < r->n_cond; k++)
			cmp[k] = arg_cmp(&r->cond[k]);
		rc = seccomp_rule_add_array(ctx, act, nr, r->n_cond, cmp);
		if (rc == -EACCES || rc == -EEXIST)
			die("%s: the rule for '%s' conflicts with another rule for it (one "
			    "syscall takes one action, plus conditions of that action)",
			    r->where, r->syscall);
		if (rc < 0 && nr >= 0)
			die("%s: libseccomp refused the rule for '%s'", r->where, r->syscall);
	}
	return ctx;
}

/* The prefix for p (see prefix.h) into out; 0 instructions when it would
 * decide nothing (the program then starts the filter itself). */
static size_t build_prefix(const struct prof *p, const struct prefix_plan *pp,
			   struct sock_filter *out)
{
	bool newer = p->newer_set;
	uint32_t newer_act = action(p->newer, p->newer_err);
	struct sbx_prefix_abi abis[2] = {
		{ .arch = AUDIT_ARCH_X86_64,
		  .pass_from = 0x40000000, /* x32: the program kills */
		  .rules = pp->rules64,
		  .n_rules = pp->n64,
		  .newer = newer,
		  .last_nr = SBX_REVIEWED_LAST_X86_64,
		  .newer_action = newer_act,
		  .mount_nr = p->mount_by_flags ? (uint32_t)seccomp_syscall_resolve_name_arch(
							  SCMP_ARCH_X86_64, "mount")
						: 0,
		  .mount_keep = SCMP_ACT_ALLOW,
		  .mount_deny = SCMP_ACT_ERRNO(EPERM),
		  .mount_new = SCMP_ACT_NOTIFY },
		{ .arch = AUDIT_ARCH_I386,
		  .rules = pp->rules32,
		  .n_rules = pp->n32,
		  .newer = newer,
		  .last_nr = SBX_REVIEWED_LAST_I386,
		  .newer_action = newer_act,
		  .mux_nr = SBX_I386_SOCKETCALL,
		  .mux_calls = pp->mux_calls,
		  .n_mux_calls = pp->n_mux,
		  .mux_action = SCMP_ACT_ERRNO(ENOSYS) },
	};
	size_t n;

	if (!newer && pp->n64 == 0 && pp->n32 == 0 && pp->n_mux == 0 && !p->mount_by_flags)
		return 0;
	n = prefix_build(abis, 2, out);
	if (n == 0)
		die("the prefix of the filter is too long%s%s", "", "");
	return n;
}

/* The BPF bytes of the prefix and ctx's program, in a malloc'd buffer. */
static unsigned char *export(const struct prof *p, scmp_filter_ctx ctx,
			     const struct prefix_plan *pp, size_t *len)
{
	struct sock_filter prefix[SBX_PREFIX_MAX];
	size_t np = build_prefix(p, pp, prefix), pbytes = np * sizeof(prefix[0]);
	int fd = memfd_create("bpf", MFD_CLOEXEC);
	unsigned char *buf;
	off_t n;

	if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0 || (n = lseek(fd, 0, SEEK_END)) <= 0 ||
	    (buf = malloc(pbytes + (size_t)n)) == NULL ||
	    pread(fd, buf + pbytes, (size_t)n, 0) != n)
		die("can't export the BPF program%s%s", "", "");
	close(fd);
	memcpy(buf, prefix, pbytes);
	*len = pbytes + (size_t)n;
	if (*len / sizeof(struct sock_filter) > BPF_MAXINSNS)
		die("the program is longer than the kernel takes (%s instructions)%s", "4096", "");
	return buf;
}

/* Every syscall libseccomp names on x86-64 and i386, and sbx's newer ones,
 * must be in one group of groups.list (the build runs this). */
static void check_groups(const char *groups)
{
	static const uint32_t arches[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86 };
	const char **known = NULL;
	size_t n = 0, cap = 0;
	char *text, err[16384];
	FILE *f = fopen(groups, "re");
	long sz;

	if (f == NULL || fseek(f, 0, SEEK_END) < 0 || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) < 0 || (text = calloc(1, (size_t)sz + 1)) == NULL ||
	    fread(text, 1, (size_t)sz, f) != (size_t)sz)
		die("can't read %s: %s", groups, strerror(errno));
	fclose(f);
	for (size_t a = 0; a < sizeof(arches) / sizeof(arches[0]); a++) {
		for (int nr = 0; nr < 1024; nr++) {
			char *name = seccomp_syscall_resolve_num_arch(arches[a], nr);
			bool dup = false;

			if (name == NULL)
				continue;
			for (size_t i = 0; i < n && !dup; i++)
				dup = strcmp(known[i], name) == 0;
			if (dup) {
				free(name);
				continue;
			}
			if (n == cap &&
			    (known = realloc(known, (cap = cap * 2 + 64) * sizeof(*known))) == NULL)
				die("out of memory%s%s", "", "");
			known[n++] = name;
		}
	}
	for (size_t i = 0; i < sbx_n_newer_syscalls; i++) {
		bool dup = false;

		for (size_t j = 0; j < n && !dup; j++)
			dup = strcmp(known[j], sbx_newer_syscalls[i].name) == 0;
		if (dup)
			continue;
		if (n == cap &&
		    (known = realloc(known, (cap = cap * 2 + 64) * sizeof(*known))) == NULL)
			die("out of memory%s%s", "", "");
		if ((known[n++] = strdup(sbx_newer_syscalls[i].name)) == NULL)
			die("out of memory%s%s", "", "");
	}
	if (prof_check_groups(groups, text, known, n, err, sizeof(err)) < 0)
		die("%s%s", err, "");
	for (size_t i = 0; i < n; i++)
		free((char *)known[i]);
	free(known);
	free(text);
}

static void parse(const char *path, const char *groups, struct prof *p)
{
	char err[512], gbuf[1024];

	if (groups == NULL) {
		const char *slash = strrchr(path, '/');
		snprintf(gbuf, sizeof(gbuf), "%.*s/groups.list", slash ? (int)(slash - path) : 1,
			 slash ? path : ".");
		groups = gbuf;
	}
	if (prof_parse_file(path, groups, p, err, sizeof(err)) < 0)
		die("%s%s", err, "");
}

static const char *action_name(enum prof_action a, int err)
{
	static char buf[64];

	switch (a) {
	case PROF_ALLOW:
		return "allow";
	case PROF_KILL:
		return "kill";
	case PROF_LOG:
		return "log";
	case PROF_ERRNO:
		snprintf(buf, sizeof(buf), "errno %d (%s)", err, strerror(err));
		return buf;
	}
	return "?";
}

static void dump(const struct prof *p)
{
	static const char *ops[] = { "", "==", "=32", "&", ">=" };

	printf("# %s\ndefault %s\n", p->description, action_name(p->dflt, p->dflt_err));
	if (p->newer_set)
		printf("newer %s   (numbers above %d on x86-64, %d on i386: Linux %s)\n",
		       action_name(p->newer, p->newer_err), SBX_REVIEWED_LAST_X86_64,
		       SBX_REVIEWED_LAST_I386, SBX_REVIEWED_KERNEL);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct prof_rule *r = &p->rules[i];

		printf("%-24s %s", r->syscall, action_name(r->action, r->err));
		for (unsigned k = 0; k < r->n_cond; k++)
			printf(" %s arg%u %s 0x%llx", k ? "and" : "if", r->cond[k].arg,
			       ops[r->cond[k].op], (unsigned long long)r->cond[k].value);
		printf("   (%s)\n", r->where);
	}
}

static void write_out(const char *out, const void *buf, size_t len)
{
	FILE *f = out ? fopen(out, "we") : stdout;

	if (f == NULL || fwrite(buf, 1, len, f) != len || (out && fclose(f) != 0))
		die("can't write %s%s", out ? out : "stdout", "");
}

static void c_source(const char *out, char **specs, int n, const char *groups)
{
	FILE *f = fopen(out, "we");

	if (f == NULL)
		die("can't write %s%s", out, "");
	if (groups != NULL)
		check_groups(groups);
	fprintf(f, "/* Generated by sbx-compile-profile --c-source: do not edit. */\n"
		   "#include \"seccomp-profiles/profiles.h\"\n\n");
	for (int i = 0; i < n; i++) {
		char *eq = strchr(specs[i], '=');
		struct prof p;
		struct prefix_plan pp;
		scmp_filter_ctx ctx;
		unsigned char *bpf;
		size_t len;

		if (eq == NULL)
			die("--c-source takes NAME=PROFILE, not '%s'%s", specs[i], "");
		*eq = '\0';
		parse(eq + 1, groups, &p);
		ctx = compile(&p, &pp);
		bpf = export(&p, ctx, &pp, &len);
		fprintf(f, "static const unsigned char blob_%d[] __attribute__((aligned(8))) = {",
			i);
		for (size_t j = 0; j < len; j++)
			fprintf(f, "%s0x%02x,", j % 12 ? " " : "\n\t", bpf[j]);
		fprintf(f, "\n};\nstatic const char desc_%d[] = \"", i);
		for (const char *d = p.description; *d; d++)
			fprintf(f, *d == '"' || *d == '\\' ? "\\%c" : "%c", *d);
		fprintf(f, "\";\n\n");
		free(bpf);
		seccomp_release(ctx);
		prof_free(&p);
	}
	fprintf(f, "const struct sbx_builtin_profile sbx_builtin_profiles[] = {\n");
	for (int i = 0; i < n; i++)
		fprintf(f, "\t{ \"%s\", desc_%d, blob_%d, sizeof(blob_%d) },\n", specs[i], i, i, i);
	fprintf(f, "};\nconst size_t sbx_n_builtin_profiles = %d;\n", n);
	if (fclose(f) != 0)
		die("can't write %s%s", out, "");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [--groups FILE] [-o OUT] PROFILE\n"
		"       %s [--groups FILE] --dump PROFILE\n"
		"       %s [--groups FILE] --c-source -o OUT NAME=PROFILE...\n"
		"       %s --groups FILE --check-groups\n",
		prog, prog, prog, prog);
}

int main(int argc, char **argv)
{
	const char *out = NULL, *groups = NULL;
	int dump_mode = 0, c_mode = 0, check_mode = 0, i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--dump") == 0) {
			dump_mode = 1;
		} else if (strcmp(argv[i], "--c-source") == 0) {
			c_mode = 1;
		} else if (strcmp(argv[i], "--check-groups") == 0) {
			check_mode = 1;
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (strcmp(argv[i], "--groups") == 0 && i + 1 < argc) {
			groups = argv[++i];
		} else {
			die("unknown option %s (try --help)%s", argv[i], "");
		}
	}
	check_newer_table();
	if (check_mode) {
		if (groups == NULL || i != argc)
			die("--check-groups needs --groups FILE and nothing else%s%s", "", "");
		check_groups(groups);
		return 0;
	}
	if (c_mode) {
		if (out == NULL || i == argc)
			die("--c-source needs -o OUT and NAME=PROFILE arguments%s%s", "", "");
		c_source(out, argv + i, argc - i, groups);
		return 0;
	}
	if (i + 1 != argc) {
		usage(stderr);
		return 1;
	}
	{
		struct prof p;
		struct prefix_plan pp;
		scmp_filter_ctx ctx;
		unsigned char *bpf;
		size_t len;

		parse(argv[i], groups, &p);
		if (dump_mode) {
			dump(&p);
			prof_free(&p);
			return 0;
		}
		ctx = compile(&p, &pp);
		bpf = export(&p, ctx, &pp, &len);
		write_out(out, bpf, len);
		free(bpf);
		seccomp_release(ctx);
		prof_free(&p);
	}
	return 0;
}
