/* sbx-compile-profile: compile a seccomp profile (profile.h's language) to
 * a classic BPF program, the only part of sbx that links libseccomp.
 *
 *   sbx-compile-profile [--groups FILE] [-o OUT] PROFILE      raw BPF
 *   sbx-compile-profile [--groups FILE] --dump PROFILE        rule list
 *   sbx-compile-profile [--groups FILE] --c-source -o OUT NAME=PROFILE...
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
 */
#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "profile.h"

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

/* Known on any ABI the filter covers? */
static int known(const char *name)
{
	if (seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR)
		return 1;
	for (size_t i = 0; i < sizeof(compat_arches) / sizeof(compat_arches[0]); i++)
		if (seccomp_syscall_resolve_name_arch(compat_arches[i], name) != __NR_SCMP_ERROR)
			return 1;
	return 0;
}

static scmp_filter_ctx compile(const struct prof *p)
{
	uint32_t dflt = action(p->dflt, p->dflt_err);
	scmp_filter_ctx ctx = seccomp_init(dflt);

	if (ctx == NULL)
		die("can't initialise libseccomp%s%s", "", "");
	for (size_t i = 0; i < sizeof(compat_arches) / sizeof(compat_arches[0]); i++)
		if (seccomp_arch_add(ctx, compat_arches[i]) < 0)
			die("can't add a compat architecture%s%s", "", "");
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
		die("can't set filter attributes%s%s", "", "");
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct prof_rule *r = &p->rules[i];
		uint32_t act = action(r->action, r->err);
		struct scmp_arg_cmp cmp;
		int nr, rc;

		if (!known(r->syscall))
			die("%s: unknown syscall '%s'", r->where, r->syscall);
		if (act == dflt && r->op == PROF_NONE)
			continue; /* what the default does anyway */
		nr = seccomp_syscall_resolve_name(r->syscall);
		switch (r->op) {
		case PROF_NONE:
			rc = seccomp_rule_add(ctx, act, nr, 0);
			break;
		case PROF_EQ:
			cmp = SCMP_CMP(r->arg, SCMP_CMP_EQ, r->value);
			rc = seccomp_rule_add_array(ctx, act, nr, 1, &cmp);
			break;
		case PROF_EQ32:
			/* The kernel reads int arguments from the low 32 bits
			 * only: compare those, or a set upper half slips by. */
			cmp = SCMP_CMP(r->arg, SCMP_CMP_MASKED_EQ, 0xffffffffULL,
				       r->value & 0xffffffffULL);
			rc = seccomp_rule_add_array(ctx, act, nr, 1, &cmp);
			break;
		case PROF_BITS:
		default:
			cmp = SCMP_CMP(r->arg, SCMP_CMP_MASKED_EQ, r->value, r->value);
			rc = seccomp_rule_add_array(ctx, act, nr, 1, &cmp);
			break;
		}
		if (rc == -EACCES || rc == -EEXIST)
			die("%s: the rule for '%s' conflicts with another rule for it (one "
			    "syscall takes one action, plus conditions of that action)",
			    r->where, r->syscall);
		if (rc < 0 && nr >= 0)
			die("%s: libseccomp refused the rule for '%s'", r->where, r->syscall);
	}
	return ctx;
}

/* The BPF bytes of ctx, in a malloc'd buffer. */
static unsigned char *export(scmp_filter_ctx ctx, size_t *len)
{
	int fd = memfd_create("bpf", MFD_CLOEXEC);
	unsigned char *buf;
	off_t n;

	if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0 || (n = lseek(fd, 0, SEEK_END)) <= 0 ||
	    (buf = malloc((size_t)n)) == NULL || pread(fd, buf, (size_t)n, 0) != n)
		die("can't export the BPF program%s%s", "", "");
	close(fd);
	*len = (size_t)n;
	return buf;
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
	static const char *ops[] = { "", "==", "=32", "&" };

	printf("# %s\ndefault %s\n", p->description, action_name(p->dflt, p->dflt_err));
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct prof_rule *r = &p->rules[i];

		printf("%-24s %s", r->syscall, action_name(r->action, r->err));
		if (r->op != PROF_NONE)
			printf(" if arg%u %s 0x%llx", r->arg, ops[r->op], (unsigned long long)r->value);
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
	fprintf(f, "/* Generated by sbx-compile-profile --c-source: do not edit. */\n"
		   "#include \"seccomp-profiles/profiles.h\"\n\n");
	for (int i = 0; i < n; i++) {
		char *eq = strchr(specs[i], '=');
		struct prof p;
		scmp_filter_ctx ctx;
		unsigned char *bpf;
		size_t len;

		if (eq == NULL)
			die("--c-source takes NAME=PROFILE, not '%s'%s", specs[i], "");
		*eq = '\0';
		parse(eq + 1, groups, &p);
		ctx = compile(&p);
		bpf = export(ctx, &len);
		fprintf(f, "static const unsigned char blob_%d[] __attribute__((aligned(8))) = {", i);
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
	fprintf(f, "usage: %s [--groups FILE] [-o OUT] PROFILE\n"
		   "       %s [--groups FILE] --dump PROFILE\n"
		   "       %s [--groups FILE] --c-source -o OUT NAME=PROFILE...\n",
		prog, prog, prog);
}

int main(int argc, char **argv)
{
	const char *out = NULL, *groups = NULL;
	int dump_mode = 0, c_mode = 0, i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--dump") == 0) {
			dump_mode = 1;
		} else if (strcmp(argv[i], "--c-source") == 0) {
			c_mode = 1;
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (strcmp(argv[i], "--groups") == 0 && i + 1 < argc) {
			groups = argv[++i];
		} else {
			die("unknown option %s (try --help)%s", argv[i], "");
		}
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
		scmp_filter_ctx ctx;
		unsigned char *bpf;
		size_t len;

		parse(argv[i], groups, &p);
		if (dump_mode) {
			dump(&p);
			prof_free(&p);
			return 0;
		}
		ctx = compile(&p);
		bpf = export(ctx, &len);
		write_out(out, bpf, len);
		free(bpf);
		seccomp_release(ctx);
		prof_free(&p);
	}
	return 0;
}
