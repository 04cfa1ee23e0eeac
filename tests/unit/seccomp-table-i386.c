/* test-seccomp-bpf's expectations for the i386 entry (int 0x80 from any
 * process: AUDIT_ARCH_I386, numbers from <asm/unistd_32.h>). The same rows
 * as seccomp-table-x86_64.c where the profiles say the same, by i386
 * number; see that file for the row format.
 *
 * The kernel hands a 32-bit filter zero-extended 32-bit arguments, so high
 * bits cannot occur here; a few rows set them anyway, to show the filter
 * reads only the low words. i386 sockets also come through socketcall(2)
 * (102), whose arguments are in memory: its first argument is the call
 * (SYS_SOCKET = 1, SYS_CONNECT = 3, SYS_SOCKETPAIR = 8), the second a
 * pointer no filter can follow. */
#include <asm/unistd_32.h>

#include "seccomp-table.h"

#define I386 AUDIT_ARCH_I386

static const struct sim_row rows[] = {
	/* --- ioctl (54): TIOCSTI and TIOCLINUX refused (surface.inc) --- */
	ROW("default nested", I386, __NR_ioctl, A(1, TIOCSTI), ERRNO(EPERM)),
	ROW("default nested", I386, __NR_ioctl, A(1, TIOCLINUX), ERRNO(EPERM)),
	ROW("default nested", I386, __NR_ioctl, A(1, HIGH | TIOCSTI), ERRNO(EPERM)),
	ROW("default nested", I386, __NR_ioctl, A(1, TCGETS), ALLOW),
	ROW("default nested", I386, __NR_ioctl, A(1, TIOCGWINSZ), ALLOW),
	ROW("default nested", I386, __NR_ioctl, A(TIOCSTI, 0), ALLOW),
	ROW("none", I386, __NR_ioctl, A(1, TIOCSTI), ALLOW),

	/* --- personality (136): the six flags refused (surface.inc) --- */
	ROW("default nested", I386, __NR_personality, A(READ_IMPLIES_EXEC), ERRNO(EPERM)),
	ROW("default nested", I386, __NR_personality, A(MMAP_PAGE_ZERO), ERRNO(EPERM)),
	ROW("default nested", I386, __NR_personality, A(ADDR_COMPAT_LAYOUT), ERRNO(EPERM)),
	ROW("default nested", I386, __NR_personality, A(ADDR_LIMIT_32BIT), ERRNO(EPERM)),
	ROW("default nested", I386, __NR_personality, A(ADDR_LIMIT_3GB), ERRNO(EPERM)),
	ROW("default nested", I386, __NR_personality, A(UNAME26), ERRNO(EPERM)),
	ROW("default nested", I386, __NR_personality, A(HIGH | READ_IMPLIES_EXEC), ERRNO(EPERM)),
	ROW("default nested", I386, __NR_personality, A(0xffffffff), ERRNO(EPERM)),
	ROW("default nested", I386, __NR_personality, A(PER_LINUX), ALLOW),
	ROW("default nested", I386, __NR_personality, A(PER_LINUX32), ALLOW),
	ROW("default nested", I386, __NR_personality, A(ADDR_NO_RANDOMIZE), ALLOW),
	ROW("default nested", I386, __NR_personality, A(HIGH | PER_LINUX), ALLOW),
	ROW("none", I386, __NR_personality, A(READ_IMPLIES_EXEC), ALLOW),

	/* --- clone3 (435 on both ABIs) --- */
	ROW("default nested strict", I386, __NR_clone3, NOARGS, ERRNO(ENOSYS)),
	ROW("none", I386, __NR_clone3, NOARGS, ALLOW),

	/* --- clone (120) and unshare (310): flags not checked --- */
	ROW("default nested strict none", I386, __NR_clone, A(CLONE_NEWUSER | CLONE_NEWNS), ALLOW),
	ROW("default nested none", I386, __NR_unshare, A(CLONE_NEWUSER), ALLOW),
	ROW("strict", I386, __NR_unshare, A(CLONE_NEWUSER), ERRNO(ENOSYS)),

	/* --- sockets: socket (359) and socketpair (360) are refused the
	 * families x86-64 is; socketcall's SYS_SOCKET and SYS_SOCKETPAIR, whose
	 * family is in memory, answer ENOSYS; its other calls pass --- */
	ROW("default nested none", I386, __NR_socket, A(AF_UNIX, 1, 0), ALLOW),
	ROW("default nested none", I386, __NR_socket, A(AF_INET, 1, 0), ALLOW),
	ROW("default nested", I386, __NR_socket, A(AF_VSOCK, 1, 0), ERRNO(EAFNOSUPPORT)),
	ROW("default nested", I386, __NR_socketpair, A(AF_VSOCK, 1, 0), ERRNO(EAFNOSUPPORT)),
	ROW("default nested", I386, __NR_socket, A(46, 1, 0), ERRNO(EAFNOSUPPORT)),
	ROW("none", I386, __NR_socket, A(AF_VSOCK, 1, 0), ALLOW),
	ROW("default nested none", I386, __NR_socket, A(16, 3, 0), ALLOW), /* NETLINK_ROUTE */
	ROW("default nested", I386, __NR_socket, A(16, 3, 12), ERRNO(EPROTONOSUPPORT)),
	ROW("default nested", I386, __NR_socket, A(16, 3, 6), ERRNO(EPROTONOSUPPORT)),
	ROW("default nested", I386, __NR_socketcall, A(SYS_SOCKET, 0x1000), ERRNO(ENOSYS)),
	ROW("default nested", I386, __NR_socketcall, A(SYS_SOCKETPAIR, 0x1000), ERRNO(ENOSYS)),
	ROW("default nested", I386, __NR_socketcall, A(HIGH | SYS_SOCKET, 0x1000), ERRNO(ENOSYS)),
	ROW("default nested none", I386, __NR_socketcall, A(SYS_CONNECT, 0x1000), ALLOW),
	ROW("default nested none", I386, __NR_socketcall, A(20, 0x1000), ALLOW), /* SYS_SENDMMSG */
	ROW("none", I386, __NR_socketcall, A(SYS_SOCKET, 0x1000), ALLOW),
	/* strict: socket(AF_UNIX) only by the direct call. The calls strict
	 * allows without condition pass through socketcall too. */
	ROW("strict", I386, __NR_socket, A(AF_UNIX, 1, 0), ALLOW),
	ROW("strict", I386, __NR_socket, A(AF_INET, 1, 0), ERRNO(ENOSYS)),
	ROW("strict", I386, __NR_socket, A(AF_VSOCK, 1, 0), ERRNO(ENOSYS)),
	/* socketcall(SYS_SOCKET) hides the family in memory; libseccomp 2.5.4
	 * turned "allow socket if arg0 == 1" into "allow socketcall if call ==
	 * SYS_SOCKET", any family, so sbx-compile-profile answers ENOSYS for a
	 * socketcall whose direct syscall has conditions */
	ROW("strict", I386, __NR_socketcall, A(SYS_SOCKET, 0x1000), ERRNO(ENOSYS)),
	ROW("strict", I386, __NR_socketcall, A(SYS_CONNECT, 0x1000), ALLOW),
	ROW("strict", I386, __NR_socketcall, A(SYS_SOCKETPAIR, 0x1000), ALLOW),
	ROW("strict", I386, __NR_socketcall, A(20, 0x1000), ERRNO(ENOSYS)), /* SYS_SENDMMSG */

	/* --- a few of the groups, for the integration test to mirror --- */
	/* default: no mount(2) for 32-bit programs, whatever the flags */
	ROW("default strict", I386, __NR_mount, A(1, 1, 1), ERRNO(EPERM)),
	ROW("default strict", I386, __NR_mount, A(1, 1, 1, 0x1000), ERRNO(EPERM)), /* MS_BIND */
	ROW("default nested none", I386, __NR_umount, NOARGS, ALLOW),
	ROW("strict", I386, __NR_umount, NOARGS, ERRNO(EPERM)),
	ROW("default", I386, __NR_fsopen, NOARGS, ERRNO(ENOSYS)),
	ROW("nested none", I386, __NR_mount, A(1, 1, 1), ALLOW),
	ROW("default nested strict", I386, __NR_keyctl, NOARGS, ERRNO(EPERM)),
	ROW("default nested", I386, __NR_vm86, NOARGS, ERRNO(EPERM)), /* i386 only */
	ROW("default nested", I386, __NR_stime, NOARGS, ERRNO(EPERM)),
	ROW("default nested none", I386, __NR_mlockall, A(1), ALLOW),

	/* --- numbers past the headers and future ones (see x86-64) --- */
	ROW("default nested none", I386, 451, NOARGS, ALLOW), /* cachestat */
	ROW("default", I386, 467, NOARGS, ERRNO(ENOSYS)),     /* open_tree_attr: @mount-api */
	ROW("strict", I386, 467, NOARGS, ERRNO(EPERM)),
	ROW("nested none", I386, 467, NOARGS, ALLOW),
	ROW("default nested none", I386, 469, NOARGS, ALLOW), /* file_setattr */
	ROW("default nested", I386, 470, NOARGS, ERRNO(ENOSYS)),
	ROW("default nested", I386, 1000, NOARGS, ERRNO(ENOSYS)),
	/* no x32 bit on i386: just a number above the table */
	ROW("default nested", I386, X32_BIT | 3, NOARGS, ERRNO(ENOSYS)),
	ROW("none", I386, 470, NOARGS, ALLOW),
	ROW("none", I386, X32_BIT | 3, NOARGS, ALLOW),
	ROW("strict", I386, 470, NOARGS, ERRNO(ENOSYS)),
	ROW("strict", I386, 1000, NOARGS, ERRNO(ENOSYS)),

	/* --- strict: a sample by i386 number --- */
	ROW("strict", I386, __NR_read, A(0, 0, 4096), ALLOW),
	ROW("strict", I386, __NR_write, NOARGS, ALLOW),
	ROW("strict", I386, __NR_mmap2, NOARGS, ALLOW),
	ROW("strict", I386, __NR__llseek, NOARGS, ALLOW),
	ROW("strict", I386, __NR_fcntl64, NOARGS, ALLOW),
	ROW("strict", I386, __NR_fstat64, NOARGS, ALLOW),
	ROW("strict", I386, __NR_ugetrlimit, NOARGS, ALLOW),
	ROW("strict", I386, __NR_exit_group, NOARGS, ALLOW),
	ROW("strict", I386, __NR_ioctl, A(1, TCGETS), ALLOW),
	ROW("strict", I386, __NR_ioctl, A(1, TIOCSTI), ERRNO(ENOSYS)),
	ROW("strict", I386, __NR_personality, A(PER_LINUX32), ALLOW),
	ROW("strict", I386, __NR_personality, A(READ_IMPLIES_EXEC), ERRNO(ENOSYS)),
	ROW("strict", I386, __NR_ptrace, NOARGS, ERRNO(ENOSYS)),
	ROW("strict", I386, __NR_vm86, NOARGS, ERRNO(ENOSYS)), /* @cpu-emulation: not EPERM */
	ROW("strict", I386, __NR_bpf, NOARGS, ERRNO(EPERM)),

	/* --- none --- */
	ROW("none", I386, __NR_read, NOARGS, ALLOW),
	ROW("none", I386, __NR_mount, NOARGS, ALLOW),
	ROW("none", I386, __NR_kexec_load, NOARGS, ALLOW),
};

