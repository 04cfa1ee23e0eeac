/* test-seccomp-bpf's expectations for the x86-64 entry (AUDIT_ARCH_X86_64,
 * numbers from <asm/unistd_64.h>), x32 and foreign architectures. Written
 * from the profile sources; one row per line:
 *
 *   ROW(PROFILES, ARCH, NR, ARGS, EXPECTED)
 *
 * PROFILES is one or more built-in profile names ("default nested"), ARGS
 * A(arg0, arg1, ...) or NOARGS, EXPECTED ALLOW, ERRNO(E) or KILL.
 * Numbers newer than the headers (Linux 6.1: up to 450) are literals named
 * in a comment. */
#include <asm/unistd_64.h>

#include "seccomp-table.h"

#define X64 AUDIT_ARCH_X86_64

static const struct sim_row rows[] = {
	/* --- ioctl: TIOCSTI and TIOCLINUX refused on the low 32 bits (surface.inc) --- */
	ROW("default nested", X64, __NR_ioctl, A(1, TIOCSTI), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_ioctl, A(1, TIOCLINUX), ERRNO(EPERM)),
	/* high bits set: the kernel reads the low 32 (flatpak's CVE-2019-10063) */
	ROW("default nested", X64, __NR_ioctl, A(1, HIGH | TIOCSTI), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_ioctl, A(1, 0x100000000 | TIOCSTI), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_ioctl, A(1, 0x8000000000000000 | TIOCSTI), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_ioctl, A(1, HIGH | TIOCLINUX), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_ioctl, A(~0ull, TIOCSTI, ~0ull, ~0ull, ~0ull, ~0ull),
	    ERRNO(EPERM)),
	/* other requests pass */
	ROW("default nested", X64, __NR_ioctl, A(1, TCGETS), ALLOW),
	ROW("default nested", X64, __NR_ioctl, A(1, TIOCGWINSZ), ALLOW),
	ROW("default nested", X64, __NR_ioctl, A(1, TIOCSTI - 1), ALLOW),
	/* a low word that differs; TIOCSTI in the high word only (request 0) */
	ROW("default nested", X64, __NR_ioctl, A(1, 0x10000 | TIOCSTI), ALLOW),
	ROW("default nested", X64, __NR_ioctl, A(1, (uint64_t)TIOCSTI << 32), ALLOW),
	ROW("default nested", X64, __NR_ioctl, A(TIOCSTI, 0), ALLOW), /* the fd, not the request */
	ROW("default nested", X64, __NR_ioctl, A(1, TIOCGWINSZ, TIOCSTI, TIOCSTI), ALLOW),
	ROW("none", X64, __NR_ioctl, A(1, TIOCSTI), ALLOW),
	ROW("none", X64, __NR_ioctl, A(1, TIOCLINUX), ALLOW),

	/* --- personality: six flags refused, the rest passes (surface.inc) --- */
	ROW("default nested", X64, __NR_personality, A(READ_IMPLIES_EXEC), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_personality, A(MMAP_PAGE_ZERO), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_personality, A(ADDR_COMPAT_LAYOUT), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_personality, A(ADDR_LIMIT_32BIT), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_personality, A(ADDR_LIMIT_3GB), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_personality, A(UNAME26), ERRNO(EPERM)),
	/* each with the high bits set */
	ROW("default nested", X64, __NR_personality, A(HIGH | READ_IMPLIES_EXEC), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_personality, A(HIGH | MMAP_PAGE_ZERO), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_personality, A(HIGH | ADDR_COMPAT_LAYOUT), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_personality, A(HIGH | ADDR_LIMIT_32BIT), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_personality, A(HIGH | ADDR_LIMIT_3GB), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_personality, A(HIGH | UNAME26), ERRNO(EPERM)),
	/* with an allowed value beside it */
	ROW("default nested", X64, __NR_personality, A(PER_LINUX32 | READ_IMPLIES_EXEC),
	    ERRNO(EPERM)),
	ROW("default nested", X64, __NR_personality, A(ADDR_NO_RANDOMIZE | MMAP_PAGE_ZERO),
	    ERRNO(EPERM)),
	/* the query 0xffffffff has every bit: refused (surface.inc's note) */
	ROW("default nested", X64, __NR_personality, A(0xffffffff), ERRNO(EPERM)),
	ROW("default nested", X64, __NR_personality, A(~0ull), ERRNO(EPERM)),
	/* allowed values, also with high bits (the kernel reads an unsigned int) */
	ROW("default nested", X64, __NR_personality, A(PER_LINUX), ALLOW),
	ROW("default nested", X64, __NR_personality, A(PER_LINUX32), ALLOW),
	ROW("default nested", X64, __NR_personality, A(ADDR_NO_RANDOMIZE), ALLOW),
	ROW("default nested", X64, __NR_personality, A(ADDR_NO_RANDOMIZE | PER_LINUX32), ALLOW),
	ROW("default nested", X64, __NR_personality, A(HIGH | PER_LINUX), ALLOW),
	ROW("default nested", X64, __NR_personality, A(HIGH | ADDR_NO_RANDOMIZE), ALLOW),
	/* flags surface.inc does not name pass */
	ROW("default nested", X64, __NR_personality, A(FDPIC_FUNCPTRS), ALLOW),
	ROW("default nested", X64, __NR_personality, A(SHORT_INODE), ALLOW),
	ROW("default nested", X64, __NR_personality, A(WHOLE_SECONDS), ALLOW),
	ROW("default nested", X64, __NR_personality, A(STICKY_TIMEOUTS), ALLOW),
	ROW("none", X64, __NR_personality, A(READ_IMPLIES_EXEC), ALLOW),

	/* --- clone3: ENOSYS so libc falls back to clone (surface.inc, strict) --- */
	ROW("default nested strict", X64, __NR_clone3, NOARGS, ERRNO(ENOSYS)),
	ROW("default nested strict", X64, __NR_clone3, A(~0ull, 88), ERRNO(ENOSYS)),
	ROW("none", X64, __NR_clone3, A(1, 88), ALLOW),

	/* --- clone/unshare flags: no profile checks them (user namespaces are
	 * --disable-userns's business); strict does not list unshare or setns --- */
	ROW("default nested strict none", X64, __NR_clone, A(CLONE_NEWUSER | CLONE_NEWNS), ALLOW),
	ROW("default nested strict none", X64, __NR_clone, A(~0ull), ALLOW),
	ROW("default nested none", X64, __NR_unshare, A(CLONE_NEWUSER | CLONE_NEWNS), ALLOW),
	ROW("default nested none", X64, __NR_setns, A(3, CLONE_NEWNET), ALLOW),
	ROW("strict", X64, __NR_unshare, A(CLONE_NEWUSER), ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_setns, A(3, CLONE_NEWNET), ERRNO(ENOSYS)),

	/* --- socket and socketpair: the families bwrap's callers need pass;
	 * AF_VSOCK (which ignores network namespaces) and the rest are refused,
	 * on the low 32 bits, and every family from 46 up on all 64 (surface.inc) --- */
	ROW("default nested none", X64, __NR_socket, A(AF_INET, 1, 0), ALLOW),
	ROW("default nested none", X64, __NR_socket, A(AF_UNIX, 1, 0), ALLOW),
	ROW("default nested none", X64, __NR_socket, A(10, 2, 0), ALLOW), /* AF_INET6 */
	ROW("default nested none", X64, __NR_socket, A(16, 3, 0), ALLOW), /* AF_NETLINK */
	ROW("default nested none", X64, __NR_socket, A(29, 3, 1), ALLOW), /* AF_CAN */
	ROW("default nested none", X64, __NR_socket, A(31, 1, 0), ALLOW), /* AF_BLUETOOTH */
	ROW("default nested none", X64, __NR_socketpair, A(AF_UNIX, 1, 0), ALLOW),
	ROW("default nested", X64, __NR_socket, A(AF_VSOCK, 1, 0), ERRNO(EAFNOSUPPORT)),
	ROW("default nested", X64, __NR_socket, A(HIGH | AF_VSOCK, 1, 0), ERRNO(EAFNOSUPPORT)),
	ROW("default nested", X64, __NR_socketpair, A(AF_VSOCK, 1, 0), ERRNO(EAFNOSUPPORT)),
	ROW("default nested", X64, __NR_socket, A(17, 3, 0), ERRNO(EAFNOSUPPORT)), /* AF_PACKET */
	ROW("default nested", X64, __NR_socket, A(38, 5, 0), ERRNO(EAFNOSUPPORT)), /* AF_ALG */
	ROW("default nested", X64, __NR_socket, A(44, 3, 0), ERRNO(EAFNOSUPPORT)), /* AF_XDP */
	ROW("default nested", X64, __NR_socket, A(46, 1, 0), ERRNO(EAFNOSUPPORT)), /* AF_MAX */
	ROW("default nested", X64, __NR_socket, A(0xffffffff, 1, 0), ERRNO(EAFNOSUPPORT)),
	ROW("default nested", X64, __NR_socket, A(HIGH | AF_UNIX, 1, 0), ERRNO(EAFNOSUPPORT)),
	ROW("none", X64, __NR_socket, A(AF_VSOCK, 1, 0), ALLOW),
	/* netlink: NETLINK_ROUTE passes; nf_tables and xfrm do not (both
	 * conditions must hold: family and protocol, low 32 bits each). */
	ROW("default nested none", X64, __NR_socket, A(16, 3, 0), ALLOW), /* NETLINK_ROUTE */
	ROW("default nested none", X64, __NR_socket, A(16, 3, 4), ALLOW), /* NETLINK_SOCK_DIAG */
	ROW("default nested", X64, __NR_socket, A(16, 3, 12), ERRNO(EPROTONOSUPPORT)),
	ROW("default nested", X64, __NR_socket, A(16, 0x80003, HIGH | 12), ERRNO(EPROTONOSUPPORT)),
	ROW("default nested", X64, __NR_socket, A(HIGH | 16, 3, 12), ERRNO(EPROTONOSUPPORT)),
	ROW("default nested", X64, __NR_socket, A(16, 3, 6), ERRNO(EPROTONOSUPPORT)), /* XFRM */
	ROW("default nested none", X64, __NR_socket, A(AF_INET, 3, 12),
	    ALLOW), /* 12 only for netlink */
	ROW("none", X64, __NR_socket, A(16, 3, 12), ALLOW),
	/* numbers no family answers: no module request */
	ROW("default nested", X64, __NR_socket, A(12, 1, 0), ERRNO(EAFNOSUPPORT)), /* AF_DECnet */
	ROW("default nested", X64, __NR_socket, A(4, 2, 0), ERRNO(EAFNOSUPPORT)),  /* AF_IPX */
	ROW("default nested", X64, __NR_socket, A(28, 2, 0), ERRNO(EAFNOSUPPORT)), /* AF_MPLS */

	/* --- mount family: default decides mount(2) by its flags ("mount
	 * by-flags", prefix.h): changes to existing mounts pass, a superblock
	 * remount and set upper bits are refused, a new mount goes to the
	 * supervisor (USER_NOTIF); the new API answers ENOSYS; nested allows
	 * it all, strict refuses it --- */
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_BIND), ALLOW),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_BIND | MS_REC), ALLOW),
	ROW("default", X64, __NR_mount, A(0, 1, 0, MS_REMOUNT | MS_BIND | MS_RDONLY), ALLOW),
	ROW("default", X64, __NR_mount, A(0, 1, 0, MS_REC | MS_PRIVATE), ALLOW),
	ROW("default", X64, __NR_mount, A(0, 1, 0, MS_SLAVE), ALLOW),
	ROW("default", X64, __NR_mount, A(0, 1, 0, MS_SHARED), ALLOW),
	ROW("default", X64, __NR_mount, A(0, 1, 0, MS_UNBINDABLE), ALLOW),
	ROW("default", X64, __NR_mount, A(1, 1, 0, MS_MOVE), ALLOW),
	ROW("default", X64, __NR_mount, A(1, 1, 1, 0), NOTIFY),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_NOSUID | MS_NODEV | MS_NOEXEC), NOTIFY),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_RDONLY | MS_REC), NOTIFY),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_REMOUNT), ERRNO(EPERM)),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_REMOUNT | MS_RDONLY), ERRNO(EPERM)),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_REMOUNT | MS_PRIVATE), ERRNO(EPERM)),
	ROW("default", X64, __NR_mount, A(1, 1, 1, HIGH | MS_BIND), ERRNO(EPERM)),
	ROW("default", X64, __NR_mount, A(1, 1, 1, 1ull << 32), ERRNO(EPERM)),
	/* the old magic in the upper 16 bits: the kernel strips those bits,
	 * propagation flags with them (a new mount then); bwrap binds so */
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_MGC_VAL | MS_PRIVATE), NOTIFY),
	/* MS_MGC_VAL holds MS_PRIVATE and MS_SLAVE's bits itself; with
	 * MS_SHARED's it is no longer the magic: a propagation change */
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_MGC_VAL | MS_REC | MS_SHARED), ALLOW),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_MGC_VAL | MS_REC), NOTIFY),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_MGC_VAL), NOTIFY),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_MGC_VAL | MS_BIND | MS_REC), ALLOW),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_MGC_VAL | MS_MOVE), ALLOW),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_MGC_VAL | MS_REMOUNT | MS_BIND), ALLOW),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_MGC_VAL | MS_REMOUNT), ERRNO(EPERM)),
	ROW("default", X64, __NR_mount, A(1, 1, 1, MS_MGC_VAL | MS_REMOUNT | MS_PRIVATE),
	    ERRNO(EPERM)),
	ROW("default", X64, __NR_mount, A(1, 1, 1, 0xc0ecffff), ALLOW), /* not the magic */
	ROW("default", X64, __NR_mount, A(1, 1, 1, 0xc0ee0000 | MS_PRIVATE), ALLOW),
	ROW("default", X64, __NR_mount, A(1, 1, 1, 0xc1000000), NOTIFY),
	ROW("default nested none", X64, __NR_umount2, A(1, 2), ALLOW),
	ROW("default nested none", X64, __NR_pivot_root, A(1, 1), ALLOW),
	ROW("default", X64, __NR_fsopen, A(1, 0), ERRNO(ENOSYS)),
	ROW("default", X64, __NR_open_tree, A(1, 1, 1), ERRNO(ENOSYS)),
	ROW("default", X64, __NR_mount_setattr, A(1, 1, 1), ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_mount, A(1, 1, 1), ERRNO(EPERM)),
	ROW("strict", X64, __NR_mount, A(1, 1, 1, MS_BIND), ERRNO(EPERM)),
	ROW("strict", X64, __NR_umount2, A(1, 2), ERRNO(EPERM)),
	ROW("nested none", X64, __NR_mount, A(1, 1, 1), ALLOW),
	ROW("default nested strict", X64, __NR_keyctl, A(0, -3ull), ERRNO(EPERM)),
	ROW("default nested strict", X64, __NR_bpf, NOARGS, ERRNO(EPERM)),
	/* unlisted, not refused: mlockall reaches the kernel (not strict) */
	ROW("default nested none", X64, __NR_mlockall, A(1), ALLOW),
	ROW("default nested none", X64, __NR_ptrace, NOARGS, ALLOW),
	ROW("default nested none", X64, __NR_process_vm_readv, NOARGS, ALLOW),

	/* --- numbers past the headers, and future ones: default and nested
	 * answer ENOSYS above the table groups.list was reviewed against (Linux
	 * 6.18: 469), and decide 451..469 by name (surface.inc's "newer");
	 * strict answers ENOSYS, none allows --- */
	ROW("default nested none", X64, 451, NOARGS, ALLOW), /* cachestat */
	ROW("default", X64, 467, NOARGS, ERRNO(ENOSYS)),     /* open_tree_attr (6.15): @mount-api */
	ROW("strict", X64, 467, NOARGS, ERRNO(EPERM)),
	ROW("nested none", X64, 467, NOARGS, ALLOW),
	ROW("default nested none", X64, 457, NOARGS, ALLOW), /* statmount: @mount-info */
	ROW("default nested none", X64, 469, NOARGS, ALLOW), /* file_setattr */
	ROW("default nested", X64, 470, NOARGS, ERRNO(ENOSYS)),
	ROW("default nested", X64, 511, NOARGS, ERRNO(ENOSYS)),
	ROW("default nested", X64, 1000, NOARGS, ERRNO(ENOSYS)),
	ROW("default nested", X64, 0x3fffffff, NOARGS, ERRNO(ENOSYS)), /* the highest non-x32 nr */
	ROW("none", X64, 470, NOARGS, ALLOW),
	ROW("none", X64, 1000, NOARGS, ALLOW),
	ROW("none", X64, 0x3fffffff, NOARGS, ALLOW),
	ROW("strict", X64, 451, NOARGS, ERRNO(ENOSYS)),
	ROW("strict", X64, 470, NOARGS, ERRNO(ENOSYS)),
	ROW("strict", X64, 1000, NOARGS, ERRNO(ENOSYS)),
	ROW("strict", X64, 0x3fffffff, NOARGS, ERRNO(ENOSYS)),

	/* --- x32 (nr bit 30 on x86-64): killed under every profile --- */
	ROW("default nested strict none", X64, X32_BIT | __NR_read, NOARGS, KILL),
	ROW("default nested strict none", X64, X32_BIT | __NR_write, A(1, 2, 3), KILL),
	ROW("default nested strict none", X64, X32_BIT | __NR_mount, A(1, 1, 1), KILL),
	ROW("default nested strict none", X64, X32_BIT | __NR_ioctl, A(1, TIOCSTI), KILL),
	ROW("default nested strict none", X64, X32_BIT | __NR_exit_group, NOARGS, KILL),
	ROW("default nested strict none", X64, X32_BIT | 512, NOARGS, KILL), /* x32 rt_sigaction */
	ROW("default nested strict none", X64, X32_BIT | 547, NOARGS, KILL), /* x32 pwritev2 */
	ROW("default nested strict none", X64, 0x7fffffff, NOARGS, KILL),
	/* nr -1 (a tracer skipping the call) has bit 30 set yet is let through
	 * to the profile's rules, as libseccomp does; the kernel answers ENOSYS */
	ROW("default nested none", X64, 0xffffffff, NOARGS, ALLOW),
	ROW("strict", X64, 0xffffffff, NOARGS, ERRNO(ENOSYS)),

	/* --- architectures the filters do not cover: killed --- */
	ROW("default nested strict none", AUDIT_ARCH_AARCH64, 63, NOARGS, KILL), /* read */
	ROW("default nested strict none", AUDIT_ARCH_ARM, 3, NOARGS, KILL),
	ROW("default nested strict none", AUDIT_ARCH_X86_64 & ~(uint32_t)__AUDIT_ARCH_LE, __NR_read,
	    NOARGS, KILL),
	ROW("default nested strict none", AUDIT_ARCH_X86_64 & ~(uint32_t)__AUDIT_ARCH_64BIT,
	    __NR_read, NOARGS, KILL),
	ROW("default nested strict none", 0, __NR_read, NOARGS, KILL),
	ROW("default nested strict none", ~0u, __NR_read, NOARGS, KILL),

	/* --- strict: a sample of its allowlist --- */
	ROW("strict", X64, __NR_read, A(0, 0, 4096), ALLOW),
	ROW("strict", X64, __NR_write, A(1, ~0ull, ~0ull), ALLOW),
	ROW("strict", X64, __NR_openat, A(-100ull, 0, 0), ALLOW),
	ROW("strict", X64, __NR_close, A(3), ALLOW),
	ROW("strict", X64, __NR_execve, NOARGS, ALLOW),
	ROW("strict", X64, __NR_mmap, A(0, 4096, 3, 0x22, ~0ull, 0), ALLOW),
	ROW("strict", X64, __NR_futex, NOARGS, ALLOW),
	ROW("strict", X64, __NR_exit_group, NOARGS, ALLOW),
	ROW("strict", X64, __NR_rt_sigaction, NOARGS, ALLOW),
	ROW("strict", X64, __NR_socketpair, A(AF_UNIX, 1, 0), ALLOW),
	ROW("strict", X64, __NR_connect, NOARGS, ALLOW),
	ROW("strict", X64, __NR_getrandom, NOARGS, ALLOW),
	ROW("strict", X64, __NR_statx, NOARGS, ALLOW),
	ROW("strict", X64, __NR_memfd_create, NOARGS, ALLOW),
	/* strict's ioctl allowlist, compared on the low 32 bits */
	ROW("strict", X64, __NR_ioctl, A(1, TCGETS), ALLOW),
	ROW("strict", X64, __NR_ioctl, A(1, TIOCGWINSZ), ALLOW),
	ROW("strict", X64, __NR_ioctl, A(1, FIOCLEX), ALLOW),
	ROW("strict", X64, __NR_ioctl, A(1, HIGH | TCGETS), ALLOW),
	ROW("strict", X64, __NR_ioctl, A(1, TIOCSTI), ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_ioctl, A(1, HIGH | TIOCSTI), ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_ioctl, A(1, TIOCLINUX), ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_ioctl, A(1, 0x5415), ERRNO(ENOSYS)), /* TIOCMGET */
	/* strict's personality: four exact values (low 32 bits), nothing else */
	ROW("strict", X64, __NR_personality, A(0xffffffff), ALLOW),
	ROW("strict", X64, __NR_personality, A(PER_LINUX), ALLOW),
	ROW("strict", X64, __NR_personality, A(PER_LINUX32), ALLOW),
	ROW("strict", X64, __NR_personality, A(ADDR_NO_RANDOMIZE), ALLOW),
	ROW("strict", X64, __NR_personality, A(HIGH | PER_LINUX32), ALLOW),
	ROW("strict", X64, __NR_personality, A(ADDR_NO_RANDOMIZE | PER_LINUX32), ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_personality, A(READ_IMPLIES_EXEC), ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_personality, A(HIGH | READ_IMPLIES_EXEC), ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_personality, A(FDPIC_FUNCPTRS), ERRNO(ENOSYS)),
	/* strict's sockets: AF_UNIX only, compared on all 64 bits ("==") */
	ROW("strict", X64, __NR_socket, A(AF_UNIX, 1, 0), ALLOW),
	ROW("strict", X64, __NR_socket, A(AF_INET, 1, 0), ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_socket, A(AF_VSOCK, 1, 0), ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_socket, A(HIGH | AF_UNIX, 1, 0), ERRNO(ENOSYS)),
	/* not listed: ENOSYS */
	ROW("strict", X64, __NR_mlockall, A(1), ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_ptrace, NOARGS, ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_process_vm_readv, NOARGS, ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_chroot, NOARGS, ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_seccomp, NOARGS, ERRNO(ENOSYS)),
	ROW("strict", X64, __NR_perf_event_open, NOARGS, ERRNO(ENOSYS)), /* @debug: not EPERM */
	ROW("strict", X64, __NR_settimeofday, NOARGS, ERRNO(ENOSYS)),    /* @clock */
	/* strict's EPERM line */
	ROW("strict", X64, __NR_io_uring_setup, NOARGS, ERRNO(EPERM)),
	ROW("strict", X64, __NR_userfaultfd, NOARGS, ERRNO(EPERM)),
	ROW("strict", X64, __NR_init_module, NOARGS, ERRNO(EPERM)),

	/* --- none: everything on x86-64 --- */
	ROW("none", X64, __NR_read, NOARGS, ALLOW),
	ROW("none", X64, __NR_kexec_load, NOARGS, ALLOW),
	ROW("none", X64, __NR_bpf, NOARGS, ALLOW),
};

