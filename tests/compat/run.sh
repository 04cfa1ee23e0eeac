#!/bin/bash
# Real programs that drive bwrap, run with sbx in its place: a directory
# first in PATH holds a "bwrap" that notes each call and execs sbx under that
# name. Each program runs twice, with Debian's bwrap (the control: the check
# itself works) and with sbx, as an unprivileged user.
#   mat2 (libmat2)         runs exiftool in bwrap to read an image's metadata
#                          and to remove it (--ro-bind of /usr, /lib..., the
#                          cwd and the file, --dev, --proc, --unshare-*-try,
#                          --new-session, --cap-drop all, --bind of an
#                          output directory)
#   GNOME's thumbnailer    libgnome-desktop runs gdk-pixbuf-thumbnailer in
#   factory                bwrap (--ro-bind-try, --symlink, --setenv, --bind,
#                          --proc, --dev, --unshare-all, --die-with-parent,
#                          --seccomp FD)
#   WebKitGTK 6.0          every web process runs in bwrap, its options
#                          passed with --args FD; it runs /usr/bin/bwrap by
#                          absolute path, so (as root only) the test binds
#                          the "bwrap" over it in a mount namespace of its own
#                          and renders a page under Xvfb, checking a script's
#                          result from the page
#   flatpak 1.14           installs, runs and builds an app of a runtime made
#                          here (--args, --ro-bind-fd, --lock-file,
#                          --ro-bind-data, --file, --perms, --seccomp,
#                          --info-fd, --symlink, --remount-ro, ...)
#
# Env: SBX. Needs mat2, gir1.2-gnomedesktop-3.0, python3-gi,
# libgdk-pixbuf2.0-bin, gir1.2-webkit-6.0, xvfb and xauth (bootstrap
# installs them).
# Output: "ok"/"not ok" lines, then "N passed, M failed".
set -u
: "${SBX:?}"
PY=/usr/bin/python3
BWRAP=/usr/bin/bwrap

top=$(mktemp -d /tmp/sbx-compat.XXXXXX)
trap '[ -n "${SBX_COMPAT_KEEP:-}" ] || rm -rf "$top"' EXIT
chmod 755 "$top"
as_user=()
if [ "$(id -u)" = 0 ]; then
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
	chown 65534:65534 "$top"
fi
run_as() { (cd "$top" && "${as_user[@]}" "$@"); }

missing=
"$PY" -c 'import libmat2' 2>/dev/null || missing+=" mat2"
"$PY" -c 'import gi; gi.require_version("GnomeDesktop", "3.0")' 2>/dev/null || missing+=" gir1.2-gnomedesktop-3.0"
[ -e /usr/share/thumbnailers/gdk-pixbuf-thumbnailer.thumbnailer ] || missing+=" libgdk-pixbuf2.0-bin"
"$PY" -c 'import gi; gi.require_version("WebKit", "6.0")' 2>/dev/null || missing+=" gir1.2-webkit-6.0"
command -v xvfb-run >/dev/null || missing+=" xvfb"
command -v xauth >/dev/null || missing+=" xauth"
[ -x "$BWRAP" ] || missing+=" bubblewrap"
command -v flatpak >/dev/null || missing+=" flatpak"
command -v dbus-daemon >/dev/null || missing+=" dbus-daemon"
command -v dbus-send >/dev/null || missing+=" dbus-bin"
if [ -n "$missing" ]; then
	echo "0 passed, 1 failed: missing packages:$missing (bootstrap installs them)"
	exit 1
fi

# The "bwrap" each program finds: the tool under test, called by that name.
# Copies of both, so that a bind over /usr/bin/bwrap cannot loop.
mkdir "$top/bin"
cp "$SBX" "$top/real-sbx" && cp "$BWRAP" "$top/real-bwrap" || exit 1
for tool in sbx bwrap; do
	mkdir "$top/bin/$tool"
	printf '#!/bin/bash\necho "$*" >>%s/calls.%s\nexec -a bwrap %s "$@"\n' "$top" "$tool" \
		"$top/real-$tool" >"$top/bin/$tool/bwrap"
	chmod 755 "$top/bin/$tool/bwrap" "$top/bin/$tool" "$top/real-$tool"
done
chmod 755 "$top/bin"

# A PNG with an Author text chunk, 512x300.
"$PY" - "$top/in.png" <<'PYEOF'
import struct, sys, zlib
w, h = 512, 300
raw = b''.join(b'\x00' + b'\x20\x80\xff' * w for _ in range(h))
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n'
    + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
    + chunk(b'tEXt', b'Author\x00Secret Person') + chunk(b'IDAT', zlib.compress(raw))
    + chunk(b'IEND', b''))
