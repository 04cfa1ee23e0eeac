/* supervise: the mounts of a nested sandbox, done by the monitor (see
 * supervise.h).
 *
 * MUST: the caller's memory is read once: the mount's strings are copied,
 *       checked and then used from the copy. (Letting the kernel go on with
 *       the caller's own call after a check would mount what its memory
 *       says by then: another thread can rewrite it.)
 * MUST: the helper that mounts never has more than the caller: the
 *       caller's user, mount, PID and IPC namespaces, root, working
 *       directory, ids and effective capabilities; so the kernel makes
 *       every permission check it would have made for the caller, but for
 *       LSM domains: a task whose SELinux/AppArmor/Smack label is not the
 *       monitor's is refused, and Landlock cannot be seen (supervise.h).
 *       Only the filesystem type is sbx's decision.
 * MUST: the helper is never dumpable (a caller in the helper's user
 *       namespace would pass ptrace's checks otherwise) and holds no fd of
 *       the monitor's; it runs no code but this file's.
 * MUST: what was opened under /proc/TID is used only after
 *       SECCOMP_IOCTL_NOTIF_ID_VALID says TID is still the task that is
 *       waiting (a pid can be reused).
 */
#include "supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "seccomp-profiles/prefix.h"
#include "util.h"

/* A helper that has not answered by then is killed; the call gets EINTR. */
#define HELPER_TIMEOUT_MS 10000
/* PATH_MAX for paths and type; data: the page the kernel copies. */
#define STR_MAX 4096
#define CHUNK 4096 /* never read across a 4 KiB boundary: it may be unmapped */

/* The filter's own flag words (prefix.h): one definition of the decision. */
#define MS_KEEPS_ (SBX_MS_REMOUNT | SBX_MS_BIND | SBX_MS_MOVE | SBX_MS_PROPAGATION)

/* The types mounted, each with the options it may be given: what sbx and
 * bwrap pass and the plain ones beside them. The rest of each type's
 * parser (tmpfs's mpol= NUMA policies, its quota options) and every LSM's
 * (context=) is left out; so are other types' (FUSE, overlay and the
 * disk filesystems are what CVE-2022-0185, CVE-2021-3493 and
 * CVE-2023-0386 went through). "" ends a list. */
static const struct mount_type {
	const char *type;
	const char *options[12];
} allowed_types[] = {
	{ "tmpfs",
	  { "size", "nr_blocks", "nr_inodes", "mode", "uid", "gid", "huge", "inode32", "inode64",
	    "noswap", "" } },
	{ "proc", { "hidepid", "gid", "subset", "" } },
	{ "devpts", { "newinstance", "ptmxmode", "mode", "uid", "gid", "max", "" } },
	{ "mqueue", { "" } },
};
/* What the kernel reads in any type's options as superblock flags. */
static const char *const sb_options[] = { "ro",      "rw",       "sync",      "async",
					  "dirsync", "lazytime", "nolazytime" };

/* One mount to do, in the monitor's memory. */
struct mount_req {
	char source[STR_MAX], target[STR_MAX], type[STR_MAX], data[STR_MAX];
	bool has_source, has_data;
	unsigned long flags;
	uint64_t cap_eff;
	int fds[6]; /* ns/user ns/mnt ns/pid ns/ipc root cwd of the task, or -1 */
};
enum {
	FD_USER,
	FD_MNT,
	FD_PID,
	FD_IPC,
	FD_ROOT,
	FD_CWD,
	N_FDS
};

int supervise_fd(const struct sbx_supervisor *s)
{
	return s->listener >= 0 ? s->listener : s->sock;
}

int supervise_send_listener(int sock, int listener)
{
	char c = 'L';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm;

	memset(&u, 0, sizeof(u));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &listener, sizeof(int));
	return SBX_RETRY(sendmsg(sock, &msg, MSG_NOSIGNAL)) == 1 ? 0 : -1;
}

/* The listener from the child, or nothing (the child closed its end). */
static void take_listener(struct sbx_supervisor *s)
{
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * 4)];
	} u;
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	ssize_t n = SBX_RETRY(recvmsg(s->sock, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT));

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	for (struct cmsghdr *cm = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL; cm;
	     cm = CMSG_NXTHDR(&msg, cm)) {
		size_t k;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (s->listener < 0 && i == 0)
				s->listener = fd;
			else
				close(fd);
		}
	}
	sbx_closep(&s->sock);
}

