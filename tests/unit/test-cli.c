/* Unit tests for the option parser: the plan each option builds and the
 * exact message of each bad input. No namespaces are created here. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "filter.h"

#define UNPRIV 1000
#define ROOT 0

static struct sbx_plan plan;
static struct sbx_err err;
static char outbuf[8192];
/* The warnings of the last parse, one a line. */
static char warnings[1024];

static void collect_warning(const struct sbx_err *msg)
{
	size_t len = strlen(warnings);

	snprintf(warnings + len, sizeof(warnings) - len, "%s\n", msg->msg);
}

/* $XDG_RUNTIME_DIR as the parses below see it. */
static const char *runtime_dir = "/run/user/1000";

/* Parse "sbx ARGS..." (NULL-terminated) as the given uid. */
static enum sbx_cli_result parse_as(uid_t uid, ...)
{
	static char *argv[64];
	struct sbx_cli_env env = { .uid = uid,
				   .gid = uid,
				   .cwd = "/home/u",
				   .runtime_dir = runtime_dir,
				   .warn = collect_warning };
	enum sbx_cli_result r;
	va_list ap;
	int argc = 0;
	FILE *out = fmemopen(outbuf, sizeof(outbuf), "w");

	argv[argc++] = (char *)"sbx";
	va_start(ap, uid);
	for (char *a; (a = va_arg(ap, char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	env.out = out;
	memset(outbuf, 0, sizeof(outbuf));
	memset(warnings, 0, sizeof(warnings));
	memset(&err, 0, sizeof(err));
	cli_plan_free(&plan);
	r = cli_parse(argc, argv, &env, &plan, &err);
	fclose(out);
	return r;
}

#define parse(...) parse_as(UNPRIV, __VA_ARGS__, NULL)
#define parse_root(...) parse_as(ROOT, __VA_ARGS__, NULL)

static void expect_error(enum sbx_cli_result r, const char *msg)
{
	cr_assert_eq(r, SBX_CLI_ERROR, "expected an error '%s'", msg);
	cr_assert_str_eq(err.msg, msg);
}

Test(cli, command_and_defaults)
{
	cr_assert_eq(parse("true"), SBX_CLI_RUN);
	cr_assert_eq(plan.argc, 1);
	cr_assert_str_eq(plan.argv[0], "true");
	cr_assert(plan.unshare_user, "a user namespace is implied for a non-root caller");
	cr_assert_not(plan.unshare_pid || plan.unshare_net || plan.unshare_ipc);
	cr_assert_eq(plan.sandbox_uid, UNPRIV);
	cr_assert_eq(plan.n_ops, 0);
	cr_assert_str_eq(plan.old_cwd, "/home/u");
}

Test(cli, root_gets_no_userns_unless_asked)
{
	cr_assert_eq(parse_root("true"), SBX_CLI_RUN);
	cr_assert_not(plan.unshare_user);
	cr_assert_eq(parse_root("--unshare-user", "--uid", "5", "true"), SBX_CLI_RUN);
	cr_assert(plan.unshare_user);
	cr_assert_eq(plan.sandbox_uid, 5);
}

Test(cli, double_dash_ends_options)
{
	cr_assert_eq(parse("--unshare-net", "--", "--bind", "x"), SBX_CLI_RUN);
	cr_assert(plan.unshare_net);
	cr_assert_eq(plan.argc, 2);
	cr_assert_str_eq(plan.argv[0], "--bind");
}

Test(cli, options_stop_at_the_command)
{
	cr_assert_eq(parse("ls", "--unshare-net"), SBX_CLI_RUN);
	cr_assert_not(plan.unshare_net);
	cr_assert_eq(plan.argc, 2);
}

Test(cli, unshare_all_and_share_net)
{
	cr_assert_eq(parse("--unshare-all", "true"), SBX_CLI_RUN);
	cr_assert(plan.unshare_ipc && plan.unshare_pid && plan.unshare_net && plan.unshare_uts);
	cr_assert_eq(parse("--unshare-all", "--share-net", "true"), SBX_CLI_RUN);
	cr_assert(plan.unshare_pid);
	cr_assert_not(plan.unshare_net);
	cr_assert_eq(parse("--unshare-net", "--share-net", "true"), SBX_CLI_RUN);
	cr_assert_not(plan.unshare_net);
}

Test(cli, each_unshare_option)
{
	cr_assert_eq(parse("--unshare-ipc", "true"), SBX_CLI_RUN);
	cr_assert(plan.unshare_ipc);
	cr_assert_eq(parse("--unshare-pid", "true"), SBX_CLI_RUN);
	cr_assert(plan.unshare_pid);
	cr_assert_eq(parse("--unshare-uts", "true"), SBX_CLI_RUN);
	cr_assert(plan.unshare_uts);
	cr_assert_eq(parse("--unshare-cgroup", "true"), SBX_CLI_RUN);
	cr_assert(plan.unshare_cgroup);
	cr_assert_eq(parse("--unshare-user", "true"), SBX_CLI_RUN);
	cr_assert(plan.unshare_user);
	cr_assert_eq(parse("--unshare-user-try", "true"), SBX_CLI_RUN);
	cr_assert(plan.unshare_user);
}

Test(cli, uid_gid_hostname)
{
	cr_assert_eq(parse("--uid", "0", "--gid", "7", "--unshare-uts", "--hostname", "box",
			   "true"),
		     SBX_CLI_RUN);
	cr_assert_eq(plan.sandbox_uid, 0);
	cr_assert_eq(plan.sandbox_gid, 7);
	cr_assert_str_eq(plan.hostname, "box");
}

Test(cli, id_maps)
{
	cr_assert_eq(parse("--uid-map", "0", "1000", "1", "--uid-map", "1", "100000", "65535",
			   "--gid-map", "0", "200000", "10", "true"),
		     SBX_CLI_RUN, "%s", err.msg);
	cr_assert_eq(plan.n_uid_map, 2);
	cr_assert_eq(plan.uid_map[1].inside, 1);
	cr_assert_eq(plan.uid_map[1].outside, 100000);
	cr_assert_eq(plan.uid_map[1].count, 65535);
	cr_assert_eq(plan.n_gid_map, 1);
	/* the caller (UNPRIV) is mapped to 0; the gid map has no caller: its first id */
	cr_assert_eq(plan.sandbox_uid, 0);
	cr_assert_eq(plan.sandbox_gid, 0);
	cr_assert_eq(parse("--uid-map", "0", "100000", "100", "--uid", "42", "true"), SBX_CLI_RUN,
		     "%s", err.msg);
	cr_assert_eq(plan.sandbox_uid, 42);
	/* the whole 32-bit space but (uid_t)-1 */
	cr_assert_eq(parse("--uid-map", "0", "0", "4294967295", "true"), SBX_CLI_RUN, "%s",
		     err.msg);
	expect_error(parse("--uid-map", "0", "0", "4294967296", "true"),
		     "--uid-map: invalid map line '0 0 4294967296' (INSIDE OUTSIDE COUNT)");
	expect_error(parse("--uid-map", "1", "0", "4294967295", "true"),
		     "--uid-map 1 0 4294967295: the range goes past the last id (4294967294)");
	expect_error(parse("--gid-map", "0", "4294967290", "6", "true"),
		     "--gid-map 0 4294967290 6: the range goes past the last id (4294967294)");
	expect_error(parse("--uid-map", "0", "1000", "0", "true"),
		     "--uid-map: invalid map line '0 1000 0' (INSIDE OUTSIDE COUNT)");
	expect_error(parse("--uid-map", "-1", "1000", "1", "true"),
		     "--uid-map: invalid map line '-1 1000 1' (INSIDE OUTSIDE COUNT)");
	expect_error(parse("--uid-map", "0", "1000"), "--uid-map takes three arguments");
	expect_error(parse("--uid-map", "0", "100000", "10", "--uid-map", "5", "200000", "1",
			   "true"),
		     "--uid-map: line 2 overlaps an earlier one inside or outside (the kernel "
		     "refuses such a map)");
	expect_error(parse("--gid-map", "0", "100000", "10", "--gid-map", "10", "100009", "1",
			   "true"),
		     "--gid-map: line 2 overlaps an earlier one inside or outside (the kernel "
		     "refuses such a map)");
	expect_error(parse("--uid-map", "0", "100000", "10", "--uid", "10", "true"),
		     "--uid 10 is not mapped by --uid-map");
	expect_error(parse("--userns", "0", "--uid-map", "0", "100000", "10", "true"),
		     "--uid-map is not compatible with --userns");
	expect_error(parse("--info-fd", "1", "--userns-block-fd", "0", "--uid-map", "0", "1", "1",
			   "true"),
		     "--uid-map is not compatible with --userns-block-fd");
	expect_error(parse_root("--gid-map", "0", "100000", "10", "true"),
		     "--gid-map requires --unshare-user");
	cr_assert_eq(parse_root("--unshare-user", "--gid-map", "0", "100000", "10", "true"),
		     SBX_CLI_RUN, "%s", err.msg);
}

Test(cli, auto_map)
{
	cr_assert_eq(parse("--auto-map", "true"), SBX_CLI_RUN, "%s", err.msg);
	cr_assert_eq(plan.auto_map_size, 65536);
	cr_assert_eq(plan.sandbox_uid, 0, "the caller is root inside");
	cr_assert_eq(plan.sandbox_gid, 0);
	cr_assert(plan.unshare_pid, "a PID namespace of its own, which ends with the sandbox");
	cr_assert_str_eq(plan.runtime_dir, "/run/user/1000");
	cr_assert_eq(parse("--auto-map-size", "1000", "--uid", "999", "--gid", "5", "true"),
		     SBX_CLI_RUN, "%s", err.msg);
	cr_assert_eq(plan.auto_map_size, 1000);
	cr_assert_eq(plan.sandbox_uid, 999);
	cr_assert_eq(plan.sandbox_gid, 5);
	cr_assert_eq(parse("--auto-map-size", "4294967295", "true"), SBX_CLI_RUN, "%s", err.msg);
	cr_assert_eq(parse_root("--unshare-user", "--auto-map", "true"), SBX_CLI_RUN, "%s",
		     err.msg);
	cr_assert_str_eq(plan.runtime_dir, "/run", "root's registry is under /run");
	expect_error(parse("--auto-map-size", "1", "true"),
		     "invalid --auto-map-size: '1' (2 to 4294967295 ids)");
	expect_error(parse("--auto-map-size", "4294967296", "true"),
		     "invalid --auto-map-size: '4294967296' (2 to 4294967295 ids)");
	expect_error(parse("--auto-map-size", "0x10", "true"),
		     "invalid --auto-map-size: '0x10' (2 to 4294967295 ids)");
	expect_error(parse("--auto-map-size", "100", "--uid", "100", "true"),
		     "--uid 100 is outside the --auto-map range 0-99");
	expect_error(parse("--auto-map", "--gid", "65536", "true"),
		     "--gid 65536 is outside the --auto-map range 0-65535");
	expect_error(parse("--auto-map", "--uid-map", "0", "100000", "10", "true"),
		     "--auto-map is not compatible with --uid-map");
	expect_error(parse("--auto-map", "--userns", "0", "true"),
		     "--auto-map is not compatible with --userns");
	expect_error(parse("--info-fd", "1", "--userns-block-fd", "0", "--auto-map", "true"),
		     "--auto-map is not compatible with --userns-block-fd");
	expect_error(parse_root("--auto-map", "true"), "--auto-map requires --unshare-user");
	runtime_dir = NULL;
	expect_error(parse("--auto-map", "true"),
		     "--auto-map needs $XDG_RUNTIME_DIR, an absolute path (the registry of slices "
		     "in use lives there)");
	runtime_dir = "run/user/1000";
	expect_error(parse("--auto-map", "true"),
		     "--auto-map needs $XDG_RUNTIME_DIR, an absolute path (the registry of slices "
		     "in use lives there)");
	runtime_dir = "/run/user/1000";
}

Test(cli, binds_keep_order_and_flags)
{
	cr_assert_eq(parse("--ro-bind", "/usr", "/usr", "--bind", "/tmp", "/t", "--dev-bind",
			   "/dev", "/dev", "--ro-bind-try", "/nonexistent-sbx", "/n", "--bind-try",
			   "/", "/h", "true"),
		     SBX_CLI_RUN);
	cr_assert_eq(plan.n_ops, 4, "a missing -try source is dropped at parse");
	cr_assert_eq(plan.ops[0].kind, SBX_OP_BIND);
	cr_assert_eq(plan.ops[0].flags, SBX_BIND_RO);
	cr_assert_str_eq(plan.ops[0].src, "/usr");
	cr_assert_str_eq(plan.ops[1].dest, "/t");
	cr_assert_eq(plan.ops[1].flags, 0);
	cr_assert_eq(plan.ops[2].flags, SBX_BIND_DEV);
	cr_assert_eq(plan.ops[3].flags, SBX_BIND_TRY);
}

Test(cli, relative_source_is_made_absolute)
{
	struct sbx_cli_env env = { .uid = 1000, .gid = 1000, .cwd = "/", .out = stdout };
	static char a0[] = "sbx", a1[] = "--bind", a2[] = "usr", a3[] = "/u", a4[] = "true";
	char *argv[] = { a0, a1, a2, a3, a4, NULL };

	cli_plan_free(&plan);
	cr_assert_eq(cli_parse(5, argv, &env, &plan, &err), SBX_CLI_RUN);
	cr_assert_str_eq(plan.ops[0].src, "//usr");
}

Test(cli, dest_ops)
{
	cr_assert_eq(parse("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--mqueue", "/mq",
			   "--dir", "/d", "--symlink", "usr/bin", "/bin", "--chmod", "0700", "/d",
			   "--remount-ro", "/", "true"),
		     SBX_CLI_RUN);
	cr_assert_eq(plan.n_ops, 8);
	cr_assert_eq(plan.ops[0].kind, SBX_OP_PROC);
	cr_assert_eq(plan.ops[1].kind, SBX_OP_DEV);
	cr_assert_eq(plan.ops[2].kind, SBX_OP_TMPFS);
	cr_assert_eq(plan.ops[2].perms, 0755);
	cr_assert_eq(plan.ops[2].size, 0);
	cr_assert_eq(plan.ops[3].kind, SBX_OP_MQUEUE);
	cr_assert_eq(plan.ops[4].kind, SBX_OP_DIR);
	cr_assert_eq(plan.ops[4].perms, 0755);
	cr_assert_eq(plan.ops[5].kind, SBX_OP_SYMLINK);
	cr_assert_str_eq(plan.ops[5].src, "usr/bin");
	cr_assert_str_eq(plan.ops[5].dest, "/bin");
	cr_assert_eq(plan.ops[6].kind, SBX_OP_CHMOD);
	cr_assert_eq(plan.ops[6].perms, 0700);
	cr_assert_eq(plan.ops[7].kind, SBX_OP_REMOUNT_RO);
}

Test(cli, perms_and_size_attach_to_the_next_op_only)
{
	cr_assert_eq(parse("--perms", "0700", "--size", "4096", "--tmpfs", "/a", "--tmpfs", "/b",
			   "--perms", "01777", "--dir", "/c", "--dir", "/d", "true"),
		     SBX_CLI_RUN);
	cr_assert_eq(plan.ops[0].perms, 0700);
	cr_assert_eq(plan.ops[0].size, 4096);
	cr_assert_eq(plan.ops[1].perms, 0755);
	cr_assert_eq(plan.ops[1].size, 0);
	cr_assert_eq(plan.ops[2].perms, 01777);
	cr_assert_eq(plan.ops[3].perms, 0755);
}

Test(cli, trailing_modifier_is_ignored_like_bwrap)
{
	cr_assert_eq(parse("--perms", "0700", "true"), SBX_CLI_RUN);
}

Test(cli, process_options)
{
	cr_assert_eq(parse("--chdir", "/w", "--setenv", "A", "1", "--unsetenv", "B", "--clearenv",
			   "--argv0", "name", "--new-session", "--die-with-parent", "--unshare-pid",
			   "--as-pid-1", "--close-fds", "--cap-add", "CAP_NET_ADMIN", "--cap-drop",
			   "ALL", "--cap-add", "sys_admin", "true"),
		     SBX_CLI_RUN);
	cr_assert_str_eq(plan.chdir_path, "/w");
	cr_assert_eq(plan.n_env_ops, 3);
	cr_assert_eq(plan.env_ops[0].kind, SBX_ENV_SET);
	cr_assert_str_eq(plan.env_ops[0].name, "A");
	cr_assert_str_eq(plan.env_ops[0].value, "1");
	cr_assert_eq(plan.env_ops[1].kind, SBX_ENV_UNSET);
	cr_assert_eq(plan.env_ops[2].kind, SBX_ENV_CLEAR);
	cr_assert_str_eq(plan.argv0, "name");
	cr_assert(plan.new_session && plan.die_with_parent && plan.as_pid_1 && plan.close_fds);
	cr_assert_eq(plan.n_cap_ops, 3);
	cr_assert(plan.cap_ops[0].add);
	cr_assert_eq(plan.cap_ops[0].cap, 12);
	cr_assert_not(plan.cap_ops[1].add);
	cr_assert_eq(plan.cap_ops[1].cap, -1);
	cr_assert_eq(plan.cap_ops[2].cap, 21);
}

Test(cli, args_stream_is_parsed_in_place)
{
	int p[2];
	char fdbuf[16];
	static const char stream[] = "--setenv\0X\0y z\0--unshare-net\0";

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], stream, sizeof(stream) - 1), (ssize_t)sizeof(stream) - 1);
	close(p[1]);
	snprintf(fdbuf, sizeof(fdbuf), "%d", p[0]);
	cr_assert_eq(parse("--unshare-pid", "--args", fdbuf, "--unshare-ipc", "true"), SBX_CLI_RUN);
	cr_assert(plan.unshare_pid && plan.unshare_net && plan.unshare_ipc);
	cr_assert_eq(plan.n_env_ops, 1);
	cr_assert_str_eq(plan.env_ops[0].value, "y z");
	cr_assert_eq(fcntl(p[0], F_GETFD), -1, "the --args fd is closed once read");
}