PYEOF
chmod 644 "$top/in.png"

mat2_check='
import sys
from libmat2 import parser_factory
src, out = sys.argv[1], sys.argv[2]
p, mime = parser_factory.get_parser(src)
p.sandbox = True
meta = p.get_meta()
assert meta.get("Author") == "Secret Person", meta
p.output_filename = out
assert p.remove_all(), "remove_all failed"
q, _ = parser_factory.get_parser(out)
q.sandbox = True
left = q.get_meta()
assert "Author" not in left, left
print("mat2: read the Author, removed it")
'
thumb_check='
import sys, gi
gi.require_version("GnomeDesktop", "3.0")
from gi.repository import GnomeDesktop, Gio
f = Gio.File.new_for_path(sys.argv[1])
mime = f.query_info("standard::content-type", 0, None).get_content_type()
factory = GnomeDesktop.DesktopThumbnailFactory.new(GnomeDesktop.DesktopThumbnailSize.NORMAL)
pix = factory.generate_thumbnail(f.get_uri(), mime)
assert pix is not None, "no thumbnail"
assert (pix.get_width(), pix.get_height()) == (128, 75), (pix.get_width(), pix.get_height())
print("thumbnailer: 128x75 thumbnail")
'

web_check='
import sys, gi
gi.require_version("Gtk", "4.0")
gi.require_version("WebKit", "6.0")
from gi.repository import Gtk, WebKit, GLib
result = {}
def evaluated(view, res, loop):
    try:
        result["value"] = view.evaluate_javascript_finish(res).to_string()
    except GLib.Error as e:
        result["error"] = e.message
    loop.quit()
def changed(view, event, loop):
    if event == WebKit.LoadEvent.FINISHED:
        view.evaluate_javascript("document.title + \":\" + (6 * 7)", -1, None, None, None,
                                 evaluated, loop)
def terminated(view, reason, loop):
    result["error"] = "the web process died: %s" % reason
    loop.quit()
Gtk.init()
loop = GLib.MainLoop()
view = WebKit.WebView()
view.connect("load-changed", changed, loop)
view.connect("web-process-terminated", terminated, loop)
window = Gtk.Window()
window.set_child(view)
window.present()
view.load_html("<title>sandboxed</title><p>hello", "about:blank")
GLib.timeout_add_seconds(60, lambda: (result.setdefault("error", "timed out"), loop.quit()))
loop.run()
assert result.get("value") == "sandboxed:42", result
print("webkit: the page ran its script in the web process")
'

