#!/bin/bash
# Valgrind (memcheck) over the unit tests of the parsers and the pure code:
# no invalid access, no use of uninitialised memory, no definite leak.
# criterion runs each test in a worker process, which valgrind follows but
# whose errors do not reach the exit status: any "==PID==" line valgrind
# prints (with -q it prints errors only) is the failure.
#
# Env: SBX_BUILDDIR, SBX_SRCDIR (as make check sets them).
# Output: one line per program, then "N passed, M failed".
set -u
: "${SBX_BUILDDIR:?}" "${SBX_SRCDIR:?}"
if ! command -v valgrind >/dev/null; then
	echo "0 passed, 1 failed: valgrind is not installed (bootstrap installs it)"
	exit 1
fi

passed=0 failed=0
for t in test-cli test-profile test-util test-bind-mount test-seccomp-bpf; do
	log=$SBX_BUILDDIR/tests/valgrind-$t.log
	valgrind -q --trace-children=yes --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite "$SBX_BUILDDIR/tests/unit/$t" --jobs 1 >"$log" 2>&1
	rc=$?
	if ((rc == 0)) && ! grep -qE '^==[0-9]+== ' "$log"; then
		echo "ok - $t: $(tail -n 1 "$log")"
		passed=$((passed + 1))
	else
		echo "not ok - $t (exit $rc)"
		grep -E -m 40 '^==[0-9]+== |Synthesis' "$log"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
((failed == 0))