/* groups.list by x86-64 number. */
static const struct sim_syscall mount_[] = { SYS(mount) };
static const struct sim_syscall umount_[] = { SYS(umount2), SYS(pivot_root) };
static const struct sim_syscall mount_api[] = {
	SYS(open_tree),     SYS(move_mount),
	SYS(fsopen),        SYS(fsmount),
	SYS(fsconfig),      SYS(fspick),
	SYS(mount_setattr), { 467, "open_tree_attr" }, /* Linux 6.15, newer than the headers */
};
static const struct sim_syscall module[] = {
	SYS(init_module),   SYS(finit_module), SYS(delete_module),
	SYS(create_module), SYS(query_module), SYS(get_kernel_syms),
};
static const struct sim_syscall reboot[] = { SYS(reboot), SYS(kexec_load), SYS(kexec_file_load) };
static const struct sim_syscall swap[] = { SYS(swapon), SYS(swapoff) };
static const struct sim_syscall clock[] = { SYS(settimeofday), SYS(clock_settime),
					    SYS(clock_adjtime), SYS(adjtimex) };
static const struct sim_syscall keyring[] = { SYS(add_key), SYS(request_key), SYS(keyctl) };
static const struct sim_syscall debug[] = { SYS(perf_event_open), SYS(lookup_dcookie) };
static const struct sim_syscall raw_io[] = { SYS(ioperm), SYS(iopl) };
static const struct sim_syscall cpu_emulation[] = { SYS(modify_ldt) };
static const struct sim_syscall io_uring[] = { SYS(io_uring_setup), SYS(io_uring_enter),
					       SYS(io_uring_register) };