# flatpak: a runtime and an app made here from host binaries (as flatpak's
# own tests make theirs), installed for the user into a fresh installation
# per tool with FLATPAK_BWRAP naming the tool's "bwrap" (so the install's
# triggers, the runtime's ldconfig and every run go through it), then:
# the app's facts (ids, the tree with modes, mounts with options, caps,
# seccomp, environment, passwd/group, network), compared line by line
# between bwrap and sbx; and `flatpak build` writing into /app.
# Flatpak checks parental controls on the system bus: a private dbus-daemon
# stands in for it (no service: the check is skipped, as on a desktop
# without malcontent). A second one is the session bus, which flatpak
# filters through xdg-dbus-proxy, itself run in bwrap: the app calls the
# bus through it.
flatpak_facts='#!/bin/sh
echo "id: $(id)"
echo "pid: $$"
for d in / /run /run/host /run/flatpak /etc /dev /tmp /var /app /usr; do
	stat -c "%A %U %G %s %N" "$d" "$d"/* "$d"/.[!.]* 2>/dev/null
done
grep -E "^(Cap|NoNewPrivs|Seccomp)" /proc/self/status
cut -d" " -f5,6 /proc/self/mountinfo | sort
env | grep -v -e "^_=" | sort
cat /etc/passwd /etc/group /run/host/container-manager
grep -v -e instance-id /.flatpak-info
ls -la /run/.userns | cut -c1-10
cut -d: -f1 /proc/net/dev
dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
	org.freedesktop.DBus.ListNames >/dev/null && echo "D-Bus through the proxy: ok"
'
passed=0 failed=0 skipped=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { # not_ok WHAT [DETAIL]: the verdict, then DETAIL's lines indented
	echo "not ok - $1"
	[ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/#   /'
	failed=$((failed + 1))
}

flatpak_make() { # flatpak_make DIR: runtime, app and repository in DIR
	local d=$1 b p l
	mkdir -p "$d/runtime/usr/bin" "$d/runtime/usr/lib64" "$d/runtime/usr/lib/x86_64-linux-gnu" \
		"$d/runtime/usr/etc" "$d/home" || return 1
	printf '[Runtime]\nname=org.sbx.Platform\nruntime=org.sbx.Platform/x86_64/test\nsdk=org.sbx.Platform/x86_64/test\n' \
		>"$d/runtime/metadata"
	for b in sh cat ls id env grep cut sort sed head mkdir touch stat ldconfig dbus-send; do
		p=$(PATH=/usr/bin:/usr/sbin:/bin:/sbin type -P "$b") || return 1
		cp -L "$p" "$d/runtime/usr/bin/$b" || return 1
		for l in $(ldd "$p" 2>/dev/null | grep -o '/[^ ]*'); do
			case $l in */ld-linux*) cp -L "$l" "$d/runtime/usr/lib64/" || return 1 ;; esac
			cp -L "$l" "$d/runtime/usr/lib/x86_64-linux-gnu/" || return 1
		done
	done
	echo /usr/lib/x86_64-linux-gnu >"$d/runtime/usr/etc/ld.so.conf"
	chmod -R a+rX "$d"
	chown -R 65534:65534 "$d" 2>/dev/null
}
flatpak_as_user() { # flatpak_as_user DIR TOOL COMMAND...
	local d=$1 tool=$2
	shift 2
	(cd "$d" && "${as_user[@]}" env -i PATH=/usr/bin:/bin HOME="$d/home" LC_ALL=C.UTF-8 \
		FLATPAK_USER_DIR="$d/home/flatpak" XDG_DATA_HOME="$d/home/data" \
		DBUS_SYSTEM_BUS_ADDRESS="unix:path=$d/bus" DBUS_SESSION_BUS_ADDRESS="unix:path=$d/session-bus" \
		FLATPAK_BWRAP="$top/bin/$tool/bwrap" "$@")
}
flatpak_setup() { # flatpak_setup DIR TOOL: build, export and install
	local d=$1 tool=$2
	flatpak_as_user "$d" "$tool" sh -ec '
		dbus-daemon --session --address="unix:path=$PWD/bus" --fork --print-pid >bus.pid
		dbus-daemon --session --address="unix:path=$PWD/session-bus" --fork --print-pid >session-bus.pid
		flatpak build-export --runtime --files=usr repo runtime test
		flatpak --user remote-add --no-gpg-verify sbxtest repo
		flatpak --user install -y --noninteractive sbxtest org.sbx.Platform//test
		flatpak build-init app org.sbx.Hello org.sbx.Platform org.sbx.Platform test
		mkdir -p app/files/bin
		cp facts app/files/bin/facts
		flatpak build-finish app --command=facts
		flatpak build-export repo app test
		flatpak --user install -y --noninteractive sbxtest org.sbx.Hello//test'
}
flatpak_check() {
	local tool d out rc
	# The same directory for both tools (paths show in what the app sees).
	d=$top/flatpak
	for tool in bwrap sbx; do
		rm -rf "$d"
		mkdir -p "$d" && flatpak_make "$d" || { not_ok "flatpak: can't make the runtime"; return; }
		printf '%s' "$flatpak_facts" >"$d/facts" && chmod 755 "$d/facts"
		rm -f "$top/calls.$tool"
		out=$(flatpak_setup "$d" "$tool" 2>&1)
		rc=$?
		if ((rc != 0)); then
			not_ok "flatpak install with $tool: exit $rc" "$(tail -n 15 <<<"$out")"
			continue
		fi
		if ! grep -q -- '-- /usr/share/flatpak/triggers/' "$top/calls.$tool" 2>/dev/null; then
			not_ok "flatpak install with $tool: its triggers never ran in bwrap"
		else
			ok "flatpak install with $tool (triggers: $(grep -c triggers/ "$top/calls.$tool") bwrap runs)"
		fi
		rm -f "$top/calls.$tool"
		flatpak_as_user "$d" "$tool" flatpak run org.sbx.Hello >"$d/facts.out" 2>"$d/facts.err"
		rc=$?
		# What differs from run to run: commits, the instance (its id, a
		# number of varying length, is in .flatpak-info), the wrapper.
		sed -i -e 's/[0-9a-f]\{64\}/COMMIT/g' -e 's|/\.flatpak/[0-9]*|/.flatpak/ID|g' \
			-e "s| [0-9]* '//.flatpak-info'\$| SIZE '//.flatpak-info'|" \
			-e "s|$top/bin/$tool/bwrap|BWRAP|" "$d/facts.out"
		cp "$d/facts.out" "$top/facts.$tool"
		if ((rc != 0)) || ! grep -q -- '--args' "$top/calls.$tool" ||
			! grep -q -- 'xdg-dbus-proxy' "$top/calls.$tool" ||
			! grep -q 'D-Bus through the proxy: ok' "$d/facts.out"; then
			not_ok "flatpak run with $tool: exit $rc$(grep -q -- --args "$top/calls.$tool" ||
				echo ", bwrap not run with --args")" "$(tail -n 15 "$d/facts.err")"
			continue
		fi
		ok "flatpak run with $tool ($(grep -c . "$top/calls.$tool") bwrap runs, xdg-dbus-proxy's included; $(grep -c . "$d/facts.out") lines of facts, a D-Bus call through the proxy)"
		out=$(flatpak_as_user "$d" "$tool" flatpak build "$d/app" sh -c 'touch /app/built && ls /app' 2>&1)
		rc=$?
		if ((rc == 0)) && [ -e "$d/app/files/built" ]; then
			ok "flatpak build with $tool: /app is the build directory"
		else
			not_ok "flatpak build with $tool: exit $rc" "$out"
		fi
		kill "$(cat "$d/bus.pid" 2>/dev/null)" "$(cat "$d/session-bus.pid" 2>/dev/null)" 2>/dev/null
	done
	if [ -s "$top/facts.bwrap" ] && [ -s "$top/facts.sbx" ]; then
		# Kept on purpose (man DIFFERENCES): --proc covers the files
		# Docker masks (keys, key-users, kcore, timer_list, ...) with
		# empty read-only files, and a whole /sys bind hides firmware.
		grep -Ev '^/proc/(keys|key-users|kcore|timer_list|timer_stats|sched_debug|latency_stats) ro,nosuid,nodev,noexec|^/sys/(firmware|devices/virtual/powercap) ' \
			"$top/facts.sbx" >"$top/facts.sbx.cmp"
		if out=$(diff "$top/facts.bwrap" "$top/facts.sbx.cmp"); then
			ok "flatpak: the app sees the same under sbx as under bwrap ($(grep -c . "$top/facts.sbx") lines)"
		else
			not_ok "flatpak: the app sees a different sandbox under sbx (< bwrap, > sbx):" \
				"$(head -n 40 <<<"$out")"
		fi
	fi
}

