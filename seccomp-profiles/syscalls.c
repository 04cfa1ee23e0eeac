/* syscalls: sbx's own syscall tables (see syscalls.h).
 *
 * MUST: every number here is checked against the kernel's tables
 *       (arch/x86/entry/syscalls/syscall_{64,32}.tbl); a wrong number
 *       filters the wrong syscall.
 */
#include "syscalls.h"

#include <string.h>

/* Linux 6.4 to 6.17; the same numbers on x86-64 and i386. */
const struct sbx_syscall sbx_newer_syscalls[] = {
	{ "cachestat", 451, 451 },         { "fchmodat2", 452, 452 },
	{ "map_shadow_stack", 453, 453 },  { "futex_wake", 454, 454 },
	{ "futex_wait", 455, 455 },        { "futex_requeue", 456, 456 },
	{ "statmount", 457, 457 },         { "listmount", 458, 458 },
	{ "lsm_get_self_attr", 459, 459 }, { "lsm_set_self_attr", 460, 460 },
	{ "lsm_list_modules", 461, 461 },  { "mseal", 462, 462 },
	{ "setxattrat", 463, 463 },        { "getxattrat", 464, 464 },
	{ "listxattrat", 465, 465 },       { "removexattrat", 466, 466 },
	{ "open_tree_attr", 467, 467 },    { "file_getattr", 468, 468 },
	{ "file_setattr", 469, 469 },
};
const size_t sbx_n_newer_syscalls = sizeof(sbx_newer_syscalls) / sizeof(sbx_newer_syscalls[0]);

const struct sbx_syscall *sbx_newer_syscall(const char *name)
{
	for (size_t i = 0; i < sbx_n_newer_syscalls; i++)
		if (strcmp(sbx_newer_syscalls[i].name, name) == 0)
			return &sbx_newer_syscalls[i];
	return NULL;
}

/* include/uapi/linux/net.h (SYS_SOCKET...) and linux/ipc.h (SEMOP...). */
static const struct sbx_mux_call mux_calls[] = {
	{ "socket", SBX_I386_SOCKETCALL, 1 },
	{ "bind", SBX_I386_SOCKETCALL, 2 },
	{ "connect", SBX_I386_SOCKETCALL, 3 },
	{ "listen", SBX_I386_SOCKETCALL, 4 },
	{ "accept", SBX_I386_SOCKETCALL, 5 },
	{ "getsockname", SBX_I386_SOCKETCALL, 6 },
	{ "getpeername", SBX_I386_SOCKETCALL, 7 },
	{ "socketpair", SBX_I386_SOCKETCALL, 8 },
	{ "send", SBX_I386_SOCKETCALL, 9 },
	{ "recv", SBX_I386_SOCKETCALL, 10 },
	{ "sendto", SBX_I386_SOCKETCALL, 11 },
	{ "recvfrom", SBX_I386_SOCKETCALL, 12 },
	{ "shutdown", SBX_I386_SOCKETCALL, 13 },
	{ "setsockopt", SBX_I386_SOCKETCALL, 14 },
	{ "getsockopt", SBX_I386_SOCKETCALL, 15 },
	{ "sendmsg", SBX_I386_SOCKETCALL, 16 },
	{ "recvmsg", SBX_I386_SOCKETCALL, 17 },
	{ "accept4", SBX_I386_SOCKETCALL, 18 },
	{ "recvmmsg", SBX_I386_SOCKETCALL, 19 },
	{ "sendmmsg", SBX_I386_SOCKETCALL, 20 },
	{ "semop", SBX_I386_IPC, 1 },
	{ "semget", SBX_I386_IPC, 2 },
	{ "semctl", SBX_I386_IPC, 3 },
	{ "semtimedop", SBX_I386_IPC, 4 },
	{ "msgsnd", SBX_I386_IPC, 11 },
	{ "msgrcv", SBX_I386_IPC, 12 },
	{ "msgget", SBX_I386_IPC, 13 },
	{ "msgctl", SBX_I386_IPC, 14 },
	{ "shmat", SBX_I386_IPC, 21 },
	{ "shmdt", SBX_I386_IPC, 22 },
	{ "shmget", SBX_I386_IPC, 23 },
	{ "shmctl", SBX_I386_IPC, 24 },
};

const struct sbx_mux_call *sbx_mux_call(const char *name)
{
	for (size_t i = 0; i < sizeof(mux_calls) / sizeof(mux_calls[0]); i++)
		if (strcmp(mux_calls[i].name, name) == 0)
			return &mux_calls[i];
	return NULL;
}
