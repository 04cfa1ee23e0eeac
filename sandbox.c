/* sbx: run one command in a fresh, minimal, unprivileged sandbox.
 *
 * main() is the setup sequence of DESIGN.md §2, one call per step:
 *   1. parse argv into a plan            (cli.c)
 *   2. clone into new namespaces; the parent writes the id maps and stays
 *      as monitor                        (userns.c, monitor.c)
 *   3. build the root, pivot into it     (rootfs.c, bind-mount.c)
 *   4. seal: hostname, chdir, env, caps, no_new_privs, close fds (caps.c)
 *   5. run: PID 1 reaper unless --as-pid-1, exec the command
 *
 * MUST: nothing after step 1 reads argv or acts on input the plan did not
 *       validate; every input error exits 1 before clone().
 * MUST: the command never inherits a capability it did not ask for, and
 *       always runs with no_new_privs.
 * MUST: every fd sbx opens is O_CLOEXEC; fds the caller passed without
 *       FD_CLOEXEC reach the command unless --close-fds.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "cli.h"
#include "filter.h"
#include "monitor.h"
#include "net.h"
#include "rootfs.h"
#include "userns.h"
#include "util.h"

extern char **environ;

/* Runtime state, owned here and passed explicitly. */
struct sbx_run {
	const struct sbx_plan *plan;
	sigset_t saved_mask;
	int sync_fd; /* child's end: EOF or a byte from the monitor */
	const char *host_tty;
	mode_t umask;
	int proc_self_fd;    /* the child's /proc/PID on the host's procfs, for --disable-userns */
	int pid_sock[2];     /* --pidns --unshare-pid: the nested child reports itself */
	int status_fd;       /* PID 1's end of the pipe it reports the status on, or -1 */
	int exec_fd;         /* one byte once the command is exec'd, two if execvp failed; the
				monitor also sees it close (the setup is over) */
	int notify_sock[2];  /* the child sends the seccomp listener to the monitor, or -1 */
	pid_t monitor_pid;   /* as the child sees it, or 0 where it cannot (a PID namespace) */
	uint64_t pid1_guard; /* the capability PID 1 holds and the command lacks, or 0 */
};

/* bwrap keeps a PID 1 (a reaper) also for --lock-file and --sync-fd: it
 * holds the locks and the fd while the command runs. */
static bool has_pid1(const struct sbx_plan *plan)
{
	return !plan->as_pid_1 && (plan->unshare_pid || plan->n_lock_files || plan->sync_fd >= 0);
}

static __attribute__((noreturn)) void child_fail(const struct sbx_err *err)
{
	sbx_print_err(err);
	_exit(1);
}

/* SIGKILL when our parent dies, then a look that it has not died already
 * (the signal would never come). parent is what getppid() returns while it
 * lives; 0 from inside a PID namespace, where getppid() says 0 either way
 * and the caller learns of a death before the call by its sync pipe's EOF.
 * Every process of the sandbox dies with the one that forked it, so with
 * the monitor (not only with --die-with-parent): the sandbox is not in the
 * caller's process group, and a SIGKILL sent to that group, which would
 * have reached a bwrap sandbox, reaches only the monitor. */
static void die_with(pid_t parent)
{
	struct sbx_err err;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		sbx_fail_errno(&err, "can't set the parent-death signal");
		child_fail(&err);
	}
	if (getppid() != parent)
		_exit(1);
}

static int clone_flags(const struct sbx_plan *plan)
{
	int flags = CLONE_NEWNS;

	if (plan->unshare_user)
		flags |= CLONE_NEWUSER;
	if (plan->unshare_ipc)
		flags |= CLONE_NEWIPC;
	/* Under a joined PID namespace, nest_pidns() makes the new one. */
	if (plan->unshare_pid && plan->pidns_fd < 0)
		flags |= CLONE_NEWPID;
	if (plan->unshare_net)
		flags |= CLONE_NEWNET;
	if (plan->unshare_uts)
		flags |= CLONE_NEWUTS;
	if (plan->unshare_cgroup)
		flags |= CLONE_NEWCGROUP;
	return flags;
}

/* Step 4: environment edits in command-line order. */
static void apply_env(const struct sbx_plan *plan)
{
	for (size_t i = 0; i < plan->n_env_ops; i++) {
		const struct sbx_env_op *e = &plan->env_ops[i];

		switch (e->kind) {
		case SBX_ENV_SET:
			setenv(e->name, e->value, 1);
			break;
		case SBX_ENV_UNSET:
			unsetenv(e->name);
			break;
		case SBX_ENV_CLEAR:
			clearenv();
			break;
		}
	}
}

/* bwrap's rule: --chdir, else the caller's cwd if it exists inside, else
 * $HOME (as the sandbox's environment has it), else /. PWD follows. */
