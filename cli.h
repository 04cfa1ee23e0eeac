/* cli: the option table (which drives both parsing and --help) and the
 * argv / --args parser that turns the command line into a plan. Step 1 of the
 * setup sequence: every bad input is reported here, before any namespace. */
#ifndef SBX_CLI_H
#define SBX_CLI_H

#include <stdio.h>

#include "plan.h"
#include "util.h"

enum sbx_cli_result {
	SBX_CLI_ERROR = -1, /* err is filled: print it, exit 1 */
	SBX_CLI_RUN = 0,    /* plan is ready */
	SBX_CLI_EXIT = 1,   /* --help/--version printed: exit 0 */
};

/* The facts about the caller that parsing depends on. */
struct sbx_cli_env {
	uid_t uid;
	gid_t gid;
	const char *cwd;         /* NULL if unknown */
	const char *runtime_dir; /* $XDG_RUNTIME_DIR, or NULL */
	FILE *out;               /* where --help and --version print */
	/* Called with each warning (a repeated single-value option), as it is
	 * found; NULL: warnings are dropped. */
	void (*warn)(const struct sbx_err *msg);
};

/* Parse argv (argv[0] is the program) into plan. Strings in the plan point
 * into argv or into buffers that live as long as the process. */
enum sbx_cli_result cli_parse(int argc, char **argv, const struct sbx_cli_env *env,
			      struct sbx_plan *plan, struct sbx_err *err);

void cli_print_help(FILE *out);

/* Release what cli_parse allocated (for tests and fuzzers). */
void cli_plan_free(struct sbx_plan *plan);

#endif