/* A NUL-terminated string of at most STR_MAX - 1 bytes at addr in the
 * task's memory, read once. 0 or an errno: EFAULT (unreadable), too_long
 * (no NUL within STR_MAX; with too_long 0 the string is cut there, as the
 * kernel cuts mount data at a page). */
static int copy_string(pid_t tid, uint64_t addr, char *out, int too_long)
{
	size_t got = 0;

	while (got < STR_MAX - 1) {
		uint64_t at = addr + got;
		size_t chunk = CHUNK - (size_t)(at % CHUNK);
		struct iovec local, remote;
		ssize_t n;

		if (at < addr)
			return EFAULT; /* wrapped around */
		if (chunk > STR_MAX - 1 - got)
			chunk = STR_MAX - 1 - got;
		local = (struct iovec){ .iov_base = out + got, .iov_len = chunk };
		remote = (struct iovec){ .iov_base = (void *)(uintptr_t)at, .iov_len = chunk };
		n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			return EFAULT;
		if (memchr(out + got, '\0', (size_t)n) != NULL)
			return 0;
		got += (size_t)n;
	}
	out[STR_MAX - 1] = '\0';
	return too_long;
}

/* The numbers after "\nKEY" in a /proc/PID/status text: n of them, in base. */
static bool status_field(const char *text, const char *key, int base, uint64_t *out, int n)
{
	const char *p = strstr(text, key);

	if (p == NULL)
		return false;
	p += strlen(key);
	for (int i = 0; i < n; i++) {
		char *end;

		errno = 0;
		out[i] = strtoull(p, &end, base);
		if (end == p || errno != 0)
			return false;
		p = end;
	}
	return true;
}

/* The task's ids must all be the caller's (so the helper's, which keeps
 * the monitor's, are the task's own); its effective capabilities in *eff. */
static int read_creds(int dir_fd, const struct sbx_supervisor *s, uint64_t *eff)
{
	char text[8192];
	uint64_t uid[4], gid[4];

	if (read_file_at(dir_fd, "status", text, sizeof(text)) < 0)
		return ESRCH;
	if (!status_field(text, "\nUid:", 10, uid, 4) ||
	    !status_field(text, "\nGid:", 10, gid, 4) ||
	    !status_field(text, "\nCapEff:", 16, eff, 1))
		return EPERM;
	for (int i = 0; i < 4; i++)
		if (uid[i] != s->uid || gid[i] != s->gid)
			return EPERM;
	return 0;
}

/* The task's LSM labels are the monitor's: the helper has the monitor's
 * (an SELinux domain or AppArmor profile that forbids the task to mount
 * would not bind the helper). Both unreadable the same way (no such LSM)
 * counts as equal. A Landlock domain has no such file: see supervise.h. */
static bool same_labels(int dir_fd)
{
	static const char *const files[] = { "attr/current", "attr/apparmor/current",
					     "attr/smack/current" };
	_cleanup_close_ int self_fd = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (self_fd < 0)
		return false;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char task[256], self[256];
		ssize_t a = read_file_at(dir_fd, files[i], task, sizeof(task));
		int ea = a < 0 ? errno : 0;
		ssize_t b = read_file_at(self_fd, files[i], self, sizeof(self));
		int eb = b < 0 ? errno : 0;

		if (a != b || ea != eb || (a > 0 && memcmp(task, self, (size_t)a) != 0))
			return false;
	}
	return true;
}

static const struct mount_type *allowed_type(const char *type)
{
	for (size_t i = 0; i < sizeof(allowed_types) / sizeof(allowed_types[0]); i++)
		if (strcmp(type, allowed_types[i].type) == 0)
			return &allowed_types[i];
	return NULL;
}

static bool word_in(const char *w, size_t len, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n && list[i][0]; i++)
		if (strlen(list[i]) == len && strncmp(w, list[i], len) == 0)
			return true;
	return false;
}

/* Every comma-separated option of data is one the type takes (the key
 * before '=' is what the kernel dispatches on). */
static bool options_allowed(const struct mount_type *t, const char *data)
{
	for (const char *p = data; *p;) {
		size_t len = strcspn(p, ","), key = strcspn(p, "=,");

		if (len > 0 &&
		    !word_in(p, key, t->options, sizeof(t->options) / sizeof(t->options[0])) &&
		    !(key == len &&
		      word_in(p, len, sb_options, sizeof(sb_options) / sizeof(sb_options[0]))))
			return false;
		p += len;
		if (*p == ',')
			p++;
	}
	return true;
}

