/* bench/syscall-loop.c (run by bench/syscalls): ns per syscall for getppid (always allowed) and for an
 * ioctl the filter checks the arguments of (TCGETS on a pipe: ENOTTY).
 *   syscalls [--allow-all] [--count-insns BLOB]
 * --allow-all first loads a one-instruction allow-all filter (the floor of
 * having any filter); --count-insns runs BLOB in a classic-BPF interpreter
 * for both calls and prints how many instructions each executes. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Enough of classic BPF for seccomp programs: count instructions run. */
static int run_bpf(const struct sock_filter *f, size_t n, const struct seccomp_data *d,
		   unsigned *ret)
{
	uint32_t a = 0, x = 0, mem[16] = { 0 };
	int count = 0;

	for (size_t pc = 0; pc < n; pc++, count++) {
		const struct sock_filter *i = &f[pc];
		uint32_t k = i->k;

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			memcpy(&a, (const char *)d + k, 4);
			break;
		case BPF_LD | BPF_IMM:
			a = k;
			break;
		case BPF_LDX | BPF_IMM:
			x = k;
			break;
		case BPF_LD | BPF_MEM:
			a = mem[k & 15];
			break;
		case BPF_LDX | BPF_MEM:
			x = mem[k & 15];
			break;
		case BPF_ST:
			mem[k & 15] = a;
			break;
		case BPF_STX:
			mem[k & 15] = x;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= k;
			break;
		case BPF_ALU | BPF_OR | BPF_K:
			a |= k;
			break;
		case BPF_MISC | BPF_TAX:
			x = a;
			break;
		case BPF_MISC | BPF_TXA:
			a = x;
			break;
		case BPF_JMP | BPF_JA:
			pc += k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += (a & k) ? i->jt : i->jf;
			break;
		case BPF_RET | BPF_K:
			*ret = k;
			return count + 1;
		case BPF_RET | BPF_A:
			*ret = a;
			return count + 1;
		default:
			fprintf(stderr, "unknown BPF opcode 0x%x\n", i->code);
			return -1;
		}
	}
	return -1;
}

static void count_insns(const char *path)
{
	static struct sock_filter prog[4096];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(prog, sizeof(prog[0]), 4096, f) : 0;
	struct seccomp_data getppid_d = { .nr = SYS_getppid, .arch = AUDIT_ARCH_X86_64 };
	struct seccomp_data ioctl_d = { .nr = SYS_ioctl,
					.arch = AUDIT_ARCH_X86_64,
					.args = { 3, TCGETS } };
	unsigned r1 = 0, r2 = 0;
	int c1, c2;

	if (f)
		fclose(f);
	c1 = run_bpf(prog, n, &getppid_d, &r1);
	c2 = run_bpf(prog, n, &ioctl_d, &r2);
	printf("bpf-insns getppid %d (ret 0x%x), ioctl %d (ret 0x%x), program %zu insns\n", c1, r1,
	       c2, r2, n);
}

int main(int argc, char **argv)
{
	long n = 2000000;
	int p[2];
	struct termios t;
	double a, b, c;

	if (argc > 2 && strcmp(argv[1], "--count-insns") == 0) {
		count_insns(argv[2]);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--allow-all") == 0) {
		struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		struct sock_fprog fp = { 1, &allow };

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp) < 0)
			return perror("seccomp"), 1;
	}
	if (getenv("SYSCALLS_N"))
		n = atol(getenv("SYSCALLS_N"));
	if (pipe(p) < 0)
		return 1;
	for (long i = 0; i < n / 10; i++) /* warm up */
		syscall(SYS_getppid);
	a = now();
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	b = now();
	for (long i = 0; i < n; i++)
		ioctl(p[0], TCGETS, &t);
	c = now();
	printf("getppid %.1f ns, ioctl %.1f ns\n", (b - a) / n, (c - b) / n);
	return 0;
}
