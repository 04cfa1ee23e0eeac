#!/bin/bash
# A tiny run of each benchmark, so they keep working; no figure is asserted.
set -u
: "${SBX:?}" "${SBX_SRCDIR:?}"
BWRAP=${BWRAP:-/usr/bin/bwrap}
if [ ! -x "$BWRAP" ]; then
	echo "0 passed, 1 failed: no bwrap at $BWRAP to compare with (bootstrap installs bubblewrap)"
	exit 1
fi
passed=0 failed=0
for b in startup binds syscalls; do
	if SBX=$SBX BWRAP=$BWRAP COMPILER=$(dirname "$SBX")/sbx-compile-profile \
		PROFILES=$SBX_SRCDIR/seccomp-profiles timeout 120 bash "$SBX_SRCDIR/bench/$b" --smoke; then
		passed=$((passed + 1))
	else
		echo "bench/$b --smoke failed"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
((failed == 0))
