/* Unit tests for the seccomp profile parser: every error with file:line. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seccomp-profiles/prefix.h"
#include "seccomp-profiles/profile.h"
#include "seccomp-profiles/syscalls.h"

static const char groups[] = "@mount mount umount2\n@keyring add_key keyctl\n";
static struct prof prof;
static char err[512];

static int parse(const char *text)
{
	return prof_parse_text("t.profile", text, "/nonexistent-dir", groups, &prof, err,
			       sizeof(err));
}

static void expect_error(const char *text, const char *msg)
{
	cr_assert_eq(parse(text), -1, "accepted: %s", text);
	cr_assert_str_eq(err, msg);
}

Test(profile, rules_groups_conditions)
{
	cr_assert_eq(parse("# c\ndescription Two words\ndefault errno ENOSYS\n\n"
			   "allow read write   # trailing comment\n"
			   "errno EPERM @mount\n"
			   "errno EPERM ioctl if arg1 =32 0x5412\n"
			   "kill personality if arg0 & 0x400000\n"
			   "log socket if arg0 == 16\n"),
		     0, "%s", err);
	cr_assert_str_eq(prof.description, "Two words");
	cr_assert_eq(prof.dflt, PROF_ERRNO);
	cr_assert_eq(prof.dflt_err, ENOSYS);
	cr_assert_eq(prof.n_rules, 7);
	cr_assert_str_eq(prof.rules[0].syscall, "read");
	cr_assert_eq(prof.rules[0].action, PROF_ALLOW);
	cr_assert_str_eq(prof.rules[0].where, "t.profile:5");
	cr_assert_str_eq(prof.rules[2].syscall, "mount");
	cr_assert_str_eq(prof.rules[3].syscall, "umount2");
	cr_assert_eq(prof.rules[3].err, EPERM);
	cr_assert_eq(prof.rules[4].cond[0].op, PROF_EQ32);
	cr_assert_eq(prof.rules[4].cond[0].arg, 1);
	cr_assert_eq(prof.rules[4].cond[0].value, 0x5412);
	cr_assert_eq(prof.rules[5].action, PROF_KILL);
	cr_assert_eq(prof.rules[5].cond[0].op, PROF_BITS);
	cr_assert_eq(prof.rules[6].action, PROF_LOG);
	cr_assert_eq(prof.rules[6].cond[0].op, PROF_EQ);
	prof_free(&prof);
}

Test(profile, errors_name_file_and_line)
{
	expect_error("allow read\nerrno EWHAT mount\n", "t.profile:2: unknown errno 'EWHAT'");
	expect_error("errno\n", "t.profile:1: errno needs a name (e.g. errno EPERM)");
	expect_error("deny mount\n",
		     "t.profile:1: unknown action 'deny' (allow, errno NAME, kill, log)");
	expect_error("allow @nope\n", "t.profile:1: unknown group '@nope'");
	expect_error("allow ioctl if arg9 == 1\n",
		     "t.profile:1: bad argument 'arg9' (arg0 to arg5)");
	expect_error("allow ioctl if arg1 < 1\n", "t.profile:1: bad operator '<' (==, =32, &, >=)");
	expect_error("allow ioctl if arg1 == x\n", "t.profile:1: bad value 'x'");
	expect_error("allow ioctl if arg1 ==\n", "t.profile:1: a condition is: if argN OP VALUE");
	expect_error("allow ioctl if arg1 & 0\n", "t.profile:1: '& 0' can never match");
	expect_error("allow socket if arg0 =32 16 or arg2 =32 12\n",
		     "t.profile:1: after a condition: 'and argN OP VALUE' or the end of the line");
	expect_error("allow socket if arg0 =32 16 and\n",
		     "t.profile:1: after a condition: 'and argN OP VALUE' or the end of the line");
	expect_error("allow socket if arg0 =32 16 and arg2 ==\n",
		     "t.profile:1: a condition is: if argN OP VALUE");
	expect_error("allow socket if arg0 =32 16 and arg0 =32 2\n",
		     "t.profile:1: two conditions on arg0");
	expect_error("allow socket if arg0 =32 1 and arg1 =32 2 and arg2 =32 3\n",
		     "t.profile:1: at most 2 conditions, joined by 'and'");
	expect_error("allow\n", "t.profile:1: no syscall after the action");
	expect_error("default allow extra\n",
		     "t.profile:1: unexpected 'extra' after the default action");
	expect_error("include a b\n", "t.profile:1: include takes one file");
	expect_error("\n\ninclude missing.profile\n",
		     "t.profile:3: can't include missing.profile: No such file or directory");
}

Test(profile, include_and_cycles)
{
	char dir[] = "/tmp/sbx-prof-XXXXXX", a[64], b[64];
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.profile", dir);
	snprintf(b, sizeof(b), "%s/b.profile", dir);
	f = fopen(a, "w");
	fputs("allow read\ninclude b.profile\n", f);
	fclose(f);
	f = fopen(b, "w");
	fputs("allow write\n", f);
	fclose(f);
	cr_assert_eq(prof_parse_file(a, NULL, &prof, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(prof.n_rules, 2);
	cr_assert_str_eq(prof.rules[1].syscall, "write");
	prof_free(&prof);

	f = fopen(b, "w");
	fputs("allow write\ninclude a.profile\n", f);
	fclose(f);
	cr_assert_eq(prof_parse_file(a, NULL, &prof, err, sizeof(err)), -1);
	cr_assert(strstr(err, "b.profile:2: include cycle: a.profile includes itself") != NULL,
		  "%s", err);
	unlink(a);
	unlink(b);
	rmdir(dir);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "can't create %s", path);
	fputs(text, f);
	fclose(f);
}

/* An include inside an included file resolves against that file's own
 * directory: top/main.profile includes sub/a.inc, which includes b.inc,
 * that is sub/b.inc. A top/b.inc is there as a decoy (it was the one read). */
