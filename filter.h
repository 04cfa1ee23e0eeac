/* filter: seccomp at run time. Loads the plan's BPF programs (bwrap's
 * --seccomp / --add-seccomp-fd), in order, as the last step of the seal. */
#ifndef SBX_FILTER_H
#define SBX_FILTER_H

#include "plan.h"
#include "seccomp-profiles/profiles.h"
#include "util.h"

/* True if blob has the shape of a classic BPF program the kernel accepts
 * (a whole number of instructions, 1 to BPF_MAXINSNS). */
bool filter_blob_valid(const struct sbx_blob *blob);

/* A built-in profile by name, or NULL. */
const struct sbx_builtin_profile *filter_builtin(const char *name);

/* True if blob is one of the built-in profiles' programs. */
bool filter_builtin_blob(const struct sbx_blob *blob);

/* True if blob returns SECCOMP_RET_USER_NOTIF somewhere (the default
 * profile's new mounts). */
bool filter_blob_notifies(const struct sbx_blob *blob);

/* Load every program of the plan with seccomp(2). Requires no_new_privs
 * (or CAP_SYS_ADMIN). The plan's seccomp_listen program is loaded with a
 * listener, returned in *listener (else -1; O_CLOEXEC): the caller sends
 * it to the supervisor and closes it. Where no listener can be had (a
 * filter we run under has one), and for the built-in program that is not
 * supervised, its user notifications become EPERM. */
int filter_apply(const struct sbx_plan *plan, int *listener, struct sbx_err *err);

#endif