# check TOOL NAME CALL-PATTERN SCRIPT ARGS...: run the script as the user with
# the tool's wrapper first in PATH (and, with BIND_OVER=1, bound over
# /usr/bin/bwrap in a mount namespace of its own), under ${WRAP[@]} if set.
check() {
	local tool=$1 name=$2 pattern=$3 script=$4 out rc
	shift 4
	local cmd=("${as_user[@]}" env -i PATH="$top/bin/$tool:/usr/bin:/bin" HOME="$top"
		LC_ALL=C.UTF-8 XDG_RUNTIME_DIR="$top" "${WRAP[@]}" "$PY" -c "$script" "$@")
	[ "${BIND_OVER:-}" = 1 ] && cmd=(unshare -m --propagation private /bin/sh -c \
		'mount --bind "$0" /usr/bin/bwrap && exec "$@"' "$top/bin/$tool/bwrap" "${cmd[@]}")
	rm -f "$top/calls.$tool" "$top"/out-*.png
	out=$(cd "$top" && "${cmd[@]}" 2>&1)
	rc=$?
	out=$(grep -v -e 'WARNING \*\*' -e '^$' <<<"$out")
	if ((rc != 0)); then
		not_ok "$name with $tool: exit $rc" "$(tail -n 15 <<<"$out")"
	elif ! grep -q -- "$pattern" "$top/calls.$tool" 2>/dev/null; then
		not_ok "$name with $tool: it never ran bwrap with $pattern"
	else
		ok "$name with $tool ($(grep -c . "$top/calls.$tool") bwrap runs): $out"
	fi
}

WRAP=()
for tool in bwrap sbx; do
	check "$tool" mat2 "--cap-drop all" "$mat2_check" "$top/in.png" "$top/out-$tool.png"
	check "$tool" thumbnailer "--seccomp" "$thumb_check" "$top/in.png"
	if [ "$(id -u)" = 0 ]; then
		WRAP=(xvfb-run -a)
		BIND_OVER=1 check "$tool" webkit "--args" "$web_check"
		WRAP=()
	else
		echo "skip - webkit with $tool: binding over /usr/bin/bwrap needs root"
		skipped=$((skipped + 1))
	fi
done
flatpak_check
if ((skipped)); then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
((failed == 0))