Test(profile, nested_include_is_relative_to_its_own_file)
{
	char dir[] = "/tmp/sbx-prof-XXXXXX", top[64], sub[64], path[4][96];
	const char *names[] = { "main.profile", "a.inc", "b.inc", "b.inc" };

	cr_assert_not_null(mkdtemp(dir));
	snprintf(top, sizeof(top), "%s/top", dir);
	snprintf(sub, sizeof(sub), "%s/top/sub", dir);
	cr_assert_eq(mkdir(top, 0755), 0);
	cr_assert_eq(mkdir(sub, 0755), 0);
	for (int i = 0; i < 4; i++)
		snprintf(path[i], sizeof(path[i]), "%s/%s", i == 0 || i == 3 ? top : sub, names[i]);
	write_text(path[0], "allow read\ninclude sub/a.inc\n");
	write_text(path[1], "allow write\ninclude b.inc\n");
	write_text(path[2], "allow openat\n");
	write_text(path[3], "allow close\n");
	cr_assert_eq(prof_parse_file(path[0], NULL, &prof, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(prof.n_rules, 3);
	cr_assert_str_eq(prof.rules[2].syscall, "openat",
			 "top/b.inc was read instead of sub/b.inc");
	cr_assert(strstr(prof.rules[2].where, "/top/sub/b.inc:1") != NULL, "%s",
		  prof.rules[2].where);
	prof_free(&prof);

	/* Without the decoy, the old resolution found nothing. */
	unlink(path[3]);
	cr_assert_eq(prof_parse_file(path[0], NULL, &prof, err, sizeof(err)), 0, "%s", err);
	prof_free(&prof);
	for (int i = 0; i < 3; i++)
		unlink(path[i]);
	rmdir(sub);
	rmdir(top);
	rmdir(dir);
}

Test(profile, shipped_profiles_parse)
{
	const char *names[] = { "default", "nested", "strict", "none" };
	const char *src = getenv("SBX_SRCDIR");
	char path[1024], groups_path[1024];

	cr_assert_not_null(src, "SBX_SRCDIR is set by make check");
	snprintf(groups_path, sizeof(groups_path), "%s/seccomp-profiles/groups.list", src);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/seccomp-profiles/%s.profile", src, names[i]);
		cr_assert_eq(prof_parse_file(path, groups_path, &prof, err, sizeof(err)), 0, "%s",
			     err);
		cr_assert(prof.description[0] != '\0', "%s has a description", names[i]);
		prof_free(&prof);
	}
}

Test(profile, newer_action)
{
	cr_assert_eq(parse("default allow\nnewer errno ENOSYS\n"), 0, "%s", err);
	cr_assert(prof.newer_set);
	cr_assert_eq(prof.newer, PROF_ERRNO);
	cr_assert_eq(prof.newer_err, ENOSYS);
	prof_free(&prof);
	cr_assert_eq(parse("default allow\n"), 0, "%s", err);
	cr_assert(!prof.newer_set, "no newer line, no newer action");
	prof_free(&prof);
	cr_assert_eq(parse("errno EAFNOSUPPORT socket if arg0 >= 46\n"), 0, "%s", err);
	cr_assert_eq(prof.rules[0].cond[0].op, PROF_GE);
	cr_assert_eq(prof.rules[0].cond[0].value, 46);
	prof_free(&prof);
	cr_assert_eq(parse("errno EPROTONOSUPPORT socket if arg0 =32 16 and arg2 =32 12\n"), 0,
		     "%s", err);
	cr_assert_eq(prof.rules[0].n_cond, 2);
	cr_assert_eq(prof.rules[0].cond[0].arg, 0);
	cr_assert_eq(prof.rules[0].cond[1].arg, 2);
	cr_assert_eq(prof.rules[0].cond[1].op, PROF_EQ32);
	cr_assert_eq(prof.rules[0].cond[1].value, 12);
	prof_free(&prof);
	expect_error("newer\n", "t.profile:1: newer needs an action");
	expect_error("newer kill now\n", "t.profile:1: unexpected 'now' after the newer action");
}

Test(profile, mount_by_flags)
{
	cr_assert_eq(parse("default allow\nmount by-flags\nerrno ENOSYS umount2\n"), 0, "%s", err);
	cr_assert(prof.mount_by_flags);
	cr_assert_eq(prof.n_rules, 1);
	prof_free(&prof);
	cr_assert_eq(parse("default allow\n"), 0, "%s", err);
	cr_assert(!prof.mount_by_flags);
	prof_free(&prof);
	/* no rule may name mount beside it, before or after, by name or group */
	expect_error("mount by-flags\nerrno EPERM mount\n",
		     "t.profile:2: a rule for mount, which \"mount by-flags\" decides");
	expect_error("mount by-flags\nerrno EPERM @mount\n",
		     "t.profile:2: a rule for mount, which \"mount by-flags\" decides");
	expect_error("allow mount\nmount by-flags\n",
		     "t.profile:2: mount by-flags after a rule for mount (t.profile:1)");
	expect_error("mount by-flags now\n", "t.profile:1: unexpected 'now' after mount by-flags");
	expect_error("mount\n",
		     "t.profile:1: unknown action 'mount' (allow, errno NAME, kill, log)");
}

/* The build's check of groups.list (sbx-compile-profile --check-groups
 * passes every syscall libseccomp and syscalls.c name). */
Test(profile, unclassified_syscalls_fail_the_check)
{
	const char *known[] = { "read", "write", "mount", "open_tree_attr", "statmount" };
	size_t n = sizeof(known) / sizeof(known[0]);

	cr_assert_eq(prof_check_groups("g.list",
				       "# c\n@io read write\n@mount mount open_tree_attr\n"
				       "@mount-info statmount   # trailing\n",
				       known, n, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(prof_check_groups("g.list", "@io read write\n@mount mount\n", known, n, err,
				       sizeof(err)),
		     -1);
	cr_assert_str_eq(err, "g.list: unclassified syscalls (give each a reviewed decision: a "
			      "group): open_tree_attr statmount");
	cr_assert_eq(prof_check_groups("g.list",
				       "@io read write\n\n@m mount open_tree_attr read statmount\n",
				       known, n, err, sizeof(err)),
		     -1);
	cr_assert_str_eq(err, "g.list:3: read is in more than one group");
	cr_assert_eq(prof_check_groups("g.list",
				       "@io read write mount open_tree_attr statmount opne_tree\n",
				       known, n, err, sizeof(err)),
		     -1);
	cr_assert_str_eq(err, "g.list:1: unknown syscall 'opne_tree'");
}

Test(profile, shipped_groups_name_the_newer_syscalls_once)
{
	const char *src = getenv("SBX_SRCDIR");
	const char *names[64];
	char path[1024], *text;
	FILE *f;
	long n;

	cr_assert_not_null(src, "SBX_SRCDIR is set by make check");
	snprintf(path, sizeof(path), "%s/seccomp-profiles/groups.list", src);
	cr_assert_not_null(f = fopen(path, "re"));
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	cr_assert_gt(n = ftell(f), 0);
	rewind(f);
	cr_assert_not_null(text = calloc(1, (size_t)n + 1));
	cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	cr_assert_leq(sbx_n_newer_syscalls, 64);
	for (size_t i = 0; i < sbx_n_newer_syscalls; i++)
		names[i] = sbx_newer_syscalls[i].name;
	/* Only these names are known here: every other member is "unknown";
	 * what must not appear is an unclassified or twice-classified one. */
	prof_check_groups("groups.list", text, names, sbx_n_newer_syscalls, err, sizeof(err));
	cr_assert_null(strstr(err, "unclassified"), "%s", err);
	cr_assert_null(strstr(err, "more than one"), "%s", err);
	free(text);
}

/* The prefix (prefix.h) walked the way the kernel's action cache walks a
 * filter (kernel/seccomp.c, seccomp_is_const_allow): only the number and
 * the architecture are known; loading anything else means the action
 * depends on arguments. Not a BPF simulator: anything but the prefix's
 * few instruction kinds fails the test. Returns the instruction index it
 * ends on (n: the program after the prefix), with *ret the return value
 * and *used_arg whether an argument was loaded (arg0 then reads as arg0). */
static size_t walk(const struct sock_filter *f, size_t n, uint32_t arch, uint32_t nr, uint32_t arg0,
		   uint32_t *ret, bool *used_arg)
{
	uint32_t a = 0;
	size_t pc = 0;

	*used_arg = false;
	while (pc < n) {
		const struct sock_filter *in = &f[pc];
		bool res;

		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			cr_assert(in->k == 0 || in->k == 4 || in->k == 16, "load of offset %u",
				  in->k);
			*used_arg |= in->k == 16;
			a = in->k == 0 ? nr : in->k == 4 ? arch : arg0;
			pc++;
			continue;
		case BPF_RET | BPF_K:
			*ret = in->k;
			return pc;
		case BPF_JMP | BPF_JA:
			pc += 1 + in->k;
			continue;
		case BPF_JMP | BPF_JEQ | BPF_K:
			res = a == in->k;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			res = a > in->k;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			res = a >= in->k;
			break;
		default:
			cr_assert_fail("instruction %zu: code %#x is not a prefix instruction", pc,
				       in->code);
			return n;
		}
		pc += 1 + (size_t)(res ? in->jt : in->jf);
	}
	cr_assert_eq(pc, n, "a jump lands past the program's first instruction");
	return pc;
}

#define X86_64 0xc000003eU /* AUDIT_ARCH_X86_64 */
#define I386 0x40000003U   /* AUDIT_ARCH_I386 */
#define ENOSYS_RET (0x00050000U | ENOSYS)
#define EPERM_RET (0x00050000U | EPERM)

Test(prefix, decides_only_what_it_must_and_never_on_arguments)
{
	static const struct sbx_prefix_rule rules[] = { { 467, EPERM_RET, false },
							{ 600, 0, true } };
	static const uint32_t calls[] = { 1, 8 };
	const struct sbx_prefix_abi abis[] = {
		{ .arch = X86_64,
		  .pass_from = 0x40000000,
		  .rules = rules,
		  .n_rules = 2,
		  .newer = true,
		  .last_nr = 469,
		  .newer_action = ENOSYS_RET },
		{ .arch = I386,
		  .rules = rules,
		  .n_rules = 1,
		  .newer = true,
		  .last_nr = 469,
		  .newer_action = ENOSYS_RET,
		  .mux_nr = 102,
		  .mux_calls = calls,
		  .n_mux_calls = 2,
		  .mux_action = ENOSYS_RET },
	};
	struct sock_filter f[SBX_PREFIX_MAX];
	size_t n = prefix_build(abis, 2, f);
	const uint32_t arches[] = { X86_64, I386, 0xc00000b7U /* aarch64 */ };

	cr_assert_gt(n, 0);
	cr_assert_lt(n, 40, "a few instructions, not %zu", n);
	for (size_t a = 0; a < 3; a++) {
		for (uint64_t nr = 0; nr <= 0xffffffffULL; nr = nr < 2100 ? nr + 1 : nr * 3 + 1) {
			uint32_t ret = 0;
			bool used_arg;
			size_t end = walk(f, n, arches[a], (uint32_t)nr, 0, &ret, &used_arg);
			bool mux = arches[a] == I386 && nr == 102;

			cr_assert(mux || !used_arg, "arch %#x nr %llu depends on an argument",
				  arches[a], (unsigned long long)nr);
			if (arches[a] != X86_64 && arches[a] != I386) {
				cr_assert_eq(end, n, "another arch goes to the program");
			} else if (nr == 467) {
				cr_assert(end < n && ret == EPERM_RET, "467 gets its rule");
			} else if (arches[a] == X86_64 && nr >= 0x40000000) {
				cr_assert_eq(end, n, "x32 and -1 go to the program");
			} else if (nr > 469 && !(arches[a] == X86_64 && nr == 600)) {
				cr_assert(end < n && ret == ENOSYS_RET, "arch %#x nr %llu is newer",
					  arches[a], (unsigned long long)nr);
			} else {
				cr_assert_eq(end, n, "arch %#x nr %llu goes to the program",
					     arches[a], (unsigned long long)nr);
			}
		}
	}
	/* socketcall: SYS_SOCKET and SYS_SOCKETPAIR get ENOSYS, the rest goes on. */
	for (uint32_t call = 0; call < 30; call++) {
		uint32_t ret = 0;
		bool used_arg;
		size_t end = walk(f, n, I386, 102, call, &ret, &used_arg);

		if (call == 1 || call == 8)
			cr_assert(end < n && ret == ENOSYS_RET, "socketcall(%u)", call);
		else
			cr_assert_eq(end, n, "socketcall(%u) goes to the program", call);
	}
}

Test(prefix, too_long_is_refused)
{
	static struct sbx_prefix_rule rules[300];
	const struct sbx_prefix_abi abi = { .arch = X86_64, .rules = rules, .n_rules = 300 };
	struct sock_filter f[SBX_PREFIX_MAX];

	for (uint32_t i = 0; i < 300; i++)
		rules[i] = (struct sbx_prefix_rule){ i, EPERM_RET, false };
	cr_assert_eq(prefix_build(&abi, 1, f), 0);
}
