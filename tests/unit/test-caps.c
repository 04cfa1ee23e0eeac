/* Unit tests for the pure parts of caps.c and userns.c. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>

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
		{ true, -1 },             /* ALL */
		{ false, CAP_SYS_ADMIN }, /* minus one */
		{ false, -1 },            /* then none */
		{ true, CAP_CHOWN },      /* then one */
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
	const uint64_t wake = UINT64_C(1) << CAP_WAKE_ALARM, block = UINT64_C(1)
								     << CAP_BLOCK_SUSPEND;
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

/* A stand-in kernel for caps_drop_bounding(): it knows caps 0..fake_last,
 * and records what was dropped and read. */
static int fake_last;
static int fake_errno_at = -1, fake_errno;
static uint64_t fake_dropped, fake_read;
static int fake_calls;

static int fake_bset(int option, int cap)
{
	fake_calls++;
	if (cap == fake_errno_at) {
		errno = fake_errno;
		return -1;
	}
	if (cap < 0 || cap > fake_last) {
		errno = EINVAL;
		return -1;
	}
	cr_assert(option == PR_CAPBSET_DROP || option == PR_CAPBSET_READ);
	if (cap >= 64) /* a kernel with more caps than a mask holds */
		return 0;
	if (option == PR_CAPBSET_DROP)
		fake_dropped |= UINT64_C(1) << cap;
	else
		fake_read |= UINT64_C(1) << cap;
	return option == PR_CAPBSET_READ;
}

static void fake_kernel(int last)
{
	fake_last = last;
	fake_errno_at = -1;
	fake_dropped = fake_read = 0;
	fake_calls = 0;
}

static uint64_t caps_upto(int last)
{
	return last == 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;
}

Test(caps, bounding_drop_goes_until_the_kernel_says_einval)
{
	struct sbx_err err;

	/* Kernels newer than the build's headers: every cap they know goes. */
	for (int last = CAP_LAST_CAP; last < 64; last++) {
		fake_kernel(last);
		cr_assert_eq(caps_drop_bounding(0, fake_bset, &err), last, "kernel last %d", last);
		cr_assert_eq(fake_dropped, caps_upto(last), "kernel last %d: dropped %#llx", last,
			     (unsigned long long)fake_dropped);
		cr_assert_eq(fake_calls, last + 2, "one EINVAL ends it");
	}
	/* An older kernel (Linux 4.18: CAP_AUDIT_READ last). */
	fake_kernel(CAP_AUDIT_READ);
	cr_assert_eq(caps_drop_bounding(0, fake_bset, &err), CAP_AUDIT_READ);
	cr_assert_eq(fake_dropped, caps_upto(CAP_AUDIT_READ));
}

Test(caps, bounding_drop_keeps_what_is_kept)
{
	const uint64_t keep = UINT64_C(1) << CAP_SYS_ADMIN | UINT64_C(1) << 45;
	struct sbx_err err;

	fake_kernel(50);
	cr_assert_eq(caps_drop_bounding(keep, fake_bset, &err), 50);
	cr_assert_eq(fake_dropped, caps_upto(50) & ~keep);
	cr_assert_eq(fake_read, keep, "a kept cap is read, not dropped");
	/* A kept cap the kernel does not know ends the set there: the caller
	 * (caps_apply) then refuses it. */
	fake_kernel(44);
	cr_assert_eq(caps_drop_bounding(keep, fake_bset, &err), 44);
	cr_assert_eq(fake_dropped, caps_upto(44) & ~keep);
}