/* groups.list by i386 number. */
static const struct sim_syscall mount_[] = { SYS(mount) };
static const struct sim_syscall umount_[] = { SYS(umount), SYS(umount2), SYS(pivot_root) };
static const struct sim_syscall mount_api[] = {
	SYS(open_tree), SYS(move_mount), SYS(fsopen),        SYS(fsmount),
	SYS(fsconfig),  SYS(fspick),     SYS(mount_setattr), { 467, "open_tree_attr" },
};
static const struct sim_syscall module[] = {
	SYS(init_module),   SYS(finit_module), SYS(delete_module),
	SYS(create_module), SYS(query_module), SYS(get_kernel_syms),
};
static const struct sim_syscall reboot[] = { SYS(reboot), SYS(kexec_load) };
static const struct sim_syscall swap[] = { SYS(swapon), SYS(swapoff) };
static const struct sim_syscall clock[] = {
	SYS(settimeofday),    SYS(clock_settime), SYS(clock_settime64), SYS(clock_adjtime),
	SYS(clock_adjtime64), SYS(adjtimex),      SYS(stime),
};
static const struct sim_syscall keyring[] = { SYS(add_key), SYS(request_key), SYS(keyctl) };
static const struct sim_syscall debug[] = { SYS(perf_event_open), SYS(lookup_dcookie) };
static const struct sim_syscall raw_io[] = { SYS(ioperm), SYS(iopl) };
static const struct sim_syscall cpu_emulation[] = { SYS(vm86), SYS(vm86old), SYS(modify_ldt) };
static const struct sim_syscall io_uring[] = { SYS(io_uring_setup), SYS(io_uring_enter),
					       SYS(io_uring_register) };
