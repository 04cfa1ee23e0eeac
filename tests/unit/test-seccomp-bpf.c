/* Unit tests that judge the built-in seccomp profiles without a kernel: a
 * classic-BPF interpreter with the kernel's seccomp rules runs every
 * built-in blob (libsbx.a's builtin-profiles.c) against the table of
 * seccomp-table-x86_64.c and seccomp-table-i386.c, the way libseccomp's
 * regression suite checks its filters. tests/integration/run.sh's
 * t_seccomp_table_* run some of the same rows in the real kernel.
 *
 * MUST: the interpreter accepts only what the kernel's checker accepts
 *       (bpf_check_classic + seccomp_check_filter, kernel/seccomp.c) and
 *       never reads outside the program, its 16 memory words or struct
 *       seccomp_data: a program that would is a test failure.
 * MUST: the expectations come from the profile sources as a reviewer reads
 *       them, never from libseccomp or the compiler.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "seccomp-table.h"

/* ---- the interpreter ------------------------------------------------------ */

#define SIM_MEMWORDS 16 /* BPF_MEMWORDS */

struct sim_prog {
	const char *name;
	struct sock_filter *insns;
	size_t n;
};

static int why_fail(char *why, size_t size, const char *msg, size_t pc)
{
	snprintf(why, size, "insn %zu: %s", pc, msg);
	return -1;
}

/* The codes seccomp_check_filter lets through (the LEN loads it rewrites to
 * immediates included). Anything else, e.g. BPF_MOD, byte loads, BPF_IND,
 * the packet ancillary loads, is refused with EINVAL. */
static bool code_allowed(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	default:
		return false;
	}
}

static bool is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

/* No memory word is read before every path to the read has stored it
 * (the kernel's check_load_and_stores, the same conservative pass). */
static int check_memory(const struct sim_prog *p, char *why, size_t size)
{
	uint16_t *masks = malloc(p->n * sizeof(*masks)), valid = 0;

	cr_assert_not_null(masks);
	memset(masks, 0xff, p->n * sizeof(*masks));
	for (size_t pc = 0; pc < p->n; pc++) {
		const struct sock_filter *f = &p->insns[pc];

		valid &= masks[pc];
		if (f->code == BPF_ST || f->code == BPF_STX) {
			valid |= (uint16_t)(1u << f->k);
		} else if (f->code == (BPF_LD | BPF_MEM) || f->code == (BPF_LDX | BPF_MEM)) {
			if (!(valid & (1u << f->k))) {
				free(masks);
				return why_fail(why, size, "reads a memory word no path stored",
						pc);
			}
		} else if (f->code == (BPF_JMP | BPF_JA)) {
			masks[pc + 1 + f->k] &= valid;
			valid = 0xffff;
		} else if (is_cond_jump(f->code)) {
			masks[pc + 1 + f->jt] &= valid;
			masks[pc + 1 + f->jf] &= valid;
			valid = 0xffff;
		}
	}
	free(masks);
	return 0;
}

/* 0 if the kernel would load p as a seccomp filter, else -1 and why. */
static int sim_check(const struct sim_prog *p, char *why, size_t size)
{
	if (p->n == 0 || p->n > BPF_MAXINSNS)
		return why_fail(why, size, "length outside 1..BPF_MAXINSNS", p->n);
	for (size_t pc = 0; pc < p->n; pc++) {
		const struct sock_filter *f = &p->insns[pc];
		size_t left = p->n - pc - 1; /* instructions after this one */

		if (!code_allowed(f->code))
			return why_fail(why, size, "opcode the seccomp checker refuses", pc);
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k >= sizeof(struct seccomp_data) || f->k % 4 != 0)
				return why_fail(why, size, "load outside seccomp_data or unaligned",
						pc);
			break;
		case BPF_ALU | BPF_DIV | BPF_K:
			if (f->k == 0)
				return why_fail(why, size, "division by constant 0", pc);
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_K:
			if (f->k >= 32)
				return why_fail(why, size, "shift by 32 or more", pc);
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (f->k >= SIM_MEMWORDS)
				return why_fail(why, size, "memory word out of range", pc);
			break;
		case BPF_JMP | BPF_JA:
			if (f->k >= left)
				return why_fail(why, size, "jump past the end", pc);
			break;
		default:
			if (is_cond_jump(f->code) && (f->jt >= left || f->jf >= left))
				return why_fail(why, size, "jump past the end", pc);
			break;
		}
	}
	if (BPF_CLASS(p->insns[p->n - 1].code) != BPF_RET)
		return why_fail(why, size, "the last instruction is not a return", p->n - 1);
	return check_memory(p, why, size);
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_ADD:
		return a + v;
	case BPF_SUB:
		return a - v;
	case BPF_MUL:
		return a * v;
	case BPF_DIV:
		return a / v; /* v != 0: checked by the caller */
	case BPF_AND:
		return a & v;
	case BPF_OR:
		return a | v;
	case BPF_XOR:
		return a ^ v;
	case BPF_LSH:
		return a << v; /* v < 32: checked by the caller */
	case BPF_RSH:
		return a >> v;
	case BPF_NEG:
		return -a;
	default:
		cr_assert_fail("alu op %#x", op);
		return 0;
	}
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_JEQ:
		return a == v;
	case BPF_JGT:
		return a > v;
	case BPF_JGE:
		return a >= v;
	case BPF_JSET:
		return (a & v) != 0;
	default:
		cr_assert_fail("jump op %#x", op);
		return false;
	}
}

/* The machine: accumulator, index register, the 16 memory words and which
 * of them have been stored. */
struct sim_regs {
	uint32_t a, x, mem[SIM_MEMWORDS];
	uint16_t stored;
};

/* A load (LD, LDX) or store (ST, STX) instruction, bounds-checked. */
static int load_store(const struct sock_filter *f, size_t pc, const struct seccomp_data *d,
		      struct sim_regs *r, char *why, size_t size)
{
	uint32_t val;