static int enter_cwd(const struct sbx_plan *plan, struct sbx_err *err)
{
	const char *cwd = "/", *home = getenv("HOME");

	if (plan->chdir_path) {
		if (chdir(plan->chdir_path) < 0)
			return sbx_fail_errno(err, "can't chdir to %s", plan->chdir_path);
		cwd = plan->chdir_path;
	} else if (plan->old_cwd && chdir(plan->old_cwd) == 0) {
		cwd = plan->old_cwd;
	} else if (home && chdir(home) == 0) {
		cwd = home;
	} else if (chdir("/") < 0) {
		return sbx_fail_errno(err, "can't chdir to /");
	}
	/* setenv copies: cwd may be $HOME's own storage. */
	setenv("PWD", cwd, 1);
	return 0;
}

/* The fds options name for the sandbox's own setup (closed before the
 * command runs), beside the --bind-fd ops' and --sync-fd. */
#define N_PLUMBING 5
static void plumbing_fds(const struct sbx_plan *plan, int fds[N_PLUMBING])
{
	fds[0] = plan->block_fd;
	fds[1] = plan->userns_block_fd;
	fds[2] = plan->userns_fd;
	fds[3] = plan->userns2_fd;
	fds[4] = plan->pidns_fd;
}

/* Whether the sandbox still needs fd for an option other than the status
 * ones (the same number may be given to several). */
static bool needed_in_sandbox(const struct sbx_plan *plan, int fd)
{
	int fds[N_PLUMBING];

	plumbing_fds(plan, fds);
	for (size_t i = 0; i < N_PLUMBING; i++)
		if (fds[i] == fd)
			return true;
	for (size_t i = 0; i < plan->n_ops; i++)
		if (plan->ops[i].kind == SBX_OP_BIND_FD && plan->ops[i].fd == fd)
			return true;
	return fd == plan->sync_fd;
}

/* --info-fd and --json-status-fd are the monitor's to write. The sandbox
 * closes its copies first thing, as bwrap's child does: a caller that reads
 * --info-fd to its end before it lets the sandbox go on (--userns-block-fd,
 * bwrap's demos/userns-block-fd.py) would otherwise wait forever. */
static void close_status_fds(const struct sbx_plan *plan)
{
	if (plan->info_fd >= 0 && !needed_in_sandbox(plan, plan->info_fd))
		close(plan->info_fd);
	if (plan->json_status_fd >= 0 && plan->json_status_fd != plan->info_fd &&
	    !needed_in_sandbox(plan, plan->json_status_fd))
		close(plan->json_status_fd);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The fds options named for sbx's own use are not the command's. Each is
 * closed once: options may name the same fd, and a second close() would
 * hit whatever reused the number in between. */
static void close_plumbing(const struct sbx_plan *plan)
{
	_cleanup_free_ int *fds = xcalloc(N_PLUMBING + plan->n_ops, sizeof(int));
	size_t n = N_PLUMBING;

	plumbing_fds(plan, fds);
	for (size_t i = 0; i < plan->n_ops; i++)
		if (plan->ops[i].kind == SBX_OP_BIND_FD)
			fds[n++] = plan->ops[i].fd;
	qsort(fds, n, sizeof(int), cmp_int);
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0 && fds[i] != plan->sync_fd && (i == 0 || fds[i] != fds[i - 1]))
			close(fds[i]);
}

/* --disable-userns, as bwrap: limit this user namespace to one child
 * namespace, then use it up by entering a nested one (mapping our own ids),
 * so the command cannot create any. */
static int disable_userns(struct sbx_run *run, struct sbx_err *err)
{
	const struct sbx_plan *plan = run->plan;
	char line[64];

	if (unshare(CLONE_NEWUSER) < 0)
		return sbx_fail_errno(err, "can't create the nested user namespace");
	userns_map_line(line, sizeof(line), plan->sandbox_uid, plan->sandbox_uid);
	if (write_file_at(run->proc_self_fd, "uid_map", line) < 0)
		return sbx_fail_errno(err, "can't write the nested uid map");
	if (write_file_at(run->proc_self_fd, "setgroups", "deny\n") < 0)
		return sbx_fail_errno(err, "can't write the nested setgroups");
	userns_map_line(line, sizeof(line), plan->sandbox_gid, plan->sandbox_gid);
	if (write_file_at(run->proc_self_fd, "gid_map", line) < 0)
		return sbx_fail_errno(err, "can't write the nested gid map");
	return 0;
}

/* Namespace steps after the root is built and before the caps drop. */
static int finish_userns(struct sbx_run *run, struct sbx_err *err)
{
	const struct sbx_plan *plan = run->plan;

	if (plan->userns2_fd >= 0 && setns(plan->userns2_fd, CLONE_NEWUSER) < 0)
		return sbx_fail_errno(err, "can't switch to the --userns2 user namespace");
	if (plan->disable_userns && disable_userns(run, err) < 0)
		return -1;
	if (plan->assert_userns_disabled && unshare(CLONE_NEWUSER) == 0)
		return sbx_fail(err, "creation of new user namespaces was not disabled as "
				     "requested");
	sbx_closep(&run->proc_self_fd);
	run->proc_self_fd = -1;
	return 0;
}

