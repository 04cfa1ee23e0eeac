/* filter: seccomp at run time. Loads the plan's BPF programs (bwrap's
 * --seccomp / --add-seccomp-fd), in order, as the last step of the seal. */
#ifndef SBX_FILTER_H
#define SBX_FILTER_H

#include "plan.h"
#include "util.h"

/* True if blob has the shape of a classic BPF program the kernel accepts
 * (a whole number of instructions, 1 to BPF_MAXINSNS). */
bool filter_blob_valid(const struct sbx_blob *blob);

/* Load every program of the plan with seccomp(2). Requires no_new_privs
 * (or CAP_SYS_ADMIN). */
int filter_apply(const struct sbx_plan *plan, struct sbx_err *err);

#endif
