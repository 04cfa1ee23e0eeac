#!/bin/bash
# check-docs: every option `sbx --help` lists must be documented in the man
# page and completed by the bash, zsh and fish completions.
#
#   SBX=path/to/sbx [SBX_SRCDIR=path/to/source] tests/check-docs.sh
#
# SBX is the built binary; SBX_SRCDIR defaults to this script's directory/..
# Prints one line per missing item, then "N passed, M failed"; exits 1 if
# anything is missing, or if --help yields fewer than MIN_OPTIONS options (so
# that a broken help text or parse cannot pass as "nothing missing").
#
# What counts as documented / completed:
#   man/sbx.1               a tag of an option entry: the line after .TP (or
#                           the argument of .IP) whose first word, with font
#                           escapes and quotes removed and \- read as -, is
#                           the option, e.g. `.B \-\-help`, `.BI "\-\-bind " SRC`,
#                           `\fB\-\-dev\fR \fIDEST\fR`
#   completions/bash/sbx    the option as a whole word (not inside a longer
#                           option name), outside comment lines
#   completions/zsh/_sbx    an _arguments spec for the option (see zsh_specs)
#   completions/fish/sbx.fish  `-l NAME` or `--long-option NAME` (NAME
#                           without the leading --), outside comment lines
set -u

MIN_OPTIONS=20

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
srcdir=${SBX_SRCDIR:-$here/..}
passed=0
failed=0

fail()
{
	printf 'FAIL: %s\n' "$*"
	failed=$((failed + 1))
}

finish()
{
	printf '%d passed, %d failed\n' "$passed" "$failed"
	if ((failed > 0)); then
		exit 1
	fi
	exit 0
}

if [[ -z ${SBX:-} ]]; then
	fail "SBX is not set (the sbx binary to check)"
	finish
fi

# ---- the options, from --help ------------------------------------------
if ! help=$("$SBX" --help 2>/dev/null); then
	fail "'$SBX --help' failed"
fi
mapfile -t options < <(printf '%s\n' "$help" |
	sed -nE 's/^ +(--[a-z0-9-]+).*/\1/p' | awk '!seen[$0]++')
if ((${#options[@]} < MIN_OPTIONS)); then
	fail "'$SBX --help' lists ${#options[@]} options, expected at least $MIN_OPTIONS"
fi

# ---- what each file offers, one option name a line ---------------------

# Option entries of the man page.
man_entries()
{
	awk '
	function tag(s,   w) {
		sub(/^\.[A-Za-z]+[ \t]*/, "", s)         # the macro: .B .BI .BR ...
		gsub(/\\f\[[^\]]*\]/, "", s)              # \f[B] ...
		gsub(/\\f\(../, "", s)                    # \f(CB ...
		gsub(/\\f./, "", s)                       # \fB \fI \fR \fP ...
		gsub(/\\-/, "-", s)
		gsub(/\\&|\\%|"/, "", s)
		split(s, w, /[ \t]+/)
		if (w[1] ~ /^--/)
			print w[1]
	}
	/^\.TP/              { want = 1; next }
	want && /^\.\\"/     { next }                   # a comment line
	want                 { tag($0); want = 0; next }
	/^\.IP[ \t]/         { s = $0; sub(/^\.IP[ \t]+/, "", s); tag(s) }
	' "$1"
}

# Whole-word options outside comments (bash, zsh).
words_in()
{
	grep -v '^[[:space:]]*#' "$1" | grep -oE -- '--[a-z0-9][a-z0-9-]*' |
		grep -vE -- '-$' || true
}

# zsh: option specs of _arguments, e.g. '*--bind[...]', '(- *)--help[...]',
# '--uid:...', "{--a,--b}'[...]": the name directly after a quote, "*", ")",
# "{" or "," and directly before "[", ":", "=", "+", a quote, "," or "}"
# (so a --name inside a description does not count).
zsh_specs()
{
	grep -v '^[[:space:]]*#' "$1" |
		grep -oE -- "[\"'*),{]--[a-z0-9][a-z0-9-]*([]:=+,}\"'[]|\$)" |
		sed -E 's/^.(--[a-z0-9-]*[a-z0-9]).*/\1/' || true
}

# fish: -l NAME / --long-option NAME.
fish_longs()
{
	grep -v '^[[:space:]]*#' "$1" |
		grep -oE -- "(^|[[:space:]])(-l|--long-option)[[:space:]]+['\"]?[a-z0-9][a-z0-9-]*" |
		sed -E "s/.*[[:space:]]['\"]?/--/" || true
}

check_file()
{
	local what=$1 file=$2 lister=$3 opt
	local -A have=()

	if [[ ! -f $srcdir/$file ]]; then
		fail "$file: file not found in $srcdir"
		return
	fi
	while read -r opt; do
		[[ -n $opt ]] && have[$opt]=1
	done < <($lister "$srcdir/$file")
	for opt in "${options[@]}"; do
		if [[ -n ${have[$opt]:-} ]]; then
			passed=$((passed + 1))
		else
			fail "$opt: $what in $file"
		fi
	done
}

check_file "no option entry" man/sbx.1 man_entries
check_file "not completed" completions/bash/sbx words_in
check_file "not completed" completions/zsh/_sbx zsh_specs
check_file "not completed" completions/fish/sbx.fish fish_longs
finish
