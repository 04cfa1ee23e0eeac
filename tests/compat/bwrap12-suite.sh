#!/bin/bash
# bubblewrap 0.12.0's own test suite, run against sbx under the name bwrap,
# as an unprivileged user (nobody): tests/test-run.sh, test-sandbox.py (with
# test-helper.py and sandbox_helper.py), test-seccomp.py,
# test-specifying-userns.sh and test-specifying-pidns.sh, from the 0.12.0
# source ./bootstrap fetches and builds as root (/var/cache/sbx).
#
# Each script runs first against the bwrap 0.12.0 built there, the control:
# a test that fails with it says something about this machine, not about
# sbx, and is skipped for both. Then against sbx, as a binary named bwrap,
# first in PATH and in BWRAP. Every test that passes with the control must
# pass with sbx, except the known differences below (each also in the man
# page's DIFFERENCES):
#
#   test-seccomp.py test_no_seccomp: it expects no filter without a seccomp
#     option; sbx loads its default profile. It must pass with
#     --seccomp-profile none, and must fail without (or the default profile
#     is not loaded).
#
# Tests skipped for both, whatever the control does:
#
#   test-sandbox.py test_tmpfs*: assertIsTmpfs reads statfs(2) into a ctypes
#     struct of two longs, far smaller than struct statfs (120 bytes on
#     x86_64), so libc writes past it: the result depends on the Python
#     heap, not on the sandbox.
#
# Output: "ok"/"not ok" lines per test, a "control N passed / sbx N passed"
# line per script, then "N passed, M failed"; exit 1 on any failure.
# Exit 77 (skipped) when the 0.12.0 build is absent, unless CI=true, where
# its absence is a failure (bootstrap must have built it).
#
# Env: SBX; SBX_BWRAP12_SRC, SBX_BWRAP12_BUILD (defaults under
# /var/cache/sbx); SBX_KEEP=1 keeps the work directory (the per-script logs).
set -u
: "${SBX:?}"
src=${SBX_BWRAP12_SRC:-/var/cache/sbx/bubblewrap-0.12.0}
build=${SBX_BWRAP12_BUILD:-/var/cache/sbx/bubblewrap-0.12.0-build}
PY=/usr/bin/python3

if [ ! -f "$src/tests/test-sandbox.py" ] || [ ! -x "$build/bwrap" ] ||
	[ ! -x "$build/tests/try-syscall" ]; then
	if [ "${CI:-}" = true ]; then
		echo "0 passed, 1 failed: bubblewrap 0.12.0 is not built in $build (./bootstrap as root builds it)"
		exit 1
	fi
	echo "SKIP: bubblewrap 0.12.0 is not built in $build (./bootstrap as root builds it)"
	exit 77
fi
missing=
"$PY" -c 'import seccomp' 2>/dev/null || missing+=" python3-seccomp"
command -v getpcaps >/dev/null || missing+=" libcap2-bin"
if [ -n "$missing" ]; then
	echo "0 passed, 1 failed: missing packages:$missing (bootstrap installs them)"
	exit 1
fi

# Not under /tmp: test-sandbox.py's base command line covers /tmp with a
# tmpfs, and the suite must still see its own files. The scripts write
# their temporary directories to /var/tmp (tap-test.*) themselves.
work=$(mktemp -d /var/tmp/sbx-bwrap12-suite.XXXXXX) || exit 1
cleanup() {
	# Only what this script started: everything runs from $work/bin.
	pkill -9 -f "$work/bin/" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
[ -z "${SBX_KEEP:-}" ] || trap - EXIT # SBX_KEEP=1: keep $work and its logs
as_user=()
if [ "$(id -u)" = 0 ]; then
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
fi
cp -r "$src/tests" "$work/tests" &&
	cp "$build/tests/try-syscall" "$build/tests/test-utils" "$work/tests/" || exit 1
# Each tool as a binary named bwrap (test-run.sh runs /proc/self/exe in
# itself, so no wrapper script), and sbx without its default profile.
mkdir -p "$work/bin/bwrap" "$work/bin/sbx" "$work/bin/sbx-nofilter" "$work/home"
cp "$build/bwrap" "$work/bin/bwrap/bwrap" && cp "$SBX" "$work/bin/sbx/bwrap" || exit 1
printf '#!/bin/sh\nexec %s --seccomp-profile none "$@"\n' "$work/bin/sbx/bwrap" \
	>"$work/bin/sbx-nofilter/bwrap"
chmod 755 "$work/bin/sbx-nofilter/bwrap"
chmod -R a+rwX "$work"

# Skipped for both, with the reason (see the top of this file).
always_skip() { # SCRIPT TEST
	case "$1:$2" in
	test-sandbox.py:test_tmpfs*) echo "statfs ctypes struct in the suite is too small" ;;
	*) return 1 ;;
	esac
}
# Known differences: must fail with sbx, must pass with the named wrapper.
known_difference() { # SCRIPT TEST
	case "$1:$2" in
	test-seccomp.py:test_no_seccomp) echo "sbx loads its default seccomp profile" ;;
	*) return 1 ;;
	esac
}

