/* rootfs: the sandbox's filesystem, built op by op on a fresh tmpfs.
 *
 * MUST: destinations are resolved only through bind-mount.c's in-root
 *       helpers from newroot_fd; sources only from oldroot_fd. No path string
 *       is ever resolved against the host root after rootfs_prepare().
 * MUST: every mount made here is nosuid; only --dev-bind and --dev's nodes
 *       allow devices.
 * MUST: after rootfs_enter() no mount or fd of the host's root remains
 *       reachable: the scratch root with /oldroot is detached.
 */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "bind-mount.h"
#include "words.h"

/* The scratch root the setup works in; bwrap uses /tmp the same way. */
#define SCRATCH "/tmp"
/* In the scratch root: an empty directory and file for bind-mount.c. */
#define STAGE_DIR "stage-dir"
#define STAGE_FILE "stage-file"
/* In the scratch root: an empty file (0444) bound read-only over what a
 * cover hides (gone from view after the final pivot, kept by its mounts). */
#define EMPTY_FILE "empty-file"
/* The root directory's inode number in sysfs (kernfs numbers it 1). */
#define KERNFS_ROOT_INO 1

/* The mode bwrap gives the missing parents of a destination: 0755, less the
 * group's bits if the op's mode has none for the group, less the others'
 * likewise. Ops without a mode (binds, symlinks, --proc, --dev, overlays)
 * count as mode 0, so their parents are 0700, as bwrap's are (compared with
 * Debian's bwrap 0.8.0); --dir and --tmpfs (0755) and --file (0666) give
 * 0755, --bind-data (0600) 0700. */
static mode_t parent_mode(const struct sbx_op *op)
{
	mode_t mode = 0755;

	if (!(op->perms & 0070))
		mode &= ~(mode_t)0050;
	if (!(op->perms & 0007))
		mode &= ~(mode_t)0005;
	return mode;
}

/* The mount point for op, as bubblewrap 0.12 decides: created as want says
 * when missing; never a symlink (the mount would land on its target, and
 * the destination's last component would decide where a mount goes); a
 * directory where a directory is mounted; anything but a directory where a
 * file is. The checks are on the fd the mount then goes on. */
static int mount_point(struct sbx_rootfs *rf, const struct sbx_op *op, enum bm_node want,
		       struct sbx_err *err)
{
	mode_t type;
	_cleanup_close_ int fd =
		bm_dest(&rf->bm, rf->newroot_fd, op->dest, want, parent_mode(op), &type);

	if (fd < 0)
		return sbx_fail_errno(err, W_MOUNT_POINT, op->dest);
	if (type == S_IFLNK)
		return sbx_fail(err, W_MOUNT_ON_SYMLINK, op->dest);
	if (want == BM_NODE_DIR && type != S_IFDIR)
		return sbx_fail(err, W_DEST_NOT_DIR, op->dest);
	if (want == BM_NODE_FILE && type == S_IFDIR)
		return sbx_fail(err, W_DEST_NOT_FILE, op->dest);
	return sbx_steal_fd(&fd);
}

static int sys_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

/* mount(2) a tmpfs of mode on path, labelled with --file-label's context. */
static int mount_tmpfs(const struct sbx_rootfs *rf, const char *path, mode_t mode)
{
	struct bm_tmpfs_opts t;
	_cleanup_free_ char *data = bm_mount_data(bm_tmpfs_opts(&t, mode, 0, rf->file_label));

	if (data == NULL)
		return -1;
	return mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_SILENT, data);
}

int rootfs_prepare(struct sbx_rootfs *rf, struct sbx_err *err)
{
	rf->oldroot_fd = rf->newroot_fd = -1;

	/* Slave, as bwrap: nothing we mount propagates to the host, while the
	 * host's later mounts under bound paths still show inside. */
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC | MS_SILENT, NULL) < 0)
		return sbx_fail_errno(err, "can't make / a recursive slave mount");
	if (mount("tmpfs", SCRATCH, "tmpfs", MS_NOSUID | MS_NODEV | MS_SILENT, "mode=0755") < 0)
		return sbx_fail_errno(err, "can't mount a tmpfs on %s", SCRATCH);
	if (chdir(SCRATCH) < 0)
		return sbx_fail_errno(err, "can't chdir to %s", SCRATCH);
	if (mkdir("newroot", 0755) < 0 || mkdir("oldroot", 0755) < 0)
		return sbx_fail_errno(err, "can't create the scratch directories");
	if (mount_tmpfs(rf, "newroot", 0755) < 0)
		return sbx_fail_errno(err, "can't mount the new root's tmpfs");
	/* Where the mount(2) fallback builds trees before moving them in. */
	if (mkdir(STAGE_DIR, 0755) < 0 || mknod(STAGE_FILE, S_IFREG | 0444, 0) < 0 ||
	    mknod(EMPTY_FILE, S_IFREG | 0444, 0) < 0)
		return sbx_fail_errno(err, "can't create the scratch directories");
	if (sys_pivot_root(".", "oldroot") < 0)
		return sbx_fail_errno(err, "can't pivot_root to the scratch root");
	if (chdir("/") < 0)
		return sbx_fail_errno(err, "can't chdir to /");
	bm_probe(&rf->bm, "/oldroot/proc/self", "/" STAGE_DIR, "/" STAGE_FILE);
	if (rf->force_walk)
		rf->bm.walk_in_userspace = true;
	rf->oldroot_fd = open("/oldroot", O_PATH | O_DIRECTORY | O_CLOEXEC);
	rf->newroot_fd = open("/newroot", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rf->oldroot_fd < 0 || rf->newroot_fd < 0)
		return sbx_fail_errno(err, "can't open the scratch roots");
	return 0;
}

