/* monitor: signal forwarding, job control, reaping and exit status.
 *
 * MUST: the sandbox is never in the caller's process group (sandbox.c puts
 *       it in one of its own, or a session with --new-session), so that
 *       kill(0, ...) and a terminal's group signals from inside reach only
 *       the sandbox; the monitor, which stays in the caller's group, stands
 *       in for it there and relays.
 * MUST: a signal sent by pid goes to a child not yet reaped (its pid cannot
 *       be reused until then) or through a pidfd. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>

#include "util.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
/* Job control: relayed to the sandbox's group; SIGTTOU blocked also lets
 * the monitor take the terminal back from the background (termios(3)). */
static const int job_signals[] = { SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT };

/* si_value of a signal the monitor asks PID 1 to send to its whole group. */
#define SBX_SIGQ_GROUP 0x5b0c

static void wait_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
	for (size_t i = 0; i < sizeof(job_signals) / sizeof(job_signals[0]); i++)
		sigaddset(set, job_signals[i]);
}

void monitor_block_signals(sigset_t *saved)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;

	/* An inherited SIG_IGN for SIGCHLD would make the kernel reap for us
	 * and lose the status. It is reset here, before any child exists:
	 * setting SIG_DFL later would discard a SIGCHLD already pending
	 * (POSIX, sigaction: pending signals whose default is to be ignored
	 * are discarded), and the wait below would never wake. */
	sigaction(SIGCHLD, &dfl, NULL);
	wait_set(&set);
	sigprocmask(SIG_BLOCK, &set, saved);
}

int monitor_exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 1;
}

/* PF_EXITING, include/linux/sched.h: set when a task starts to exit. */
#define SBX_PF_EXITING 0x00000004u

/* Whether pid has started to exit: PF_EXITING in the flags field of
 * /proc/PID/stat (proc(5): the 9th field; the 2nd, comm, may hold
 * anything, so fields count from its last ')'). */
static bool is_exiting(pid_t pid)
{
	char path[64], buf[1024];
	_cleanup_close_ int fd = -1;
	unsigned flags;
	const char *p;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = SBX_RETRY(read(fd, buf, sizeof(buf) - 1));
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p == NULL || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %u", &flags) != 1)
		return false;
	return flags & SBX_PF_EXITING;
}

/* PID 1's report of the command's status arrives just before PID 1 exits.
 * The command can write on that pipe too (through /proc/1/fd, or by
 * ptracing PID 1), so a report counts only from a PID 1 that is exiting:
 * PID 1 writes, then exits at once, so a few looks suffice; after that
 * the monitor waits for PID 1 itself (a forged report changes nothing). */
static bool believe_report(pid_t pid)
{
	for (int i = 0; i < 64; i++) {
		if (is_exiting(pid))
			return true;
		sched_yield();
	}
	return false;
}

/* The next signal of set (info filled; its number returned), or 0 when
 * status_fd (if >= 0; polled beside sig_fd, a signalfd for set) is
 * readable. -1/errno on failure. */
static int next_event(const sigset_t *set, int sig_fd, int status_fd, struct sbx_supervisor *sup,
		      siginfo_t *info)
{
	struct signalfd_siginfo si;

	if (sig_fd < 0)
		return sigwaitinfo(set, info);
	for (;;) {
		struct pollfd fds[3] = { { .fd = sig_fd, .events = POLLIN },
					 { .fd = status_fd, .events = POLLIN },
					 { .fd = sup ? supervise_fd(sup) : -1, .events = POLLIN } };

		if (poll(fds, 3, -1) < 0)
			return -1;
		if (fds[1].revents)
			return 0;
		if (fds[0].revents)
			break;
		if (fds[2].revents)
			supervise_event(sup, fds[2].revents);
	}
	if (SBX_RETRY(read(sig_fd, &si, sizeof(si))) != (ssize_t)sizeof(si))
		return -1;
	memset(info, 0, sizeof(*info));
	info->si_signo = (int)si.ssi_signo;
	info->si_code = si.ssi_code;
	info->si_pid = (pid_t)si.ssi_pid;
	info->si_value.sival_int = si.ssi_int;
	return info->si_signo;
}

/* Signal the one process signals are forwarded to; info (or NULL) rides
 * along. A pidfd where we have one (Linux 5.1), as the pid may not be our
 * child; else kill/rt_sigqueueinfo by pid. */