static const struct sim_syscall obsolete[] = {
	SYS(uselib),  SYS(nfsservctl), SYS(afs_syscall), SYS(getpmsg), SYS(putpmsg), SYS(security),
	SYS(tuxcall), SYS(vserver),    SYS(sysfs),       SYS(_sysctl), SYS(ustat),
};
static const struct sim_syscall privileged[] = {
	SYS(acct), SYS(quotactl),    SYS(quotactl_fd),       SYS(syslog),
	SYS(bpf),  SYS(userfaultfd), SYS(open_by_handle_at), SYS(name_to_handle_at),
};
static const struct sim_group groups[] = SIM_GROUPS;
/* Names of groups.list that x86-64 does not have. */
static const char *const absent[] = { "umount",  "stime",           "vm86",           "vm86old",
				      "bdflush", "clock_settime64", "clock_adjtime64" };

/* The syscalls the profiles give argument conditions on x86-64. */
static const struct sim_argcheck argchecks[] = {
	{ "default", __NR_mount },                                   /* mount by-flags */
	{ "default", __NR_ioctl },  { "default", __NR_personality }, /* surface.inc */
	{ "default", __NR_socket }, { "default", __NR_socketpair },  /* surface.inc */
	{ "nested", __NR_ioctl },   { "nested", __NR_personality },
	{ "nested", __NR_socket },  { "nested", __NR_socketpair },
	{ "strict", __NR_ioctl },   { "strict", __NR_personality },
	{ "strict", __NR_socket },
};