Test(caps, bounding_drop_errors_are_fatal)
{
	struct sbx_err err;

	fake_kernel(40);
	fake_errno_at = 12;
	fake_errno = EPERM;
	cr_assert_eq(caps_drop_bounding(0, fake_bset, &err), -1);
	cr_assert_str_eq(err.msg, "can't drop capability 12 from the bounding set: "
				  "Operation not permitted");
	/* EINVAL where every supported kernel has a cap: a refusal. */
	fake_kernel(40);
	fake_errno_at = CAP_AUDIT_READ;
	fake_errno = EINVAL;
	cr_assert_eq(caps_drop_bounding(0, fake_bset, &err), -1);
	cr_assert_str_eq(err.msg, "can't drop capability 37 from the bounding set: "
				  "Invalid argument");
	/* A kernel that never says EINVAL: more than 64 caps, or a lie. */
	fake_kernel(64);
	cr_assert_eq(caps_drop_bounding(0, fake_bset, &err), -1);
	cr_assert_str_eq(err.msg, "the kernel knows capabilities beyond 63: can't drop them all");
}

/* --- /etc/subuid and /etc/subgid (userns_subid_parse) --------------------- */

static size_t subids(const char *text, const char *name, uint32_t id, struct sbx_subid **r,
		     size_t *bad)
{
	size_t n;

	cr_assert_eq(userns_subid_parse(text, strlen(text), name, id, r, &n, bad), 0);
	return n;
}

Test(subid, name_and_numeric_owner)
{
	struct sbx_subid *r;
	size_t bad, n;

	n = subids("alice:100000:65536\n1000:300000:10\nbob:200000:65536\n", "alice", 1000, &r,
		   &bad);
	cr_assert_eq(n, 2);
	cr_assert_eq(bad, 0);
	cr_assert_eq(r[0].start, 100000);
	cr_assert_eq(r[0].count, 65536);
	cr_assert_eq(r[1].start, 300000);
	cr_assert_eq(r[1].count, 10);
	free(r);
	/* no name: the numeric line only */
	n = subids("alice:100000:65536\n1000:300000:10\n", NULL, 1000, &r, &bad);
	cr_assert_eq(n, 1);
	cr_assert_eq(r[0].start, 300000);
	free(r);
}

Test(subid, others_lines_grant_nothing)
{
	struct sbx_subid *r;
	size_t bad;

	cr_assert_eq(subids("bob:200000:65536\nalicex:1:2\nalic:1:2\n10000:5:5\n", "alice", 1000,
			    &r, &bad),
		     0);
	cr_assert_null(r);
	cr_assert_eq(bad, 0);
}

Test(subid, comments_blank_lines_no_final_newline)
{
	struct sbx_subid *r;
	size_t bad;

	cr_assert_eq(subids("# alice:1:1\n\n   \n\t# x\nalice:5:6", "alice", 1, &r, &bad), 1);
	cr_assert_eq(r[0].start, 5);
	cr_assert_eq(r[0].count, 6);
	cr_assert_eq(bad, 0);
	free(r);
}

Test(subid, malformed_lines_are_skipped_and_counted)
{
	static const char *const bad_lines[] = {
		"alice:100000\n",       "alice:100000:65536:1\n",
		"alice::65536\n",       "alice:100000:\n",
		":100000:65536\n",      "alice:-1:65536\n",
		"alice:+1:65536\n",     "alice: 1:65536\n",
		"alice:1:65536 \n",     "alice:1:0\n",
		"alice:0x10:5\n",       "alice:4294967296:1\n",
		"alice:1:4294967296\n", "alice:4294967295:1\n",
		"alice:4294967290:6\n", "alice:99999999999999999999:1\n",
	};
	static const char nul[] = "alice:1:\0002\nalice:7:1\n";
	struct sbx_subid *r;
	size_t bad, i;

	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		cr_assert_eq(subids(bad_lines[i], "alice", 1, &r, &bad), 0, "%s", bad_lines[i]);
		cr_assert_eq(bad, 1, "%s", bad_lines[i]);
	}
	/* a NUL inside a line: that line is malformed, the next one counts */
	cr_assert_eq(userns_subid_parse(nul, sizeof(nul) - 1, "alice", 1, &r, &i, &bad), 0);
	cr_assert_eq(i, 1);
	cr_assert_eq(r[0].start, 7);
	cr_assert_eq(bad, 1);
	free(r);
}

