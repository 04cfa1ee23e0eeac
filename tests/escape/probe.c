/* Escape probes, run inside sbx with the quick-start options. Each probe
 * tries one known way out and prints one line:
 *   CONTAINED <name>: <what was tried>: <what stopped it>
 *   ESCAPED   <name>: <what was tried>: <what happened>
 *   SKIPPED   <name>: <why it could not run>
 * A SKIPPED probe is never counted as contained. Exit status: the number of
 * escapes. No probe can harm the machine if it wrongly succeeds: writes are
 * checked with access(2), kills use signal 0, mounts target the sandbox's
 * own tmpfs root, and syscalls that reach the kernel get bad pointers so
 * they fail with EFAULT there (which tells "reached the kernel" apart from
 * "filtered" (EPERM/ENOSYS)).
 *
 * Environment from the test: PROBE_VICTIM (pid of a process outside),
 * PROBE_HOST_FD (an inherited fd of a host directory, when passed).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int escapes;

static __attribute__((format(printf, 3, 4))) void report(const char *verdict, const char *name,
							 const char *fmt, ...)
{
	va_list ap;

	printf("%-9s %s: ", verdict, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (strcmp(verdict, "ESCAPED") == 0)
		escapes++;
}

/* A syscall result: contained if it failed, with errno as the reason. */
static void expect_fail(const char *name, const char *tried, long r)
{
	if (r < 0)
		report("CONTAINED", name, "%s: %s", tried, strerror(errno));
	else
		report("ESCAPED", name, "%s: succeeded", tried);
}

/* Filtered (EPERM/ENOSYS/EACCES from seccomp or permission checks) vs
 * reached the kernel's argument handling (EFAULT, EINVAL, EBADF). */
static void expect_filtered(const char *name, const char *tried, long r)
{
	if (r < 0 && (errno == EPERM || errno == ENOSYS || errno == EACCES))
		report("CONTAINED", name, "%s: %s", tried, strerror(errno));
	else if (r < 0)
		report("ESCAPED", name, "%s: reached the kernel (%s), not filtered", tried,
		       strerror(errno));
	else
		report("ESCAPED", name, "%s: succeeded", tried);
}

static void probe_tiocsti(void)
{
	char c = 'x';

	if (!isatty(0)) {
		report("SKIPPED", "tiocsti", "stdin is not a terminal");
		return;
	}
	expect_fail("tiocsti", "ioctl(0, TIOCSTI)", ioctl(0, TIOCSTI, &c));
	/* TIOCLINUX subcode 2 (set selection) and 6 (paste) inject input. */
	char sub = 6;
	expect_filtered("tioclinux", "ioctl(0, TIOCLINUX, paste)", ioctl(0, TIOCLINUX, &sub));
}

static void probe_readonly(void)
{
	struct statvfs sv;

	if (access("/usr/bin", W_OK) == 0)
		report("ESCAPED", "ro-write", "access(/usr/bin, W_OK): writable");
	else
		report("CONTAINED", "ro-write", "access(/usr/bin, W_OK): %s", strerror(errno));
	expect_fail("ro-remount", "mount(MS_REMOUNT|MS_BIND) of /usr read-write",
		    mount(NULL, "/usr", NULL, MS_REMOUNT | MS_BIND, NULL));
	if (statvfs("/usr", &sv) == 0 && !(sv.f_flag & ST_RDONLY))
		report("ESCAPED", "ro-remount-check", "/usr is now read-write");
	expect_fail("ro-umount", "umount2(/usr, MNT_DETACH)", umount2("/usr", MNT_DETACH));
	expect_fail("ro-setattr", "mount_setattr clearing MOUNT_ATTR_RDONLY",
		    syscall(SYS_mount_setattr, AT_FDCWD, "/usr", 0, (void *)1, 32));
}

static void probe_new_mounts(void)
{
	const char *types[] = { "proc", "sysfs", "devpts", "tmpfs" };

	mkdir("/probe-mnt", 0700);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		char name[32], tried[64];

		snprintf(name, sizeof(name), "mount-%s", types[i]);
		snprintf(tried, sizeof(tried), "mount a new %s", types[i]);
		expect_fail(name, tried, mount(types[i], "/probe-mnt", types[i], 0, NULL));
	}
	expect_fail("fsopen", "fsopen(proc)", syscall(SYS_fsopen, "proc", 0));
	expect_fail("open_tree", "open_tree(/usr, OPEN_TREE_CLONE)",
		    syscall(SYS_open_tree, AT_FDCWD, "/usr", 1 /* OPEN_TREE_CLONE */));
}

static void probe_mknod(void)
{
	expect_fail("mknod", "mknod a char device 1:1 (/dev/mem)",
		    mknod("/probe-mem", S_IFCHR | 0600, makedev(1, 1)));
}

static void probe_setuid(void)
{
	struct statvfs sv;
	int st;
	pid_t pid;

	if (access("/suid/probe", X_OK) == 0) {
		/* The test bound a setuid-root copy of this probe. */
		pid = fork();
		if (pid == 0) {
			execl("/suid/probe", "probe", "--euid", (char *)NULL);
			_exit(127);
		}
		waitpid(pid, &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			report("CONTAINED", "setuid", "exec of a setuid-root binary: euid stayed");
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 1)
			report("ESCAPED", "setuid", "exec of a setuid-root binary: euid 0");
		else
			report("SKIPPED", "setuid", "the setuid probe did not run (status %d)", st);
	} else if (statvfs("/usr/bin", &sv) == 0) {
		if (sv.f_flag & ST_NOSUID)
			report("CONTAINED", "setuid", "setuid bits in /usr/bin: mount is nosuid");
		else
			report("ESCAPED", "setuid", "/usr/bin is mounted without nosuid");
	}
}

