/* libFuzzer harness: the mountinfo reader of the mount(2) fallback
 * (bind-mount.c), over any text, and the option check over each line's
 * options. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bind-mount.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct bm_mountinfo mi;
	size_t pos = 0;
	int r;

	memcpy(text, data, size);
	text[size] = '\0';
	while ((r = bm_mountinfo_next(text, &pos, &mi)) != 0) {
		if (r > 0) {
			(void)strlen(mi.mount_point);
			(void)bm_options_have(mi.options, 0xf);
		}
		if (pos > size)
			abort(); /* the reader walked past the text */
		if (r < 0 && pos == 0)
			break;
	}
	free(text);
	return 0;
}
