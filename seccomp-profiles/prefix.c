/* prefix: BPF instructions before libseccomp's program (see prefix.h).
 *
 * MUST: load nothing but the syscall number and the architecture, except
 *       in a multiplexer's block or mount's, reached only on that number: the kernel's action cache skips the filter only for a
 *       syscall whose action depends on no argument.
 * MUST: every path ends in a return or on the program after the prefix,
 *       which checks the architecture again itself.
 */
#include "prefix.h"

#include <stddef.h>
#include <string.h>

/* seccomp_data offsets (linux/seccomp.h): nr, arch, args[0]'s low word on
 * a little-endian CPU (x86). */
#define OFF_NR 0
#define OFF_ARCH 4
#define OFF_ARG0_LO 16
#define OFF_ARG3_LO 40
#define OFF_ARG3_HI 44

/* Jump targets: the next instruction, the program after the prefix, or
 * the label of another instruction. */
enum {
	T_NEXT = -1,
	T_PROG = -2
};

struct ins {
	uint16_t code;
	uint32_t k;
	int jt, jf; /* label numbers or T_* */
};

struct emit {
	struct ins ins[SBX_PREFIX_MAX];
	size_t n;
	int label_at[SBX_PREFIX_MAX]; /* label -> instruction index */
	int n_labels;
	uint32_t rets[SBX_PREFIX_MAX]; /* return actions, one label each */
	int ret_label[SBX_PREFIX_MAX];
	size_t n_rets;
	bool overflow;
};

static int new_label(struct emit *e)
{
	if (e->n_labels >= SBX_PREFIX_MAX) {
		e->overflow = true;
		return 0;
	}
	e->label_at[e->n_labels] = -1;
	return e->n_labels++;
}

static void place(struct emit *e, int label)
{
	e->label_at[label] = (int)e->n;
}

static void add(struct emit *e, uint16_t code, uint32_t k, int jt, int jf)
{
	if (e->n >= SBX_PREFIX_MAX) {
		e->overflow = true;
		return;
	}
	e->ins[e->n++] = (struct ins){ code, k, jt, jf };
}

/* The label of a "ret action" at the end of the prefix, one per action. */
static int ret_to(struct emit *e, uint32_t action)
{
	for (size_t i = 0; i < e->n_rets; i++)
		if (e->rets[i] == action)
			return e->ret_label[i];
	if (e->n_rets >= SBX_PREFIX_MAX) {
		e->overflow = true;
		return 0;
	}
	e->rets[e->n_rets] = action;
	e->ret_label[e->n_rets] = new_label(e);
	return e->ret_label[e->n_rets++];
}

/* mount(2) by its flags (prefix.h), reached only on its number. */
static void emit_mount(struct emit *e, const struct sbx_prefix_abi *a)
{
	int keep = ret_to(e, a->mount_keep), deny = ret_to(e, a->mount_deny),
	    fresh = ret_to(e, a->mount_new);
	int magic = new_label(e), magic_flags = new_label(e), flags = new_label(e),
	    remount = new_label(e);

	add(e, BPF_LD | BPF_W | BPF_ABS, OFF_ARG3_HI, T_NEXT, T_NEXT);
	add(e, BPF_JMP | BPF_JEQ | BPF_K, 0, T_NEXT, deny);
	add(e, BPF_LD | BPF_W | BPF_ABS, OFF_ARG3_LO, T_NEXT, T_NEXT);
	/* (flags & MS_MGC_MSK) == MS_MGC_VAL, as a range: no ALU needed */
	add(e, BPF_JMP | BPF_JGE | BPF_K, SBX_MS_MGC_VAL, magic, flags);
	place(e, magic);
	add(e, BPF_JMP | BPF_JGT | BPF_K, SBX_MS_MGC_VAL | ~SBX_MS_MGC_MSK, flags, magic_flags);
	/* The kernel strips the upper 16 bits, propagation flags with them;
	 * MS_REMOUNT, MS_BIND and MS_MOVE are below (bwrap passes the magic
	 * with its binds). */
	place(e, magic_flags);
	add(e, BPF_JMP | BPF_JSET | BPF_K, SBX_MS_REMOUNT, remount, T_NEXT);
	add(e, BPF_JMP | BPF_JSET | BPF_K, SBX_MS_BIND | SBX_MS_MOVE, keep, fresh);
	place(e, flags);
	add(e, BPF_JMP | BPF_JSET | BPF_K, SBX_MS_REMOUNT, remount, T_NEXT);
	add(e, BPF_JMP | BPF_JSET | BPF_K, SBX_MS_BIND, keep, T_NEXT);
	add(e, BPF_JMP | BPF_JSET | BPF_K, SBX_MS_PROPAGATION, keep, T_NEXT);
	add(e, BPF_JMP | BPF_JSET | BPF_K, SBX_MS_MOVE, keep, fresh);
	place(e, remount);
	add(e, BPF_JMP | BPF_JSET | BPF_K, SBX_MS_BIND, keep, deny);
}

