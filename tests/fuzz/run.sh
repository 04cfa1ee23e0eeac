#!/bin/bash
# Build and run the libFuzzer harnesses (clang). --smoke: each for a few
# seconds (all together under 60 s); --long SECONDS: each that long.
# Crash inputs kept in tests/fuzz/regressions/ are replayed every time.
set -u
SRC=${SBX_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
mode=${1:---smoke}
secs=10
[ "$mode" = --long ] && secs=${2:-600}
CLANG=$(command -v clang || command -v clang-14) || { echo "0 passed, 1 failed: no clang"; exit 1; }
tmp=$(mktemp -d /tmp/sbx-fuzz.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE
	-DPACKAGE_VERSION='"fuzz"' -I"$SRC")
# harness name -> sources (one line each)
declare -A SOURCES=(
	[fuzz-argv]="tests/fuzz/fuzz-argv.c cli.c util.c caps.c filter.c userns.c"
	[fuzz-profile]="tests/fuzz/fuzz-profile.c seccomp-profiles/profile.c"
	[fuzz-mountinfo]="tests/fuzz/fuzz-mountinfo.c bind-mount.c util.c"
	[fuzz-subid]="tests/fuzz/fuzz-subid.c userns.c util.c"
)
declare -A EXTRA=([fuzz-argv]="-lcap-ng" [fuzz-profile]="" [fuzz-mountinfo]="" [fuzz-subid]="")
declare -A CORPUS=([fuzz-argv]=argv [fuzz-profile]=profile [fuzz-mountinfo]=mountinfo [fuzz-subid]=subid)
# filter.c references the built-in profiles: give the harness an empty set.
printf '#include "seccomp-profiles/profiles.h"\nconst struct sbx_builtin_profile sbx_builtin_profiles[1];\nconst size_t sbx_n_builtin_profiles = 0;\n' >"$tmp/builtin.c"
passed=0 failed=0
for h in "${!SOURCES[@]}"; do
	srcs=()
	for s in ${SOURCES[$h]}; do srcs+=("$SRC/$s"); done
	[ "$h" = fuzz-argv ] && srcs+=("$tmp/builtin.c")
	# shellcheck disable=SC2086
	if ! "$CLANG" "${flags[@]}" -o "$tmp/$h" "${srcs[@]}" ${EXTRA[$h]}; then
		echo "not ok - $h: does not build"; failed=$((failed + 1)); continue
	fi
	mkdir -p "$tmp/corpus-$h" "$tmp/crash-$h"
	cp "$SRC/tests/fuzz/corpus/${CORPUS[$h]}"/* "$tmp/corpus-$h/" 2>/dev/null
	if [ -d "$SRC/tests/fuzz/regressions/$h" ] && ! "$tmp/$h" "$SRC/tests/fuzz/regressions/$h"/* >"$tmp/$h.replay" 2>&1; then
		echo "not ok - $h: a kept regression input fails again"; tail -20 "$tmp/$h.replay"; failed=$((failed + 1)); continue
	fi
	if (cd "$tmp" && ASAN_OPTIONS=detect_leaks=1 "$tmp/$h" -print_final_stats=1 -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=1024 -artifact_prefix="$tmp/crash-$h/" "$tmp/corpus-$h" </dev/null >"$tmp/$h.log" 2>&1); then
		echo "ok - $h: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$tmp/$h.log" | tail -1 || tail -1 "$tmp/$h.log")"
		passed=$((passed + 1))
	else
		echo "not ok - $h: crash"; tail -30 "$tmp/$h.log"
		for c in "$tmp/crash-$h"/*; do [ -e "$c" ] && { echo "input (base64, keep it under tests/fuzz/regressions/$h/):"; base64 -w0 "$c"; echo; }; done
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
((failed == 0))
