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
trap 'rm -rf "$top"' EXIT
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

passed=0 failed=0 skipped=0
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
		echo "not ok - $name with $tool: exit $rc"
		printf '%s\n' "$out" | tail -n 15 | sed 's/^/#   /'
		failed=$((failed + 1))
	elif ! grep -q -- "$pattern" "$top/calls.$tool" 2>/dev/null; then
		echo "not ok - $name with $tool: it never ran bwrap with $pattern"
		failed=$((failed + 1))
	else
		echo "ok - $name with $tool ($(grep -c . "$top/calls.$tool") bwrap runs): $out"
		passed=$((passed + 1))
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
if ((skipped)); then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
((failed == 0))
