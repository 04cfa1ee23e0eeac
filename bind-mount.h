/* bind-mount: the mount primitives (bind, new filesystem, set flags) on the
 * new mount API, and path resolution confined to a root directory fd.
 * Called by rootfs.c while it applies the plan's ops (step 3). */
#ifndef SBX_BIND_MOUNT_H
#define SBX_BIND_MOUNT_H

#include <stdbool.h>
#include <sys/types.h>

#include "util.h"

/* Mount attributes, as the kernel's MOUNT_ATTR_* (re-exported for callers). */
enum {
	BM_RDONLY = 0x1,
	BM_NOSUID = 0x2,
	BM_NODEV = 0x4,
	BM_NOEXEC = 0x8,
};

/* Open path inside root_fd, as if root_fd were "/": absolute symlinks and
 * ".." can never leave it (openat2 RESOLVE_IN_ROOT). Returns an fd (always
 * O_CLOEXEC) or -1 with errno set. */
int bm_open_in_root(int root_fd, const char *path, int flags);

/* Create (or open) the file at path inside root_fd with O_CREAT|flags and
 * mode, creating missing parent directories. fd or -1/errno. */
int bm_create_in_root(int root_fd, const char *path, int flags, mode_t mode);

/* Make sure every directory of path exists inside root_fd (mode 0755), and
 * return an O_PATH fd of the last one. -1/errno. */
int bm_mkdir_p(int root_fd, const char *path);

/* Open (creating if missing, with parents) the mount point for dest inside
 * root_fd: a directory if dir, else an empty file. O_PATH fd or -1/errno. */
int bm_mount_point(int root_fd, const char *dest, bool dir);

/* Split path into an O_PATH fd of its parent (created with bm_mkdir_p) and its
 * last component (pointer into path). -1/errno; EINVAL for "/". */
int bm_parent(int root_fd, const char *path, const char **base);

/* Clone the tree at src_fd (recursive), apply attrs to every mount of it,
 * and attach it on target_fd. Returns 0 or -1/errno. */
int bm_bind(int src_fd, int target_fd, unsigned attrs, bool recursive);

/* Create a filesystem of type with key=value options (NULL-terminated
 * list of pairs; value NULL for a flag), attach it on target_fd. Returns the
 * fd of the new mount (O_CLOEXEC) or -1/errno. */
int bm_mount_fs(const char *type, const char *const *opts, unsigned attrs, int target_fd);

/* Add attrs to the mount whose root is fd (and to its submounts if
 * recursive). EINVAL if fd is not the root of a mount. */
int bm_setattr(int fd, unsigned attrs, bool recursive);

#endif