	if (BPF_CLASS(f->code) == BPF_ST || BPF_CLASS(f->code) == BPF_STX) {
		if (f->k >= SIM_MEMWORDS)
			return why_fail(why, size, "bad memory write", pc);
		r->mem[f->k] = BPF_CLASS(f->code) == BPF_ST ? r->a : r->x;
		r->stored |= (uint16_t)(1u << f->k);
		return 0;
	}
	if (BPF_MODE(f->code) == BPF_ABS) {
		if (f->k >= sizeof(*d) || f->k % 4 != 0)
			return why_fail(why, size, "load outside seccomp_data", pc);
		memcpy(&val, (const unsigned char *)d + f->k, sizeof(val));
	} else if (BPF_MODE(f->code) == BPF_MEM) {
		if (f->k >= SIM_MEMWORDS || !(r->stored & (1u << f->k)))
			return why_fail(why, size, "bad memory read", pc);
		val = r->mem[f->k];
	} else if (BPF_MODE(f->code) == BPF_LEN) {
		val = sizeof(*d);
	} else {
		val = f->k; /* BPF_IMM */
	}
	if (BPF_CLASS(f->code) == BPF_LD)
		r->a = val;
	else
		r->x = val;
	return 0;
}

/* Run p on d: 0 and the 32-bit return value in *ret, or -1 and why when
 * the program does something the kernel would not allow. Every access is
 * checked here again, whether or not sim_check ran. */
static int sim_run(const struct sim_prog *p, const struct seccomp_data *d, uint32_t *ret, char *why,
		   size_t size)
{
	struct sim_regs r = { 0 };
	size_t pc = 0;

	while (pc < p->n) {
		const struct sock_filter *f = &p->insns[pc];
		uint32_t v = BPF_SRC(f->code) == BPF_X ? r.x : f->k;
		size_t left = p->n - pc - 1, off = 0;

		if (!code_allowed(f->code))
			return why_fail(why, size, "opcode the seccomp checker refuses", pc);
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
		case BPF_LDX:
		case BPF_ST:
		case BPF_STX:
			if (load_store(f, pc, d, &r, why, size) < 0)
				return -1;
			break;
		case BPF_ALU:
			if (BPF_OP(f->code) == BPF_DIV && v == 0) {
				/* The kernel's classic BPF ends the program with 0
				 * (SECCOMP_RET_KILL_THREAD) on a division by zero. */
				*ret = 0;
				return 0;
			}
			if ((BPF_OP(f->code) == BPF_LSH || BPF_OP(f->code) == BPF_RSH) && v >= 32)
				return why_fail(why, size, "shift by 32 or more", pc);
			r.a = alu(BPF_OP(f->code), r.a, v);
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA)
				off = f->k;
			else
				off = jump_taken(BPF_OP(f->code), r.a, v) ? f->jt : f->jf;
			if (off >= left)
				return why_fail(why, size, "jump past the end", pc);
			break;
		case BPF_RET:
			*ret = BPF_RVAL(f->code) == BPF_A ? r.a : f->k;
			return 0;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				r.x = r.a;
			else
				r.a = r.x;
			break;
		default:
			return why_fail(why, size, "unknown class", pc);
		}
		pc += 1 + off;
	}
	return why_fail(why, size, "ran off the end", pc);
}

/* The kernel's seccomp action cache (seccomp_is_const_allow, Linux 5.11):
 * it emulates the filter for one nr and arch, knowing nothing else; a
 * syscall is cached (and the filter skipped) only if that emulation reaches
 * RET ALLOW through instructions it knows without loading anything but nr
 * and arch. True if the kernel would cache nr. */
static bool sim_cached_allow(const struct sim_prog *p, uint32_t nr, uint32_t arch)
{
	uint32_t reg = 0;

	for (size_t pc = 0; pc < p->n; pc++) {
		const struct sock_filter *f = &p->insns[pc];
		bool taken;

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k == offsetof(struct seccomp_data, nr))
				reg = nr;
			else if (f->k == offsetof(struct seccomp_data, arch))
				reg = arch;
			else
				return false; /* depends on what it loads */
			break;
		case BPF_RET | BPF_K:
			return f->k == SECCOMP_RET_ALLOW;
		case BPF_JMP | BPF_JA:
			pc += f->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
			taken = jump_taken(BPF_OP(f->code), reg, f->k);
			pc += taken ? f->jt : f->jf;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			reg &= f->k;
			break;
		default:
			return false; /* an instruction the emulator does not know */
		}
	}
	return false;
}

/* ---- the built-in programs ------------------------------------------------ */

static struct sim_prog progs[8];
static size_t n_progs;

static const struct sim_prog *prog_of(const char *name)
{
	const struct sbx_builtin_profile *b;
	struct sim_prog *p;

	for (size_t i = 0; i < n_progs; i++)
		if (strcmp(progs[i].name, name) == 0)
			return &progs[i];
	b = filter_builtin(name);
	cr_assert_not_null(b, "no built-in profile '%s'", name);
	cr_assert(b->len > 0 && b->len % sizeof(struct sock_filter) == 0,
		  "%s: %zu bytes is not a BPF program", name, b->len);
	cr_assert_lt(n_progs, sizeof(progs) / sizeof(progs[0]));
	p = &progs[n_progs++];
	p->name = b->name;
	p->n = b->len / sizeof(struct sock_filter);
	p->insns = malloc(b->len);
	cr_assert_not_null(p->insns);
	memcpy(p->insns, b->blob, b->len);
	return p;
}

