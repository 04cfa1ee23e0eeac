/* supervise: the mounts of a nested sandbox, done by the monitor.
 *
 * The default profile sends a new mount (mount(2) without MS_BIND,
 * MS_REMOUNT, MS_MOVE or a propagation flag) to a seccomp user
 * notification. The child sends the listener to the monitor, which
 * answers each one: proc, tmpfs, devpts and mqueue are mounted by a helper
 * process that has the caller's user, mount, PID (proc) and IPC (mqueue)
 * namespaces, root, working directory, ids and effective capabilities,
 * with arguments copied out of the caller once; anything else is refused
 * with EPERM. The helper has the monitor's LSM domain, so a task whose
 * SELinux, AppArmor or Smack label differs from the monitor's is refused;
 * a Landlock domain the task put on itself cannot be seen from outside and
 * does not bind the helper (a program that confines a child with Landlock
 * and wants it to mount nothing says so in a seccomp filter of its own too:
 * its ERRNO for mount comes before sbx's notification). /proc/self in a
 * mount's paths is the helper. See man sbx, NESTED SANDBOXES. */
#ifndef SBX_SUPERVISE_H
#define SBX_SUPERVISE_H

#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>

struct sbx_supervisor {
	int sock;     /* where the child sends the listener; -1 once done */
	int listener; /* the seccomp listener, or -1 */
	uid_t uid;    /* the caller's ids: a notifying task must have them all */
	gid_t gid;
	bool proc_is_ours; /* /proc is of our PID namespace (else all is refused) */
};

/* The fd the monitor polls for the supervisor (POLLIN), or -1. */
int supervise_fd(const struct sbx_supervisor *s);

/* Act on revents of supervise_fd(): take the listener from the socket, or
 * answer one notification. Never fails: a notification it cannot handle
 * is answered EPERM (or left to the kernel if the task is gone), a broken
 * listener is closed (the kernel then answers ENOSYS). */
void supervise_event(struct sbx_supervisor *s, short revents);

/* The child: send the listener fd over sock. 0 or -1/errno. */
int supervise_send_listener(int sock, int listener);

#endif