static void probe_outside_process(void)
{
	const char *v = getenv("PROBE_VICTIM");
	char path[64];
	pid_t pid;

	if (v == NULL) {
		report("SKIPPED", "victim", "no PROBE_VICTIM given");
		return;
	}
	pid = (pid_t)atoi(v);
	expect_fail("kill-outside", "kill(victim, 0)", kill(pid, 0));
	expect_fail("ptrace-outside", "ptrace(PTRACE_ATTACH, victim)",
		    ptrace(PTRACE_ATTACH, pid, NULL, NULL));
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	expect_fail("proc-mem-outside", "open /proc/victim/mem", open(path, O_RDWR | O_CLOEXEC));
}

/* PID 1 is the sbx binary itself, never exec'd, and holds the status pipe:
 * /proc/1/exe would let the command reopen that binary for writing once no
 * sbx process runs it (CVE-2019-5736, runc), /proc/1/fd its fds, ptrace its
 * memory. Each must be refused. */
static void probe_pid1(void)
{
	char link[64];
	int fd, opened = 0, refused = 0, last_errno = 0;

	if (getpid() == 1) {
		report("SKIPPED", "pid1", "the probe is PID 1 itself");
		return;
	}
	fd = open("/proc/1/exe", O_PATH | O_CLOEXEC);
	if (fd >= 0) {
		report("ESCAPED", "pid1-exe", "open(/proc/1/exe, O_PATH): the sbx binary");
		close(fd);
	} else {
		report("CONTAINED", "pid1-exe", "open(/proc/1/exe, O_PATH): %s", strerror(errno));
	}
	for (int n = 0; n < 1024; n++) {
		snprintf(link, sizeof(link), "/proc/1/fd/%d", n);
		fd = open(link, O_PATH | O_CLOEXEC);
		if (fd >= 0) {
			opened++;
			close(fd);
		} else if (errno != ENOENT) {
			refused++;
			last_errno = errno;
		}
	}
	if (opened)
		report("ESCAPED", "pid1-fds", "opened %d of PID 1's fds", opened);
	else
		report("CONTAINED", "pid1-fds", "PID 1's fds: %s",
		       refused ? strerror(last_errno) : "none to open");
	if (ptrace(PTRACE_ATTACH, 1, NULL, NULL) == 0) {
		report("ESCAPED", "ptrace-pid1", "ptrace(PTRACE_ATTACH, 1): succeeded");
		waitpid(1, NULL, __WALL);
		ptrace(PTRACE_DETACH, 1, NULL, NULL);
	} else {
		report("CONTAINED", "ptrace-pid1", "ptrace(PTRACE_ATTACH, 1): %s", strerror(errno));
	}
}

/* PID 1 reports the command's status on a pipe to the monitor, just before
 * it exits. Write a false status (77) on every pipe of PID 1 that opens
 * (none should: probe_pid1), then live on; the test checks that sbx exits
 * with the command's real status (0), after it. */