static uint32_t run(const struct sim_prog *p, uint32_t arch, uint32_t nr, const uint64_t args[6],
		    const char *what, int line)
{
	struct seccomp_data d = { .nr = (int)nr,
				  .arch = arch,
				  .instruction_pointer = 0x7f0012345678 };
	char why[128];
	uint32_t ret = 0;

	memcpy(d.args, args, sizeof(d.args));
	if (sim_run(p, &d, &ret, why, sizeof(why)) < 0)
		cr_assert_fail("%s: bad program (%s) on line %d: %s", p->name, why, line, what);
	return ret;
}

static const char *action_str(uint32_t v, char *buf, size_t size)
{
	switch (v & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
		return "ALLOW";
	case SECCOMP_RET_KILL_PROCESS:
		return "KILL_PROCESS";
	case SECCOMP_RET_KILL_THREAD:
		return "KILL_THREAD";
	case SECCOMP_RET_ERRNO:
		snprintf(buf, size, "ERRNO(%u)", v & SECCOMP_RET_DATA);
		return buf;
	case SECCOMP_RET_USER_NOTIF:
		return "USER_NOTIF";
	default:
		snprintf(buf, size, "%#x", v);
		return buf;
	}
}

/* Each name of a space-separated list ("default nested"), in turn. */
#define FOR_EACH_NAME(list, name) \
	for (char name[32], *rest_ = (char *)(list); next_name(&rest_, name, sizeof(name));)

static bool next_name(char **rest, char *name, size_t size)
{
	size_t len;

	*rest += strspn(*rest, " ");
	len = strcspn(*rest, " ");
	if (len == 0)
		return false;
	cr_assert_lt(len, size);
	memcpy(name, *rest, len);
	name[len] = '\0';
	*rest += len;
	return true;
}

static const struct sim_arch_table *const tables[] = { &sim_table_x86_64, &sim_table_i386 };

/* ---- the interpreter's own tests ------------------------------------------ */

#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))

static uint32_t run_insns(struct sock_filter *insns, size_t n, const struct seccomp_data *d)
{
	struct sim_prog p = { "test", insns, n };
	char why[128];
	uint32_t ret = 0;

	cr_assert_eq(sim_check(&p, why, sizeof(why)), 0, "refused: %s", why);
	cr_assert_eq(sim_run(&p, d, &ret, why, sizeof(why)), 0, "failed: %s", why);
	return ret;
}

/* Each ALU operation, with K and with X: A = nr = 100, X = 7. */
Test(sim, alu_operations)
{
	static const struct {
		uint16_t code;
		uint32_t k, expect;
	} ops[] = {
		{ BPF_ADD | BPF_K, 5, 105 },        { BPF_ADD | BPF_X, 0, 107 },
		{ BPF_SUB | BPF_K, 1, 99 },         { BPF_SUB | BPF_X, 0, 93 },
		{ BPF_MUL | BPF_K, 3, 300 },        { BPF_MUL | BPF_X, 0, 700 },
		{ BPF_DIV | BPF_K, 7, 14 },         { BPF_DIV | BPF_X, 0, 14 },
		{ BPF_AND | BPF_K, 0x0f, 4 },       { BPF_AND | BPF_X, 0, 4 },
		{ BPF_OR | BPF_K, 3, 103 },         { BPF_OR | BPF_X, 0, 103 },
		{ BPF_XOR | BPF_K, 0xff, 155 },     { BPF_XOR | BPF_X, 0, 99 },
		{ BPF_LSH | BPF_K, 2, 400 },        { BPF_LSH | BPF_X, 0, 12800 },
		{ BPF_RSH | BPF_K, 2, 25 },         { BPF_RSH | BPF_X, 0, 0 },
		{ BPF_NEG, 0, (uint32_t)-100 },     { BPF_SUB | BPF_K, 101, 0xffffffff },
		{ BPF_MUL | BPF_K, 0x80000000, 0 }, /* wraps at 32 bits */
	};
	struct seccomp_data d = { .nr = 100 };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct sock_filter prog[] = {
			LD_NR,
			BPF_STMT(BPF_LDX | BPF_IMM, 7),
			BPF_STMT((uint16_t)(BPF_ALU | ops[i].code), ops[i].k),
			BPF_STMT(BPF_RET | BPF_A, 0),
		};

		cr_expect_eq(run_insns(prog, 4, &d), ops[i].expect, "op %zu (%#x)", i, ops[i].code);
	}
}

/* Loads: every field of seccomp_data at its offset (little-endian halves
 * of the 64-bit fields), the length, immediates, memory, tax/txa. */
Test(sim, loads_and_stores)
{
	struct seccomp_data d = {
		.nr = 59,
		.arch = AUDIT_ARCH_X86_64,
		.instruction_pointer = 0x1122334455667788,
		.args = { 0xa0a1a2a3b0b1b2b3, 0, 0, 0, 0, 0xf0f1f2f3e0e1e2e3 },
	};
	static const struct {
		uint32_t k, expect;
	} fields[] = {
		{ 0, 59 },          { 4, AUDIT_ARCH_X86_64 }, { 8, 0x55667788 },
		{ 12, 0x11223344 }, { 16, 0xb0b1b2b3 },       { 20, 0xa0a1a2a3 },
		{ 56, 0xe0e1e2e3 }, { 60, 0xf0f1f2f3 },
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		struct sock_filter prog[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, fields[i].k),
			BPF_STMT(BPF_RET | BPF_A, 0),
		};

		cr_expect_eq(run_insns(prog, 2, &d), fields[i].expect, "ld [%u]", fields[i].k);
	}
	{
		struct sock_filter len[] = { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
					     BPF_STMT(BPF_RET | BPF_A, 0) };
		struct sock_filter xlen[] = { BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0),
					      BPF_STMT(BPF_MISC | BPF_TXA, 0),
					      BPF_STMT(BPF_RET | BPF_A, 0) };
		struct sock_filter mem[] = {
			LD_NR,
			BPF_STMT(BPF_ST, 3),
			BPF_STMT(BPF_LDX | BPF_IMM, 9),
			BPF_STMT(BPF_STX, 15),
			BPF_STMT(BPF_LD | BPF_IMM, 0),
			BPF_STMT(BPF_LDX | BPF_IMM, 0),
			BPF_STMT(BPF_LDX | BPF_MEM, 15), /* X = 9 */
			BPF_STMT(BPF_LD | BPF_MEM, 3),   /* A = 59 */
			BPF_STMT(BPF_ALU | BPF_SUB | BPF_X, 0),
			BPF_STMT(BPF_RET | BPF_A, 0),
		};
		struct sock_filter tax[] = {
			LD_NR,
			BPF_STMT(BPF_MISC | BPF_TAX, 0),
			BPF_STMT(BPF_LD | BPF_IMM, 1),
			BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
			BPF_STMT(BPF_RET | BPF_A, 0),
		};
		struct sock_filter retk[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 13) };

		cr_expect_eq(run_insns(len, 2, &d), sizeof(struct seccomp_data));
		cr_expect_eq(run_insns(xlen, 3, &d), sizeof(struct seccomp_data));
		cr_expect_eq(run_insns(mem, 10, &d), 50);
		cr_expect_eq(run_insns(tax, 5, &d), 60);
		cr_expect_eq(run_insns(retk, 1, &d), SECCOMP_RET_ERRNO | 13);
	}
}

