/* The built-in seccomp profiles, compiled at build time by
 * sbx-compile-profile --c-source into builtin-profiles.c. */
#ifndef SBX_PROFILES_H
#define SBX_PROFILES_H

#include <stddef.h>

struct sbx_builtin_profile {
	const char *name;
	const char *description;
	const unsigned char *blob; /* struct sock_filter[] */
	size_t len;                /* bytes */
};

extern const struct sbx_builtin_profile sbx_builtin_profiles[];
extern const size_t sbx_n_builtin_profiles;

#endif