/* An object opened in another mount namespace (an fd the caller passed, or
 * one reached through a magic link to it) can't be cloned from here:
 * open_tree() refuses (EINVAL). Find the same object at its path in ours
 * and check it is the same inode, as bwrap does since CVE-2024-42472. Fills
 * path (the link's text, for messages). fd or -1/errno: EINVAL if fd is not
 * a file or directory, ESTALE if the path now leads elsewhere. */
static int same_object_here(struct sbx_rootfs *rf, int fd, char *path, size_t size)
{
	char link[64];
	struct stat want, got;
	int here;
	ssize_t n;

	snprintf(link, sizeof(link), "/oldroot/proc/self/fd/%d", fd);
	n = readlink(link, path, size - 1);
	if (n < 0 || fstat(fd, &want) < 0)
		return -1;
	path[n] = '\0';
	if (path[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	here = bm_open_in_root(&rf->bm, rf->oldroot_fd, path, O_PATH);
	if (here >= 0 &&
	    (fstat(here, &got) < 0 || got.st_dev != want.st_dev || got.st_ino != want.st_ino)) {
		close(here);
		errno = ESTALE;
		return -1;
	}
	return here;
}

/* A source as the host sees it: absolute symlinks resolve against the host's
 * root. A magic link as the last component (/proc/self/fd/N, /dev/fd/N, as
 * bwrap's callers pass them) is refused by in-root lookups (ELOOP): its
 * directory is resolved in the root, and the link followed from there, to
 * the object it names. */
static int open_source(struct sbx_rootfs *rf, const char *src)
{
	_cleanup_free_ char *dir = NULL;
	_cleanup_close_ int dir_fd = -1, obj_fd = -1;
	char path[4096];
	const char *base;
	int fd = bm_open_in_root(&rf->bm, rf->oldroot_fd, src, O_PATH);

	if (fd >= 0 || (errno != ELOOP && errno != EXDEV))
		return fd;
	base = strrchr(src, '/');
	if (!base || base[1] == '\0') {
		errno = ELOOP;
		return -1;
	}
	dir = strndup(src, (size_t)(base - src));
	if (!dir)
		return -1;
	dir_fd = bm_open_in_root(&rf->bm, rf->oldroot_fd, dir, O_PATH | O_DIRECTORY);
	if (dir_fd < 0)
		return -1;
	obj_fd = openat(dir_fd, base + 1, O_PATH | O_CLOEXEC);
	if (obj_fd < 0)
		return -1;
	fd = same_object_here(rf, obj_fd, path, sizeof(path));
	if (fd < 0 && errno == EINVAL)
		/* Not a path: a namespace file (flatpak binds /proc/self/ns/user,
		 * the sandbox's own user namespace, on /run/.userns), or a pipe
		 * or socket. No mount namespace holds it, so it is bound as it
		 * is, as mount(2) does for bwrap; the kernel refuses the rest. */
		return sbx_steal_fd(&obj_fd);
	return fd;
}

/* A mount on the root itself (e.g. --bind / /) hides the tmpfs newroot_fd
 * points at: re-open the root so later ops see the new top mount. */
static int refresh_root(struct sbx_rootfs *rf, const struct stat *before, struct sbx_err *err)
{
	struct stat st;
	int fd;

	if (fstat(rf->newroot_fd, &st) < 0)
		return sbx_fail_errno(err, "can't stat the new root");
	if (st.st_dev != before->st_dev || st.st_ino != before->st_ino)
		return 0;
	fd = open("/newroot", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return sbx_fail_errno(err, "can't re-open the new root");
	close(rf->newroot_fd);
	rf->newroot_fd = fd;
	return 0;
}

static bool is_root(int root_fd, int fd)
{
	struct stat a, b;

	return fstat(root_fd, &a) == 0 && fstat(fd, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* Hide name under dir_fd (dest names dir_fd in messages) behind something
 * empty and read-only: a directory behind a new read-only tmpfs, anything
 * else behind the scratch root's empty file, bound read-only (Docker binds
 * /dev/null; an empty regular file needs no device access). Nothing there
 * (this kernel lacks it): nothing to do. */
static int cover_empty(struct sbx_rootfs *rf, int dir_fd, const char *dest, const char *name,
		       struct sbx_err *err)
{
	static const char *const tmpfs_opts[] = { "mode", "0555", NULL };
	const unsigned attrs = BM_RDONLY | BM_NOSUID | BM_NODEV | BM_NOEXEC;
	_cleanup_close_ int fd = openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int src_fd = -1, mnt_fd = -1;
	struct stat st;

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || fstat(fd, &st) < 0)
		return sbx_fail_errno(err, "can't open %s/%s to cover it", dest, name);
	if (S_ISDIR(st.st_mode)) {
		mnt_fd = bm_mount_fs(&rf->bm, "tmpfs", tmpfs_opts, attrs, fd);
		if (mnt_fd < 0)
			return sbx_fail_errno(err, "can't cover %s/%s with an empty tmpfs", dest,
					      name);
		return 0;
	}
	src_fd = open("/" EMPTY_FILE, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (src_fd < 0 || bm_bind(&rf->bm, src_fd, fd, attrs, false) < 0)
		return sbx_fail_errno(err, "can't cover %s/%s with an empty file", dest, name);
	return 0;
}

/* Under a bind of a whole sysfs (--ro-bind /sys /sys, --bind, --dev-bind),
 * hidden as Docker masks them: firmware (ACPI tables, EFI variables, DMI,
 * the physical memory map; root-only files that host root's sandbox, uid 0
 * without capabilities, can still read) and devices/virtual/powercap (RAPL
 * energy counters, a power side channel: CVE-2020-8694). A bind of a part
 * of sysfs, or of a tree that merely holds one (--bind / /), is the
 * caller's explicit choice and left as it is. */
static const char *const sysfs_masked[] = { "firmware", "devices/virtual/powercap" };

static bool is_sysfs_root(int fd)
{
	struct statfs sfs;
	struct stat st;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == SYSFS_MAGIC && fstat(fd, &st) == 0 &&
	       st.st_ino == KERNFS_ROOT_INO;
}

static int cover_sysfs(struct sbx_rootfs *rf, const char *dest, struct sbx_err *err)
{
	_cleanup_close_ int dest_fd =
		bm_open_in_root(&rf->bm, rf->newroot_fd, dest, O_PATH | O_DIRECTORY);

	if (dest_fd < 0)
		return sbx_fail_errno(err, "can't open %s", dest);
	/* The components before the last are sysfs's own directories (the
	 * kernel makes them), so openat() walks them as they are. */
	for (size_t i = 0; i < sizeof(sysfs_masked) / sizeof(sysfs_masked[0]); i++)
		if (cover_empty(rf, dest_fd, dest, sysfs_masked[i], err) < 0)
			return -1;
	return 0;
}

/* Bind the source open at src_fd on op->dest. */
static int bind_source(struct sbx_rootfs *rf, int src_fd, const struct sbx_op *op,
		       struct sbx_err *err)
{
	_cleanup_close_ int target_fd = -1;
	unsigned attrs = BM_NOSUID;
	struct stat st, root_st;

	if (fstat(src_fd, &st) < 0)
		return sbx_fail_errno(err, "can't stat %s", op->src);
	target_fd = mount_point(rf, op, S_ISDIR(st.st_mode) ? BM_NODE_DIR : BM_NODE_FILE, err);
	if (target_fd < 0)
		return -1;
	if (!(op->flags & SBX_BIND_DEV))
		attrs |= BM_NODEV;
	if (op->flags & SBX_BIND_RO)
		attrs |= BM_RDONLY;
	if (fstat(rf->newroot_fd, &root_st) < 0)
		return sbx_fail_errno(err, "can't stat the new root");
	if (bm_bind(&rf->bm, src_fd, target_fd, attrs, true) < 0)
		return sbx_fail_errno(err, "can't bind %s on %s", op->src, op->dest);
	if (is_root(rf->newroot_fd, target_fd) && refresh_root(rf, &root_st, err) < 0)
		return -1;
	return is_sysfs_root(src_fd) ? cover_sysfs(rf, op->dest, err) : 0;
}

static int do_bind(struct sbx_rootfs *rf, const struct sbx_op *op, struct sbx_err *err)
{
	_cleanup_close_ int src_fd = open_source(rf, op->src);

	if (src_fd < 0) {
		if (errno == ENOENT && (op->flags & SBX_BIND_TRY))
			return 0;
		return sbx_fail_errno(err, "can't find source path %s", op->src);
	}
	return bind_source(rf, src_fd, op, err);
}

/* bwrap covers these read-only when they are writable (as root without a
 * user namespace): sysrq-trigger alone can reboot the machine. Docker makes
 * the same ones read-only (bus, fs, irq, sys, sysrq-trigger), and masks
 * acpi and scsi: here they stay readable, read-only (what they show,
 * hardware lists, is not the host's secrets; old tools read them). */
static const char *const proc_covered[] = {
	"sys", "sysrq-trigger", "irq", "bus", "fs", "acpi", "scsi",
};

/* Hidden outright (an empty file, or an empty tmpfs for a directory), as
 * Docker masks them, whoever runs sbx:
 *   keys, key-users: every key the reader may view, the caller's session
 *     keyring and its keys included, whatever keyring the sandbox has;
 *   kcore: the kernel's memory (CAP_SYS_RAWIO only, but a cover costs
 *     nothing if a capability is kept);
 *   timer_list, sched_debug (before Linux 5.13), timer_stats (before 4.11),
 *     latency_stats: the host's every task, by name and pid, through any
 *     PID namespace.
 * Docker also masks asound and interrupts: kept here. ALSA reads
 * /proc/asound (flatpak's desktop apps play sound so), and tools (top-like
 * monitors, irqbalance's readers) read /proc/interrupts; its counters are a
 * known timing side channel, but no worse than what the command's own
 * timing shows, and bwrap's callers expect it. */
static const char *const proc_masked[] = {
	"keys", "key-users", "kcore", "timer_list", "timer_stats", "sched_debug", "latency_stats",
};

static int cover_proc(struct sbx_rootfs *rf, int proc_fd, const char *dest, bool cover_all,
		      struct sbx_err *err)
{
	for (size_t i = 0; i < sizeof(proc_covered) / sizeof(proc_covered[0]); i++) {
		_cleanup_close_ int sub_fd = -1;

		/* bwrap covers what access(2) calls writable. That misses
		 * /proc/sys (its root always says EACCES) while host root can
		 * write what is under it: as host root, cover all there is. */
		if (cover_all &&
		    faccessat(proc_fd, proc_covered[i], F_OK, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			return sbx_fail_errno(err, "can't access %s/%s", dest, proc_covered[i]);
		}
		if (!cover_all && faccessat(proc_fd, proc_covered[i], W_OK, 0) < 0) {
			if (errno == EACCES || errno == ENOENT || errno == EROFS || errno == EPERM)
				continue;
			return sbx_fail_errno(err, "can't access %s/%s", dest, proc_covered[i]);
		}
		sub_fd = openat(proc_fd, proc_covered[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (sub_fd < 0 || bm_bind(&rf->bm, sub_fd, sub_fd,
					  BM_RDONLY | BM_NOSUID | BM_NODEV | BM_NOEXEC, true) < 0)
			return sbx_fail_errno(err, "can't cover %s/%s read-only", dest,
					      proc_covered[i]);
	}
	for (size_t i = 0; i < sizeof(proc_masked) / sizeof(proc_masked[0]); i++)
		if (cover_empty(rf, proc_fd, dest, proc_masked[i], err) < 0)
			return -1;
	return 0;
}

static int proc_refused(const struct sbx_op *op, struct sbx_err *err)
{
	if (errno == EPERM)
		return sbx_fail(err,
				"can't mount a new procfs on %s: the kernel refused "
				"(Operation not permitted): the /proc sbx runs under has "
				"parts mounted over (as in many containers, and in a "
				"sandbox made with --proc), which forbids new procfs "
				"instances without privilege; run without --unshare-pid "
				"to bind that /proc instead",
				op->dest);
	return sbx_fail_errno(err, "can't mount procfs on %s", op->dest);
}

/* For a sandbox whose nested sandboxes may mount procfs (the supervised
 * default profile): a tiny tmpfs on dest holding a second, whole procfs,
 * which the command's procfs then covers. The kernel lets a nested user
 * namespace mount a new procfs only if its mount namespace already has one
 * with no locked mount over a file in it (fs/namespace.c,
 * mnt_already_visible), and the masks below are locked in every nested
 * namespace. The whole one cannot be
 * reached: the covering procfs hides the tmpfs's root, and in a nested
 * namespace the kernel locks the cover to it (no umount, no MS_MOVE, no
 * bind without it). Returns the fd to mount the command's procfs on. */
static int proc_holder(struct sbx_rootfs *rf, int target_fd, const struct sbx_op *op,
		       struct sbx_err *err)
{
	const unsigned attrs = BM_NOSUID | BM_NODEV | BM_NOEXEC;
	struct bm_tmpfs_opts t;
	_cleanup_close_ int holder_fd = bm_mount_fs(
		&rf->bm, "tmpfs", bm_tmpfs_opts(&t, 0555, 4096, rf->file_label), attrs, target_fd);
	_cleanup_close_ int dir_fd = -1, whole_fd = -1;

	if (holder_fd < 0 || mkdirat(holder_fd, "p", 0555) < 0 ||
	    (dir_fd = openat(holder_fd, "p", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return sbx_fail_errno(err, "can't mount procfs on %s", op->dest);
	whole_fd = bm_mount_fs(&rf->bm, "proc", NULL, attrs, dir_fd);
	if (whole_fd < 0)
		return proc_refused(op, err);
	return sbx_steal_fd(&holder_fd);
}

static int do_proc(struct sbx_rootfs *rf, const struct sbx_op *op, bool own_pidns, bool cover_all,
		   bool holder, struct sbx_err *err)
{
	_cleanup_close_ int target_fd = mount_point(rf, op, BM_NODE_DIR, err);
	_cleanup_close_ int proc_fd = -1;

	if (target_fd < 0)
		return -1;
	if (own_pidns && holder) {
		int holder_fd = proc_holder(rf, target_fd, op, err);

		if (holder_fd < 0)
			return -1;
		close(target_fd);
		target_fd = holder_fd;
	}
	if (own_pidns) {
		proc_fd = bm_mount_fs(&rf->bm, "proc", NULL, BM_NOSUID | BM_NODEV | BM_NOEXEC,
				      target_fd);
		if (proc_fd < 0)
			return proc_refused(op, err);
	} else {
		/* Sharing the pid namespace: bind the host's procfs, as bwrap. */
		_cleanup_close_ int src_fd =
			bm_open_in_root(&rf->bm, rf->oldroot_fd, "/proc", O_PATH);

		if (src_fd < 0 ||
		    bm_bind(&rf->bm, src_fd, target_fd, BM_NOSUID | BM_NODEV, true) < 0)
			return sbx_fail_errno(err, "can't bind /proc on %s", op->dest);
		proc_fd = bm_open_in_root(&rf->bm, rf->newroot_fd, op->dest, O_PATH | O_DIRECTORY);
		if (proc_fd < 0)
			return sbx_fail_errno(err, "can't open %s", op->dest);
	}
	return cover_proc(rf, proc_fd, op->dest, cover_all, err);
}

static int bind_dev_node(struct sbx_rootfs *rf, int dev_fd, const char *name, const char *host_path)
{
	_cleanup_close_ int src_fd = bm_open_in_root(&rf->bm, rf->oldroot_fd, host_path, O_PATH);
	_cleanup_close_ int node_fd = -1;

	if (src_fd < 0)
		return -1;
	if (mknodat(dev_fd, name, S_IFREG | 0444, 0) < 0 && errno != EEXIST)
		return -1;
	node_fd = openat(dev_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (node_fd < 0)
		return -1;
	return bm_bind(&rf->bm, src_fd, node_fd, BM_NOSUID, false);
}

static int do_dev(struct sbx_rootfs *rf, const struct sbx_op *op, struct sbx_err *err)
{
	static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" },       { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
		{ "/proc/kcore", "core" },       { "pts/ptmx", "ptmx" },
	};
	static const char *const pts_opts[] = { "newinstance", NULL,  "ptmxmode", "0666",
						"mode",        "620", NULL };
	_cleanup_close_ int target_fd = mount_point(rf, op, BM_NODE_DIR, err);
	_cleanup_close_ int dev_fd = -1, pts_fd = -1, pts_mnt = -1;
	struct bm_tmpfs_opts t;

	if (target_fd < 0)
		return -1;
	dev_fd = bm_mount_fs(&rf->bm, "tmpfs", bm_tmpfs_opts(&t, 0755, 0, rf->file_label),
			     BM_NOSUID | BM_NODEV, target_fd);
	if (dev_fd < 0)
		return sbx_fail_errno(err, "can't mount tmpfs on %s", op->dest);
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		char host[32];

		snprintf(host, sizeof(host), "/dev/%s", nodes[i]);
		if (bind_dev_node(rf, dev_fd, nodes[i], host) < 0)
			return sbx_fail_errno(err, "can't bind %s on %s/%s", host, op->dest,
					      nodes[i]);
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i][0], dev_fd, links[i][1]) < 0)
			return sbx_fail_errno(err, "can't create %s/%s", op->dest, links[i][1]);
	if (mkdirat(dev_fd, "shm", 0755) < 0 || mkdirat(dev_fd, "pts", 0755) < 0)
		return sbx_fail_errno(err, "can't create directories in %s", op->dest);
	pts_fd = openat(dev_fd, "pts", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (pts_fd < 0)
		return sbx_fail_errno(err, "can't open %s/pts", op->dest);
	pts_mnt = bm_mount_fs(&rf->bm, "devpts", pts_opts, BM_NOSUID | BM_NOEXEC, pts_fd);
	if (pts_mnt < 0)
		return sbx_fail_errno(err, "can't mount devpts on %s/pts", op->dest);
	/* As bwrap: when stdout is a terminal, /dev/console is that terminal so
	 * ttyname() works inside. It gives no access the fd did not give. */
	if (rf->host_tty && bind_dev_node(rf, dev_fd, "console", rf->host_tty) < 0)
		return sbx_fail_errno(err, "can't bind %s on %s/console", rf->host_tty, op->dest);
	return 0;
}

static int do_tmpfs(struct sbx_rootfs *rf, const struct sbx_op *op, struct sbx_err *err)
{
	_cleanup_close_ int target_fd = mount_point(rf, op, BM_NODE_DIR, err);
	_cleanup_close_ int mnt_fd = -1;
	struct bm_tmpfs_opts t;
	struct stat root_st;

	if (target_fd < 0)
		return -1;
	if (fstat(rf->newroot_fd, &root_st) < 0)
		return sbx_fail_errno(err, "can't stat the new root");
	mnt_fd = bm_mount_fs(&rf->bm, "tmpfs",
			     bm_tmpfs_opts(&t, op->perms, op->size, rf->file_label),
			     BM_NOSUID | BM_NODEV, target_fd);
	if (mnt_fd < 0)
		return sbx_fail_errno(err, "can't mount tmpfs on %s", op->dest);
	return is_root(rf->newroot_fd, target_fd) ? refresh_root(rf, &root_st, err) : 0;
}

static int do_mqueue(struct sbx_rootfs *rf, const struct sbx_op *op, struct sbx_err *err)
{
	_cleanup_close_ int target_fd = mount_point(rf, op, BM_NODE_DIR, err);
	_cleanup_close_ int mnt_fd = -1;

	if (target_fd < 0)
		return -1;
	mnt_fd = bm_mount_fs(&rf->bm, "mqueue", NULL, BM_NOSUID | BM_NODEV | BM_NOEXEC, target_fd);
	if (mnt_fd < 0)
		return sbx_fail_errno(err, "can't mount mqueue on %s", op->dest);
	return 0;
}

static int do_dir(struct sbx_rootfs *rf, const struct sbx_op *op, struct sbx_err *err)
{
	_cleanup_close_ int parent_fd = -1, fd = -1;
	const char *base;
	mode_t type;

	parent_fd = bm_parent(&rf->bm, rf->newroot_fd, op->dest, &base, parent_mode(op));
	if (parent_fd < 0 && errno == EINVAL)
		return 0; /* the root: it exists */
	if (parent_fd < 0)
		return sbx_fail_errno(err, "can't create directory %s", op->dest);
	if (mkdirat(parent_fd, base, op->perms) == 0)
		return 0;
	if (errno != EEXIST)
		return sbx_fail_errno(err, "can't create directory %s", op->dest);
	/* An existing directory is left as it is (bwrap); anything else,
	 * a symlink to a directory too, is refused (bwrap 0.12). */
	fd = bm_dest(&rf->bm, rf->newroot_fd, op->dest, BM_NODE_EXISTING, 0, &type);
	if (fd < 0)
		return sbx_fail_errno(err, "can't create directory %s", op->dest);
	if (type != S_IFDIR)
		return sbx_fail(err, W_DEST_NOT_DIR, op->dest);
	return 0;
}

static int do_symlink(struct sbx_rootfs *rf, const struct sbx_op *op, struct sbx_err *err)
{
	_cleanup_close_ int parent_fd = -1;
	char existing[4096];
	const char *base;
	ssize_t n;

	parent_fd = bm_parent(&rf->bm, rf->newroot_fd, op->dest, &base, parent_mode(op));
	if (parent_fd < 0)
		return sbx_fail_errno(err, "can't make symlink at %s", op->dest);
	if (symlinkat(op->src, parent_fd, base) == 0)
		return 0;
	if (errno != EEXIST)
		return sbx_fail_errno(err, "can't make symlink at %s", op->dest);
	/* Since bwrap 0.9, an identical symlink already there is not an error. */
	n = readlinkat(parent_fd, base, existing, sizeof(existing) - 1);
	if (n < 0 && errno == EINVAL)
		return sbx_fail(err, W_SYMLINK_NOT_SYMLINK, op->dest);
	if (n < 0)
		return sbx_fail_errno(err, "can't make symlink at %s", op->dest);
	existing[n] = '\0';
	if (strcmp(existing, op->src) == 0)
		return 0;
	return sbx_fail(err, W_SYMLINK_CONFLICT, op->dest, existing);
}

/* chmod through the magic link of an O_PATH fd resolved in the root, its
 * last component not followed (bwrap 0.12): a symlink at PATH gets
 * EOPNOTSUPP, as chmod of a symlink does. */
static int do_chmod(struct sbx_rootfs *rf, const struct sbx_op *op, struct sbx_err *err)
{
	mode_t type;
	_cleanup_close_ int fd =
		bm_dest(&rf->bm, rf->newroot_fd, op->dest, BM_NODE_EXISTING, 0, &type);
	char path[64];

	if (fd < 0)
		return sbx_fail_errno(err, W_CHMOD, (unsigned)op->perms, op->dest);
	snprintf(path, sizeof(path), "/oldroot/proc/self/fd/%d", fd);
	if (chmod(path, op->perms) < 0)
		return sbx_fail_errno(err, W_CHMOD, (unsigned)op->perms, op->dest);
	return 0;
}

static int do_remount_ro(struct sbx_rootfs *rf, const struct sbx_op *op, struct sbx_err *err)
{
	mode_t type;
	_cleanup_close_ int fd =
		bm_dest(&rf->bm, rf->newroot_fd, op->dest, BM_NODE_EXISTING, 0, &type);

	if (fd < 0)
		return sbx_fail_errno(err, "can't remount %s read-only", op->dest);
	if (type == S_IFLNK)
		return sbx_fail(err, W_MOUNT_ON_SYMLINK, op->dest);
	if (bm_setattr(&rf->bm, fd, BM_RDONLY) < 0) {
		if (errno == EINVAL)
			return sbx_fail(err, "can't remount %s read-only: not a mount point",
					op->dest);
		return sbx_fail_errno(err, "can't remount %s read-only", op->dest);
	}
	return 0;
}

/* --file: a new file with the data, mode exactly perms. */
static int do_file(struct sbx_rootfs *rf, const struct sbx_op *op, struct sbx_err *err)
{
	/* O_NOFOLLOW: a symlink at dest is refused (ELOOP), never written
	 * through, as bwrap 0.12. */
	_cleanup_close_ int fd = bm_create_in_root(&rf->bm, rf->newroot_fd, op->dest,
						   O_WRONLY | O_TRUNC | O_NOCTTY | O_NOFOLLOW,
						   op->perms, parent_mode(op));

	if (fd < 0)
		return sbx_fail_errno(err, W_CREATE_FILE, op->dest);
	if (write_all(fd, op->data.data, op->data.len) < 0 || fchmod(fd, op->perms) < 0)
		return sbx_fail_errno(err, "can't write file %s", op->dest);
	return 0;
}

/* --bind-data: the data goes to a file in the scratch root (gone from view
 * after the final pivot, kept alive by the bind mount), bound on dest. */
static int do_bind_data(struct sbx_rootfs *rf, const struct sbx_op *op, struct sbx_err *err)
{
	_cleanup_close_ int fd = -1, src_fd = -1, target_fd = -1;
	char name[64];
	unsigned attrs = BM_NOSUID | BM_NODEV;

	snprintf(name, sizeof(name), "/bind-data-%u", rf->n_data++);
	fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, op->perms);
	if (fd < 0 || write_all(fd, op->data.data, op->data.len) < 0 || fchmod(fd, op->perms) < 0)
		return sbx_fail_errno(err, "can't write the data for %s", op->dest);
	src_fd = open(name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (src_fd < 0)
		return sbx_fail_errno(err, "can't open the data for %s", op->dest);
	target_fd = mount_point(rf, op, BM_NODE_FILE, err);
	if (target_fd < 0)
		return -1;
	if (op->flags & SBX_BIND_RO)
		attrs |= BM_RDONLY;
	if (bm_bind(&rf->bm, src_fd, target_fd, attrs, false) < 0)
		return sbx_fail_errno(err, "can't bind data on %s", op->dest);
	return 0;
}

/* --bind-fd: bound from the object itself as found in our namespace; the
 * fd that was checked is the one bound, so nothing can be swapped in. */
static int do_bind_fd(struct sbx_rootfs *rf, const struct sbx_op *op, struct sbx_err *err)
{
	char path[4096];
	struct sbx_op bind = *op;
	_cleanup_close_ int fd = same_object_here(rf, op->fd, path, sizeof(path));

	if (fd < 0 && errno == EINVAL)
		return sbx_fail(err, "can't bind fd %d: it is not a file or directory (%s)", op->fd,
				path);
	if (fd < 0 && errno == ESTALE)
		return sbx_fail(err, "can't bind fd %d: %s was replaced since it was opened",
				op->fd, path);
	if (fd < 0)
		return sbx_fail_errno(err, "can't bind fd %d", op->fd);
	bind.src = path;
	bind.flags &= SBX_BIND_RO;
	return bind_source(rf, fd, &bind, err);
}

/* Overlay layers are passed as /proc/self/fd paths of fds resolved in the
 * host's root, so their symlinks mean what they mean on the host. */
static int layer_path(struct sbx_rootfs *rf, const char *host, int *fd, char *buf, size_t size)
{
	*fd = bm_open_in_root(&rf->bm, rf->oldroot_fd, host, O_PATH | O_DIRECTORY);
	if (*fd < 0)
		return -1;
	snprintf(buf, size, "/oldroot/proc/self/fd/%d", *fd);
	return 0;
}

/* The lower layers' fds, all -1 until opened: closed together on every
 * return (a zero left in the array would close fd 0). */
struct layer_fds {
	int *fds;
	size_t n;
};

static void layer_fds_close(struct layer_fds *l)
{
	for (size_t i = 0; i < l->n; i++)
		sbx_closep(&l->fds[i]);
	free(l->fds);
}

static struct layer_fds layer_fds_new(size_t n)
{
	struct layer_fds l = { xcalloc(n, sizeof(int)), n };

	for (size_t i = 0; i < n; i++)
		l.fds[i] = -1;
	return l;
}

/* The upper and work dirs for --overlay (host dirs) or --tmp-overlay. */
static int overlay_upper(struct sbx_rootfs *rf, const struct sbx_op *op, int *upper_fd,
			 int *work_fd, char *upper, char *work, size_t size, struct sbx_err *err)
{
	if (op->overlay == SBX_OVERLAY_RW) {
		if (layer_path(rf, op->upper, upper_fd, upper, size) < 0 ||
		    layer_path(rf, op->work, work_fd, work, size) < 0)
			return sbx_fail_errno(err, "can't open overlay upper or work dir for %s",
					      op->dest);
		return 0;
	}
	/* --tmp-overlay: an invisible tmpfs in the scratch root holds both. */
	snprintf(upper, size, "/overlay-%u", rf->n_data++);
	if (mkdir(upper, 0755) < 0 || mount_tmpfs(rf, upper, 0755) < 0)
		return sbx_fail_errno(err, "can't mount the tmpfs for %s", op->dest);
	snprintf(work, size, "%.40s/work", upper);
	strcat(upper, "/upper");
	if (mkdir(upper, 0755) < 0 || mkdir(work, 0755) < 0)
		return sbx_fail_errno(err, "can't create overlay dirs for %s", op->dest);
	return 0;
}

static int do_overlay(struct sbx_rootfs *rf, const struct sbx_op *op, struct sbx_err *err)
{
	_cleanup_close_ int target_fd = mount_point(rf, op, BM_NODE_DIR, err);
	_cleanup_close_ int upper_fd = -1, work_fd = -1, mnt_fd = -1;
	__attribute__((cleanup(layer_fds_close))) struct layer_fds lower_fds =
		layer_fds_new(op->n_layers);
	_cleanup_free_ char *lower = xcalloc(op->n_layers, 40);
	char upper[64], work[64];
	const char *opts[9] = { "lowerdir", lower };
	size_t n = 2;

	if (target_fd < 0)
		return -1;
	/* overlayfs lists the top lower layer first; --overlay-src gives the
	 * bottom one first. */
	for (size_t i = 0; i < op->n_layers; i++) {
		const char *layer = op->layers[op->n_layers - 1 - i];
		char one[40];

		if (layer_path(rf, layer, &lower_fds.fds[i], one, sizeof(one)) < 0)
			return sbx_fail_errno(err, "can't open overlay layer %s", layer);
		strcat(lower, i ? ":" : "");
		strcat(lower, one);
	}
	if (op->overlay != SBX_OVERLAY_RO) {
		if (overlay_upper(rf, op, &upper_fd, &work_fd, upper, work, sizeof(upper), err) < 0)
			return -1;
		opts[n++] = "upperdir";
		opts[n++] = upper;
		opts[n++] = "workdir";
		opts[n++] = work;
	}
	/* In a user namespace overlayfs must keep its metadata in user.*
	 * xattrs; outside one the kernel default is right. */
	if (rf->in_userns) {
		opts[n++] = "userxattr";
		opts[n++] = NULL;
	}
	opts[n] = NULL;
	mnt_fd = bm_mount_fs(&rf->bm, "overlay", opts,
			     BM_NOSUID | BM_NODEV | (op->overlay == SBX_OVERLAY_RO ? BM_RDONLY : 0),
			     target_fd);
	if (mnt_fd < 0)
		return sbx_fail_errno(err, "can't mount overlay on %s", op->dest);
	return 0;
}

int rootfs_apply(struct sbx_rootfs *rf, const struct sbx_plan *plan, struct sbx_err *err)
{
	/* A joined PID namespace is owned by the joined user namespace: it
	 * gets its own procfs, as a new one does. */
	bool own_pidns = plan->unshare_pid || plan->pidns_fd >= 0;

	for (size_t i = 0; i < plan->n_ops; i++) {
		const struct sbx_op *op = &plan->ops[i];
		int r = -1;

		switch (op->kind) {
		case SBX_OP_BIND:
			r = do_bind(rf, op, err);
			break;
		case SBX_OP_REMOUNT_RO:
			r = do_remount_ro(rf, op, err);
			break;
		case SBX_OP_PROC:
			r = do_proc(rf, op, own_pidns, plan->real_root, plan->seccomp_listen != 0,
				    err);
			break;
		case SBX_OP_DEV:
			r = do_dev(rf, op, err);
			break;
		case SBX_OP_TMPFS:
			r = do_tmpfs(rf, op, err);
			break;
		case SBX_OP_MQUEUE:
			r = do_mqueue(rf, op, err);
			break;
		case SBX_OP_DIR:
			r = do_dir(rf, op, err);
			break;
		case SBX_OP_SYMLINK:
			r = do_symlink(rf, op, err);
			break;
		case SBX_OP_CHMOD:
			r = do_chmod(rf, op, err);
			break;
		case SBX_OP_BIND_FD:
			r = do_bind_fd(rf, op, err);
			break;
		case SBX_OP_FILE:
			r = do_file(rf, op, err);
			break;
		case SBX_OP_BIND_DATA:
			r = do_bind_data(rf, op, err);
			break;
		case SBX_OP_OVERLAY:
			r = do_overlay(rf, op, err);
			break;
		}
		if (r < 0)
			return -1;
	}
	return 0;
}

int rootfs_enter(struct sbx_rootfs *rf, struct sbx_err *err)
{
	sbx_closep(&rf->oldroot_fd);
	sbx_closep(&rf->newroot_fd);
	rf->oldroot_fd = rf->newroot_fd = -1;

	/* pivot_root(2): with new_root == put_old the old root ends up on top of
	 * the new one at "/", and umount2(".", MNT_DETACH) takes it away along
	 * with /oldroot under it. */
	if (chdir("/newroot") < 0)
		return sbx_fail_errno(err, "can't chdir to the new root");
	if (sys_pivot_root(".", ".") < 0)
		return sbx_fail_errno(err, "can't pivot_root into the new root");
	if (umount2(".", MNT_DETACH) < 0)
		return sbx_fail_errno(err, "can't detach the old root");
	if (chdir("/") < 0)
		return sbx_fail_errno(err, "can't chdir to /");
	return 0;
}
