/* rootfs: builds the sandbox's root (step 3): a tmpfs new root, the plan's
 * ops applied to it in order, then pivot_root into it. Runs in the child,
 * inside the new mount namespace, with the capabilities of its userns. */
#ifndef SBX_ROOTFS_H
#define SBX_ROOTFS_H

#include <stdbool.h>

#include "bind-mount.h"
#include "plan.h"
#include "util.h"

struct sbx_rootfs {
	int oldroot_fd;         /* the host's root, for bind sources */
	int newroot_fd;         /* the sandbox's root being built */
	const char *host_tty;   /* stdout's tty on the host, for --dev's console */
	const char *file_label; /* --file-label: the SELinux context of our tmpfs */
	bool in_userns;         /* the mount namespace belongs to a user namespace of ours */
	bool force_walk;        /* resolve by the userspace walk even with openat2 */
	unsigned n_data;        /* files and tmpfs made in the scratch root so far */
	struct bm_env bm;       /* what the kernel offers, for bind-mount.c */
};

/* Make mounts slave, pivot onto a scratch tmpfs holding /oldroot (the host)
 * and /newroot (the sandbox's root, a tmpfs). */
int rootfs_prepare(struct sbx_rootfs *rf, struct sbx_err *err);

/* Apply every op of the plan in order. */
int rootfs_apply(struct sbx_rootfs *rf, const struct sbx_plan *plan, struct sbx_err *err);

/* pivot_root into /newroot and detach everything else; closes the fds. */
int rootfs_enter(struct sbx_rootfs *rf, struct sbx_err *err);

#endif