Test(cli, args_stream_errors)
{
	int p[2];
	char fdbuf[16];

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], "--bind\0/usr\0", 12), 12);
	close(p[1]);
	snprintf(fdbuf, sizeof(fdbuf), "%d", p[0]);
	expect_error(parse("--args", fdbuf, "true"), "--bind takes two arguments");

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], "ls\0", 3), 3);
	close(p[1]);
	snprintf(fdbuf, sizeof(fdbuf), "%d", p[0]);
	expect_error(parse("--args", fdbuf, "true"),
		     "--args: unexpected argument 'ls' (the command must be given on the command "
		     "line)");
	expect_error(parse("--args", "x", "true"), "Invalid fd: x");
	expect_error(parse("--args", "9999", "true"), "--args: fd 9999 is not open");
}

Test(cli, help_and_version)
{
	cr_assert_eq(parse("--help"), SBX_CLI_EXIT);
	cr_assert(strstr(outbuf, "usage: sbx [OPTIONS...] [--] COMMAND [ARGS...]") != NULL);
	cr_assert(strstr(outbuf, "    --ro-bind SRC DEST") != NULL, "%s", outbuf);
	cr_assert_eq(parse("--version"), SBX_CLI_EXIT);
	cr_assert_str_eq(outbuf, "sbx " PACKAGE_VERSION "\n");
}

