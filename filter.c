/* filter: load seccomp programs.
 *
 * MUST: run after no_new_privs and after every other setup step, so no
 *       program has to allow the setup's syscalls.
 * MUST: a program the kernel rejects is an error: the command never runs
 *       with less filtering than was asked for.
 */
#include "filter.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

bool filter_blob_valid(const struct sbx_blob *blob)
{
	return blob->len > 0 && blob->len % sizeof(struct sock_filter) == 0 &&
	       blob->len / sizeof(struct sock_filter) <= BPF_MAXINSNS;
}

const struct sbx_builtin_profile *filter_builtin(const char *name)
{
	for (size_t i = 0; i < sbx_n_builtin_profiles; i++)
		if (strcmp(sbx_builtin_profiles[i].name, name) == 0)
			return &sbx_builtin_profiles[i];
	return NULL;
}

int filter_apply(const struct sbx_plan *plan, struct sbx_err *err)
{
	for (size_t i = 0; i < plan->n_seccomp; i++) {
		const struct sbx_blob *blob = &plan->seccomp[i];
		struct sock_fprog prog = {
			.len = (unsigned short)(blob->len / sizeof(struct sock_filter)),
			.filter = (struct sock_filter *)(uintptr_t)blob->data,
		};
		long r;

		if (!filter_blob_valid(blob))
			return sbx_fail(err, "seccomp program %zu is not a BPF program", i + 1);
		/* prctl(PR_SET_SECCOMP), as bwrap: a caller's --add-seccomp-fd
		 * programs must allow only that to the ones loaded after them
		 * (bwrap's test-seccomp.py stacks an allowlist that way).
		 * seccomp(2) only for what prctl cannot say: the LOG flag. */
		if (plan->seccomp_log)
			r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG,
				    &prog);
		else
			r = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
		if (r < 0)
			return sbx_fail_errno(err, "can't load seccomp program %zu", i + 1);
	}
	return 0;
}
