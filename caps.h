/* caps: capability names, the set the command keeps (pure math over the
 * plan's --cap-add/--cap-drop list) and the final drop with libcap-ng.
 * Called by cli (names) and by sandbox.c in the seal step. */
#ifndef SBX_CAPS_H
#define SBX_CAPS_H

#include <stdint.h>

#include "plan.h"
#include "util.h"

/* "CAP_SYS_ADMIN", "sys_admin", ... -> number, or -1. */
int caps_from_name(const char *name);

/* The caps the command keeps: none, then the plan's edits in order. ALL
 * means every cap in available (bwrap: "all the permitted caps"); a cap
 * named one by one is kept even if not available, so that asking for what
 * the process lacks fails loudly at caps_apply(). Bit N = capability N. */
uint64_t caps_compute(const struct sbx_plan *plan, uint64_t available);

/* The process's permitted set, as a mask. */
uint64_t caps_permitted(void);

/* A capability for PID 1 to hold in its permitted set only, that the
 * command (keeping keep) lacks, CAP_WAKE_ALARM if it can be, or 0 if
 * permitted has none that keep lacks: the
 * kernel lets a process trace, or open the /proc/PID/exe, fd/ and mem of,
 * a process of its own user namespace only if it has every capability the
 * other has (cap_ptrace_access_check), while the owner of the namespace,
 * outside, has all of them there. */
uint64_t caps_pid1_guard(uint64_t keep, uint64_t permitted);

/* Drop every capability but keep's from the bounding set, from 0 up to
 * the first the kernel refuses with EINVAL, through bset (caps_bset_prctl,
 * or a stand-in kernel in the unit tests). Returns the highest capability
 * the kernel knows, or -1 with err filled on any other error. */
int caps_drop_bounding(uint64_t keep, int (*bset)(int option, int cap), struct sbx_err *err);
/* prctl(option, cap): PR_CAPBSET_DROP or PR_CAPBSET_READ. */
int caps_bset_prctl(int option, int cap);

/* Make keep the bounding, permitted, effective, inheritable and ambient
 * sets (ambient so a non-root uid keeps them across exec), and add
 * permitted_only to the permitted set alone (gone at the next exec). */
int caps_apply(uint64_t keep, uint64_t permitted_only, struct sbx_err *err);

#endif
