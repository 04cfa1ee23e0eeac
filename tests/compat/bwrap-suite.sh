#!/bin/bash
# bubblewrap's own test suite, run against sbx under the name bwrap, as an
# unprivileged user: the upstream scripts of Debian's bubblewrap source
# (tests/test-run.sh, test-specifying-userns.sh, test-specifying-pidns.sh,
# test-seccomp.py), Debian's autopkgtests (debian/tests/basic, dev, net,
# userns) and demos/userns-block-fd.py. Each runs against Debian's bwrap first, the control: a test that
# fails there says nothing about sbx and fails this script.
#
# One check is skipped for both: test-run.sh's "can bind a destination over
# a symlink", which bubblewrap 0.12 reversed (see below).
#
# One test differs by design: test-seccomp.py's test_no_seccomp expects no
# filter without a seccomp option, and sbx loads its default profile. It is
# run against sbx with --seccomp-profile none (where it must pass), and
# without: there it must fail, counted as a known difference, not a pass.
#
# Env: SBX; SBX_BWRAP_SRC (default /var/cache/sbx/bubblewrap, which
# ./bootstrap fills as root). Output: "ok"/"not ok" lines, then "N passed,
# M failed". The root form of test-run.sh is not run: it expects root to
# keep its capabilities, which sbx drops by design (and Debian's bwrap 0.8.0
# fails it here too, at --disable-userns).
set -u
: "${SBX:?}"
src=${SBX_BWRAP_SRC:-/var/cache/sbx/bubblewrap}
BWRAP=/usr/bin/bwrap
PY=/usr/bin/python3

if [ ! -f "$src/tests/test-run.sh" ] || [ ! -d "$src/debian/tests" ]; then
	echo "0 passed, 1 failed: bubblewrap's source is not in $src (./bootstrap as root fetches it)"
	exit 1
fi
missing=
"$PY" -c 'import seccomp' 2>/dev/null || missing+=" python3-seccomp"
perl -MIPC::Run -e1 2>/dev/null || missing+=" libipc-run-perl"
command -v getpcaps >/dev/null || missing+=" libcap2-bin"
command -v newuidmap >/dev/null || missing+=" uidmap"
[ -x "$BWRAP" ] || missing+=" bubblewrap"
if [ -n "$missing" ]; then
	echo "0 passed, 1 failed: missing packages:$missing (bootstrap installs them)"
	exit 1
fi