static const struct sim_syscall obsolete[] = {
	SYS(uselib),  SYS(nfsservctl), SYS(afs_syscall), SYS(getpmsg), SYS(putpmsg),
	SYS(vserver), SYS(sysfs),      SYS(_sysctl),     SYS(ustat),   SYS(bdflush),
};
static const struct sim_syscall privileged[] = {
	SYS(acct), SYS(quotactl),    SYS(quotactl_fd),       SYS(syslog),
	SYS(bpf),  SYS(userfaultfd), SYS(open_by_handle_at), SYS(name_to_handle_at),
};
static const struct sim_group groups[] = SIM_GROUPS;
/* Names of groups.list that i386 does not have. */
static const char *const absent[] = { "kexec_file_load", "security", "tuxcall" };

static const struct sim_argcheck argchecks[] = {
	{ "default", __NR_ioctl },      { "default", __NR_personality }, /* surface.inc */
	{ "default", __NR_socket },     { "default", __NR_socketpair },
	{ "default", __NR_socketcall }, /* SYS_SOCKET, SYS_SOCKETPAIR: ENOSYS */
	{ "nested", __NR_ioctl },       { "nested", __NR_personality },
	{ "nested", __NR_socket },      { "nested", __NR_socketpair },
	{ "nested", __NR_socketcall },  { "strict", __NR_ioctl },
	{ "strict", __NR_personality }, { "strict", __NR_socket },
	{ "strict", __NR_socketcall }, /* socket and the calls it allows */
};

static const struct sim_syscall fast[] = {
	SYS(read),
	SYS(write),
	SYS(close),
	SYS(exit_group),
	SYS(exit),
	SYS(futex),
	SYS(futex_time64),
	SYS(mmap2),
	SYS(munmap),
	SYS(mprotect),
	SYS(brk),
	SYS(rt_sigaction),
	SYS(rt_sigprocmask),
	SYS(sigreturn),
	SYS(rt_sigreturn),
	SYS(openat),
	SYS(fstat64),
	SYS(statx),
	SYS(_llseek),
	SYS(fcntl64),
	SYS(getpid),
	SYS(clock_gettime),
	SYS(clock_gettime64),
	SYS(clock_nanosleep_time64),
	SYS(poll),
	SYS(ppoll_time64),
	SYS(clone),
	SYS(execve),
	SYS(wait4),
	SYS(getrandom),
	SYS(set_thread_area),
};

const struct sim_arch_table sim_table_i386 = SIM_ARCH_TABLE("i386", I386);