/* Each jump, with K and X, both ways: returns 1 if taken, 2 if not. */
Test(sim, jumps)
{
	static const struct {
		uint16_t op;
		uint32_t k;
		bool taken;
	} jumps[] = {
		{ BPF_JEQ, 100, true },         { BPF_JEQ, 99, false },   { BPF_JGT, 99, true },
		{ BPF_JGT, 100, false },        { BPF_JGE, 100, true },   { BPF_JGE, 101, false },
		{ BPF_JSET, 0x4, true },        { BPF_JSET, 0x3, false }, /* 100 = 0b1100100 */
		{ BPF_JGT, 0xffffffff, false },                           /* unsigned */
	};
	struct seccomp_data d = { .nr = 100 };

	for (size_t i = 0; i < sizeof(jumps) / sizeof(jumps[0]); i++) {
		struct sock_filter k[] = {
			LD_NR,
			BPF_JUMP((uint16_t)(BPF_JMP | jumps[i].op | BPF_K), jumps[i].k, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, 1),
			BPF_STMT(BPF_RET | BPF_K, 2),
		};
		struct sock_filter x[] = {
			LD_NR,
			BPF_STMT(BPF_LDX | BPF_IMM, jumps[i].k),
			BPF_JUMP((uint16_t)(BPF_JMP | jumps[i].op | BPF_X), 0, 1, 0),
			BPF_STMT(BPF_RET | BPF_K, 2),
			BPF_STMT(BPF_RET | BPF_K, 1),
		};
		uint32_t want = jumps[i].taken ? 1 : 2;

		cr_expect_eq(run_insns(k, 4, &d), want, "jump %zu with K", i);
		cr_expect_eq(run_insns(x, 5, &d), want, "jump %zu with X", i);
	}
	{
		struct sock_filter ja[] = {
			BPF_JUMP(BPF_JMP | BPF_JA, 2, 0, 0),
			BPF_STMT(BPF_RET | BPF_K, 1),
			BPF_STMT(BPF_RET | BPF_K, 2),
			BPF_STMT(BPF_RET | BPF_K, 3),
		};
		struct sock_filter div0[] = {
			BPF_STMT(BPF_LDX | BPF_IMM, 0),
			BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};

		cr_expect_eq(run_insns(ja, 4, &d), 3);
		cr_expect_eq(run_insns(div0, 3, &d), SECCOMP_RET_KILL_THREAD,
			     "a division by X = 0 ends the program with 0, as the kernel's");
	}
}

#define BAD(msg, ...)                                                                              \
	{                                                                                          \
		msg, (struct sock_filter[]){ __VA_ARGS__ },                                        \
			sizeof((struct sock_filter[]){ __VA_ARGS__ }) / sizeof(struct sock_filter) \
	}
#define RET_ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

