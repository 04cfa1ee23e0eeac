/* Unit tests for the pure parts of caps.c and userns.c. */
#include <criterion/criterion.h>
#include <linux/capability.h>

#include "caps.h"
#include "userns.h"

static uint64_t keep_of(const struct sbx_cap_op *ops, size_t n, uint64_t available)
{
	struct sbx_plan plan = { .cap_ops = (struct sbx_cap_op *)ops, .n_cap_ops = n };

	return caps_compute(&plan, available);
}

Test(caps, names)
{
	cr_assert_eq(caps_from_name("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
	cr_assert_eq(caps_from_name("cap_net_admin"), CAP_NET_ADMIN);
	cr_assert_eq(caps_from_name("chown"), CAP_CHOWN);
	cr_assert_eq(caps_from_name("CAP_"), -1);
	cr_assert_eq(caps_from_name("CAP_NOPE"), -1);
	cr_assert_eq(caps_from_name(""), -1);
}

Test(caps, nothing_is_kept_by_default)
{
	cr_assert_eq(keep_of(NULL, 0, UINT64_MAX), 0);
}

Test(caps, edits_apply_in_order)
{
	const struct sbx_cap_op ops[] = {
		{ true, -1 },		  /* ALL */
		{ false, CAP_SYS_ADMIN }, /* minus one */
		{ false, -1 },		  /* then none */
		{ true, CAP_CHOWN },	  /* then one */
	};
	uint64_t avail = (UINT64_C(1) << 41) - 1;

	cr_assert_eq(keep_of(ops, 1, avail), avail, "ALL is what is available");
	cr_assert_eq(keep_of(ops, 2, avail), avail & ~(UINT64_C(1) << CAP_SYS_ADMIN));
	cr_assert_eq(keep_of(ops, 3, avail), 0);
	cr_assert_eq(keep_of(ops, 4, avail), UINT64_C(1) << CAP_CHOWN);
}

Test(caps, a_named_cap_is_kept_even_if_unavailable)
{
	const struct sbx_cap_op ops[] = { { true, CAP_SYS_RESOURCE } };

	/* So that caps_apply() fails loudly instead of silently not keeping it. */
	cr_assert_eq(keep_of(ops, 1, 0), UINT64_C(1) << CAP_SYS_RESOURCE);
}

Test(caps, pid1_guard_is_a_cap_pid1_has_and_the_command_lacks)
{
	const uint64_t wake = UINT64_C(1) << CAP_WAKE_ALARM, block = UINT64_C(1) << CAP_BLOCK_SUSPEND;
	const uint64_t all = (UINT64_C(1) << 41) - 1;

	cr_assert_eq(caps_pid1_guard(0, all), wake);
	cr_assert_eq(caps_pid1_guard(wake, all), block, "the command keeps the first");
	cr_assert_eq(caps_pid1_guard(0, all & ~wake), block, "PID 1 lacks the first");
	cr_assert_eq(caps_pid1_guard(wake | block, all), UINT64_C(1) << CAP_CHOWN,
		     "else the lowest the command lacks");
	cr_assert_eq(caps_pid1_guard(0, UINT64_C(1) << CAP_SYS_ADMIN), UINT64_C(1) << CAP_SYS_ADMIN,
		     "a bounding set without the inert ones");
	cr_assert_eq(caps_pid1_guard(all, all), 0, "the command keeps them all");
	cr_assert_eq(caps_pid1_guard(0, 0), 0, "PID 1 has none");
}

Test(userns, map_line)
{
	char buf[64];

	userns_map_line(buf, sizeof(buf), 0, 1000);
	cr_assert_str_eq(buf, "0 1000 1\n");
	userns_map_line(buf, sizeof(buf), 4294967294u, 65534);
	cr_assert_str_eq(buf, "4294967294 65534 1\n");
}
