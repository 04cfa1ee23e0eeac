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

/* Load every program of the plan with seccomp(2). Requires no_new_privs
 * (or CAP_SYS_ADMIN). */
int filter_apply(const struct sbx_plan *plan, struct sbx_err *err);

#endif