Test(cli, version_and_messages_under_the_bwrap_name)
{
	sbx_set_progname("/usr/bin/bwrap");
	cr_assert_eq(parse("--version"), SBX_CLI_EXIT);
	cr_assert_str_eq(outbuf, "bubblewrap 0.12.0\n");
	cr_assert_eq(parse("--help"), SBX_CLI_EXIT);
	/* bwrap's usage line names argv[0] as given. */
	cr_assert(strncmp(outbuf, "usage: /usr/bin/bwrap [OPTIONS...] ", 35) == 0, "%s", outbuf);
	/* words.h: bwrap 0.12.0's words under its name. */
	expect_error(parse("--perms", "0755", "--perms", "0700", "--dir", "/x", "true"),
		     "--perms given twice for the same action");
	expect_error(parse("--size", "1", "--size", "2", "--tmpfs", "/x", "true"),
		     "--size given twice for the same action");
	expect_error(parse("--overlay-src", "/usr", "--dir", "/t", "true"),
		     "--overlay-src must be followed by another --overlay-src or one of "
		     "--overlay, --tmp-overlay, or --ro-overlay");
	expect_error(parse("--overlay-src", "/usr", "true"),
		     "--overlay-src must be followed by another --overlay-src or one of "
		     "--overlay, --tmp-overlay, or --ro-overlay");
	expect_error(parse("--overlay-src", "/nonexistent-sbx", "--tmp-overlay", "/t", "true"),
		     "Can't find source path /nonexistent-sbx: No such file or directory");
	cr_assert_eq(parse("--chdir", "/", "--chdir", "/", "true"), SBX_CLI_RUN);
	cr_assert_str_eq(warnings, "Only the last --chdir option will take effect\n");
	sbx_set_progname("sbx");
}

