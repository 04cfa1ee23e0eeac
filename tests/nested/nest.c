/* nest: what a sandbox run inside sbx does, one step at a time, for the
 * integration tests of nested sandboxes (tests/integration/run.sh,
 * t_nested_*). Each step that fails prints "nest: STEP: ENAME (message)" on
 * stderr and the mode exits 1; modes that try many things print one line
 * per thing on stdout, "WHAT ok" or "WHAT ENAME", and exit 0.
 *
 *   nest seq PROG ARGS...  the full sequence of a nested sandbox: a user
 *                          namespace with its own maps, new mount and pid
 *                          namespaces, / private, fork, a new procfs on
 *                          /proc, a seccomp filter of its own, exec PROG
 *   nest check-filter      what seq's filter does: personality(PER_LINUX)'s
 *                          result and this process's Seccomp_filters count
 *   nest mount TYPE [SOURCE [DATA]]
 *                          in nested namespaces, mount a new TYPE on a fresh
 *                          directory; "ok f_type=0x..." or the errno name
 *   nest top-mount TYPE    the same without any namespace of its own
 *   nest ops               bind, remount read-only, propagation, MS_MOVE,
 *                          umount2, pivot_root and chroot in nested ones
 *   nest newapi            each new mount API call in nested namespaces
 *   nest remount           superblock remounts (no MS_BIND) in nested ones
 *   nest hibits            mount flags with bits above the low 32 set
 *   nest chroot            Chromium's layer: a user namespace, then chroot
 *                          into an empty directory and chdir("/")
 *
 * Fresh directories are made under /tmp (the tests give the sandbox a
 * --tmpfs /tmp), else under /. Only libc is used.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/magic.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NEST_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NEST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* The new mount API by number: glibc 2.36's headers name only some. */
#define NEST_open_tree 428
#define NEST_move_mount 429
#define NEST_fsopen 430
#define NEST_fsconfig 431
#define NEST_fsmount 432
#define NEST_fspick 433
#define NEST_mount_setattr 442
#define NEST_open_tree_attr 467

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

static __attribute__((noreturn)) void die(const char *step)
{
	int e = errno;

	fprintf(stderr, "nest: %s: %s (%s)\n", step, ename(e), strerror(e));
	exit(1);
}

/* One line of a mode's report: "WHAT ok" or "WHAT ENAME". */
static void say(const char *what, long r)
{
	if (r < 0)
		printf("%s %s\n", what, ename(errno));
	else
		printf("%s ok\n", what);
	fflush(stdout);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t n = strlen(text);
	int r = fd >= 0 && write(fd, text, n) == (ssize_t)n ? 0 : -1;

	if (fd >= 0)
		close(fd);
	return r;
}

static void write_map(const char *path, unsigned int outside, const char *text)
{
	if (write_file(path, text) == 0)
		return;
	/* A map onto host uid 0 needs CAP_SETFCAP where the namespace was
	 * made (user_namespaces(7), Linux 5.12): host root's command in sbx
	 * has none. Go on unmapped (capabilities do not depend on the map):
	 * what is then tried still says what the sandbox allows. */
	if (errno == EPERM && outside == 0) {
		fprintf(stderr, "nest: note: %s: EPERM (host root without CAP_SETFCAP)\n", path);
		return;
	}
	die(path);
}

/* unshare(CLONE_NEWUSER) and map our own ids as root there, as bwrap and
 * unshare -r do: setgroups deny first (user_namespaces(7)). */
static void own_userns(void)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];

	if (unshare(CLONE_NEWUSER) < 0)
		die("unshare(CLONE_NEWUSER)");
	if (write_file("/proc/self/setgroups", "deny") < 0)
		die("/proc/self/setgroups");
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
	write_map("/proc/self/uid_map", (unsigned)uid, map);
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
	write_map("/proc/self/gid_map", (unsigned)gid, map);
}

/* The child runs on; the parent waits and exits with its status. */
static void fork_and_wait(void)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0)
		return;
	if (waitpid(pid, &st, 0) < 0)
		die("waitpid");
	if (WIFSIGNALED(st)) {
		fprintf(stderr, "nest: child killed by signal %d\n", WTERMSIG(st));
		exit(128 + WTERMSIG(st));
	}
	exit(WEXITSTATUS(st));
}

/* A user namespace, then mount, pid and IPC namespaces owned by it (IPC so
 * that mqueue may be mounted: its superblock belongs to the IPC namespace's
 * owner), / made private, and a fork into the new pid namespace. */
static void nested_namespaces(void)
{
	own_userns();
	if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC) < 0)
		die("unshare(CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWIPC)");
	/* Not fatal: the modes that report refusals still have something to
	 * report where every mount is refused (sbx before nested mounts). */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		fprintf(stderr, "nest: note: mount / MS_REC|MS_PRIVATE: %s\n", ename(errno));
	fork_and_wait();
}