Test(subid, counts_up_to_the_last_id)
{
	struct sbx_subid *r;
	size_t bad;

	/* 2^32 - 1 ids from 0: the last is 2^32 - 2; (uid_t)-1 is no id */
	cr_assert_eq(subids("alice:0:4294967295\n", "alice", 1, &r, &bad), 1);
	cr_assert_eq(r[0].count, 4294967295u);
	cr_assert(userns_subid_owns(r, 1, 4294967294u, 1));
	cr_assert_not(userns_subid_owns(r, 1, 4294967295u, 1));
	cr_assert_not(userns_subid_owns(r, 1, 4294967290u, 6));
	free(r);
}

Test(subid, owners_and_ranges_above_2_to_the_31)
{
	struct sbx_subid *r;
	size_t bad;

	cr_assert_eq(subids("3000000000:3000000001:1000\n", NULL, 3000000000u, &r, &bad), 1);
	cr_assert_eq(r[0].start, 3000000001u);
	cr_assert(userns_subid_owns(r, 1, 3000000001u, 1000));
	free(r);
	/* the signed reading of that uid is not its name */
	cr_assert_eq(subids("-1294967296:1:1\n2999999999:1:1\n", NULL, 3000000000u, &r, &bad), 0);
}

Test(subid, overlapping_and_adjacent_ranges_merge)
{
	struct sbx_subid *r;
	size_t bad, n;

	n = subids("alice:200:100\nalice:100:100\nalice:150:20\nalice:1000:5\nalice:250:100\n",
		   "alice", 1, &r, &bad);
	cr_assert_eq(n, 2);
	cr_assert_eq(r[0].start, 100);
	cr_assert_eq(r[0].count, 250); /* 100..349 */
	cr_assert_eq(r[1].start, 1000);
	cr_assert_eq(r[1].count, 5);
	cr_assert(userns_subid_owns(r, n, 100, 250));
	cr_assert(userns_subid_owns(r, n, 199, 2)); /* across a line boundary */
	cr_assert_not(userns_subid_owns(r, n, 300, 100));
	cr_assert_not(userns_subid_owns(r, n, 340, 700)); /* spans a gap */
	cr_assert_not(userns_subid_owns(r, n, 100, 0));
	cr_assert_not(userns_subid_owns(r, n, 99, 1));
	free(r);
}

/* --- --uid-map / --gid-map lines (userns_map_*) ---------------------------- */

Test(idmap, inside_of_outside_and_mapped_inside)
{
	const struct sbx_idmap m[] = { { 0, 1000, 1 }, { 1, 100000, 65535 } };

	cr_assert_eq(userns_map_inside(m, 2, 1000), 0);
	cr_assert_eq(userns_map_inside(m, 2, 100000), 1);
	cr_assert_eq(userns_map_inside(m, 2, 165534), 65535);
	cr_assert_eq(userns_map_inside(m, 2, 165535), -1);
	cr_assert_eq(userns_map_inside(m, 2, 999), -1);
	cr_assert(userns_map_has_inside(m, 2, 0));
	cr_assert(userns_map_has_inside(m, 2, 65535));
	cr_assert(!userns_map_has_inside(m, 2, 65536));
	/* the top of the id space, no wrap-around */
	const struct sbx_idmap top[] = { { 4294967294u, 4294967294u, 1 } };
	cr_assert_eq(userns_map_inside(top, 1, 4294967294u), 4294967294);
	cr_assert_eq(userns_map_inside(top, 1, 0), -1);
	cr_assert(!userns_map_has_inside(top, 1, 0));
}

Test(idmap, overlap)
{
	const struct sbx_idmap ok[] = { { 0, 1000, 1 }, { 1, 100000, 65535 }, { 65536, 0, 1 } };
	const struct sbx_idmap in[] = { { 0, 1000, 10 }, { 9, 5000, 1 } };
	const struct sbx_idmap out[] = { { 0, 1000, 10 }, { 100, 2000, 5 }, { 200, 1009, 1 } };
	const struct sbx_idmap adj[] = { { 0, 1000, 10 }, { 10, 1010, 10 } };
	const struct sbx_idmap big[] = { { 0, 0, 4294967295u }, { 5, 5, 1 } };

	cr_assert_eq(userns_map_overlap(ok, 3), 0);
	cr_assert_eq(userns_map_overlap(in, 2), 1);
	cr_assert_eq(userns_map_overlap(out, 3), 2);
	cr_assert_eq(userns_map_overlap(adj, 2), 0, "adjacent ranges do not overlap");
	cr_assert_eq(userns_map_overlap(big, 2), 1);
}