static void send_one(const struct sbx_waiter *w, int sig, siginfo_t *info)
{
	if (w->signal_pidfd >= 0 &&
	    syscall(SYS_pidfd_send_signal, w->signal_pidfd, sig, info, 0) == 0)
		return;
	if (w->signal_pidfd >= 0 && errno != ENOSYS)
		return; /* gone */
	if (info)
		syscall(SYS_rt_sigqueueinfo, w->signal_pid, sig, info);
	else
		kill(w->signal_pid, sig);
}

/* Signal the sandbox's whole group, as a terminal does. PID 1 sends to its
 * own group; the monitor asks PID 1 to (SBX_SIGQ_GROUP), because a group
 * signal straight from the monitor would reach PID 1 too and look to it
 * like one to forward to the command, which would get it twice. Without a
 * PID 1 the group is the command's own, led by our child. */
static void send_group(const struct sbx_waiter *w, int sig)
{
	siginfo_t info;

	if (w->is_pid1) {
		kill(0, sig);
	} else if (w->via_pid1 && sig != SIGCONT) {
		memset(&info, 0, sizeof(info));
		info.si_signo = sig;
		info.si_code = SI_QUEUE;
		info.si_pid = getpid();
		info.si_uid = getuid();
		info.si_value.sival_int = SBX_SIGQ_GROUP;
		send_one(w, sig, &info);
	} else {
		/* SIGCONT too: PID 1 ignores it, as any init does. */
		killpg(w->group, sig);
	}
}

/* PID 1's relay: a terminal's signals already reached the whole group, and
 * so did its own group sends (they come back to it); the monitor's
 * requests go to the group; the rest to the command. */
static void relay_as_pid1(const struct sbx_waiter *w, int sig, siginfo_t *info)
{
	int report = SBX_REPORT_TTY | sig;

	/* The terminal's Ctrl-Z reached us: the sandbox's group is its
	 * foreground. The monitor stops at once (see on_tty_stop). */
	if (info->si_code == SI_KERNEL && sig == SIGTSTP && w->report_fd >= 0)
		(void)SBX_RETRY(write(w->report_fd, &report, sizeof(report)));
	if (info->si_code == SI_KERNEL || sig == SIGCONT ||
	    (info->si_code == SI_USER && info->si_pid == getpid()))
		return;
	if (info->si_code == SI_QUEUE && info->si_value.sival_int == SBX_SIGQ_GROUP)
		send_group(w, sig);
	else
		send_one(w, sig, NULL);
}

/* The monitor's view of the terminal it shares with the sandbox's group. */
struct jobs {
	int tty_fd;   /* /dev/tty, opened on first need; -1 none; -2 not yet */
	bool handed;  /* the sandbox's group is the terminal's foreground */
	bool wants;   /* it had the terminal, or asked for it, when it stopped */
	bool resumed; /* we stopped and were continued: the stops reported
			 meanwhile are stale (drop_stale) */
};

static int jobs_tty(struct jobs *j)
{
	if (j->tty_fd == -2)
		j->tty_fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	return j->tty_fd;
}

/* Whether our group (the caller's job) is in the terminal's foreground. */
static bool jobs_foreground(struct jobs *j)
{
	int fd = jobs_tty(j);

	return fd >= 0 && tcgetpgrp(fd) == getpgrp();
}

static void jobs_hand(struct jobs *j, pid_t group)
{
	if (jobs_foreground(j) && tcsetpgrp(j->tty_fd, group) == 0) {
		j->handed = true;
		j->wants = false;
	}
}

/* From the background: allowed since SIGTTOU is blocked (tcsetpgrp(3)). */
static void jobs_take_back(struct jobs *j)
{
	if (j->handed && tcsetpgrp(j->tty_fd, getpgrp()) == 0)
		j->handed = false;
}

/* SIGTSTP, SIGTTIN or SIGTTOU: a stop a process can take by default and a
 * shell continues (SIGSTOP aside). */
