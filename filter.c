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

bool filter_blob_notifies(const struct sbx_blob *blob)
{
	const struct sock_filter *f = (const struct sock_filter *)(const void *)blob->data;

	for (size_t i = 0; filter_blob_valid(blob) && i < blob->len / sizeof(*f); i++)
		if (f[i].code == (BPF_RET | BPF_K) && f[i].k == SECCOMP_RET_USER_NOTIF)
			return true;
	return false;
}

bool filter_builtin_blob(const struct sbx_blob *blob)
{
	for (size_t i = 0; i < sbx_n_builtin_profiles; i++)
		if (blob->data == (const char *)sbx_builtin_profiles[i].blob)
			return true;
	return false;
}

/* A built-in program's user notifications answered EPERM instead: no
 * listener (or one in an ancestor's filter already, EBUSY). */
static const struct sock_filter *without_notify(const struct sbx_blob *blob)
{
	static struct sock_filter copy[BPF_MAXINSNS];
	size_t n = blob->len / sizeof(copy[0]);

	memcpy(copy, blob->data, blob->len);
	for (size_t i = 0; i < n; i++)
		if (copy[i].code == (BPF_RET | BPF_K) && copy[i].k == SECCOMP_RET_USER_NOTIF)
			copy[i].k = SECCOMP_RET_ERRNO | EPERM;
	return copy;
}

/* The supervised program, with a listener: 0 and *listener, or -1/errno
 * (EBUSY: a filter we run under has a listener already). The task waits
 * killably once the supervisor has the notification (Linux 5.19): a
 * signal then cannot restart a mount the supervisor has done. */
static int load_listening(struct sock_fprog *prog, bool log, int *listener)
{
	unsigned flags = SECCOMP_FILTER_FLAG_NEW_LISTENER | (log ? SECCOMP_FILTER_FLAG_LOG : 0);
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			 flags | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, prog);

	if (r < 0 && errno == EINVAL)
		r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
	if (r < 0)
		return -1;
	*listener = (int)r;
	return 0;
}

int filter_apply(const struct sbx_plan *plan, int *listener, struct sbx_err *err)
{
	*listener = -1;
	for (size_t i = 0; i < plan->n_seccomp; i++) {
		const struct sbx_blob *blob = &plan->seccomp[i];
		struct sock_fprog prog = {
			.len = (unsigned short)(blob->len / sizeof(struct sock_filter)),
			.filter = (struct sock_filter *)(uintptr_t)blob->data,
		};
		long r;

		if (!filter_blob_valid(blob))
			return sbx_fail(err, "seccomp program %zu is not a BPF program", i + 1);
		if (plan->seccomp_listen == i + 1) {
			if (load_listening(&prog, plan->seccomp_log, listener) == 0)
				continue;
			if (errno != EBUSY)
				return sbx_fail_errno(err, "can't load seccomp program %zu", i + 1);
		}
		if (plan->seccomp_listen == i + 1 || filter_builtin_blob(blob))
			prog.filter = (struct sock_filter *)without_notify(blob);
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
