/* libFuzzer harness: the seccomp profile parser (text in memory; includes
 * resolve in a directory that does not exist). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp-profiles/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char groups[] = "@mount mount umount2\n@g a b c\n";
	char *text = malloc(size + 1), err[512];
	struct prof prof;

	memcpy(text, data, size);
	text[size] = '\0';
	if (prof_parse_text("f.profile", text, "/nonexistent-sbx-fuzz", groups, &prof, err,
			    sizeof(err)) == 0)
		prof_free(&prof);
	free(text);
	return 0;
}