static int forge_status(void)
{
	const int forged = 77;
	char link[64], target[128];
	int wrote = 0, refused = 0, last_errno = 0;

	for (int fd = 0; fd < 1024; fd++) {
		ssize_t n;
		int f;

		snprintf(link, sizeof(link), "/proc/1/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0) {
			if (errno != ENOENT) {
				refused++;
				last_errno = errno;
			}
			continue;
		}
		target[n] = '\0';
		if (strncmp(target, "pipe:", 5) != 0)
			continue;
		f = open(link, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
		if (f < 0) {
			refused++;
			last_errno = errno;
			continue;
		}
		if (write(f, &forged, sizeof(forged)) == (ssize_t)sizeof(forged))
			wrote++;
		close(f);
	}
	printf("forged %d, refused %d (%s)\n", wrote, refused,
	       refused ? strerror(last_errno) : "none");
	fflush(stdout);
	usleep(300 * 1000);
	printf("still running\n");
	fflush(stdout);
	return 0;
}

static void probe_pids(void)
{
	char path[64];
	int n = 0;

	for (int pid = 1; pid < 4194304 && n < 64; pid++) {
		snprintf(path, sizeof(path), "/proc/%d", pid);
		if (pid > 65536 && pid % 4096 != 0)
			continue;
		if (access(path, F_OK) == 0)
			n++;
	}
	if (n <= 8)
		report("CONTAINED", "pids", "/proc shows %d pids (own pid namespace)", n);
	else
		report("ESCAPED", "pids", "/proc shows %d pids", n);
}

static void probe_host_fd(void)
{
	const char *v = getenv("PROBE_HOST_FD");
	int fd, up;

	if (v == NULL) {
		report("SKIPPED", "host-fd", "no PROBE_HOST_FD given");
		return;
	}
	fd = atoi(v);
	if (fcntl(fd, F_GETFD) < 0) {
		report("CONTAINED", "host-fd", "inherited host fd %d: closed (%s)", fd,
		       strerror(errno));
		return;
	}
	up = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (up >= 0)
		report("ESCAPED", "host-fd", "openat(fd %d, \"..\") opens a host directory", fd);
	else
		report("CONTAINED", "host-fd", "openat(fd %d, \"..\"): %s", fd, strerror(errno));
}

static void probe_syscalls(void)
{
	expect_filtered("open_by_handle_at", "open_by_handle_at(bad handle)",
			syscall(SYS_open_by_handle_at, AT_FDCWD, (void *)1, O_RDONLY));
	expect_filtered("name_to_handle_at", "name_to_handle_at(bad pointers)",
			syscall(SYS_name_to_handle_at, AT_FDCWD, "/", (void *)1, (void *)1, 0));
	expect_filtered("keyctl", "keyctl(KEYCTL_GET_KEYRING_ID, user keyring)",
			syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0));
	expect_filtered("add_key", "add_key(bad pointers)",
			syscall(SYS_add_key, (void *)1, (void *)1, (void *)1, 1, 0));
	expect_filtered("bpf", "bpf(bad attr)", syscall(SYS_bpf, 0, (void *)1, 16));
	expect_filtered("perf_event_open", "perf_event_open(bad attr)",
			syscall(SYS_perf_event_open, (void *)1, 0, -1, -1, 0));
	expect_filtered("userfaultfd", "userfaultfd(0)", syscall(SYS_userfaultfd, 0));
	expect_filtered("io_uring_setup", "io_uring_setup(1, bad params)",
			syscall(SYS_io_uring_setup, 1, (void *)1));
	expect_filtered("kexec_load", "kexec_load(bad)",
			syscall(SYS_kexec_load, 0, 0, (void *)1, 0));
	expect_filtered("init_module", "init_module(bad)",
			syscall(SYS_init_module, (void *)1, 0, ""));
	expect_filtered("syslog", "syslog(READ_ALL) (dmesg)",
			syscall(SYS_syslog, 3, (void *)1, 16));
	expect_filtered("clock_settime", "clock_settime(bad)",
			syscall(SYS_clock_settime, 0, (void *)1));
	if (syscall(SYS_clone3, (void *)1, 88) < 0 && errno == ENOSYS)
		report("CONTAINED", "clone3", "clone3: ENOSYS (libc falls back to clone)");
	else
		report("ESCAPED", "clone3", "clone3 reached the kernel (%s)", strerror(errno));
}

static void probe_personality(void)
{
	/* READ_IMPLIES_EXEC makes every readable mapping executable. */
	long r = personality(READ_IMPLIES_EXEC);
	int cur = personality(0xffffffff);

	if (r < 0 || !(cur & READ_IMPLIES_EXEC))
		report("CONTAINED", "personality", "personality(READ_IMPLIES_EXEC): %s",
		       r < 0 ? strerror(errno) : "not set");
	else
		report("ESCAPED", "personality", "personality(READ_IMPLIES_EXEC) took effect");
}

/* i386 entry: int 0x80 from a 64-bit process, arch AUDIT_ARCH_I386. */
static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

/* --int80 NR [ARG...]: one i386 syscall (up to three integer arguments),
 * printing its errno, 0 if it succeeded: the integration tests check rows
 * of test-seccomp-bpf's table in the kernel with it.
 * --socketcall32 FAMILY: i386 socketcall(SYS_SOCKET, {FAMILY, SOCK_STREAM,
 * 0}), its arguments in memory below 4 GiB where the i386 ABI reads them. */
static int int80_main(int argc, char **argv)
{
	long a[4] = { 0 };
	long r;

	if (argc < 3 || argc > 6)
		return 2;
	for (int i = 2; i < argc; i++)
		a[i - 2] = strtol(argv[i], NULL, 0);
	if (strcmp(argv[1], "--socketcall32") == 0) {
		unsigned int *args = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

		if (args == MAP_FAILED)
			return 2;
		args[0] = (unsigned int)a[0];
		args[1] = SOCK_STREAM;
		args[2] = 0;
		r = int80(102, 1 /* SYS_SOCKET */, (long)(uintptr_t)args, 0);
	} else {
		r = int80(a[0], a[1], a[2], a[3]);
	}
	printf("%ld\n", r < 0 && r > -4096 ? -r : 0);
	return 0;
}

static void probe_compat_abis(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		/* i386 mount (21) with bad pointers: EFAULT if it reached the kernel. */
		long r = int80(21, 1, 1, 1);
		_exit(r == -EPERM || r == -ENOSYS ? 0 : r == -EFAULT ? 1 : 2);
	}
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		report("CONTAINED", "i386", "int 0x80 mount: filtered");
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS)
		report("CONTAINED", "i386", "int 0x80 mount: killed by the filter (SIGSYS)");
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
		report("CONTAINED", "i386", "int 0x80: no IA-32 emulation in this kernel");
	else
		report("ESCAPED", "i386", "int 0x80 mount reached the kernel (status %d)", st);

	pid = fork();
	if (pid == 0) {
		/* x32 mount: 165 | __X32_SYSCALL_BIT. */
		long r = syscall(165 | 0x40000000, (void *)1, (void *)1, (void *)1, 0, 0);
		_exit(r < 0 && (errno == EPERM) ? 0 : r < 0 && errno == ENOSYS ? 3 : 1);
	}
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		report("CONTAINED", "x32", "x32 mount: filtered (EPERM)");
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS)
		report("CONTAINED", "x32", "x32 mount: killed by the filter (SIGSYS)");
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
		report("CONTAINED", "x32",
		       "x32 mount: ENOSYS (filtered, or no x32 in this kernel)");
	else
		report("ESCAPED", "x32", "x32 mount reached the kernel (status %d)", st);
}