/* What the kernel's checker refuses, the checker refuses too, naming why. */
Test(sim, refuses_what_the_kernel_refuses)
{
	const struct {
		const char *why;
		struct sock_filter *insns;
		size_t n;
	} bad[] = {
		BAD("insn 0: load outside seccomp_data or unaligned",
		    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), RET_ALLOW),
		BAD("insn 0: load outside seccomp_data or unaligned",
		    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), RET_ALLOW),
		BAD("insn 0: load outside seccomp_data or unaligned",
		    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_PROTOCOL)),
		    RET_ALLOW),
		BAD("insn 0: opcode the seccomp checker refuses",
		    BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), RET_ALLOW),
		BAD("insn 0: opcode the seccomp checker refuses",
		    BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), RET_ALLOW),
		BAD("insn 0: opcode the seccomp checker refuses",
		    BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0), RET_ALLOW),
		BAD("insn 0: opcode the seccomp checker refuses",
		    BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0), RET_ALLOW),
		BAD("insn 0: opcode the seccomp checker refuses",
		    BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3), RET_ALLOW),
		BAD("insn 0: opcode the seccomp checker refuses",
		    BPF_STMT(BPF_ALU | BPF_NEG | BPF_X, 0), RET_ALLOW),
		BAD("insn 0: opcode the seccomp checker refuses", BPF_STMT(BPF_RET | BPF_X, 0)),
		BAD("insn 0: opcode the seccomp checker refuses", BPF_STMT(0xffff, 0), RET_ALLOW),
		BAD("insn 0: division by constant 0", BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0),
		    RET_ALLOW),
		BAD("insn 0: shift by 32 or more", BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32),
		    RET_ALLOW),
		BAD("insn 0: shift by 32 or more", BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 33),
		    RET_ALLOW),
		BAD("insn 0: memory word out of range", BPF_STMT(BPF_ST, 16), RET_ALLOW),
		BAD("insn 0: memory word out of range", BPF_STMT(BPF_LDX | BPF_MEM, 16), RET_ALLOW),
		BAD("insn 0: jump past the end", BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0), RET_ALLOW),
		BAD("insn 0: jump past the end", BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
		    RET_ALLOW),
		BAD("insn 0: jump past the end", BPF_JUMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1),
		    RET_ALLOW),
		BAD("insn 0: the last instruction is not a return", LD_NR),
		BAD("insn 0: reads a memory word no path stored", BPF_STMT(BPF_LD | BPF_MEM, 0),
		    RET_ALLOW),
		/* stored on one path only */
		BAD("insn 3: reads a memory word no path stored", LD_NR,
		    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1), BPF_STMT(BPF_ST, 0),
		    BPF_STMT(BPF_LD | BPF_MEM, 0), RET_ALLOW),
	};
	static struct sock_filter big[BPF_MAXINSNS + 1];
	struct sim_prog empty = { "empty", big, 0 }, toobig = { "big", big, BPF_MAXINSNS + 1 };
	char why[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sim_prog p = { "bad", bad[i].insns, bad[i].n };

		cr_expect_eq(sim_check(&p, why, sizeof(why)), -1, "accepted bad program %zu", i);
		cr_expect_str_eq(why, bad[i].why, "program %zu", i);
	}
	for (size_t i = 0; i < BPF_MAXINSNS + 1; i++)
		big[i] = (struct sock_filter)RET_ALLOW;
	cr_expect_eq(sim_check(&empty, why, sizeof(why)), -1);
	cr_expect_eq(sim_check(&toobig, why, sizeof(why)), -1);
	toobig.n = BPF_MAXINSNS;
	cr_expect_eq(sim_check(&toobig, why, sizeof(why)), 0, "4096 instructions are fine");
}

/* Run without the checker, a bad program still never reads out of range. */
Test(sim, run_checks_every_access)
{
	struct sock_filter unaligned[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 62), RET_ALLOW };
	struct sock_filter past[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), RET_ALLOW };
	struct sock_filter jump[] = { BPF_JUMP(BPF_JMP | BPF_JA, 7, 0, 0), RET_ALLOW };
	struct sock_filter cond[] = { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 200, 200), RET_ALLOW };
	struct sock_filter off_end[] = { LD_NR };
	struct sock_filter unset[] = { BPF_STMT(BPF_LDX | BPF_MEM, 4), RET_ALLOW };
	struct sock_filter shift[] = { BPF_STMT(BPF_LDX | BPF_IMM, 32),
				       BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0), RET_ALLOW };
	struct sock_filter mod[] = { BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 2), RET_ALLOW };
	const struct sim_prog bad[] = {
		{ "unaligned", unaligned, 2 }, { "past", past, 2 },       { "jump", jump, 2 },
		{ "cond", cond, 2 },           { "off_end", off_end, 1 }, { "unset", unset, 2 },
		{ "shift", shift, 3 },         { "mod", mod, 2 },
	};
	struct seccomp_data d = { 0 };
	char why[128];
	uint32_t ret;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(sim_run(&bad[i], &d, &ret, why, sizeof(why)), -1, "%s ran",
			     bad[i].name);
}

/* The action cache emulation: nr and arch only, the kernel's instructions. */
Test(sim, cache_emulation)
{
	struct sock_filter by_nr[] = {
		LD_NR,
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 16, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		RET_ALLOW,
	};
	struct sock_filter by_arg[] = {
		LD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 16, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x5412, 1, 0),
		RET_ALLOW,
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
	};
	struct sock_filter by_x[] = {
		BPF_STMT(BPF_LDX | BPF_IMM, 0),
		LD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 0),
		RET_ALLOW,
	};
	struct sim_prog nr = { "nr", by_nr, 5 }, arg = { "arg", by_arg, 6 }, x = { "x", by_x, 4 };

	cr_expect(sim_cached_allow(&nr, 0, AUDIT_ARCH_X86_64));
	cr_expect_not(sim_cached_allow(&nr, 16, AUDIT_ARCH_X86_64), "ERRNO is never cached");
	cr_expect_not(sim_cached_allow(&nr, 0x110, AUDIT_ARCH_X86_64), "& 0xff: 16 again");
	cr_expect(sim_cached_allow(&arg, 0, AUDIT_ARCH_X86_64));
	cr_expect_not(sim_cached_allow(&arg, 16, AUDIT_ARCH_X86_64), "reads an argument");
	cr_expect_not(sim_cached_allow(&x, 0, AUDIT_ARCH_X86_64), "jeq x is not emulated");
}

/* ---- the built-in profiles against the table ------------------------------ */

/* Every built-in blob is a program the kernel loads. */
Test(profiles, every_blob_passes_the_kernel_checker)
{
	char why[128];

	cr_assert_gt(sbx_n_builtin_profiles, 0);
	for (size_t i = 0; i < sbx_n_builtin_profiles; i++) {
		const struct sim_prog *p = prog_of(sbx_builtin_profiles[i].name);

		cr_expect_eq(sim_check(p, why, sizeof(why)), 0, "%s: %s", p->name, why);
		cr_log_info("%s: %zu instructions", p->name, p->n);
	}
}

static size_t rows_naming(const struct sim_arch_table *t, const char *profile)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_rows; i++)
		FOR_EACH_NAME(t->rows[i].profile, name)
	if (strcmp(name, profile) == 0)
		n++;
	return n;
}

/* A built-in profile the table does not know fails, and so does a row for
 * a profile that is not built in. */