/* bwrap 0.12's warn_only_last_option(): the single-value options it names
 * warn when given again (the last one wins); repeatable ones do not. */
Test(cli, only_the_last_option_warning)
{
	static const char *const once[][2] = {
		{ "--chdir", "/" },    { "--uid", "5" },      { "--gid", "5" },
		{ "--hostname", "h" }, { "--info-fd", "1" },  { "--json-status-fd", "1" },
		{ "--sync-fd", "1" },  { "--block-fd", "0" }, { "--userns-block-fd", "0" },
		{ "--seccomp", "-" },  { "--userns", "0" },   { "--userns2", "0" },
		{ "--pidns", "0" },
	};

	/* --seccomp's fd is read at the end: an empty one (an error then,
	 * after the warning). */
	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	char null_arg[16];

	cr_assert(null_fd >= 0);
	snprintf(null_arg, sizeof(null_arg), "%d", null_fd);
	for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		const char *v = strcmp(once[i][1], "-") == 0 ? null_arg : once[i][1];
		char want[128];

		parse(once[i][0], v, once[i][0], v, "true");
		snprintf(want, sizeof(want), "only the last %s takes effect\n", once[i][0]);
		cr_assert_str_eq(warnings, want, "%s", once[i][0]);
	}
	parse("--chdir", "/", "--chdir", "/", "--chdir", "/", "true");
	cr_assert_str_eq(warnings, "only the last --chdir takes effect\n"
				   "only the last --chdir takes effect\n");
	cr_assert_eq(parse("--chdir", "/", "--setenv", "A", "1", "--setenv", "A", "2", "true"),
		     SBX_CLI_RUN);
	cr_assert_str_eq(warnings, "");
	close(null_fd);
}