/* open_tree_attr (Linux 6.15, 467 on x86-64 and i386) is open_tree with
 * mount attributes: OPEN_TREE_CLONE copies a mount tree, which a nested user
 * namespace's CAP_SYS_ADMIN allows. A profile that bans open_tree must ban
 * it too, though libseccomp 2.5.4 has no name for it. */
static void probe_open_tree_attr(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		long fd;

		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
			_exit(0);
		fd = syscall(467, AT_FDCWD, "/usr", 1 /* OPEN_TREE_CLONE */ | O_CLOEXEC, NULL, 0);
		_exit(fd >= 0 ? 255 : errno > 0 && errno < 255 ? errno : 254);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st))
		report("SKIPPED", "open_tree_attr", "the child died (status %d)", st);
	else if (WEXITSTATUS(st) == 0)
		report("CONTAINED", "open_tree_attr", "unshare(NEWUSER|NEWNS): refused");
	else if (WEXITSTATUS(st) == EPERM || WEXITSTATUS(st) == ENOSYS)
		report("CONTAINED", "open_tree_attr",
		       "open_tree_attr(/usr, OPEN_TREE_CLONE) in a nested user namespace: %s",
		       strerror(WEXITSTATUS(st)));
	else if (WEXITSTATUS(st) == 255)
		report("ESCAPED", "open_tree_attr",
		       "open_tree_attr(/usr, OPEN_TREE_CLONE) in a nested user namespace cloned "
		       "the mount tree");
	else
		report("ESCAPED", "open_tree_attr", "open_tree_attr reached the kernel (%s)",
		       strerror(WEXITSTATUS(st)));
}

/* AF_VSOCK ignores network namespaces: --unshare-net does not cut the
 * sandbox off from the hypervisor or other vsock listeners. Each entry point
 * is tried twice: for real (a socket is an escape), then with a socket type
 * the kernel refuses, which tells the filter from the kernel: the kernel
 * checks the type (EINVAL) before it looks the family up, so EINVAL means
 * the call reached the kernel's socket code, also on a kernel without vsock
 * (the probe judges the filter, not the kernel's build). sbx's filter
 * answers EAFNOSUPPORT on socket, ENOSYS on i386 socketcall(SYS_SOCKET). */
#define PROBE_AF_VSOCK 40
#define PROBE_BAD_TYPE 15

static int vsock_verdict(const char *name, const char *entry, long real, long bad)
{
	if (real >= 0) {
		close((int)real);
		report("ESCAPED", name, "%s(AF_VSOCK, SOCK_STREAM): made a vsock socket", entry);
		return 1;
	}
	if (bad == -EAFNOSUPPORT || bad == -ENOSYS) {
		report("CONTAINED", name, "%s(AF_VSOCK): %s, and %s with a bad type: the filter",
		       entry, strerror((int)-real), strerror((int)-bad));
		return 0;
	}
	report("ESCAPED", name, "%s(AF_VSOCK, bad type) reached the kernel (%s); for real: %s",
	       entry, strerror((int)-bad), strerror((int)-real));
	return 1;
}

static long neg_errno(long r)
{
	return r < 0 ? -errno : r;
}

static void probe_vsock(void)
{
	long real = neg_errno(socket(PROBE_AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0));
	long bad = neg_errno(socket(PROBE_AF_VSOCK, PROBE_BAD_TYPE, 0));
	int st;
	pid_t pid;

	vsock_verdict("vsock", "socket", real, bad);
	/* The i386 entry points, by int 0x80 from this 64-bit process: socket
	 * (359), and socketcall (102), whose arguments are in memory (below
	 * 4 GiB for the compat kernel to read them) where no filter sees them. */
	pid = fork();
	if (pid == 0) {
		unsigned int *args = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		int n = 0;

		if (args == MAP_FAILED)
			_exit(100);
		n += vsock_verdict("vsock-i386", "i386 socket", int80(359, PROBE_AF_VSOCK, 1, 0),
				   int80(359, PROBE_AF_VSOCK, PROBE_BAD_TYPE, 0));
		args[0] = PROBE_AF_VSOCK;
		args[1] = 1; /* SOCK_STREAM */
		args[2] = 0;
		real = int80(102, 1 /* SYS_SOCKET */, (long)(uintptr_t)args, 0);
		args[1] = PROBE_BAD_TYPE;
		bad = int80(102, 1, (long)(uintptr_t)args, 0);
		n += vsock_verdict("vsock-socketcall", "i386 socketcall(SYS_SOCKET)", real, bad);
		_exit(n);
	}
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
		report("SKIPPED", "vsock-i386", "int 0x80: no IA-32 emulation in this kernel");
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 100)
		report("SKIPPED", "vsock-i386", "no memory below 4 GiB for socketcall's arguments");
	else if (WIFEXITED(st))
		escapes += WEXITSTATUS(st);
	else
		report("ESCAPED", "vsock-i386", "the probe died (status %d)", st);
}

/* A user namespace of the probe's own with its ids mapped, as a nested
 * sandbox makes one; 0 or -1. */
