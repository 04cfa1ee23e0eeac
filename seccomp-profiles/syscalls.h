/* syscalls: what sbx knows of the kernel's syscall tables beyond
 * libseccomp: the syscalls newer than the libseccomp sbx is built with, the
 * last number the profiles were reviewed against, and i386's multiplexers.
 * Pure data: used by sbx-compile-profile and the unit tests. */
#ifndef SBX_SYSCALLS_H
#define SBX_SYSCALLS_H

#include <stddef.h>

/* The kernel whose syscall tables the groups and profiles were reviewed
 * against, and its last syscall on each ABI (arch/x86/entry/syscalls/
 * syscall_64.tbl and syscall_32.tbl of Linux 6.18: file_setattr, 469, on
 * both). A profile's "newer" action applies above these numbers. */
#define SBX_REVIEWED_KERNEL "6.18"
#define SBX_REVIEWED_LAST_X86_64 469
#define SBX_REVIEWED_LAST_I386 469

/* A syscall by name and number on each ABI (-1: not on that ABI). */
struct sbx_syscall {
	const char *name;
	int x86_64, i386;
};

/* Syscalls of Linux 6.18 that libseccomp 2.5.4 may not name (upstream
 * 2.5.4 stops at set_mempolicy_home_node, 450; Debian's adds up to
 * futex_requeue, 456). Where libseccomp knows one, its numbers must agree. */
extern const struct sbx_syscall sbx_newer_syscalls[];
extern const size_t sbx_n_newer_syscalls;

/* The entry in sbx_newer_syscalls, or NULL. */
const struct sbx_syscall *sbx_newer_syscall(const char *name);

/* i386 reaches these through a multiplexer whose arguments are in memory:
 * socketcall(2) (nr 102) with call numbers SYS_SOCKET..SYS_SENDMMSG, ipc(2)
 * (nr 117) with SEMOP..SHMCTL. libseccomp turns a rule for one of them into
 * a rule for the multiplexer with that call number, dropping the rule's
 * argument conditions. */
#define SBX_I386_SOCKETCALL 102
#define SBX_I386_IPC 117
struct sbx_mux_call {
	const char *name;
	int mux; /* SBX_I386_SOCKETCALL or SBX_I386_IPC */
	unsigned call;
};
/* The multiplexed call named name, or NULL. */
const struct sbx_mux_call *sbx_mux_call(const char *name);

#endif