/* Close every fd from 3 up but those in keep (n of them, -1 ignored). */
static void close_all_but(const int *keep, size_t n)
{
	int max = (int)sysconf(_SC_OPEN_MAX);

	if (max < 0 || max > 1 << 20)
		max = 1 << 20;
	for (int fd = 3; fd < max; fd++) {
		bool kept = false;

		for (size_t i = 0; i < n && !kept; i++)
			kept = keep[i] == fd;
		if (kept)
			continue;
		/* close_range from here to the next kept fd (or the end) */
		{
			int next = max;

			for (size_t i = 0; i < n; i++)
				if (keep[i] > fd && keep[i] < next)
					next = keep[i];
			if (syscall(SYS_close_range, (unsigned)fd, (unsigned)(next - 1), 0) < 0)
				for (int k = fd; k < next; k++)
					close(k);
			fd = next - 1;
		}
	}
}

/* mount(2)'s flags a new mount may have for proc_by_pidns(), and the
 * mount attributes they are. */
static const struct {
	unsigned long ms;
	unsigned attr;
} mount_attrs[] = {
	{ MS_RDONLY, MOUNT_ATTR_RDONLY },
	{ MS_NOSUID, MOUNT_ATTR_NOSUID },
	{ MS_NODEV, MOUNT_ATTR_NODEV },
	{ MS_NOEXEC, MOUNT_ATTR_NOEXEC },
	{ MS_NOATIME, MOUNT_ATTR_NOATIME },
	{ MS_NODIRATIME, MOUNT_ATTR_NODIRATIME },
	{ MS_STRICTATIME, MOUNT_ATTR_STRICTATIME },
	{ MS_RELATIME, MOUNT_ATTR_RELATIME },
	{ MS_SILENT, 0 },
	{ MS_REC, 0 },
};

/* A procfs of the task's PID namespace without a process in it: the new
 * mount API's "pidns" parameter (Linux 6.17). 0 or an errno; -1 where
 * that cannot say the call (an older kernel, a flag it has no attribute
 * for): then the caller forks into the namespace. Options go one by one,
 * as mount(2) would split them. */
static int proc_by_pidns(const struct mount_req *m)
{
	_cleanup_close_ int fs = -1, mnt = -1;
	unsigned attrs = 0;
	unsigned long rest = m->flags;
	char opt[STR_MAX];

	for (size_t i = 0; i < sizeof(mount_attrs) / sizeof(mount_attrs[0]); i++)
		if (rest & mount_attrs[i].ms) {
			attrs |= mount_attrs[i].attr;
			rest &= ~mount_attrs[i].ms;
		}
	if (rest != 0)
		return -1;
	fs = (int)syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -1;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_FD, "pidns", NULL, m->fds[FD_PID]) < 0)
		return errno == EINVAL ? -1 : errno;
	if ((m->flags & MS_RDONLY) &&
	    syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0)
		return errno;
	if (m->has_source &&
	    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "source", m->source, 0) < 0)
		return errno;
	for (const char *p = m->has_data ? m->data : ""; *p;) {
		size_t len = strcspn(p, ",");
		char *eq;

		memcpy(opt, p, len);
		opt[len] = '\0';
		p += len + (p[len] == ',');
		if (len == 0)
			continue;
		eq = strchr(opt, '=');
		if (eq)
			*eq++ = '\0';
		if (syscall(SYS_fsconfig, fs, eq ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, opt, eq,
			    0) < 0)
			return errno;
	}
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return errno;
	mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, attrs);
	if (mnt < 0)
		return errno;
	if (syscall(SYS_move_mount, mnt, "", AT_FDCWD, m->target, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return errno;
	return 0;
}

/* The helper: in the task's namespaces, root and cwd, with its
 * capabilities, mount; exit with 0 or the errno. */
static __attribute__((noreturn)) void helper(const struct mount_req *m, pid_t monitor)
{
	const int *fd = m->fds;
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct caps[2] = {
		{ .effective = (uint32_t)m->cap_eff, .permitted = (uint32_t)m->cap_eff },
		{ .effective = (uint32_t)(m->cap_eff >> 32),
		  .permitted = (uint32_t)(m->cap_eff >> 32) },
	};
	pid_t pid;
	int st, null_fd;

	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
	    getppid() != monitor)
		_exit(EPERM);
	close_all_but(fd, N_FDS);
	/* Not even the monitor's standard streams: /dev/null in their place. */
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(null_fd, 1) < 0 || dup2(null_fd, 2) < 0)
		_exit(EPERM);
	if (null_fd > 2)
		close(null_fd);
	if (setns(fd[FD_USER], CLONE_NEWUSER) < 0 || setns(fd[FD_MNT], CLONE_NEWNS) < 0 ||
	    (fd[FD_IPC] >= 0 && setns(fd[FD_IPC], CLONE_NEWIPC) < 0))
		_exit(errno == EINVAL ? EPERM : errno);
	if (fchdir(fd[FD_ROOT]) < 0 || chroot(".") < 0 || fchdir(fd[FD_CWD]) < 0)
		_exit(errno);
	for (int i = 0; i < N_FDS; i++)
		if (fd[i] >= 0 && i != FD_PID)
			close(fd[i]);
	/* The change of user namespace gave us every capability there: keep
	 * the task's effective ones only. Dumpable stays off (a change of
	 * credentials may set it back to the sysctl's value). */
	if (syscall(SYS_capset, &hdr, caps) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		_exit(EPERM);
	if (fd[FD_PID] >= 0 && (st = proc_by_pidns(m)) >= 0)
		_exit(st);
	/* Else proc mounts the PID namespace of the process that mounts: a
	 * child's, after setns(CLONE_NEWPID) (it takes a pid there). */
	if (fd[FD_PID] >= 0 && setns(fd[FD_PID], CLONE_NEWPID) < 0)
		_exit(errno == EINVAL ? EPERM : errno);
	if (m->fds[FD_PID] >= 0 && (pid = fork()) != 0) {
		if (pid < 0)
			_exit(EAGAIN);
		if (SBX_RETRY(waitpid(pid, &st, 0)) != pid || !WIFEXITED(st))
			_exit(EINTR);
		_exit(WEXITSTATUS(st));
	}
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (mount(m->has_source ? m->source : NULL, m->target, m->type, m->flags,
		  m->has_data ? m->data : NULL) < 0)
		_exit(errno > 0 && errno < 256 ? errno : EPERM);
	_exit(0);
}