static int nested_userns(int flags)
{
	char map[32];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int fd;

	if (unshare(CLONE_NEWUSER | flags) < 0)
		return -1;
	fd = open("/proc/self/setgroups", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "deny", 4) != 4)
		return -1;
	close(fd);
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
	fd = open("/proc/self/uid_map", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, map, strlen(map)) != (ssize_t)strlen(map))
		return -1;
	close(fd);
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
	fd = open("/proc/self/gid_map", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, map, strlen(map)) != (ssize_t)strlen(map))
		return -1;
	close(fd);
	return 0;
}

/* Runs FN in a child; its escapes are added to ours. */
static void in_child(const char *name, void (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(escapes);
	}
	waitpid(pid, &st, 0);
	if (WIFEXITED(st))
		escapes += WEXITSTATUS(st);
	else
		report("ESCAPED", name, "the probe died (status %d)", st);
}

/* nested_userns() with a mount namespace (and FLAGS) whose / is private,
 * as a nested sandbox starts; 0, or -1 once reported: a user namespace
 * refused outright leaves nothing to try. */
static int nested_mntns(const char *name, int flags)
{
	if (nested_userns(CLONE_NEWNS | flags) < 0) {
		report("CONTAINED", name, "unshare(CLONE_NEWUSER|CLONE_NEWNS) with maps: %s",
		       strerror(errno));
		return -1;
	}
	mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	return 0;
}

/* A nested sandbox may mount tmpfs, devpts, mqueue and proc (sbx checks the
 * type); every other filesystem stays out of reach, each of them kernel
 * code a user namespace's root could otherwise feed (overlay and fuse are
 * FS_USERNS_MOUNT; ramfs too; the rest the kernel refuses anyway). Where
 * the kernel would mount it, a failure other than EPERM means the call
 * reached the kernel's argument parsing: not refused by sbx. */
static void nested_types(void)
{
	static const struct {
		const char *type, *source, *data;
	} refused[] = {
		{ "overlay", "overlay", "lowerdir=/usr" },
		{ "overlay", "overlay", "lowerdir=/usr:/dev" },
		{ "fuse", "fuse", "fd=99,rootmode=40000,user_id=0,group_id=0" },
		{ "ramfs", "ramfs", NULL },
		{ "sysfs", "sysfs", NULL },
		{ "cgroup2", "cgroup2", NULL },
		{ "cgroup", "cgroup", "none,name=probe" },
		{ "bpf", "bpf", NULL },
		{ "hugetlbfs", "hugetlbfs", NULL },
		{ "ext4", "/dev/null", NULL },
		{ "binfmt_misc", "binfmt_misc", NULL },
	};

	if (nested_mntns("nested-types", 0) < 0)
		return;
	mkdir("/probe-nested", 0700);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char name[48], tried[160];

		snprintf(name, sizeof(name), "nested-mount-%s", refused[i].type);
		snprintf(tried, sizeof(tried), "nested user+mount namespace: mount a new %s (%s)",
			 refused[i].type, refused[i].data ? refused[i].data : "no data");
		if (mount(refused[i].source, "/probe-nested", refused[i].type, MS_NOSUID | MS_NODEV,
			  refused[i].data) == 0) {
			report("ESCAPED", name, "%s: mounted", tried);
			umount2("/probe-nested", MNT_DETACH);
		} else if (errno == EPERM) {
			report("CONTAINED", name, "%s: %s", tried, strerror(errno));
		} else {
			report("ESCAPED", name, "%s: reached the kernel (%s), not refused", tried,
			       strerror(errno));
		}
	}
	expect_filtered("nested-fsopen-overlay", "nested: fsopen(overlay)",
			syscall(SYS_fsopen, "overlay", 0));
	expect_filtered("nested-fsopen-tmpfs", "nested: fsopen(tmpfs)",
			syscall(SYS_fsopen, "tmpfs", 0));
	expect_filtered("nested-fspick", "nested: fspick(/)",
			syscall(SYS_fspick, AT_FDCWD, "/", 0));
}

/* A superblock remount (no MS_BIND) changes the filesystem under every
 * mount of it, sbx's own ones included (its root tmpfs, /dev, /proc).
 * Refused, even of a tmpfs the nested namespace mounted. And /usr, bound
 * read-only by sbx, stays read-only (its flag is locked). */
