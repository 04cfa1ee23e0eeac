/* net: bring up loopback in a new network namespace (bwrap does the same).
 * Called by sandbox.c in the child when --unshare-net is given. */
#ifndef SBX_NET_H
#define SBX_NET_H

#include "util.h"

int net_loopback_up(struct sbx_err *err);

#endif
