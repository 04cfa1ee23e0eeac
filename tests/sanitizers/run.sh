#!/bin/bash
# The sanitizer build: the same sources configured with --enable-sanitizers
# (ASan and UBSan, every report fatal with status 86) in a directory of its
# own, then the unit, integration and escape suites run against it.
#
# Env: SBX_SRCDIR, SBX_BUILDDIR (as make check sets them), PROBE (the escape
# probe of the main build: the probe itself is not what is checked).
# Output: one line per suite, then "N passed, M failed". Takes about two
# minutes on two cores; its build log is in tests/sanitizers/build.log.
set -u
: "${SBX_SRCDIR:?}" "${SBX_BUILDDIR:?}" "${PROBE:?}"

work=$SBX_BUILDDIR/tests/sanitizers/tree
log=$SBX_BUILDDIR/tests/sanitizers/build.log
unit_tests=(tests/unit/test-cli tests/unit/test-util tests/unit/test-caps tests/unit/test-profile tests/unit/test-bind-mount
	tests/unit/test-seccomp-bpf tests/unit/test-rootfs)
mkdir -p "$(dirname "$work")"
rm -rf "$work"
mkdir -p "$work/build"

# The distributed sources, whether the main build is in-tree or not (a
# configured source tree cannot host a second, VPATH build).
echo "# building with --enable-sanitizers in $work (log: $log)"
if ! {
	make -C "$SBX_BUILDDIR" distdir distdir="$work/src" &&
		cd "$work/build" &&
		"$work/src/configure" --enable-sanitizers --disable-static-sbx &&
		make -j"$(nproc)" sbx sbx-compile-profile "${unit_tests[@]}"
} >"$log" 2>&1; then
	tail -n 30 "$log"
	echo "0 passed, 1 failed: the sanitizer build failed"
	exit 1
fi
cd "$work/build" || exit 1

passed=0 failed=0
suite() { # suite NAME COMMAND...
	local name=$1 out
	shift
	out=$("$@" 2>&1)
	local rc=$?
	if ((rc == 0)) && ! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' <<<"$out"; then
		echo "ok - $name"
		passed=$((passed + 1))
	else
		echo "not ok - $name (exit $rc)"
		printf '%s\n' "$out" | grep -E -B2 -A20 'Sanitizer|runtime error:|^not ok' | head -n 80
		failed=$((failed + 1))
	fi
}

for t in "${unit_tests[@]}"; do
	suite "$t" "./$t"
done
suite integration env SBX="$PWD/sbx" bash "$work/src/tests/integration/run.sh"
suite escape env SBX="$PWD/sbx" PROBE="$PROBE" bash "$work/src/tests/escape/run.sh"

echo "$passed passed, $failed failed"
((failed == 0))