static void nested_remounts(void)
{
	static const char *targets[] = { "/", "/dev", "/proc", "/probe-remount" };
	struct statvfs sv;

	if (nested_mntns("nested-remount", 0) < 0)
		return;
	mkdir("/probe-remount", 0700);
	if (mount("tmpfs", "/probe-remount", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m") < 0)
		report("CONTAINED", "nested-remount-setup", "no tmpfs of its own (%s)",
		       strerror(errno));
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char name[48], tried[96];

		snprintf(name, sizeof(name), "nested-sb-remount %s", targets[i]);
		snprintf(tried, sizeof(tried), "nested: mount(MS_REMOUNT|MS_RDONLY) of %s",
			 targets[i]);
		expect_fail(name, tried,
			    mount(NULL, targets[i], NULL, MS_REMOUNT | MS_RDONLY, NULL));
		snprintf(tried, sizeof(tried), "nested: mount(MS_REMOUNT, \"size=1k\") of %s",
			 targets[i]);
		expect_fail(name, tried, mount(NULL, targets[i], NULL, MS_REMOUNT, "size=1k"));
	}
	expect_fail("nested-ro-remount", "nested: mount(MS_REMOUNT|MS_BIND) of /usr read-write",
		    mount(NULL, "/usr", NULL, MS_REMOUNT | MS_BIND, NULL));
	if (statvfs("/usr", &sv) == 0 && !(sv.f_flag & ST_RDONLY))
		report("ESCAPED", "nested-ro-remount-check", "/usr is now read-write");
	/* A bind of / shows the sandbox's root, not the host's or sbx's
	 * scratch root: the quick-start sandbox has no /etc. */
	mkdir("/probe-rootbind", 0700);
	if (mount("/", "/probe-rootbind", NULL, MS_BIND | MS_REC, NULL) == 0) {
		if (access("/probe-rootbind/etc", F_OK) == 0 ||
		    access("/probe-rootbind/oldroot", F_OK) == 0)
			report("ESCAPED", "nested-bind-root",
			       "a bind of / in the nested namespace shows another root");
		else
			report("CONTAINED", "nested-bind-root",
			       "a bind of / shows the sandbox's own root");
		umount2("/probe-rootbind", MNT_DETACH);
	} else {
		report("CONTAINED", "nested-bind-root", "bind of /: %s", strerror(errno));
	}
}

static void probe_nested_userns(void)
{
	in_child("nested-types", nested_types);
	in_child("nested-remount", nested_remounts);
}

/* Whether DIR/NAME, one of what sbx's --proc hides, is hidden: "masked"
 * (reads empty), "closed" (does not open), "absent" (no such file in this
 * kernel) or NULL: readable (kcore: opens with a size; sysrq-trigger:
 * writable), an escape. */
static const char *proc_file_state(const char *dir, const char *name, char *buf, size_t size)
{
	char path[64];
	struct stat st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (strcmp(name, "sysrq-trigger") == 0) {
		if (access(path, W_OK) == 0)
			return NULL;
		return errno == ENOENT ? "absent" : "closed";
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? "absent" : "closed";
	if (strcmp(name, "kcore") == 0) {
		n = fstat(fd, &st) == 0 ? (ssize_t)(st.st_size > 0) : 0;
		snprintf(buf, size, "opens, size %lld", (long long)st.st_size);
	} else {
		n = read(fd, buf, size - 1);
		buf[n > 0 ? n : 0] = '\0';
	}
	close(fd);
	return n > 0 ? NULL : "masked";
}

/* One line for DIR: CONTAINED with the state of each file, or ESCAPED
 * naming the files that show what sbx hides. */
static const char *const proc_hidden_files[] = { "keys",        "key-users",     "timer_list",
						 "sched_debug", "latency_stats", "timer_stats",
						 "kcore",       "sysrq-trigger" };

static void proc_masked_of(const char *ctx, const char *dir, const char *const *files, size_t n)
{
	char name[96], states[512] = "", leaks[512] = "", buf[64];
	size_t sl = 0, ll = 0;

	snprintf(name, sizeof(name), "%s %s", ctx, dir);
	for (size_t i = 0; i < n; i++) {
		const char *state = proc_file_state(dir, files[i], buf, sizeof(buf));

		if (state)
			sl += (size_t)snprintf(states + sl, sizeof(states) - sl, " %s:%s", files[i],
					       state);
		else
			ll += (size_t)snprintf(leaks + ll, sizeof(leaks) - ll, " %s (%.24s)",
					       files[i], buf);
	}
	if (ll)
		report("ESCAPED", name, "not hidden:%s", leaks);
	else
		report("CONTAINED", name, "hidden:%s", states);
}

static void proc_masked(const char *ctx, const char *dir)
{
	proc_masked_of(ctx, dir, proc_hidden_files,
		       sizeof(proc_hidden_files) / sizeof(proc_hidden_files[0]));
}

/* sbx's /proc is a procfs with parts hidden by mounts over them (and sbx
 * may keep an unmasked procfs under it, so that the kernel lets a nested
 * sandbox mount a procfs of its own). A nested namespace must not uncover
 * it: not by unmounting /proc or a mask, nor by moving /proc away, with a
 * user namespace of its own (in sbx's mount namespace) or with a mount
 * namespace too. After each attempt, /proc is checked again. */
static void uncover_proc(const char *ctx)
{
	char name[64];
	int moved;

	proc_masked(ctx, "/proc");
	mkdir("/probe-proc-move", 0700);
	snprintf(name, sizeof(name), "%s umount /proc", ctx);
	expect_fail(name, "umount2(/proc, MNT_DETACH)", umount2("/proc", MNT_DETACH));
	snprintf(name, sizeof(name), "%s umount /proc/keys", ctx);
	expect_fail(name, "umount2(/proc/keys, MNT_DETACH)", umount2("/proc/keys", MNT_DETACH));
	snprintf(name, sizeof(name), "%s umount /proc/sys", ctx);
	expect_fail(name, "umount2(/proc/sys, MNT_DETACH)", umount2("/proc/sys", MNT_DETACH));
	snprintf(name, sizeof(name), "%s move /proc", ctx);
	moved = mount("/proc", "/probe-proc-move", NULL, MS_MOVE, NULL);
	expect_fail(name, "mount(/proc, MS_MOVE)", moved);
	proc_masked(ctx, "/proc");
	if (moved == 0)
		proc_masked(ctx, "/probe-proc-move");
}

static void uncover_at_top(void)
{
	uncover_proc("proc-top");
}

static void uncover_in_userns(void)
{
	if (nested_userns(0) < 0)
		report("CONTAINED", "proc-userns", "unshare(CLONE_NEWUSER) with maps: %s",
		       strerror(errno));
	else
		uncover_proc("proc-userns");
}

static void uncover_in_mntns(void)
{
	if (nested_mntns("proc-mntns", 0) == 0)
		uncover_proc("proc-mntns");
}

/* A new procfs of a nested pid namespace (which a nested sandbox may
 * mount) has none of sbx's masks, which its mounter could take off: what
 * the kernel keeps from a nested user namespace's root (kcore, timer_list,
 * sysrq-trigger, ...) must stay out of reach. keys and key-users list the
 * descriptions of the keys the caller's uid may view, the caller's own
 * among them, in any procfs: a known gap (man sbx, NESTED SANDBOXES),
 * reported apart; their contents stay unreadable (keyctl is refused). */
static void mount_new_procfs(void)
{
	static const char *const kernel_kept[] = { "timer_list",  "sched_debug", "latency_stats",
						   "timer_stats", "kcore",       "sysrq-trigger" };
	char buf[64];

	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		report("CONTAINED", "proc-new", "mount a new procfs on /proc: %s", strerror(errno));
		return;
	}
	proc_masked_of("proc-new", "/proc", kernel_kept,
		       sizeof(kernel_kept) / sizeof(kernel_kept[0]));
	if (proc_file_state("/proc", "keys", buf, sizeof(buf)) == NULL)
		report("SKIPPED", "proc-new-keys",
		       "a nested procfs lists key descriptions (%.24s...): known gap, not a pass",
		       buf);
	else
		report("CONTAINED", "proc-new-keys", "/proc/keys in a nested procfs shows nothing");
}

/* The first child in the new pid namespace mounts its procfs. */
static void new_procfs(void)
{
	if (nested_mntns("proc-new", CLONE_NEWPID) == 0)
		in_child("proc-new", mount_new_procfs);
}

static void probe_nested_proc(void)
{
	in_child("proc-top", uncover_at_top);
	in_child("proc-userns", uncover_in_userns);
	in_child("proc-mntns", uncover_in_mntns);
	in_child("proc-new", new_procfs);
}

/* nf_tables from a nested user+network namespace, whose root holds
 * CAP_NET_ADMIN there: the kernel's most exploited local surface. The
 * probe opens a NETLINK_NETFILTER socket and asks for a new table in a
 * batch; the namespace is the probe's own, thrown away at exit. */
static int nft_new_table(int fd)
{
	struct {
		struct nlmsghdr h;
		struct nfgenmsg g;
		char attrs[64];
	} __attribute__((aligned(4))) msg[3];
	struct nlattr *a;
	char reply[4096];
	struct nlmsghdr *r;
	ssize_t n;

	memset(msg, 0, sizeof(msg));
	for (int i = 0; i < 3; i++) {
		msg[i].h.nlmsg_len = NLMSG_LENGTH(sizeof(struct nfgenmsg));
		msg[i].h.nlmsg_flags = NLM_F_REQUEST;
		msg[i].h.nlmsg_seq = (unsigned)i + 1;
		msg[i].g.res_id = htons(NFNL_SUBSYS_NFTABLES);
	}
	msg[0].h.nlmsg_type = NFNL_MSG_BATCH_BEGIN;
	msg[2].h.nlmsg_type = NFNL_MSG_BATCH_END;
	msg[1].h.nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE;
	msg[1].h.nlmsg_flags |= NLM_F_CREATE | NLM_F_ACK;
	msg[1].g.nfgen_family = 1; /* NFPROTO_INET */
	a = (struct nlattr *)msg[1].attrs;
	a->nla_type = NFTA_TABLE_NAME;
	/* struct nlattr is 4 bytes, already aligned; the name is 9 with its
	 * nul, padded to 12. */
	a->nla_len = (unsigned short)(sizeof(*a) + sizeof("sbxprobe"));
	memcpy(a + 1, "sbxprobe", sizeof("sbxprobe"));
	msg[1].h.nlmsg_len += (a->nla_len + 3u) & ~3u;
	/* Packed one after another, as the kernel walks a batch. */
	char buf[sizeof(msg)];
	size_t off = 0;
	for (int i = 0; i < 3; i++) {
		memcpy(buf + off, &msg[i], msg[i].h.nlmsg_len);
		off += NLMSG_ALIGN(msg[i].h.nlmsg_len);
	}
	if (send(fd, buf, off, 0) < 0)
		return -errno;
	n = recv(fd, reply, sizeof(reply), 0);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)))
		return n < 0 ? -errno : -EPROTO;
	r = (struct nlmsghdr *)reply;
	if (r->nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	return ((struct nlmsgerr *)NLMSG_DATA(r))->error;
}

