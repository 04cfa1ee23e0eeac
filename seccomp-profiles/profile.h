/* profile: the seccomp profile language, parsed into a flat rule list.
 * Pure (no libseccomp): used by sbx-compile-profile and the unit tests.
 *
 *   # comment
 *   description One line shown by sbx --seccomp-list
 *   default allow | errno NAME | kill | log
 *   newer ACTION                   (numbers above the reviewed table)
 *   mount by-flags                 (mount(2) decided by its flags)
 *   include OTHER.profile          (relative to this file; cycles refused)
 *   ACTION NAME... [if argN OP VALUE [and argM OP VALUE]]
 *
 * ACTION is allow, "errno NAME", kill or log; NAME is a syscall or @group
 * (groups live in groups.list beside the profiles). OP is == (whole 64-bit
 * value), =32 (low 32 bits equal: what the kernel sees of an int argument,
 * e.g. ioctl requests), & (all of these bits set: (argN & VALUE) == VALUE;
 * one rule per bit matches any of them) or >= (the whole 64-bit value,
 * unsigned, at least VALUE: a set upper half matches too). With "and" the
 * rule matches only when both conditions hold (socket's family and its
 * protocol, say); a syscall's rules of one action still match when any of
 * them does.
 *
 * "mount by-flags" has the filter's prefix decide mount(2) by its flags
 * word (prefix.h); no rule may then name mount.
 *
 * "newer ACTION" is what every syscall number above the table sbx's groups
 * were reviewed against gets (syscalls.h), on each ABI, unless a rule names
 * it: a denylist profile says "newer errno ENOSYS" so that a kernel's new
 * syscalls wait for a decision instead of passing. */
#ifndef SBX_PROFILE_H
#define SBX_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum prof_action {
	PROF_ALLOW,
	PROF_ERRNO,
	PROF_KILL,
	PROF_LOG
};
enum prof_op {
	PROF_NONE,
	PROF_EQ,
	PROF_EQ32,
	PROF_BITS,
	PROF_GE
};

/* One comparison of a syscall argument. */
struct prof_cond {
	enum prof_op op;
	unsigned arg;
	uint64_t value;
};

#define PROF_MAX_CONDS 2 /* "if ... and ..." */

struct prof_rule {
	char syscall[64];
	enum prof_action action;
	int err;         /* for PROF_ERRNO */
	unsigned n_cond; /* 0: unconditional */
	struct prof_cond cond[PROF_MAX_CONDS];
	char where[300]; /* FILE:LINE, for messages */
};

struct prof {
	char description[200];
	enum prof_action dflt;
	int dflt_err;
	bool newer_set; /* a "newer" line was given */
	enum prof_action newer;
	int newer_err;
	bool mount_by_flags; /* "mount by-flags": the prefix decides mount(2) */
	struct prof_rule *rules;
	size_t n_rules;
};

/* Parse path (and what it includes) with groups from groups_path. 0, or -1
 * with a one-line "FILE:LINE: problem" in err. */
int prof_parse_file(const char *path, const char *groups_path, struct prof *out, char *err,
		    size_t errsize);
/* Same, from text in memory named name (includes resolved from dir). */
int prof_parse_text(const char *name, const char *text, const char *dir, const char *groups_text,
		    struct prof *out, char *err, size_t errsize);
void prof_free(struct prof *p);

/* The build's check of groups.list: every name in known (the syscalls
 * libseccomp and sbx name on the ABIs the filter covers) is in exactly one
 * group, and every group member is known. 0, or -1 with each problem in err
 * (groups_name names the file in messages). */
int prof_check_groups(const char *groups_name, const char *groups_text, const char *const *known,
		      size_t n_known, char *err, size_t errsize);

/* errno name -> number, or -1. */
int prof_errno(const char *name);

#endif
