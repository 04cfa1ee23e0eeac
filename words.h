/* words: the one table of diagnostics whose wording depends on the name sbx
 * runs under. Installed as bwrap, sbx prints bubblewrap 0.12.0's exact words
 * (its die(), die_with_error() and warn() calls: callers and their tests
 * match them); as sbx, its own. Every module that prints one of these
 * conditions takes the format from here, and nowhere else decides by name.
 *
 * Each entry is SBX_WORDS(sbx's words, bwrap's words): both are literals
 * with the same arguments (a "%.0s" takes one bwrap does not print), so the
 * compiler checks both formats against every call. */
#ifndef SBX_WORDS_H
#define SBX_WORDS_H

#include "util.h"

#define SBX_WORDS(sbx, bwrap) (sbx_as_bwrap() ? (bwrap) : (sbx))

/* ---- setup of the new root (rootfs.c): one argument, the destination ---- */

/* A mount (bind, --proc, --dev, --tmpfs, --mqueue, overlays, --remount-ro,
 * --bind-data) whose destination's last component is a symlink. */
#define W_MOUNT_ON_SYMLINK                                                             \
	SBX_WORDS("can't mount on %s: it is a symlink, and a mount never follows one", \
		  "Can't mount on symlink destination %s")
/* A directory is wanted there (a directory bound, a filesystem, --dir). */
#define W_DEST_NOT_DIR                                                             \
	SBX_WORDS("can't use %s as a directory: it exists and is not a directory", \
		  "Destination is not a directory %s")
/* A file is wanted there (a file bound, --bind-data). */
#define W_DEST_NOT_FILE                                                    \
	SBX_WORDS("can't bind a file on %s: it exists and is a directory", \
		  "Destination is not a file %s")
/* A mount point that can't be opened or created (errno follows). */
#define W_MOUNT_POINT SBX_WORDS("can't create mount point %s", "Can't create file %s")
/* --file's destination can't be created or opened (errno follows). */
#define W_CREATE_FILE SBX_WORDS("can't create file %s", "Can't create file %s")
/* --symlink onto something that is not a symlink. */
#define W_SYMLINK_NOT_SYMLINK                                                 \
	SBX_WORDS("can't make symlink at %s: it exists and is not a symlink", \
		  "Can't make symlink at %s: destination exists and is not a symlink")
/* --symlink onto a symlink to elsewhere; second argument: its target. */
#define W_SYMLINK_CONFLICT                                                \
	SBX_WORDS("can't make symlink at %s: it exists and points to %s", \
		  "Can't make symlink at %s: existing destination is %s")
/* --chmod (errno follows): the mode, then the path. */
#define W_CHMOD SBX_WORDS("can't set mode %04o on %s", "Can't chmod %#o %s")

/* ---- the command line (cli.c) ---- */

/* A single-value option given again (a warning): its name. */
#define W_ONLY_LAST \
	SBX_WORDS("only the last %s takes effect", "Only the last %s option will take effect")
#define W_PERMS_TWICE                                      \
	SBX_WORDS("--perms given twice for the same file", \
		  "--perms given twice for the same action")
#define W_SIZE_TWICE \
	SBX_WORDS("--size given twice for the same tmpfs", "--size given twice for the same action")
/* An --overlay-src (or --overlay's upper or work dir) that can't be
 * found (errno follows): the option, the path. */
#define W_OVERLAY_SOURCE_MISSING SBX_WORDS("%s: can't find %s", "%.0sCan't find source path %s")
/* --overlay-src followed by another option: its name. */
#define W_OVERLAY_SRC_FOLLOWED                                                         \
	SBX_WORDS("--overlay-src must be followed by another --overlay-src or by "     \
		  "--overlay, --tmp-overlay or --ro-overlay, not %s",                  \
		  "--overlay-src must be followed by another --overlay-src or one of " \
		  "--overlay, --tmp-overlay, or --ro-overlay%.0s")
/* --overlay-src at the end of the options. */
#define W_OVERLAY_SRC_TRAILING                                                         \
	SBX_WORDS("--overlay-src must be followed by --overlay, --tmp-overlay or "     \
		  "--ro-overlay",                                                      \
		  "--overlay-src must be followed by another --overlay-src or one of " \
		  "--overlay, --tmp-overlay, or --ro-overlay")
/* --exec-label / --file-label without SELinux: the option. */
#define W_NO_LABELS                                            \
	SBX_WORDS("%s: SELinux is not enabled on this system", \
		  "%.0slabeling not supported on this system")

#endif