/* --lock-file: read locks held (by PID 1, through O_CLOEXEC fds) for as
 * long as the sandbox runs. Paths are inside the sandbox. */
static int take_locks(const struct sbx_plan *plan, struct sbx_err *err)
{
	for (size_t i = 0; i < plan->n_lock_files; i++) {
		struct flock lk = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
		/* O_NONBLOCK: a FIFO named here must not hang the setup */
		int fd = open(plan->lock_files[i], O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

		if (fd < 0)
			return sbx_fail_errno(err, "can't open lock file %s", plan->lock_files[i]);
		if (fcntl(fd, F_SETLK, &lk) < 0)
			return sbx_fail_errno(err, "can't lock %s", plan->lock_files[i]);
	}
	return 0;
}

/* With --userns or --userns-block-fd sbx writes no maps; --uid/--gid then
 * pick ids the caller mapped, switched to here (keeping capabilities for
 * the drop that follows to decide). */
/* setresgid/setresuid to the sandbox's ids, keeping every capability we
 * have in the user namespace (a change away from uid 0 clears the
 * effective set even with PR_SET_KEEPCAPS: raised again from permitted). */
static int become_sandbox_ids(const struct sbx_plan *plan, struct sbx_err *err)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
	    setresgid(plan->sandbox_gid, plan->sandbox_gid, plan->sandbox_gid) < 0 ||
	    setresuid(plan->sandbox_uid, plan->sandbox_uid, plan->sandbox_uid) < 0)
		return sbx_fail_errno(err, "can't switch to uid %u gid %u",
				      (unsigned)plan->sandbox_uid, (unsigned)plan->sandbox_gid);
	if (syscall(SYS_capget, &hdr, data) < 0)
		return sbx_fail_errno(err, "can't read capabilities");
	data[0].effective = data[0].permitted;
	data[1].effective = data[1].permitted;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return sbx_fail_errno(err, "can't raise capabilities");
	return 0;
}

/* sbx writes maps of more than the single ids: --uid-map, --gid-map,
 * --auto-map. */
static bool has_maps(const struct sbx_plan *plan)
{
	return plan->n_uid_map || plan->n_gid_map || plan->auto_map_size;
}

/* --uid-map / --gid-map: the caller's own ids may be mapped to others, or
 * not at all, so the child takes the sandbox's ids as soon as the maps are
 * written, before it creates a file. */
static int switch_ids_early(const struct sbx_plan *plan, struct sbx_err *err)
{
	return has_maps(plan) ? become_sandbox_ids(plan, err) : 0;
}

/* --uid/--gid with --userns or --userns-block-fd: the map is the caller's;
 * switch once the user namespace is final. */
static int switch_ids(const struct sbx_plan *plan, struct sbx_err *err)
{
	if (has_maps(plan) || !plan->ids_given ||
	    (plan->userns_fd < 0 && plan->userns_block_fd < 0))
		return 0;
	return become_sandbox_ids(plan, err);
}

/* SELinux: label what the command becomes (checked enabled at parse). */
static int set_exec_label(const struct sbx_plan *plan, struct sbx_err *err)
{
	if (plan->exec_label &&
	    write_file_at(AT_FDCWD, "/proc/thread-self/attr/exec", plan->exec_label) < 0)
		return sbx_fail_errno(err, "can't set exec label %s", plan->exec_label);
	return 0;
}

/* close_range(2) (Linux 5.9), or one close() at a time up to the highest fd
 * the process can have (the kernel's fs.nr_open default bounds the rest). */
