/* prefix: the few BPF instructions sbx-compile-profile puts before
 * libseccomp's program, for what libseccomp 2.5.4 cannot say: an action
 * for every syscall number newer than the reviewed table, syscalls it has
 * no name for, and i386 multiplexer calls whose conditions it would drop.
 * Pure (no libseccomp): used by the compiler and the unit tests. */
#ifndef SBX_PREFIX_H
#define SBX_PREFIX_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A syscall number decided in the prefix: a seccomp return value, or on
 * to the program (a number above last_nr that the program decides). */
struct sbx_prefix_rule {
	uint32_t nr;
	uint32_t action;
	bool to_program;
};

/* What the prefix decides for one ABI (AUDIT_ARCH_*). Anything it does not
 * decide goes on to the program that follows it. */
struct sbx_prefix_abi {
	uint32_t arch;
	uint32_t pass_from; /* numbers >= this go on (x86-64: the x32 bit); 0: none */
	const struct sbx_prefix_rule *rules;
	size_t n_rules;
	bool newer; /* numbers above last_nr get newer_action */
	uint32_t last_nr;
	uint32_t newer_action;
	uint32_t mux_nr;           /* a multiplexer syscall (0: none): its calls in */
	const uint32_t *mux_calls; /* mux_calls (its first argument) get mux_action */
	size_t n_mux_calls;
	uint32_t mux_action;
	uint32_t mount_nr; /* mount(2), decided by its flags (0: not here) */
	uint32_t mount_keep, mount_deny, mount_new; /* see prefix_build */
};

#define SBX_PREFIX_MAX 256

/* mount(2)'s flags (linux/mount.h), as the prefix reads them. */
#define SBX_MS_REMOUNT 0x20u
#define SBX_MS_BIND 0x1000u
#define SBX_MS_MOVE 0x2000u
#define SBX_MS_PROPAGATION 0x1e0000u /* UNBINDABLE PRIVATE SLAVE SHARED */
#define SBX_MS_MGC_VAL 0xc0ed0000u   /* the old magic in the upper 16 bits */
#define SBX_MS_MGC_MSK 0xffff0000u

/* Write the prefix for abis into out (room for SBX_PREFIX_MAX). Its jumps
 * that go on land on out[n], the first instruction after it. Returns n, or
 * 0 if it does not fit. The prefix loads only the syscall number and the
 * architecture, except after a jump on the multiplexer's number, so it
 * makes no other syscall's action depend on arguments (the kernel's action
 * cache, seccomp_cache_prepare, still finds always-allowed syscalls). */
/* With mount_nr, mount(2) is decided by its flags word (argument 3) the
 * way the kernel's path_mount() dispatches on it: a flags word with any of
 * its upper 32 bits set gets mount_deny; MS_REMOUNT with MS_BIND (a bind's
 * flags) gets mount_keep, MS_REMOUNT alone (a superblock's options)
 * mount_deny; then MS_BIND, any propagation flag and MS_MOVE, which all
 * work on mounts that exist, get mount_keep; and whatever is left, a new
 * mount, gets mount_new. When the upper 16 of the low 32 bits are the old
 * magic MS_MGC_VAL, the kernel strips them, and the propagation flags in
 * them: they then do not count. */
size_t prefix_build(const struct sbx_prefix_abi *abis, size_t n_abis, struct sock_filter *out);

#endif
