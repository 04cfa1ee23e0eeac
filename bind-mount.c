/* bind-mount: mount primitives on the new mount API, and on mount(2) where
 * the kernel predates it.
 *
 * MUST: every path inside the new root is resolved with RESOLVE_IN_ROOT from
 *       the root's fd (or the same walk done in userspace, one component at
 *       a time with O_NOFOLLOW), so no symlink (absolute or "..") can make a
 *       mount or a created file land outside it.
 * MUST: read-only and nosuid/nodev are applied to every mount of a tree
 *       before it is attached: the tree never appears writable in the
 *       sandbox. The new API does it with one recursive mount_setattr() on
 *       the detached clone and reads no mountinfo (cost linear in the number
 *       of ops; PERFORMANCE.md). The fallback builds the tree in a stage
 *       directory, remounts each of its mounts, and checks in mountinfo, by
 *       the mount tree and not by path, that every one has the flags before
 *       it moves the tree into place.
 * MUST: a read-only tree is private before it has the flags: the sandbox's
 *       mounts are slaves of the host's, and a mount propagated in later
 *       would carry the host's flags (writable, suid, devices).
 * MUST: every fd is O_CLOEXEC; every syscall's result is checked.
 */
#include "bind-mount.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
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

/* Symlinks followed in one lookup before ELOOP, as the kernel (MAXSYMLINKS). */
#define MAX_SYMLINKS 40
/* procfs's root directory inode (PROC_ROOT_INO in the kernel). */
#define PROC_ROOT_INO 1
/* statfs(2)'s flag for nosymfollow (Linux 5.10), which glibc's headers lack. */
#define ST_NOSYMFOLLOW_ 0x2000
/* Bound on /proc/self/mountinfo, read by the fallback (a mount is ~150 bytes). */
#define MOUNTINFO_MAX_BYTES (64u << 20)

void bm_probe(struct bm_env *env, const char *proc_self, const char *stage_dir,
	      const char *stage_file)
{
	/* Called with arguments every kernel that has them refuses (EINVAL,
	 * EBADF, EFAULT): only a kernel that lacks them says ENOSYS. */
	env->walk_in_userspace = syscall(SYS_openat2, -1, "", NULL, 0) < 0 && errno == ENOSYS;
	env->mount_legacy =
		(syscall(SYS_mount_setattr, -1, "", 0, NULL, 0) < 0 && errno == ENOSYS) ||
		(syscall(SYS_open_tree, -1, "", ~0U) < 0 && errno == ENOSYS) ||
		(syscall(SYS_move_mount, -1, "", -1, "", ~0U) < 0 && errno == ENOSYS) ||
		(syscall(SYS_fsopen, NULL, ~0U) < 0 && errno == ENOSYS);
	env->proc_self = proc_self;
	env->stage_dir = stage_dir;
	env->stage_file = stage_file;
}

/* The magic link that names fd (through env's procfs), for mount(2). */
static void fd_path(const struct bm_env *env, int fd, char *buf, size_t size)
{
	snprintf(buf, size, "%s/fd/%d", env->proc_self, fd);
}

/* --- path resolution --------------------------------------------------------- */

/* A directory stack for the userspace walk: ".." pops, never past the root. */
struct walk {
	int *fds;
	size_t n, cap;
};

static void walk_free(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		close(w->fds[i]);
	free(w->fds);
}

static void walk_push(struct walk *w, int fd)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->fds = xreallocarray(w->fds, w->cap, sizeof(int));
	}
	w->fds[w->n++] = fd;
}

static void walk_pop_to(struct walk *w, size_t n)
{
	while (w->n > n)
		close(w->fds[--w->n]);
}

/* A symlink that procfs resolves to an object rather than a path
 * (/proc/PID/fd/N, exe, cwd, root, ns/...): everything there but the plain
 * links in procfs's root ("self", "thread-self", "mounts", "net"). */