# results TOOL SCRIPT COMMAND...: runs one script of the suite in
# $work/tests as the user, bwrap meaning TOOL; prints one "RESULT NAME" a
# test (RESULT: ok, fail or skip; NAME unique within the script) and saves
# the whole output in $work/TOOL.SCRIPT.log.
results() {
	local tool=$1 script=$2 py=
	shift 2
	[[ $script == *.py ]] && py=1
	(cd "$work/tests" && timeout -k 5 600 "${as_user[@]}" env -i \
		PATH="$work/bin/$tool:/usr/bin:/bin:/usr/sbin:/sbin" HOME="$work/home" \
		LC_ALL=C.UTF-8 BWRAP="$work/bin/$tool/bwrap" "$@") >"$work/$tool.$script.log" 2>&1
	echo "exit $?" >>"$work/$tool.$script.log"
	pkill -9 -f "$work/bin/" 2>/dev/null
	case $script in
	test-seccomp.py)
		# unittest -v: "test_x (__main__.Class.test_x) ... ok", what the
		# test prints possibly between "... " and the verdict's line.
		awk 'function verdict(v) {
			if (name == "") return
			if (v == "ok") print "ok", name
			else if (v ~ /^skipped/) print "skip", name
			else print "fail", name
			name = "" }
		/^test_[A-Za-z0-9_]+ \(.*\) \.\.\. / {
			name = $1; v = $0; sub(/^.* \.\.\. /, "", v)
			if (v ~ /^(ok|FAIL|ERROR|skipped.*)$/) verdict(v); next }
		/^(ok|FAIL|ERROR|skipped.*)$/ { verdict($0) }' "$work/$tool.$script.log"
		;;
	*)
		# TAP: "ok N desc", "not ok N - desc", "ok N # SKIP desc",
		# "ok - desc"; test-sandbox.py's desc is the test's name.
		awk '/^(not )?ok( |$)/ {
			r = ($1 == "not") ? "fail" : "ok"; line = $0
			sub(/^(not )?ok ?/, "", line)
			if (line ~ /# SKIP/) r = "skip"
			if (py) sub(/^[0-9]+ /, "", line)
			print r, line }' py="$py" "$work/$tool.$script.log"
		;;
	esac
}

passed=0 failed=0
pass() {
	echo "ok - $*"
	passed=$((passed + 1))
}
fail() {
	echo "not ok - $*"
	failed=$((failed + 1))
}

# compare SCRIPT COMMAND...: the script with the control, then with sbx.
compare() {
	local script=$1 name r why ctl_n=0 sbx_n=0 ctl_fail=0 sbx_fail=0 named=0 known=0
	shift
	declare -A ctl=() sbx=()
	local -a order=()
	while read -r r name; do
		ctl[$name]=$r
		order+=("$name")
	done < <(results bwrap "$script" "$@")
	while read -r r name; do sbx[$name]=$r; done < <(results sbx "$script" "$@")
	if ((${#order[@]} == 0)); then
		fail "$script: no result from the control"
		tail -n 20 "$work/bwrap.$script.log" | sed 's/^/#   /'
		return
	fi
	for name in "${order[@]}"; do
		r=${ctl[$name]}
		if why=$(always_skip "$script" "$name"); then
			echo "ok - $script $name # SKIP for both: $why (control: $r, sbx: ${sbx[$name]:-none})"
			named=$((named + 1))
			continue
		fi
		case $r in
		skip)
			echo "ok - $script $name # SKIP by the suite with the control (sbx: ${sbx[$name]:-none})"
			continue
			;;
		fail)
			ctl_fail=$((ctl_fail + 1))
			echo "ok - $script $name # SKIP for both: fails with the control (the environment; sbx: ${sbx[$name]:-none})"
			continue
			;;
		esac
		ctl_n=$((ctl_n + 1))
		if why=$(known_difference "$script" "$name"); then
			if [ "${sbx[$name]:-none}" = ok ]; then
				fail "$script $name passed with sbx: known difference ($why) no longer seen"
			else
				echo "ok - $script $name # known difference: $why"
				known=$((known + 1))
			fi
			continue
		fi
		if [ "${sbx[$name]:-none}" = ok ]; then
			sbx_n=$((sbx_n + 1))
			pass "$script $name"
		else
			sbx_fail=$((sbx_fail + 1))
			fail "$script $name: passes with bwrap 0.12.0, ${sbx[$name]:-no result} with sbx"
		fi
	done
	echo "# $script: control $ctl_n passed / sbx $sbx_n passed ($sbx_fail failed," \
		"$known known differences; skipped for both: $named by name, $ctl_fail failing" \
		"with the control)"
	if ((sbx_fail > 0)); then
		grep -E '^not ok|^# |bwrap:|Error|FAIL' "$work/sbx.$script.log" | head -n 40 | sed 's/^/#   /'
		tail -n 5 "$work/sbx.$script.log" | sed 's/^/#   /'
	fi
}

compare test-run.sh bash ./test-run.sh
compare test-specifying-userns.sh bash ./test-specifying-userns.sh
compare test-specifying-pidns.sh bash ./test-specifying-pidns.sh
compare test-seccomp.py "$PY" ./test-seccomp.py -v
compare test-sandbox.py "$PY" ./test-sandbox.py

# The known difference, checked both ways: test_no_seccomp passes when sbx
# runs without its default profile.
if results sbx-nofilter test-seccomp.py "$PY" ./test-seccomp.py -v -k test_no_seccomp |
	grep -qx 'ok test_no_seccomp'; then
	pass "test-seccomp.py test_no_seccomp with sbx --seccomp-profile none"
else
	fail "test-seccomp.py test_no_seccomp with sbx --seccomp-profile none"
	tail -n 20 "$work/sbx-nofilter.test-seccomp.py.log" | sed 's/^/#   /'
fi

echo "$passed passed, $failed failed"
((failed == 0))
