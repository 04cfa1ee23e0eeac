/* userns: the id maps of the sandbox's user namespace. Step 2 of the setup
 * sequence: the monitor writes them for the child it just cloned. */
#ifndef SBX_USERNS_H
#define SBX_USERNS_H

#include <sys/types.h>

#include "plan.h"
#include "util.h"

/* Format the single-id map line "INSIDE OUTSIDE 1\n" (pure). */
void userns_map_line(char *buf, size_t size, unsigned inside, unsigned outside);

/* Write setgroups (deny, when unprivileged), uid_map and gid_map of pid. */
int userns_write_maps(pid_t pid, const struct sbx_plan *plan, struct sbx_err *err);

/* Explain why creating a user namespace failed with errno e: what the system
 * refused and what would fix it. */
void userns_explain_failure(int e, struct sbx_err *err);

#endif