static int close_fd_range(unsigned lo, unsigned hi)
{
	struct rlimit rl;

	if (syscall(SYS_close_range, lo, hi, 0) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	if (rl.rlim_max > 1u << 20 || rl.rlim_max == RLIM_INFINITY)
		rl.rlim_max = 1u << 20;
	for (unsigned long fd = lo; fd <= hi && fd < rl.rlim_max; fd++)
		close((int)fd);
	return 0;
}

/* --close-fds: close everything above 2 except the fds options named and
 * sbx's own (O_CLOEXEC: the command never has them). */
static int close_fds(const struct sbx_plan *plan, const int *own, size_t n_own, struct sbx_err *err)
{
	_cleanup_free_ int *keep = xcalloc(plan->n_keep_fds + n_own + 1, sizeof(int));
	size_t n = plan->n_keep_fds;
	unsigned lo = 3;

	if (n)
		memcpy(keep, plan->keep_fds, n * sizeof(int));
	for (size_t i = 0; i < n_own; i++)
		if (own[i] >= 0)
			keep[n++] = own[i];
	qsort(keep, n, sizeof(int), cmp_int);
	keep[n] = -1;
	for (size_t i = 0; i <= n; i++) {
		unsigned hi = keep[i] < 0 ? ~0U : (unsigned)keep[i];

		if (keep[i] >= 0 && (unsigned)keep[i] < lo)
			continue;
		if (hi > lo && close_fd_range(lo, hi - 1 + (keep[i] < 0)) < 0)
			return sbx_fail_errno(err, "can't close file descriptors");
		lo = hi + 1;
		if (keep[i] < 0)
			break;
	}
	return 0;
}

/* A session keyring of the sandbox's own, anonymous and empty, as runc
 * gives each container: the caller's session keyring (and the keys in it,
 * ssh or kerberos credentials, an ecryptfs passphrase) would otherwise be
 * the command's. After the id switch, so the command owns its keyring, and
 * before the seccomp programs, which may refuse keyctl.
 * Errors fail closed, but for a kernel that refuses keyctl to us in a way
 * the command inherits: ENOSYS (no keyrings in the kernel, or a filter) or
 * EPERM (a filter: Docker's profile refuses keyctl so, and seccomp filters
 * cannot be shed), checked by a second keyctl that only reads our keyring's
 * id: if that one works, the caller's keyring is reachable, and we stop.
 * EDQUOT (the user's key quota, kernel.keys.maxkeys, is full) fails too:
 * going on would hand the command the very keyring this is meant to hide,
 * whenever its profile allows keyctl; the quota frees itself as the user's
 * keys go (a keyring's quota is released on its last put), and a process
 * that fills it could as well kill the user's processes. */
static int new_session_keyring(struct sbx_err *err)
{
	int saved;

	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) >= 0)
		return 0;
	saved = errno;
	if ((saved == ENOSYS || saved == EPERM) &&
	    syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0) < 0 &&
	    (errno == ENOSYS || errno == EPERM))
		return 0;
	errno = saved;
	if (saved == EDQUOT)
		return sbx_fail(err,
				"can't give the sandbox a session keyring of its own: %s "
				"(the user's key quota is full: see /proc/key-users and "
				"kernel.keys.maxkeys)",
				strerror(saved));
	return sbx_fail_errno(err, "can't give the sandbox a session keyring of its own");
}

/* Step 4, seal. Order matters: caps go after everything that needs them;
 * no_new_privs after the caps drop; seccomp last, so its programs never
 * need to allow a setup syscall. */
static void seal(struct sbx_run *run)
{
	const struct sbx_plan *plan = run->plan;
	uint64_t permitted = caps_permitted(), keep;
	struct sbx_err err;
	int listener = -1;

	apply_env(plan);
	if (enter_cwd(plan, &err) < 0)
		child_fail(&err);
	if (plan->new_session && setsid() < 0) {
		sbx_fail_errno(&err, "can't create a new session");
		child_fail(&err);
	}
	if (finish_userns(run, &err) < 0 || set_exec_label(plan, &err) < 0 ||
	    switch_ids(plan, &err) < 0 || new_session_keyring(&err) < 0)
		child_fail(&err);
	/* A change of ids or of user namespace clears the parent-death
	 * signal (prctl(2), PR_SET_PDEATHSIG): set it again. */
	die_with(run->monitor_pid);
	keep = caps_compute(plan, permitted);
	run->pid1_guard = has_pid1(plan) ? caps_pid1_guard(keep, permitted) : 0;
	/* PID 1 is the sbx binary, never exec'd: with access to /proc/1/exe
	 * the command could reopen that file for writing once no sbx process
	 * runs it (as CVE-2019-5736 did to runc), and /proc/1/fd and ptrace
	 * would hand it PID 1's fds and status pipe. A capability PID 1 holds
	 * and the command lacks denies it all three, while the caller, who
	 * owns the user namespace, can still open /proc/CHILD-PID/ns and root
	 * (bwrap's callers do). The command's exec drops it. */
	if (caps_apply(keep, run->pid1_guard, &err) < 0)
		child_fail(&err);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		sbx_fail_errno(&err, "can't set no_new_privs");
		child_fail(&err);
	}
	if (plan->block_fd >= 0) {
		char byte;
		/* Data or EOF: either way the caller said go. */
		(void)SBX_RETRY(read(plan->block_fd, &byte, 1));
	}
	close_plumbing(plan);
	if (plan->close_fds &&
	    close_fds(plan, (const int[]){ run->status_fd, run->exec_fd, run->notify_sock[1] }, 3,
		      &err) < 0)
		child_fail(&err);
	/* After --close-fds, which would close them. */
	if (take_locks(plan, &err) < 0)
		child_fail(&err);
	if (filter_apply(plan, &listener, &err) < 0)
		child_fail(&err);
	/* The listener goes to the monitor, and from here before anything
	 * else runs: whoever holds it decides the sandbox's mounts. */
	if (listener >= 0 && supervise_send_listener(run->notify_sock[1], listener) < 0) {
		sbx_fail_errno(&err, "can't hand the seccomp listener to the monitor");
		child_fail(&err);
	}
	sbx_closep(&listener);
	sbx_closep(&run->notify_sock[1]);
}

