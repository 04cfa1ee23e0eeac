/* monitor: the processes that wait. The outside parent (step 2) waits for
 * the sandbox and passes on its exit status; the sandbox's PID 1 (step 5)
 * reaps zombies and passes on the command's. Both forward signals. */
#ifndef SBX_MONITOR_H
#define SBX_MONITOR_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "plan.h"

/* Block SIGCHLD and the forwarded signals (saving the old mask): they are
 * taken synchronously with sigwaitinfo(). Call before clone(). */
void monitor_block_signals(sigset_t *saved);

/* Wait until main_pid exits, forwarding SIGINT, SIGTERM, SIGHUP, SIGQUIT,
 * SIGUSR1 and SIGUSR2 to signal_pid (main_pid itself, or the process
 * main_pid waits for). Signals the kernel sent on behalf of a terminal
 * already reached the whole foreground process group, so they are forwarded
 * only if tty_signals_too (the sandbox left the terminal's session).
 * If status_fd >= 0, an int read from it is the exit status, taken without
 * waiting for main_pid to be gone (PID 1 writes it before it exits).
 * With reap_all, other children are reaped as they exit (PID 1's duty).
 * Returns the exit status: the code, or 128+N if killed by signal N. */
int monitor_wait(pid_t main_pid, pid_t signal_pid, int status_fd, bool tty_signals_too,
		 bool reap_all);

/* --info-fd and the first --json-status-fd line: the child's pid and the
 * inode numbers of the namespaces it was given, in bwrap's format. Closes
 * info_fd. Returns 0 or -1/errno. */
int monitor_report_start(pid_t child, const struct sbx_plan *plan);

/* The last --json-status-fd line, {"exit-code": N}, written only if
 * exec_fd (the read end of the child's exec report) holds exactly one
 * byte: the command was exec'd. */
void monitor_report_exit(const struct sbx_plan *plan, int exec_fd, int code);

/* Shell convention for a wait status: code, or 128+signal. */
int monitor_exit_code(int wstatus);

#endif
