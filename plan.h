/* plan: what the sandbox will be. Built once by cli_parse() from argv and any
 * --args streams, validated there, and read-only for every later step. */
#ifndef SBX_PLAN_H
#define SBX_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Filesystem setup ops, applied in command-line order. */
enum sbx_op_kind {
	SBX_OP_BIND,       /* --bind, --dev-bind, --ro-bind (+ -try) */
	SBX_OP_REMOUNT_RO, /* --remount-ro */
	SBX_OP_PROC,       /* --proc */
	SBX_OP_DEV,        /* --dev */
	SBX_OP_TMPFS,      /* --tmpfs (with --perms, --size) */
	SBX_OP_MQUEUE,     /* --mqueue */
	SBX_OP_DIR,        /* --dir (with --perms) */
	SBX_OP_SYMLINK,    /* --symlink */
	SBX_OP_CHMOD,      /* --chmod */
	SBX_OP_BIND_FD,    /* --bind-fd, --ro-bind-fd */
	SBX_OP_FILE,       /* --file (with --perms) */
	SBX_OP_BIND_DATA,  /* --bind-data, --ro-bind-data (with --perms) */
	SBX_OP_OVERLAY,    /* --overlay, --tmp-overlay, --ro-overlay */
};

/* What an overlay's upper layer is. */
enum sbx_overlay_kind {
	SBX_OVERLAY_RW,  /* --overlay RWSRC WORKDIR DEST: host dirs */
	SBX_OVERLAY_TMP, /* --tmp-overlay: an invisible tmpfs */
	SBX_OVERLAY_RO,  /* --ro-overlay: no upper layer */
};

/* A blob read from an fd at parse time (--file data, a seccomp program). */
struct sbx_blob {
	const char *data;
	size_t len;
};

/* Flags of a bind op. */
enum {
	SBX_BIND_RO = 1 << 0,  /* read-only, recursively */
	SBX_BIND_DEV = 1 << 1, /* devices allowed (no nodev) */
	SBX_BIND_TRY = 1 << 2, /* skip silently when the source is missing */
};

struct sbx_op {
	enum sbx_op_kind kind;
	const char *src;               /* bind source (absolute), symlink target */
	const char *dest;              /* path inside the sandbox */
	unsigned flags;                /* SBX_BIND_* */
	mode_t perms;                  /* dir/tmpfs/file mode, chmod mode */
	uint64_t size;                 /* tmpfs size in bytes, 0 = kernel default */
	int fd;                        /* --bind-fd: the caller's fd */
	struct sbx_blob data;          /* --file, --bind-data: the content */
	enum sbx_overlay_kind overlay; /* --*overlay */
	const char *const *layers;     /* --overlay-src paths, bottom first */
	size_t n_layers;
	const char *upper, *work; /* --overlay's host dirs */
};

/* Environment edits, applied in command-line order to sbx's environment. */
enum sbx_env_kind {
	SBX_ENV_SET,
	SBX_ENV_UNSET,
	SBX_ENV_CLEAR
};

struct sbx_env_op {
	enum sbx_env_kind kind;
	const char *name;
	const char *value;
};

/* Capability edits (--cap-add / --cap-drop), in order. cap < 0 means ALL. */
struct sbx_cap_op {
	bool add;
	int cap;
};

/* One line of an id map: COUNT ids from INSIDE onto OUTSIDE (--uid-map,
 * --gid-map; newuidmap's triplet). */
struct sbx_idmap {
	uint32_t inside, outside, count;
};
#define SBX_MAX_IDMAP 32 /* lines a map may have here (the kernel takes 340) */

struct sbx_plan {
	/* Namespaces. userns is decided at parse time: implied for non-root. */
	bool unshare_user, unshare_ipc, unshare_pid, unshare_net, unshare_uts, unshare_cgroup;
	bool real_root; /* the caller's real uid is 0 */
	uid_t real_uid;
	gid_t real_gid;
	uid_t sandbox_uid; /* id inside the user namespace */
	gid_t sandbox_gid;
	bool ids_given; /* --uid or --gid was given */
	/* --uid-map, --gid-map: 0 lines is bwrap's one id (sandbox_uid onto
	 * real_uid); else these lines, written by newuidmap/newgidmap unless
	 * the caller is root. */
	struct sbx_idmap uid_map[SBX_MAX_IDMAP], gid_map[SBX_MAX_IDMAP];
	size_t n_uid_map, n_gid_map;
	/* --auto-map: ids 0..auto_map_size-1 inside, the sandbox's id onto the
	 * caller's and the rest onto a slice of its subordinate ids claimed at
	 * start; 0 = off. The registry of slices is under runtime_dir (the
	 * caller's $XDG_RUNTIME_DIR, or /run for root). */
	uint32_t auto_map_size;
#define SBX_AUTO_MAP_SIZE 65536 /* --auto-map's, as Podman's --userns=auto */
	const char *runtime_dir;
	const char *hostname;

	/* Filesystem. */
	struct sbx_op *ops;
	size_t n_ops;

	/* Process. */
	const char *chdir_path;
	const char *old_cwd; /* the caller's cwd, NULL if unknown */
	struct sbx_env_op *env_ops;
	size_t n_env_ops;
	const char *argv0;
	bool new_session, die_with_parent, as_pid_1, close_fds;
	struct sbx_cap_op *cap_ops;
	size_t n_cap_ops;

	/* Security. */
	struct sbx_blob *seccomp; /* --seccomp / --add-seccomp-fd programs, in order */
	size_t n_seccomp;
	bool seccomp_log;      /* SECCOMP_FILTER_FLAG_LOG */
	size_t seccomp_listen; /* 1 + the index of the program whose user notifications
				  the monitor answers (nested mounts), or 0 */
	const char *exec_label, *file_label;
	bool force_openat_fallback; /* --debug-opt=force-openat-fallback */

	/* Plumbing: -1 when not given. */
	int info_fd, json_status_fd, sync_fd, block_fd, userns_block_fd;
	int userns_fd, userns2_fd, pidns_fd;
	bool disable_userns, assert_userns_disabled;
	const char **lock_files;
	size_t n_lock_files;

	/* Fds that options name and that must survive --close-fds. */
	int *keep_fds;
	size_t n_keep_fds;

	/* Storage the plan's strings point into (freed by cli_plan_free). */
	char **owned;
	size_t n_owned;

	/* The command. */
	char *const *argv; /* NULL-terminated, argv[0] is the file to exec */
	size_t argc;
};

#endif
