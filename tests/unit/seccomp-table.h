/* The expectations test-seccomp-bpf checks every built-in profile against,
 * written from the profile sources (the .profile files of seccomp-profiles/, surface.inc,
 * groups.list) as a reviewer reads them. One file per architecture, because
 * <asm/unistd_64.h> and <asm/unistd_32.h> define the same __NR_ names with
 * different numbers: seccomp-table-x86_64.c and seccomp-table-i386.c. */
#ifndef SBX_SECCOMP_TABLE_H
#define SBX_SECCOMP_TABLE_H

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

/* The 32-bit values a filter returns, as the rows spell them. */
#define ALLOW SECCOMP_RET_ALLOW
#define ERRNO(e) (SECCOMP_RET_ERRNO | (uint32_t)(e))
#define KILL SECCOMP_RET_KILL_PROCESS
#define NOTIFY SECCOMP_RET_USER_NOTIF

/* mount(2) flags (linux/mount.h), for the rows on mount by-flags. */
#define MS_RDONLY 0x1
#define MS_NOSUID 0x2
#define MS_NODEV 0x4
#define MS_NOEXEC 0x8
#define MS_REMOUNT 0x20
#define MS_BIND 0x1000
#define MS_MOVE 0x2000
#define MS_REC 0x4000
#define MS_UNBINDABLE 0x20000
#define MS_PRIVATE 0x40000
#define MS_SLAVE 0x80000
#define MS_SHARED 0x100000
#define MS_MGC_VAL 0xc0ed0000

/* The syscall number's x32 bit (arch/x86/include/uapi/asm/unistd.h). */
#define X32_BIT 0x40000000u

/* Terminal ioctls (asm-generic/ioctls.h). */
#define TCGETS 0x5401
#define TIOCSTI 0x5412
#define TIOCGWINSZ 0x5413
#define TIOCLINUX 0x541c
#define FIOCLEX 0x5451

/* personality(2) values (linux/personality.h). */
#define PER_LINUX 0x0000000
#define PER_LINUX32 0x0000008
#define UNAME26 0x0020000
#define ADDR_NO_RANDOMIZE 0x0040000
#define FDPIC_FUNCPTRS 0x0080000
#define MMAP_PAGE_ZERO 0x0100000
#define ADDR_COMPAT_LAYOUT 0x0200000
#define READ_IMPLIES_EXEC 0x0400000
#define ADDR_LIMIT_32BIT 0x0800000
#define SHORT_INODE 0x1000000
#define WHOLE_SECONDS 0x2000000
#define STICKY_TIMEOUTS 0x4000000
#define ADDR_LIMIT_3GB 0x8000000
#define HIGH 0xffffffff00000000ull /* bits the kernel does not read of an int */

#define AF_UNIX 1
#define AF_INET 2
#define AF_VSOCK 40

/* socketcall(2)'s calls (linux/net.h). */
#define SYS_SOCKET 1
#define SYS_CONNECT 3
#define SYS_SOCKETPAIR 8

/* clone/unshare flags (linux/sched.h). */
#define CLONE_NEWNS 0x00020000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWNET 0x40000000

/* One expectation: profile, arch, nr, args -> the filter's return value. */
struct sim_row {
	const char *profile;
	uint32_t arch;
	uint32_t nr;
	uint64_t args[6];
	uint32_t expect;
	const char *what; /* the row as written, for the failure message */
	int line;
};

/* A row's arguments: A(1, 0x5412) is arg0 = 1, arg1 = 0x5412, the rest 0. */
/* clang-format off */
#define A(...) { __VA_ARGS__ }
#define NOARGS { 0 }
#define ROW(profile, arch, nr, args, expect) \
	{ profile, arch, (uint32_t)(nr), args, expect, #nr " " #args " -> " #expect, __LINE__ }
/* clang-format on */

/* A group of groups.list as one architecture numbers it. */
struct sim_syscall {
	uint32_t nr;
	const char *name;
};
struct sim_group {
	const char *name; /* "@mount" */
	const struct sim_syscall *calls;
	size_t n;
};
/* clang-format off */
#define SYS(name) { __NR_##name, #name }
#define GROUP(name, list) { name, list, COUNT(list) }
/* clang-format on */

/* The syscalls a profile gives argument conditions on one architecture:
 * the only numbers whose action may depend on the arguments. */
struct sim_argcheck {
	const char *profile;
	uint32_t nr;
};

/* One architecture's part of the table. */
struct sim_arch_table {
	const char *name;
	uint32_t arch;
	const struct sim_row *rows;
	size_t n_rows;
	const struct sim_group *groups;
	size_t n_groups;
	/* The names of groups.list this architecture has no number for. */
	const char *const *absent;
	size_t n_absent;
	const struct sim_argcheck *argchecks;
	size_t n_argchecks;
	/* Syscalls that must be allowed under default with any arguments. */
	const struct sim_syscall *fast;
	size_t n_fast;
};

/* An architecture's table from the file's statics of these names: rows,
 * one list per group of groups.list, absent, argchecks, fast. */
#define SIM_ARCH_TABLE(label, audit_arch)                                               \
	{                                                                               \
		.name = label, .arch = audit_arch, .rows = rows, .n_rows = COUNT(rows), \
		.groups = groups, .n_groups = COUNT(groups), .absent = absent,          \
		.n_absent = COUNT(absent), .argchecks = argchecks,                      \
		.n_argchecks = COUNT(argchecks), .fast = fast, .n_fast = COUNT(fast),   \
	}
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SIM_GROUPS                                                                              \
	{                                                                                       \
		GROUP("@mount", mount_), GROUP("@umount", umount_),                             \
			GROUP("@mount-api", mount_api), GROUP("@module", module),               \
			GROUP("@reboot", reboot), GROUP("@swap", swap), GROUP("@clock", clock), \
			GROUP("@keyring", keyring), GROUP("@debug", debug),                     \
			GROUP("@raw-io", raw_io), GROUP("@cpu-emulation", cpu_emulation),       \
			GROUP("@io-uring", io_uring), GROUP("@obsolete", obsolete),             \
			GROUP("@privileged", privileged),                                       \
	}

extern const struct sim_arch_table sim_table_x86_64;
extern const struct sim_arch_table sim_table_i386;

#endif
