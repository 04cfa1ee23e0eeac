#!/bin/bash
# Older kernels: the integration and escape suites run again with the
# syscalls those kernels lack made to fail with ENOSYS (tests/legacy/enosys,
# a seccomp filter the whole suite runs under), so sbx takes its fallbacks
# (a userspace in-root walk for openat2, mount(2) for the new mount API, a
# close() loop for close_range) against the real kernel:
#   4.18  RHEL 8's: no openat2, open_tree/move_mount/fsopen, mount_setattr,
#         close_range (the integration suite, then the escape suite)
#   5.11  Debian 11's and Ubuntu 20.04 HWE's: openat2 there, mount_setattr
#         not (the integration suite)
#
# Env: SBX, PROBE, SBX_SRCDIR, SBX_BUILDDIR (as make check sets them).
# Output: one line per run, then "N passed, M failed".
set -u
: "${SBX:?}" "${PROBE:?}" "${SBX_SRCDIR:?}" "${SBX_BUILDDIR:?}"
ENOSYS=$SBX_BUILDDIR/tests/legacy/enosys

# The wrapper must really take the syscalls away, or these runs prove
# nothing: openat2 (437) says ENOSYS (38) under it, something else without.
openat2_errno() {
	python3 -c 'import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall(437, -1, b"", None, 0)
print(ctypes.get_errno())'
}
if [ "$("$ENOSYS" 4.18 bash -c "$(declare -f openat2_errno); openat2_errno")" != 38 ] ||
	[ "$(openat2_errno)" = 38 ]; then
	echo "0 passed, 1 failed: $ENOSYS does not make openat2 fail with ENOSYS here"
	exit 1
fi

passed=0 failed=0
suite() { # suite NAME COMMAND...
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if ((rc == 0)); then
		echo "ok - $name: $(tail -n 1 <<<"$out")"
		passed=$((passed + 1))
	else
		echo "not ok - $name (exit $rc)"
		grep -E -A12 '^not ok|ESCAPED' <<<"$out" | head -n 80
		tail -n 3 <<<"$out"
		failed=$((failed + 1))
	fi
}

suite "integration, Linux 4.18 syscalls" "$ENOSYS" 4.18 bash "$SBX_SRCDIR/tests/integration/run.sh"
suite "escape, Linux 4.18 syscalls" "$ENOSYS" 4.18 bash "$SBX_SRCDIR/tests/escape/run.sh"
suite "integration, Linux 5.11 syscalls" "$ENOSYS" 5.11 bash "$SBX_SRCDIR/tests/integration/run.sh"

echo "$passed passed, $failed failed"
((failed == 0))
