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

		if (!filter_blob_valid(blob))
			return sbx_fail(err, "seccomp program %zu is not a BPF program", i + 1);
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    plan->seccomp_log ? SECCOMP_FILTER_FLAG_LOG : 0, &prog) < 0)
			return sbx_fail_errno(err, "can't load seccomp program %zu", i + 1);
	}
	return 0;
}