static char *fresh_dir(void)
{
	static char path[64];

	snprintf(path, sizeof(path), "/tmp/nest.XXXXXX");
	if (mkdtemp(path))
		return path;
	snprintf(path, sizeof(path), "/nest.XXXXXX");
	if (mkdtemp(path))
		return path;
	die("mkdtemp /tmp/nest.XXXXXX and /nest.XXXXXX");
}

/* Allows everything but personality(2), which gets EPERM: an observable
 * mark that this filter, loaded in the nested namespaces, is in force. */
static void load_filter(void)
{
	struct sock_filter code[] = {
#ifdef NEST_AUDIT_ARCH
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NEST_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
#endif
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_personality, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("prctl(PR_SET_NO_NEW_PRIVS)");
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		die("prctl(PR_SET_SECCOMP)");
}

static int mode_seq(char **argv)
{
	if (argv[0] == NULL) {
		fprintf(stderr, "nest: seq needs a program\n");
		return 2;
	}
	own_userns();
	if (unshare(CLONE_NEWNS | CLONE_NEWPID) < 0)
		die("unshare(CLONE_NEWNS|CLONE_NEWPID)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("mount / MS_REC|MS_PRIVATE");
	fork_and_wait();
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die("mount proc on /proc");
	load_filter();
	execvp(argv[0], argv);
	die("execvp");
}

static int mode_check_filter(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	long r = syscall(SYS_personality, PER_LINUX);

	printf("personality %s\n", r < 0 ? ename(errno) : "ok");
	if (f == NULL)
		die("/proc/self/status");
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Seccomp_filters:", 16) == 0)
			printf("filters %ld\n", strtol(line + 16, NULL, 10));
	fclose(f);
	return 0;
}

static long do_mount(const char *type, const char *source, const char *data)
{
	const char *dir = fresh_dir();
	struct statfs sf;
	char self[32] = "", path[96];
	ssize_t n;

	if (syscall(SYS_mount, source, dir, type, MS_NOSUID | MS_NODEV | MS_NOEXEC, data) < 0)
		return -1;
	if (statfs(dir, &sf) < 0)
		die("statfs");
	printf("ok f_type=0x%lx", (unsigned long)sf.f_type);
	/* A procfs of our own pid namespace: we are pid 1 in it. */
	snprintf(path, sizeof(path), "%s/self", dir);
	if (strcmp(type, "proc") == 0 && (n = readlink(path, self, sizeof(self) - 1)) > 0)
		printf(" self=%.*s", (int)n, self);
	printf("\n");
	return 0;
}

static int mode_mount(char **argv, int nested)
{
	const char *type = argv[0];

	if (type == NULL) {
		fprintf(stderr, "nest: mount needs a type\n");
		return 2;
	}
	if (nested)
		nested_namespaces();
	if (do_mount(type, argv[1] ? argv[1] : type, argv[1] ? argv[2] : NULL) < 0)
		printf("%s\n", ename(errno));
	return 0;
}

/* statvfs's read-only bit of PATH, as "ro" or "rw". */
static const char *rw_of(const char *path)
{
	struct statvfs sv;

	if (statvfs(path, &sv) < 0)
		return ename(errno);
	return (sv.f_flag & ST_RDONLY) ? "ro" : "rw";
}

static int mode_ops(void)
{
	char *d = fresh_dir(), a[96], b[96], usr[96], old[96];

	nested_namespaces();
	if (mount("tmpfs", d, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		die("mount tmpfs");
	snprintf(a, sizeof(a), "%s/a", d);
	snprintf(b, sizeof(b), "%s/b", d);
	snprintf(usr, sizeof(usr), "%s/usr", d);
	snprintf(old, sizeof(old), "%s/old", d);
	if (mkdir(a, 0755) < 0 || mkdir(b, 0755) < 0 || mkdir(usr, 0755) < 0 ||
	    mkdir(old, 0755) < 0)
		die("mkdir");
	say("bind", mount(d, a, NULL, MS_BIND, NULL));
	say("remount-bind-ro", mount(NULL, a, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
	printf("a is %s\n", rw_of(a));
	say("make-shared", mount(NULL, a, NULL, MS_SHARED, NULL));
	say("make-slave", mount(NULL, a, NULL, MS_SLAVE, NULL));
	say("make-private", mount(NULL, a, NULL, MS_PRIVATE, NULL));
	say("move", mount(a, b, NULL, MS_MOVE, NULL));
	printf("b is %s\n", rw_of(b));
	say("umount2", umount2(b, MNT_DETACH));
	say("rbind-usr", mount("/usr", usr, NULL, MS_BIND | MS_REC, NULL));
	if (chdir(d) < 0)
		die("chdir");
	say("pivot_root", syscall(SYS_pivot_root, ".", "old"));
	say("chdir", chdir("/"));
	say("umount-old", umount2("/old", MNT_DETACH));
	say("usr-visible", access("/usr/bin", X_OK));
	printf("old root %s\n", access("/old/usr", F_OK) == 0 ? "still there" : "gone");
	say("chroot", chroot("/usr"));
	say("chroot-chdir", chdir("/"));
	say("chroot-sees-usr", access("/bin/sh", X_OK));
	return 0;
}

static int mode_newapi(void)
{
	struct {
		unsigned long long set, clr, prop, userns;
	} attr = { 0 };

	nested_namespaces();
	say("fsopen(tmpfs)", syscall(NEST_fsopen, "tmpfs", 1 /* FSOPEN_CLOEXEC */));
	say("fsopen(overlay)", syscall(NEST_fsopen, "overlay", 1));
	say("fsconfig", syscall(NEST_fsconfig, -1, 0, NULL, NULL, 0));
	say("fsmount", syscall(NEST_fsmount, -1, 0, 0));
	say("fspick", syscall(NEST_fspick, AT_FDCWD, "/", 0));
	say("open_tree", syscall(NEST_open_tree, AT_FDCWD, "/usr", 1 /* OPEN_TREE_CLONE */));
	say("open_tree_attr", syscall(NEST_open_tree_attr, AT_FDCWD, "/usr", 1, NULL, 0));
	say("move_mount", syscall(NEST_move_mount, -1, "", AT_FDCWD, "/usr", 4));
	say("mount_setattr", syscall(NEST_mount_setattr, AT_FDCWD, "/usr", 0, &attr, sizeof(attr)));
	return 0;
}

/* A superblock remount (no MS_BIND) changes the filesystem itself, not
 * one mount of it: refused, even of a tmpfs the nested namespace mounted
 * (where the kernel would allow it). Without that tmpfs (an sbx that
 * refuses it too), the sandbox's own root is the target. */
static int mode_remount(void)
{
	const char *d = fresh_dir();
	long r;

	nested_namespaces();
	r = mount("tmpfs", d, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m");
	say("setup-tmpfs", r);
	if (r < 0)
		d = "/";
	say("remount", mount(NULL, d, NULL, MS_REMOUNT, NULL));
	say("remount-size", mount(NULL, d, NULL, MS_REMOUNT, "size=2m"));
	say("remount-ro", mount(NULL, d, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	printf("target is %s\n", rw_of(d));
	say("remount-bind-ro", mount(NULL, d, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
	return 0;
}

/* mount(2)'s flags are an unsigned long; a filter or supervisor that read
 * only the low 32 bits would pass what the kernel then sees. */
static int mode_hibits(void)
{
	const unsigned long bit32 = 1UL << 32, bit40 = 1UL << 40, bit63 = 1UL << 63;

	nested_namespaces();
	say("tmpfs+bit32", syscall(SYS_mount, "tmpfs", fresh_dir(), "tmpfs", bit32, NULL));
	say("bind+bit40", syscall(SYS_mount, "/usr", fresh_dir(), NULL, MS_BIND | bit40, NULL));
	say("remount-bind-ro+bit63",
	    syscall(SYS_mount, NULL, "/usr", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | bit63, NULL));
	say("private+bit32",
	    syscall(SYS_mount, NULL, "/", NULL, MS_PRIVATE | MS_REC | bit32, NULL));
	return 0;
}

/* Chromium's layer 1 sandbox: a user namespace, then chroot into an empty
 * directory, so that the renderer sees no filesystem at all. */
static int mode_chroot(void)
{
	char *d = fresh_dir(), cwd[16];
	struct stat st;

	own_userns();
	if (chroot(d) < 0)
		die("chroot");
	if (chdir("/") < 0)
		die("chdir /");
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		die("getcwd");
	if (stat("/usr", &st) == 0 || stat("/proc", &st) == 0) {
		fprintf(stderr, "nest: the chroot is not empty\n");
		return 1;
	}
	printf("chroot ok cwd=%s\n", cwd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(mode, "seq") == 0)
		return mode_seq(argv + 2);
	if (strcmp(mode, "check-filter") == 0)
		return mode_check_filter();
	if (strcmp(mode, "mount") == 0)
		return mode_mount(argv + 2, 1);
	if (strcmp(mode, "top-mount") == 0)
		return mode_mount(argv + 2, 0);
	if (strcmp(mode, "ops") == 0)
		return mode_ops();
	if (strcmp(mode, "newapi") == 0)
		return mode_newapi();
	if (strcmp(mode, "remount") == 0)
		return mode_remount();
	if (strcmp(mode, "hibits") == 0)
		return mode_hibits();
	if (strcmp(mode, "chroot") == 0)
		return mode_chroot();
	fprintf(stderr, "usage: nest seq PROG ARGS... | check-filter | mount TYPE [SOURCE [DATA]] |"
			" top-mount TYPE | ops | newapi | remount | hibits | chroot\n");
	return 2;
}
