/* libFuzzer harness: the /etc/subuid and /etc/subgid reader (userns.c)
 * over any bytes, owner "alice" or the id the first four bytes give; the
 * ranges it returns must be what its contract says. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "userns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbx_subid *r;
	uint32_t id = 1000;
	size_t n, bad, i;

	if (size >= 4)
		memcpy(&id, data, 4);
	if (userns_subid_parse((const char *)data, size, (id & 1) ? "alice" : NULL, id, &r, &n,
			       &bad) < 0)
		return 0;
	if ((n == 0) != (r == NULL))
		abort();
	for (i = 0; i < n; i++) {
		uint64_t end = (uint64_t)r[i].start + r[i].count;

		/* never empty, never reaching (uint32_t)-1 */
		if (r[i].count == 0 || end > UINT32_MAX)
			abort();
		/* sorted and merged: a gap before the next one */
		if (i + 1 < n && end >= r[i + 1].start)
			abort();
		/* each is owned whole, and not one id more on either side */
		if (!userns_subid_owns(r, n, r[i].start, r[i].count))
			abort();
		if (end < UINT32_MAX && userns_subid_owns(r, n, r[i].start, r[i].count + 1))
			abort();
		if (r[i].start > 0 && userns_subid_owns(r, n, r[i].start - 1, r[i].count))
			abort();
	}
	free(r);
	return 0;
}
