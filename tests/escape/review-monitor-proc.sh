#!/bin/bash
# Run by tests/escape/run.sh. With --userns FD the monitor joins the
# caller's user namespace
# before clone(), so it shares that namespace with the command. A command
# given CAP_SYS_PTRACE there (--cap-add) passes ptrace_may_access() on the
# monitor, which stays dumpable, and so reaches the monitor's /proc/PID/root
# and ns/ (the host's mount namespace), or could ptrace it outright.
# Needs a host /proc in view (--ro-bind / / here; --unshare-pid does not
# help, a bound host /proc shows every pid).
#
# Run as root (drops to nobody) or as any user. Env: SBX.
set -u
: "${SBX:?SBX must name the sbx binary}"
as_user=()
[[ $(id -u) == 0 ]] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)

"${as_user[@]}" unshare --user --map-root-user sleep 60 &
holder=$!
trap 'kill $holder 2>/dev/null' EXIT
for _ in $(seq 50); do
	[[ $(readlink /proc/$holder/ns/user) != "$(readlink /proc/self/ns/user)" ]] && break
	sleep 0.1
done
host_mnt=$(readlink /proc/self/ns/mnt)
out=$("${as_user[@]}" "$SBX" --userns 3 --ro-bind / / --cap-add CAP_SYS_PTRACE -- \
	sh -c 'readlink /proc/$PPID/ns/mnt' 3<"/proc/$holder/ns/user" 2>&1)
if [[ $out == "$host_mnt" ]]; then
	echo "ESCAPED: the command read the monitor's ns/mnt ($out, the host's)"
	exit 1
fi
echo "CONTAINED: ${out:-no access}"
