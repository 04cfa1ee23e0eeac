/* Unit tests for the seccomp profile parser: every error with file:line. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seccomp-profiles/profile.h"

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
	cr_assert_eq(prof.rules[4].op, PROF_EQ32);
	cr_assert_eq(prof.rules[4].arg, 1);
	cr_assert_eq(prof.rules[4].value, 0x5412);
	cr_assert_eq(prof.rules[5].action, PROF_KILL);
	cr_assert_eq(prof.rules[5].op, PROF_BITS);
	cr_assert_eq(prof.rules[6].action, PROF_LOG);
	cr_assert_eq(prof.rules[6].op, PROF_EQ);
	prof_free(&prof);
}

Test(profile, errors_name_file_and_line)
{
	expect_error("allow read\nerrno EWHAT mount\n", "t.profile:2: unknown errno 'EWHAT'");
	expect_error("errno\n", "t.profile:1: errno needs a name (e.g. errno EPERM)");
	expect_error("deny mount\n",
		     "t.profile:1: unknown action 'deny' (allow, errno NAME, kill, log)");
	expect_error("allow @nope\n", "t.profile:1: unknown group '@nope'");
	expect_error("allow ioctl if arg9 == 1\n", "t.profile:1: bad argument 'arg9' (arg0 to arg5)");
	expect_error("allow ioctl if arg1 < 1\n", "t.profile:1: bad operator '<' (==, =32, &)");
	expect_error("allow ioctl if arg1 == x\n", "t.profile:1: bad value 'x'");
	expect_error("allow ioctl if arg1 ==\n", "t.profile:1: a condition is: if argN OP VALUE");
	expect_error("allow ioctl if arg1 & 0\n", "t.profile:1: '& 0' can never match");
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
