#!/bin/bash
# Escape suite: run tests/escape/probe inside sbx with only the quick-start
# options (defaults: seccomp profile "default", no --new-session), as an
# unprivileged user, under a pseudo-terminal this script creates. Every probe
# must print CONTAINED; ESCAPED fails, SKIPPED is counted apart, never as
# contained.
#
# Env: SBX (the binary), PROBE (the built probe program).
set -u

: "${SBX:?SBX must name the sbx binary}"
: "${PROBE:?PROBE must name the built escape probe}"

tmp=$(mktemp -d /tmp/sbx-escape.XXXXXX)
victim=
cleanup() {
	[[ -n $victim ]] && kill "$victim" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
chmod 755 "$tmp"
mkdir "$tmp/bin" "$tmp/host" "$tmp/suid"
cp "$SBX" "$tmp/bin/sbx"
cp "$PROBE" "$tmp/bin/probe"
chmod 755 "$tmp/bin" "$tmp/bin/sbx" "$tmp/bin/probe" "$tmp/host" "$tmp/suid"

if [[ $(id -u) == 0 ]]; then
	# The main case is unprivileged: drop to nobody. Root can also plant a
	# setuid-root copy of the probe for the setuid probe to exec.
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
	cp "$PROBE" "$tmp/suid/probe"
	chmod 4755 "$tmp/suid/probe"
else
	as_user=()
fi

# A victim outside the sandbox, owned by the same user as the sandbox.
"${as_user[@]}" sleep 300 &
victim=$!

quick=(--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib
	--symlink usr/lib64 /lib64 --proc /proc --dev /dev --unshare-all)

# script(1) gives the sandbox a controlling terminal of its own: TIOCSTI on
# it would inject into this pty, not into anyone's shell.
run_in_pty() {
	local cmd
	printf -v cmd '%q ' "$@"
	timeout 60 script -qec "$cmd" /dev/null </dev/null | tr -d '\r'
}

passed=0 failed=0 skipped=0
count() {
	while IFS= read -r line; do
		echo "$line"
		case $line in
		CONTAINED*) passed=$((passed + 1)) ;;
		ESCAPED*) failed=$((failed + 1)) ;;
		SKIPPED*) skipped=$((skipped + 1)) ;;
		esac
	done
}

# The caller's keys: a session keyring of the test's own, holding a key,
# made before sbx starts (keyctl and add_key, as keyctl(1) would). Neither
# may show in the sandbox's /proc/keys or /proc/key-users.
with_key=(/usr/bin/python3 -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
KEYCTL_JOIN_SESSION_KEYRING, KEY_SPEC_SESSION_KEYRING = 1, -3
if (libc.syscall(250, KEYCTL_JOIN_SESSION_KEYRING, b"sbx-escape") < 0 or
        libc.syscall(248, b"user", b"sbx-escape-key", b"secret", 6,
                     ctypes.c_long(KEY_SPEC_SESSION_KEYRING)) < 0):
    print("SKIPPED   keys-setup: no key made (%s): the /proc/keys probes see only keys "
          "made inside" % os.strerror(ctypes.get_errno()), flush=True)
os.execv(sys.argv[1], sys.argv[1:])')

echo "# escape probes: quick-start options, defaults, unprivileged, under a pty"
out=$(run_in_pty env PROBE_VICTIM="$victim" "${as_user[@]}" "${with_key[@]}" "$tmp/bin/sbx" "${quick[@]}" \
	--ro-bind "$tmp/bin" /probe-bin --ro-bind-try "$tmp/suid" /suid /probe-bin/probe)
count <<<"$out"

# An fd the caller left open without FD_CLOEXEC passes in by design (as in
# bwrap: launchers hand sockets in so); --close-fds is how a caller who
# holds such fds gets a clean slate. Show both.
echo "# inherited host directory fd, without --close-fds: passes by design"
out=$(run_in_pty env PROBE_HOST_FD=5 "${as_user[@]}" "$tmp/bin/sbx" "${quick[@]}" \
	--ro-bind "$tmp/bin" /probe-bin /probe-bin/probe --host-fd-only 5<"$tmp/host")
echo "  $out"
if grep -q '^ESCAPED *host-fd' <<<"$out"; then
	passed=$((passed + 1))
else
	echo "not ok - without --close-fds the inherited fd should pass in (bwrap's behaviour)"
	failed=$((failed + 1))
fi
echo "# inherited host directory fd, with --close-fds"
out=$(run_in_pty env PROBE_HOST_FD=5 "${as_user[@]}" "$tmp/bin/sbx" "${quick[@]}" \
	--close-fds --ro-bind "$tmp/bin" /probe-bin /probe-bin/probe --host-fd-only 5<"$tmp/host")
count <<<"$out"

# The command tries to write a false exit status (77) on PID 1's status
# pipe and lives on: PID 1's fds must not open; if they did, sbx must exit
# with the real status (0), once the command is done.
echo "# a false status on PID 1's status pipe"
out=$(run_in_pty sh -c '"$@"; echo "sbx exited $?"' sh "${as_user[@]}" "$tmp/bin/sbx" \
	"${quick[@]}" --ro-bind "$tmp/bin" /probe-bin /probe-bin/probe --forge-status)
case $out in
*"forged 0, refused 0"*)
	echo "SKIPPED   pid1-status: PID 1 has no pipe: $out"
	skipped=$((skipped + 1)) ;;