/* bwrap 0.12's --not-a-security-boundary is accepted (and forgives
 * nothing in sbx); --debug-opt=force-openat-fallback selects the walk. */
Test(cli, bwrap_012_options)
{
	cr_assert_eq(parse("--not-a-security-boundary", "true"), SBX_CLI_RUN);
	cr_assert_not(plan.force_openat_fallback);
	cr_assert_eq(parse("--debug-opt=force-openat-fallback", "true"), SBX_CLI_RUN);
	cr_assert(plan.force_openat_fallback);
	expect_error(parse("--debug-opt=nope", "true"), "Unknown --debug-opt value: nope");
	expect_error(parse("--debug-opt", "true"), "Unknown option --debug-opt");
}

Test(cli, bad_input_messages)
{
	expect_error(parse("--frobnicate", "true"), "Unknown option --frobnicate");
	expect_error(parse("-x", "true"), "Unknown option -x");
	expect_error(parse("--bind", "/usr"), "--bind takes two arguments");
	expect_error(parse("--chdir"), "--chdir takes one argument");
	expect_error(parse("--perms", "999", "--dir", "/x", "true"),
		     "--perms takes an octal mode (0 to 07777), not '999'");
	expect_error(
		parse("--perms", "0755", "--bind", "/usr", "/x", "true"),
		"--perms must be followed by an option that creates a file or directory, not --bind");
	expect_error(parse("--perms", "0755", "--perms", "0700", "--dir", "/x", "true"),
		     "--perms given twice for the same file");
	expect_error(parse("--size", "abc", "--tmpfs", "/x", "true"),
		     "--size takes a positive number of bytes, not 'abc'");
	expect_error(parse("--size", "10", "--dir", "/x", "true"),
		     "--size must be followed by --tmpfs, not --dir");
	expect_error(parse("--chmod", "8", "/x", "true"),
		     "--chmod takes an octal mode (0 to 07777), not '8'");
	expect_error(parse("--cap-add", "CAP_NOPE", "true"),
		     "--cap-add: unknown capability 'CAP_NOPE'");
	expect_error(parse("--uid", "-1", "true"), "invalid uid: '-1'");
	expect_error(parse("--gid", "x", "true"), "invalid gid: 'x'");
	expect_error(parse("--setenv", "A=B", "1", "true"),
		     "--setenv: invalid variable name 'A=B'");
	expect_error(parse("--bind", "/nonexistent-sbx-src", "/x", "true"),
		     "Can't find source path /nonexistent-sbx-src: No such file or directory");
	expect_error(parse("--hostname", "h", "true"),
		     "Specifying --hostname requires --unshare-uts");
	expect_error(parse("--unshare-pid"), "no command given (try --help)");
	expect_error(parse("--as-pid-1", "true"), "Specifying --as-pid-1 requires --unshare-pid");
	expect_error(parse_root("--uid", "5", "true"),
		     "Specifying --uid requires --unshare-user or --userns");
	expect_error(parse_root("--gid", "5", "true"),
		     "Specifying --gid requires --unshare-user or --userns");
}