static void emit_abi(struct emit *e, const struct sbx_prefix_abi *a, int next_abi)
{
	int pass = new_label(e), mux = new_label(e), mnt = new_label(e);

	add(e, BPF_JMP | BPF_JEQ | BPF_K, a->arch, T_NEXT, next_abi);
	add(e, BPF_LD | BPF_W | BPF_ABS, OFF_NR, T_NEXT, T_NEXT);
	if (a->pass_from)
		add(e, BPF_JMP | BPF_JGE | BPF_K, a->pass_from, pass, T_NEXT);
	if (a->mux_nr && a->n_mux_calls)
		add(e, BPF_JMP | BPF_JEQ | BPF_K, a->mux_nr, mux, T_NEXT);
	if (a->mount_nr)
		add(e, BPF_JMP | BPF_JEQ | BPF_K, a->mount_nr, mnt, T_NEXT);
	for (size_t i = 0; i < a->n_rules; i++)
		add(e, BPF_JMP | BPF_JEQ | BPF_K, a->rules[i].nr,
		    a->rules[i].to_program ? pass : ret_to(e, a->rules[i].action), T_NEXT);
	if (a->newer)
		add(e, BPF_JMP | BPF_JGT | BPF_K, a->last_nr, ret_to(e, a->newer_action), T_NEXT);
	place(e, pass);
	add(e, BPF_JMP | BPF_JA, 0, T_PROG, T_PROG);
	if (a->mux_nr && a->n_mux_calls) {
		place(e, mux);
		add(e, BPF_LD | BPF_W | BPF_ABS, OFF_ARG0_LO, T_NEXT, T_NEXT);
		for (size_t i = 0; i < a->n_mux_calls; i++)
			add(e, BPF_JMP | BPF_JEQ | BPF_K, a->mux_calls[i], ret_to(e, a->mux_action),
			    T_NEXT);
		add(e, BPF_JMP | BPF_JA, 0, T_PROG, T_PROG);
	}
	if (a->mount_nr) {
		place(e, mnt);
		emit_mount(e, a);
	}
}

/* A conditional jump's offset from instruction i to target t, or -1. */
static int offset(const struct emit *e, size_t i, int t, size_t prog)
{
	long to = t == T_NEXT ? (long)i + 1 : t == T_PROG ? (long)prog : e->label_at[t];
	long d = to - (long)i - 1;

	return to < 0 || d < 0 || d > 255 ? -1 : (int)d;
}

size_t prefix_build(const struct sbx_prefix_abi *abis, size_t n_abis, struct sock_filter *out)
{
	static struct emit e; /* large; the compiler is single-threaded */
	size_t prog;

	memset(&e, 0, sizeof(e));
	add(&e, BPF_LD | BPF_W | BPF_ABS, OFF_ARCH, T_NEXT, T_NEXT);
	for (size_t i = 0; i < n_abis; i++) {
		int after = new_label(&e);

		emit_abi(&e, &abis[i], after);
		place(&e, after);
	}
	/* Another architecture: the program kills it. */
	add(&e, BPF_JMP | BPF_JA, 0, T_PROG, T_PROG);
	for (size_t i = 0; i < e.n_rets; i++) {
		place(&e, e.ret_label[i]);
		add(&e, BPF_RET | BPF_K, e.rets[i], T_NEXT, T_NEXT);
	}
	if (e.overflow)
		return 0;
	prog = e.n;
	for (size_t i = 0; i < e.n; i++) {
		const struct ins *in = &e.ins[i];
		struct sock_filter *f = &out[i];

		f->code = in->code;
		f->k = in->k;
		f->jt = f->jf = 0;
		if (in->code == (BPF_JMP | BPF_JA)) {
			f->k = (uint32_t)(prog - i - 1);
		} else if (BPF_CLASS(in->code) == BPF_JMP) {
			int jt = offset(&e, i, in->jt, prog), jf = offset(&e, i, in->jf, prog);

			if (jt < 0 || jf < 0)
				return 0;
			f->jt = (uint8_t)jt;
			f->jf = (uint8_t)jf;
		}
	}
	return prog;
}