/* The command's argv: argv[0] replaced by --argv0. */
static char **command_argv(const struct sbx_plan *plan)
{
	char **argv = xcalloc(plan->argc + 1, sizeof(char *));

	memcpy(argv, plan->argv, plan->argc * sizeof(char *));
	if (plan->argv0)
		argv[0] = (char *)plan->argv0;
	return argv;
}

/* --json-status-fd ends with an exit code only for a command that was
 * exec'd (bwrap: one byte on its setup-finished pipe just before execvp,
 * a second when execvp failed; nothing when setup failed before). */
static void report_exec(const struct sbx_run *run, int bytes)
{
	if (run->exec_fd >= 0)
		(void)SBX_RETRY(write(run->exec_fd, "xx", (size_t)bytes));
}

static __attribute__((noreturn)) void exec_command(struct sbx_run *run)
{
	const struct sbx_plan *plan = run->plan;
	char **argv = command_argv(plan);
	struct sbx_err err;
	int saved;

	sigprocmask(SIG_SETMASK, &run->saved_mask, NULL);
	report_exec(run, 1);
	execvp(plan->argv[0], argv);
	saved = errno;
	report_exec(run, 1);
	errno = saved;
	sbx_fail_errno(&err, "execvp %s", plan->argv[0]);
	child_fail(&err);
}

/* The command as PID 1's child: posix_spawn (a vfork: ~0.1 ms less than
 * fork here, PERFORMANCE.md) when PID 1 heads a PID namespace, since then
 * nothing is needed between fork and exec (if PID 1 dies the kernel kills
 * the namespace, so the command dies with it without a PDEATHSIG); else
 * fork, for the child's PDEATHSIG. */
static pid_t start_command(struct sbx_run *run)
{
	const struct sbx_plan *plan = run->plan;
	_cleanup_free_ char **argv = NULL;
	posix_spawnattr_t attr;
	struct sbx_err err;
	pid_t pid;
	int r;

	if (!plan->unshare_pid) {
		pid_t self = getpid();

		pid = fork();
		if (pid == 0) {
			die_with(self);
			exec_command(run);
		}
		if (pid < 0) {
			sbx_fail_errno(&err, "can't fork the command");
			child_fail(&err);
		}
		return pid;
	}
	argv = command_argv(plan);
	if ((r = posix_spawnattr_init(&attr)) != 0 ||
	    (r = posix_spawnattr_setsigmask(&attr, &run->saved_mask)) != 0 ||
	    (r = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK)) != 0 ||
	    (r = posix_spawnp(&pid, plan->argv[0], NULL, &attr, argv, environ)) != 0) {
		report_exec(run, 2);
		errno = r;
		sbx_fail_errno(&err, "execvp %s", plan->argv[0]);
		child_fail(&err);
	}
	posix_spawnattr_destroy(&attr);
	report_exec(run, 1);
	return pid;
}

/* Step 5: with a PID namespace, PID 1 stays to reap and pass on the status:
 * to the monitor through status_fd first, so that it need not wait for
 * the namespaces to be torn down when PID 1 exits (bwrap does the same). */
static __attribute__((noreturn)) void run_command(struct sbx_run *run)
{
	const struct sbx_plan *plan = run->plan;
	int status;
	pid_t pid;

	if (!has_pid1(plan))
		exec_command(run);
	/* PID 1 stays dumpable, as bwrap's: callers open the namespaces under
	 * /proc/CHILD-PID/ns and /proc/CHILD-PID/root of --info-fd's child-pid
	 * (flatpak enter, bwrap --userns/--pidns). What keeps the command out
	 * of PID 1 is the capability seal() left in its permitted set. When
	 * the command keeps every capability PID 1 has, there is none to do
	 * that: PID 1 is made non-dumpable instead (its memory belongs to the
	 * user namespace it was forked in, where the command has none), and
	 * the caller then cannot open those files either. */
	if (!run->pid1_guard && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		struct sbx_err err;

		sbx_fail_errno(&err, "can't make PID 1 non-dumpable");
		child_fail(&err);
	}
	pid = start_command(run);
	sbx_closep(&run->exec_fd);
	status = monitor_wait(&(const struct sbx_waiter){ .main_pid = pid,
							  .signal_pid = pid,
							  .signal_pidfd = -1,
							  .status_fd = -1,
							  .report_fd = run->status_fd,
							  .is_pid1 = true,
							  .setup_fd = -1 });
	if (run->status_fd >= 0)
		(void)SBX_RETRY(write(run->status_fd, &status, sizeof(status)));
	_exit(status);
}