Test(cli, no_arguments_at_all)
{
	struct sbx_cli_env env = { .uid = 1000, .gid = 1000, .cwd = "/", .out = stdout };
	static char a0[] = "sbx";
	char *argv[] = { a0, NULL };

	cli_plan_free(&plan);
	cr_assert_eq(cli_parse(1, argv, &env, &plan, &err), SBX_CLI_ERROR);
	cr_assert_str_eq(err.msg, "no command given (try --help)");
}

/* A pipe holding data, its read end as a string for the command line. */
static const char *pipe_with(const void *data, size_t len, char *buf, size_t size)
{
	int p[2];

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], data, len), (ssize_t)len);
	close(p[1]);
	snprintf(buf, size, "%d", p[0]);
	return buf;
}

Test(cli, data_ops_read_their_fd_once_and_share_it)
{
	char fd[16];

	pipe_with("hello", 5, fd, sizeof(fd));
	cr_assert_eq(parse("--file", fd, "/a", "--perms", "0644", "--ro-bind-data", fd, "/b",
			   "--bind-data", fd, "/c", "true"),
		     SBX_CLI_RUN);
	cr_assert_eq(plan.n_ops, 3);
	cr_assert_eq(plan.ops[0].kind, SBX_OP_FILE);
	cr_assert_eq(plan.ops[0].perms, 0666);
	cr_assert_eq(plan.ops[0].data.len, 5);
	cr_assert_eq(memcmp(plan.ops[0].data.data, "hello", 5), 0);
	cr_assert_eq(plan.ops[1].kind, SBX_OP_BIND_DATA);
	cr_assert_eq(plan.ops[1].flags, SBX_BIND_RO);
	cr_assert_eq(plan.ops[1].perms, 0644);
	cr_assert_eq(plan.ops[1].data.len, 5, "the same fd again gives the same data");
	cr_assert_eq(plan.ops[2].flags, 0);
	cr_assert_eq(plan.ops[2].perms, 0600);
}