Test(idmap, text)
{
	const struct sbx_idmap m[] = { { 0, 1000, 1 }, { 1, 100000, 65535 } };
	char buf[64], tiny[12];

	cr_assert_eq(userns_map_text(m, 2, buf, sizeof(buf)), 24);
	cr_assert_str_eq(buf, "0 1000 1\n1 100000 65535\n");
	cr_assert_eq(userns_map_text(m, 2, tiny, sizeof(tiny)), -1,
		     "no room: an error, not a cut map");
}

Test(idmap, passwd_name)
{
	static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
				     "bad line\n"
				     "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
				     "u:x:1000:1000::/home/u:/bin/sh";
	char name[32], small[3];

	cr_assert(userns_passwd_name(passwd, strlen(passwd), 65534, name, sizeof(name)));
	cr_assert_str_eq(name, "nobody");
	cr_assert(userns_passwd_name(passwd, strlen(passwd), 1000, name, sizeof(name)),
		  "a last line without a newline");
	cr_assert_str_eq(name, "u");
	cr_assert(userns_passwd_name(passwd, strlen(passwd), 0, name, sizeof(name)));
	cr_assert_str_eq(name, "root");
	cr_assert(!userns_passwd_name(passwd, strlen(passwd), 1001, name, sizeof(name)));
	cr_assert(!userns_passwd_name(passwd, strlen(passwd), 65534, small, sizeof(small)),
		  "a name that does not fit is no name");
	cr_assert(!userns_passwd_name("x:y:10000000000:0::/:\n", 22, 1410065408u, name,
				      sizeof(name)),
		  "a uid past 32 bits is no match");
}

/* --- --auto-map: the registry and the slice (userns_claims_parse, ...) ----- */