static bool is_tty_stop(int sig)
{
	return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Stop as the sandbox did, so the caller's shell sees its job stop. The
 * signal is unblocked just long enough to take its default action; the
 * kernel drops SIGTSTP, SIGTTIN and SIGTTOU in an orphaned process group,
 * where no shell would continue us. An inherited SIG_IGN is respected.
 * When we did stop, the SIGCONT that woke us is pending (it is blocked):
 * j->resumed says so, and the loop relays it next. */
static void stop_self(struct jobs *j, int sig)
{
	struct sigaction old;
	sigset_t one, pending;

	if (!is_tty_stop(sig) || sigaction(sig, NULL, &old) < 0 || old.sa_handler != SIG_DFL)
		return;
	sigemptyset(&one);
	sigaddset(&one, sig);
	kill(getpid(), sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	sigprocmask(SIG_BLOCK, &one, NULL);
	if (sigpending(&pending) == 0 && sigismember(&pending, SIGCONT) == 1)
		j->resumed = true;
}

/* The command stopped with sig. Reading or writing the terminal from the
 * background (SIGTTIN, SIGTTOU) asks for it: it is handed over if the
 * caller's job has it, and the sandbox continued, as a shell's fg would.
 * Otherwise the monitor takes the terminal back and stops too; SIGCONT
 * (the shell's fg or bg) continues the sandbox, handing the terminal back
 * to it if it had it. A SIGSTOP someone sent the command is mirrored only
 * when it held the terminal (else the caller would be left stopped by a
 * stop it did not make, and a SIGCONT sent straight to the command would
 * not wake it). */
static void on_stop(const struct sbx_waiter *w, struct jobs *j, int sig)
{
	bool had = j->handed, asks = sig == SIGTTIN || sig == SIGTTOU;

	if (!w->job_control)
		return;
	jobs_take_back(j);
	if (asks || had)
		j->wants = true;
	if (asks && jobs_foreground(j)) {
		jobs_hand(j, w->group);
		killpg(w->group, SIGCONT);
		return;
	}
	if (sig != SIGSTOP)
		stop_self(j, sig);
	else if (had)
		stop_self(j, SIGTSTP);
}

/* A terminal stopped the job: sig reached our group, or (PID 1's report)
 * the sandbox's, as the terminal's foreground. We stop at once, as bwrap
 * does by sharing the group, and do not wait for the command's stop: it
 * may never come (a process between vfork() and exec() stops, and its
 * parent, the command, cannot until it execs). The command's report of
 * the same stop then arrives stale and is dropped (drop_stale). Without a
 * PID 1 a Ctrl-Z to a sandbox holding the terminal is seen only through
 * the command's stop. */
static void on_tty_stop(const struct sbx_waiter *w, struct jobs *j, int sig)
{
	if (!w->job_control)
		return;
	if (j->handed)
		j->wants = true;
	jobs_take_back(j);
	stop_self(j, sig);
}

static void on_signal(const struct sbx_waiter *w, struct jobs *j, int sig, siginfo_t *info)
{
	bool job = is_tty_stop(sig) || sig == SIGCONT;

	if (w->is_pid1) {
		relay_as_pid1(w, sig, info);
		return;
	}
	if (sig == SIGCONT && w->job_control && j->wants && jobs_foreground(j))
		jobs_hand(j, w->group);
	/* A signal a terminal sent reached our group, not the sandbox's: it
	 * goes to the whole of that, as the terminal would have sent it. */
	if (job || info->si_code == SI_KERNEL)
		send_group(w, sig);
	else
		send_one(w, sig, NULL);
	if (info->si_code == SI_KERNEL && job && sig != SIGCONT)
		on_tty_stop(w, j, sig);
	/* The terminal hung up, or our group was orphaned while stopped: the
	 * kernel continues a stopped group it sends SIGHUP to, so that the
	 * signal acts; it does not know the sandbox's is part of the job. */
	if (info->si_code == SI_KERNEL && sig == SIGHUP)
		send_group(w, SIGCONT);
}

/* Reap what exited (WNOHANG); report or mirror a stop of main_pid (or,
 * with drop, ignore it). The exit status of main_pid, or -1 while it runs. */
static int reap(const struct sbx_waiter *w, struct jobs *j, bool drop)
{
	for (;;) {
		int st;
		pid_t pid = waitpid(w->is_pid1 ? -1 : w->main_pid, &st, WNOHANG | WUNTRACED);

		if (pid <= 0)
			return -1;
		if (pid != w->main_pid)
			continue;
		if (WIFSTOPPED(st)) {
			int report = SBX_REPORT_STOP | WSTOPSIG(st);

			if (w->is_pid1 && w->report_fd >= 0)
				(void)SBX_RETRY(write(w->report_fd, &report, sizeof(report)));
			else if (!w->is_pid1 && !drop)
				on_stop(w, j, WSTOPSIG(st));
			continue;
		}
		return monitor_exit_code(st);
	}
}

/* One report from PID 1 (status_fd is readable): a stop is mirrored (or,
 * with drop, ignored) and -1 returned; an exit status is returned, sent
 * before PID 1 exits: the namespaces' teardown is not waited for (as
 * bwrap). EOF, or a report we cannot believe: *status_fd = -1, and the
 * loop waits for PID 1 itself. */
static int read_report(const struct sbx_waiter *w, struct jobs *j, int *status_fd, bool drop)
{
	int code;

	if (SBX_RETRY(read(*status_fd, &code, sizeof(code))) != (ssize_t)sizeof(code)) {
		*status_fd = -1;
		return -1;
	}
	/* The command can write here too: a report names a stop signal, or
	 * it would make us raise whatever it liked (a core dump outside). */
	if (code == (SBX_REPORT_TTY | SIGTSTP)) {
		if (!drop)
			on_tty_stop(w, j, SIGTSTP);
		return -1;
	}
	if ((code & ~0xff) == SBX_REPORT_STOP) {
		int sig = code & 0xff;

		if (!drop && (is_tty_stop(sig) || sig == SIGSTOP))
			on_stop(w, j, sig);
		return -1;
	}
	if (code >= 0 && code <= 255 && believe_report(w->signal_pid))
		return code;
	*status_fd = -1;
	return -1;
}

/* We stopped and were continued by a SIGCONT, still pending, that the
 * loop relays next. Stops reported until now end with it: they are
 * dropped, or they would stop us again. An exit status found meanwhile is
 * returned; -1 if none. */
static int drop_stale(const struct sbx_waiter *w, struct jobs *j, int *status_fd)
{
	int code;

	j->resumed = false;
	if ((code = reap(w, j, true)) >= 0)
		return code;
	while (*status_fd >= 0) {
		struct pollfd p = { .fd = *status_fd, .events = POLLIN };

		if (poll(&p, 1, 0) != 1)
			break;
		if ((code = read_report(w, j, status_fd, true)) >= 0)
			return code;
	}
	return -1;
}

/* Whether the command has been exec'd (or the child is gone): every write
 * end of setup_fd is closed. */
static bool setup_over(int setup_fd)
{
	struct pollfd p = { .fd = setup_fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/* A caller that gives up before its command runs (a timeout, Ctrl-C during
 * --block-fd) gets what bwrap gives it: the sandbox's setup ends, and so
 * does sbx, of the same signal. The child ran nothing of the caller's yet. */
static __attribute__((noreturn)) void abandon_setup(const struct sbx_waiter *w, struct jobs *j,
						    int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t one;

	kill(w->main_pid, SIGKILL);
	(void)SBX_RETRY(waitpid(w->main_pid, NULL, 0));
	jobs_take_back(j);
	sigaction(sig, &dfl, NULL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	raise(sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	_exit(128 + sig);
}

static int wait_loop(const struct sbx_waiter *w, struct jobs *j)
{
	_cleanup_close_ int sig_fd = -1;
	int status_fd = w->status_fd, code;
	sigset_t set;

	wait_set(&set);
	if (status_fd >= 0 || w->sup) {
		sig_fd = signalfd(-1, &set, SFD_CLOEXEC);
		if (sig_fd < 0)
			status_fd = -1; /* then wait for the process itself */
	}
	/* Reap once before the first wait: a child may be gone already, its
	 * SIGCHLD taken by nobody. */
	if ((code = reap(w, j, false)) >= 0)
		return code;
	for (;;) {
		siginfo_t info;
		int sig;

		if (j->resumed && (code = drop_stale(w, j, &status_fd)) >= 0)
			return code;
		sig = next_event(&set, sig_fd, status_fd, w->sup, &info);
		if (sig == 0) {
			if ((code = read_report(w, j, &status_fd, false)) >= 0)
				return code;
			continue;
		}
		if (sig < 0) {
			int st;

			if (errno == EINTR)
				continue;
			/* Cannot happen with a valid set; fall back to a blocking wait. */
			if (SBX_RETRY(waitpid(w->main_pid, &st, 0)) == w->main_pid)
				return monitor_exit_code(st);
			return 1;
		}
		if (sig == SIGCHLD) {
			if ((code = reap(w, j, false)) >= 0)
				return code;
			continue;
		}
		if (w->setup_fd >= 0 && !is_tty_stop(sig) && sig != SIGCONT &&
		    !setup_over(w->setup_fd))
			abandon_setup(w, j, sig);
		on_signal(w, j, sig, &info);
	}
}

int monitor_wait(const struct sbx_waiter *w)
{
	struct jobs j = { .tty_fd = -2 };
	int code;

	/* A PID namespace's init cannot stop: the kernel drops the SIGTTIN
	 * that reading the terminal from the background sends it, and its
	 * read restarts until it is in the foreground. So it gets the
	 * terminal at once, as a shell's foreground job would. */
	if (w->job_control && w->tty_at_once)
		jobs_hand(&j, w->group);
	code = wait_loop(w, &j);

	/* The terminal goes back to the caller's job before we exit. */
	jobs_take_back(&j);
	if (j.tty_fd >= 0)
		close(j.tty_fd);
	return code;
}

/* The JSON bwrap writes, key by key in its order; bwrap leaves out the user
 * namespace (not final when it reports). */
static int format_start(pid_t child, const struct sbx_plan *plan, const struct sbx_slice *slice,
			bool pretty, char *buf, size_t size)
{
	const struct {
		const char *name;
		bool on;
	} ns[] = {
		{ "cgroup", plan->unshare_cgroup },
		{ "ipc", plan->unshare_ipc },
		{ "mnt", true },
		{ "net", plan->unshare_net },
		{ "pid", plan->unshare_pid },
		{ "uts", plan->unshare_uts },
	};
	const char *sep = pretty ? ",\n    " : ", ";
	size_t len;

	len = (size_t)snprintf(
		buf, size, pretty ? "{\n    \"child-pid\": %d" : "{ \"child-pid\": %d", (int)child);
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]) && len < size; i++) {
		char path[64];
		struct stat st;

		if (!ns[i].on)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)child, ns[i].name);
		if (stat(path, &st) < 0)
			return -1;
		len += (size_t)snprintf(buf + len, size - len, "%s\"%s-namespace\": %llu", sep,
					ns[i].name, (unsigned long long)st.st_ino);
	}
	if (slice && slice->count && len < size)
		len += (size_t)snprintf(buf + len, size - len,
					"%s\"uid-slice\": [%u, %u]%s\"gid-slice\": [%u, %u]", sep,
					slice->uid_start, slice->count, sep, slice->gid_start,
					slice->count);
	if (len < size)
		len += (size_t)snprintf(buf + len, size - len, pretty ? "\n}\n" : " }\n");
	if (len >= size) {
		errno = ENOBUFS;
		return -1;
	}
	return (int)len;
}

int monitor_report_start(pid_t child, const struct sbx_plan *plan, const struct sbx_slice *slice)
{
	char buf[1024];
	int len;

	if (plan->info_fd >= 0) {
		len = format_start(child, plan, slice, true, buf, sizeof(buf));
		if (len < 0 || write_all(plan->info_fd, buf, (size_t)len) < 0)
			return -1;
		/* Given to --json-status-fd too, the status lines follow on it:
		 * closed here, they would go to whatever reused the number. */
		if (plan->info_fd != plan->json_status_fd)
			close(plan->info_fd);
	}
	if (plan->json_status_fd >= 0) {
		len = format_start(child, plan, slice, false, buf, sizeof(buf));
		if (len < 0 || write_all(plan->json_status_fd, buf, (size_t)len) < 0)
			return -1;
	}
	return 0;
}

void monitor_report_exit(const struct sbx_plan *plan, int exec_fd, int code)
{
	char buf[64];
	int len;

	if (plan->json_status_fd < 0)
		return;
	/* exec_fd is non-blocking and read once the command is gone, so
	 * whatever was written is there: one byte means it was exec'd; none
	 * (setup failed) or two (execvp failed) mean no exit code, as bwrap. */
	if (SBX_RETRY(read(exec_fd, buf, 2)) != 1)
		return;
	len = snprintf(buf, sizeof(buf), "{ \"exit-code\": %d }\n", code);
	/* The caller may have closed its end: nothing else to tell it then. */
	if (write_all(plan->json_status_fd, buf, (size_t)len) < 0)
		return;
}
