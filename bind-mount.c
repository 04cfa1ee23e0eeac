/* bind-mount: mount primitives on the new mount API.
 *
 * MUST: every path inside the new root is resolved with RESOLVE_IN_ROOT from
 *       the root's fd, so no symlink (absolute or "..") can make a mount or a
 *       created file land outside it.
 * MUST: read-only and nosuid/nodev are applied with one recursive
 *       mount_setattr() on the detached clone before it is attached: the tree
 *       never appears writable in the sandbox, and no mountinfo is read
 *       (cost is linear in the number of ops; PERFORMANCE.md).
 * MUST: every fd is O_CLOEXEC; every syscall's result is checked.
 */
#include "bind-mount.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static int sys_openat2(int dirfd, const char *path, struct open_how *how)
{
	return (int)syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
}

static int sys_open_tree(int dirfd, const char *path, unsigned flags)
{
	return (int)syscall(SYS_open_tree, dirfd, path, flags);
}

static int sys_move_mount(int from_fd, const char *from, int to_fd, const char *to, unsigned flags)
{
	return (int)syscall(SYS_move_mount, from_fd, from, to_fd, to, flags);
}

static int sys_mount_setattr(int fd, const char *path, unsigned flags, struct mount_attr *attr)
{
	return (int)syscall(SYS_mount_setattr, fd, path, flags, attr, sizeof(*attr));
}

static int sys_fsopen(const char *type, unsigned flags)
{
	return (int)syscall(SYS_fsopen, type, flags);
}

static int sys_fsconfig(int fd, unsigned cmd, const char *key, const void *value, int aux)
{
	return (int)syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}

static int sys_fsmount(int fd, unsigned flags, unsigned attrs)
{
	return (int)syscall(SYS_fsmount, fd, flags, attrs);
}

_Static_assert(BM_RDONLY == MOUNT_ATTR_RDONLY && BM_NOSUID == MOUNT_ATTR_NOSUID &&
		       BM_NODEV == MOUNT_ATTR_NODEV && BM_NOEXEC == MOUNT_ATTR_NOEXEC,
	       "BM_* must be the kernel's MOUNT_ATTR_*");

int bm_open_in_root(int root_fd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	/* "" means the root itself. */
	while (*path == '/')
		path++;
	return SBX_RETRY(sys_openat2(root_fd, *path ? path : ".", &how));
}

static int create_in_root(int root_fd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CREAT | O_CLOEXEC),
		.mode = mode,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	while (*path == '/')
		path++;
	return SBX_RETRY(sys_openat2(root_fd, path, &how));
}

int bm_create_in_root(int root_fd, const char *path, int flags, mode_t mode)
{
	_cleanup_close_ int parent_fd = -1;
	const char *base;
	int fd = create_in_root(root_fd, path, flags, mode);

	if (fd >= 0 || errno != ENOENT)
		return fd;
	parent_fd = bm_parent(root_fd, path, &base);
	if (parent_fd < 0)
		return -1;
	return create_in_root(root_fd, path, flags, mode);
}

int bm_mkdir_p(int root_fd, const char *path)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_close_ int cur = -1;
	char *p;
	int fd;

	/* Fast path: it is already there. */
	fd = bm_open_in_root(root_fd, path, O_PATH | O_DIRECTORY);
	if (fd >= 0 || errno != ENOENT)
		return fd;

	/* Walk down, resolving each prefix in the root and creating what is
	 * missing in the directory the previous prefix resolved to. */
	buf = xstrdup(path);
	cur = bm_open_in_root(root_fd, "", O_PATH | O_DIRECTORY);
	if (cur < 0)
		return -1;
	p = buf;
	while (*p) {
		char *comp, save;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		comp = p;
		while (*p && *p != '/')
			p++;
		save = *p;
		*p = '\0';
		fd = bm_open_in_root(root_fd, buf, O_PATH | O_DIRECTORY);
		if (fd < 0 && errno == ENOENT) {
			if (mkdirat(cur, comp, 0755) < 0 && errno != EEXIST)
				return -1;
			fd = bm_open_in_root(root_fd, buf, O_PATH | O_DIRECTORY);
		}
		if (fd < 0)
			return -1;
		close(cur);
		cur = fd;
		*p = save;
	}
	return sbx_steal_fd(&cur);
}

int bm_parent(int root_fd, const char *path, const char **base)
{
	_cleanup_free_ char *dir = xstrdup(path);
	char *slash;
	size_t len = strlen(dir);

	/* Drop trailing slashes, then split at the last one. */
	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
	slash = strrchr(dir, '/');
	*base = path + (slash ? slash - dir + 1 : 0);
	if (**base == '\0' || strcmp(*base, "/") == 0) {
		errno = EINVAL;
		return -1;
	}
	if (slash)
		slash[0] = '\0';
	else
		dir[0] = '\0';
	return bm_mkdir_p(root_fd, dir);
}

int bm_mount_point(int root_fd, const char *dest, bool dir)
{
	_cleanup_close_ int parent_fd = -1;
	const char *base;
	int fd;

	fd = bm_open_in_root(root_fd, dest, O_PATH);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	parent_fd = bm_parent(root_fd, dest, &base);
	if (parent_fd < 0)
		return -1;
	if (dir) {
		if (mkdirat(parent_fd, base, 0755) < 0 && errno != EEXIST)
			return -1;
	} else {
		/* O_PATH parents can't take openat(O_CREAT); mknodat can. */
		if (mknodat(parent_fd, base, S_IFREG | 0444, 0) < 0 && errno != EEXIST)
			return -1;
	}
	return bm_open_in_root(root_fd, dest, O_PATH);
}

static int attach(int mnt_fd, int target_fd)
{
	return sys_move_mount(mnt_fd, "", target_fd, "",
			      MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

int bm_setattr(int fd, unsigned attrs, bool recursive)
{
	struct mount_attr attr = { .attr_set = attrs };

	return sys_mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr);
}

int bm_bind(int src_fd, int target_fd, unsigned attrs, bool recursive)
{
	_cleanup_close_ int tree_fd =
		sys_open_tree(src_fd, "",
			      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
				      (recursive ? AT_RECURSIVE : 0));

	if (tree_fd < 0)
		return -1;
	if (attrs && bm_setattr(tree_fd, attrs, true) < 0)
		return -1;
	return attach(tree_fd, target_fd);
}

int bm_mount_fs(const char *type, const char *const *opts, unsigned attrs, int target_fd)
{
	_cleanup_close_ int fs_fd = sys_fsopen(type, FSOPEN_CLOEXEC);
	_cleanup_close_ int mnt_fd = -1;

	if (fs_fd < 0)
		return -1;
	/* The "source" /proc/self/mounts shows, as mount(8) would set it. */
	if (sys_fsconfig(fs_fd, FSCONFIG_SET_STRING, "source", type, 0) < 0)
		return -1;
	for (; opts && opts[0]; opts += 2) {
		int r = opts[1] ? sys_fsconfig(fs_fd, FSCONFIG_SET_STRING, opts[0], opts[1], 0)
				: sys_fsconfig(fs_fd, FSCONFIG_SET_FLAG, opts[0], NULL, 0);
		if (r < 0)
			return -1;
	}
	if (sys_fsconfig(fs_fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -1;
	mnt_fd = sys_fsmount(fs_fd, FSMOUNT_CLOEXEC, attrs);
	if (mnt_fd < 0)
		return -1;
	if (attach(mnt_fd, target_fd) < 0)
		return -1;
	return sbx_steal_fd(&mnt_fd);
}