Test(slice, claims_parse)
{
	const char text[] = "u 300001 65535 4026531836 1234 98765\n"
			    "g 300001 65535 4026531836 1234 98765\n"
			    "\n"
			    "x 1 1 1 1 1\n"                    /* no such kind */
			    "u 1 0 1 1 1\n"                    /* empty */
			    "u 4294967295 1 1 1 1\n"           /* past the last id */
			    "u 1 1 1 0 1\n"                    /* pid 0 */
			    "u 1 1 1 2147483648 1\n"           /* pid past 31 bits */
			    "u 1 1 1 1\n"                      /* a field short */
			    "u 1 1 1 1 1 1\n"                  /* a field more */
			    "u 1 1 1 1 18446744073709551616\n" /* past 64 bits */
			    "u 1 -1 1 1 1\n"
			    "g  7  8  9  10  11"; /* extra blanks; no final newline */
	struct sbx_claim *c;
	size_t n;

	cr_assert_eq(userns_claims_parse(text, strlen(text), &c, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(c[0].kind, 'u');
	cr_assert_eq(c[0].start, 300001);
	cr_assert_eq(c[0].count, 65535);
	cr_assert_eq(c[0].pidns, 4026531836u);
	cr_assert_eq(c[0].pid, 1234);
	cr_assert_eq(c[0].ptime, 98765);
	cr_assert_eq(c[1].kind, 'g');
	cr_assert_eq(c[2].start, 7);
	cr_assert_eq(c[2].ptime, 11);
	free(c);
	cr_assert_eq(userns_claims_parse("", 0, &c, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_null(c);
	const char nul[] = "u 1 1 1 1 1\0\n";
	cr_assert_eq(userns_claims_parse(nul, sizeof(nul) - 1, &c, &n), 0);
	cr_assert_eq(n, 0, "a NUL byte spoils its line");
}

Test(slice, stat_parse)
{
	const char plain[] = "1234 (sbx) S 1 1234 1234 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 "
			     "5678901 2000000 100 18446744073709551615\n";
	const char odd[] = "77 (a) b (c) Z 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 42 0 0\n";
	uint64_t t = 0;
	char st = 0;

	cr_assert(userns_stat_parse(plain, strlen(plain), &t, &st));
	cr_assert_eq(t, 5678901);
	cr_assert_eq(st, 'S');
	cr_assert(userns_stat_parse(odd, strlen(odd), &t, &st), "a name with ') ' in it");
	cr_assert_eq(t, 42);
	cr_assert_eq(st, 'Z');
	cr_assert(!userns_stat_parse("1 (x) S 1 2 3\n", 14, &t, &st), "too few fields");
	cr_assert(!userns_stat_parse("1 x S 1\n", 8, &t, &st), "no name");
	cr_assert(!userns_stat_parse("", 0, &t, &st));
}

Test(slice, fit_first_free)
{
	const struct sbx_subid owned[] = { { 100000, 65536 }, { 300000, 200000 } };
	const struct sbx_subid used[] = { { 300000, 65535 }, { 100000, 10 }, { 365535, 1 } };
	uint32_t at = 0;

	cr_assert(userns_slice_fit(owned, 2, NULL, 0, 65535, &at));
	cr_assert_eq(at, 100000);
	/* the first range has no room past its used head: the second, past
	 * both of its used ranges */
	cr_assert(userns_slice_fit(owned, 2, used, 3, 65535, &at));
	cr_assert_eq(at, 365536);
	cr_assert(userns_slice_fit(owned, 2, used, 3, 65526, &at), "what is left of the first");
	cr_assert_eq(at, 100010);
	cr_assert(!userns_slice_fit(owned, 2, used, 3, 200000, &at), "no range that large");
	cr_assert(!userns_slice_fit(owned, 2, NULL, 0, 0, &at));
	cr_assert(!userns_slice_fit(NULL, 0, NULL, 0, 1, &at));
	/* a range that ends at the last id */
	const struct sbx_subid top[] = { { 4294967294u - 99, 100 } };
	cr_assert(userns_slice_fit(top, 1, NULL, 0, 100, &at));
	cr_assert_eq(at, 4294967195u);
	const struct sbx_subid own[] = { { 4294967200u, 1 } };
	cr_assert(!userns_slice_fit(top, 1, own, 1, 100, &at));
	cr_assert(userns_slice_fit(top, 1, own, 1, 5, &at), "before the used id");
	cr_assert_eq(at, 4294967195u);
	cr_assert(userns_slice_fit(top, 1, own, 1, 94, &at), "after it, up to the last id");
	cr_assert_eq(at, 4294967201u);
	cr_assert(!userns_slice_fit(top, 1, own, 1, 95, &at));
}

Test(slice, map_lines)
{
	struct sbx_idmap m[3];

	cr_assert_eq(userns_slice_map(0, 1000, 300000, 65535, m), 2);
	cr_assert(m[0].inside == 0 && m[0].outside == 1000 && m[0].count == 1);
	cr_assert(m[1].inside == 1 && m[1].outside == 300000 && m[1].count == 65535);
	cr_assert_eq(userns_slice_map(1000, 1000, 300000, 65535, m), 3);
	cr_assert(m[0].inside == 0 && m[0].outside == 300000 && m[0].count == 1000);
	cr_assert(m[1].inside == 1000 && m[1].outside == 1000 && m[1].count == 1);
	cr_assert(m[2].inside == 1001 && m[2].outside == 301000 && m[2].count == 64535);
	cr_assert_eq(userns_slice_map(65535, 1000, 300000, 65535, m), 2);
	cr_assert(m[0].inside == 0 && m[0].outside == 300000 && m[0].count == 65535);
	cr_assert(m[1].inside == 65535 && m[1].outside == 1000 && m[1].count == 1);
	cr_assert_eq(userns_map_overlap(m, 2), 0);
}