static void probe_netfilter(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int fd;

		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
			_exit(100);
		fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
		if (fd < 0) {
			report("CONTAINED", "nf_tables",
			       "NETLINK_NETFILTER in a nested user+net namespace: %s",
			       strerror(errno));
			_exit(0);
		}
		int r = nft_new_table(fd);
		report("ESCAPED", "nf_tables",
		       "NETLINK_NETFILTER opens in a nested user+net namespace; a new table: %s",
		       r == 0 ? "made" : strerror(-r));
		_exit(1);
	}
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 100)
		report("SKIPPED", "nf_tables", "no nested user+net namespace here");
	else if (WIFEXITED(st))
		escapes += WEXITSTATUS(st);
	else
		report("ESCAPED", "nf_tables", "the probe died (status %d)", st);
}

static void probe_proc_sys(void)
{
	const char *paths[] = { "/proc/sys/kernel/hostname", "/proc/sys/vm/drop_caches",
				"/proc/sysrq-trigger", "/sys/kernel/uevent_helper",
				"/sys/power/state" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "write %s", paths[i]);
		if (access(paths[i], W_OK) == 0)
			report("ESCAPED", name, "access(W_OK): writable");
		else
			report("CONTAINED", name, "access(W_OK): %s", strerror(errno));
	}
}

