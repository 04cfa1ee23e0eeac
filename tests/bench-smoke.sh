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
for b in startup binds syscalls nested; do
	if SBX=$SBX BWRAP=$BWRAP COMPILER=$(dirname "$SBX")/sbx-compile-profile \
		PROFILES=$SBX_SRCDIR/seccomp-profiles timeout 120 bash "$SBX_SRCDIR/bench/$b" --smoke; then
		passed=$((passed + 1))
	else
		echo "bench/$b --smoke failed"
		failed=$((failed + 1))
	fi
done
# As root, the startup bench on a host with extra mounts too (a few here).
if [ "$(id -u)" = 0 ]; then
	if SBX=$SBX BWRAP=$BWRAP timeout 120 bash "$SBX_SRCDIR/bench/startup" --smoke --host-mounts 20; then
		passed=$((passed + 1))
	else
		echo "bench/startup --smoke --host-mounts 20 failed"
		failed=$((failed + 1))
	fi
	# Memory cgroups need root too.
	if SBX=$SBX BWRAP=$BWRAP timeout 120 bash "$SBX_SRCDIR/bench/memory" --smoke; then
		passed=$((passed + 1))
	else
		echo "bench/memory --smoke failed"
		failed=$((failed + 1))
	fi
fi
echo "$passed passed, $failed failed"
((failed == 0))