/* Run the helper and wait for its answer (at most HELPER_TIMEOUT_MS). */
static int run_helper(const struct mount_req *m)
{
	pid_t monitor = getpid(), pid = fork();
	int st, pidfd;

	if (pid < 0)
		return EAGAIN;
	if (pid == 0)
		helper(m, monitor);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
		int r = SBX_RETRY(poll(&p, 1, HELPER_TIMEOUT_MS));

		if (r == 0)
			kill(pid, SIGKILL);
		close(pidfd);
	} else {
		/* No pidfd (Linux < 5.3): look every millisecond. */
		for (int ms = 0; ms < HELPER_TIMEOUT_MS; ms++) {
			pid_t r = waitpid(pid, &st, WNOHANG);

			if (r == pid)
				return WIFEXITED(st) ? WEXITSTATUS(st) : EINTR;
			if (r < 0 && errno != EINTR)
				return EINTR;
			nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
		}
		kill(pid, SIGKILL);
	}
	if (SBX_RETRY(waitpid(pid, &st, 0)) != pid || !WIFEXITED(st))
		return EINTR;
	return WEXITSTATUS(st);
}

/* What to answer a mount(2) of task req->pid: 0 (done) or an errno. */
static int do_mount(const struct sbx_supervisor *s, const struct seccomp_notif *req)
{
	static struct mount_req m; /* large; the monitor is single-threaded */
	const __u64 *a = req->data.args;
	_cleanup_close_ int dir_fd = -1;
	const struct mount_type *type;
	char dir[32];
	int r;

	if (!s->proc_is_ours || req->data.arch != AUDIT_ARCH_X86_64 || req->data.nr != __NR_mount ||
	    (a[3] >> 32) != 0)
		return EPERM;
	memset(&m, 0, sizeof(m));
	for (int i = 0; i < N_FDS; i++)
		m.fds[i] = -1;
	m.flags = (unsigned long)a[3];
	if ((m.flags & SBX_MS_MGC_MSK) == SBX_MS_MGC_VAL)
		m.flags &= ~(unsigned long)SBX_MS_MGC_MSK;
	if (m.flags & MS_KEEPS_)
		return EPERM; /* only with the old magic: the filter passes the rest */
	snprintf(dir, sizeof(dir), "/proc/%u", req->pid);
	dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return ESRCH;
	if ((r = read_creds(dir_fd, s, &m.cap_eff)) != 0)
		return r;
	if (!(m.cap_eff & (UINT64_C(1) << CAP_SYS_ADMIN)) || !same_labels(dir_fd))
		return EPERM;
	if (a[2] == 0)
		return EINVAL; /* a new mount needs a type (the kernel: EINVAL) */
	if (a[1] == 0)
		return EFAULT;
	if ((r = copy_string((pid_t)req->pid, a[2], m.type, ENODEV)) != 0 ||
	    (r = copy_string((pid_t)req->pid, a[1], m.target, ENAMETOOLONG)) != 0)
		return r;
	if ((type = allowed_type(m.type)) == NULL)
		return EPERM;
	if ((m.has_source = a[0] != 0) &&
	    (r = copy_string((pid_t)req->pid, a[0], m.source, ENAMETOOLONG)) != 0)
		return r;
	if ((m.has_data = a[4] != 0) && (r = copy_string((pid_t)req->pid, a[4], m.data, 0)) != 0)
		return r;
	if (m.has_data && !options_allowed(type, m.data))
		return EPERM;
	m.fds[FD_USER] = openat(dir_fd, "ns/user", O_RDONLY | O_CLOEXEC);
	m.fds[FD_MNT] = openat(dir_fd, "ns/mnt", O_RDONLY | O_CLOEXEC);
	if (strcmp(m.type, "proc") == 0)
		m.fds[FD_PID] = openat(dir_fd, "ns/pid", O_RDONLY | O_CLOEXEC);
	if (strcmp(m.type, "mqueue") == 0)
		m.fds[FD_IPC] = openat(dir_fd, "ns/ipc", O_RDONLY | O_CLOEXEC);
	m.fds[FD_ROOT] = openat(dir_fd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	m.fds[FD_CWD] = openat(dir_fd, "cwd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	r = 0;
	if (m.fds[FD_USER] < 0 || m.fds[FD_MNT] < 0 || m.fds[FD_ROOT] < 0 || m.fds[FD_CWD] < 0 ||
	    (strcmp(m.type, "proc") == 0 && m.fds[FD_PID] < 0) ||
	    (strcmp(m.type, "mqueue") == 0 && m.fds[FD_IPC] < 0))
		r = ESRCH;
	/* All of it was the waiting task's only if it is still waiting. */
	else if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
		r = ESRCH;
	else
		r = run_helper(&m);
	for (int i = 0; i < N_FDS; i++)
		if (m.fds[i] >= 0)
			close(m.fds[i]);
	return r;
}

/* The notification's pid is in our PID namespace: /proc must be a procfs
 * of it, or /proc/PID would be some other process. */
static bool proc_is_ours(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strtol(buf, NULL, 10) == (long)getpid();
}

/* Sizes of the notification structs this kernel uses (they may grow). */
static struct seccomp_notif_sizes sizes;

static void answer_one(struct sbx_supervisor *s)
{
	static _Alignas(16) unsigned char req_buf[4096], resp_buf[4096];
	struct seccomp_notif *req = (struct seccomp_notif *)req_buf;
	struct seccomp_notif_resp *resp = (struct seccomp_notif_resp *)resp_buf;
	int err;

	memset(req_buf, 0, sizeof(req_buf));
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
		/* ENOENT: the task went away (or a signal took it) first. */
		if (errno != ENOENT && errno != EINTR)
			sbx_closep(&s->listener);
		return;
	}
	err = do_mount(s, req);
	memset(resp_buf, 0, sizeof(resp_buf));
	resp->id = req->id;
	resp->error = err ? -err : 0;
	resp->val = 0;
	(void)ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
}

void supervise_event(struct sbx_supervisor *s, short revents)
{
	if (s->listener < 0) {
		if (revents)
			take_listener(s);
		if (s->listener >= 0 &&
		    (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0 ||
		     sizes.seccomp_notif > 4096 || sizes.seccomp_notif_resp > 4096))
			sbx_closep(&s->listener); /* then every new mount gets ENOSYS */
		s->proc_is_ours = proc_is_ours();
		return;
	}
	if (revents & POLLIN)
		answer_one(s);
	else if (revents & (POLLHUP | POLLERR | POLLNVAL))
		sbx_closep(&s->listener); /* no task uses the filter any more */
}
