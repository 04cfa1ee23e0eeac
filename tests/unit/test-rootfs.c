/* Unit tests for rootfs.c's error paths that fail before any mount: they run
 * against a scratch directory as "new root" and the real "/" as the old one,
 * with no namespace and no privilege. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rootfs.h"

static char scratch[] = "/tmp/sbx-test-rootfs.XXXXXX";

static void make_scratch(void)
{
	cr_assert_not_null(mkdtemp(scratch));
}

/* What the test made: its layer, the new root and the mount point. */
static void remove_scratch(void)
{
	const char *made[] = { "l1", "newroot/o", "newroot" };
	int fd = open(scratch, O_PATH | O_DIRECTORY | O_CLOEXEC);

	for (size_t i = 0; fd >= 0 && i < sizeof(made) / sizeof(made[0]); i++)
		unlinkat(fd, made[i], AT_REMOVEDIR);
	close(fd);
	rmdir(scratch);
}

/* A failing layer must not close an fd the overlay never opened: the
 * layer fd array once started as zeros, so the error path closed fd 0. */
Test(overlay, missing_layer_leaves_fd_0_open, .init = make_scratch, .fini = remove_scratch)
{
	char l1[64], missing[64], newroot[64];
	const char *layers[2] = { l1, missing };
	struct sbx_op op = {
		.kind = SBX_OP_OVERLAY,
		.dest = "/o",
		.overlay = SBX_OVERLAY_RO,
		.layers = layers,
		.n_layers = 2,
	};
	struct sbx_plan plan = { .ops = &op, .n_ops = 1 };
	struct sbx_rootfs rf = { .oldroot_fd = -1, .newroot_fd = -1 };
	struct sbx_err err = { { 0 } };
	int pipe_fds[2];

	snprintf(l1, sizeof(l1), "%s/l1", scratch);
	snprintf(missing, sizeof(missing), "%s/missing", scratch);
	snprintf(newroot, sizeof(newroot), "%s/newroot", scratch);
	cr_assert_eq(mkdir(l1, 0755), 0);
	cr_assert_eq(mkdir(newroot, 0755), 0);
	/* fd 0 is a pipe we hold the other end of: its fd must stay. */
	cr_assert_eq(pipe(pipe_fds), 0);
	cr_assert_geq(dup2(pipe_fds[0], 0), 0);
	rf.oldroot_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	rf.newroot_fd = open(newroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
	cr_assert(rf.oldroot_fd >= 0 && rf.newroot_fd >= 0);
	bm_probe(&rf.bm, "/proc/self", scratch, scratch);

	/* The top layer (the last given) is opened first and fails. */
	cr_assert_eq(rootfs_apply(&rf, &plan, &err), -1);
	cr_assert(strstr(err.msg, "can't open overlay layer") != NULL, "error: %s", err.msg);
	cr_assert_neq(fcntl(0, F_GETFD), -1, "fd 0 was closed by the overlay's error path");
	close(rf.oldroot_fd);
	close(rf.newroot_fd);
}