static bool is_magic_link(int dir_fd)
{
	struct statfs sfs;
	struct stat st;

	return fstatfs(dir_fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC &&
	       fstat(dir_fd, &st) == 0 && st.st_ino != PROC_ROOT_INO;
}

/* The last component, found: fd is its O_PATH, O_NOFOLLOW handle (owned
 * here). Hand it back as asked: O_PATH as is, anything else re-opened by
 * name and checked to be the same inode, so a swap in between is caught. */
static int walk_finish(int dir_fd, const char *name, int fd, const struct stat *st, int flags,
		       bool want_dir)
{
	_cleanup_close_ int path_fd = fd;
	struct stat now;
	int r;

	if ((want_dir || (flags & O_DIRECTORY)) && !S_ISDIR(st->st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	if (flags & O_PATH)
		return sbx_steal_fd(&path_fd);
	if ((flags & O_CREAT) && (flags & O_EXCL)) {
		errno = EEXIST;
		return -1;
	}
	r = SBX_RETRY(openat(dir_fd, name, (flags & ~O_CREAT) | O_NOFOLLOW | O_CLOEXEC));
	if (r >= 0 &&
	    (fstat(r, &now) < 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino)) {
		close(r);
		errno = EAGAIN;
		return -1;
	}
	return r;
}

/* openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) in userspace, for Linux
 * < 5.6. Each component is opened with O_NOFOLLOW from the directory the
 * walk is in; a symlink's target is spliced in front of the rest (from the
 * root if absolute); ".." pops the walk's own stack, so it never climbs out
 * of the root, whatever the directories' real parents are. */
static int walk_in_root(int root_fd, const char *path, int flags, mode_t mode)
{
	_cleanup_free_ char *rest = xstrdup(path);
	struct walk w = { 0 };
	unsigned links = 0;
	size_t off = 0;
	int r = -1, saved;

	walk_push(&w, SBX_RETRY(openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC)));
	if (w.fds[0] < 0)
		goto out;
	for (;;) {
		int top = w.fds[w.n - 1], fd;
		bool last, slash;
		char *name;
		struct stat st;
		size_t len;

		while (rest[off] == '/')
			off++;
		if (rest[off] == '\0') { /* "" or a trailing "/" or "..": the directory itself */
			fd = SBX_RETRY(openat(top, ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
			if (fd >= 0 && fstat(fd, &st) < 0) {
				close(fd);
				fd = -1;
			}
			if (fd >= 0)
				r = walk_finish(top, ".", fd, &st, flags & ~O_CREAT, true);
			goto out;
		}
		name = rest + off;
		len = strcspn(name, "/");
		slash = name[len] == '/';
		off += len;
		while (rest[off] == '/')
			off++;
		last = rest[off] == '\0';
		name[len] = '\0'; /* the rest starts at off, past it */
		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			walk_pop_to(&w, w.n > 1 ? w.n - 1 : 1);
			continue;
		}
		fd = SBX_RETRY(openat(top, name, O_PATH | O_NOFOLLOW | O_CLOEXEC));
		if (fd < 0) {
			if (errno == ENOENT && last && !slash && (flags & O_CREAT))
				r = SBX_RETRY(
					openat(top, name, flags | O_NOFOLLOW | O_CLOEXEC, mode));
			goto out;
		}
		if (fstat(fd, &st) < 0) {
			close(fd);
			goto out;
		}
		if (S_ISLNK(st.st_mode) && (!last || slash || !(flags & O_NOFOLLOW))) {
			char target[4096];
			ssize_t n;
			char *spliced;

			n = (++links > MAX_SYMLINKS || is_magic_link(top))
				    ? (errno = ELOOP, -1)
				    : readlinkat(fd, "", target, sizeof(target) - 1);
			close(fd);
			if (n < 0)
				goto out;
			target[n] = '\0';
			/* A trailing "/" the path had stays; none is added. */
			spliced = xasprintf("%s%s%s", target, slash ? "/" : "", rest + off);
			free(rest);
			rest = spliced;
			off = 0;
			if (target[0] == '/')
				walk_pop_to(&w, 1);
			continue;
		}
		if (last) {
			r = walk_finish(top, name, fd, &st, flags, slash);
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			close(fd);
			errno = ENOTDIR;
			goto out;
		}
		walk_push(&w, fd);
	}
out:
	saved = errno;
	walk_free(&w);
	errno = saved;
	return r;
}

static int open_in_root(const struct bm_env *env, int root_fd, const char *path, int flags,
			mode_t mode)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	/* "" means the root itself. */
	while (*path == '/')
		path++;
	if (env->walk_in_userspace)
		return walk_in_root(root_fd, path, flags, mode);
	return SBX_RETRY(sys_openat2(root_fd, *path ? path : ".", &how));
}

int bm_open_in_root(const struct bm_env *env, int root_fd, const char *path, int flags)
{
	return open_in_root(env, root_fd, path, flags & ~O_CREAT, 0);
}

int bm_create_in_root(const struct bm_env *env, int root_fd, const char *path, int flags,
		      mode_t mode, mode_t parent_mode)
{
	_cleanup_close_ int parent_fd = -1;
	const char *base;
	int fd = open_in_root(env, root_fd, path, flags | O_CREAT, mode);

	if (fd >= 0 || errno != ENOENT)
		return fd;
	parent_fd = bm_parent(env, root_fd, path, &base, parent_mode);
	if (parent_fd < 0)
		return -1;
	return open_in_root(env, root_fd, path, flags | O_CREAT, mode);
}

int bm_mkdir_p(const struct bm_env *env, int root_fd, const char *path, mode_t mode)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_close_ int cur = -1;
	char *p;
	int fd;

	/* Fast path: it is already there. */
	fd = bm_open_in_root(env, root_fd, path, O_PATH | O_DIRECTORY);
	if (fd >= 0 || errno != ENOENT)
		return fd;

	/* Walk down, resolving each prefix in the root and creating what is
	 * missing in the directory the previous prefix resolved to. */
	buf = xstrdup(path);
	cur = bm_open_in_root(env, root_fd, "", O_PATH | O_DIRECTORY);
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
		fd = bm_open_in_root(env, root_fd, buf, O_PATH | O_DIRECTORY);
		if (fd < 0 && errno == ENOENT) {
			if (mkdirat(cur, comp, mode) < 0 && errno != EEXIST)
				return -1;
			fd = bm_open_in_root(env, root_fd, buf, O_PATH | O_DIRECTORY);
		}
		if (fd < 0)
			return -1;
		close(cur);
		cur = fd;
		*p = save;
	}
	return sbx_steal_fd(&cur);
}