/* The nested PID 1 tells the monitor who it is: one byte, to which the
 * kernel attaches our pid as the monitor sees it (SO_PASSCRED), and a pidfd
 * of ourselves (Linux 5.3; none before), so that the monitor, which is not
 * our parent and cannot wait for us, never signals a reused pid. */
static void send_self(int sock)
{
	_cleanup_close_ int self_fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	char byte = 'p', control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cmsg;

	if (self_fd >= 0) {
		memset(control, 0, sizeof(control));
		msg.msg_control = control;
		msg.msg_controllen = sizeof(control);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &self_fd, sizeof(int));
	}
	if (SBX_RETRY(sendmsg(sock, &msg, 0)) != 1)
		_exit(1);
}

/* --pidns with --unshare-pid. The kernel creates a PID namespace only as a
 * child of the creator's own, and setns() moved only our children into the
 * joined one: so here, in the joined namespace, unshare a nested one and
 * fork its PID 1, which goes on with the setup. This process stays as its
 * waiter, because an orphan would go to the joined namespace's init, not to
 * the monitor; the monitor learns the new pid from the kernel (SO_PASSCRED)
 * and sends signals straight to it. */
static void nest_pidns(struct sbx_run *run)
{
	struct sbx_err err;
	pid_t pid;
	int status;

	if (unshare(CLONE_NEWPID) < 0) {
		sbx_fail_errno(&err, "can't create a PID namespace in the --pidns one");
		child_fail(&err);
	}
	pid = fork();
	if (pid < 0) {
		sbx_fail_errno(&err, "can't fork into the new PID namespace");
		child_fail(&err);
	}
	if (pid == 0) {
		die_with(0);
		send_self(run->pid_sock[1]);
		close(run->pid_sock[1]);
		return;
	}
	close(run->sync_fd);
	close(run->pid_sock[1]);
	sbx_closep(&run->status_fd);
	sbx_closep(&run->exec_fd);
	if (SBX_RETRY(waitpid(pid, &status, 0)) != pid)
		_exit(1);
	_exit(monitor_exit_code(status));
}

/* The monitor's side: the pid of the nested namespace's PID 1, or -1 if the
 * child failed before it got that far; *pidfd its pidfd, or -1. */
static pid_t receive_nested_pid(int sock, int *pidfd)
{
	char byte, control[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control,
		.msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg;
	struct ucred cred = { .pid = -1 };

	*pidfd = -1;
	if (SBX_RETRY(recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) != 1 || (msg.msg_flags & MSG_CTRUNC))
		return -1;
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET)
			continue;
		if (cmsg->cmsg_type == SCM_CREDENTIALS && cmsg->cmsg_len == CMSG_LEN(sizeof(cred)))
			memcpy(&cred, CMSG_DATA(cmsg), sizeof(cred));
		else if (cmsg->cmsg_type == SCM_RIGHTS && cmsg->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(pidfd, CMSG_DATA(cmsg), sizeof(int));
	}
	return cred.pid > 0 ? cred.pid : -1;
}

/* Steps 3 to 5, in the cloned child. */
static __attribute__((noreturn)) void child_main(struct sbx_run *run)
{
	const struct sbx_plan *plan = run->plan;
	struct sbx_rootfs rf = { .host_tty = run->host_tty, .file_label = plan->file_label };
	struct sbx_err err;
	char byte;

	/* Out of the caller's process group at once (the monitor does the
	 * same from its side, as a shell does, so that neither waits): a
	 * kill(0, ...) from inside must not reach the caller's job. With
	 * --new-session, setsid() does it in seal(); it refuses a group
	 * leader, so not here. */
	if (!plan->new_session && setpgid(0, 0) < 0) {
		sbx_fail_errno(&err, "can't create a process group");
		child_fail(&err);
	}
	die_with(run->monitor_pid);
	close_status_fds(plan);
	if (run->pid_sock[0] >= 0) {
		close(run->pid_sock[0]);
		nest_pidns(run);
	}
	/* Wait for the id maps; EOF means the monitor is gone. */
	if (SBX_RETRY(read(run->sync_fd, &byte, 1)) != 1)
		_exit(1);
	close(run->sync_fd);
	if (switch_ids_early(plan, &err) < 0)
		child_fail(&err);
	/* --userns-block-fd: the caller maps our ids itself, then says go. */
	if (plan->userns_block_fd >= 0)
		(void)SBX_RETRY(read(plan->userns_block_fd, &byte, 1));
	rf.in_userns = plan->unshare_user || plan->userns_fd >= 0;
	rf.force_walk = plan->force_openat_fallback;
	if (plan->disable_userns) {
		run->proc_self_fd = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (run->proc_self_fd < 0 ||
		    write_file_at(AT_FDCWD, "/proc/sys/user/max_user_namespaces", "1\n") < 0) {
			sbx_fail_errno(&err, "can't limit user namespaces (--disable-userns)");
			child_fail(&err);
		}
	}

	/* Created files get exactly the modes asked for (bwrap). */
	umask(0);
	if (plan->unshare_net && net_loopback_up(&err) < 0)
		child_fail(&err);
	if (plan->hostname && sethostname(plan->hostname, strlen(plan->hostname)) < 0) {
		sbx_fail_errno(&err, "can't set hostname %s", plan->hostname);
		child_fail(&err);
	}
	/* --file-label: files and directories created from here on get it. */
	if (plan->file_label &&
	    write_file_at(AT_FDCWD, "/proc/thread-self/attr/fscreate", plan->file_label) < 0) {
		sbx_fail_errno(&err, "can't set file label %s", plan->file_label);
		child_fail(&err);
	}
	if (rootfs_prepare(&rf, &err) < 0 || rootfs_apply(&rf, plan, &err) < 0 ||
	    rootfs_enter(&rf, &err) < 0)
		child_fail(&err);
	umask(run->umask);
	seal(run);
	run_command(run);
}

