/* libFuzzer harness: the argv / --args parser. The input is split on NUL
 * into argv; the word @ARGS@ is replaced by the read end of a pipe holding
 * the input after the first "\n\n" (an --args stream). Nothing here creates
 * a namespace: cli_parse() never does. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null_out;
	char *buf = malloc(size + 1), *argv[257], fdbuf[16], *stream;
	struct sbx_cli_env env = { .uid = 1000, .gid = 1000, .cwd = "/" };
	struct sbx_plan plan;
	struct sbx_err err;
	int argc = 0, p[2] = { -1, -1 }, fd;
	size_t stream_len = 0;

	if (null_out == NULL)
		null_out = fopen("/dev/null", "w");
	env.out = null_out;
	memcpy(buf, data, size);
	buf[size] = '\0';
	stream = memmem(buf, size, "\n\n", 2);
	if (stream) {
		*stream = '\0';
		stream += 2;
		stream_len = size - (size_t)(stream - buf);
		if (pipe(p) == 0 && stream_len < 60000) {
			if (write(p[1], stream, stream_len) < 0) {
				/* a short pipe just gives the parser less */
			}
		}
		if (p[1] >= 0)
			close(p[1]);
	}
	snprintf(fdbuf, sizeof(fdbuf), "%d", p[0]);
	argv[argc++] = (char *)"sbx";
	for (char *s = buf; s < buf + (stream ? strlen(buf) : size) + 1 && argc < 256;
	     s += strlen(s) + 1) {
		/* A number could name one of libFuzzer's own fds (a pipe that
		 * never ends): only 0-2 (stdin is /dev/null) and our pipe are
		 * real; other numbers become a closed fd. */
		if (strcmp(s, "@ARGS@") == 0)
			argv[argc++] = fdbuf;
		else if (parse_fd(s, &fd) == 0 && fd > 2 && fd != p[0])
			argv[argc++] = (char *)"99999999";
		else
			argv[argc++] = s;
		if (s + strlen(s) >= buf + size)
			break;
	}
	argv[argc] = NULL;
	cli_parse(argc, argv, &env, &plan, &err);
	cli_plan_free(&plan);
	if (p[0] >= 0)
		close(p[0]);
	free(buf);
	return 0;
}
