/* monitor: signal forwarding, reaping and exit status. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "util.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

static void wait_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
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
static int next_event(const sigset_t *set, int sig_fd, int status_fd, siginfo_t *info)
{
	struct pollfd fds[2] = { { .fd = sig_fd, .events = POLLIN },
				 { .fd = status_fd, .events = POLLIN } };
	struct signalfd_siginfo si;

	if (status_fd < 0)
		return sigwaitinfo(set, info);
	if (poll(fds, 2, -1) < 0)
		return -1;
	if (fds[1].revents)
		return 0;
	if (SBX_RETRY(read(sig_fd, &si, sizeof(si))) != (ssize_t)sizeof(si))
		return -1;
	memset(info, 0, sizeof(*info));
	info->si_signo = (int)si.ssi_signo;
	info->si_code = si.ssi_code;
	return info->si_signo;
}

int monitor_wait(pid_t main_pid, pid_t signal_pid, int status_fd, bool tty_signals_too,
		 bool reap_all)
{
	_cleanup_close_ int sig_fd = -1;
	bool first = true;
	sigset_t set;

	wait_set(&set);
	if (status_fd >= 0) {
		sig_fd = signalfd(-1, &set, SFD_CLOEXEC);
		if (sig_fd < 0)
			status_fd = -1; /* then wait for the process itself */
	}
	for (;;) {
		siginfo_t info;
		int sig;

		/* Reap once before the first wait: a child may be gone already,
		 * its SIGCHLD taken by nobody. */
		if (first) {
			first = false;
			sig = SIGCHLD;
		} else {
			sig = next_event(&set, sig_fd, status_fd, &info);
		}
		if (sig == 0) {
			int code;

			/* PID 1's report of the command's status, sent before
			 * it exits: the namespaces' teardown is not waited for
			 * (as bwrap). EOF: it died without one; wait for it. */
			if (SBX_RETRY(read(status_fd, &code, sizeof(code))) == (ssize_t)sizeof(code) &&
			    believe_report(signal_pid))
				return code;
			status_fd = -1;
			continue;
		}
		if (sig < 0) {
			int st;

			if (errno == EINTR)
				continue;
			/* Cannot happen with a valid set; fall back to a blocking wait. */
			if (SBX_RETRY(waitpid(main_pid, &st, 0)) == main_pid)
				return monitor_exit_code(st);
			return 1;
		}
		if (sig == SIGCHLD) {
			for (;;) {
				int st;
				pid_t pid = waitpid(reap_all ? -1 : main_pid, &st, WNOHANG);

				if (pid <= 0)
					break;
				if (pid == main_pid)
					return monitor_exit_code(st);
			}
			continue;
		}
		if (info.si_code != SI_KERNEL || tty_signals_too)
			kill(signal_pid, sig);
	}
}

/* The JSON bwrap writes, key by key in its order; bwrap leaves out the user
 * namespace (not final when it reports). */
static int format_start(pid_t child, const struct sbx_plan *plan, bool pretty, char *buf,
			size_t size)
{
	const struct {
		const char *name;
		bool on;
	} ns[] = {
		{ "cgroup", plan->unshare_cgroup }, { "ipc", plan->unshare_ipc },
		{ "mnt", true },		     { "net", plan->unshare_net },
		{ "pid", plan->unshare_pid },	     { "uts", plan->unshare_uts },
	};
	const char *sep = pretty ? ",\n    " : ", ";
	size_t len;

	len = (size_t)snprintf(buf, size, pretty ? "{\n    \"child-pid\": %d" : "{ \"child-pid\": %d",
			       (int)child);
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
	if (len < size)
		len += (size_t)snprintf(buf + len, size - len, pretty ? "\n}\n" : " }\n");
	if (len >= size) {
		errno = ENOBUFS;
		return -1;
	}
	return (int)len;
}

int monitor_report_start(pid_t child, const struct sbx_plan *plan)
{
	char buf[1024];
	int len;

	if (plan->info_fd >= 0) {
		len = format_start(child, plan, true, buf, sizeof(buf));
		if (len < 0 || write_all(plan->info_fd, buf, (size_t)len) < 0)
			return -1;
		close(plan->info_fd);
	}
	if (plan->json_status_fd >= 0) {
		len = format_start(child, plan, false, buf, sizeof(buf));
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