static void probe_kernel_leaks(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[256];
	int nonzero = 0, lines = 0;

	if (f == NULL) {
		report("CONTAINED", "kallsyms", "/proc/kallsyms: %s", strerror(errno));
	} else {
		while (lines < 1000 && fgets(line, sizeof(line), f)) {
			lines++;
			if (strspn(line, "0") < 16)
				nonzero++;
		}
		fclose(f);
		if (nonzero == 0)
			report("CONTAINED", "kallsyms", "/proc/kallsyms: %d addresses, all zero",
			       lines);
		else
			report("ESCAPED", "kallsyms", "/proc/kallsyms shows %d real addresses",
			       nonzero);
	}
}

/* /proc/keys lists every key the reader may view, whoever possesses it:
 * the caller's session keyring and the keys in it (the test makes one
 * before it starts sbx). /proc/key-users lists the users that own keys.
 * Either showing a line is a leak of the caller's keys. */
static void probe_keys(void)
{
	const char *paths[] = { "/proc/keys", "/proc/key-users" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		FILE *f = fopen(paths[i], "re");
		char line[512], first[512] = "", name[32];
		int lines = 0;

		snprintf(name, sizeof(name), "read %s", paths[i]);
		if (f == NULL) {
			report("CONTAINED", name, "%s", strerror(errno));
			continue;
		}
		while (fgets(line, sizeof(line), f))
			if (lines++ == 0)
				snprintf(first, sizeof(first), "%.*s", (int)strcspn(line, "\n"),
					 line);
		fclose(f);
		if (lines)
			report("ESCAPED", name, "lists %d line%s (first: %.60s)", lines,
			       lines == 1 ? "" : "s", first);
		else
			report("CONTAINED", name, "empty");
	}
}

static void probe_status(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	int ok = 0;

	if (f == NULL) {
		report("SKIPPED", "status", "/proc/self/status: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *caps[] = { "CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:" };

		for (size_t i = 0; i < 5; i++) {
			if (strncmp(line, caps[i], strlen(caps[i])) == 0) {
				if (strtoull(line + strlen(caps[i]), NULL, 16) != 0)
					report("ESCAPED", "caps", "%.*s", (int)strcspn(line, "\n"),
					       line);
				else
					ok++;
			}
		}
		if (strncmp(line, "NoNewPrivs:", 11) == 0) {
			if (atoi(line + 11) == 1)
				report("CONTAINED", "no_new_privs", "NoNewPrivs is 1");
			else
				report("ESCAPED", "no_new_privs", "NoNewPrivs is 0");
		}
		if (strncmp(line, "Seccomp:", 8) == 0) {
			if (atoi(line + 8) == SECCOMP_MODE_FILTER)
				report("CONTAINED", "seccomp", "Seccomp mode 2 (filter)");
			else
				report("ESCAPED", "seccomp", "Seccomp mode %d", atoi(line + 8));
		}
	}
	fclose(f);
	if (ok == 5)
		report("CONTAINED", "caps", "all five capability sets are empty");
}

/* For the job-control test (tests/integration/jobctl.py): a command
 * that cannot stop while its child can, as when a Ctrl-Z lands between
 * vfork() and exec(). The child says so and waits for signals; the parent
 * is held in vfork() until the child dies. */
static int vfork_hold(void)
{
	pid_t pid = vfork();

	if (pid == 0) {
		static const char held[] = "held\n";

		if (write(STDOUT_FILENO, held, sizeof(held) - 1) < 0)
			_exit(1);
		for (;;)
			pause();
	}
	return pid < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	/* Setuid helper mode: exit 1 if exec made us root. */
	if (argc > 1 && strcmp(argv[1], "--euid") == 0)
		return geteuid() == 0 ? 1 : 0;
	if (argc > 1 && strcmp(argv[1], "--vfork-hold") == 0)
		return vfork_hold();
	if (argc > 1 && strcmp(argv[1], "--forge-status") == 0)
		return forge_status();
	if (argc > 1 && strcmp(argv[1], "--vsock-only") == 0) {
		probe_vsock();
		return escapes;
	}
	if (argc > 1 && (strcmp(argv[1], "--int80") == 0 || strcmp(argv[1], "--socketcall32") == 0))
		return int80_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], "--host-fd-only") == 0) {
		probe_host_fd();
		return escapes;
	}
	probe_tiocsti();
	probe_readonly();
	probe_new_mounts();
	probe_mknod();
	probe_setuid();
	probe_outside_process();
	probe_pids();
	probe_pid1();
	probe_syscalls();
	probe_personality();
	probe_compat_abis();
	probe_nested_userns();
	probe_nested_proc();
	probe_open_tree_attr();
	probe_vsock();
	probe_netfilter();
	probe_proc_sys();
	probe_kernel_leaks();
	probe_keys();
	probe_status();
	return escapes;
}
