/* bench/runner: run a command N times, print each run's wall time in
 * microseconds (one a line), then "maxrss KB" of the largest process of its
 * tree (getrusage(RUSAGE_CHILDREN) counts every descendant that was reaped).
 * stdout/stderr of the command go to /dev/null; a failed run is reported.
 * RUNNER_FD9=PATH opens PATH on fd 9 for each run. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[1]) : 0, failed = 0;
	struct rusage ru;

	if (n <= 0) {
		fprintf(stderr, "usage: runner N CMD [ARGS...]\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		struct timespec a, b;
		int st;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &a);
		pid = fork();
		if (pid == 0) {
			int null = open("/dev/null", O_RDWR);
			const char *fd9 = getenv("RUNNER_FD9");

			if (fd9 && !*fd9)
				fd9 = NULL;

			dup2(null, 1);
			dup2(null, 2);
			/* A program on fd 9, fresh for each run (bwrap --seccomp 9). */
			if (fd9) {
				int fd = open(fd9, O_RDONLY);
				if (fd < 0 || dup2(fd, 9) < 0)
					_exit(126);
			}
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		waitpid(pid, &st, 0);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
		printf("%.1f\n", (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3);
	}
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("maxrss %ld\n", ru.ru_maxrss);
	if (failed)
		fprintf(stderr, "runner: %d of %d runs failed: %s\n", failed, n, argv[2]);
	return failed ? 1 : 0;
}
