#!/usr/bin/env bash
# Integration tests: run the real sandbox binary and check, from inside the
# sandbox, what each option is supposed to do.
#
#   SBX=/path/to/sbx [SBX_SRCDIR=/path/to/src] tests/integration/run.sh
#
# SBX is required; SBX_SRCDIR (the source tree) is optional and only passed on:
# the tests need nothing from it. PROBE (tests/escape/probe) and NEST
# (tests/nested/nest; found beside PROBE when not given) are helpers some
# tests run inside the sandbox; without them those tests are skipped. Host tools used: bash, coreutils, procps,
# util-linux (setpriv, script), and /usr/bin/python3, which the sandboxes see
# through a read-only bind of /usr.
#
# The command line is bwrap's, so the suite also runs against bubblewrap
# (SBX=/usr/bin/bwrap); asserts on the places where sbx differs from bwrap on
# purpose are guarded by is_bwrap, and sbx-only tests are reported as skipped.
#
# As root the suite runs twice: an "unprivileged" pass as nobody (through
# setpriv, with a fresh HOME and TMPDIR) and a "root" pass. As another user
# only the unprivileged pass runs, and the missing root pass is reported.
# SBX_IT_ONLY=REGEX runs only the tests whose name matches.
#
# Output: "ok - PASS/NAME", "not ok - PASS/NAME: reason" (followed by the
# observed exit status and output), "skip - PASS/NAME: reason", then one line
# "N passed, M failed" (", K skipped" appended when K > 0). Exit 1 if M > 0.

# shellcheck disable=SC2016,SC2119,SC2120  # sandbox scripts in single quotes; expect_ok [WHAT]
set -u
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umask 022

die() { printf 'run.sh: %s\n' "$*" >&2; exit 2; }

[ -n "${SBX:-}" ] || die "SBX must name the sandbox binary to test (e.g. SBX=./sbx)"
case $SBX in
*/*) [ "${SBX#/}" != "$SBX" ] || SBX=$PWD/$SBX ;;
*) SBX=$(command -v -- "$SBX") || die "SBX: $SBX not found in PATH" ;;
esac
[ -x "$SBX" ] || die "SBX: $SBX is not executable"
export SBX
ME=$(basename -- "$SBX")  # prefix of every diagnostic
PY=/usr/bin/python3       # the host's, visible inside through the /usr bind
[ -x "$PY" ] || die "$PY is needed (on the host and, through /usr, in the sandbox)"

# NEST: tests/nested/nest (the t_nested_* tests' helper); by default the one
# built beside PROBE or in SBX_BUILDDIR.
if [ -z "${NEST:-}" ]; then
	for NEST in "${SBX_BUILDDIR:+$SBX_BUILDDIR/tests/nested/nest}" \
		"${PROBE:+${PROBE%/escape/probe}/nested/nest}" ""; do
		[ -n "$NEST" ] && [ -x "$NEST" ] && break
	done
fi
export NEST

case $(readlink -f -- "$0") in
/*) SELF=$(readlink -f -- "$0") ;;
*) die "can't locate this script" ;;
esac

# ---------------------------------------------------------------------------
# Driver: runs the passes and prints the closing line.

nobody_can() { # nobody_can TEST-FLAG PATH
	setpriv --reuid=65534 --regid=65534 --clear-groups -- test "$1" "$2" 2>/dev/null
}

# The unprivileged pass's user (nobody) gets subordinate ids for the ID
# MAPPING tests: a line in /etc/subuid and /etc/subgid each, for the run
# only (the files are put back as they were, or removed if there was none).
# Root gets a range of its own for --auto-map, whose registry is /run/sbx
# (removed afterwards unless it was there before).
SUBID_FIRST=300000 SUBID_COUNT=131072 ROOT_SUBID_FIRST=500000
subid_files=(/etc/subuid /etc/subgid)
give_subids() {
	local f
	[ -e /run/sbx ] || RUN_SBX_MADE=1
	for f in "${subid_files[@]}"; do
		if [ -e "$f" ]; then cp -p -- "$f" "$TOP/${f##*/}.orig" || return 1; fi
		printf 'nobody:%s:%s\nroot:%s:%s\n' "$SUBID_FIRST" "$SUBID_COUNT" \
			"$ROOT_SUBID_FIRST" "$SUBID_COUNT" >>"$f" || return 1
	done
}
driver_cleanup() {
	local f
	for f in "${subid_files[@]}"; do
		[ -n "${SUBIDS_GIVEN:-}" ] || break
		if [ -e "$TOP/${f##*/}.orig" ]; then cat -- "$TOP/${f##*/}.orig" >"$f"; else rm -f -- "$f"; fi
	done
	[ -z "${RUN_SBX_MADE:-}" ] || rm -rf -- /run/sbx
	rm -rf -- "$TOP"
}

driver() {
	local top passed=0 failed=0 skipped=0 p f s x
	top=$(mktemp -d "${TMPDIR:-/tmp}/sbx-it.XXXXXX") || die "mktemp failed"
	TOP=$top
	trap 'driver_cleanup' EXIT
	trap 'exit 130' INT TERM HUP
	chmod 755 "$top"

	if [ "$(id -u)" = 0 ]; then
		local sbx=$SBX self=$SELF srcdir=${SBX_SRCDIR:-} probe=${PROBE:-} nest=$NEST
		mkdir -p "$top/nobody/home" "$top/nobody/tmp" "$top/nobody/run" "$top/root/home" \
			"$top/root/tmp"
		chmod 755 "$top/nobody"
		chown 65534:65534 "$top/nobody/home" "$top/nobody/tmp" "$top/nobody/run"
		chmod 700 "$top/nobody/home" "$top/nobody/tmp" "$top/nobody/run" "$top/root/home" \
			"$top/root/tmp"
		: >"$top/counts.unprivileged"
		: >"$top/counts.root"
		chown 65534:65534 "$top/counts.unprivileged"
		if ! nobody_can -x "$sbx"; then
			mkdir -p "$top/bin" && chmod 755 "$top/bin"
			cp -- "$SBX" "$top/bin/$ME" && chmod 755 "$top/bin/$ME" || die "can't copy $SBX"
			sbx=$top/bin/$ME
			echo "# $SBX is not executable by nobody: the unprivileged pass uses a copy, $sbx"
		fi
		if [ -n "$probe" ] && ! nobody_can -x "$probe"; then
			mkdir -p "$top/bin" && chmod 755 "$top/bin"
			cp -- "$probe" "$top/bin/probe" && chmod 755 "$top/bin/probe" || die "can't copy $probe"
			probe=$top/bin/probe
		fi
		if [ -n "$nest" ] && ! nobody_can -x "$nest"; then
			mkdir -p "$top/bin" && chmod 755 "$top/bin"
			cp -- "$nest" "$top/bin/nest" && chmod 755 "$top/bin/nest" || die "can't copy $nest"
			nest=$top/bin/nest
		fi
		if ! nobody_can -r "$self"; then
			cp -- "$SELF" "$top/run.sh" && chmod 755 "$top/run.sh" || die "can't copy $SELF"
			self=$top/run.sh
		fi
		if [ -n "$srcdir" ] && ! nobody_can -x "$srcdir"; then
			echo "# SBX_SRCDIR=$srcdir is not readable by nobody: not passed to the unprivileged pass"
			srcdir=
		fi
		SUBIDS_GIVEN=1
		give_subids || die "can't give nobody subordinate ids"
		echo "# pass unprivileged (uid 65534 through setpriv)"
		(cd "$top/nobody/home" && setpriv --reuid=65534 --regid=65534 --clear-groups -- \
			env -i PATH="$PATH" LC_ALL=C HOME="$top/nobody/home" TMPDIR="$top/nobody/tmp" \
			XDG_RUNTIME_DIR="$top/nobody/run" \
			SBX_IT_SUBID="$SUBID_FIRST $SUBID_COUNT" \
			USER=nobody LOGNAME=nobody SBX="$sbx" SBX_SRCDIR="$srcdir" PROBE="$probe" NEST="$nest" \
			SBX_IT_ONLY="${SBX_IT_ONLY:-}" SBX_IT_PASS=unprivileged \
			SBX_IT_COUNTS="$top/counts.unprivileged" bash "$self")
		echo "# pass root"
		(cd "$top/root/home" && HOME=$top/root/home TMPDIR=$top/root/tmp SBX_IT_PASS=root \
			SBX_IT_SUBID="$ROOT_SUBID_FIRST $SUBID_COUNT" \
			SBX_IT_COUNTS="$top/counts.root" bash "$SELF")
	else
		mkdir -p "$top/user/home" "$top/user/tmp"
		: >"$top/counts.unprivileged"
		echo "# pass unprivileged (uid $(id -u))"
		(cd "$top/user/home" && HOME=$top/user/home TMPDIR=$top/user/tmp \
			SBX_IT_PASS=unprivileged SBX_IT_COUNTS="$top/counts.unprivileged" bash "$SELF")
		echo "# pass root: NOT RUN (not running as root); it is counted as neither passed nor failed"
	fi

	for f in "$top"/counts.*; do
		[ -s "$f" ] || { echo "# pass ${f##*.} did not finish"; failed=$((failed + 1)); continue; }
		read -r p s x <"$f"
		passed=$((passed + p)) skipped=$((skipped + s)) failed=$((failed + x))
	done
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
}

# ---------------------------------------------------------------------------
# Harness (one pass).

is_bwrap() { [ "$IS_BWRAP" = 1 ]; }
is_root() { [ "$IS_ROOT" = 1 ]; }

fail() { printf '%s\n' "$*" >"$W/.reason"; exit 1; }
skip() { printf '%s\n' "$*" >"$W/.reason"; exit 77; }
sbx_only() { ! is_bwrap || skip "sbx-only: $*"; }
root_only() { is_root || skip "root pass only: $*"; }
track() { local p; for p in "$@"; do echo "$p" >>"$W/.pids"; done; }
on_cleanup() { printf '%s\n' "$*" >>"$W/.cleanup"; }

# run ARGS...: run the sandbox binary (stdin /dev/null); sets RC, OUT, ERR.
# RUN_TIMEOUT (seconds, 20 unless a test sets it) bounds a run that hangs
# (then SIGKILL 5 s later: a sandbox still in its setup ignores SIGTERM).
run() {
	timeout -k 5 "${RUN_TIMEOUT:-20}" "$SBX" "$@" </dev/null >"$W/.out" 2>"$W/.err"
	RC=$?
	echo "$RC" >"$W/.rc"
	OUT=$(cat "$W/.out")
	ERR=$(cat "$W/.err")
}
runb() { run "${BASE[@]}" "$@"; }

expect_rc() { [ "$RC" = "$1" ] || fail "${2:-exit status} $RC, expected $1"; }
expect_ok() { expect_rc 0 "${1:-exit status}"; }
expect_out() { [ "$OUT" = "$1" ] || fail "${2:-stdout} is not '$1'"; }
expect_out_has() { grep -qxF -- "$1" <<<"$OUT" || fail "${2:-stdout} lacks the line '$1'"; }
expect_err_has() { grep -qF -- "$1" <<<"$ERR" || fail "${2:-stderr} lacks '$1'"; }
line() { sed -n "${1}p" <<<"$OUT"; }  # line N of OUT