Test(cli, seccomp_programs)
{
	char fd1[16], fd2[16];
	unsigned char prog[16] = { 0 };

	pipe_with(prog, 16, fd1, sizeof(fd1));
	pipe_with(prog, 8, fd2, sizeof(fd2));
	cr_assert_eq(parse("--add-seccomp-fd", fd1, "--add-seccomp-fd", fd2, "true"), SBX_CLI_RUN);
	cr_assert_eq(plan.n_seccomp, 2);
	cr_assert_eq(plan.seccomp[0].len, 16);
	cr_assert_eq(plan.seccomp[1].len, 8);

	pipe_with(prog, 8, fd1, sizeof(fd1));
	pipe_with(prog, 16, fd2, sizeof(fd2));
	cr_assert_eq(parse("--seccomp", fd1, "--seccomp", fd2, "true"), SBX_CLI_RUN);
	cr_assert_eq(plan.n_seccomp, 1, "the last --seccomp wins");
	cr_assert_eq(plan.seccomp[0].len, 16);

	/* The last --seccomp is read after the data ops' fds (a regression:
	 * their table was freed before it, a double free). */
	pipe_with(prog, 8, fd1, sizeof(fd1));
	pipe_with(prog, 8, fd2, sizeof(fd2));
	cr_assert_eq(parse("--file", fd1, "/x", "--seccomp", fd2, "true"), SBX_CLI_RUN, "%s",
		     err.msg);
	cr_assert_eq(plan.n_seccomp, 1);
	cr_assert_eq(plan.seccomp[0].len, 8);

	/* bwrap reads only the last --seccomp's fd: the same fd twice is
	 * fine, and so is a bad program that a later one replaces. */
	pipe_with(prog, 8, fd1, sizeof(fd1));
	cr_assert_eq(parse("--seccomp", fd1, "--seccomp", fd1, "true"), SBX_CLI_RUN, "%s", err.msg);
	cr_assert_eq(plan.n_seccomp, 1);
	pipe_with(prog, 0, fd1, sizeof(fd1));
	pipe_with(prog, 16, fd2, sizeof(fd2));
	cr_assert_eq(parse("--seccomp", fd1, "--seccomp", fd2, "true"), SBX_CLI_RUN, "%s", err.msg);
	cr_assert_eq(plan.seccomp[0].len, 16);

	/* bwrap's messages (its test-seccomp.py checks them). */
	pipe_with(prog, 12, fd1, sizeof(fd1));
	expect_error(parse("--seccomp", fd1, "true"),
		     "Invalid seccomp data, must be multiple of 8");
	pipe_with(prog, 0, fd1, sizeof(fd1));
	cr_assert_eq(parse("--seccomp", fd1, "true"), SBX_CLI_ERROR, "an empty program");
	cr_assert(strstr(err.msg, "does not hold a BPF program (0 bytes: need a multiple of 8, "
				  "8 to 32768)") != NULL,
		  "%s", err.msg);
	pipe_with(prog, 8, fd1, sizeof(fd1));
	pipe_with(prog, 8, fd2, sizeof(fd2));
	expect_error(parse("--seccomp", fd1, "--add-seccomp-fd", fd2, "true"),
		     "--add-seccomp-fd cannot be combined with --seccomp");
	pipe_with(prog, 8, fd1, sizeof(fd1));
	pipe_with(prog, 8, fd2, sizeof(fd2));
	expect_error(parse("--add-seccomp-fd", fd1, "--seccomp", fd2, "true"),
		     "--seccomp cannot be combined with --add-seccomp-fd");
	pipe_with(prog, 8, fd1, sizeof(fd1));
	expect_error(parse("--add-seccomp-fd", fd1, "--add-seccomp-fd", fd1, "true"),
		     "Can't read seccomp data: Bad file descriptor");
	expect_error(parse("--add-seccomp-fd", "-1", "true"), "Invalid fd: -1");
	expect_error(parse("--seccomp", "0a", "true"), "Invalid fd: 0a");
}

Test(cli, default_profile_and_cap_sys_admin)
{
	const struct sbx_builtin_profile *dflt = filter_builtin("default");
	const struct sbx_builtin_profile *nested = filter_builtin("nested");

	cr_assert(dflt && nested);
	cr_assert_eq(parse("true"), SBX_CLI_RUN);
	cr_assert_eq(plan.n_seccomp, 1);
	cr_assert_eq(plan.seccomp[0].data, (const char *)dflt->blob, "no option: default");
	/* Keeping CAP_SYS_ADMIN: a profile that lets it mount. */
	cr_assert_eq(parse("--cap-add", "CAP_SYS_ADMIN", "true"), SBX_CLI_RUN);
	cr_assert_eq(plan.seccomp[0].data, (const char *)nested->blob, "--cap-add CAP_SYS_ADMIN");
	cr_assert_eq(parse("--cap-add", "ALL", "true"), SBX_CLI_RUN);
	cr_assert_eq(plan.seccomp[0].data, (const char *)nested->blob, "--cap-add ALL");
	cr_assert_eq(parse("--cap-add", "ALL", "--cap-drop", "sys_admin", "true"), SBX_CLI_RUN);
	cr_assert_eq(plan.seccomp[0].data, (const char *)dflt->blob, "ALL less CAP_SYS_ADMIN");
	cr_assert_eq(parse("--cap-add", "CAP_NET_ADMIN", "true"), SBX_CLI_RUN);
	cr_assert_eq(plan.seccomp[0].data, (const char *)dflt->blob, "another capability");
	/* A profile the caller names is what loads. */
	cr_assert_eq(parse("--cap-add", "ALL", "--seccomp-profile", "default", "true"),
		     SBX_CLI_RUN);
	cr_assert_eq(plan.n_seccomp, 1);
	cr_assert_eq(plan.seccomp[0].data, (const char *)dflt->blob, "--seccomp-profile default");
}

Test(cli, plumbing_fds)
{
	cr_assert_eq(parse("--info-fd", "1", "--json-status-fd", "2", "--sync-fd", "0",
			   "--block-fd", "0", "--level-prefix", "true"),
		     SBX_CLI_RUN);
	sbx_set_level_prefix(false);
	cr_assert_eq(plan.info_fd, 1);
	cr_assert_eq(plan.json_status_fd, 2);
	cr_assert_eq(plan.sync_fd, 0);
	cr_assert_eq(plan.block_fd, 0);
	cr_assert_eq(plan.userns_fd, -1);
	cr_assert_eq(plan.n_keep_fds, 1, "--sync-fd survives --close-fds");
	expect_error(parse("--info-fd", "x", "true"), "Invalid fd: x");
	expect_error(parse("--sync-fd", "4242", "true"), "--sync-fd: fd 4242 is not open");
	expect_error(parse("--userns-block-fd", "0", "true"),
		     "--userns-block-fd requires --unshare-user and --info-fd");
}

