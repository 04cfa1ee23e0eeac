/* bench/mount-loop: ns per mount(2)+umount2(2) of a new tmpfs, and per bind
 * mount + umount, in a user and mount namespace of its own (the calls a
 * nested sandbox makes), with the calls counted by MOUNT_N. One line:
 *   tmpfs_ns N bind_ns N
 * Run by bench/nested inside sbx (the new mount answered by sbx's monitor,
 * the bind passed on by the filter) and inside bwrap (the kernel alone). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		fprintf(stderr, "mount-loop: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(void)
{
	const char *n_env = getenv("MOUNT_N");
	long n = n_env ? atol(n_env) : 1000;
	char map[64];
	unsigned uid = (unsigned)getuid(), gid = (unsigned)getgid();
	double t0, tmpfs, bind;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		perror("mount-loop: unshare");
		return 1;
	}
	snprintf(map, sizeof(map), "0 %u 1", uid);
	write_file("/proc/self/uid_map", map);
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", gid);
	write_file("/proc/self/gid_map", map);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/tmp", "tmpfs", 0, "size=64k") < 0 || mkdir("/tmp/m", 0700) < 0) {
		perror("mount-loop: setup");
		return 1;
	}
	t0 = now_ns();
	for (long i = 0; i < n; i++)
		if (mount("tmpfs", "/tmp/m", "tmpfs", MS_NOSUID | MS_NODEV, "size=4k") < 0 ||
		    umount2("/tmp/m", MNT_DETACH) < 0) {
			perror("mount-loop: tmpfs");
			return 1;
		}
	tmpfs = (now_ns() - t0) / (double)n;
	t0 = now_ns();
	for (long i = 0; i < n; i++)
		if (mount("/usr", "/tmp/m", NULL, MS_BIND, NULL) < 0 ||
		    umount2("/tmp/m", MNT_DETACH) < 0) {
			perror("mount-loop: bind");
			return 1;
		}
	bind = (now_ns() - t0) / (double)n;
	printf("tmpfs_ns %.0f bind_ns %.0f\n", tmpfs, bind);
	return 0;
}
