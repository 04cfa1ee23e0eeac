/* userns: the id maps of the sandbox's user namespace. Step 2 of the setup
 * sequence: the monitor writes them for the child it just cloned. */
#ifndef SBX_USERNS_H
#define SBX_USERNS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "plan.h"
#include "util.h"

/* Format the single-id map line "INSIDE OUTSIDE 1\n" (pure). */
void userns_map_line(char *buf, size_t size, unsigned inside, unsigned outside);

/* One range of subordinate ids: [start, start + count), never empty, and
 * never reaching (uint32_t)-1, which is no id. */
struct sbx_subid {
	uint32_t start;
	uint32_t count;
};

/* Parse /etc/subuid or /etc/subgid text (len bytes, NUL bytes allowed and
 * ending a line's use) and collect the ranges of the owner named name or
 * numbered id (the first field is either, as newuidmap(1) reads it; name
 * may be NULL). Lines are NAME:START:COUNT; '#' comments and blank lines
 * are skipped, and so is a malformed line (a bad number, a missing or an
 * extra field, COUNT 0, START + COUNT past the last id), which grants
 * nothing: *bad counts those for a diagnosis. The ranges are returned
 * sorted and merged (overlapping or adjacent ones joined) in *out (malloc'd,
 * NULL when none) and *n. -1 only when out of memory. */
int userns_subid_parse(const char *text, size_t len, const char *name, uint32_t id,
		       struct sbx_subid **out, size_t *n, size_t *bad);

/* Whether [start, start + count) lies within the merged ranges. */
bool userns_subid_owns(const struct sbx_subid *r, size_t n, uint32_t start, uint32_t count);

/* --uid-map / --gid-map lines (pure): the inside id outside maps to, or
 * -1; whether inside is mapped; the index of the first line that overlaps
 * an earlier one inside or outside (the kernel refuses those), or 0; the
 * map file's text, "IN OUT COUNT\n" a line (its length, or -1 if it does
 * not fit). */
int64_t userns_map_inside(const struct sbx_idmap *m, size_t n, uint32_t outside);
bool userns_map_has_inside(const struct sbx_idmap *m, size_t n, uint32_t inside);
size_t userns_map_overlap(const struct sbx_idmap *m, size_t n);
int userns_map_text(const struct sbx_idmap *m, size_t n, char *buf, size_t size);

/* The name of uid in /etc/passwd text (pure): false if no line has it. */
bool userns_passwd_name(const char *text, size_t len, uint32_t uid, char *out, size_t size);

/* Before the clone, for an unprivileged caller with --uid-map/--gid-map:
 * newuidmap/newgidmap are installed and every range (but the caller's own
 * id alone) is delegated to the caller in /etc/subuid or /etc/subgid; a
 * one-line refusal naming the file and the fix otherwise. */
int userns_check_maps(const struct sbx_plan *plan, struct sbx_err *err);

/* --auto-map: the slice of subordinate ids one sandbox holds (uids and
 * gids are claimed apart, count each), and its registry entry. */
struct sbx_slice {
	uint32_t uid_start, gid_start, count; /* count 0: no slice */
	char dir[4096];                       /* the registry directory */
	uint64_t pidns, ptime;                /* the holder: pid namespace, start time */
	int32_t pid;
};

/* One registry line: "u|g START COUNT PIDNS PID STARTTIME". */
struct sbx_claim {
	char kind; /* 'u' or 'g' */
	uint32_t start, count;
	uint64_t pidns, ptime;
	int32_t pid;
};

/* Registry text (pure): its claims, malformed lines skipped (*out
 * malloc'd, NULL when none); -1 only when out of memory. */
int userns_claims_parse(const char *text, size_t len, struct sbx_claim **out, size_t *n);

/* The start time (field 22) and state (field 3) of /proc/PID/stat text
 * (pure): false if the text is not such a line. */
bool userns_stat_parse(const char *text, size_t len, uint64_t *ptime, char *state);

/* The first start of count ids that lie within one of the owned ranges
 * (sorted, as userns_subid_parse returns them) and meet none of the used
 * ones (any order) (pure): false if there is no room. */
bool userns_slice_fit(const struct sbx_subid *owned, size_t n_owned, const struct sbx_subid *used,
		      size_t n_used, uint32_t count, uint32_t *start);

/* The map lines of a slice (pure): inside ids 0..count, of which inside
 * maps onto own and the others onto start.. in order; 1 to 3 lines in
 * out, their number returned. */
size_t userns_slice_map(uint32_t inside, uint32_t own, uint32_t start, uint32_t count,
			struct sbx_idmap out[3]);

/* Before the clone, for --auto-map: claim a free slice of the caller's
 * subordinate uids and gids in the registry (under its lock; dead
 * holders' entries reclaimed), held by this process. */
int userns_auto_claim(const struct sbx_plan *plan, struct sbx_slice *slice, struct sbx_err *err);

/* Give the slice back (best effort: a holder that is gone is reclaimed
 * by the next claim anyway). Call once no process of the sandbox is left. */
void userns_auto_release(const struct sbx_slice *slice);

/* Write uid_map and gid_map of pid: the slice's maps if it has one, else
 * the plan's (as root by ourselves, else through newuidmap/newgidmap), or
 * the single ids; setgroups deny first when we write an unprivileged
 * gid_map. */
int userns_write_maps(pid_t pid, const struct sbx_plan *plan, const struct sbx_slice *slice,
		      struct sbx_err *err);

/* Explain why creating a user namespace failed with errno e: what the system
 * refused and what would fix it. */
void userns_explain_failure(int e, struct sbx_err *err);

#endif