static __attribute__((noreturn)) void sandbox_run(const struct sbx_plan *plan)
{
	struct sbx_run run = { .plan = plan,
			       .proc_self_fd = -1,
			       .pid_sock = { -1, -1 },
			       .notify_sock = { -1, -1 },
			       .status_fd = -1,
			       .exec_fd = -1 };
	struct sbx_supervisor sup = { .sock = -1, .listener = -1, .uid = getuid(), .gid = getgid() };
	_cleanup_close_ int pid1_fd = -1;
	struct sbx_slice slice;
	struct sbx_err err;
	int pipe_fds[2], status_fds[2] = { -1, -1 }, exec_fds[2] = { -1, -1 };
	pid_t ppid = getppid(), pid, main_pid;
	int status;

	if (isatty(STDOUT_FILENO))
		run.host_tty = ttyname(STDOUT_FILENO);
	run.umask = umask(0);
	umask(run.umask);
	/* --auto-map: the slice is this process's until it releases it below
	 * (or dies: then the next claim takes it back). */
	if (userns_check_maps(plan, &err) < 0 || userns_auto_claim(plan, &slice, &err) < 0)
		sbx_die_err(&err);
	if (pipe2(pipe_fds, O_CLOEXEC) < 0 ||
	    (has_pid1(plan) && pipe2(status_fds, O_CLOEXEC) < 0) ||
	    pipe2(exec_fds, O_CLOEXEC | O_NONBLOCK) < 0)
		sbx_die("can't create a pipe: %s", strerror(errno));
	if (plan->pidns_fd >= 0 && plan->unshare_pid &&
	    (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, run.pid_sock) < 0 ||
	     setsockopt(run.pid_sock[0], SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int)) < 0))
		sbx_die("can't create a socket: %s", strerror(errno));
	if (plan->seccomp_listen &&
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, run.notify_sock) < 0)
		sbx_die("can't create a socket: %s", strerror(errno));
	monitor_block_signals(&run.saved_mask);
	if (plan->die_with_parent)
		die_with(ppid);
	/* The child sees the monitor's pid unless it is in a PID namespace
	 * the monitor is not in (a new one, or the --pidns one). */
	run.monitor_pid = plan->unshare_pid || plan->pidns_fd >= 0 ? 0 : getpid();

	/* --userns / --pidns: the namespaces clone() creates below are then
	 * owned by, or nested in, the caller's. */
	if (plan->userns_fd >= 0 && setns(plan->userns_fd, CLONE_NEWUSER) < 0)
		sbx_die("can't join the --userns user namespace: %s", strerror(errno));
	if (plan->pidns_fd >= 0 && setns(plan->pidns_fd, CLONE_NEWPID) < 0)
		sbx_die("can't join the --pidns PID namespace: %s%s", strerror(errno),
			errno == EPERM && plan->userns_fd < 0
				? " (it belongs to another user namespace: join that one too, "
				  "with --userns)"
				: "");

	pid = (pid_t)syscall(SYS_clone, (unsigned long)(clone_flags(plan) | SIGCHLD), NULL, NULL,
			     NULL, NULL);
	if (pid < 0) {
		if (plan->unshare_user)
			userns_explain_failure(errno, &err);
		else
			sbx_fail_errno(&err, "can't create namespaces");
		sbx_die_err(&err);
	}
	if (pid == 0) {
		close(pipe_fds[1]);
		run.sync_fd = pipe_fds[0];
		sbx_closep(&status_fds[0]);
		run.status_fd = status_fds[1];
		sbx_closep(&exec_fds[0]);
		run.exec_fd = exec_fds[1];
		sbx_closep(&run.notify_sock[0]);
		child_main(&run);
	}

	/* Step 2, the monitor. Its own group stays the caller's; the child's
	 * is made here too (whichever of the two comes first). */
	if (!plan->new_session)
		(void)setpgid(pid, pid);
	/* A --json-status-fd or --info-fd reader that has gone away must not
	 * kill the monitor (EPIPE is enough); the command's own disposition
	 * of SIGPIPE is untouched: it was forked already. */
	signal(SIGPIPE, SIG_IGN);
	/* After --userns the monitor shares that user namespace with the
	 * command: one given CAP_SYS_PTRACE there (--cap-add) would pass
	 * ptrace_may_access() on a dumpable monitor and reach its
	 * /proc/PID/root and ns/, the caller's mount namespace. Non-dumpable,
	 * its memory belongs to the namespace sbx was started in. Before the
	 * child is let go. */
	if (plan->userns_fd >= 0 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		kill(pid, SIGKILL);
		sbx_die("can't make the monitor non-dumpable: %s", strerror(errno));
	}
	close(pipe_fds[0]);
	sbx_closep(&status_fds[1]);
	sbx_closep(&exec_fds[1]);
	sbx_closep(&run.notify_sock[1]);
	sup.sock = run.notify_sock[0];
	main_pid = pid;
	if (run.pid_sock[0] >= 0) {
		close(run.pid_sock[1]);
		main_pid = receive_nested_pid(run.pid_sock[0], &pid1_fd);
		close(run.pid_sock[0]);
		if (main_pid < 0) { /* the child failed, and said why */
			if (SBX_RETRY(waitpid(pid, &status, 0)) != pid)
				_exit(1);
			_exit(monitor_exit_code(status));
		}
	}
	if (plan->unshare_user && plan->userns_block_fd < 0 &&
	    userns_write_maps(pid, plan, &slice, &err) < 0) {
		kill(pid, SIGKILL);
		sbx_die_err(&err);
	}
	if (monitor_report_start(main_pid, plan, &slice) < 0) {
		kill(pid, SIGKILL);
		sbx_die("can't write the sandbox's status: %s", strerror(errno));
	}
	if (SBX_RETRY(write(pipe_fds[1], "x", 1)) != 1) {
		kill(pid, SIGKILL);
		sbx_die("can't start the sandbox: %s", strerror(errno));
	}
	close(pipe_fds[1]);
	status = monitor_wait(
		&(const struct sbx_waiter){ .main_pid = pid,
					    .signal_pid = main_pid,
					    .signal_pidfd = pid1_fd,
					    .group = pid,
					    .via_pid1 = has_pid1(plan),
					    .status_fd = status_fds[0],
					    .report_fd = -1,
					    .job_control = !plan->new_session,
					    .tty_at_once = plan->as_pid_1 && plan->unshare_pid,
					    .setup_fd = exec_fds[0],
					    .sup = sup.sock >= 0 ? &sup : NULL });
	monitor_report_exit(plan, exec_fds[0], status);
	/* The slice is free once no process of the sandbox is left: PID 1
	 * (which may have reported the status before it exits) is gone, and
	 * with it its PID namespace. */
	if (slice.count) {
		(void)SBX_RETRY(waitpid(pid, NULL, 0));
		userns_auto_release(&slice);
	}
	/* After joining a PID namespace, LeakSanitizer's exit-time check (in
	 * sanitizer builds) would spin: its tracer, our child, is created in
	 * that namespace and cannot see us to ptrace. Nothing is left to flush. */
	if (plan->pidns_fd >= 0)
		_exit(status);
	exit(status);
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX];
	struct sbx_cli_env env = {
		.uid = getuid(),
		.gid = getgid(),
		.cwd = getcwd(cwd, sizeof(cwd)),
		.runtime_dir = getenv("XDG_RUNTIME_DIR"),
		.out = stdout,
		.warn = sbx_print_warning,
	};
	struct sbx_plan plan;
	struct sbx_err err;

	sbx_set_progname(argc > 0 ? argv[0] : NULL);
	if (geteuid() != getuid() || getegid() != getgid())
		sbx_die("setuid/setgid installation is not supported yet; use unprivileged "
			"user namespaces");
	/* File capabilities (setcap) gained at this exec: the monitor would
	 * keep them in the caller's namespaces, for nothing sbx knows to do
	 * safely. bwrap refuses them too. */
	if (getauxval(AT_SECURE) && caps_permitted() != 0)
		sbx_die("installation with file capabilities is not supported; remove them "
			"(setcap -r) and use unprivileged user namespaces");
	switch (cli_parse(argc, argv, &env, &plan, &err)) {
	case SBX_CLI_ERROR:
		sbx_die_err(&err);
	case SBX_CLI_EXIT:
		return fflush(stdout) == 0 ? 0 : 1;
	case SBX_CLI_RUN:
		break;
	}
	sandbox_run(&plan);
}
