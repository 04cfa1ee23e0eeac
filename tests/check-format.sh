#!/bin/bash
# check-format: every C source and header of the tree is formatted as
# .clang-format says (clang-format 14, Debian 12's; bootstrap installs it).
#
#   [SBX_SRCDIR=path/to/source] tests/check-format.sh
#
# Prints one line per file that differs (with the first differing lines),
# then "N passed, M failed"; exits 1 if any file differs, or if clang-format
# is missing or finds no files (a check that looked at nothing is no pass).
# Fix with: clang-format -i FILE.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
srcdir=${SBX_SRCDIR:-$here/..}
cf=$(command -v clang-format-14 || command -v clang-format) || {
	echo "0 passed, 1 failed: clang-format is not installed (bootstrap installs clang-format)"
	exit 1
}

passed=0 failed=0
# The sources: not the generated builtin-profiles.c, nor the trees the
# sanitizer run and make distdir make inside the build.
while IFS= read -r -d '' f; do
	if out=$(cd "$srcdir" && "$cf" --style=file "$f" | diff -u "$f" - 2>&1); then
		passed=$((passed + 1))
	else
		echo "not ok - $f is not formatted as .clang-format says:"
		sed -n '3,12p' <<<"$out"
		failed=$((failed + 1))
	fi
done < <(cd "$srcdir" && find . \( -path ./tests/sanitizers/tree -o -path './sbx-*' -o -path ./.git \) -prune \
	-o \( -name '*.c' -o -name '*.h' \) -type f ! -name builtin-profiles.c ! -name config.h \
	-print0 | sort -z)
if ((passed + failed == 0)); then
	echo "0 passed, 1 failed: no C files found under $srcdir"
	exit 1
fi
echo "$passed passed, $failed failed"
((failed == 0))