/* What every program calls all the time: allowed whatever the arguments. */
static const struct sim_syscall fast[] = {
	SYS(read),           SYS(write),
	SYS(close),          SYS(exit_group),
	SYS(exit),           SYS(futex),
	SYS(mmap),           SYS(munmap),
	SYS(mprotect),       SYS(brk),
	SYS(madvise),        SYS(rt_sigaction),
	SYS(rt_sigprocmask), SYS(rt_sigreturn),
	SYS(openat),         SYS(newfstatat),
	SYS(fstat),          SYS(statx),
	SYS(lseek),          SYS(pread64),
	SYS(pwrite64),       SYS(readv),
	SYS(writev),         SYS(fcntl),
	SYS(dup3),           SYS(pipe2),
	SYS(getpid),         SYS(gettid),
	SYS(clock_gettime),  SYS(clock_nanosleep),
	SYS(nanosleep),      SYS(poll),
	SYS(ppoll),          SYS(epoll_wait),
	SYS(epoll_pwait),    SYS(epoll_ctl),
	SYS(sendmsg),        SYS(recvmsg),
	SYS(sendto),         SYS(recvfrom),
	SYS(clone),          SYS(execve),
	SYS(wait4),          SYS(getrandom),
	SYS(sched_yield),    SYS(set_robust_list),
	SYS(rseq),           SYS(prlimit64),
};

const struct sim_arch_table sim_table_x86_64 = SIM_ARCH_TABLE("x86-64", X64);