Test(profiles, every_profile_has_rows_on_every_arch)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		for (size_t i = 0; i < sbx_n_builtin_profiles; i++) {
			const char *name = sbx_builtin_profiles[i].name;

			cr_expect_geq(rows_naming(tables[t], name), 10, "%s: few rows for %s",
				      tables[t]->name, name);
		}
		for (size_t i = 0; i < tables[t]->n_rows; i++)
			FOR_EACH_NAME(tables[t]->rows[i].profile, name)
		cr_expect_not_null(filter_builtin(name), "%s line %d: no profile %s",
				   tables[t]->name, tables[t]->rows[i].line, name);
	}
}

static int check_row(const char *profile, const struct sim_row *r, const char *file)
{
	const struct sim_prog *p = prog_of(profile);
	uint32_t got = run(p, r->arch, r->nr, r->args, r->what, r->line);
	char b1[32], b2[32];

	if (got == r->expect)
		return 0;
	cr_log_error("%s:%d: %s: %s gave %s, not %s", file, r->line, profile, r->what,
		     action_str(got, b1, sizeof(b1)), action_str(r->expect, b2, sizeof(b2)));
	return 1;
}

Test(table, rows)
{
	size_t bad = 0, n = 0;

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (size_t i = 0; i < tables[t]->n_rows; i++)
			FOR_EACH_NAME(tables[t]->rows[i].profile, name)
			{
				bad += (size_t)check_row(name, &tables[t]->rows[i],
							 tables[t]->name);
				n++;
			}
	cr_log_info("%zu rows checked", n);
	cr_assert_eq(bad, 0, "%zu of %zu rows failed (listed above)", bad, n);
}

/* What each profile answers for each group of groups.list, from the
 * profiles: surface.inc's two EPERM lines (default, nested), default's
 * mount line, strict's last line and its ENOSYS default. */
static const struct {
	const char *profiles, *group;
	uint32_t expect;
	uint32_t expect_ones; /* with all-ones arguments, if not expect (0) */
} group_actions[] = {
	/* surface.inc, in default and nested */
	{ "default nested", "@module", ERRNO(EPERM) },
	{ "default nested", "@reboot", ERRNO(EPERM) },
	{ "default nested", "@swap", ERRNO(EPERM) },
	{ "default nested", "@clock", ERRNO(EPERM) },
	{ "default nested", "@keyring", ERRNO(EPERM) },
	{ "default nested", "@debug", ERRNO(EPERM) },
	{ "default nested", "@raw-io", ERRNO(EPERM) },
	{ "default nested", "@cpu-emulation", ERRNO(EPERM) },
	{ "default nested", "@io-uring", ERRNO(EPERM) },
	{ "default nested", "@obsolete", ERRNO(EPERM) },
	{ "default nested", "@privileged", ERRNO(EPERM) },
	/* default.profile's own lines: mount by-flags (all-zero flags are a
	 * new mount, for the supervisor; all-ones have the upper 32 bits
	 * set: refused), the new mount API ENOSYS; nested lets the mount
	 * family through */
	{ "default", "@mount", NOTIFY, ERRNO(EPERM) },
	{ "default", "@umount", ALLOW },
	{ "default", "@mount-api", ERRNO(ENOSYS) },
	{ "nested", "@mount", ALLOW },
	{ "nested", "@umount", ALLOW },
	{ "nested", "@mount-api", ALLOW },
	/* strict.profile's last line ... */
	{ "strict", "@mount", ERRNO(EPERM) },
	{ "strict", "@umount", ERRNO(EPERM) },
	{ "strict", "@mount-api", ERRNO(EPERM) },
	{ "strict", "@module", ERRNO(EPERM) },
	{ "strict", "@reboot", ERRNO(EPERM) },
	{ "strict", "@swap", ERRNO(EPERM) },
	{ "strict", "@keyring", ERRNO(EPERM) },
	{ "strict", "@privileged", ERRNO(EPERM) },
	{ "strict", "@io-uring", ERRNO(EPERM) },
	/* ... and the groups it neither allows nor names: its default */
	{ "strict", "@clock", ERRNO(ENOSYS) },
	{ "strict", "@debug", ERRNO(ENOSYS) },
	{ "strict", "@raw-io", ERRNO(ENOSYS) },
	{ "strict", "@cpu-emulation", ERRNO(ENOSYS) },
	{ "strict", "@obsolete", ERRNO(ENOSYS) },
	/* none: no rules */
	{ "none", "@mount", ALLOW },
	{ "none", "@umount", ALLOW },
	{ "none", "@mount-api", ALLOW },
	{ "none", "@module", ALLOW },
	{ "none", "@reboot", ALLOW },
	{ "none", "@swap", ALLOW },
	{ "none", "@clock", ALLOW },
	{ "none", "@keyring", ALLOW },
	{ "none", "@debug", ALLOW },
	{ "none", "@raw-io", ALLOW },
	{ "none", "@cpu-emulation", ALLOW },
	{ "none", "@io-uring", ALLOW },
	{ "none", "@obsolete", ALLOW },
	{ "none", "@privileged", ALLOW },
};

static const struct sim_group *group_of(const struct sim_arch_table *t, const char *name)
{
	for (size_t i = 0; i < t->n_groups; i++)
		if (strcmp(t->groups[i].name, name) == 0)
			return &t->groups[i];
	return NULL;
}

/* Every syscall of every group, on each arch, with all-zero and all-ones
 * arguments, gets its profile's action for the group. */