int bm_parent(const struct bm_env *env, int root_fd, const char *path, const char **base,
	      mode_t mode)
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
	return bm_mkdir_p(env, root_fd, dir, mode);
}

int bm_dest(const struct bm_env *env, int root_fd, const char *dest, enum bm_node want,
	    mode_t parent_mode, mode_t *type)
{
	_cleanup_free_ char *path = xstrdup(dest);
	_cleanup_close_ int parent_fd = -1, fd = -1;
	size_t len = strlen(path);
	const char *base;
	struct stat st;

	/* "dir/" would follow a symlink at dir (path resolution does, for a
	 * trailing slash): the name is what is looked at, not its target. */
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	fd = bm_open_in_root(env, root_fd, path, O_PATH | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT && want != BM_NODE_EXISTING) {
		parent_fd = bm_parent(env, root_fd, path, &base, parent_mode);
		if (parent_fd < 0)
			return -1;
		/* O_PATH parents can't take openat(O_CREAT); mknodat can. */
		if ((want == BM_NODE_DIR ? mkdirat(parent_fd, base, 0755)
					 : mknodat(parent_fd, base, S_IFREG | 0444, 0)) < 0 &&
		    errno != EEXIST)
			return -1;
		fd = bm_open_in_root(env, root_fd, path, O_PATH | O_NOFOLLOW);
	}
	if (fd < 0 || fstat(fd, &st) < 0)
		return -1;
	*type = st.st_mode & S_IFMT;
	return sbx_steal_fd(&fd);
}

/* --- mountinfo (pure) ----------------------------------------------------------- */

