/* caps: capability set math and the final drop.
 *
 * MUST: after caps_apply() with keep == 0 the process has no capability in
 *       any set, bounding included, so an exec of a setuid-root or
 *       uid-0-in-userns program gains none; permitted_only caps stay only
 *       in the permitted set, which no exec carries over (they are in no
 *       bounding, inheritable or ambient set).
 * MUST: a failure to drop is an error, never ignored.
 */
#include "caps.h"

#include <cap-ng.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int caps_from_name(const char *name)
{
	int cap;

	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	if (*name == '\0')
		return -1;
	cap = capng_name_to_capability(name);
	return cap >= 0 && cap < 64 ? cap : -1;
}

uint64_t caps_compute(const struct sbx_plan *plan, uint64_t available)
{
	uint64_t keep = 0;

	for (size_t i = 0; i < plan->n_cap_ops; i++) {
		const struct sbx_cap_op *c = &plan->cap_ops[i];
		uint64_t bits = c->cap < 0 ? available : UINT64_C(1) << c->cap;

		if (c->add)
			keep |= bits;
		else
			keep &= ~bits;
	}
	return keep;
}

uint64_t caps_permitted(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return 0;
	return (uint64_t)data[1].permitted << 32 | data[0].permitted;
}

uint64_t caps_pid1_guard(uint64_t keep, uint64_t permitted)
{
	/* Capabilities that give nothing inside a user namespace and little
	 * outside one: the first that PID 1 holds and the command does not.
	 * Else any such capability (a caller whose bounding set lacks both,
	 * as in a container, or who keeps them with --cap-add): PID 1 never
	 * raises it and the command cannot make it. */
	const int inert[] = { CAP_WAKE_ALARM, CAP_BLOCK_SUSPEND };
	uint64_t left = permitted & ~keep;

	for (size_t i = 0; i < sizeof(inert) / sizeof(inert[0]); i++) {
		uint64_t bit = UINT64_C(1) << inert[i];

		if (left & bit)
			return bit;
	}
	return left & -left; /* the lowest, or 0 */
}

int caps_bset_prctl(int option, int cap)
{
	return prctl(option, (unsigned long)cap, 0, 0, 0);
}

int caps_drop_bounding(uint64_t keep, int (*bset)(int option, int cap), struct sbx_err *err)
{
	/* From 0 up until the kernel says EINVAL (cap_valid() fails):
	 * /proc/sys/kernel/cap_last_cap may be unreadable or covered, and the
	 * build's headers may be older than the kernel. A kept cap is only
	 * read, which is as valid as dropping it. */
	for (int cap = 0; cap <= 64; cap++) {
		bool kept = cap < 64 && (keep & (UINT64_C(1) << cap));

		if (bset(kept ? PR_CAPBSET_READ : PR_CAPBSET_DROP, cap) >= 0)
			continue;
		/* Every kernel sbx runs on (Linux 4.18 and later) has the caps
		 * up to CAP_AUDIT_READ: an EINVAL below is a refusal, not the
		 * end of the set. */
		if (errno != EINVAL || cap <= CAP_AUDIT_READ)
			return sbx_fail_errno(err, "can't drop capability %d from the bounding set",
					      cap);
		return cap - 1;
	}
	/* The set is 64 bits wide (capget(2)): a kernel with more would need
	 * an ABI sbx does not know. */
	return sbx_fail(err, "the kernel knows capabilities beyond 63: can't drop them all");
}

int caps_apply(uint64_t keep, uint64_t permitted_only, struct sbx_err *err)
{
	/* The bounding set and the ambient set by prctl, the rest with
	 * libcap-ng: asked for the bounding or ambient set, libcap-ng reads
	 * /proc/PID/status three times (~40 us of a 4 ms start). */
	int last_cap = caps_drop_bounding(keep, caps_bset_prctl, err);

	if (last_cap < 0)
		return -1;
	capng_clear(CAPNG_SELECT_CAPS);
	for (int cap = 0; cap < 64; cap++) {
		if (!(keep & (UINT64_C(1) << cap)))
			continue;
		if (cap > last_cap)
			return sbx_fail(err, "capability %d is unknown to this kernel", cap);
		if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_INHERITABLE,
				 (unsigned)cap) < 0)
			return sbx_fail(err, "can't keep capability %d", cap);
	}
	for (int cap = 0; cap <= last_cap; cap++)
		if ((permitted_only & ~keep & (UINT64_C(1) << cap)) &&
		    capng_update(CAPNG_ADD, CAPNG_PERMITTED, (unsigned)cap) < 0)
			return sbx_fail(err, "can't keep capability %d (permitted)", cap);
	if (capng_apply(CAPNG_SELECT_CAPS) != 0)
		return sbx_fail_errno(err, "can't drop capabilities");
	/* Ambient: cleared, then raised for what is kept (each must be in
	 * permitted and inheritable, which capng_apply just set). */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return sbx_fail_errno(err, "can't clear the ambient capabilities");
	for (int cap = 0; cap <= last_cap; cap++)
		if ((keep & (UINT64_C(1) << cap)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return sbx_fail_errno(err, "can't keep capability %d (ambient)", cap);
	return 0;
}