Test(table, groups)
{
	static const uint64_t zero[6] = { 0 },
			      ones[6] = { ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull };
	size_t bad = 0, n = 0;
	char b1[32], b2[32];

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		for (size_t i = 0; i < sizeof(group_actions) / sizeof(group_actions[0]); i++) {
			const struct sim_group *g = group_of(tables[t], group_actions[i].group);

			cr_assert_not_null(g, "%s: no group %s", tables[t]->name,
					   group_actions[i].group);
			FOR_EACH_NAME(group_actions[i].profiles, profile)
			{
				const struct sim_prog *p = prog_of(profile);

				for (size_t j = 0; j < g->n; j++) {
					uint32_t got = run(p, tables[t]->arch, g->calls[j].nr, zero,
							   g->calls[j].name, 0);
					uint32_t got1 = run(p, tables[t]->arch, g->calls[j].nr,
							    ones, g->calls[j].name, 0);

					uint32_t expect = group_actions[i].expect,
						 ones_expect =
							 group_actions[i].expect_ones
								 ? group_actions[i].expect_ones
								 : expect;

					n++;
					/* i386 has no mount by-flags: refused outright */
					if (tables[t]->arch == AUDIT_ARCH_I386 &&
					    group_actions[i].expect_ones)
						expect = ones_expect;
					if (got == expect && got1 == ones_expect)
						continue;
					bad++;
					cr_log_error("%s %s: %s %s (%u) gave %s, not %s",
						     tables[t]->name, profile, g->name,
						     g->calls[j].name, g->calls[j].nr,
						     action_str(got != expect ? got : got1, b1,
								sizeof(b1)),
						     action_str(got != expect ? expect
									      : ones_expect,
								b2, sizeof(b2)));
				}
			}
		}
	}
	cr_log_info("%zu group syscalls checked", n);
	cr_assert_eq(bad, 0, "%zu of %zu group syscalls failed (listed above)", bad, n);
}

/* Every (built-in profile, group of groups.list) pair has one action above:
 * a new profile or group fails here until its expectation is written. */
Test(table, every_profile_and_group_has_an_action)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		for (size_t g = 0; g < tables[t]->n_groups; g++) {
			for (size_t i = 0; i < sbx_n_builtin_profiles; i++) {
				const char *profile = sbx_builtin_profiles[i].name;
				int found = 0;

				for (size_t j = 0;
				     j < sizeof(group_actions) / sizeof(group_actions[0]); j++) {
					if (strcmp(group_actions[j].group,
						   tables[t]->groups[g].name) != 0)
						continue;
					FOR_EACH_NAME(group_actions[j].profiles, name)
					found += strcmp(name, profile) == 0;
				}
				cr_expect_eq(found, 1, "%s: %d actions for %s in %s",
					     tables[t]->name, found, tables[t]->groups[g].name,
					     profile);
			}
		}
	}
}

static bool in_group(const struct sim_group *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->calls[i].name, name) == 0)
			return true;
	return false;
}

static bool absent(const struct sim_arch_table *t, const char *name)
{
	for (size_t i = 0; i < t->n_absent; i++)
		if (strcmp(t->absent[i], name) == 0)
			return true;
	return false;
}

/* Whether a built-in profile's source names group on a line that does not
 * allow it: a group the tables must know. */
static bool group_refused_somewhere(const char *group)
{
	static const char *const sources[] = { "default.profile", "nested.profile",
					       "strict.profile", "none.profile", "surface.inc" };
	char dir[4096], path[4200], line[4096];
	const char *slash = strrchr(SBX_GROUPS_LIST, '/');
	bool found = false;

	cr_assert_not_null(slash);
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - SBX_GROUPS_LIST), SBX_GROUPS_LIST);
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]) && !found; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, sources[i]);
		f = fopen(path, "re");
		cr_assert_not_null(f, "can't open %s", path);
		while (!found && fgets(line, sizeof(line), f)) {
			char *save = NULL, *hash = strchr(line, '#'), *word;

			if (hash)
				*hash = '\0';
			word = strtok_r(line, " \t\n", &save);
			if (word == NULL || strcmp(word, "allow") == 0)
				continue;
			while ((word = strtok_r(NULL, " \t\n", &save)) != NULL && !found)
				found = strcmp(word, group) == 0;
		}
		fclose(f);
	}
	return found;
}

/* The tables' groups are groups.list's, name for name: a syscall added to a
 * group must be added here (by its number on each arch, or as absent), and
 * one the tables list must be in groups.list. groups.list's other groups
 * (what every profile allows, there so that each syscall has a decision)
 * are not in the tables, and no profile may refuse them without them. */
Test(table, groups_are_those_of_groups_list)
{
	enum {
		N_TABLES = sizeof(tables) / sizeof(tables[0])
	};
	FILE *f = fopen(SBX_GROUPS_LIST, "re");
	char line[4096];
	size_t n_groups = 0;

	cr_assert_not_null(f, "can't open %s", SBX_GROUPS_LIST);
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *group = strtok_r(line, " \t\n", &save), *name;
		const struct sim_group *g[N_TABLES];
		size_t listed[N_TABLES] = { 0 };

		if (group == NULL || group[0] == '#')
			continue;
		cr_assert_eq(group[0], '@', "groups.list: %s", group);
		if (group_of(tables[0], group) == NULL) {
			cr_expect(!group_refused_somewhere(group),
				  "%s is refused by a profile but not in the tables", group);
			continue;
		}
		n_groups++;
		for (size_t t = 0; t < N_TABLES; t++) {
			g[t] = group_of(tables[t], group);
			cr_assert_not_null(g[t], "%s: no %s", tables[t]->name, group);
		}
		while ((name = strtok_r(NULL, " \t\n", &save)) != NULL) {
			for (size_t t = 0; t < N_TABLES; t++) {
				cr_expect(in_group(g[t], name) != absent(tables[t], name),
					  "%s: %s %s: list it in the group or as absent (once)",
					  tables[t]->name, group, name);
				listed[t] += in_group(g[t], name);
			}
		}
		for (size_t t = 0; t < N_TABLES; t++)
			cr_expect_eq(listed[t], g[t]->n,
				     "%s: %s lists %zu syscalls groups.list lacks", tables[t]->name,
				     group, g[t]->n - listed[t]);
	}
	fclose(f);
	for (size_t t = 0; t < N_TABLES; t++)
		cr_expect_eq(tables[t]->n_groups, n_groups, "%s: %zu groups, groups.list has %zu",
			     tables[t]->name, tables[t]->n_groups, n_groups);
}

