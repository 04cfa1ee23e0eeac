/* userns: id maps and the diagnosis of a refused user namespace.
 *
 * MUST: an unprivileged caller maps exactly one uid and one gid, its own,
 *       and denies setgroups first (user_namespaces(7): required before an
 *       unprivileged gid_map write, and it stops dropping supplementary
 *       groups to reach files their ACLs deny).
 */
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

void userns_map_line(char *buf, size_t size, unsigned inside, unsigned outside)
{
	snprintf(buf, size, "%u %u 1\n", inside, outside);
}

int userns_write_maps(pid_t pid, const struct sbx_plan *plan, struct sbx_err *err)
{
	char path[64], line[64];
	_cleanup_close_ int dir_fd = -1;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	dir_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return sbx_fail_errno(err, "can't open %s", path);

	userns_map_line(line, sizeof(line), plan->sandbox_uid, plan->real_uid);
	if (write_file_at(dir_fd, "uid_map", line) < 0)
		return sbx_fail_errno(err, "can't write uid map '%.*s'", (int)strlen(line) - 1,
				      line);
	if (!plan->real_root && write_file_at(dir_fd, "setgroups", "deny\n") < 0 && errno != ENOENT)
		return sbx_fail_errno(err, "can't write setgroups");
	userns_map_line(line, sizeof(line), plan->sandbox_gid, plan->real_gid);
	if (write_file_at(dir_fd, "gid_map", line) < 0)
		return sbx_fail_errno(err, "can't write gid map '%.*s'", (int)strlen(line) - 1,
				      line);
	return 0;
}

static long read_sysctl(const char *path)
{
	char buf[32];

	if (read_file_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

void userns_explain_failure(int e, struct sbx_err *err)
{
	long max = read_sysctl("/proc/sys/user/max_user_namespaces");

	if (max == 0) {
		sbx_fail(err, "can't create a user namespace: they are disabled "
			      "(sysctl user.max_user_namespaces=0; set it above 0, or install sbx "
			      "setuid root)");
	} else if (e == ENOSPC) {
		sbx_fail(err,
			 "can't create a user namespace: the limit is reached "
			 "(user.max_user_namespaces=%ld, or the nesting depth of 32); "
			 "raise the sysctl or end other sandboxes",
			 max);
	} else if (read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1) {
		sbx_fail(err, "can't create a user namespace: AppArmor forbids it "
			      "(kernel.apparmor_restrict_unprivileged_userns=1); add an AppArmor "
			      "profile for sbx that allows 'userns', or set the sysctl to 0");
	} else if (read_sysctl("/proc/sys/kernel/unprivileged_userns_clone") == 0) {
		sbx_fail(err, "can't create a user namespace: unprivileged ones are disabled "
			      "(kernel.unprivileged_userns_clone=0); set it to 1");
	} else if (e == EPERM) {
		sbx_fail(err,
			 "can't create a user namespace: %s (if this runs in a container, "
			 "its seccomp profile or missing privileges forbid unshare/clone of "
			 "namespaces; allow them, or run sbx outside)",
			 strerror(e));
	} else if (e == EINVAL) {
		sbx_fail(err,
			 "can't create namespaces: %s (the kernel lacks one of the "
			 "namespace types asked for)",
			 strerror(e));
	} else {
		errno = e;
		sbx_fail_errno(err, "can't create namespaces");
	}
}
