/* Unit tests for bind-mount.c's pure parts: the mountinfo reader the mount(2)
 * fallback relies on, and the option check. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bind-mount.h"

Test(mountinfo, reads_fields_and_unescapes)
{
	char text[] = "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
		      "40 22 0:40 / /tmp/a\\040b\\011c\\134d\\012e ro,nosuid - tmpfs x rw\n"
		      "41 40 0:41 / /x rw - tmpfs x rw";
	struct bm_mountinfo mi;
	size_t pos = 0;

	cr_assert_eq(bm_mountinfo_next(text, &pos, &mi), 1);
	cr_assert_eq(mi.id, 22);
	cr_assert_eq(mi.parent_id, 1);
	cr_assert_str_eq(mi.mount_point, "/proc");
	cr_assert_str_eq(mi.options, "rw,nosuid,nodev,noexec,relatime");
	cr_assert_eq(bm_mountinfo_next(text, &pos, &mi), 1);
	cr_assert_eq(mi.id, 40);
	cr_assert_str_eq(mi.mount_point, "/tmp/a b\tc\\d\ne");
	cr_assert_str_eq(mi.options, "ro,nosuid");
	cr_assert_eq(bm_mountinfo_next(text, &pos, &mi), 1, "the last line needs no newline");
	cr_assert_eq(mi.id, 41);
	cr_assert_eq(mi.parent_id, 40);
	cr_assert_eq(bm_mountinfo_next(text, &pos, &mi), 0);
	cr_assert_eq(bm_mountinfo_next(text, &pos, &mi), 0, "the end stays the end");
}

Test(mountinfo, malformed_lines_are_errors)
{
	const char *bad[] = {
		"x 1 0:1 / /a rw - t s o",           "1 y 0:1 / /a rw - t s o",  "1 2 0:1 /",
		"99999999999 1 0:1 / /a rw - t s o", "-1 1 0:1 / /a rw - t s o", " 1 1 0:1 / /a rw",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char buf[128];
		struct bm_mountinfo mi;
		size_t pos = 0;

		strcpy(buf, bad[i]);
		cr_assert_eq(bm_mountinfo_next(buf, &pos, &mi), -1, "accepted '%s'", bad[i]);
	}
}

Test(mountinfo, odd_escapes_are_kept_as_text)
{
	/* Only \ooo with a first digit 0-3 is an escape; the rest is text. */
	char text[] = "1 2 0:1 / /a\\9b\\4000\\12 rw - t s o\n";
	struct bm_mountinfo mi;
	size_t pos = 0;

	cr_assert_eq(bm_mountinfo_next(text, &pos, &mi), 1);
	cr_assert_str_eq(mi.mount_point, "/a\\9b\\4000\\12");
}

Test(options, each_attribute_is_a_whole_word)
{
	cr_assert(bm_options_have("ro,nosuid,nodev,relatime", BM_RDONLY | BM_NOSUID | BM_NODEV));
	cr_assert(bm_options_have("rw", 0));
	cr_assert_not(bm_options_have("rw,nosuid", BM_RDONLY));
	cr_assert_not(bm_options_have("rw,nosuid", BM_NODEV));
	cr_assert(bm_options_have("rw,noexec", BM_NOEXEC));
	/* "ro" must not match inside another word, nor "nodev" in "nodevx". */
	cr_assert_not(bm_options_have("rw,rootcontext=x", BM_RDONLY));
	cr_assert_not(bm_options_have("rw,nodevx", BM_NODEV));
	cr_assert(bm_options_have("nosuid,ro", BM_RDONLY | BM_NOSUID));
}

static void expect_opts(const char *const *got, const char *const *want)
{
	size_t i = 0;

	for (; want[i]; i += 2) {
		cr_assert_not_null(got[i], "option %zu missing (want %s)", i / 2, want[i]);
		cr_assert_str_eq(got[i], want[i]);
		cr_assert_str_eq(got[i + 1], want[i + 1]);
	}
	cr_assert_null(got[i], "an option more than expected: %s", got[i]);
}

/* --file-label labels every tmpfs sbx mounts, as bwrap's label_mount(). */
Test(tmpfs_opts, mode_size_and_label)
{
	struct bm_tmpfs_opts t;

	expect_opts(bm_tmpfs_opts(&t, 0755, 0, NULL), (const char *[]){ "mode", "0755", NULL });
	expect_opts(bm_tmpfs_opts(&t, 01777, 1048576, NULL),
		    (const char *[]){ "mode", "01777", "size", "1048576", NULL });
	expect_opts(bm_tmpfs_opts(&t, 0700, 0, "system_u:object_r:tmp_t:s0"),
		    (const char *[]){ "mode", "0700", "context", "system_u:object_r:tmp_t:s0",
				      NULL });
	expect_opts(bm_tmpfs_opts(&t, 0755, 4096, "u:r:t:s0:c1,c2"),
		    (const char *[]){ "mode", "0755", "size", "4096", "context", "u:r:t:s0:c1,c2",
				      NULL });
}

/* mount(2)'s data string: SELinux reads a quoted context= whole, so the
 * commas of a category list do not split it. */
Test(mount_data, pairs_flags_and_quoted_commas)
{
	struct bm_tmpfs_opts t;
	char *s;

	s = bm_mount_data(bm_tmpfs_opts(&t, 0755, 0, NULL));
	cr_assert_str_eq(s, "mode=0755");
	free(s);
	s = bm_mount_data(bm_tmpfs_opts(&t, 01777, 8192, "system_u:object_r:tmp_t:s0"));
	cr_assert_str_eq(s, "mode=01777,size=8192,context=system_u:object_r:tmp_t:s0");
	free(s);
	s = bm_mount_data(bm_tmpfs_opts(&t, 0755, 0, "u:r:t:s0:c1,c2"));
	cr_assert_str_eq(s, "mode=0755,context=\"u:r:t:s0:c1,c2\"");
	free(s);
	s = bm_mount_data((const char *[]){ "newinstance", NULL, "ptmxmode", "0666", NULL });
	cr_assert_str_eq(s, "newinstance,ptmxmode=0666");
	free(s);
	s = bm_mount_data(NULL);
	cr_assert_str_eq(s, "");
	free(s);
	errno = 0;
	cr_assert_null(bm_mount_data((const char *[]){ "context", "a\"b", NULL }));
	cr_assert_eq(errno, EINVAL);
}