host_ns() { readlink "/proc/self/ns/$1"; }
field() { awk -v k="$1:" '$1 == k { print $2 }' <<<"$OUT"; }  # "Key: value" of OUT
bit() { (((16#$1 >> $2) & 1)); }                          # bit HEX N

# A failed start: exit 1, one line of stderr "$ME: ...", and the command
# (which would touch $W/ran) did not run.
expect_refused() {
	local n
	expect_rc 1
	n=$(wc -l <"$W/.err")
	[ "$n" -eq 1 ] || fail "stderr has $n lines, expected 1"
	case $ERR in "$ME: "?*) ;; *) fail "stderr does not start with '$ME: '" ;; esac
	[ ! -e "$W/ran" ] || fail "the command ran"
	case $OUT in *MARKER*) fail "the command ran (stdout has its marker)" ;; esac
}
# refuse ARGS...: BASE, a bind of $W, ARGS, then a marker command.
refuse() {
	runb --bind "$W" "$W" "$@" sh -c "touch '$W/ran'; echo MARKER"
	expect_refused
}

wait_for() { # wait_for SECONDS COMMAND...: poll until COMMAND succeeds
	local i n=$(($1 * 10))
	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
alive() { # alive PID: exists and is not a zombie
	local st
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}
none_alive() { local p; for p in "$@"; do ! alive "$p" || return 1; done; }
pids_of() { pgrep -f -x -- "$1"; }  # exact command line match
have_pids() { [ -n "$(pids_of "$1")" ]; }

# Kill the processes a test recorded (by pid) and run its cleanup commands.
test_cleanup() { # test_cleanup DIR
	local p f
	if [ -f "$1/.pids" ]; then
		while read -r p; do kill -9 "$p" 2>/dev/null; done <"$1/.pids"
		rm -f -- "$1/.pids"
	fi
	if [ -f "$1/.cleanup" ]; then
		while read -r f; do eval "$f" >/dev/null 2>&1; done <"$1/.cleanup"
		rm -f -- "$1/.cleanup"
	fi
}

pass_cleanup() {
	local d
	for d in "$PASS_TMP"/*/; do [ -d "$d" ] && test_cleanup "${d%/}"; done
	rm -rf -- "$PASS_TMP"
}

run_test() {
	local name=$1 rc reason
	W=$(mktemp -d "$PASS_TMP/$name.XXXXXX") || { echo "not ok - $PASS/$name: mktemp failed"; FAILED=$((FAILED + 1)); return; }
	(cd "$W" && "t_$name") >"$W/.log" 2>&1
	rc=$?
	test_cleanup "$W"
	reason=$(cat "$W/.reason" 2>/dev/null)
	case $rc in
	0)
		echo "ok - $PASS/$name"
		PASSED=$((PASSED + 1))
		;;
	77)
		echo "skip - $PASS/$name: $reason"
		SKIPPED=$((SKIPPED + 1))
		;;
	*)
		echo "not ok - $PASS/$name: ${reason:-exit status $rc}"
		{
			[ -f "$W/.rc" ] && echo "last sandbox run: exit $(cat "$W/.rc")"
			[ -s "$W/.out" ] && { echo "stdout:"; head -n 30 "$W/.out"; }
			[ -s "$W/.err" ] && { echo "stderr:"; head -n 30 "$W/.err"; }
			[ -s "$W/.log" ] && { echo "test output:"; head -n 30 "$W/.log"; }
		} | sed 's/^/#   /'
		FAILED=$((FAILED + 1))
		;;
	esac
	rm -rf -- "$W" 2>/dev/null || { chmod -R u+rwX -- "$W" 2>/dev/null; rm -rf -- "$W"; }
}

run_pass() {
	PASS=$1 PASSED=0 FAILED=0 SKIPPED=0
	IS_ROOT=0
	[ "$(id -u)" = 0 ] && IS_ROOT=1
	IS_BWRAP=0
	case $("$SBX" --version 2>/dev/null) in bubblewrap*) IS_BWRAP=1 ;; esac
	BASE=(--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib)
	[ -e /lib64 ] && BASE+=(--symlink usr/lib64 /lib64)
	BASE+=(--proc /proc --dev /dev)
	HOST_UID=$(id -u) HOST_GID=$(id -g)
	# Seccomp filters the suite itself runs under (tests/legacy/ adds one):
	# the sandbox's count is this plus its own.
	HOST_SECCOMP=$(awk '$1 == "Seccomp:" { print $2 }' /proc/self/status)
	HOST_FILTERS=$(awk '$1 == "Seccomp_filters:" { print $2 }' /proc/self/status)
	PASS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sbx-it-$PASS.XXXXXX") || die "mktemp failed"
	trap pass_cleanup EXIT
	trap 'exit 130' INT TERM HUP
	local t
	# tests run in the order they are defined below
	for t in $(sed -n 's/^t_\([a-z0-9_]*\)() {.*/\1/p' "$SELF"); do
		[ -z "${SBX_IT_ONLY:-}" ] || [[ $t =~ $SBX_IT_ONLY ]] || continue
		run_test "$t"
	done
	echo "# $PASS: $PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ -z "${SBX_IT_COUNTS:-}" ] || echo "$PASSED $SKIPPED $FAILED" >"$SBX_IT_COUNTS"
}

# ---------------------------------------------------------------------------
# Tests. Each runs in a subshell in its own directory $W (removed afterwards).

# The pass is what it says it is: otherwise every result below is meaningless.
t_pass_identity() {
	local eff
	eff=$(awk '$1 == "CapEff:" { print $2 }' /proc/self/status)
	if [ "$PASS" = unprivileged ]; then
		[ "$HOST_UID" != 0 ] || fail "the unprivileged pass runs as uid 0"
		[ $((16#$eff)) -eq 0 ] || fail "the unprivileged pass has capabilities $eff"
	else
		[ "$HOST_UID" = 0 ] || fail "the root pass runs as uid $HOST_UID"
	fi
}

## Namespaces

t_unshare_all() {
	local ns
	runb --unshare-all sh -c 'for n in pid net ipc uts cgroup; do echo "$n $(readlink /proc/self/ns/$n)"; done'
	expect_ok
	for ns in pid net ipc uts; do
		local in
		in=$(awk -v n="$ns" '$1 == n { print $2 }' <<<"$OUT")
		[ -n "$in" ] || fail "no $ns namespace inside"
		[ "$in" != "$(host_ns "$ns")" ] || fail "$ns namespace is the host's ($in)"
	done
	if [ -e /proc/self/ns/cgroup ]; then
		[ "$(awk '$1 == "cgroup" { print $2 }' <<<"$OUT")" != "$(host_ns cgroup)" ] ||
			fail "cgroup namespace is the host's (--unshare-all implies --unshare-cgroup-try)"
	fi
	runb --unshare-all cat /proc/net/dev
	expect_ok
	[ "$(tail -n +3 <<<"$OUT" | awk -F: '{ gsub(/ /, "", $1); print $1 }')" = lo ] ||
		fail "--unshare-all: network interfaces other than lo"
}

t_share_net() {
	runb --unshare-all --share-net sh -c 'readlink /proc/self/ns/net; readlink /proc/self/ns/ipc'
	expect_ok
	[ "$(line 1)" = "$(host_ns net)" ] || fail "net namespace is not the host's"
	[ "$(line 2)" != "$(host_ns ipc)" ] || fail "ipc namespace is the host's (--unshare-all lost)"
}

t_unshare_user() {
	runb --unshare-user sh -c 'readlink /proc/self/ns/user; id -u; id -g; cat /proc/self/uid_map; echo --; cat /proc/self/gid_map'
	expect_ok
	[ "$(line 1)" != "$(host_ns user)" ] || fail "user namespace is the host's"
	[ "$(line 2)" = "$HOST_UID" ] || fail "uid inside is not the caller's ($HOST_UID)"
	[ "$(line 3)" = "$HOST_GID" ] || fail "gid inside is not the caller's ($HOST_GID)"
	local umap gmap
	umap=$(sed -n '4,/^--$/p' <<<"$OUT" | grep -v '^--$')
	gmap=$(sed -n '/^--$/,$p' <<<"$OUT" | grep -v '^--$')
	[ "$(wc -l <<<"$umap")" -eq 1 ] || fail "uid_map has more than one line"
	[ "$(wc -l <<<"$gmap")" -eq 1 ] || fail "gid_map has more than one line"
	[ "$(awk '{ print $1 " " $3 }' <<<"$umap")" = "$HOST_UID 1" ] || fail "uid_map is not '$HOST_UID <outside> 1'"
	[ "$(awk '{ print $1 " " $3 }' <<<"$gmap")" = "$HOST_GID 1" ] || fail "gid_map is not '$HOST_GID <outside> 1'"
}

t_unshare_user_try() {
	local possible=1
	[ -e /proc/self/ns/user ] || possible=0
	[ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 1)" != 0 ] || possible=0
	runb --unshare-user-try sh -c 'readlink /proc/self/ns/user; cat /proc/self/uid_map | wc -l; id -u'
	expect_ok
	if [ $possible = 1 ]; then
		[ "$(line 1)" != "$(host_ns user)" ] || fail "no new user namespace although one is possible"
		[ "$(line 2)" = 1 ] || fail "uid_map has $(line 2) lines"
	fi
	[ "$(line 3)" = "$HOST_UID" ] || fail "uid inside is not $HOST_UID"
}

t_unshare_ipc() {
	runb sh -c 'readlink /proc/self/ns/ipc'
	expect_ok
	[ "$OUT" = "$(host_ns ipc)" ] || fail "without --unshare-ipc the ipc namespace is not the host's"
	runb --unshare-ipc sh -c 'readlink /proc/self/ns/ipc'
	expect_ok
	[ -n "$OUT" ] && [ "$OUT" != "$(host_ns ipc)" ] || fail "--unshare-ipc: ipc namespace is the host's"
}

t_unshare_pid() {
	runb --unshare-pid sh -c 'echo $$; readlink /proc/self/ns/pid; ls /proc | grep -c "^[0-9][0-9]*$"'
	expect_ok
	[ "$(line 1)" = 2 ] || fail "the command's pid is $(line 1), expected 2 (pid 1 is the reaper)"
	[ "$(line 2)" != "$(host_ns pid)" ] || fail "pid namespace is the host's"
	[ "$(line 3)" -le 4 ] || fail "$(line 3) processes visible in /proc"
}

t_as_pid_1() {
	runb --unshare-pid --as-pid-1 sh -c 'echo $$; ls /proc | grep -c "^[0-9][0-9]*$"'
	expect_ok
	[ "$(line 1)" = 1 ] || fail "the command's pid is $(line 1), expected 1"
	[ "$(line 2)" -le 3 ] || fail "$(line 2) processes visible in /proc"
}

t_unshare_net() {
	runb --unshare-net sh -c 'readlink /proc/self/ns/net; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "; '"$PY"' -c "
import fcntl, socket, struct
s = socket.socket(); s.bind((\"127.0.0.1\", 0)); s.listen(1)
c = socket.create_connection(s.getsockname(), timeout=5); a, _ = s.accept()
c.sendall(b\"ping\"); print(a.recv(4).decode())
r = fcntl.ioctl(s.fileno(), 0x8913, struct.pack(\"16sh14x\", b\"lo\", 0))  # SIOCGIFFLAGS
print(\"lo up\" if struct.unpack(\"16sh14x\", r)[1] & 1 else \"lo down\")
"'
	expect_ok
	[ "$(line 1)" != "$(host_ns net)" ] || fail "net namespace is the host's"
	[ "$(line 2)" = lo ] && [ "$(line 3)" = ping ] || fail "interfaces other than lo, or loopback traffic failed"
	expect_out_has "lo up"
}

t_unshare_uts_hostname() {
	local before
	before=$(uname -n)
	runb --unshare-uts --hostname sbx-it-host sh -c 'uname -n; readlink /proc/self/ns/uts'
	expect_ok
	[ "$(line 1)" = sbx-it-host ] || fail "hostname inside is '$(line 1)'"
	[ "$(line 2)" != "$(host_ns uts)" ] || fail "uts namespace is the host's"
	[ "$(uname -n)" = "$before" ] || fail "the host's hostname changed"
	runb --unshare-uts uname -n
	expect_ok
	expect_out "$before" "--unshare-uts without --hostname: hostname"
}

t_unshare_cgroup() {
	[ -e /proc/self/ns/cgroup ] || fail "the kernel has no cgroup namespaces"
	runb --unshare-cgroup readlink /proc/self/ns/cgroup
	expect_ok
	[ -n "$OUT" ] && [ "$OUT" != "$(host_ns cgroup)" ] || fail "cgroup namespace is the host's"
	runb --unshare-cgroup-try readlink /proc/self/ns/cgroup
	expect_ok
	[ -n "$OUT" ] && [ "$OUT" != "$(host_ns cgroup)" ] || fail "--unshare-cgroup-try: cgroup namespace is the host's"
	runb readlink /proc/self/ns/cgroup
	expect_ok
	expect_out "$(host_ns cgroup)" "without --unshare-cgroup: cgroup namespace"
}

t_uid_gid() {
	runb --unshare-user --uid 1234 --gid 5678 sh -c 'id -u; id -g; cat /proc/self/uid_map; cat /proc/self/gid_map'
	expect_ok
	[ "$(line 1)" = 1234 ] && [ "$(line 2)" = 5678 ] || fail "id -u/-g inside is not 1234/5678"
	[ "$(awk 'NR == 3 { print $1 }' <<<"$OUT")" = 1234 ] || fail "uid_map does not map 1234"
	[ "$(awk 'NR == 4 { print $1 }' <<<"$OUT")" = 5678 ] || fail "gid_map does not map 5678"
	[ "$(wc -l <<<"$OUT")" -eq 4 ] || fail "uid_map/gid_map have more than one line each"
	if is_root; then
		# no user namespace as root unless asked for: --uid is an error
		refuse --uid 5
		expect_err_has "--uid"
	else
		runb --uid 4321 id -u # a user namespace is implied
		expect_ok
		expect_out 4321
	fi
}

# --uid-map / --gid-map (man ID MAPPING). Unprivileged: newuidmap and
# newgidmap write the maps from the subordinate ids the driver gives nobody
# (SBX_IT_SUBID="FIRST COUNT"); as root sbx writes them itself.
need_subids() {
	sbx_only "--uid-map"
	if is_root; then
		SUB_FIRST=300000 SUB_COUNT=131072
		return 0
	fi
	[ -n "${SBX_IT_SUBID:-}" ] || skip "no subordinate ids for this user (the root driver gives nobody some)"
	read -r SUB_FIRST SUB_COUNT <<<"$SBX_IT_SUBID"
	[ -x /usr/bin/newuidmap ] && [ -x /usr/bin/newgidmap ] || skip "no newuidmap/newgidmap (package uidmap)"
}
# The caller onto root, 1..65535 onto its subordinate ids.
idmap_opts() {
	local me=$(id -u) mg=$(id -g)
	IDMAP=(--unshare-user --uid-map 0 "$me" 1 --uid-map 1 "$SUB_FIRST" 65535
		--gid-map 0 "$mg" 1 --gid-map 1 "$SUB_FIRST" 65535)
}
t_id_map() {
	need_subids
	idmap_opts
	runb "${IDMAP[@]}" sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map'
	expect_ok "a range map"
	[ "$(line 1)" = 0 ] && [ "$(line 2)" = 0 ] || fail "id -u/-g inside is not 0/0"
	[ "$(awk 'NR > 2 { print $1, $2, $3 }' <<<"$OUT" | tr '\n' ,)" = \
		"0 $(id -u) 1,1 $SUB_FIRST 65535,0 $(id -g) 1,1 $SUB_FIRST 65535," ] ||
		fail "uid_map/gid_map are not the two lines each"
	# --uid picks a mapped id; the command runs as it
	runb "${IDMAP[@]}" --uid 1000 --gid 100 sh -c 'id -u; id -g'
	expect_ok
	expect_out "$(printf '1000\n100')"
	# files made inside belong to the mapped ids on the host (chown needs
	# the capability, which sbx drops unless asked, as bwrap)
	mkdir d && chmod 777 d
	runb "${IDMAP[@]}" --cap-add CAP_CHOWN --bind "$W/d" /d sh -c 'touch /d/a /d/b && chown 5:7 /d/a && chown 65535:65535 /d/b && stat -c "%u %g" /d/a /d/b'
	expect_ok "chown inside"
	expect_out "$(printf '5 7\n65535 65535')"
	[ "$(stat -c '%u %g' d/a)" = "$((SUB_FIRST + 4)) $((SUB_FIRST + 6))" ] ||
		fail "on the host d/a is $(stat -c '%u %g' d/a), not the mapped ids"
	[ "$(stat -c '%u %g' d/b)" = "$((SUB_FIRST + 65534)) $((SUB_FIRST + 65534))" ] ||
		fail "on the host d/b is $(stat -c '%u %g' d/b)"
	# a map of the uid alone: the gid keeps bwrap's one id
	runb --unshare-user --uid-map 0 "$SUB_FIRST" 10 sh -c 'id -u; cat /proc/self/gid_map | wc -l'
	expect_ok "a uid map alone"
	expect_out "$(printf '0\n1')"
}

t_id_map_refused() {
	need_subids
	is_root && skip "root may map any ids"
	local past=$((SUB_FIRST + SUB_COUNT))
	refuse --uid-map 0 "$past" 10
	expect_err_has "--uid-map 0 $past 10: uids $past-$((past + 9)) are not delegated to nobody in /etc/subuid"
	expect_err_has "usermod --add-subuids $past-$((past + 9)) nobody"
	refuse --gid-map 0 "$((SUB_FIRST + SUB_COUNT - 5))" 10
	expect_err_has "are not delegated to nobody in /etc/subgid"
	# someone else's id alone is not the caller's own
	refuse --uid-map 0 0 1
	expect_err_has "uids 0-0 are not delegated to nobody in /etc/subuid"
	# the caller's own id alone needs no range
	runb --uid-map 7 "$(id -u)" 1 id -u
	expect_ok "the caller's own id alone"
	expect_out 7
	refuse --uid-map 0 "$SUB_FIRST" 10 --uid-map 5 "$((SUB_FIRST + 20))" 1
	expect_err_has "--uid-map: line 2 overlaps an earlier one"
	refuse --uid-map 0 "$SUB_FIRST" 10 --uid 10
	expect_err_has "--uid 10 is not mapped by --uid-map"
}

# --auto-map (man ID MAPPING): each sandbox gets a slice of the caller's
# subordinate ids of its own, claimed in a registry under $XDG_RUNTIME_DIR/sbx
# (root: /run/sbx) and given back when it ends. The driver gives the pass's
# user 131072 ids (SBX_IT_SUBID): two slices of 65535.
need_auto() {
	sbx_only "--auto-map"
	[ -n "${SBX_IT_SUBID:-}" ] || skip "no subordinate ids for this user (the root driver gives some)"
	read -r SUB_FIRST SUB_COUNT <<<"$SBX_IT_SUBID"
	if is_root; then
		REG=/run/sbx/ranges
	else
		[ -x /usr/bin/newuidmap ] && [ -x /usr/bin/newgidmap ] || skip "no newuidmap/newgidmap (package uidmap)"
		[ -n "${XDG_RUNTIME_DIR:-}" ] || skip "no XDG_RUNTIME_DIR (the root driver gives one)"
		REG=$XDG_RUNTIME_DIR/sbx/ranges
	fi
	[ "$(claims)" = 0 ] || fail "the registry holds claims before the test: $(cat "$REG")"
	AM=(--unshare-user --auto-map) # root has no user namespace unless asked
}
claims() { if [ -f "$REG" ]; then grep -c . "$REG"; else echo 0; fi; }
no_claims() { [ "$(claims)" = 0 ]; }
# slice_of FILE uid|gid: the first id of the slice an --info-fd document gives
slice_of() {
	"$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2] + "-slice"][0])' "$1" "$2" ||
		fail "no $2-slice in the --info-fd document: $(cat "$1")"
}
in_range() { [ "$1" -ge "$SUB_FIRST" ] && [ $(($1 + $2)) -le $((SUB_FIRST + SUB_COUNT)) ]; }
# auto_bg NAME COMMAND [OPTION...]: a sandbox in the background (--auto-map
# unless OPTIONs are given), --info-fd in NAME.info, that runs COMMAND and
# then waits for a line on the fifo NAME.go
auto_bg() {
	local n=$1 cmd=$2
	shift 2
	[ $# -gt 0 ] || set -- --auto-map
	mkfifo "$n.go"
	timeout -k 5 30 "$SBX" "${BASE[@]}" --bind "$W" "$W" --unshare-user "$@" --cap-add CAP_CHOWN \
		--info-fd 7 sh -c "$cmd && cat '$W/$n.go' >/dev/null" 7>"$n.info" </dev/null >/dev/null 2>&1 &
	track $!
	wait_for 10 test -s "$n.info" || fail "sandbox $n did not start"
	# its monitor too: killing timeout would leave the sandbox waiting
	local child
	child=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["child-pid"])' "$n.info")
	track "$(awk '$1 == "PPid:" { print $2 }' "/proc/$child/status")"
}

t_auto_map() {
	need_auto
	local s g
	runb "${AM[@]}" --info-fd 3 --json-status-fd 4 sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map' \
		3>info 4>status
	expect_ok "--auto-map"
	[ "$(line 1) $(line 2)" = "0 0" ] || fail "id -u/-g inside is not 0/0"
	s=$(slice_of info uid) g=$(slice_of info gid)
	in_range "$s" 65535 && in_range "$g" 65535 || fail "slice $s/$g is not within the subordinate ids"
	[ "$(awk 'NR > 2 { print $1, $2, $3 }' <<<"$OUT" | tr '\n' ,)" = \
		"0 $(id -u) 1,1 $s 65535,0 $(id -g) 1,1 $g 65535," ] ||
		fail "uid_map/gid_map are not the caller onto 0 and the slice: $OUT"
	grep -qF "\"uid-slice\": [$s, 65535]" status || fail "--json-status-fd lacks the uid-slice: $(cat status)"
	[ "$(claims)" = 0 ] || fail "the slice is still claimed after the sandbox ended: $(cat "$REG")"
	# chown inside to several ids: the host sees them in the slice
	mkdir d && chmod 777 d
	runb "${AM[@]}" --cap-add CAP_CHOWN --bind "$W/d" /d --info-fd 3 sh -c \
		'touch /d/a /d/b /d/c && chown 5:7 /d/a && chown 65535:65535 /d/b && chown 1:1 /d/c && stat -c "%u %g" /d/a /d/b /d/c' 3>info
	expect_ok "chown inside"
	expect_out "$(printf '5 7\n65535 65535\n1 1')"
	s=$(slice_of info uid) g=$(slice_of info gid)
	[ "$(stat -c '%u %g' d/a d/b d/c | tr '\n' ,)" = \
		"$((s + 4)) $((g + 6)),$((s + 65534)) $((g + 65534)),$s $g," ] ||
		fail "on the host the files are $(stat -c '%u %g' d/a d/b d/c | tr '\n' ,) (slice $s/$g)"
	# --uid/--gid inside, a size of its own
	runb --unshare-user --auto-map-size 1000 --uid 10 --gid 20 --info-fd 3 sh -c 'id -u; id -g; cat /proc/self/uid_map' 3>info
	expect_ok "--auto-map-size with --uid"
	s=$(slice_of info uid)
	[ "$(awk '{ print $1, $2, $3 }' <<<"$OUT" | tr '\n' ,)" = \
		"10  ,20  ,0 $s 10,10 $(id -u) 1,11 $((s + 10)) 989," ] || fail "--uid 10 in 1000 ids: $OUT"
	[ "$(claims)" = 0 ] || fail "a claim is left: $(cat "$REG")"
}

# Two sandboxes at once hold disjoint slices: what one makes is the overflow
# id in the other. A slice given back is the next sandbox's.
t_auto_map_disjoint() {
	need_auto
	local a b c
	auto_bg A "touch '$W/a' && chown 5:5 '$W/a'"
	wait_for 10 test -e a || fail "sandbox A made no file"
	[ "$(claims)" = 2 ] || fail "A's claims are not in the registry: $(cat "$REG" 2>/dev/null)"
	a=$(slice_of A.info uid)
	runb "${AM[@]}" --bind "$W" "$W" --info-fd 3 stat -c '%u %g' "$W/a" 3>B.info
	expect_ok "a second sandbox while A runs"
	expect_out "65534 65534" "A's file in B"
	b=$(slice_of B.info uid)
	in_range "$a" 65535 && in_range "$b" 65535 || fail "slices $a, $b are not within the subordinate ids"
	[ $((a > b ? a - b : b - a)) -ge 65535 ] || fail "A's slice $a and B's $b overlap"
	echo >A.go
	wait_for 10 no_claims || fail "A's slice is not given back after it ended: $(cat "$REG")"
	runb "${AM[@]}" --bind "$W" "$W" --info-fd 3 stat -c '%u %g' "$W/a" 3>C.info
	expect_ok
	c=$(slice_of C.info uid)
	[ "$c" = "$a" ] || fail "the next sandbox got $c, not the first free slice $a"
	expect_out "5 5" "A's file in a sandbox with A's slice"
}

# A killed sandbox's slice is taken back by the next claim: its holder is
# gone, or its pid runs another program (pid and start time decide).
t_auto_map_reclaim() {
	need_auto
	local a child mon pidns p t
	auto_bg A true
	a=$(slice_of A.info uid)
	child=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["child-pid"])' A.info) ||
		fail "bad --info-fd document: $(cat A.info)"
	mon=$(awk '$1 == "PPid:" { print $2 }' "/proc/$child/status")
	[ "$(cat "/proc/$mon/comm")" = "${SBX##*/}" ] || fail "child-pid's parent $mon is $(cat "/proc/$mon/comm")"
	kill -9 "$mon"
	wait_for 10 none_alive "$mon" "$child" || fail "the sandbox outlived its killed monitor"
	[ "$(claims)" = 2 ] || fail "the killed sandbox's claims are not left in the registry"
	runb "${AM[@]}" --info-fd 3 true 3>B.info
	expect_ok "a claim after a killed sandbox"
	[ "$(slice_of B.info uid)" = "$a" ] || fail "the killed sandbox's slice $a was not taken back"
	[ "$(claims)" = 0 ] || fail "the dead claim is still in the registry: $(cat "$REG")"
	# A live process's pid with another start time: a reused pid
	sleep 60 &
	p=$!
	track "$p"
	pidns=$(stat -L -c %i /proc/self/ns/pid) t=$(awk '{ print $22 }' "/proc/$p/stat")
	printf 'u %s 65535 %s %s %s\ng %s 65535 %s %s %s\n' "$SUB_FIRST" "$pidns" "$p" $((t + 1)) \
		"$SUB_FIRST" "$pidns" "$p" $((t + 1)) >"$REG"
	runb "${AM[@]}" --info-fd 3 true 3>B.info
	expect_ok
	[ "$(slice_of B.info uid)" = "$SUB_FIRST" ] || fail "a claim whose pid has another start time was kept"
	# the same pid and start time: kept
	printf 'u %s 65535 %s %s %s\ng %s 65535 %s %s %s\n' "$SUB_FIRST" "$pidns" "$p" "$t" \
		"$SUB_FIRST" "$pidns" "$p" "$t" >"$REG"
	runb "${AM[@]}" --info-fd 3 true 3>B.info
	expect_ok
	[ "$(slice_of B.info uid)" = $((SUB_FIRST + 65535)) ] || fail "a live holder's slice was taken"
	[ "$(claims)" = 2 ] || fail "the live holder's claims were dropped"
	rm -f -- "$REG"
}

t_auto_map_refused() {
	need_auto
	refuse --unshare-user --auto-map-size 200000
	expect_err_has "--auto-map: no free slice of 199999 uids among"
	expect_err_has "(0 held by running sandboxes;"
	auto_bg A true --auto-map-size 100000
	refuse --unshare-user --auto-map-size 100000
	expect_err_has "no free slice of 99999 uids"
	expect_err_has "(1 held by running sandboxes;"
	echo >A.go
	wait_for 10 no_claims || fail "A's slice is not given back"
	refuse "${AM[@]}" --uid-map 0 "$(id -u)" 1
	expect_err_has "--auto-map is not compatible with --uid-map"
	refuse "${AM[@]}" --uid 65536
	expect_err_has "--uid 65536 is outside the --auto-map range 0-65535"
	refuse --unshare-user --auto-map-size 1
	expect_err_has "invalid --auto-map-size: '1'"
	refuse --unshare-user --auto-map-size 12x
	expect_err_has "invalid --auto-map-size: '12x'"
	runb "${AM[@]}" --auto-map true
	expect_ok "a repeated --auto-map"
	expect_err_has "only the last --auto-map takes effect"
	if is_root; then
		# root without --unshare-user has no user namespace to map
		refuse --auto-map
		expect_err_has "--auto-map requires --unshare-user"
		# a user without subordinate ids (and no passwd line, no
		# LOGNAME), with a runtime directory of its own
		local rt
		rt=$(mktemp -d /tmp/sbx-it-rt.XXXXXX) && on_cleanup "rm -rf '$rt'"
		chown 4242:4242 "$rt"
		(cd / && timeout -k 5 20 setpriv --reuid=4242 --regid=4242 --clear-groups -- env -u LOGNAME \
			XDG_RUNTIME_DIR="$rt" "$SBX" "${BASE[@]}" --auto-map sh -c "echo MARKER" \
			</dev/null >"$W/.out" 2>"$W/.err")
		RC=$? OUT=$(cat .out) ERR=$(cat .err)
		expect_refused
		expect_err_has "--auto-map: this user has no subordinate uids in /etc/subuid"
		expect_err_has "usermod --add-subuids 100000-165535 USER"
	else
		# the registry lives under $XDG_RUNTIME_DIR: an absolute directory
		# that is the caller's alone, and a directory "sbx" in it (not a link)
		XDG_RUNTIME_DIR= refuse "${AM[@]}"
		expect_err_has "--auto-map needs \$XDG_RUNTIME_DIR, an absolute path"
		XDG_RUNTIME_DIR=run refuse "${AM[@]}"
		expect_err_has "--auto-map needs \$XDG_RUNTIME_DIR"
		mkdir rt && chmod 770 rt
		XDG_RUNTIME_DIR=$W/rt refuse "${AM[@]}"
		expect_err_has "--auto-map: $W/rt is not yours alone"
		chmod 700 rt && mkdir elsewhere && ln -s ../elsewhere rt/sbx
		XDG_RUNTIME_DIR=$W/rt refuse "${AM[@]}"
		expect_err_has "--auto-map: can't open $W/rt/sbx"
		[ -z "$(ls elsewhere)" ] || fail "sbx wrote through a symlinked registry: $(ls elsewhere)"
	fi
}

## Filesystem

t_bind() {
	mkdir d && echo host >d/in
	runb --bind "$W/d" /mnt sh -c 'cat /mnt/in; echo sandbox >/mnt/out'
	expect_ok
	expect_out host "host file read inside"
	[ "$(cat d/out 2>/dev/null)" = sandbox ] || fail "file written inside is not on the host"
}

t_bind_try() {
	mkdir d && echo x >d/f
	runb --bind-try "$W/missing" /m1 --bind-try "$W/d" /m2 sh -c 'test -e /m1 && echo m1 exists; cat /m2/f; echo y >/m2/g'
	expect_ok
	expect_out x
	[ "$(cat d/g 2>/dev/null)" = y ] || fail "--bind-try of an existing source is not writable through"
}

t_dev_bind() {
	runb --dev-bind /dev /hostdev --bind /dev /nodev sh -c '
		echo x >/hostdev/null && echo null-ok
		head -c 4 /hostdev/zero | od -An -tx1 | tr -d " "
		echo x >/nodev/null 2>/dev/null || echo nodev-refused'
	expect_ok
	expect_out "$(printf 'null-ok\n00000000\nnodev-refused')"
}

t_dev_bind_try() {
	runb --dev-bind-try "$W/missing" /m --dev-bind-try /dev /hostdev sh -c '
		test -e /m && echo m exists
		echo x >/hostdev/null && echo null-ok'
	expect_ok
	expect_out null-ok
}

# writes $1 inside (a python snippet's result line): "EROFS" if refused so
write_probe() {
	echo "import errno, sys
for p in sys.argv[1:]:
    try:
        open(p, 'w').close(); print(p, 'written')
    except OSError as e:
        print(p, errno.errorcode.get(e.errno, e.errno))"
}

t_ro_bind() {
	mkdir d && echo host >d/f
	runb --ro-bind "$W/d" /ro "$PY" -c "$(write_probe)" /ro/f /ro/new
	expect_ok
	expect_out "$(printf '/ro/f EROFS\n/ro/new EROFS')"
	[ "$(cat d/f)" = host ] && [ ! -e d/new ] || fail "host files changed"
}

# A mount below the source of --ro-bind is read-only too (recursive).
# /dev/shm is a writable tmpfs mounted under /dev on most hosts.
t_ro_bind_submount_devshm() {
	[ "$(stat -c %d /dev)" != "$(stat -c %d /dev/shm)" ] || skip "/dev/shm is not a mount point on this host"
	[ -w /dev/shm ] || skip "/dev/shm is not writable by uid $HOST_UID"
	runb --ro-bind /dev /hostdev "$PY" -c "$(write_probe)" "/hostdev/shm/sbx-it-$$"
	expect_ok
	expect_out "/hostdev/shm/sbx-it-$$ EROFS"
	[ ! -e "/dev/shm/sbx-it-$$" ] || { rm -f "/dev/shm/sbx-it-$$"; fail "file created in the host's /dev/shm"; }
}

# Submounts of every shape the kernel's mountinfo escapes or stacks: a name
# with a space, a tab and a backslash, one mount inside another, two on one point.
t_ro_bind_submount_tmpfs() {
	root_only "mounting a tmpfs on the host needs root"
	local odd
	odd=$(printf 'sub dir\tx\\y')
	mkdir -p "src/$odd" src/stack
	mount -t tmpfs -o size=1m sbx-it "$W/src/$odd" || fail "can't mount a tmpfs on the host"
	on_cleanup "umount -l '$W/src/$odd/deeper'; umount -l '$W/src/$odd'; umount -l '$W/src/stack'; umount -l '$W/src/stack'"
	mkdir "src/$odd/deeper" && mount -t tmpfs -o size=1m sbx-it "$W/src/$odd/deeper" ||
		fail "can't mount the nested tmpfs"
	mount -t tmpfs -o size=1m sbx-it "$W/src/stack" && mount -t tmpfs -o size=1m sbx-it "$W/src/stack" ||
		fail "can't stack two tmpfs"
	echo host >"src/$odd/f"
	runb --ro-bind "$W/src" /ro "$PY" -c "$(write_probe)" "/ro/$odd/f" "/ro/$odd/new" \
		"/ro/$odd/deeper/new" /ro/stack/new /ro/new
	expect_ok
	expect_out "$(printf '%s EROFS\n' "/ro/$odd/f" "/ro/$odd/new" "/ro/$odd/deeper/new" /ro/stack/new /ro/new | head -c -1)"
}

# Mounts the host makes later, under a shared-propagation source: none shows
# under a --ro-bind (its tree is private: a host mount there would appear
# writable, without nosuid/nodev), while a --bind receives them, as bwrap's
# do (a flatpak app sees removable media mounted after it started).
t_ro_bind_propagation() {
	root_only "mounting on the host needs root"
	local d pid i
	mkfifo go
	for d in ro rw; do
		mkdir -p "$d/later" && mount --bind "$W/$d" "$W/$d" && mount --make-shared "$W/$d" ||
			fail "can't make $W/$d a shared mount"
		on_cleanup "umount -R -l '$W/$d'"
	done
	runb --ro-bind "$W/ro" /ro --bind "$W/rw" /rw --info-fd 5 --block-fd 3 sh -c '
		grep -c " /ro/later " /proc/self/mountinfo
		grep -c " /rw/later " /proc/self/mountinfo
		'"$PY"' -c "$0" /ro/later/new /rw/later/new' "$(write_probe)" 3<>go 5>info &
	track $!
	wait_for 10 test -s info || fail "no --info-fd document"
	pid=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["child-pid"])' info)
	# The sandbox's root is built (and it waits on --block-fd) once its
	# mount table shows /ro and /rw from the new root.
	wait_for 10 grep -q " /rw rw," "/proc/$pid/mountinfo" || fail "the sandbox's root never appeared"
	for d in ro rw; do
		mount -t tmpfs -o size=1m sbx-it-later "$W/$d/later" || fail "can't mount on $W/$d/later"
	done
	echo go >go
	wait_for 10 test -s .rc || fail "the sandbox did not finish"
	RC=$(cat .rc) OUT=$(cat .out) ERR=$(cat .err)
	expect_ok
	[ "$(line 1)" = 0 ] || fail "a host mount made later appeared under the --ro-bind"
	[ "$(line 2)" = 1 ] || fail "a host mount made later did not appear under the --bind"
	expect_out_has "/ro/later/new EROFS"
	expect_out_has "/rw/later/new written"
	[ ! -e ro/later/new ] && [ -e rw/later/new ] || fail "the host sees: $(ls ro/later rw/later)"
}

# A magic link as source (bwrap callers pass /proc/self/fd/N and /dev/fd/N):
# it names the object the fd is open on.
t_bind_magic_link_source() {
	mkdir d && echo via-fd >d/f
	runb --ro-bind /proc/self/fd/5 /a --ro-bind /dev/fd/5 /b cat /a/f /b/f 5<d
	expect_ok
	expect_out "$(printf 'via-fd\nvia-fd')"
	# A namespace file: flatpak binds the sandbox's own user namespace,
	# /proc/self/ns/user as the sandbox's first process sees it, on
	# /run/.userns (for flatpak-spawn to join it later).
	runb --unshare-user --ro-bind-try /proc/self/ns/user /run/.userns sh -c \
		'stat -L -c %i /run/.userns; readlink /proc/self/ns/user'
	expect_ok
	[ "user:[$(line 1)]" != "$(readlink /proc/self/ns/user)" ] || fail "/run/.userns is the caller's user namespace"
	# bwrap, unprivileged with --dev, first maps uid 0 (to mount devpts),
	# then runs the command in a second user namespace nested in that one.
	is_bwrap || [ "user:[$(line 1)]" = "$(line 2)" ] ||
		fail "/run/.userns is not the sandbox's user namespace: $OUT"
}

t_ro_bind_try() {
	mkdir d
	runb --ro-bind-try "$W/missing" /m1 --ro-bind-try "$W/d" /m2 sh -c "test -e /m1 && echo m1 exists; $PY -c \"\$1\" /m2/new" sh "$(write_probe)"
	expect_ok
	expect_out "/m2/new EROFS"
}

t_remount_ro() {
	mkdir d
	runb --tmpfs /t --dir /t/sub --bind "$W/d" /w --remount-ro /t --remount-ro /w "$PY" -c "$(write_probe)" /t/f /t/sub/f /w/f
	expect_ok
	expect_out "$(printf '/t/f EROFS\n/t/sub/f EROFS\n/w/f EROFS')"
	runb --tmpfs /t "$PY" -c "$(write_probe)" /t/f
	expect_out "/t/f written" "without --remount-ro"
}

t_proc() {
	runb --unshare-pid sh -c 'test -d /proc/self && readlink /proc/self; test -r /proc/1/status && echo pid1; grep -c "^proc /proc proc" /proc/self/mounts'
	expect_ok
	[ "$(line 3)" -ge 1 ] || fail "no procfs at /proc"
	expect_out_has pid1
	# /proc/self is the reader: a pid, not the host's
	[[ $(line 1) =~ ^[0-9]+$ ]] && [ "$(line 1)" -le 5 ] || fail "/proc/self is '$(line 1)'"
	runb --proc /p2 sh -c 'test -d /p2/self && echo self'
	expect_ok
	expect_out self "--proc on another path"
}

t_proc_sys_readonly() {
	if is_root && is_bwrap; then
		skip "sbx-only as root: bwrap's access(W_OK) check skips /proc/sys (its root dir always says EACCES), leaving it writable by root"
	fi
	runb sh -c 'test -w /proc/sys/kernel/hostname && echo writable || echo not-writable; '"$PY"' -c "import os; print(os.access(\"/proc/sys/kernel/hostname\", os.W_OK)); print(bool(os.statvfs(\"/proc/sys\").f_flag & os.ST_RDONLY))"'
	expect_ok
	[ "$(line 1)" = not-writable ] || fail "/proc/sys/kernel/hostname is writable (test -w)"
	[ "$(line 2)" = False ] || fail "/proc/sys/kernel/hostname is writable (access)"
	if is_root; then
		[ "$(line 3)" = True ] || fail "/proc/sys is not on a read-only mount as root"
	fi
}

# The caller's keys stay outside: the sandbox gets a session keyring of its
# own (as runc gives a container), and --proc hides /proc/keys and
# /proc/key-users (they list every key the reader may view, the caller's
# included, whatever keyring the reader has) and the other files Docker
# masks that this kernel has. Both kinds of procfs: a new one
# (--unshare-pid) and the host's, bound.
t_keyring() {
	sbx_only "bwrap keeps the caller's session keyring and shows /proc/keys"
	local masked="keys key-users kcore timer_list timer_stats sched_debug latency_stats" pid n
	cat >keys.py <<'EOF'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def keyctl(what, *args):
    r = libc.syscall(*args)
    if r < 0:
        sys.exit("%s: %s" % (what, os.strerror(ctypes.get_errno())))
    return r
SESSION = ctypes.c_long(-3)  # KEY_SPEC_SESSION_KEYRING
if sys.argv[1] == "inside":
    print(keyctl("the session keyring's id", 250, 0, SESSION, 0))  # KEYCTL_GET_KEYRING_ID
    for n in sys.argv[2:]:
        p = "/proc/" + n
        if os.path.lexists(p):
            try:
                print(n, len(open(p, "rb").read()))
            except OSError as e:
                print(n, "unreadable", e.strerror)
    sys.exit(0)
keyctl("join a session keyring", 250, 1, b"sbx-it-session")  # KEYCTL_JOIN_SESSION_KEYRING
keyctl("add_key", 248, b"user", b"sbx-it-key", b"secret", 6, SESSION)
print(keyctl("the session keyring's id", 250, 0, SESSION, 0), file=open(sys.argv[1], "w"))
os.execv(sys.argv[2], sys.argv[2:])
EOF
	# --share-net changes nothing here: it stands for "no --unshare-pid".
	for pid in --unshare-pid --share-net; do
		timeout 20 "$PY" keys.py outside "$SBX" "${BASE[@]}" $pid --seccomp-profile none \
			--ro-bind "$W/keys.py" /keys.py "$PY" /keys.py inside $masked \
			</dev/null >.out 2>.err
		RC=$? OUT=$(cat .out) ERR=$(cat .err)
		expect_ok "$pid"
		[ -s outside ] || fail "no session keyring made outside"
		[[ $(line 1) =~ ^[0-9]+$ ]] || fail "$pid: no session keyring id inside"
		[ "$(line 1)" != "$(cat outside)" ] || fail "$pid: the sandbox has the caller's session keyring"
		for n in $masked; do
			[ -e "/proc/$n" ] || continue
			grep -qE "^$n (0|unreadable .*)\$" <<<"$OUT" ||
				fail "$pid: /proc/$n inside: $(grep "^$n " <<<"$OUT" || echo missing)"
		done
	done
}

# A session keyring sbx cannot make fails the start (fail closed), here a
# full key quota (kernel.keys.maxkeys): the caller fills it first. As a uid
# of its own (the quota is per user, and the unprivileged pass's nobody is
# shared with whatever else runs as nobody here), so root pass only.
t_keyring_quota_full() {
	root_only "needs a uid of its own"
	sbx_only "bwrap makes no keyring"
	local uid=64123
	[ ! -e "/proc/key-users" ] || ! grep -q "^ *$uid:" /proc/key-users || skip "uid $uid owns keys already"
	timeout 20 setpriv --reuid=$uid --regid=$uid --clear-groups -- "$PY" -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
if libc.syscall(250, 1, b"sbx-it-quota") < 0:  # KEYCTL_JOIN_SESSION_KEYRING
    sys.exit("join: " + os.strerror(ctypes.get_errno()))
for i in range(100000):
    if libc.syscall(248, b"user", b"k%d" % i, b"x", 1, ctypes.c_long(-3)) < 0:
        break
if ctypes.get_errno() != 122:  # EDQUOT
    sys.exit("add_key %d: %s" % (i, os.strerror(ctypes.get_errno())))
os.execv(sys.argv[1], sys.argv[1:])' "$SBX" "${BASE[@]}" sh -c 'echo MARKER' </dev/null >.out 2>.err
	RC=$? OUT=$(cat .out) ERR=$(cat .err)
	expect_refused
	expect_err_has "can't give the sandbox a session keyring of its own: Disk quota exceeded"
}

# A bind of the whole sysfs hides firmware (and devices/virtual/powercap,
# where the kernel has it) behind an empty read-only tmpfs, as Docker masks
# them; a bind of the part itself is the caller's choice and shows it.
t_sys_firmware_covered() {
	sbx_only "bwrap binds /sys as it is"
	local o n
	[ -n "$(ls -A /sys/firmware 2>/dev/null)" ] || skip "this host's /sys/firmware is empty"
	for o in --ro-bind --bind --dev-bind; do
		runb $o /sys /sys --ro-bind /sys/firmware /fw sh -c '
			ls -A /sys/firmware | wc -l; stat -f -c %T /sys/firmware
			touch /sys/firmware/x 2>&1 | grep -c "Read-only file system"
			for n in /sys/devices/virtual/powercap/*; do test -e "$n" && echo "powercap: $n"; done
			ls -A /fw | wc -l'
		expect_ok "$o"
		[ "$(line 1)" = 0 ] || fail "$o /sys: /sys/firmware shows $(line 1) entries"
		[ "$(line 2)" = tmpfs ] || fail "$o /sys: /sys/firmware is $(line 2), not the empty tmpfs"
		[ "$(line 3)" = 1 ] || fail "$o /sys: /sys/firmware is not read-only"
		[ "$(line 4)" -gt 0 ] 2>/dev/null || fail "$o /sys: $OUT"
	done
}

t_dev() {
	runb sh -c '
		for f in null zero full random urandom tty; do stat -c "%n %F %t:%T" /dev/$f; done
		for f in stdin stdout stderr fd; do echo "/dev/$f -> $(readlink /dev/$f)"; done
		test -c /dev/ptmx || test "$(readlink /dev/ptmx)" = pts/ptmx && echo ptmx-ok
		test -d /dev/pts && grep -q "^devpts /dev/pts devpts" /proc/self/mounts && echo pts-ok
		test -d /dev/shm && echo shm-ok
		echo x >/dev/full 2>/dev/null || echo full-ENOSPC
		head -c 2 /dev/urandom | wc -c
		'"$PY"' -c "import os, pty; m, s = pty.openpty(); os.write(m, b\"hi\\n\"); print(os.ttyname(s).rstrip(\"0123456789\"), os.read(s, 3))"'
	expect_ok
	expect_out "/dev/null character special file 1:3
/dev/zero character special file 1:5
/dev/full character special file 1:7
/dev/random character special file 1:8
/dev/urandom character special file 1:9
/dev/tty character special file 5:0
/dev/stdin -> /proc/self/fd/0
/dev/stdout -> /proc/self/fd/1
/dev/stderr -> /proc/self/fd/2
/dev/fd -> /proc/self/fd
ptmx-ok
pts-ok
shm-ok
full-ENOSPC
2
/dev/pts/ b'hi\n'"
}

# A terminal: script(1) gives the sandbox one. --dev binds it as /dev/console,
# /dev/tty opens it (the controlling terminal) unless --new-session.
t_tty() {
	command -v script >/dev/null || skip "no tty available: script(1) is not installed"
	local probe='stat -L -c "%t:%T" /proc/self/fd/0 /dev/console; sh -c "exec 3</dev/tty" 2>/dev/null && echo ctty || echo no-ctty'
	printf '#!/bin/sh\nexec timeout 20 "$SBX" "$@"\n' >"$W/sbx.sh"
	chmod 755 "$W/sbx.sh"
	local q
	q=$(printf '%q ' "$W/sbx.sh" "${BASE[@]}" sh -c "$probe")
	SHELL=/bin/bash timeout 30 script -qec "$q" /dev/null </dev/null >"$W/.out" 2>"$W/.err"
	RC=$?
	OUT=$(tr -d '\r' <"$W/.out")
	expect_ok
	[ "$(line 1)" = "$(line 2)" ] && [ "$(line 3)" = ctty ] ||
		fail "with a terminal: /dev/console is not the terminal (lines 1-2), or /dev/tty does not open"
	q=$(printf '%q ' "$W/sbx.sh" "${BASE[@]}" --new-session sh -c "$probe")
	SHELL=/bin/bash timeout 30 script -qec "$q" /dev/null </dev/null >"$W/.out" 2>"$W/.err"
	RC=$?
	OUT=$(tr -d '\r' <"$W/.out")
	expect_ok
	[ "$(line 3)" = no-ctty ] || fail "--new-session: /dev/tty still opens (the terminal is still controlling)"
	runb sh -c 'test -e /dev/console && echo console || echo none'
	expect_out none "without a terminal, /dev/console"
}

t_tmpfs() {
	(
		umask 077
		runb --tmpfs /t --size 1048576 --tmpfs /s --perms 0700 --tmpfs /p sh -c '
			echo x >/t/f && cat /t/f
			stat -c %a /t /p
			echo $(( $(stat -f -c "%b * %S" /s) ))
			grep -c "^tmpfs /t tmpfs" /proc/self/mounts'
		expect_ok
		expect_out "$(printf 'x\n755\n700\n1048576\n1')"
	) || exit
}

t_mqueue() {
	# (no awk inside: /usr/bin/awk is a link to /etc/alternatives on Debian)
	runb --unshare-ipc --mqueue /mq sed -n 's|^[^ ]* /mq \([^ ]*\) .*|\1|p' /proc/self/mounts
	expect_ok
	expect_out mqueue "filesystem type at /mq"
}

t_dir() {
	(
		umask 077
		runb --dir /d1 --perms 0711 --dir /d2 --dir /d1/sub --perms 0700 --dir /usr stat -c '%a %F %n' /d1 /d2 /d1/sub /usr
		expect_ok
		expect_out "$(printf '755 directory /d1\n711 directory /d2\n755 directory /d1/sub\n755 directory /usr')"
	) || exit
}

# Missing parents of a destination get bwrap's modes: 0755 less the group's
# and the others' bits the op's own mode lacks, ops without a mode (binds,
# symlinks, --proc, --dev) counting as 0, so 0700.
t_parent_modes() {
	mkdir d
	runb --bind "$W/d" /b1/p/m --symlink x /s1/p/l --dir /d1/p/d --perms 0750 --dir /d2/p/d \
		--tmpfs /t1/p/t --file 3 /f1/p/f --perms 0640 --file 4 /f2/p/f --ro-bind-data 5 /r1/p/f \
		--dev /v1/p/dev --proc /c1/p/proc stat -c '%a %n' /b1 /b1/p /s1/p /d1/p /d2/p /t1/p /f1/p \
		/f2/p /r1/p /v1/p /c1/p 3</dev/null 4</dev/null 5</dev/null
	expect_ok
	expect_out "$(printf '%s\n' '700 /b1' '700 /b1/p' '700 /s1/p' '755 /d1/p' '750 /d2/p' '755 /t1/p' \
		'755 /f1/p' '750 /f2/p' '700 /r1/p' '700 /v1/p' '700 /c1/p' | head -c -1)"
}

t_symlink() {
	runb --symlink /no/such/target /l1 --symlink ../usr /l2 --dir /d --symlink rel /d/l3 sh -c 'readlink /l1 /l2 /d/l3; ls /l2/bin/sh'
	expect_ok
	expect_out "$(printf '/no/such/target\n../usr\nrel\n/l2/bin/sh')"
}

t_chmod() {
	mkdir d && chmod 755 d && touch d/f && chmod 644 d/f
	runb --dir /x --chmod 0700 /x --tmpfs /t --chmod 1777 /t --bind "$W/d" /b --chmod 0600 /b/f stat -c '%a %n' /x /t /b/f
	expect_ok
	expect_out "$(printf '700 /x\n1777 /t\n600 /b/f')"
	[ "$(stat -c %a d/f)" = 600 ] || fail "--chmod through a bind did not change the host file"
}

# Destinations as bwrap 0.12 has them: a mount never follows the
# destination's last component (a symlink there, dangling or not, with a
# trailing slash or not, is refused), a directory is not mounted over a file
# nor a file over a directory, and --dir, --file, --chmod do not go through
# a symlink either. Under the name bwrap, 0.12.0's words.
t_dest_exists_checks() {
	sbx_only "bwrap before 0.12 follows a symlink at the destination"
	local mk=(--tmpfs /t --dir /t/d --symlink /usr /t/link --symlink /nowhere /t/dangling
		--file 3 /t/f)
	exec 3</dev/null
	refuse "${mk[@]}" --bind /usr /t/link
	expect_err_has "can't mount on /t/link: it is a symlink"
	refuse "${mk[@]}" --bind /usr/bin/true /t/link
	refuse "${mk[@]}" --bind /usr /t/link/
	refuse "${mk[@]}" --ro-bind /usr/bin/true /t/dangling
	expect_err_has "can't mount on /t/dangling: it is a symlink"
	refuse "${mk[@]}" --tmpfs /t/link
	refuse "${mk[@]}" --proc /t/link
	refuse "${mk[@]}" --dev /t/link
	refuse "${mk[@]}" --remount-ro /t/link
	refuse "${mk[@]}" --ro-bind-data 3 /t/link
	refuse "${mk[@]}" --bind /usr /t/f
	expect_err_has "can't use /t/f as a directory: it exists and is not a directory"
	refuse "${mk[@]}" --tmpfs /t/f
	refuse "${mk[@]}" --dir /t/link
	expect_err_has "can't use /t/link as a directory"
	refuse "${mk[@]}" --bind /usr/bin/true /t/d
	expect_err_has "can't bind a file on /t/d: it exists and is a directory"
	refuse "${mk[@]}" --bind-data 3 /t/d
	refuse "${mk[@]}" --file 3 /t/link
	expect_err_has "can't create file /t/link: Too many levels of symbolic links"
	refuse "${mk[@]}" --chmod 0700 /t/link
	expect_err_has "can't set mode 0700 on /t/link: Operation not supported"
	# What still works: a bind on an existing directory and file, --dir on
	# a directory, a symlink in a parent (resolved inside the new root).
	runb "${mk[@]}" --bind /usr /t/d --ro-bind /usr/bin/true /t/f --dir /t/d --dir /t/e \
		--symlink e /t/el --ro-bind /usr/bin/true /t/el/x \
		sh -c 'test -x /t/d/bin/sh && test -x /t/f && test -x /t/e/x && echo ok'
	expect_ok
	expect_out ok
	# Under bwrap's name, 0.12.0's words.
	ln -s "$SBX" bwrap
	SBX=./bwrap ME=bwrap refuse "${mk[@]}" --bind /usr /t/link
	expect_err_has "bwrap: Can't mount on symlink destination /t/link"
	SBX=./bwrap ME=bwrap refuse "${mk[@]}" --bind /usr /t/f
	expect_err_has "bwrap: Destination is not a directory /t/f"
	SBX=./bwrap ME=bwrap refuse "${mk[@]}" --bind /usr/bin/true /t/d
	expect_err_has "bwrap: Destination is not a file /t/d"
}

# --symlink onto something that exists: an identical symlink is fine (bwrap
# 0.9); anything else is refused, in bwrap 0.12's words under its name.
t_symlink_over_existing() {
	sbx_only "bwrap before 0.12 words these differently"
	local mk=(--tmpfs /t --dir /t/d --symlink /usr /t/link)
	runb "${mk[@]}" --symlink /usr /t/link readlink /t/link
	expect_ok
	expect_out /usr
	refuse "${mk[@]}" --symlink /etc /t/link
	expect_err_has "can't make symlink at /t/link: it exists and points to /usr"
	refuse "${mk[@]}" --symlink /etc /t/d
	expect_err_has "can't make symlink at /t/d: it exists and is not a symlink"
	ln -s "$SBX" bwrap
	SBX=./bwrap ME=bwrap refuse "${mk[@]}" --symlink /etc /t/link
	expect_err_has "bwrap: Can't make symlink at /t/link: existing destination is /usr"
	SBX=./bwrap ME=bwrap refuse "${mk[@]}" --symlink /etc /t/d
	expect_err_has "bwrap: Can't make symlink at /t/d: destination exists and is not a symlink"
}

# A single-value option given twice: the last one wins, with a warning
# (bwrap 0.12's warn_only_last_option(), level 4 with --level-prefix).
t_only_last_option_warning() {
	sbx_only "bwrap before 0.12 does not warn"
	runb --chdir /usr --chdir /usr/bin pwd
	expect_ok
	expect_out /usr/bin
	[ "$ERR" = "$ME: only the last --chdir takes effect" ] || fail "warning: '$ERR'"
	runb --setenv A 1 --setenv A 2 --chdir / sh -c 'echo $A'
	expect_out 2
	[ -z "$ERR" ] || fail "a repeatable option warned: $ERR"
	ln -s "$SBX" bwrap
	SBX=./bwrap runb --level-prefix --unshare-uts --hostname a --hostname b hostname
	expect_ok
	expect_out b
	[ "$ERR" = "<4>bwrap: Only the last --hostname option will take effect" ] ||
		fail "warning as bwrap: '$ERR'"
}

# bwrap 0.12's --not-a-security-boundary is accepted and forgives nothing:
# read-only binds stay read-only, a symlink destination is still refused.
t_not_a_security_boundary() {
	sbx_only "bwrap before 0.12 lacks --not-a-security-boundary"
	mkdir ro
	runb --not-a-security-boundary --ro-bind "$W/ro" /ro sh -c 'touch /ro/x 2>/dev/null; echo ran'
	expect_ok
	expect_out ran
	[ ! -e ro/x ] || fail "--ro-bind was writable with --not-a-security-boundary"
	refuse --not-a-security-boundary --tmpfs /t --symlink /usr /t/l --bind /usr /t/l
	expect_err_has "it is a symlink"
}

# --debug-opt=force-openat-fallback: destinations resolved by the userspace
# walk, which keeps them inside the new root as openat2 does (bwrap 0.12's
# test_proc_symlink_escape_blocked_fallback); other values are refused.
t_debug_opt_openat_fallback() {
	sbx_only "bwrap before 0.12 lacks --debug-opt"
	local o=--debug-opt=force-openat-fallback
	mkdir host && chmod 777 host
	runb $o --tmpfs /t --dir /t/real --symlink /t/real /t/out --dir /t/out/made \
		--symlink ../usr /t/u sh -c 'test -d /t/real/made && test -x /t/u/bin/sh && echo ok'
	expect_ok
	expect_out ok
	runb $o --tmpfs /t --symlink "$W/host" /t/out --dir /t/out/made true
	runb $o --tmpfs /t --symlink "/oldroot$W/host" /t/out --dir /t/out/made true
	exec 4<host
	runb $o --tmpfs /t --symlink /proc/self/fd/4 /t/esc --dir /t/esc/created true 4<host
	expect_rc 1
	[ -z "$(ls -A host)" ] || fail "created on the host through /proc/self/fd: $(ls -A host)"
	refuse --debug-opt=bogus
	expect_err_has "Unknown --debug-opt value: bogus"
}

## Process

t_chdir() {
	runb --chdir /usr/bin sh -c 'pwd; echo "$PWD"'
	expect_ok
	expect_out "$(printf '/usr/bin\n/usr/bin')"
}

t_default_cwd() {
	mkdir -p a home x
	(cd a && HOME=$W/home runb --bind "$W/a" "$W/a" --bind "$W/home" "$W/home" pwd)
	[ "$(cat .out)" = "$W/a" ] || fail "cwd visible inside: pwd is '$(cat .out)', expected $W/a"
	(cd x && HOME=$W/home runb --bind "$W/home" "$W/home" pwd)
	[ "$(cat .out)" = "$W/home" ] || fail "cwd hidden, HOME visible: pwd is '$(cat .out)', expected $W/home"
	(cd x && HOME=$W/nohome runb pwd)
	[ "$(cat .out)" = / ] || fail "cwd and HOME hidden: pwd is '$(cat .out)', expected /"
	RC=0
}

t_env() {
	export SBX_IT_KEEP=kept SBX_IT_DROP=dropped
	runb --setenv SBX_IT_SET 'a b=c' --unsetenv SBX_IT_DROP --setenv SBX_IT_KEEP overridden sh -c 'echo "$SBX_IT_SET|${SBX_IT_DROP-unset}|$SBX_IT_KEEP"'
	expect_ok
	expect_out "a b=c|unset|overridden"
	runb sh -c 'echo "$SBX_IT_KEEP|$SBX_IT_DROP"'
	expect_out "kept|dropped" "environment passed through"
}

t_clearenv_order() {
	export SBX_IT_X=1
	runb --setenv A 1 --clearenv --setenv B 2 /usr/bin/env
	expect_ok
	local names
	names=$(sed 's/=.*//' <<<"$OUT" | sort | tr '\n' ' ')
	[ "$names" = "B PWD " ] || fail "variables after --clearenv are '$names', expected 'B PWD '"
	expect_out_has B=2
	runb --clearenv --setenv B 2 --unsetenv B /usr/bin/env
	[ "$(sed 's/=.*//' <<<"$OUT" | tr '\n' ' ')" = "PWD " ] || fail "--unsetenv after --setenv did not unset"
}

t_argv0() {
	if is_bwrap && ! "$SBX" --help 2>&1 | grep -q -- --argv0; then
		skip "this bwrap lacks --argv0 (added in bwrap 0.9)"
	fi
	runb --argv0 sbx-it-name "$PY" -c 'import sys; print(open("/proc/self/cmdline", "rb").read().split(b"\0")[0].decode()); print(sys.executable)'
	expect_ok
	expect_out_has sbx-it-name
}

t_new_session() {
	local outer
	outer=$("$PY" -c 'import os; print(os.getsid(0))')
	runb "$PY" -c 'import os; print(os.getsid(0))'
	expect_ok
	expect_out "$outer" "without --new-session, the session id"
	runb --new-session "$PY" -c 'import os; print(os.getsid(0), os.getpid())'
	expect_ok
	local sid pid
	read -r sid pid <<<"$OUT"
	[ "$sid" = "$pid" ] || fail "--new-session: session id $sid is not the command's pid $pid"
	[ "$sid" != "$outer" ] || fail "--new-session: session id is the caller's"
}

t_die_with_parent() {
	local tag=$$$RANDOM t1 t2 kids p
	# with the option: killing the sandbox's parent kills the command
	timeout 20 "$SBX" "${BASE[@]}" --die-with-parent sleep "19.1$tag" </dev/null >/dev/null 2>&1 &
	t1=$!
	track "$t1"
	wait_for 10 have_pids "sleep 19.1$tag" || fail "the sandboxed sleep never started"
	kids=$(pgrep -P "$t1")
	p=$(pids_of "sleep 19.1$tag")
	track $kids $p
	kill -9 "$t1"
	wait_for 5 none_alive $p $kids || fail "the command survived its sandbox's parent by 5 seconds"
	# the same with a PID namespace (the command is PID 1's child there)
	timeout 20 "$SBX" "${BASE[@]}" --unshare-pid --die-with-parent sleep "19.3$tag" </dev/null >/dev/null 2>&1 &
	t1=$!
	track "$t1"
	wait_for 10 have_pids "sleep 19.3$tag" || fail "the sandboxed sleep (pid ns) never started"
	kids=$(pgrep -P "$t1")
	p=$(pids_of "sleep 19.3$tag")
	track $kids $p
	kill -9 "$t1"
	wait_for 5 none_alive $p $kids || fail "the command (pid ns) survived its sandbox's parent by 5 seconds"
	# without it (the control): the command survives the death of sbx's
	# parent (here a shell that started it)
	timeout 20 sh -c '"$@" & wait' sh "$SBX" "${BASE[@]}" sleep "19.2$tag" </dev/null >/dev/null 2>&1 &
	t2=$!
	track "$t2"
	wait_for 10 have_pids "sleep 19.2$tag" || fail "the control's sleep never started"
	kids=$(pgrep -P "$t2")
	p=$(pids_of "sleep 19.2$tag")
	track $kids $p
	[ -n "$kids" ] || fail "control: can't find the shell that started the sandbox"
	kill -9 $kids
	sleep 1
	alive $p || fail "control: the command died with the parent of $ME without --die-with-parent"
	kill -9 $p
	# and sbx's own death: the sandbox is not in the caller's process
	# group, so sbx stands in for it there, and it dies with sbx
	# (bwrap's sandbox, which shares the group, outlives bwrap)
	timeout 20 "$SBX" "${BASE[@]}" sleep "19.4$tag" </dev/null >/dev/null 2>&1 &
	t2=$!
	track "$t2"
	wait_for 10 have_pids "sleep 19.4$tag" || fail "the sleep for the sbx-death check never started"
	kids=$(pgrep -P "$t2")
	p=$(pids_of "sleep 19.4$tag")
	track $kids $p
	kill -9 $kids
	if is_bwrap; then
		sleep 1
		alive $p || fail "bwrap: the command died with bwrap"
	else
		wait_for 5 none_alive $p || fail "the command survived $ME by 5 seconds"
	fi
}

# Through a terminal: Ctrl-C, Ctrl-Z with fg, a command that reads the
# terminal (it is handed the terminal), an interactive shell inside with
# job control of its own, a pipeline whose other side reads the terminal,
# and the terminal handed back by sbx itself (tests/integration/jobctl.py
# types at an interactive bash in a pseudo-terminal). With a PID 1, without
# one, and with a reaper but no PID namespace.
t_job_control() {
	sbx_only "the sandbox's own process group"
	[ -n "${PROBE:-}" ] || skip "PROBE (tests/escape/probe, for a command that cannot stop) is not set"
	local d=${SELF%/*} out
	# With a PID 1; without one; with a reaper but no PID namespace.
	for opts in "--unshare-all" "--unshare-user" "--unshare-user --lock-file /usr"; do
		# shellcheck disable=SC2086  # the options are words
		out=$(PROBE=$PROBE timeout 300 "$PY" "$d/jobctl.py" "$SBX" "${BASE[@]}" $opts 2>&1) ||
			fail "with '${opts:-no namespace but mount/user}': $(grep -v '^ok' <<<"$out")"
		echo "$out"
	done
}

t_signal_forwarding() {
	sbx_only "bwrap does not forward signals to the command"
	local t s rc
	timeout 20 "$SBX" "${BASE[@]}" sh -c 'trap "echo got; exit 3" TERM; echo ready; while :; do sleep 0.1; done' \
		</dev/null >"$W/.out" 2>"$W/.err" &
	t=$!
	track "$t"
	wait_for 10 grep -q ready "$W/.out" || fail "the sandboxed shell never started"
	s=$(pgrep -P "$t")
	track $s
	[ -n "$s" ] || fail "can't find the sandbox process"
	kill -TERM $s
	wait "$t"
	RC=$?
	echo "$RC" >"$W/.rc"
	OUT=$(cat "$W/.out")
	expect_rc 3 "exit status after SIGTERM to $ME"
	expect_out "$(printf 'ready\ngot')"
}

# A caller that gives up during the setup (a timeout while --block-fd
# waits) ends the sandbox, as bwrap's parent ends: PID 1, or a child with
# signals blocked, would otherwise ignore the SIGTERM and run the command
# once unblocked (sbx before this test: it waited, then ran it).
t_signal_during_setup() {
	local t pidns s
	mkfifo go
	for pidns in --unshare-pid ""; do
		rm -f ran
		"$SBX" "${BASE[@]}" --bind "$W" "$W" $pidns --block-fd 3 sh -c "touch '$W/ran'" \
			3<>go </dev/null >"$W/.out" 2>"$W/.err" &
		t=$!
		track "$t"
		wait_for 10 pgrep -P "$t" >/dev/null || fail "no sandbox process ${pidns:-without a PID namespace}"
		s=$(pgrep -P "$t")
		track $s
		sleep 0.3
		kill -TERM "$t"
		wait_for 10 sh -c "! kill -0 $t 2>/dev/null" || fail "$ME outlived a SIGTERM during its setup"
		wait "$t"
		RC=$?
		expect_rc 143 "exit status after SIGTERM during the setup ${pidns:-without a PID namespace}"
		if ! is_bwrap; then # bwrap's child stays blocked, orphaned
			wait_for 10 sh -c "! kill -0 $s 2>/dev/null" ||
				fail "the sandbox outlived $ME (${pidns:-no PID namespace})"
			echo x >go &
			sleep 0.5
			[ ! -e ran ] || fail "the command ran after $ME was terminated during the setup"
			kill $! 2>/dev/null
		fi
	done
}

t_exit_status() {
	runb sh -c 'echo out; exit 7'
	expect_rc 7
	expect_out out
	runb sh -c 'kill -TERM $$'
	expect_rc 143 "exit status of a command killed by SIGTERM"
	runb --unshare-pid sh -c 'kill -KILL $$'
	expect_rc 137 "exit status of a command killed by SIGKILL (pid namespace)"
	runb /no/such/command
	[ "$RC" -ne 0 ] || fail "a missing command exited 0"
	case $ERR in "$ME: "*) ;; *) fail "a missing command's error does not start with '$ME: '" ;; esac
}

caps_of_command() { runb "$@" grep -E "^(Cap|NoNewPrivs)" /proc/self/status; expect_ok; }

t_caps_default() {
	caps_of_command
	[ "$(field NoNewPrivs)" = 1 ] || fail "NoNewPrivs is not 1"
	if ! is_root || ! is_bwrap; then # bwrap keeps root's capabilities; sbx drops them all
		local k
		for k in CapInh CapPrm CapEff CapBnd CapAmb; do
			[ $((16#$(field $k))) -eq 0 ] || fail "$k is $(field $k), expected 0"
		done
	fi
}

# The bounding set is dropped until the kernel refuses a capability, not up
# to what /proc/sys/kernel/cap_last_cap says (it may be covered, or the
# build's headers older than the kernel): sbx, run as root of a user
# namespace whose cap_last_cap reads 30, leaves nothing above it.
t_caps_bounding_ignores_cap_last_cap() {
	sbx_only "bwrap keeps root's capabilities"
	echo 30 >fake_last_cap
	timeout 20 unshare -rm sh -c 'mount --bind "$1" /proc/sys/kernel/cap_last_cap &&
		[ "$(cat /proc/sys/kernel/cap_last_cap)" = 30 ] && shift && exec "$@"' \
		sh "$W/fake_last_cap" "$SBX" "${BASE[@]}" grep -E '^Cap' /proc/self/status \
		</dev/null >"$W/.out" 2>"$W/.err"
	RC=$? OUT=$(cat "$W/.out") ERR=$(cat "$W/.err")
	expect_ok
	local k
	for k in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ $((16#$(field $k))) -eq 0 ] || fail "$k is $(field $k), expected 0"
	done
}

t_cap_add() {
	local eff
	caps_of_command --cap-add CAP_NET_ADMIN
	eff=$(field CapEff)
	bit "$eff" 12 || fail "--cap-add CAP_NET_ADMIN: CapEff $eff lacks bit 12"
	if ! is_root || ! is_bwrap; then
		[ $((16#$eff)) -eq $((1 << 12)) ] || fail "--cap-add CAP_NET_ADMIN: CapEff $eff has more than bit 12"
	fi
	[ "$(field NoNewPrivs)" = 1 ] || fail "NoNewPrivs is not 1"
	caps_of_command --unshare-user --cap-add CAP_SYS_ADMIN
	eff=$(field CapEff)
	bit "$eff" 21 || fail "--unshare-user --cap-add CAP_SYS_ADMIN: CapEff $eff lacks bit 21"
	bit "$(field CapBnd)" 21 || fail "--cap-add CAP_SYS_ADMIN: CapBnd lacks bit 21"
	# the capability is real (and not a syscall the default seccomp profile
	# filters): CAP_DAC_OVERRIDE reads the command's own mode-000 file
	local probe='import os
open("/t/f", "w").write("read"); os.chmod("/t/f", 0)
try: print(open("/t/f").read())
except PermissionError: print("EACCES")'
	runb --tmpfs /t --cap-add CAP_DAC_OVERRIDE "$PY" -c "$probe"
	expect_ok
	expect_out read "--cap-add CAP_DAC_OVERRIDE: reading a mode-000 file"
	if ! is_root || ! is_bwrap; then
		runb --tmpfs /t "$PY" -c "$probe"
		expect_ok
		expect_out EACCES "without --cap-add: reading a mode-000 file"
	fi
}

t_cap_drop() {
	local eff
	caps_of_command --cap-add ALL --cap-drop CAP_SYS_ADMIN
	eff=$(field CapEff)
	bit "$eff" 12 || fail "--cap-add ALL: CapEff $eff lacks bit 12"
	if ! is_root || ! is_bwrap; then # bwrap 0.8 as root keeps CAP_SYS_ADMIN here
		! bit "$eff" 21 || fail "--cap-add ALL --cap-drop CAP_SYS_ADMIN: CapEff $eff has bit 21"
		! bit "$(field CapBnd)" 21 || fail "--cap-drop CAP_SYS_ADMIN: CapBnd $(field CapBnd) has bit 21"
	fi
	caps_of_command --cap-drop CAP_SYS_ADMIN
	! bit "$(field CapEff)" 21 || fail "--cap-drop CAP_SYS_ADMIN: CapEff $(field CapEff) has bit 21"
	caps_of_command --cap-drop ALL --cap-add CAP_NET_ADMIN
	eff=$(field CapEff)
	[ $((16#$eff)) -eq $((1 << 12)) ] || fail "--cap-drop ALL --cap-add CAP_NET_ADMIN: CapEff $eff"
	caps_of_command --cap-add CAP_NET_ADMIN --cap-drop ALL
	eff=$(field CapEff)
	[ $((16#$eff)) -eq 0 ] || fail "--cap-add CAP_NET_ADMIN --cap-drop ALL: CapEff $eff"
}

t_fds_inherited() {
	echo data >f
	exec 5<f
	runb ls /proc/self/fd
	expect_ok
	expect_out_has 5 "fd 5 open in the caller, /proc/self/fd"
}

t_close_fds() {
	sbx_only "--close-fds is an sbx extension"
	echo data >f
	exec 5<f
	runb --close-fds ls /proc/self/fd
	expect_ok
	! grep -qx 5 <<<"$OUT" || fail "--close-fds: fd 5 is still open inside"
	expect_out_has 0
	expect_out_has 2
	# What sbx holds for other options survives it: the exec report behind
	# --json-status-fd's exit code, --lock-file's locks, --sync-fd.
	runb --unshare-pid --close-fds --json-status-fd 4 sh -c 'exit 3' 4>status
	expect_rc 3
	grep -qx '{ "exit-code": 3 }' status || fail "--close-fds lost the exit-code line: $(cat status)"
	: >lock
	chmod 644 lock
	runb --bind "$W" /w --close-fds --lock-file /w/lock cat /proc/locks
	expect_ok
	local ino
	ino=$(stat -c %i lock)
	[ -n "$(awk -v ino="$ino" '$4 == "READ" && $6 ~ ":" ino "$"' <<<"$OUT")" ] ||
		fail "--close-fds dropped the lock on inode $ino: $OUT"
}

t_args() {
	exec 3< <(printf '%s\0' --setenv X 'y z' --dir /from-args --symlink /from-args /l)
	runb --args 3 sh -c 'echo "$X"; test -d /from-args && readlink /l'
	exec 3<&-
	expect_ok
	expect_out "$(printf 'y z\n/from-args')"
	# --args from stdin, and options after it on the command line still apply
	printf '%s\0' --setenv X 1 >argsfile
	timeout 20 "$SBX" "${BASE[@]}" --args 0 --setenv Y 2 sh -c 'echo "$X$Y"' <argsfile >.out 2>.err
	RC=$?
	OUT=$(cat .out)
	expect_ok
	expect_out 12
}

t_help() {
	run --help
	expect_ok
	grep -q -- "--bind" <<<"$OUT" || fail "--help does not mention --bind on stdout"
	grep -q -- "--unshare-all" <<<"$OUT" || fail "--help does not mention --unshare-all"
}

t_version() {
	run --version
	expect_ok
	[ "$(wc -l <.out)" -eq 1 ] && [ -n "$OUT" ] || fail "--version is not one line"
}

## Bad input: exit 1, one line "$ME: ...", nothing ran

t_bad_unknown_option() { refuse --frobnicate; expect_err_has "--frobnicate"; }
t_bad_missing_argument() { runb --bind /usr; expect_refused; expect_err_has "--bind"; }
t_bad_args_not_a_number() { refuse --args notanumber; }
t_bad_args_closed_fd() { exec 99<&-; refuse --args 99; }
t_bad_perms_value() { refuse --perms 999 --dir /x; }
t_bad_size_value() { refuse --size abc --tmpfs /x; }
t_bad_cap_name() { refuse --cap-add CAP_NOPE; expect_err_has CAP_NOPE; refuse --cap-drop CAP_NOPE; }
t_bad_bind_source() { refuse --bind "/nonexistent-$$" /x; expect_err_has "/nonexistent-$$"; }
t_bad_hostname_without_uts() { refuse --hostname x; expect_err_has "--unshare-uts"; }
t_bad_as_pid_1_without_pid() { refuse --as-pid-1; expect_err_has "--unshare-pid"; }
t_bad_perms_misuse() { mkdir a; refuse --perms 0755 --bind "$W/a" /b; }
t_bad_size_misuse() { refuse --size 10 --dir /x; }

t_bad_no_command() {
	runb --bind "$W" "$W"
	expect_rc 1
	if is_bwrap; then # bwrap prints its whole usage text
		case $ERR in usage:*) ;; *) fail "bwrap without a command: no usage on stderr" ;; esac
	else
		expect_refused
	fi
}

## Security

# A destination reached through a symlink that points outside the new root
# must be created inside the new root, never on the host. bwrap 0.8 builds the
# tree with the host root at /oldroot, so /oldroot$HOST_DIR escapes.
t_symlink_destination_stays_inside() {
	sbx_only "bwrap resolves destinations in its setup root (a symlink to /oldroot/... creates files on the host)"
	local target n=0
	mkdir host && chmod 777 host
	for target in "$W/host" "/oldroot$W/host" "/.oldroot$W/host" "../../../../../../../..$W/host"; do
		n=$((n + 1))
		runb --tmpfs /t --symlink "$target" /out --dir /out/pwned$n true
		runb --tmpfs /t --symlink "$target" /out --ro-bind /usr/bin/true /out/file$n true
		runb --tmpfs /t --symlink "$target" /out --tmpfs /out/tmpfs$n true
	done
	[ -z "$(ls -A host)" ] || fail "the host directory was written to: $(ls -A host | tr '\n' ' ')"
	RC=0
}

## Seccomp (sbx's profiles; bwrap has none)

# errno of a raw syscall with bad pointers, from python inside the sandbox:
# EPERM/ENOSYS = filtered, EFAULT/EINVAL/EBADF = reached the kernel.
SYSCALL_PY='import ctypes,sys; l=ctypes.CDLL(None,use_errno=True); a=[int(x,0) for x in sys.argv[1:]]; r=l.syscall(*[ctypes.c_long(x) for x in a]); print(ctypes.get_errno() if r<0 else 0)'
sc() { # sc PROFILE-ARGS... -- NR ARGS...: errno of the syscall (0 = succeeded)
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	runb "${opts[@]}" "$PY" -c "$SYSCALL_PY" "$@"
	expect_ok
}

t_seccomp_default_profile() {
	sbx_only "bwrap loads no filter by default"
	runb grep -E '^Seccomp(_filters)?:' /proc/self/status
	expect_out "$(printf 'Seccomp:\t2\nSeccomp_filters:\t%s' $((HOST_FILTERS + 1)))"
	sc -- 165 1 1 1 0 0; expect_out 1 "mount errno"            # EPERM
	sc -- 250 0 -3 0; expect_out 1 "keyctl errno"             # EPERM
	sc -- 321 0 1 16; expect_out 1 "bpf errno"                # EPERM
	sc -- 425 1 1; expect_out 1 "io_uring_setup errno"        # EPERM
	sc -- 298 1 0 -1 -1 0; expect_out 1 "perf_event_open errno"
	sc -- 304 -100 1 0; expect_out 1 "open_by_handle_at errno"
	sc -- 435 1 88; expect_out 38 "clone3 errno"              # ENOSYS: libc falls back
	sc -- 16 1 0x5412 1; expect_out 1 "ioctl TIOCSTI errno"
	sc -- 16 1 0x100005412 1; expect_out 1 "ioctl TIOCSTI with upper bits set"
	sc -- 16 1 0x541c 1; expect_out 1 "ioctl TIOCLINUX errno"
	sc -- 16 1 0x5413 1; expect_out 25 "an ordinary ioctl (TIOCGWINSZ on a pipe) reaches the kernel: ENOTTY"
	sc -- 135 0x0400000; expect_out 1 "personality(READ_IMPLIES_EXEC)"
	sc -- 135 0x8; expect_out 0 "personality(PER_LINUX32) is allowed"
	sc -- 151 1
	[ "$OUT" != 1 ] && [ "$OUT" != 38 ] || fail "mlockall was filtered ($OUT): not the default's business"
	# a user namespace of its own is allowed (--disable-userns's job)
	runb unshare -U true
	expect_ok "unshare -U under the default profile"
}

# "nested": default less the mount ban, for sandboxes that build sandboxes;
# loaded by itself when the command keeps CAP_SYS_ADMIN.
t_seccomp_nested_profile() {
	sbx_only "sbx profile"
	sc --seccomp-profile nested -- 165 1 1 1 0 0; expect_out 14 "nested: mount reaches the kernel (EFAULT)"
	sc --seccomp-profile nested -- 250 0 -3 0; expect_out 1 "nested: keyctl EPERM"
	sc --seccomp-profile nested -- 16 1 0x5412 1; expect_out 1 "nested: TIOCSTI EPERM"
	sc --seccomp-profile nested -- 435 1 88; expect_out 38 "nested: clone3 ENOSYS"
	sc --unshare-user --cap-add CAP_SYS_ADMIN -- 165 1 1 1 0 0
	expect_out 14 "--cap-add CAP_SYS_ADMIN: mount reaches the kernel"
	sc --unshare-user --cap-add CAP_SYS_ADMIN -- 321 0 1 16
	expect_out 1 "--cap-add CAP_SYS_ADMIN: bpf still EPERM"
	sc --unshare-user --cap-add ALL --cap-drop CAP_SYS_ADMIN -- 165 1 1 1 0 0
	expect_out 1 "without CAP_SYS_ADMIN: mount EPERM"
}

# A sandbox inside the sandbox (bwrap's own test suite runs bwrap in bwrap):
# unprivileged, in a user namespace nested in the sandbox's. "nested", or
# --cap-add CAP_SYS_ADMIN (bwrap's test-run.sh: --uid 0 --cap-add ALL),
# allows it. Under sbx's default profile the monitor does the inner one's
# new mounts (NESTED SANDBOXES) when the caller is not root; as root the
# default profile refuses them.
t_sandbox_in_sandbox() {
	# No --proc inside at first: the outer /proc has parts mounted over it
	# (sbx's /proc/keys and the like, for everyone; bwrap's read-only ones
	# as host root), and the kernel then refuses a new procfs unless sbx
	# keeps a whole one under it (the supervised default, checked at the end).
	local inner=(/inner --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib
		--symlink usr/lib64 /lib64 --dev /dev --unshare-pid --unshare-net --tmpfs /tmp
		sh -c 'echo inner $$')
	local nested=()
	is_bwrap || nested=(--seccomp-profile nested)
	# The outer's command runs as uid 1234 (not root: the inner one then
	# makes a user namespace of its own), with a /tmp for the inner's setup.
	local outer=(--unshare-user --uid 1234 --gid 1234 --tmpfs /tmp --ro-bind "$SBX" /inner)
	runb "${outer[@]}" "${nested[@]}" "${inner[@]}"
	expect_ok "a sandbox in the sandbox"
	expect_out "inner 2"
	runb --unshare-user --uid 0 --gid 0 --cap-add ALL --tmpfs /tmp --ro-bind "$SBX" /inner "${inner[@]}"
	expect_ok "a sandbox in a sandbox with --uid 0 --cap-add ALL"
	expect_out "inner 2"
	is_bwrap && return 0
	runb "${outer[@]}" "${nested[@]}" /inner --proc /proc "${inner[@]:1}"
	expect_rc 1 "a new procfs in a sandbox in a sandbox, nested profile"
	expect_err_has "can't mount a new procfs on /proc"
	runb "${outer[@]}" "${inner[@]}"
	if is_root; then
		expect_rc 1 "a sandbox in a sandbox under the default profile, as root"
		expect_err_has "Operation not permitted"
		return 0
	fi
	expect_ok "a sandbox in a sandbox under the default profile"
	expect_out "inner 2"
	runb --unshare-pid "${outer[@]}" /inner --proc /proc "${inner[@]:1}"
	expect_ok "a new procfs in a sandbox in a sandbox, default profile"
	# the helpers that mounted the inner procfs took pids there
	grep -Eqx 'inner [0-9]+' <<<"$OUT" || fail "stdout is not 'inner PID'"
}

# Address families (surface.inc): AF_VSOCK ignores network namespaces;
# the other refused families are kernel attack surface no ordinary program
# needs. EAFNOSUPPORT (97) = refused, and a bad socket type (15) tells a
# family the filter passes (the kernel's EINVAL, 22) from one it refuses.
t_seccomp_socket_families() {
	sbx_only "sbx profiles"
	local p
	for p in default nested; do
		sc --seccomp-profile $p -- 41 40 1 0; expect_out 97 "$p: socket(AF_VSOCK)"
		sc --seccomp-profile $p -- 41 0x100000028 1 0; expect_out 97 "$p: AF_VSOCK with upper bits set"
		sc --seccomp-profile $p -- 53 40 1 0 1; expect_out 97 "$p: socketpair(AF_VSOCK)"
		sc --seccomp-profile $p -- 41 17 2 0; expect_out 97 "$p: socket(AF_PACKET)"
		sc --seccomp-profile $p -- 41 44 3 0; expect_out 97 "$p: socket(AF_XDP)"
		sc --seccomp-profile $p -- 41 38 5 0; expect_out 97 "$p: socket(AF_ALG)"
		sc --seccomp-profile $p -- 41 30 15 0; expect_out 97 "$p: socket(AF_TIPC)"
		sc --seccomp-profile $p -- 41 46 15 0; expect_out 97 "$p: a family newer than 6.18 (46)"
		sc --seccomp-profile $p -- 41 0x7fffffff 15 0; expect_out 97 "$p: family 0x7fffffff"
		sc --seccomp-profile $p -- 41 0x100000002 15 0; expect_out 97 "$p: AF_INET with upper bits set"
		local fam
		for fam in 1 2 10 16 29 31; do
			sc --seccomp-profile $p -- 41 $fam 15 0; expect_out 22 "$p: family $fam reaches the kernel"
		done
		sc --seccomp-profile $p -- 53 1 1 0 1; expect_out 14 "$p: socketpair(AF_UNIX) reaches the kernel"
		# netlink's nf_tables and xfrm: EPROTONOSUPPORT (93); the
		# protocol compared on its low 32 bits, the others pass.
		sc --seccomp-profile $p -- 41 16 15 12; expect_out 93 "$p: NETLINK_NETFILTER"
		sc --seccomp-profile $p -- 41 16 15 0x10000000c; expect_out 93 "$p: NETLINK_NETFILTER, upper bits set"
		sc --seccomp-profile $p -- 41 16 15 6; expect_out 93 "$p: NETLINK_XFRM"
		sc --seccomp-profile $p -- 41 16 15 0; expect_out 22 "$p: NETLINK_ROUTE reaches the kernel"
		sc --seccomp-profile $p -- 41 2 15 12; expect_out 22 "$p: protocol 12 of AF_INET reaches the kernel"
		sc --seccomp-profile $p -- 41 12 15 0; expect_out 97 "$p: AF_DECnet (no such family)"
	done
	sc --seccomp-profile none -- 41 16 15 12; expect_out 22 "none: NETLINK_NETFILTER reaches the kernel"
	# The default line (no profile named) gets them too.
	sc -- 41 40 1 0; expect_out 97 "default: socket(AF_VSOCK)"
	# What programs use still works: AF_UNIX pairs, TCP over loopback
	# (v4 and v6), netlink.
	runb --unshare-net "$PY" -c '
import socket
a, b = socket.socketpair(); a.sendall(b"unix"); print(b.recv(4).decode())
for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(fam); s.bind((host, 0)); s.listen(1)
    c = socket.create_connection(s.getsockname()[:2], timeout=5); d, _ = s.accept()
    c.sendall(b"tcp"); print(d.recv(3).decode(), fam.name)
n = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0); n.bind((0, 0)); print("netlink")
'
	expect_ok "sockets under the default profile"
	expect_out "$(printf 'unix\ntcp AF_INET\ntcp AF_INET6\nnetlink')"
}

# Syscall numbers newer than the reviewed table (469 on x86-64 and i386,
# Linux 6.18) answer ENOSYS under default and nested. This kernel has none
# of them, so ENOSYS alone would prove nothing: an older filter (loaded
# first) answers them EXDEV (18), and the newest filter's errno wins a tie,
# so 38 means sbx's profile answered and 18 that it let the call through.
t_seccomp_newer_syscalls() {
	sbx_only "sbx profiles"
	[ -n "${PROBE:-}" ] || skip "PROBE (tests/escape/probe, for int 0x80) is not set"
	"$PY" -c '
import struct, sys
ins = [(0x20, 0, 0, 0)]                                 # ld nr
nrs = (467, 469, 470, 500, 1000)
for i, nr in enumerate(nrs):
    ins.append((0x15, len(nrs) - i, 0, nr))             # jeq nr -> ret EXDEV
ins += [(0x06, 0, 0, 0x7fff0000), (0x06, 0, 0, 0x00050012)]
sys.stdout.buffer.write(b"".join(struct.pack("<HBBI", *i) for i in ins))' >marker.bpf
	cp "$PROBE" probe && chmod 755 probe
	local p nr
	for p in default nested; do
		for nr in 470 500 1000; do
			sc --seccomp-profile "$W/marker.bpf" --seccomp-profile $p -- $nr 0 0 0
			expect_out 38 "$p: x86-64 syscall $nr"
			runb --seccomp-profile "$W/marker.bpf" --seccomp-profile $p --ro-bind "$W/probe" /probe /probe --int80 $nr
			expect_ok
			expect_out 38 "$p: i386 syscall $nr"
		done
		# The last reviewed syscall (file_setattr) is allowed: it passes.
		sc --seccomp-profile "$W/marker.bpf" --seccomp-profile $p -- 469 0 0 0
		expect_out 18 "$p: x86-64 file_setattr (469) passes to the older filter"
		runb --seccomp-profile "$W/marker.bpf" --seccomp-profile $p --ro-bind "$W/probe" /probe /probe --int80 469
		expect_out 18 "$p: i386 file_setattr (469) passes to the older filter"
	done
	# "none" has no newer rule: the marker answers.
	sc --seccomp-profile "$W/marker.bpf" -- 470 0 0 0; expect_out 18 "the marker filter alone"
	# open_tree_attr (467) is in @mount-api: ENOSYS under default, passed by nested.
	sc --seccomp-profile "$W/marker.bpf" --seccomp-profile default -- 467 -100 0 0 0 0
	expect_out 38 "default: open_tree_attr"
	sc --seccomp-profile "$W/marker.bpf" --seccomp-profile nested -- 467 -100 0 0 0 0
	expect_out 18 "nested: open_tree_attr passes"
}

t_seccomp_strict_profile() {
	sbx_only "sbx profile"
	sc --seccomp-profile strict -- 165 1 1 1 0 0; expect_out 1 "strict: mount EPERM"
	sc --seccomp-profile strict -- 151 1; expect_out 38 "strict: unlisted mlockall ENOSYS"
	sc --seccomp-profile strict -- 16 1 0x5412 1; expect_out 38 "strict: TIOCSTI not allowed"
	sc --seccomp-profile strict -- 16 1 0x5413 1; expect_out 25 "strict: TIOCGWINSZ reaches the kernel"
	sc --seccomp-profile strict -- 41 2 1 0; expect_out 38 "strict: AF_INET socket"
	sc --seccomp-profile strict -- 135 0x0400000; expect_out 38 "strict: personality flags"
	runb --seccomp-profile strict --tmpfs /w --chdir /w sh -c \
		'printf "int main(void){return 0;}" >a.c && gcc -o a a.c && ./a && "$0" -c "import threading; t=threading.Thread(target=print); t.start(); t.join()" && git init -q r && echo ok' "$PY"
	expect_ok "gcc, python3 threads and git under strict"
	expect_out_has ok
}

# strict allows socket for AF_UNIX only; libseccomp turned that rule into
# "allow every i386 socketcall(SYS_SOCKET)", any family (the probe made a
# vsock socket so). The compiler answers that call ENOSYS now.
t_seccomp_strict_socketcall() {
	sbx_only "sbx profile"
	[ -n "${PROBE:-}" ] || skip "PROBE (tests/escape/probe, for int 0x80) is not set"
	cp "$PROBE" probe && chmod 755 probe
	runb --seccomp-profile strict --ro-bind "$W/probe" /probe /probe --vsock-only
	expect_ok "no vsock socket under strict"
	grep -q '^CONTAINED vsock-socketcall:' <<<"$OUT" || fail "socketcall probe: $OUT"
}

# Rows of test-seccomp-bpf's table (tests/unit/seccomp-table-*.c) in the
# real kernel, one test per built-in profile, so the simulator stays honest.
# A row is "NR,ARG,...=E": E is the errno the table's action gives (EPERM 1,
# ENOSYS 38), or, for ALLOW, what the kernel answers the bad arguments
# (EBADF 9 for fd -1, EFAULT 14, ENOTTY 25, 0 for success).
ROWS_PY='import ctypes,sys
l=ctypes.CDLL(None,use_errno=True)
for row in sys.argv[1:]:
	a=[ctypes.c_long(int(x,0)) for x in row.split(",")]
	ctypes.set_errno(0)
	r=l.syscall(*a)
	print(ctypes.get_errno() if r<0 else 0, flush=True)'
rows_check() { # rows_check WHAT ROW...: compare OUT's lines with the rows' errnos
	local what=$1 i=0 got r
	shift
	mapfile -t got <<<"$OUT"
	for r in "$@"; do
		[ "${got[$i]:-none}" = "${r##*=}" ] ||
			fail "$what: syscall(${r%=*}) gave errno ${got[$i]:-none}, the table says ${r##*=}"
		i=$((i + 1))
	done
}
kernel_rows() { # kernel_rows SBX-OPTS... -- ROW...: x86-64 rows, one python
	local opts=() r args=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	for r in "$@"; do args+=("${r%=*}"); done
	runb "${opts[@]}" "$PY" -c "$ROWS_PY" "${args[@]}"
	expect_ok "${opts[*]:-no option}: the rows' python"
	rows_check "${opts[*]:-no option}" "$@"
}
kernel_rows32() { # kernel_rows32 SBX-OPTS... -- ROW...: i386 rows (int 0x80)
	local opts=() r call script=
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	for r in "$@"; do
		call=${r%=*}
		case $call in
		socketcall32,*) script+="/probe --socketcall32 ${call#socketcall32,}; " ;;
		*) script+="/probe --int80 ${call//,/ }; " ;;
		esac
	done
	runb "${opts[@]}" --ro-bind "$PROBE" /probe sh -c "$script"
	expect_ok "${opts[*]}: the i386 rows"
	rows_check "${opts[*]} (i386)" "$@"
}
# x32 and the x32 bit: the filter kills the process (SIGSYS, 128 + 31).
x32_killed() { # x32_killed SBX-OPTS...
	runb "$@" "$PY" -c "$ROWS_PY" 0x40000027
	expect_rc 159 "$*: x32 getpid is not killed"
}

t_seccomp_table_default() {
	sbx_only "sbx profile"
	local r=(
		165,1,1,1=1 250,0,-3=1 321,0,1,16=1 298,1,0,-1,-1,0=1 # mount keyctl bpf perf_event_open
		435,1,88=38                                            # clone3
		16,-1,0x5412=1 16,-1,0x541c=1                          # ioctl TIOCSTI, TIOCLINUX
		16,-1,0xffffffff00005412=1 16,-1,0x100005412=1         # ... with high bits
		16,-1,0x5413=9 16,-1,0x541200000000=9                  # TIOCGWINSZ; TIOCSTI << 32
		0,-1,0,0=9 39=0                                        # read(-1), getpid
		135,0x400000=1 135,0xffffffff00400000=1 135,0x20000=1  # personality flags
		135,0xffffffff=1                                       # the query: every bit
		135,0=0 135,0x40000=0 135,0xffffffff00000000=0 135,8=0 # PER_LINUX, -R, PER_LINUX32
		41,40,1,0=97 53,40,1,0,0=97 41,0x100000001,1,0=97      # socket, socketpair: AF_VSOCK; high bits
		41,1,1,0=0 53,1,1,0,0=14                               # AF_UNIX
		# mount by its flags: a bind, a propagation change, a move and a
		# bind's remount reach the kernel (EFAULT); a superblock remount
		# and upper bits are refused; a new mount without CAP_SYS_ADMIN
		# is refused (by the supervisor, or the filter as root)
		165,1,1,1,0x1000=14 165,0,1,0,0x44000=14 165,1,1,0,0x2000=14 165,0,1,0,0x1021=14
		165,1,1,1,0x20=1 165,1,1,1,0x100001000=1 165,1,1,1,0xc0ed0000=1
		166,1,0=14                                             # umount2
		428,-100,1,1=38 430,1,0=38 442,-100,1,1,32=38          # open_tree fsopen mount_setattr
	)
	kernel_rows -- "${r[@]}"
	kernel_rows --seccomp-profile default -- "${r[@]}"
	x32_killed --seccomp-profile default
}

t_seccomp_table_nested() {
	sbx_only "sbx profile"
	local r=(
		165,1,1,1=14 166,1,0=14  # mount, umount2 reach the kernel: EFAULT
		250,0,-3=1 321,0,1,16=1  # keyctl, bpf
		435,1,88=38              # clone3
		16,-1,0x5412=1 16,-1,0xffffffff00005412=1 16,-1,0x5413=9
		0,-1,0,0=9
		135,0x400000=1 135,0xffffffff08000000=1 135,8=0
	)
	kernel_rows --seccomp-profile nested -- "${r[@]}"
	x32_killed --seccomp-profile nested
}

t_seccomp_table_strict() {
	sbx_only "sbx profile"
	local r=(
		165,1,1,1=1 321,0,1,16=1 425,1,1=1  # mount, bpf, io_uring_setup: EPERM
		151,1=38 101,0,0,0,0=38             # mlockall, ptrace: not listed
		298,1,0,-1,-1,0=38                  # perf_event_open: @debug, not EPERM
		435,1,88=38                         # clone3
		41,2,1,0=38 41,40,1,0=38            # socket AF_INET, AF_VSOCK
		41,0xffffffff00000001,1,0=38        # "==": the high bits count
		41,1,1,0=0                          # socket AF_UNIX
		16,-1,0x5412=38 16,-1,0x541c=38     # ioctl TIOCSTI, TIOCLINUX
		16,-1,0x5401=9 16,-1,0xffffffff00005401=9  # TCGETS, low 32 bits
		0,-1,0,0=9 39=0                     # read(-1), getpid
		135,0x400000=38 135,0x40008=38      # personality: four exact values
		135,0xffffffff=0 135,0=0 135,8=0
	)
	kernel_rows --seccomp-profile strict -- "${r[@]}"
	x32_killed --seccomp-profile strict
}

# none: sbx loads no filter at all; the compiled none.profile (the same
# compiler, the same source as the built-in blob) allows all but x32.
t_seccomp_table_none() {
	sbx_only "sbx profile"
	local compiler src
	local r=(
		165,1,1,1=14 298,1,0,-1,-1,0=14   # mount, perf_event_open reach the kernel: EFAULT
		16,-1,0x5412=9 16,-1,0x541c=9     # TIOCSTI, TIOCLINUX: EBADF
		0,-1,0,0=9 39=0
		135,0x400000=0
	)
	runb --seccomp-profile none grep '^Seccomp_filters:' /proc/self/status
	expect_out "$(printf 'Seccomp_filters:\t%s' "$HOST_FILTERS")" "none loads nothing"
	kernel_rows --seccomp-profile none -- "${r[@]}"
	compiler=$(dirname -- "$SBX")/sbx-compile-profile
	src=${SBX_SRCDIR:-}/seccomp-profiles
	[ -x "$compiler" ] && [ -f "$src/none.profile" ] ||
		skip "the none rows passed without a filter; no sbx-compile-profile or SBX_SRCDIR for its blob"
	"$compiler" --groups "$src/groups.list" -o none.bpf "$src/none.profile" || fail "compile none"
	kernel_rows --seccomp 3 -- "${r[@]}" 3<none.bpf
	runb --seccomp 3 "$PY" -c "$ROWS_PY" 0x40000027 3<none.bpf
	expect_rc 159 "none's blob: x32 getpid is not killed"
}

# The i386 entry (int 0x80, through the probe) under every profile.
t_seccomp_table_i386() {
	sbx_only "sbx profiles"
	[ -n "${PROBE:-}" ] || skip "PROBE (tests/escape/probe, which makes the int 0x80 calls) is not set"
	"$PROBE" --int80 20 >/dev/null 2>&1 || skip "int 0x80 does not work here (no IA-32 emulation)"
	# socket(359) refuses AF_VSOCK (97); socketcall(SYS_SOCKET), whose
	# family the filter cannot see, answers ENOSYS whatever the family.
	kernel_rows32 -- 21,1,1,1=1 22,1=14 54,-1,0x5412=1 54,-1,0x5413=9 136,0x400000=1 136,8=0 \
		20=0 435,1,88=38 359,40,1,0=97 359,1,1,0=0 socketcall32,1=38 socketcall32,40=38
	kernel_rows32 --seccomp-profile nested -- 21,1,1,1=14 54,-1,0x5412=1 136,0x0100000=1 \
		3,-1,0,0=9
	# strict: socket(359) AF_UNIX only; socketcall(SYS_SOCKET) answers
	# ENOSYS (libseccomp would have let it open any family).
	kernel_rows32 --seccomp-profile strict -- 21,1,1,1=1 359,1,1,0=0 359,2,1,0=38 \
		socketcall32,2=38 54,-1,0x5412=38 54,-1,0x5401=9 136,8=0 136,0x400000=38 3,-1,0,0=9
	kernel_rows32 --seccomp-profile none -- 21,1,1,1=14 54,-1,0x5412=9 136,0x400000=0
}

t_seccomp_none_and_stacking() {
	sbx_only "sbx profiles"
	runb --seccomp-profile none grep '^Seccomp:' /proc/self/status
	expect_out "$(printf 'Seccomp:\t%s' "$HOST_SECCOMP")" "none loads nothing"
	runb --seccomp-profile default --seccomp-profile strict grep '^Seccomp_filters:' /proc/self/status
	expect_out "$(printf 'Seccomp_filters:\t%s' $((HOST_FILTERS + 2)))" "profiles stack"
	runb --seccomp-log true
	expect_ok "--seccomp-log"
	run --seccomp-list
	expect_ok
	for p in default strict none; do grep -q "^$p " <<<"$OUT" || fail "--seccomp-list lacks $p"; done
}

# An allow-all program: one BPF_RET|BPF_K instruction returning ALLOW.
allow_all() { printf '\x06\x00\x00\x00\x00\x00\xff\x7f'; }

t_seccomp_fds_replace_the_default() {
	allow_all >prog
	runb --add-seccomp-fd 3 grep '^Seccomp_filters:' /proc/self/status 3<prog
	expect_out "$(printf 'Seccomp_filters:\t%s' $((HOST_FILTERS + 1)))" "only the caller's program"
	is_bwrap && return 0
	runb --seccomp 3 --seccomp-profile default grep '^Seccomp_filters:' /proc/self/status 3<prog
	expect_out "$(printf 'Seccomp_filters:\t%s' $((HOST_FILTERS + 2)))" "the caller's program and default"
}

# Programs are loaded with prctl(PR_SET_SECCOMP), as bwrap does: a caller's
# first program may refuse seccomp(2) and allow only that (bwrap's
# test-seccomp.py stacks an allowlist so). This one answers seccomp(2)
# (317 on x86-64) with ENOSYS and allows the rest.
no_seccomp_syscall() {
	printf '\x20\x00\x00\x00\x00\x00\x00\x00'  # A = nr
	printf '\x15\x00\x00\x01\x3d\x01\x00\x00'  # if A == 317 next, else skip one
	printf '\x06\x00\x00\x00\x26\x00\x05\x00'  # ERRNO(ENOSYS)
	allow_all
}
t_seccomp_loaded_with_prctl() {
	[ "$(uname -m)" = x86_64 ] || skip "the program is for x86-64's syscall numbers"
	no_seccomp_syscall >first
	allow_all >second
	runb --add-seccomp-fd 3 --add-seccomp-fd 4 grep '^Seccomp_filters:' /proc/self/status 3<first 4<second
	expect_ok "a second program after one that refuses seccomp(2)"
	expect_out "$(printf 'Seccomp_filters:\t%s' $((HOST_FILTERS + 2)))"
	sc --add-seccomp-fd 3 -- 317 1 0 0 3<first
	expect_out 38 "the first program answers seccomp(2) itself"
}

t_seccomp_profile_file() {
	sbx_only "sbx-compile-profile"
	local compiler
	compiler=$(dirname -- "$SBX")/sbx-compile-profile
	[ -x "$compiler" ] || skip "no sbx-compile-profile next to $SBX"
	printf 'default allow\nerrno EACCES uname\n' >p.profile
	: >groups.list
	"$compiler" -o p.bpf p.profile || fail "sbx-compile-profile failed"
	sc --seccomp-profile "$W/p.bpf" --bind "$W" "$W" -- 63 1; expect_out 13 "uname denied with EACCES"
	# the same blob is a bwrap --seccomp program
	runb --seccomp 3 uname 3<p.bpf
	expect_rc 1 "uname under the compiled blob via --seccomp"
}

# sbx-compile-profile's own errors: one line naming file and line, exit 1.
t_compile_profile_errors() {
	sbx_only "sbx-compile-profile"
	local compiler
	compiler=$(dirname -- "$SBX")/sbx-compile-profile
	[ -x "$compiler" ] || skip "no sbx-compile-profile next to $SBX"
	: >groups.list
	printf 'default allow\n\nerrno EPERM no_such_syscall\n' >a.profile
	ERR=$("$compiler" -o a.bpf a.profile 2>&1)
	RC=$?
	expect_rc 1
	[ "$ERR" = "sbx-compile-profile: ./a.profile:3: unknown syscall 'no_such_syscall'" ] ||
		[ "$ERR" = "sbx-compile-profile: a.profile:3: unknown syscall 'no_such_syscall'" ] ||
		fail "message: $ERR"
	printf 'default allow\nerrno EPERM ioctl\nallow ioctl if arg1 == 1\n' >b.profile
	ERR=$("$compiler" -o b.bpf b.profile 2>&1)
	RC=$?
	expect_rc 1
	expect_err_has "b.profile:3: the rule for 'ioctl' conflicts with another rule for it"
	# refused NAME TEXT MESSAGE: the profile NAME holding TEXT fails to
	# compile with MESSAGE.
	refused() {
		printf '%s\n' "$2" >"$1"
		ERR=$("$compiler" -o "$1.bpf" "$1" 2>&1)
		RC=$?
		expect_rc 1 "compiling $1"
		expect_err_has "$1:$3"
	}
	refused c.profile 'errno EWHAT mount' "1: unknown errno 'EWHAT'"
	refused d.profile 'errno EPERM semctl if arg0 == 1' \
		"1: a condition on 'semctl' cannot be checked on i386, which reaches it through ipc(2)"
	refused e.profile 'errno EPERM mseal if arg0 == 1' "1: conditions on 'mseal' need a libseccomp that knows it"
	# The build's check: a syscall libseccomp names that no group classifies.
	printf '@io read\n@mount mount\n' >g.list
	ERR=$("$compiler" --groups g.list --check-groups 2>&1)
	RC=$?
	expect_rc 1 "--check-groups with unclassified syscalls"
	expect_err_has "g.list: unclassified syscalls (give each a reviewed decision: a group): write open close"
	expect_err_has " open_tree_attr"
	if [ -n "${SBX_SRCDIR:-}" ]; then
		"$compiler" --groups "$SBX_SRCDIR/seccomp-profiles/groups.list" --check-groups ||
			fail "the shipped groups.list fails --check-groups"
	fi
	"$compiler" --dump "$(dirname -- "$SBX")/../seccomp-profiles/default.profile" >/dev/null 2>&1 ||
		"$compiler" --help >/dev/null || fail "--help failed"
}

t_seccomp_bad_programs() {
	printf '123456789012' >bad
	: >empty
	allow_all >good
	refuse --seccomp 3 3<bad
	refuse --add-seccomp-fd 3 3<empty
	refuse --seccomp 3 --add-seccomp-fd 4 3<good 4<good
	is_bwrap && return 0
	refuse --seccomp-profile nosuchprofile
	refuse --seccomp-profile "$W/bad"
}

## Nested sandboxes under the default profile

# A sandbox that builds sandboxes (sbx, bwrap, flatpak, Chromium) needs no
# option: under the default profile, an unprivileged caller's command may
# make a user namespace of its own and, there, the mounts a sandbox makes
# (tmpfs, devpts, mqueue, a procfs of its pid namespace, binds, read-only
# remounts of binds, propagation, MS_MOVE, umount2, pivot_root, chroot).
# Every other filesystem type, a superblock remount and flags above the low
# 32 bits stay refused (EPERM), the new mount API answers ENOSYS (callers
# fall back to mount(2)), and nothing is mounted outside a nested user
# namespace. tests/nested/nest makes the calls (its header lists the modes).
# Host root's command is not supervised: there every nested mount is
# refused as before, which the root pass checks.

# nest MODE ARGS...: tests/nested/nest in a sandbox of the quick-start
# options with a pid namespace and a /tmp of its own.
nest() { runb --unshare-pid --tmpfs /tmp --ro-bind "$NEST" /nest /nest "$@"; }
need_nest() {
	sbx_only "sbx's default profile; bwrap loads none"
	[ -n "${NEST:-}" ] || skip "NEST (tests/nested/nest, built by make check) is not set"
}
# As host root, the nested namespaces' first mount is refused.
expect_unsupervised() { # expect_unsupervised STDERR-LINE: the first new mount fails
	expect_rc 1 "as host root (no supervision)"
	expect_err_has "$1"
}

# The whole sequence: a user namespace with its own maps, mount and pid
# namespaces, / private, fork, a new procfs on /proc (its NSpid is 1: the
# procfs of the new pid namespace), a seccomp filter of its own (EPERM for
# personality, one filter more than the sandbox's), exec.
t_nested_run() {
	need_nest
	local n
	nest check-filter
	expect_ok "nest check-filter in the sandbox"
	expect_out_has "personality ok" "before nest's own filter"
	n=$(awk '$1 == "filters" { print $2 }' <<<"$OUT")
	[ -n "$n" ] || fail "no Seccomp_filters count"
	nest seq /nest check-filter
	if is_root; then
		# / private is a propagation change: the kernel's; proc is new
		expect_unsupervised "nest: mount proc on /proc: EPERM (Operation not permitted)"
		return 0
	fi
	expect_ok "the nested sandbox's sequence"
	expect_out "$(printf 'personality EPERM\nfilters %s' $((n + 1)))" "the nested sandbox's own filter"
	nest seq cat /proc/self/status
	expect_ok "cat /proc/self/status in the nested sandbox"
	expect_out_has "$(printf 'NSpid:\t1')" "the new procfs's /proc/self/status"
	expect_out_has "$(printf 'Uid:\t0\t0\t0\t0')" "the nested user namespace's uid"
	expect_out_has "$(printf 'Seccomp_filters:\t%s' $((n + 1)))"
	nest seq sh -c 'echo $$; readlink /proc/self/ns/pid; readlink /proc/1/ns/pid'
	expect_ok
	[ "$(line 1)" = 1 ] || fail "the nested shell is pid $(line 1), not 1"
	[ "$(line 2)" = "$(line 3)" ] || fail "/proc/1 is not the nested pid namespace's pid 1"
}

# mount_is EXPECTED ARGS...: "nest mount ARGS..." prints EXPECTED, else
# the difference is added to the test's list "bad" (reported at the end).
mount_is() {
	local want=$1
	shift
	nest mount "$@"
	[ "$RC" = 0 ] && [ "$OUT" = "$want" ] || bad+=("mount $*: rc $RC, '$OUT' (expected '$want')")
}

# One mount of a new filesystem of each allowed type in nested namespaces:
# "ok" and the superblock's magic (proc 0x9fa0, tmpfs 0x1021994, devpts
# 0x1cd1, mqueue 0x19800202); the procfs is that of the new pid namespace
# (its /proc/self is 1, nest's pid there).
t_nested_mounts() {
	need_nest
	local bad=() t
	if is_root; then
		for t in tmpfs mqueue proc; do mount_is EPERM "$t"; done
		mount_is EPERM devpts devpts newinstance,ptmxmode=0666
	else
		mount_is "ok f_type=0x1021994" tmpfs
		mount_is "ok f_type=0x1021994" tmpfs tmpfs size=1m,mode=0755
		mount_is "ok f_type=0x1cd1" devpts devpts newinstance,ptmxmode=0666
		mount_is "ok f_type=0x19800202" mqueue
		mount_is "ok f_type=0x9fa0 self=1" proc
	fi
	[ ${#bad[@]} = 0 ] || fail "$(printf '%s; ' "${bad[@]}")"
}

# Every other type, EPERM whatever the kernel would have said.
t_nested_mounts_refused() {
	need_nest
	local bad=() t
	# Refused types: each is a filesystem a user namespace's root may
	# mount in the kernel (overlay, fuse, ramfs, ...) or one it may not;
	# EPERM either way, never the kernel's own EINVAL/ENODEV/ENOENT.
	mount_is EPERM overlay overlay lowerdir=/usr
	mount_is EPERM overlay overlay lowerdir=/usr,upperdir=/tmp,workdir=/tmp
	mount_is EPERM fuse fuse fd=99,rootmode=40000,user_id=0,group_id=0
	mount_is EPERM fuse.sshfs fuse fd=99,rootmode=40000,user_id=0,group_id=0
	mount_is EPERM fuseblk /dev/null
	for t in ramfs sysfs cgroup2 cgroup bpf hugetlbfs debugfs tracefs securityfs configfs \
		binfmt_misc pstore efivarfs autofs nfs squashfs virtiofs rpc_pipefs nsfs pipefs; do
		mount_is EPERM "$t"
	done
	mount_is EPERM ext4 /dev/null
	mount_is EPERM ext4 /usr/bin/sh
	mount_is EPERM "" tmpfs
	mount_is EPERM Tmpfs
	mount_is EPERM "tmpfs " tmpfs
	# Outside a nested user namespace nothing mounts at all.
	top_is() {
		nest top-mount "$1"
		[ "$RC" = 0 ] && [ "$OUT" = EPERM ] || bad+=("top-mount $1: rc $RC, '$OUT' (expected EPERM)")
	}
	for t in tmpfs proc devpts mqueue sysfs overlay; do top_is "$t"; done
	[ ${#bad[@]} = 0 ] || fail "$(printf '%s; ' "${bad[@]}")"
}

# What else a sandbox's setup does, in nested namespaces, on a tmpfs of
# their own: bind, read-only remount of the bind (statvfs says ro), shared,
# slave and private, MS_MOVE (still ro), umount2, a recursive bind of /usr,
# pivot_root into the tmpfs, umount2 of the old root, chroot.
t_nested_mount_ops() {
	need_nest
	nest ops
	if is_root; then
		expect_unsupervised "nest: mount tmpfs: EPERM (Operation not permitted)"
		return 0
	fi
	expect_ok "the mount operations of a nested sandbox"
	expect_out "$(printf '%s\n' 'bind ok' 'remount-bind-ro ok' 'a is ro' 'make-shared ok' \
		'make-slave ok' 'make-private ok' 'move ok' 'b is ro' 'umount2 ok' 'rbind-usr ok' \
		'pivot_root ok' 'chdir ok' 'umount-old ok' 'usr-visible ok' 'old root gone' \
		'chroot ok' 'chroot-chdir ok' 'chroot-sees-usr ok' | head -c -1)"
}

# Remounts without MS_BIND change the superblock (its options, read-only
# for every mount of it): refused even of the tmpfs the nested namespace
# mounted itself, which the kernel would allow; the target stays rw. A
# read-only remount of the mount (MS_BIND) is allowed.
t_nested_remount() {
	need_nest
	nest remount
	expect_ok "nest remount"
	local setup=ok bindro=ok
	is_root && setup=EPERM bindro=EPERM
	expect_out "$(printf '%s\n' "setup-tmpfs $setup" 'remount EPERM' 'remount-size EPERM' \
		'remount-ro EPERM' 'target is rw' "remount-bind-ro $bindro" | head -c -1)"
}

# mount(2)'s flags are 64 bits wide; a check of the low 32 bits only would
# pass what the kernel sees. Any upper bit: EPERM, not the kernel's EINVAL.
t_nested_mount_hibits() {
	need_nest
	nest hibits
	expect_ok "nest hibits"
	expect_out "$(printf '%s\n' 'tmpfs+bit32 EPERM' 'bind+bit40 EPERM' \
		'remount-bind-ro+bit63 EPERM' 'private+bit32 EPERM' | head -c -1)"
}

# The new mount API in nested namespaces: ENOSYS for each call, so that
# callers (sbx itself, util-linux, systemd) fall back to mount(2), which is
# what is checked. As host root: EPERM, the default profile's answer.
t_nested_new_mount_api() {
	need_nest
	local e=ENOSYS c want=()
	for c in 'fsopen(tmpfs)' 'fsopen(overlay)' fsconfig fsmount fspick open_tree open_tree_attr \
		move_mount mount_setattr; do
		want+=("$c $e")
	done
	nest newapi
	expect_ok "nest newapi"
	expect_out "$(printf '%s\n' "${want[@]}" | head -c -1)"
}

# Whether procfs takes the new mount API's pidns parameter here (Linux 6.17,
# and not hidden by the legacy suite's filter): sbx's monitor then mounts a
# nested sandbox's procfs with no process in its PID namespace; else a
# helper takes a pid there, and the inner command's is higher than 2.
proc_pidns_param() {
	"$PY" -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
fs = libc.syscall(430, b"proc", 1)
ns = os.open("/proc/self/ns/pid", os.O_RDONLY)
sys.exit(0 if fs >= 0 and libc.syscall(431, fs, 5, b"pidns", None, ns) == 0 else 1)'
}
expect_inner_pid2() {
	if proc_pidns_param; then
		expect_out_has "pid 2"
	else
		grep -Eqx 'pid [0-9]+' <<<"$OUT" || fail "stdout lacks 'pid N'"
	fi
}
# The inner /proc is that of the inner PID namespace: cat's NSpid has one
# field (3 where the monitor takes no pid there, else higher).
expect_inner_nspid() { # expect_inner_nspid WHAT
	if proc_pidns_param; then
		expect_out_has "$(printf 'NSpid:\t3')" "$1"
	else
		grep -Eqx "$(printf 'NSpid:\t[0-9]+')" <<<"$OUT" || fail "$1 lacks an 'NSpid:	N' line of one field"
	fi
}

# sbx in sbx, both with the quick-start options and a pid namespace: the
# inner one's new procfs is that of its own pid namespace (NSpid 2: its
# command, after its PID 1).
t_nested_sbx_in_sbx() {
	sbx_only "sbx's default profile; bwrap loads none"
	runb --unshare-pid --tmpfs /tmp --ro-bind "$SBX" /inner /inner "${BASE[@]}" --unshare-pid \
		sh -c 'cat /proc/self/status; echo "pid $$"'
	if is_root; then
		expect_rc 1 "sbx in sbx as host root (no supervision)"
		expect_err_has "inner: can't create namespaces: Operation not permitted"
		return 0
	fi
	expect_ok "sbx in sbx under the default profile"
	expect_inner_pid2
	expect_inner_nspid "the inner sandbox's /proc (sh's cat)"
	expect_out_has "$(printf 'Seccomp:\t2')"
	expect_out_has "$(printf 'NoNewPrivs:\t1')"
}

# Debian's bwrap in sbx, as bubblewrap's users (flatpak, GNOME's
# thumbnailers, WebKit) would run it inside an sbx sandbox.
t_nested_bwrap_in_sbx() {
	sbx_only "sbx's default profile; bwrap in bwrap is bwrap's business"
	[ -x /usr/bin/bwrap ] || skip "/usr/bin/bwrap is absent (apt-get install bubblewrap; bootstrap does)"
	[ ! -u /usr/bin/bwrap ] || skip "/usr/bin/bwrap is setuid: it would not be a nested user namespace"
	runb --unshare-pid --tmpfs /tmp /usr/bin/bwrap "${BASE[@]}" --unshare-pid \
		sh -c 'cat /proc/self/status; echo "pid $$"; ls /'
	if is_root; then
		expect_rc 1 "bwrap in sbx as host root (no supervision)"
		expect_err_has "bwrap: Creating new namespace failed: Operation not permitted"
		return 0
	fi
	expect_ok "bwrap in sbx under the default profile"
	expect_inner_pid2
	expect_inner_nspid "bwrap's /proc (sh's cat)"
	expect_out_has "usr"
	expect_out_has "proc"
}

# Chromium's layer-1 sandbox: a user namespace, then chroot into an empty
# directory and chdir("/"). chroot needs no mount: allowed as root too.
t_nested_chroot() {
	need_nest
	nest chroot
	expect_ok "chroot in a nested user namespace"
	expect_out "chroot ok cwd=/"
}

## Diagnosis

# User namespaces disabled: the message says why and what fixes it. The
# sysctl is changed for this test only and restored on every way out.
t_userns_disabled_message() {
	sbx_only "sbx explains a refused user namespace"
	root_only "changing user.max_user_namespaces needs root"
	local old
	old=$(cat /proc/sys/user/max_user_namespaces)
	on_cleanup "echo $old >/proc/sys/user/max_user_namespaces"
	trap 'echo "$old" >/proc/sys/user/max_user_namespaces' EXIT
	echo 0 2>/dev/null >/proc/sys/user/max_user_namespaces ||
		skip "this machine does not let even root write user.max_user_namespaces"
	timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups -- "$SBX" "${BASE[@]}" true \
		</dev/null >.out 2>.err
	RC=$?
	echo "$old" >/proc/sys/user/max_user_namespaces
	ERR=$(cat .err)
	expect_rc 1
	expect_err_has "$ME: can't create a user namespace: they are disabled (sysctl user.max_user_namespaces=0"
	[ "$(wc -l <.err)" -eq 1 ] || fail "more than one line: $ERR"
}

## Exit races

# A command that exits at once must never leave the monitor or PID 1 waiting
# for a SIGCHLD that was already taken (a lost SIGCHLD hung sbx once).
t_quick_exits_never_hang() {
	local i
	for i in $(seq 150); do
		timeout 5 "$SBX" "${BASE[@]}" --unshare-pid true </dev/null || fail "run $i: exit $? (124: hung)"
		timeout 5 "$SBX" "${BASE[@]}" true </dev/null || fail "run $i without a pid namespace: exit $?"
	done
}

## bwrap plumbing

t_file_and_data() {
	printf 'one' >d1
	printf 'two' >d2
	runb --file 3 /etc/a --perms 0640 --file 4 /etc/b --ro-bind-data 3 /etc/c --bind-data 4 /etc/d \
		sh -c 'stat -c "%n %a" /etc/a /etc/b /etc/c /etc/d; cat /etc/b /etc/d; echo; test -w /etc/c || echo c-ro; grep -c " /etc/[cd] " /proc/self/mounts' 3<d1 4<d2
	expect_ok
	expect_out_has "/etc/a 666"
	expect_out_has "/etc/b 640"
	expect_out_has "/etc/c 600"
	expect_out_has "/etc/d 600"
	expect_out_has "twotwo"
	is_root || expect_out_has c-ro
	expect_out_has 2
	is_bwrap && return 0
	runb --file 3 /a --file 3 /b cat /a /b 3<d1
	expect_out "oneone" "the same fd twice gives both files the data"
}

# What sbx reads from fds is held in memory until setup: one --file or
# --bind-data fd holds at most 256 MiB, all fds together at most 512 MiB
# (man LIMITS); more is refused before any namespace, whatever the fds'
# writers would go on to send.
t_data_fd_limits() {
	sbx_only "bwrap reads any amount"
	local mib=$((1024 * 1024))
	refuse --file 5 /f 5< <(head -c $((256 * mib + 1)) /dev/zero)
	expect_err_has "--file: fd 5 holds more than 256 MiB"
	refuse --bind-data 5 /f 5< <(head -c $((300 * mib)) /dev/zero)
	expect_err_has "--bind-data: fd 5 holds more than 256 MiB"
	# 200 + 200 + 200 MiB: the third goes past the total.
	refuse --file 5 /a --bind-data 6 /b --ro-bind-data 7 /c \
		5< <(head -c $((200 * mib)) /dev/zero) 6< <(head -c $((200 * mib)) /dev/zero) \
		7< <(head -c $((200 * mib)) /dev/zero)
	expect_err_has "--ro-bind-data: fd 7: more than 512 MiB read from fds in all"
	# --args streams count towards it too.
	printf -- '--file\0005\000/a\0--file\0006\000/b\0' >args
	refuse --args 4 --file 7 /c 4<args 5< <(head -c $((250 * mib)) /dev/zero) \
		6< <(head -c $((250 * mib)) /dev/zero) 7< <(head -c $((20 * mib)) /dev/zero)
	expect_err_has "--file: fd 7: more than 512 MiB read from fds in all"
	# Exactly 256 MiB in one fd, with room left, is taken.
	runb --file 5 /f stat -c %s /f 5< <(head -c $((256 * mib)) /dev/zero)
	expect_ok
	expect_out $((256 * mib))
}

t_bind_fd() {
	sbx_only "bwrap 0.8 lacks --bind-fd"
	mkdir -p dir/sub && echo hi >dir/sub/f
	exec 8<dir
	runb --ro-bind-fd 8 /x sh -c 'cat /x/sub/f; test -w /x || echo ro; ls /proc/self/fd'
	exec 8<&-
	expect_ok
	expect_out_has hi
	is_root || expect_out_has ro
	! grep -qx 8 <<<"$OUT" || fail "the bound fd is still open inside"
	mkfifo p
	exec 8<>p
	refuse --bind-fd 8 /x
}

t_info_and_json_status() {
	runb --unshare-pid --unshare-net --info-fd 3 --json-status-fd 4 sh -c 'exit 5' 3>info 4>status
	expect_rc 5
	"$PY" - info status <<'EOF' || fail "bad status documents: $(cat info status)"
import json, sys
info = json.load(open(sys.argv[1]))
assert set(info) == {"child-pid", "mnt-namespace", "net-namespace", "pid-namespace"}, info
assert info["child-pid"] > 0
lines = [json.loads(l) for l in open(sys.argv[2])]
assert lines[0] == info, lines
assert lines[1] == {"exit-code": 5}, lines
EOF
	runb --json-status-fd 4 sh -c 'kill -9 $$' 4>status
	expect_rc 137
	grep -qx '{ "exit-code": 137 }' status || fail "no exit-code 137 line: $(cat status)"
}

# --json-status-fd ends with an exit code only for a command that was
# exec'd: not when setup failed, nor when execvp did (bwrap's rule).
t_json_status_without_exec() {
	runb --json-status-fd 4 / 4>status
	expect_rc 1
	expect_err_has "execvp /"
	grep -q child-pid status || fail "no start line: $(cat status)"
	! grep -q exit-code status || fail "an exit code for a command that never ran: $(cat status)"
	runb --unshare-pid --json-status-fd 4 /nonexistent-command 4>status
	expect_rc 1
	! grep -q exit-code status || fail "with a PID 1: an exit code for no command: $(cat status)"
	runb --bind /nonexistent-dir-sbx/x /x --json-status-fd 4 true 4>status
	expect_rc 1
	# bwrap finds the missing source after clone(), and reports a start.
	is_bwrap || [ ! -s status ] || fail "a refused command line wrote status: $(cat status)"
	! grep -q exit-code status || fail "an exit code after a failed setup: $(cat status)"
	runb --unshare-pid --json-status-fd 4 sh -c 'exit 4' 4>status
	expect_rc 4
	grep -qx '{ "exit-code": 4 }' status || fail "no exit-code line: $(cat status)"
}

# An fd that two options name is closed once. In the sandbox's one thread
# nothing can reuse the number between two close() calls, so the second
# leaves no trace but its EBADF: strace shows it. --info-fd and
# --json-status-fd on one fd carry both documents (closed after --info-fd's,
# the status line went to a closed or reused fd).
t_fd_named_twice() {
	sbx_only "bwrap closes a shared --info-fd and fails"
	command -v strace >/dev/null || fail "strace is needed (bootstrap installs it)"
	mkdir d
	# LeakSanitizer cannot run under ptrace (the sanitizer build's pass).
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		timeout 20 strace -f -qq -e trace=close -o trace "$SBX" "${BASE[@]}" --tmpfs /mnt \
		--ro-bind-fd 5 /mnt/a --ro-bind-fd 5 /mnt/b --block-fd 6 --ro-bind-fd 6 /mnt/c \
		--info-fd 7 --json-status-fd 7 sh -c 'ls /mnt; exit 3' 5<d 6<d 7>status </dev/null \
		>"$W/.out" 2>"$W/.err"
	RC=$? OUT=$(cat "$W/.out") ERR=$(cat "$W/.err")
	expect_rc 3
	expect_out "$(printf 'a\nb\nc')"
	! grep -E 'close\([567]\) += -1 EBADF' trace || fail "an fd was closed twice"
	[ "$(grep -c '"child-pid"' status)" = 2 ] || fail "not both start documents: $(cat status)"
	[ "$(tail -n 1 status)" = '{ "exit-code": 3 }' ] || fail "no exit code last: $(cat status)"
}

# A --json-status-fd reader that closes its end after the start line: sbx
# still exits with the command's status (EPIPE, not death by SIGPIPE),
# and the command keeps its own SIGPIPE disposition.
t_json_status_reader_gone() {
	"$PY" - "$SBX" "${BASE[@]}" --unshare-pid --json-status-fd FD \
		sh -c 'sleep 0.5; grep SigIgn /proc/self/status; exit 5' >out 2>err <<'EOF'
import os, subprocess, sys
r, w = os.pipe()
argv = [str(w) if a == "FD" else a for a in sys.argv[1:]]
p = subprocess.Popen(argv, pass_fds=(w,), stdin=subprocess.DEVNULL)
os.close(w)
first = os.read(r, 4096)
assert b"child-pid" in first, first
os.close(r)                     # gone before the exit-code line
print("exit", p.wait())
EOF
	RC=$?
	OUT=$(cat out) ERR=$(cat err)
	expect_ok "the driver's exit status"
	expect_out_has "exit 5"
	# SigIgn: bit 12 (SIGPIPE = 13) must be clear in the command
	local ign
	ign=$(awk '$1 == "SigIgn:" { print $2 }' out)
	! bit "$ign" 12 || fail "the command has SIGPIPE ignored (SigIgn $ign)"
}

# Callers reach the sandbox through --info-fd's child-pid: they open its
# namespaces to join them (bwrap's test-specifying-pidns, flatpak enter) and
# its root. So /proc/CHILD-PID is the caller's to open, as with bwrap.
t_child_pid_is_reachable() {
	mkfifo done
	timeout 20 "$SBX" "${BASE[@]}" --bind "$W" "$W" --unshare-user --unshare-pid --info-fd 7 \
		sh -c "readlink /proc/self/ns/pid >'$W/first.tmp'; mv '$W/first.tmp' '$W/first'; cat <'$W/done'" \
		7>info </dev/null >/dev/null 2>&1 &
	track $!
	wait_for 10 test -s first || fail "the first sandbox did not start"
	local child
	child=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["child-pid"])' info) ||
		fail "bad --info-fd document: $(cat info)"
	exec 5<"/proc/$child/ns/user" 6<"/proc/$child/ns/pid" ||
		fail "can't open child-pid $child's namespaces"
	[ "$(readlink "/proc/$child/root")" = / ] || fail "can't read child-pid $child's root link"
	[ -d "/proc/$child/root/usr/bin" ] || fail "can't see the sandbox's tree through /proc/$child/root"
	if is_bwrap && ! is_root; then
		echo >done
		skip "bwrap 0.8.0 unprivileged: --userns with --pidns fails (Setting pidns failed)"
	fi
	run --userns 5 --pidns 6 "${BASE[@]}" readlink /proc/self/ns/pid
	echo >done
	expect_ok
	[ "$OUT" = "$(cat first)" ] || fail "joined pid namespace $OUT, the sandbox's is $(cat first)"
}

# PID 1 runs the sbx binary and never execs: the command must not reach its
# /proc/1/exe (a user-writable sbx could be rewritten through it once no sbx
# runs, CVE-2019-5736), /proc/1/fd or memory, whatever it keeps: a
# capability PID 1 holds and it lacks keeps it out, or, when it keeps them
# all, PID 1 being non-dumpable. The caller can still reach PID 1's
# namespaces (t_child_pid_is_reachable).
t_pid1_out_of_reach() {
	sbx_only "bwrap's PID 1 is open to the command"
	# $1 of the probe: the reaper's pid as the command sees it.
	local probe='for f in exe environ fd/0; do head -c1 "/proc/$1/$f" >/dev/null 2>&1 && echo "open: $f"; done
		readlink "/proc/$1/root" >/dev/null 2>&1 && echo "open: root"; echo checked'
	runb --unshare-pid sh -c "$probe" sh 1
	expect_ok
	expect_out checked "defaults"
	runb --unshare-pid --unshare-user --cap-add CAP_WAKE_ALARM --cap-add CAP_BLOCK_SUSPEND \
		sh -c "$probe" sh 1
	expect_out checked "keeping the inert capabilities"
	runb --unshare-pid --unshare-user --cap-add ALL sh -c "$probe" sh 1
	expect_out checked "--cap-add ALL"
	# Without a PID namespace the reaper (there for --lock-file) is the
	# command's parent.
	: >lock
	runb --bind "$W" "$W" --lock-file "$W/lock" --unshare-user sh -c 'set -- "$PPID"; '"$probe"
	expect_out checked "the reaper of --lock-file"
	if is_root; then
		# A caller whose bounding set lacks both inert capabilities (as in
		# a container): PID 1 guards with another one.
		timeout 20 capsh --drop=cap_wake_alarm,cap_block_suspend -- -c 'exec "$0" "$@"' \
			"$SBX" "${BASE[@]}" --unshare-pid sh -c "$probe" sh 1 </dev/null >.out 2>.err
		RC=$?
		OUT=$(cat .out)
		expect_ok "under capsh"
		expect_out checked "a bounding set without CAP_WAKE_ALARM and CAP_BLOCK_SUSPEND"
	fi
}

# PID 1 reports the command's status on a pipe just before it exits. Only
# a command with CAP_SYS_PTRACE over PID 1 can open that pipe through
# /proc/1/fd (t_pid1_out_of_reach): host root's, given --cap-add ALL. Its
# false status must not be believed while PID 1 is not exiting, and sbx
# must exit with the real status once it is.
t_false_status_is_not_believed() {
	sbx_only "sbx's PID 1 reports on a pipe of its own"
	root_only "only host root's command, with --cap-add ALL, reaches PID 1's fds"
	runb --cap-add ALL --unshare-pid "$PY" -c '
import os, struct, time
n = 0
for fd in os.listdir("/proc/1/fd"):
    p = "/proc/1/fd/" + fd
    try:
        if not os.readlink(p).startswith("pipe:"):
            continue
        f = os.open(p, os.O_WRONLY | os.O_NONBLOCK)
        os.write(f, struct.pack("i", 77))
        os.close(f)
        n += 1
    except OSError:
        pass
print("forged" if n else "no pipe opened")
time.sleep(0.3)
print("done")'
	expect_ok "the false status was believed"
	expect_out "$(printf 'forged\ndone')"
}

t_sync_and_block_fds() {
	mkfifo go
	( runb --bind "$W" "$W" --block-fd 3 --sync-fd 4 sh -c "touch '$W/ran'" 3<>go 4>/dev/null; echo "$RC" >rc ) &
	track $!
	sleep 0.5
	[ ! -e ran ] || fail "the command ran before --block-fd had data"
	echo x >go
	wait_for 10 test -e rc || fail "the sandbox did not finish after the unblock"
	[ -e ran ] || fail "the command did not run"
	[ "$(cat rc)" = 0 ] || fail "exit $(cat rc)"
	# --sync-fd: the pipe sees EOF only once the sandbox is gone
	start=$(date +%s%N)
	runb --sync-fd 5 sleep 0.3 5> >(cat >/dev/null)
	expect_ok
}

# An fd kept for later (--block-fd, --info-fd) that a data option read and
# closed must be refused at parse: its number would be one of sbx's own
# pipes by then (--block-fd did not block; --info-fd failed after clone).
t_fd_consumed_by_data_option() {
	sbx_only "sbx reads --file's fd while parsing, bwrap during setup"
	echo data >data
	refuse --block-fd 3 --file 3 /x 3<data
	refuse --info-fd 3 --file 3 /x 3<data
	refuse --ro-bind-fd 3 /y --file 3 /x 3<data
}

# Installed with file capabilities (setcap), sbx refuses to run, before
# any namespace exists, as it refuses setuid.
t_file_caps_refused() {
	root_only "setcap needs root"
	sbx_only "bwrap's own message differs"
	command -v setcap >/dev/null || skip "no setcap"
	local d
	d=$(mktemp -d /tmp/sbx-fcap.XXXXXX)
	on_cleanup rm -rf "$d"
	chmod 755 "$d"
	cp "$SBX" "$d/sbx"
	chmod 755 "$d/sbx"
	setcap cap_sys_admin+ep "$d/sbx" || skip "this filesystem holds no file capabilities"
	out=$(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups -- "$d/sbx" --ro-bind / / true 2>&1)
	rc=$?
	[ "$rc" = 1 ] || fail "exit $rc with file capabilities ($out)"
	case $out in "sbx: installation with file capabilities is not supported"*) ;; *) fail "message: $out" ;; esac
}

t_lock_file() {
	: >lock
	chmod 666 lock
	runb --bind "$W" /w --lock-file /w/lock sleep 2 &
	track $!
	sleep 0.7
	"$PY" -c 'import fcntl,sys; f=open(sys.argv[1],"r+"); fcntl.lockf(f, fcntl.LOCK_EX|fcntl.LOCK_NB)' lock 2>/dev/null &&
		fail "the lock was not held while the sandbox ran"
	wait
	"$PY" -c 'import fcntl,sys; f=open(sys.argv[1],"r+"); fcntl.lockf(f, fcntl.LOCK_EX|fcntl.LOCK_NB)' lock ||
		fail "the lock was still held after the sandbox ended"
	# A FIFO with no writer does not hang the setup (it hung before this test:
	# open() without O_NONBLOCK, in a PID 1 that a SIGTERM cannot end)
	# (bwrap 0.8 blocks there)
	is_bwrap && return 0
	mkfifo fifo
	chmod 666 fifo
	RUN_TIMEOUT=10 runb --bind "$W" /w --unshare-pid --lock-file /w/fifo echo ran
	expect_ok "--lock-file on a FIFO"
	expect_out ran
}

t_overlays() {
	sbx_only "bwrap 0.8 lacks overlays"
	mkdir l1 l2 up wk
	echo bottom >l1/a
	echo top >l2/a
	echo b >l1/b
	runb --overlay-src "$W/l1" --overlay-src "$W/l2" --tmp-overlay /o sh -c 'cat /o/a /o/b; echo n >/o/new && cat /o/new'
	expect_ok
	expect_out "$(printf 'top\nb\nn')"
	[ ! -e l1/new ] && [ ! -e l2/new ] || fail "--tmp-overlay wrote to a lower layer"
	runb --overlay-src "$W/l1" --overlay "$W/up" "$W/wk" /o sh -c 'echo n >/o/new'
	expect_ok
	[ -e up/new ] || fail "--overlay did not write to RWSRC"
	runb --overlay-src "$W/l1" --overlay-src "$W/l2" --ro-overlay /o sh -c 'cat /o/a; echo x >/o/x'
	expect_rc 2 "write to --ro-overlay (sh's status for a failed redirection)"
	expect_err_has "Read-only file system"
	expect_out top
	refuse --tmp-overlay /o
	refuse --overlay-src "$W/l1" --dir /o
}

t_level_prefix() {
	sbx_only "bwrap 0.8 lacks --level-prefix"
	runb --level-prefix --chdir /nonexistent true
	expect_rc 1
	case $ERR in "<3>$ME: "*) ;; *) fail "no <3> prefix: $ERR" ;; esac
}

t_bwrap_name() {
	sbx_only "sbx invoked as bwrap"
	ln -s "$SBX" bwrap
	OUT=$(./bwrap --version)
	[ "$OUT" = "bubblewrap 0.12.0" ] || fail "--version as bwrap: $OUT"
	ERR=$(./bwrap --frobnicate 2>&1)
	[ "$ERR" = "bwrap: Unknown option --frobnicate" ] || fail "message as bwrap: $ERR"
}

t_disable_userns() {
	local u=()
	is_root && u=(--unshare-user)
	BASE+=("${u[@]}")
	runb --disable-userns sh -c 'unshare -U true 2>/dev/null && echo created || echo refused'
	expect_ok
	expect_out refused
	runb --assert-userns-disabled true
	expect_rc 1 "--assert-userns-disabled when they are not"
	runb --disable-userns --assert-userns-disabled true
	expect_ok
}

t_userns_and_pidns_fds() {
	sbx_only "bwrap 0.8 lacks --userns2 behaviour checks here; sbx joins namespaces by fd"
	mkdir -p ready
	# A sleep time of its own, so that a parallel run's sandbox is never taken.
	local naps="30.$$$RANDOM"
	# It also holds a user namespace nested in its own, for --userns2.
	runb --bind "$W" "$W" --unshare-user --unshare-pid sh -c \
		"unshare -U sleep 2$naps & echo \$\$ >'$W/ready/pid'; exec sleep $naps" &
	track $!
	wait_for 10 test -s ready/pid || fail "the first sandbox did not start"
	local outer
	wait_for 10 have_pids "sleep $naps" || fail "can't see the first sandbox's sleep"
	outer=$(pids_of "sleep $naps" | while read -r p; do
		[ "$(readlink /proc/$p/ns/user)" != "$(readlink /proc/self/ns/user)" ] && echo "$p"; done | head -1)
	[ -n "$outer" ] || fail "can't find the first sandbox's sleep"
	track "$outer"
	local userns
	userns=$(readlink "/proc/$outer/ns/user")
	exec 5<"/proc/$outer/ns/user" 6<"/proc/$outer/ns/pid"
	run --userns 5 --pidns 6 "${BASE[@]}" sh -c 'readlink /proc/self/ns/user; readlink /proc/self/ns/pid'
	expect_ok
	[ "$(line 1)" = "$userns" ] || fail "--userns: inside is $(line 1), expected $userns"
	[ "$(line 2)" = "$(readlink "/proc/$outer/ns/pid")" ] || fail "--pidns: inside is $(line 2)"
	# Unprivileged, a PID namespace of another user namespace can only be
	# joined together with that user namespace: the error says so.
	if ! is_root; then
		run --pidns 6 "${BASE[@]}" true
		expect_rc 1 "--pidns without --userns"
		expect_err_has "join that one too, with --userns"
	fi
	# --unshare-pid too: a new PID namespace nested in the joined one; the
	# command is PID 1's child there, and its exit status comes out.
	run --userns 5 --pidns 6 --unshare-pid "${BASE[@]}" sh -c 'echo $$; readlink /proc/self/ns/pid; exit 7'
	[ "$RC" = 7 ] || fail "exit status $RC, expected 7"
	[ "$(line 1)" = 2 ] || fail "the command is pid $(line 1) in the nested namespace"
	[ "$(line 2)" != "$(readlink "/proc/$outer/ns/pid")" ] || fail "no new PID namespace"
	# --info-fd names the nested PID 1, which the host sees three levels
	# deep (NSpid: host, joined, nested); signals to sbx reach the command.
	local t m child
	timeout 20 "$SBX" --userns 5 --pidns 6 --unshare-pid --info-fd 7 "${BASE[@]}" sh -c \
		'trap "echo got; exit 3" TERM; echo ready; while :; do sleep 0.1; done' \
		</dev/null >nested.out 2>&1 7>info &
	t=$!
	track "$t"
	wait_for 10 grep -q ready nested.out || fail "the nested sandbox never started: $(cat nested.out)"
	child=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["child-pid"])' info) ||
		fail "bad --info-fd document: $(cat info)"
	set -- $(awk '$1 == "NSpid:"' "/proc/$child/status")
	[ $# = 4 ] && [ "$4" = 1 ] || fail "child-pid $child is not PID 1 two levels down: $*"
	[ "$(readlink "/proc/$child/ns/pid")" != "$(readlink "/proc/$outer/ns/pid")" ] ||
		fail "child-pid $child is in the joined namespace"
	m=$(pgrep -P "$t")
	track $m
	[ -n "$m" ] || fail "can't find the nested sandbox's monitor"
	kill -TERM $m
	wait "$t"
	RC=$?
	[ "$RC" = 3 ] || fail "SIGTERM to $ME: exit $RC, expected 3 (forwarded to the command)"
	[ "$(cat nested.out)" = "$(printf 'ready\ngot')" ] || fail "nested: $(cat nested.out)"
	# --userns2: the command ends up in the nested user namespace.
	local inner
	wait_for 10 have_pids "sleep 2$naps" || fail "can't see the nested user namespace's sleep"
	inner=$(pids_of "sleep 2$naps" | head -1)
	track "$inner"
	[ "$(readlink "/proc/$inner/ns/user")" != "$userns" ] || fail "unshare -U made no user namespace"
	exec 8<"/proc/$inner/ns/user"
	run --userns 5 --userns2 8 "${BASE[@]}" sh -c 'readlink /proc/self/ns/user; grep CapEff /proc/self/status'
	expect_ok
	[ "$(line 1)" = "$(readlink "/proc/$inner/ns/user")" ] || fail "--userns2: inside is $(line 1)"
	[ "$(field CapEff)" = 0000000000000000 ] || fail "--userns2: capabilities left: $(field CapEff)"
	exec 5<&- 6<&- 8<&-
	refuse --userns2 0
	refuse --userns 0 --unshare-user
}

t_userns_block_fd() {
	sbx_only "sbx writes no maps with --userns-block-fd: the caller does"
	mkfifo go info.fifo
	# The caller reads --info-fd to its end before it writes the maps, as
	# bwrap's demos/userns-block-fd.py does: the sandbox must not hold the
	# pipe open while it waits.
	cat info.fifo >info &
	local reader=$!
	track $reader
	# sbx alone holds the pipe's write end (no timeout(1) around it).
	"$SBX" --unshare-user --info-fd 3 --userns-block-fd 4 "${BASE[@]}" sh -c 'id -u; id -g' \
		3>info.fifo 4<>go </dev/null >out 2>err &
	local sandbox=$!
	track $sandbox
	wait_for 10 none_alive "$reader" || fail "--info-fd saw no end while the sandbox waited"
	[ -s info ] || fail "no --info-fd document"
	local pid
	pid=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["child-pid"])' info)
	echo deny >"/proc/$pid/setgroups" 2>/dev/null
	echo "$HOST_UID $HOST_UID 1" >"/proc/$pid/uid_map" || fail "can't write the uid map"
	echo "$HOST_GID $HOST_GID 1" >"/proc/$pid/gid_map" || fail "can't write the gid map"
	echo go >go
	wait_for 10 none_alive "$sandbox" || fail "the sandbox did not finish"
	wait "$sandbox"
	local rc=$?
	[ "$rc" = 0 ] || fail "exit $rc: $(cat err)"
	[ "$(cat out)" = "$(printf '%s\n%s' "$HOST_UID" "$HOST_GID")" ] || fail "ids inside: $(cat out)"
}

# A flatpak-style launcher: hundreds of binds through --args, generated
# /etc/passwd and /etc/group as --ro-bind-data, a symlink farm, --dev,
# --proc, a pid namespace, --die-with-parent, --info-fd, --json-status-fd,
# --sync-fd and a --seccomp program; the app checks the tree it sees.
t_launcher() {
	local i
	mkdir -p runtime/share app
	for i in $(seq 300); do mkdir -p "runtime/share/pkg$i" && echo "$i" >"runtime/share/pkg$i/id"; done
	printf 'app:x:%s:%s::/home/app:/bin/sh\n' "$HOST_UID" "$HOST_GID" >passwd
	printf 'app:x:%s:\n' "$HOST_GID" >group
	value=$(printf 'sp ace\nnew\001line\377')
	{
		printf '%s\0' --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib \
			--symlink usr/sbin /sbin --dev /dev --proc /proc --unshare-pid --die-with-parent \
			--dir /tmp --dir /run/user --setenv APPVAL "$value"
		[ -e /lib64 ] && printf '%s\0' --symlink usr/lib64 /lib64
		for i in $(seq 300); do printf '%s\0' --ro-bind "$W/runtime/share/pkg$i" "/app/share/pkg$i"; done
		printf '%s\0' --ro-bind-data 7 /etc/passwd --ro-bind-data 8 /etc/group
	} >args
	allow_all >prog
	cat >app/check.py <<'EOF'
import os, pwd, sys
ids = sorted(int(open(f"/app/share/{d}/id").read()) for d in os.listdir("/app/share"))
assert ids == list(range(1, 301)), ids[:5]
assert pwd.getpwuid(os.getuid()).pw_name == "app"
assert sorted(os.listdir("/")) == ["app", "bin", "dev", "etc", "lib"] + (["lib64"] if os.path.exists("/lib64") else []) + ["proc", "run", "sbin", "tmp", "usr"], sorted(os.listdir("/"))
assert os.environb[b"APPVAL"] == b"sp ace\nnew\001line\377", os.environb[b"APPVAL"]
assert os.getpid() == 2
print("app ok")
EOF
	timeout 30 "$SBX" --args 3 --info-fd 4 --json-status-fd 5 --sync-fd 6 --seccomp 9 \
		--ro-bind "$W/app" /app/bin "$PY" /app/bin/check.py \
		3<args 4>info 5>status 6>/dev/null 7<passwd 8<group 9<prog >.out 2>.err </dev/null
	RC=$?
	OUT=$(cat .out) ERR=$(cat .err)
	expect_ok
	expect_out "app ok"
	"$PY" - info status <<'EOF' || fail "bad status documents: $(cat info status)"
import json, sys
info = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2])]
assert lines[0]["child-pid"] == info["child-pid"] > 1, (info, lines)
assert "pid-namespace" in info and "mnt-namespace" in info
assert lines[-1] == {"exit-code": 0}, lines
EOF
	pid=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["child-pid"])' info)
	! alive "$pid" || fail "the sandbox's pid 1 ($pid) is still alive"
}

t_many_binds_via_args() {
	local i
	mkdir src
	for i in $(seq 3000); do mkdir "src/$i"; printf '%s\0' --ro-bind "$W/src/$i" "/m/$i"; done >args
	# Without mount_setattr (tests/legacy) every recursive ro-bind reads
	# mountinfo to check its tree, as bwrap does for each bind: quadratic,
	# seconds here (bwrap is slower still), and more on a loaded machine.
	RUN_TIMEOUT=180
	runb --args 3 sh -c 'ls /m | wc -l; grep -c " /m/" /proc/self/mounts' 3<args
	expect_ok
	expect_out "$(printf '3000\n3000')"
}

# ---------------------------------------------------------------------------

if [ -n "${SBX_IT_PASS:-}" ]; then
	run_pass "$SBX_IT_PASS"
else
	driver
fi