*"forged 0, refused"*)
	echo "CONTAINED pid1-status: ${out%%$'\n'*}: no pipe of PID 1 opens"
	passed=$((passed + 1)) ;;
*"still running"*"sbx exited 0")
	echo "CONTAINED pid1-status: ${out%%$'\n'*}; sbx waited for the command's real status"
	passed=$((passed + 1)) ;;
*)
	echo "ESCAPED   pid1-status: sbx returned on the false status: $out"
	failed=$((failed + 1)) ;;
esac

# Signals by process group: the command sends SIGUSR1 to its process group
# (kill(0, ...)) and to every process it may signal (kill(-1, ...)). A
# process of the caller's job, started beside sbx by the same shell (so in
# the same process group), must not get it; nor must sbx, which would
# forward it back in. The shell ignores SIGUSR1 itself, after starting the
# victim, to report.
echo "# signals to the caller's process group"
out=$(run_in_pty "${as_user[@]}" sh -c '
	sleep 300 & v=$!
	trap "" USR1
	"$@" sh -c "trap \"\" USR1; kill -USR1 0; kill -USR1 -1 2>/dev/null; echo sent"
	if kill -0 "$v" 2>/dev/null; then
		echo "CONTAINED signal-group: kill(0) and kill(-1) from inside did not reach the caller'"'"'s group"
		kill "$v"
	else
		echo "ESCAPED   signal-group: kill(0, SIGUSR1) from inside killed a process of the caller'"'"'s group"
	fi' sh "$tmp/bin/sbx" "${quick[@]}")
count <<<"$out"

# --userns FD: the monitor joins the caller's user namespace, which the
# command shares; given CAP_SYS_PTRACE there, it must still not reach the
# monitor's /proc/PID (the caller's mount namespace): review-monitor-proc.sh.
# readlink(1) says nothing when it is refused: an empty answer is the refusal.
echo "# the monitor's /proc entry from a command with CAP_SYS_PTRACE in --userns"
out=$(SBX="$tmp/bin/sbx" bash "$(dirname "$0")/review-monitor-proc.sh" 2>&1)
case $out in
ESCAPED*) echo "ESCAPED   monitor-proc: $out"; failed=$((failed + 1)) ;;
"CONTAINED: no access") echo "CONTAINED monitor-proc: ${out#CONTAINED: }"; passed=$((passed + 1)) ;;
*) echo "SKIPPED   monitor-proc: the probe did not run: $out"; skipped=$((skipped + 1)) ;;
esac

if ((passed + failed == 0)); then
	echo "no probe ran"
	failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