/* xorshift64*: reproducible "random" arguments (SBX_SIM_SEED overrides). */
static uint64_t rng_state;

static void rng_seed(void)
{
	const char *s = getenv("SBX_SIM_SEED");

	rng_state = s ? strtoull(s, NULL, 0) : 0x5eccb9f5eccb9f01ull;
	if (rng_state == 0)
		rng_state = 1;
	cr_log_info("random arguments from seed %#llx (SBX_SIM_SEED)",
		    (unsigned long long)rng_state);
}

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* The always-allowed syscalls stay allowed whatever their arguments, under
 * default and nested, and the kernel's action cache skips the filter. */
Test(table, fast_path_allowed_with_any_arguments)
{
	rng_seed();
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		const struct sim_arch_table *tb = tables[t];

		cr_assert_gt(tb->n_fast, 10);
		FOR_EACH_NAME("default nested", profile)
		{
			const struct sim_prog *p = prog_of(profile);

			for (size_t i = 0; i < tb->n_fast; i++) {
				for (int k = 0; k < 64; k++) {
					uint64_t args[6];
					char b[32];
					uint32_t got;

					for (int a = 0; a < 6; a++)
						args[a] = rng();
					got = run(p, tb->arch, tb->fast[i].nr, args,
						  tb->fast[i].name, 0);
					cr_expect_eq(got, ALLOW,
						     "%s %s: %s(%#llx, %#llx, ...) gave %s",
						     tb->name, profile, tb->fast[i].name,
						     (unsigned long long)args[0],
						     (unsigned long long)args[1],
						     action_str(got, b, sizeof(b)));
				}
				cr_expect(sim_cached_allow(p, tb->fast[i].nr, tb->arch),
					  "%s %s: %s is not in the kernel's action cache", tb->name,
					  profile, tb->fast[i].name);
			}
		}
	}
}

/* ---- which actions depend on the arguments -------------------------------- */

#define N_NR 512
#define MAX_PATTERNS 1024

/* Argument patterns: all zero, all ones, random, and every constant the
 * program compares with (low word alone, and with the high word all ones),
 * so a condition on any value the program tests is hit. */
static size_t patterns(const struct sim_prog *p, uint64_t (*pat)[6])
{
	size_t n = 0;

	memset(pat[n++], 0, sizeof(pat[0]));
	memset(pat[n++], 0xff, sizeof(pat[0]));
	for (int i = 0; i < 16; i++, n++)
		for (int a = 0; a < 6; a++)
			pat[n][a] = rng();
	for (size_t pc = 0; pc < p->n; pc++) {
		const struct sock_filter *f = &p->insns[pc];
		bool seen = false;

		if (BPF_CLASS(f->code) != BPF_JMP || BPF_SRC(f->code) != BPF_K ||
		    BPF_OP(f->code) == BPF_JA)
			continue;
		for (size_t i = 0; i < n && !seen; i++)
			seen = pat[i][0] == f->k;
		if (seen)
			continue;
		cr_assert_leq(n + 2, MAX_PATTERNS, "%s: too many constants", p->name);
		for (int a = 0; a < 6; a++) {
			pat[n][a] = f->k;
			pat[n + 1][a] = 0xffffffff00000000ull | f->k;
		}
		n += 2;
	}
	return n;
}

static bool argchecked(const struct sim_arch_table *t, const char *profile, uint32_t nr)
{
	for (size_t i = 0; i < t->n_argchecks; i++)
		if (t->argchecks[i].nr == nr && strcmp(t->argchecks[i].profile, profile) == 0)
			return true;
	return false;
}

/* For every number 0..511 on each arch: the numbers whose action changes
 * with the arguments are exactly those the profile gives conditions (the
 * table's argchecks), and every other number the profile allows is one the
 * kernel's action cache can skip the filter for. */
Test(table, action_depends_on_arguments_only_where_the_profile_checks_them)
{
	static uint64_t pat[MAX_PATTERNS][6];
	size_t bad = 0;

	rng_seed();
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		const struct sim_arch_table *tb = tables[t];

		for (size_t i = 0; i < sbx_n_builtin_profiles; i++) {
			const struct sim_prog *p = prog_of(sbx_builtin_profiles[i].name);
			size_t np = patterns(p, pat);
			char varying[1024] = "", uncached[1024] = "";

			for (uint32_t nr = 0; nr < N_NR; nr++) {
				uint32_t first = run(p, tb->arch, nr, pat[0], "pattern 0", 0);
				bool varies = false, expect = argchecked(tb, p->name, nr);

				for (size_t k = 1; k < np && !varies; k++)
					varies = run(p, tb->arch, nr, pat[k], "pattern", 0) !=
						 first;
				if (varies)
					snprintf(varying + strlen(varying),
						 sizeof(varying) - strlen(varying), " %u", nr);
				if (varies != expect) {
					bad++;
					cr_log_error(
						"%s %s: nr %u: %s", tb->name, p->name, nr,
						varies ? "depends on the arguments, no argcheck row"
						       : "has an argcheck row, but no pattern changes its action");
				}
				if (!varies && first == ALLOW &&
				    !sim_cached_allow(p, nr, tb->arch)) {
					bad++;
					snprintf(uncached + strlen(uncached),
						 sizeof(uncached) - strlen(uncached), " %u", nr);
				}
			}
			cr_log_info("%s %s: %zu patterns; action depends on the arguments for:%s",
				    tb->name, p->name, np, varying[0] ? varying : " none");
			if (uncached[0])
				cr_log_error(
					"%s %s: always allowed, yet not in the action cache:%s",
					tb->name, p->name, uncached);
		}
	}
	cr_assert_eq(bad, 0, "%zu problems (listed above)", bad);
}
