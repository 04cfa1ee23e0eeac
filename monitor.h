/* monitor: the processes that wait. The outside parent (step 2) waits for
 * the sandbox and passes on its exit status; the sandbox's PID 1 (step 5)
 * reaps zombies and passes on the command's. Both forward signals, and the
 * outside parent does job control for the sandbox's process group. */
#ifndef SBX_MONITOR_H
#define SBX_MONITOR_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "plan.h"
#include "supervise.h"
#include "userns.h"

/* Block SIGCHLD, the forwarded signals and the job-control ones (saving the
 * old mask): they are taken synchronously. Call before clone(). */
void monitor_block_signals(sigset_t *saved);

/* What one waiting process waits for, and where it sends signals. */
struct sbx_waiter {
	pid_t main_pid;   /* the process waited for (a child) */
	pid_t signal_pid; /* where signals are forwarded: main_pid, or the PID 1 it waits for */
	int signal_pidfd; /* a pidfd of signal_pid when it is not our child, or -1 */
	pid_t group;      /* the monitor: the sandbox's process group (led by main_pid) */
	bool via_pid1;    /* the monitor: signal_pid is a PID 1 that relays to the group */
	int status_fd;    /* the monitor: PID 1's reports (stops, exit status), or -1 */
	int report_fd;    /* PID 1: where to report that main_pid stopped, or -1 */
	bool is_pid1;     /* reap every child; relay as PID 1 does */
	bool job_control; /* the monitor: the group shares our terminal's session */
	bool tty_at_once; /* hand it the terminal at start: the command is an init */
	int setup_fd;     /* the monitor: a pipe's read end whose writers are gone once
			     the command is exec'd (O_CLOEXEC), or -1 */
	struct sbx_supervisor *sup; /* the monitor: nested mounts to answer, or NULL */
};

/* Wait until main_pid exits. SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and
 * SIGUSR2 are forwarded to signal_pid, or, when a terminal sent them to
 * the monitor, to the whole sandbox group (as the terminal would have);
 * SIGTSTP, SIGTTIN, SIGTTOU and SIGCONT go to the group. With job_control
 * the monitor mirrors the command's stops (so the caller's shell sees the
 * job stop) and hands the terminal to the sandbox's group when it asks by
 * stopping on terminal input or output, and takes it back on a stop and
 * before it returns. A forwarded signal that arrives while the sandbox is
 * still being set up (setup_fd has writers) ends it instead: main_pid is
 * killed and the monitor dies of the signal, as bwrap's parent does, since
 * a PID 1 or a child with signals blocked would not act on it until the
 * command runs. If status_fd >= 0, an exit status read from it is
 * taken without waiting for main_pid to be gone (PID 1 writes it before it
 * exits). With sup, the monitor answers the sandbox's new mounts in
 * between (supervise.h), one at a time. Returns the exit status: the code, or 128+N if killed by N. */
int monitor_wait(const struct sbx_waiter *w);

/* PID 1's reports on its status pipe, each this flag with a signal: the
 * command stopped; the terminal sent the sandbox's group SIGTSTP. An exit
 * status is a plain int 0..255. */
#define SBX_REPORT_STOP 0x10000
#define SBX_REPORT_TTY 0x20000

/* --info-fd and the first --json-status-fd line: the child's pid and the
 * inode numbers of the namespaces it was given, in bwrap's format, then
 * the --auto-map slice if there is one ("uid-slice" and "gid-slice": [first
 * subordinate id, count]). Closes info_fd. Returns 0 or -1/errno. */
int monitor_report_start(pid_t child, const struct sbx_plan *plan, const struct sbx_slice *slice);

/* The last --json-status-fd line, {"exit-code": N}, written only if
 * exec_fd (the read end of the child's exec report) holds exactly one
 * byte: the command was exec'd. */
void monitor_report_exit(const struct sbx_plan *plan, int exec_fd, int code);

/* Shell convention for a wait status: code, or 128+signal. */
int monitor_exit_code(int wstatus);

#endif
