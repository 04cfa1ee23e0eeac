# Shared by the bench scripts: build the runner, drop privileges, medians.
set -u
SBX=${SBX:-./sbx}
SBX_ORIG=$SBX
BWRAP=${BWRAP:-/usr/bin/bwrap}
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMP=$(mktemp -d /tmp/sbx-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
chmod 755 "$TMP"
gcc -O2 -o "$TMP/runner" "$BENCH_DIR/runner.c" || exit 1
cp "$SBX" "$TMP/sbx" && cp "$BWRAP" "$TMP/bwrap" || exit 1
chmod 755 "$TMP/sbx" "$TMP/bwrap"
SBX=$TMP/sbx BWRAP=$TMP/bwrap
# The main case is unprivileged: as root, measure as nobody.
AS_USER=()
[ "$(id -u)" = 0 ] && AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups --)

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# measure FILE N CMD...: append N timings to FILE.times, max RSS to FILE.rss.
# PATH is Debian's default for users, whatever the caller's: both tools look
# the command up in it inside the sandbox, and every entry is an execve.
measure() {
	local f=$1 n=$2
	shift 2
	"${AS_USER[@]}" env RUNNER_FD9="${RUNNER_FD9:-}" PATH=/usr/local/bin:/usr/bin:/bin:/usr/games \
		"$TMP/runner" "$n" "$@" >"$TMP/out" || { echo "FAILED: $*" >&2; return 1; }
	grep -v maxrss "$TMP/out" >>"$f.times"
	awk '$1 == "maxrss" { print $2 }' "$TMP/out" >>"$f.rss"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }
