/* bind-mount: the mount primitives (bind, new filesystem, set flags) on the
 * new mount API, with a mount(2) fallback for older kernels, and path
 * resolution confined to a root directory fd. Called by rootfs.c while it
 * applies the plan's ops (step 3). */
#ifndef SBX_BIND_MOUNT_H
#define SBX_BIND_MOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

/* Mount attributes, as the kernel's MOUNT_ATTR_* (re-exported for callers). */
enum {
	BM_RDONLY = 0x1,
	BM_NOSUID = 0x2,
	BM_NODEV = 0x4,
	BM_NOEXEC = 0x8,
};

/* What the kernel offers, probed once by bm_probe(), and the places the
 * mount(2) fallback works with. */
struct bm_env {
	bool walk_in_userspace; /* no openat2 (Linux < 5.6) */
	bool mount_legacy;      /* no mount_setattr/open_tree/fsopen (Linux < 5.12) */
	const char *proc_self;  /* a procfs's "self" directory, for magic links */
	const char *stage_dir;  /* an empty directory and an empty file that only */
	const char *stage_file; /* setup can reach: mounts are built there */
};

/* Fill env: probe the kernel's syscalls and keep the paths (which must stay
 * valid as long as env is used). */
void bm_probe(struct bm_env *env, const char *proc_self, const char *stage_dir,
	      const char *stage_file);

/* Open path inside root_fd, as if root_fd were "/": absolute symlinks and
 * ".." can never leave it (openat2 RESOLVE_IN_ROOT). Magic links
 * (/proc/PID/fd/N and the like) are refused with ELOOP. Returns an fd
 * (always O_CLOEXEC) or -1 with errno set. */
int bm_open_in_root(const struct bm_env *env, int root_fd, const char *path, int flags);

/* Create (or open) the file at path inside root_fd with O_CREAT|flags and
 * mode, creating missing parent directories with parent_mode. fd or
 * -1/errno. */
int bm_create_in_root(const struct bm_env *env, int root_fd, const char *path, int flags,
		      mode_t mode, mode_t parent_mode);

/* Make sure every directory of path exists inside root_fd (those missing
 * made with mode), and return an O_PATH fd of the last one. -1/errno. */
int bm_mkdir_p(const struct bm_env *env, int root_fd, const char *path, mode_t mode);

/* What bm_dest() makes when the destination is missing. */
enum bm_node {
	BM_NODE_EXISTING, /* nothing: it must exist */
	BM_NODE_DIR,      /* a directory, 0755 */
	BM_NODE_FILE,     /* an empty file, 0444 */
};

/* Open the destination dest inside root_fd without following its last
 * component (parents resolve as bm_open_in_root's do, created with
 * parent_mode when missing; trailing slashes are ignored), creating it as
 * want says if it is missing. *type is what it is (S_IFDIR, S_IFLNK, ...):
 * the caller refuses a symlink, never mounts through one. O_PATH fd or
 * -1/errno. */
int bm_dest(const struct bm_env *env, int root_fd, const char *dest, enum bm_node want,
	    mode_t parent_mode, mode_t *type);

/* Split path into an O_PATH fd of its parent (created with bm_mkdir_p and
 * mode) and its last component (pointer into path). -1/errno; EINVAL for
 * "/". */
int bm_parent(const struct bm_env *env, int root_fd, const char *path, const char **base,
	      mode_t mode);

/* Clone the tree at src_fd (recursive), apply attrs to every mount of it,
 * and attach it on target_fd. With BM_RDONLY the tree is also made private
 * (no later host mount reaches it); else it stays a slave of the host's.
 * Returns 0 or -1/errno. */
int bm_bind(const struct bm_env *env, int src_fd, int target_fd, unsigned attrs, bool recursive);

/* Create a filesystem of type with key=value options (NULL-terminated
 * list of pairs; value NULL for a flag), attach it on target_fd. Returns the
 * fd of the new mount's root (O_CLOEXEC) or -1/errno. */
int bm_mount_fs(const struct bm_env *env, const char *type, const char *const *opts, unsigned attrs,
		int target_fd);

/* The options of a tmpfs for bm_mount_fs(): mode, size unless 0, and with
 * a label (--file-label) the SELinux context of everything on it, as
 * bwrap's label_mount() gives. Points into t. */
struct bm_tmpfs_opts {
	char mode[16], size[32];
	const char *kv[7];
};
const char *const *bm_tmpfs_opts(struct bm_tmpfs_opts *t, mode_t mode, uint64_t size,
				 const char *label);

/* The data string mount(2) takes for opts (pairs as bm_mount_fs's):
 * "key=value,flag", a value with a comma in double quotes (an SELinux
 * context's categories, "s0:c1,c2": SELinux reads context="..." whole).
 * Heap string, or NULL with EINVAL for a value holding a quote. */
char *bm_mount_data(const char *const *opts);

/* Add attrs to the mount whose root is fd (not to its submounts). EINVAL
 * if fd is not the root of a mount. */
int bm_setattr(const struct bm_env *env, int fd, unsigned attrs);

/* One line of /proc/PID/mountinfo, split in place (pure; for the fallback). */
struct bm_mountinfo {
	int id, parent_id;
	char *mount_point; /* unescaped (\040 and the like) */
	char *options;     /* the mount's own: "ro,nosuid,…" */
};

/* Parse the next line of text at *pos (advancing it), writing NULs into
 * text. 1 with *out filled, 0 at the end, -1 on a malformed line. */
int bm_mountinfo_next(char *text, size_t *pos, struct bm_mountinfo *out);

/* Whether a mount's own option list has every attribute of attrs. */
bool bm_options_have(const char *options, unsigned attrs);

#endif