/* The kernel escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

static bool parse_mount_id(const char *s, int *out)
{
	long v = 0;

	if (*s == '\0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT32_MAX - 9) / 10)
			return false;
		v = v * 10 + (*s - '0');
	}
	*out = (int)v;
	return true;
}

int bm_mountinfo_next(char *text, size_t *pos, struct bm_mountinfo *out)
{
	char *line = text + *pos, *end, *field[6];
	size_t n = 0;

	if (*line == '\0')
		return 0;
	end = strchr(line, '\n');
	if (end) {
		*end = '\0';
		*pos += (size_t)(end - line) + 1;
	} else {
		*pos += strlen(line);
	}
	/* ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [optional...] - FS SOURCE SUPER */
	for (char *p = line; n < 6; n++) {
		field[n] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (n < 5 || !parse_mount_id(field[0], &out->id) ||
	    !parse_mount_id(field[1], &out->parent_id))
		return -1;
	unescape(field[4]);
	out->mount_point = field[4];
	out->options = field[5];
	return 1;
}

bool bm_options_have(const char *options, unsigned attrs)
{
	static const struct {
		unsigned attr;
		const char *name;
	} names[] = {
		{ BM_RDONLY, "ro" },
		{ BM_NOSUID, "nosuid" },
		{ BM_NODEV, "nodev" },
		{ BM_NOEXEC, "noexec" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t len = strlen(names[i].name);
		bool found = false;

		if (!(attrs & names[i].attr))
			continue;
		for (const char *p = options; p && !found;
		     p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
			found = strncmp(p, names[i].name, len) == 0 &&
				(p[len] == ',' || p[len] == '\0');
		if (!found)
			return false;
	}
	return true;
}

/* --- the mount(2) fallback -------------------------------------------------------- */

static unsigned long ms_flags(unsigned attrs)
{
	return ((attrs & BM_RDONLY) ? MS_RDONLY : 0) | ((attrs & BM_NOSUID) ? MS_NOSUID : 0) |
	       ((attrs & BM_NODEV) ? MS_NODEV : 0) | ((attrs & BM_NOEXEC) ? MS_NOEXEC : 0);
}

/* A bind remount must repeat the flags the mount has: in a user namespace
 * the kernel refuses to clear those locked by the mount's owner (EPERM). */
static unsigned long kept_flags(unsigned long st)
{
	static const unsigned long map[][2] = {
		{ ST_RDONLY, MS_RDONLY },
		{ ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC },
		{ ST_SYNCHRONOUS, MS_SYNCHRONOUS },
		{ ST_MANDLOCK, MS_MANDLOCK },
		{ ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
	};
	unsigned long flags = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (st & map[i][0])
			flags |= map[i][1];
	/* statvfs has no bit for strictatime: it is the absence of the others
	 * (a remount without one would mean relatime). */
	if (!(st & (ST_NOATIME | ST_RELATIME)))
		flags |= MS_STRICTATIME;
	if (st & ST_NOSYMFOLLOW_)
		flags |= MS_NOSYMFOLLOW;
	return flags;
}

/* Remount the mount whose root fd is, adding attrs. */
static int remount_fd(const struct bm_env *env, int fd, unsigned attrs)
{
	struct statvfs sv;
	char path[128];

	if (fstatvfs(fd, &sv) < 0)
		return -1;
	fd_path(env, fd, path, sizeof(path));
	return mount(NULL, path, NULL,
		     MS_REMOUNT | MS_BIND | MS_SILENT | kept_flags(sv.f_flag) | ms_flags(attrs),
		     NULL);
}

/* Whether the mount fd is on has every attribute of attrs (EAGAIN if not). */
static int check_fd(int fd, unsigned attrs)
{
	struct statvfs sv;
	unsigned have = 0;

	if (fstatvfs(fd, &sv) < 0)
		return -1;
	have |= (sv.f_flag & ST_RDONLY) ? BM_RDONLY : 0;
	have |= (sv.f_flag & ST_NOSUID) ? BM_NOSUID : 0;
	have |= (sv.f_flag & ST_NODEV) ? BM_NODEV : 0;
	have |= (sv.f_flag & ST_NOEXEC) ? BM_NOEXEC : 0;
	if ((have & attrs) != attrs) {
		errno = EAGAIN;
		return -1;
	}
	return 0;
}

/* Remount fd's mount (through its magic link, which names exactly that
 * mount) and check the flags took. */
static int remount_checked(const struct bm_env *env, int fd, unsigned attrs)
{
	if (remount_fd(env, fd, attrs) < 0)
		return -1;
	return check_fd(fd, attrs);
}

/* rel (a mount point below dir_fd, as mountinfo shows it) opened with no
 * symlink followed anywhere: a name the host renamed since cannot redirect
 * the remount to another mount. */
static int open_no_symlinks(int dir_fd, const char *rel)
{
	_cleanup_free_ char *buf = xstrdup(rel);
	int cur = SBX_RETRY(openat(dir_fd, ".", O_PATH | O_CLOEXEC));

	for (char *save = NULL, *name = strtok_r(buf, "/", &save); name && cur >= 0;
	     name = strtok_r(NULL, "/", &save)) {
		int next = strcmp(name, "..") == 0
				   ? (errno = EINVAL, -1)
				   : SBX_RETRY(openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC));
		struct stat st;

		if (next >= 0 && fstat(next, &st) == 0 && S_ISLNK(st.st_mode)) {
			close(next);
			next = -1;
			errno = ELOOP;
		}
		close(cur);
		cur = next;
	}
	return cur;
}

/* The mounts of the tree on stage (path): its top and every mount whose
 * parents lead to it, pointing into text. Returns the count, or -1/errno. */
static ssize_t stage_tree(const char *stage, char *text, struct bm_mountinfo **members)
{
	_cleanup_free_ struct bm_mountinfo *all = NULL;
	struct bm_mountinfo mi;
	size_t pos = 0, n = 0, all_n = 0;
	int r, top = -1;
	bool grew = true;

	while ((r = bm_mountinfo_next(text, &pos, &mi)) > 0) {
		all = xreallocarray(all, all_n + 1, sizeof(*all));
		all[all_n++] = mi;
		if (strcmp(mi.mount_point, stage) == 0)
			top = mi.id; /* the last one is on top */
	}
	if (r < 0 || top < 0) {
		errno = r < 0 ? EINVAL : ENOENT;
		return -1;
	}
	*members = xcalloc(all_n, sizeof(**members));
	/* The top, then whatever has a member as parent, to a fixpoint
	 * (mountinfo lists parents first, so one pass is the usual case). */
	while (grew) {
		grew = false;
		for (size_t i = 0; i < all_n; i++) {
			bool member = all[i].id == top, known = false;

			for (size_t j = 0; j < n && !member; j++)
				member = all[i].parent_id == (*members)[j].id;
			for (size_t j = 0; j < n && member && !known; j++)
				known = (*members)[j].id == all[i].id;
			if (member && !known) {
				(*members)[n++] = all[i];
				grew = true;
			}
		}
	}
	return (ssize_t)n;
}

/* Whether member i has another member mounted on its root, at the same
 * mount point: then nothing of it can be reached (mounts copied from a
 * more privileged namespace are locked together), and its path leads to
 * the one on top. */
static bool covered(const struct bm_mountinfo *m, ssize_t n, ssize_t i)
{
	for (ssize_t j = 0; j < n; j++)
		if (m[j].parent_id == m[i].id && strcmp(m[j].mount_point, m[i].mount_point) == 0)
			return true;
	return false;
}

/* Give every mount of the tree on stage attrs; stage_fd is its top's root.
 * Remount what lacks them, then read mountinfo again until every member
 * has them: the check goes by the mount tree, which no rename can fool. */
static int set_tree(const struct bm_env *env, int stage_fd, unsigned attrs)
{
	size_t stage_len = strlen(env->stage_dir);

	for (int round = 0; round < 3; round++) {
		_cleanup_free_ char *text = NULL;
		_cleanup_free_ struct bm_mountinfo *m = NULL;
		_cleanup_close_ int fd = -1;
		struct sbx_err err;
		char path[128];
		bool done = true;
		size_t len;
		ssize_t n;

		snprintf(path, sizeof(path), "%s/mountinfo", env->proc_self);
		fd = SBX_RETRY(open(path, O_RDONLY | O_CLOEXEC));
		if (fd < 0 || read_all_fd(fd, MOUNTINFO_MAX_BYTES, &text, &len, &err) < 0)
			return -1;
		n = stage_tree(env->stage_dir, text, &m);
		if (n < 0)
			return -1;
		/* The common case, a tree of one mount: its root is stage_fd,
		 * reached by no path, so its own flags are the check. */
		if (n == 1)
			return remount_checked(env, stage_fd, attrs);
		for (ssize_t i = 0; i < n; i++) {
			const char *rel = m[i].mount_point;
			_cleanup_close_ int mnt_fd = -1;

			if (bm_options_have(m[i].options, attrs) || covered(m, n, i))
				continue;
			done = false;
			/* Every member's path starts with the stage's (the tree is
			 * mounted there); anything else is a race, and fails. */
			if (strncmp(rel, env->stage_dir, stage_len) != 0 ||
			    (rel[stage_len] != '/' && rel[stage_len] != '\0')) {
				errno = EAGAIN;
				return -1;
			}
			mnt_fd = open_no_symlinks(stage_fd, rel + stage_len);
			if (mnt_fd < 0 || remount_fd(env, mnt_fd, attrs) < 0)
				return -1;
		}
		if (done)
			return 0;
	}
	errno = EAGAIN;
	return -1;
}

static int legacy_attach(const struct bm_env *env, const char *stage, int target_fd)
{
	char target[128];

	fd_path(env, target_fd, target, sizeof(target));
	return mount(stage, target, NULL, MS_MOVE | MS_SILENT, NULL);
}

static int legacy_bind(const struct bm_env *env, int src_fd, int target_fd, unsigned attrs,
		       bool recursive)
{
	_cleanup_close_ int stage_fd = -1;
	struct stat st;
	const char *stage;
	char src[128];
	int saved;

	if (fstat(src_fd, &st) < 0)
		return -1;
	stage = S_ISDIR(st.st_mode) ? env->stage_dir : env->stage_file;
	fd_path(env, src_fd, src, sizeof(src));
	if (mount(src, stage, NULL, MS_BIND | (recursive ? MS_REC : 0) | MS_SILENT, NULL) < 0)
		return -1;
	/* Private before the remounts (see setattr()): whatever propagated in
	 * before this is in the tree set_tree() then reads, nothing after. */
	if ((attrs & BM_RDONLY) &&
	    mount(NULL, stage, NULL, MS_PRIVATE | MS_REC | MS_SILENT, NULL) < 0)
		goto undo;
	stage_fd = SBX_RETRY(open(stage, O_PATH | O_NOFOLLOW | O_CLOEXEC));
	if (stage_fd < 0)
		goto undo;
	if (attrs && (S_ISDIR(st.st_mode) ? set_tree(env, stage_fd, attrs)
					  : remount_checked(env, stage_fd, attrs)) < 0)
		goto undo;
	if (legacy_attach(env, stage, target_fd) == 0)
		return 0;
undo:
	saved = errno;
	umount2(stage, MNT_DETACH);
	errno = saved;
	return -1;
}

const char *const *bm_tmpfs_opts(struct bm_tmpfs_opts *t, mode_t mode, uint64_t size,
				 const char *label)
{
	size_t n = 0;

	snprintf(t->mode, sizeof(t->mode), "0%o", (unsigned)mode);
	snprintf(t->size, sizeof(t->size), "%llu", (unsigned long long)size);
	t->kv[n++] = "mode";
	t->kv[n++] = t->mode;
	if (size) {
		t->kv[n++] = "size";
		t->kv[n++] = t->size;
	}
	/* SELinux takes context= for a tmpfs also in a user namespace (it is
	 * one of the filesystems selinux_set_mnt_opts() exempts). */
	if (label) {
		t->kv[n++] = "context";
		t->kv[n++] = label;
	}
	t->kv[n] = NULL;
	return t->kv;
}

char *bm_mount_data(const char *const *opts)
{
	_cleanup_free_ char *data = xstrdup("");

	for (; opts && opts[0]; opts += 2) {
		const char *v = opts[1], *q = v && strchr(v, ',') ? "\"" : "";
		char *more;

		if (v && strchr(v, '"')) {
			errno = EINVAL;
			return NULL;
		}
		more = xasprintf("%s%s%s%s%s%s%s", data, *data ? "," : "", opts[0], v ? "=" : "", q,
				 v ? v : "", q);
		free(data);
		data = more;
	}
	return sbx_steal_ptr(&data);
}

static int legacy_mount_fs(const struct bm_env *env, const char *type, const char *const *opts,
			   unsigned attrs, int target_fd)
{
	_cleanup_free_ char *data = bm_mount_data(opts);
	_cleanup_close_ int mnt_fd = -1;

	if (data == NULL)
		return -1;
	if (mount(type, env->stage_dir, type, ms_flags(attrs) | MS_SILENT, data) < 0)
		return -1;
	mnt_fd = SBX_RETRY(open(env->stage_dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	if (mnt_fd < 0 || legacy_attach(env, env->stage_dir, target_fd) < 0) {
		int saved = errno;

		umount2(env->stage_dir, MNT_DETACH);
		errno = saved;
		return -1;
	}
	return sbx_steal_fd(&mnt_fd);
}

/* --- the primitives ------------------------------------------------------------- */

static int attach(int mnt_fd, int target_fd)
{
	return sys_move_mount(mnt_fd, "", target_fd, "",
			      MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

/* A read-only tree is made private in the same call (which holds the
 * kernel's namespace lock: no mount can propagate in between the two). A
 * slave, as a clone of the sandbox's slave mounts is, would receive the
 * mounts the host makes under the source later, with the host's flags:
 * writable, with suid and devices. */
static int setattr(int fd, unsigned attrs, bool recursive, bool private_if_ro)
{
	struct mount_attr attr = {
		.attr_set = attrs,
		.propagation = (private_if_ro && (attrs & BM_RDONLY)) ? MS_PRIVATE : 0,
	};

	return sys_mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr);
}

int bm_setattr(const struct bm_env *env, int fd, unsigned attrs)
{
	if (!env->mount_legacy)
		return setattr(fd, attrs, false, false);
	return remount_checked(env, fd, attrs);
}

int bm_bind(const struct bm_env *env, int src_fd, int target_fd, unsigned attrs, bool recursive)
{
	_cleanup_close_ int tree_fd = -1;

	if (env->mount_legacy)
		return legacy_bind(env, src_fd, target_fd, attrs, recursive);
	tree_fd = sys_open_tree(src_fd, "",
				OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
					(recursive ? AT_RECURSIVE : 0));
	if (tree_fd < 0)
		return -1;
	if (!attrs)
		return attach(tree_fd, target_fd);
	if (setattr(tree_fd, attrs, true, true) == 0)
		return attach(tree_fd, target_fd);
	/* A kernel that will not change a detached tree's propagation: the
	 * flags first, then, attached, both again in one call, so that what
	 * propagated in meanwhile gets them too. */
	if (!(attrs & BM_RDONLY) || errno != EINVAL || setattr(tree_fd, attrs, true, false) < 0 ||
	    attach(tree_fd, target_fd) < 0)
		return -1;
	return setattr(tree_fd, attrs, true, true);
}

int bm_mount_fs(const struct bm_env *env, const char *type, const char *const *opts, unsigned attrs,
		int target_fd)
{
	_cleanup_close_ int fs_fd = -1;
	_cleanup_close_ int mnt_fd = -1;

	if (env->mount_legacy)
		return legacy_mount_fs(env, type, opts, attrs, target_fd);
	fs_fd = sys_fsopen(type, FSOPEN_CLOEXEC);
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