Test(cli, bind_fd_needs_a_file_or_directory)
{
	int p[2];
	char fd[16];
	int dfd = open("/", O_PATH | O_DIRECTORY);

	snprintf(fd, sizeof(fd), "%d", dfd);
	cr_assert_eq(parse("--ro-bind-fd", fd, "/host", "true"), SBX_CLI_RUN);
	cr_assert_eq(plan.ops[0].kind, SBX_OP_BIND_FD);
	cr_assert_eq(plan.ops[0].fd, dfd);
	cr_assert_eq(plan.ops[0].flags, SBX_BIND_RO);
	cr_assert_eq(pipe(p), 0);
	snprintf(fd, sizeof(fd), "%d", p[0]);
	cr_assert_eq(parse("--bind-fd", fd, "/x", "true"), SBX_CLI_ERROR);
	cr_assert(strstr(err.msg, "is not a directory or a file") != NULL, "%s", err.msg);
	/* an fd a later data option reads (and closes) is not there to bind:
	 * the error names the option the caller wrote */
	for (int ro = 0; ro < 2; ro++) {
		const char *opt = ro ? "--ro-bind-fd" : "--bind-fd";
		char want[64];

		dfd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
		cr_assert_geq(dfd, 0);
		snprintf(fd, sizeof(fd), "%d", dfd);
		snprintf(want, sizeof(want), "%s: fd %d is not open", opt, dfd);
		expect_error(parse(opt, fd, "/b", "--file", fd, "/a", "true"), want);
	}
}

Test(cli, overlays)
{
	cr_assert_eq(parse("--overlay-src", "/usr", "--overlay-src", "/etc", "--ro-overlay", "/o",
			   "--overlay-src", "/usr", "--tmp-overlay", "/t", "--overlay-src", "/usr",
			   "--overlay", "/tmp", "/var/tmp", "/r", "true"),
		     SBX_CLI_RUN);
	cr_assert_eq(plan.n_ops, 3);
	cr_assert_eq(plan.ops[0].overlay, SBX_OVERLAY_RO);
	cr_assert_eq(plan.ops[0].n_layers, 2);
	cr_assert_str_eq(plan.ops[0].layers[0], "/usr");
	cr_assert_str_eq(plan.ops[0].layers[1], "/etc");
	cr_assert_eq(plan.ops[1].overlay, SBX_OVERLAY_TMP);
	cr_assert_eq(plan.ops[1].n_layers, 1);
	cr_assert_eq(plan.ops[2].overlay, SBX_OVERLAY_RW);
	cr_assert_str_eq(plan.ops[2].upper, "/tmp");
	cr_assert_str_eq(plan.ops[2].work, "/var/tmp");
	cr_assert_str_eq(plan.ops[2].dest, "/r");

	expect_error(parse("--tmp-overlay", "/t", "true"),
		     "--tmp-overlay requires at least one --overlay-src");
	expect_error(parse("--overlay-src", "/usr", "--ro-overlay", "/t", "true"),
		     "--ro-overlay requires at least two --overlay-src");
	expect_error(parse("--overlay-src", "/usr", "--dir", "/t", "true"),
		     "--overlay-src must be followed by another --overlay-src or by --overlay, "
		     "--tmp-overlay or --ro-overlay, not --dir");
	expect_error(parse("--overlay-src", "/nonexistent-sbx", "--tmp-overlay", "/t", "true"),
		     "--overlay-src: can't find /nonexistent-sbx: No such file or directory");
}

Test(cli, userns_options)
{
	cr_assert_eq(parse("--userns", "0", "--userns2", "1", "--uid", "3", "true"), SBX_CLI_RUN);
	cr_assert_not(plan.unshare_user, "--userns: no new user namespace is implied");
	cr_assert_eq(plan.userns_fd, 0);
	cr_assert_eq(plan.userns2_fd, 1);
	expect_error(parse("--userns", "0", "--unshare-user", "true"),
		     "--userns is not compatible with --unshare-user");
	expect_error(parse("--userns2", "0", "true"), "--userns2 requires --userns");
	expect_error(parse_root("--disable-userns", "true"),
		     "--disable-userns requires --unshare-user");
	cr_assert_eq(parse("--disable-userns", "--assert-userns-disabled", "true"), SBX_CLI_RUN);
	cr_assert(plan.disable_userns && plan.assert_userns_disabled);
	expect_error(parse("--lock-file", "/l", "--unshare-pid", "--as-pid-1", "true"),
		     "Specifying --as-pid-1 and --lock-file is not permitted");
	/* --pidns with --unshare-pid: a PID namespace nested in the joined one. */
	cr_assert_eq(parse("--userns", "0", "--pidns", "1", "--unshare-pid", "true"), SBX_CLI_RUN);
	cr_assert(plan.unshare_pid);
	cr_assert_eq(plan.pidns_fd, 1);
}