# The suites write their temporary directories to /var/tmp (tap-test.*).
work=$(mktemp -d /var/tmp/sbx-bwrap-suite.XXXXXX) || exit 1
cleanup() {
	# Only what this script started: everything runs from $work/bin.
	pkill -9 -f "$work/bin/" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
as_user=()
if [ "$(id -u)" = 0 ]; then
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
fi
cp -r "$src/tests" "$work/tests" && cp -r "$src/debian/tests" "$work/debian-tests" &&
	cp -r "$src/demos" "$work/demos" || exit 1
gcc -o "$work/tests/try-syscall" "$src/tests/try-syscall.c" || exit 1
# One check of 0.8's test-run.sh pins down what bubblewrap 0.12 reversed:
# "can bind a destination over a symlink" (--symlink dir /tmp/link --bind
# /etc /tmp/link). 0.12 refuses a mount on a symlink destination ("Can't
# mount on symlink destination"), and sbx follows 0.12
# (tests/compat/bwrap12-suite.sh): that check is skipped, for both tools.
grep -q -- '--symlink dir /tmp/link --bind /etc /tmp/link true' "$work/tests/test-run.sh" || {
	echo "0 passed, 1 failed: test-run.sh no longer has the bind-over-symlink check this script skips"
	exit 1
}
sed -i -e 's|^\( *\)\$RUN \$ALT --dir /tmp/dir --symlink dir /tmp/link --bind /etc /tmp/link true$|\1: skipped: bwrap 0.12 refuses it|' \
	-e 's|echo "ok - can bind a destination over a symlink"|echo "ok - # SKIP can bind a destination over a symlink: bwrap 0.12 and sbx refuse it"|' \
	"$work/tests/test-run.sh" || exit 1
# Each tool as a binary named bwrap (test-run.sh runs /proc/self/exe in
# itself, so no wrapper script), and sbx without its default profile.
mkdir -p "$work/bin/bwrap" "$work/bin/sbx" "$work/bin/sbx-nofilter"
cp "$BWRAP" "$work/bin/bwrap/bwrap" && cp "$SBX" "$work/bin/sbx/bwrap" || exit 1
printf '#!/bin/sh\nexec %s --seccomp-profile none "$@"\n' "$work/bin/sbx/bwrap" \
	>"$work/bin/sbx-nofilter/bwrap"
chmod 755 "$work/bin/sbx-nofilter/bwrap"
chmod -R a+rwX "$work"

passed=0 failed=0
# run TOOL NAME COMMAND...: the suite in $work/tests as the user, bwrap
# meaning TOOL, with a fresh HOME; counts it and prints its verdict.
run() {
	local tool=$1 name=$2 out rc bad
	shift 2
	out=$(cd "$work/tests" && timeout -k 5 300 "${as_user[@]}" env -i \
		PATH="$work/bin/$tool:/usr/bin:/bin:/usr/sbin:/sbin" HOME=/tmp LC_ALL=C.UTF-8 \
		BWRAP="$work/bin/$tool/bwrap" "$@" 2>&1)
	rc=$?
	pkill -9 -f "$work/bin/" 2>/dev/null
	bad=$(grep -cE '^not ok' <<<"$out")
	if ((rc == 0 && bad == 0)); then
		echo "ok - $name with $tool: $(grep -cE '^ok' <<<"$out") ok$(grep -qE '^ok.*SKIP' <<<"$out" &&
			echo ", of which $(grep -cE '^ok.*SKIP' <<<"$out") skipped by the suite")$(
			grep -oE '^Ran [0-9]+ tests?' <<<"$out" | sed 's/^Ran/ (ran/; s/$/)/')"
		passed=$((passed + 1))
		return 0
	fi
	echo "not ok - $name with $tool: exit $rc, $bad 'not ok'"
	grep -E '^not ok|Error|FAIL|bwrap:|^[A-Za-z]+Error' <<<"$out" | tail -n 20 | sed 's/^/#   /'
	failed=$((failed + 1))
	return 1
}

for tool in bwrap sbx; do
	run "$tool" test-run.sh bash ./test-run.sh
	run "$tool" test-specifying-userns.sh bash ./test-specifying-userns.sh
	run "$tool" test-specifying-pidns.sh bash ./test-specifying-pidns.sh
	if [ "$tool" = bwrap ]; then
		run "$tool" test-seccomp.py "$PY" ./test-seccomp.py
	else
		run "$tool" "test-seccomp.py (all but test_no_seccomp)" "$PY" ./test-seccomp.py \
			-k test_seccomp
		run sbx-nofilter "test-seccomp.py test_no_seccomp" "$PY" ./test-seccomp.py \
			-k test_no_seccomp
	fi
	for t in basic dev net userns; do
		run "$tool" "debian/tests/$t" perl "$work/debian-tests/$t"
	done
	# bwrap's demo of --userns-block-fd: newuidmap maps the ids while the
	# sandbox waits; it reads --info-fd to its end first. Prints the map.
	run "$tool" "demos/userns-block-fd.py" sh -c \
		'out=$("$0" "$1") && echo "$out" && [ "$(echo $out)" = "0 $(id -u) 1" ] && echo ok' \
		"$PY" "$work/demos/userns-block-fd.py"
done

# The known difference, shown for what it is: sbx's default profile filters
# the syscalls test_no_seccomp expects to reach the kernel.
out=$(cd "$work/tests" && "${as_user[@]}" env -i PATH="$work/bin/sbx:/usr/bin:/bin" HOME=/tmp \
	BWRAP="$work/bin/sbx/bwrap" "$PY" ./test-seccomp.py -k test_no_seccomp 2>&1)
if grep -q '^not ok' <<<"$out"; then
	echo "# known difference: test-seccomp.py test_no_seccomp fails with sbx's default profile (by design)"
else
	echo "not ok - test_no_seccomp passed with sbx's default profile: is the default filter loaded?"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
((failed == 0))
