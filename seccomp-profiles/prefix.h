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
};

#define SBX_PREFIX_MAX 256

/* Write the prefix for abis into out (room for SBX_PREFIX_MAX). Its jumps
 * that go on land on out[n], the first instruction after it. Returns n, or
 * 0 if it does not fit. The prefix loads only the syscall number and the
 * architecture, except after a jump on the multiplexer's number, so it
 * makes no other syscall's action depend on arguments (the kernel's action
 * cache, seccomp_cache_prepare, still finds always-allowed syscalls). */
size_t prefix_build(const struct sbx_prefix_abi *abis, size_t n_abis, struct sock_filter *out);

#endif
