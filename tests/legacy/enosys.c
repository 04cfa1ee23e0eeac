/* enosys: run a command as if on an older kernel. A seccomp filter (raw
 * BPF, inherited by every process the command starts) makes the syscalls
 * that kernel lacked fail with ENOSYS, exactly as a kernel without them
 * answers; everything else runs as usual.
 *
 *   enosys 4.18 COMMAND...   no openat2, new mount API, close_range, ...
 *   enosys 5.11 COMMAND...   no mount_setattr (openat2 and open_tree there)
 *
 * x86-64 only (the syscall numbers below); other arches are refused. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __x86_64__
#error "enosys knows x86-64 syscall numbers only"
#endif

static const int before_4_19[] = {
	SYS_openat2,    SYS_close_range, SYS_mount_setattr, SYS_open_tree,
	SYS_move_mount, SYS_fsopen,      SYS_fsconfig,      SYS_fsmount,
	SYS_fspick,     SYS_faccessat2,  SYS_pidfd_open,    SYS_clone3,
};
static const int before_5_12[] = { SYS_mount_setattr };

int main(int argc, char **argv)
{
	struct sock_filter prog[64];
	const int *nrs;
	size_t n, len = 0;

	if (argc < 3 || (strcmp(argv[1], "4.18") != 0 && strcmp(argv[1], "5.11") != 0)) {
		fprintf(stderr, "usage: enosys 4.18|5.11 COMMAND...\n");
		return 2;
	}
	nrs = argv[1][0] == '4' ? before_4_19 : before_5_12;
	n = argv[1][0] == '4' ? sizeof(before_4_19) / sizeof(int)
			      : sizeof(before_5_12) / sizeof(int);

	/* arch check, then one comparison per syscall: x32 numbers have bit 30
	 * set and never match, so they run as usual. */
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						   offsetof(struct seccomp_data, arch));
	prog[len++] =
		(struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						   offsetof(struct seccomp_data, nr));
	for (size_t i = 0; i < n; i++) {
		prog[len++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							   (unsigned)nrs[i], 0, 1);
		prog[len++] =
			(struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	}
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

	struct sock_fprog fprog = { .len = (unsigned short)len, .filter = prog };
	/* Without CAP_SYS_ADMIN a filter needs no_new_privs; root keeps the
	 * ability to run setuid programs (the test suites use setpriv). */
	if (geteuid() != 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		perror("enosys: PR_SET_NO_NEW_PRIVS");
		return 2;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) < 0) {
		perror("enosys: PR_SET_SECCOMP");
		return 2;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "enosys: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
