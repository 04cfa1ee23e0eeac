/* cli: table-driven parser for bwrap's command line.
 *
 * MUST: nothing here creates a namespace, mounts or execs; every input error
 *       is returned in err (one line, no program prefix) for the top level.
 * MUST: every number is read by one of util.h's strict parsers.
 * MUST: the modifiers --perms and --size apply only to the option that
 *       directly follows them, as in bwrap; anything else is an error.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include "caps.h"
#include "filter.h"
#include "userns.h"
#include "words.h"

/* The bwrap release whose command line sbx implements. */
#define SBX_BWRAP_VERSION "0.12.0"

/* Upper bounds that keep a hostile caller from making sbx hold gigabytes:
 * what is read from fds is held in memory until setup (man sbx, LIMITS). */
#define ARGS_MAX_DEPTH 32
#define ARGS_MAX_BYTES ((size_t)256 << 20) /* all --args streams together */
#define DATA_MAX_BYTES ((size_t)256 << 20) /* one --file/--bind-data fd */
/* BPF_MAXINSNS instructions of 8 bytes, plus one to see "too long". */
#define SECCOMP_MAX_BYTES ((size_t)4096 * 8 + 8)
/* Everything read from fds (and --seccomp-profile files) in one run. */
#define READ_MAX_BYTES ((size_t)512 << 20)

/* Data read from one fd (struct parse's fd_data). */
struct fd_data {
	int fd;
	struct sbx_blob blob;
};

struct parse {
	struct sbx_plan *plan;
	const struct sbx_cli_env *env;
	size_t cap_ops, cap_env, cap_caps, cap_keep;
	/* Pending modifiers for the next op. */
	bool have_perms, have_size;
	mode_t next_perms;
	uint64_t next_size;
	bool userns_try, cgroup_try, share_net;
	bool uid_set, gid_set;
	size_t args_bytes; /* read from --args streams */
	size_t read_bytes; /* read from any fd or file: at most READ_MAX_BYTES */
	enum sbx_cli_result result;
	size_t depth; /* of --args nesting */
	/* Pending --overlay-src layers for the next overlay op. */
	const char **layers;
	size_t n_layers;
	/* Data read from fds, by fd: bwrap reads an fd once, so a second
	 * --file of the same fd would get nothing; sbx gives it the same data. */
	struct fd_data *fd_data;
	size_t n_fd_data;
	bool seccomp_single, seccomp_add, seccomp_profile;
	size_t seccomp_single_at; /* where the --seccomp program is in the plan */
	size_t cap_seccomp, cap_locks;
	const char *seccomp_last; /* the fd of the last --seccomp, read in finish() */
	bool bad_blob;            /* a --seccomp/--add-seccomp-fd program is not one */
	struct sbx_err bad_blob_err;
	/* How often each ONCE option was given (index in options[]). */
	unsigned char seen[128];
};

struct option;
typedef int (*opt_fn)(struct parse *p, const struct option *o, char **a, struct sbx_err *err);

enum group {
	G_GENERAL,
	G_NS,
	G_FS,
	G_PROC,
	G_SEC,
	G_STATUS,
	G_COUNT
};

/* What an option consumes or is, for the modifier rules. */
enum {
	TAKES_PERMS = 1 << 0,
	TAKES_SIZE = 1 << 1,
	TAKES_LAYERS = 1 << 2,
	MODIFIER = 1 << 3,
	/* A single value: given again, the last one wins, with bwrap 0.12's
	 * warning (its warn_only_last_option() calls name these). */
	ONCE = 1 << 4,
};

struct option {
	const char *name;
	int nargs;
	opt_fn fn;
	unsigned flags; /* per-option data: bind flags, op kind, ... */
	unsigned takes; /* TAKES_*, MODIFIER */
	enum group group;
	const char *metavar;
	const char *help;
};

static const char *const group_names[G_COUNT] = {
	[G_GENERAL] = "General",
	[G_NS] = "Namespaces",
	[G_FS] = "Filesystem (applied in command-line order)",
	[G_PROC] = "Process",
	[G_SEC] = "Security",
	[G_STATUS] = "Status and synchronisation",
};

/* ---- growing arrays -------------------------------------------------- */

static void *grow(void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 16;
	return xreallocarray(arr, *cap, size);
}

/* The plan owns what parsing allocates (the --args buffers its strings point
 * into, absolute paths); cli_plan_free() releases it. */
static char *own(struct parse *p, char *s)
{
	struct sbx_plan *plan = p->plan;

	plan->owned = xreallocarray(plan->owned, plan->n_owned + 1, sizeof(*plan->owned));
	plan->owned[plan->n_owned++] = s;
	return s;
}

static struct sbx_op *new_op(struct parse *p, enum sbx_op_kind kind, const char *dest)
{
	struct sbx_plan *plan = p->plan;
	struct sbx_op *op;

	plan->ops = grow(plan->ops, plan->n_ops, &p->cap_ops, sizeof(*plan->ops));
	op = &plan->ops[plan->n_ops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->dest = dest;
	return op;
}

static void add_env(struct parse *p, enum sbx_env_kind kind, const char *name, const char *value)
{
	struct sbx_plan *plan = p->plan;

	plan->env_ops = grow(plan->env_ops, plan->n_env_ops, &p->cap_env, sizeof(*plan->env_ops));
	plan->env_ops[plan->n_env_ops++] = (struct sbx_env_op){ kind, name, value };
}

/* ---- modifiers -------------------------------------------------------- */

static bool take_perms(struct parse *p, mode_t dflt, mode_t *out)
{
	bool had = p->have_perms;

	*out = had ? p->next_perms : dflt;
	p->have_perms = false;
	return had;
}

static int opt_perms(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	(void)o;
	if (p->have_perms)
		return sbx_fail(err, W_PERMS_TWICE);
	if (parse_octal_mode(a[0], &p->next_perms) < 0)
		return sbx_fail(err, "--perms takes an octal mode (0 to 07777), not '%s'", a[0]);
	p->have_perms = true;
	return 0;
}

static int opt_size(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	(void)o;
	if (p->have_size)
		return sbx_fail(err, W_SIZE_TWICE);
	if (parse_size(a[0], &p->next_size) < 0)
		return sbx_fail(err, "--size takes a positive number of bytes, not '%s'", a[0]);
	p->have_size = true;
	return 0;
}

/* ---- filesystem ------------------------------------------------------- */

/* Bind sources are resolved against the caller's cwd and checked now, so a
 * missing source is reported before any namespace exists. */
static int opt_bind(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	struct sbx_op *op;
	const char *src = a[0];
	struct stat st;

	if (src[0] != '/') {
		if (p->env->cwd == NULL)
			return sbx_fail(
				err, "can't resolve relative source %s: current directory unknown",
				src);
		src = own(p, xasprintf("%s/%s", p->env->cwd, src));
	}
	if (stat(src, &st) < 0) {
		if (o->flags & SBX_BIND_TRY)
			return 0;
		return sbx_fail_errno(err, "Can't find source path %s", a[0]); /* bwrap's words */
	}
	op = new_op(p, SBX_OP_BIND, a[1]);
	op->src = src;
	op->flags = o->flags;
	return 0;
}

static int opt_dest_op(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	struct sbx_op *op = new_op(p, (enum sbx_op_kind)o->flags, a[0]);

	(void)err;
	if (o->takes & TAKES_PERMS)
		take_perms(p, 0755, &op->perms);
	if ((o->takes & TAKES_SIZE) && p->have_size) {
		op->size = p->next_size;
		p->have_size = false;
	}
	return 0;
}

static int opt_symlink(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	(void)o;
	(void)err;
	new_op(p, SBX_OP_SYMLINK, a[1])->src = a[0];
	return 0;
}

static int opt_chmod(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	mode_t mode;

	(void)o;
	if (parse_octal_mode(a[0], &mode) < 0)
		return sbx_fail(err, "--chmod takes an octal mode (0 to 07777), not '%s'", a[0]);
	new_op(p, SBX_OP_CHMOD, a[1])->perms = mode;
	return 0;
}

/* ---- namespaces ------------------------------------------------------- */

enum {
	NS_USER = 1 << 0,
	NS_USER_TRY = 1 << 1,
	NS_IPC = 1 << 2,
	NS_PID = 1 << 3,
	NS_NET = 1 << 4,
	NS_UTS = 1 << 5,
	NS_CGROUP = 1 << 6,
	NS_CGROUP_TRY = 1 << 7,
	NS_SHARE_NET = 1 << 8,
	NS_ALL = NS_USER_TRY | NS_IPC | NS_PID | NS_NET | NS_UTS | NS_CGROUP_TRY,
};

static int opt_unshare(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	struct sbx_plan *plan = p->plan;
	unsigned f = o->flags;

	(void)a;
	(void)err;
	if (f & NS_USER)
		plan->unshare_user = true;
	if (f & NS_USER_TRY)
		p->userns_try = true;
	if (f & NS_IPC)
		plan->unshare_ipc = true;
	if (f & NS_PID)
		plan->unshare_pid = true;
	if (f & NS_NET) {
		plan->unshare_net = true;
		p->share_net = false;
	}
	if (f & NS_UTS)
		plan->unshare_uts = true;
	if (f & NS_CGROUP)
		plan->unshare_cgroup = true;
	if (f & NS_CGROUP_TRY)
		p->cgroup_try = true;
	if (f & NS_SHARE_NET) {
		plan->unshare_net = false;
		p->share_net = true;
	}
	return 0;
}

static int opt_uid(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	uint32_t id;

	if (parse_id(a[0], &id) < 0)
		return sbx_fail(err, "invalid %s: '%s'", o->flags ? "gid" : "uid", a[0]);
	if (o->flags) {
		p->plan->sandbox_gid = id;
		p->gid_set = true;
	} else {
		p->plan->sandbox_uid = id;
		p->uid_set = true;
	}
	p->plan->ids_given = true;
	return 0;
}

/* --uid-map / --gid-map INSIDE OUTSIDE COUNT: one line of the map. */
static int opt_idmap(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	struct sbx_idmap *m = o->flags ? p->plan->gid_map : p->plan->uid_map;
	size_t *n = o->flags ? &p->plan->n_gid_map : &p->plan->n_uid_map;
	uint32_t in, out, count;
	uint64_t c;

	/* COUNT may be 2^32-1: every id there is. */
	if (parse_id(a[0], &in) < 0 || parse_id(a[1], &out) < 0 || parse_size(a[2], &c) < 0 ||
	    c > UINT32_MAX)
		return sbx_fail(err, "%s: invalid map line '%s %s %s' (INSIDE OUTSIDE COUNT)",
				o->name, a[0], a[1], a[2]);
	count = (uint32_t)c;
	/* The last id of each side is at most 2^32-2: (uid_t)-1 is no id. */
	if (count - 1 > UINT32_MAX - 1 - in || count - 1 > UINT32_MAX - 1 - out)
		return sbx_fail(err, "%s %s %s %s: the range goes past the last id (4294967294)",
				o->name, a[0], a[1], a[2]);
	if (*n == SBX_MAX_IDMAP)
		return sbx_fail(err, "%s: at most %d lines", o->name, SBX_MAX_IDMAP);
	m[(*n)++] = (struct sbx_idmap){ in, out, count };
	return 0;
}

/* --auto-map, --auto-map-size COUNT: ids 0..COUNT-1 inside (65536 unless
 * given), the rest of the range a slice claimed at start. */
static int opt_auto_map(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	uint64_t c = SBX_AUTO_MAP_SIZE;

	if (o->flags && (parse_size(a[0], &c) < 0 || c < 2 || c > UINT32_MAX))
		return sbx_fail(err, "invalid --auto-map-size: '%s' (2 to 4294967295 ids)", a[0]);
	p->plan->auto_map_size = (uint32_t)c;
	return 0;
}

/* --auto-map with what else was given: the ids inside must lie in the
 * range; a PID namespace of its own, so that no process keeps the slice's
 * ids once the sandbox has ended and the slice is free again. */
static int check_auto_map(struct parse *p, struct sbx_err *err)
{
	struct sbx_plan *plan = p->plan;

	if (plan->auto_map_size == 0)
		return 0;
	if (!p->uid_set)
		plan->sandbox_uid = 0;
	if (!p->gid_set)
		plan->sandbox_gid = 0;
	if (plan->n_uid_map || plan->n_gid_map)
		return sbx_fail(err, "--auto-map is not compatible with --%s-map",
				plan->n_uid_map ? "uid" : "gid");
	if (plan->userns_fd >= 0 || plan->userns_block_fd >= 0)
		return sbx_fail(err, "--auto-map is not compatible with --%s",
				plan->userns_fd >= 0 ? "userns" : "userns-block-fd");
	if (!plan->unshare_user)
		return sbx_fail(err, "--auto-map requires --unshare-user");
	if (plan->sandbox_uid >= plan->auto_map_size || plan->sandbox_gid >= plan->auto_map_size)
		return sbx_fail(err, "--%s %u is outside the --auto-map range 0-%u",
				plan->sandbox_uid >= plan->auto_map_size ? "uid" : "gid",
				plan->sandbox_uid >= plan->auto_map_size
					? (unsigned)plan->sandbox_uid
					: (unsigned)plan->sandbox_gid,
				plan->auto_map_size - 1);
	if (plan->real_root)
		plan->runtime_dir = "/run";
	else if (!p->env->runtime_dir || p->env->runtime_dir[0] != '/')
		return sbx_fail(err, "--auto-map needs $XDG_RUNTIME_DIR, an absolute path (the "
				     "registry of slices in use lives there)");
	else
		plan->runtime_dir = p->env->runtime_dir;
	plan->unshare_pid = true;
	return 0;
}

/* With a map, the ids inside: the ones given (they must be mapped), else
 * what the caller's own id is mapped to, else the first line's first id. */
static int map_ids(struct parse *p, struct sbx_err *err)
{
	struct sbx_plan *plan = p->plan;
	const struct {
		const struct sbx_idmap *m;
		size_t n;
		bool given;
		uint32_t real;
		uint32_t *inside;
		const char *what;
	} maps[2] = {
		{ plan->uid_map, plan->n_uid_map, p->uid_set, (uint32_t)plan->real_uid,
		  (uint32_t *)&plan->sandbox_uid, "uid" },
		{ plan->gid_map, plan->n_gid_map, p->gid_set, (uint32_t)plan->real_gid,
		  (uint32_t *)&plan->sandbox_gid, "gid" },
	};

	for (int k = 0; k < 2; k++) {
		size_t bad;
		int64_t in;

		if (maps[k].n == 0)
			continue;
		if ((bad = userns_map_overlap(maps[k].m, maps[k].n)) != 0)
			return sbx_fail(err,
					"--%s-map: line %zu overlaps an earlier one inside or "
					"outside (the kernel refuses such a map)",
					maps[k].what, bad + 1);
		if (maps[k].given) {
			if (!userns_map_has_inside(maps[k].m, maps[k].n, *maps[k].inside))
				return sbx_fail(err, "--%s %u is not mapped by --%s-map",
						maps[k].what, *maps[k].inside, maps[k].what);
			continue;
		}
		in = userns_map_inside(maps[k].m, maps[k].n, maps[k].real);
		*maps[k].inside = in >= 0 ? (uint32_t)in : maps[k].m[0].inside;
	}
	return 0;
}

static int opt_hostname(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	(void)o;
	/* HOST_NAME_MAX is what sethostname(2) accepts. */
	if (strlen(a[0]) > 64)
		return sbx_fail(err, "--hostname: '%s' is longer than 64 bytes", a[0]);
	p->plan->hostname = a[0];
	return 0;
}

/* ---- process ---------------------------------------------------------- */

static int opt_string(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	(void)err;
	if (o->flags == 0)
		p->plan->chdir_path = a[0];
	else
		p->plan->argv0 = a[0];
	return 0;
}

static int opt_env(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	enum sbx_env_kind kind = (enum sbx_env_kind)o->flags;

	if (kind != SBX_ENV_CLEAR && (a[0][0] == '\0' || strchr(a[0], '=') != NULL))
		return sbx_fail(err, "%s: invalid variable name '%s'", o->name, a[0]);
	add_env(p, kind, kind == SBX_ENV_CLEAR ? NULL : a[0], kind == SBX_ENV_SET ? a[1] : NULL);
	return 0;
}

enum {
	F_NEW_SESSION,
	F_DIE_WITH_PARENT,
	F_AS_PID_1,
	F_CLOSE_FDS
};

static int opt_flag(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	struct sbx_plan *plan = p->plan;

	(void)a;
	(void)err;
	switch (o->flags) {
	case F_NEW_SESSION:
		plan->new_session = true;
		break;
	case F_DIE_WITH_PARENT:
		plan->die_with_parent = true;
		break;
	case F_AS_PID_1:
		plan->as_pid_1 = true;
		break;
	case F_CLOSE_FDS:
		plan->close_fds = true;
		break;
	default:
		break;
	}
	return 0;
}

static int opt_cap(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	struct sbx_plan *plan = p->plan;
	int cap;

	if (strcasecmp(a[0], "ALL") == 0)
		cap = -1;
	else if ((cap = caps_from_name(a[0])) < 0)
		return sbx_fail(err, "%s: unknown capability '%s'", o->name, a[0]);
	plan->cap_ops = grow(plan->cap_ops, plan->n_cap_ops, &p->cap_caps, sizeof(*plan->cap_ops));
	plan->cap_ops[plan->n_cap_ops++] = (struct sbx_cap_op){ o->flags != 0, cap };
	return 0;
}

/* ---- general ---------------------------------------------------------- */

static int opt_help(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	(void)o;
	(void)a;
	(void)err;
	cli_print_help(p->env->out);
	p->result = SBX_CLI_EXIT;
	return 0;
}

static int opt_version(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	(void)o;
	(void)a;
	(void)err;
	/* Installed as bwrap, pass for the bwrap whose options sbx implements:
	 * build tools compare this against bwrap's feature history. */
	if (strcmp(sbx_progname(), "bwrap") == 0)
		fprintf(p->env->out, "bubblewrap %s\n", SBX_BWRAP_VERSION);
	else
		fprintf(p->env->out, "%s %s\n", sbx_progname(), PACKAGE_VERSION);
	p->result = SBX_CLI_EXIT;
	return 0;
}

/* ---- fds ----------------------------------------------------------- */

/* An fd argument, as a number (bwrap's words when it is not one). */
static int fd_arg(const char *s, int *fd, struct sbx_err *err)
{
	return parse_fd(s, fd) < 0 ? sbx_fail(err, "Invalid fd: %s", s) : 0;
}

static int get_fd(const struct option *o, const char *s, int *fd, struct sbx_err *err)
{
	if (fd_arg(s, fd, err) < 0)
		return -1;
	if (fcntl(*fd, F_GETFD) < 0)
		return sbx_fail(err, "%s: fd %d is not open", o->name, *fd);
	return 0;
}

/* --info-fd, --sync-fd, --userns, ...: an fd stored in the plan. */
/* The plan's fd fields that opt_fd fills: an option's flags name one. */
enum plan_fd {
	PFD_USERNS,
	PFD_USERNS2,
	PFD_PIDNS,
	PFD_INFO,
	PFD_JSON_STATUS,
	PFD_SYNC,
	PFD_BLOCK,
	PFD_USERNS_BLOCK,
};

static int *plan_fd(struct sbx_plan *plan, enum plan_fd which)
{
	int *const fields[] = {
		[PFD_USERNS] = &plan->userns_fd,
		[PFD_USERNS2] = &plan->userns2_fd,
		[PFD_PIDNS] = &plan->pidns_fd,
		[PFD_INFO] = &plan->info_fd,
		[PFD_JSON_STATUS] = &plan->json_status_fd,
		[PFD_SYNC] = &plan->sync_fd,
		[PFD_BLOCK] = &plan->block_fd,
		[PFD_USERNS_BLOCK] = &plan->userns_block_fd,
	};

	return fields[which];
}

static int opt_fd(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	int fd;

	if (get_fd(o, a[0], &fd, err) < 0)
		return -1;
	*plan_fd(p->plan, (enum plan_fd)o->flags) = fd;
	return 0;
}

/* What fd held, if an option read it already (and closed it), or NULL. */
static const struct sbx_blob *read_before(const struct parse *p, int fd)
{
	for (size_t i = 0; i < p->n_fd_data; i++)
		if (p->fd_data[i].fd == fd)
			return &p->fd_data[i].blob;
	return NULL;
}

/* "256 MiB", or "32776 bytes" for a size that is not whole MiB. */
static const char *size_words(size_t n, char *buf, size_t size)
{
	if (n % ((size_t)1 << 20) == 0)
		snprintf(buf, size, "%zu MiB", n >> 20);
	else
		snprintf(buf, size, "%zu bytes", n);
	return buf;
}

/* Read fd whole into *buf: more than max bytes is an error (errno EFBIG),
 * and so is more than what is left of READ_MAX_BYTES (E2BIG). what says
 * whose fd it is. */
static int read_within(struct parse *p, const char *what, int fd, size_t max, char **buf,
		       size_t *len, struct sbx_err *err)
{
	size_t room = READ_MAX_BYTES - p->read_bytes;
	char words[32];

	if (read_all_fd(fd, max < room ? max : room, buf, len, err) < 0) {
		if (errno != EFBIG)
			return -1;
		if (max >= room)
			sbx_fail(err, "%s: fd %d: more than %s read from fds in all", what, fd,
				 size_words(READ_MAX_BYTES, words, sizeof(words)));
		else
			sbx_fail(err, "%s: fd %d holds more than %s", what, fd,
				 size_words(max, words, sizeof(words)));
		/* Set last, for a caller who may say it better. */
		errno = max >= room ? E2BIG : EFBIG;
		return -1;
	}
	p->read_bytes += *len;
	return 0;
}

/* The whole content of fd, read once and closed (bwrap closes it too). */
static int fd_blob(struct parse *p, const struct option *o, const char *s, size_t max,
		   struct sbx_blob *out, struct sbx_err *err)
{
	const struct sbx_blob *had;
	char *buf;
	size_t len;
	int fd;

	if (fd_arg(s, &fd, err) < 0)
		return -1;
	if ((had = read_before(p, fd)) != NULL) {
		*out = *had;
		return 0;
	}
	if (fcntl(fd, F_GETFD) < 0)
		return sbx_fail(err, "%s: fd %d is not open", o->name, fd);
	if (read_within(p, o->name, fd, max, &buf, &len, err) < 0)
		return -1;
	close(fd);
	own(p, buf);
	*out = (struct sbx_blob){ buf, len };
	p->fd_data = xreallocarray(p->fd_data, p->n_fd_data + 1, sizeof(*p->fd_data));
	p->fd_data[p->n_fd_data].fd = fd;
	p->fd_data[p->n_fd_data++].blob = *out;
	return 0;
}

/* --file, --bind-data, --ro-bind-data. */
static int opt_data(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	struct sbx_blob blob;
	struct sbx_op *op;
	bool file = o->flags == SBX_OP_FILE;

	if (fd_blob(p, o, a[0], DATA_MAX_BYTES, &blob, err) < 0)
		return -1;
	op = new_op(p, file ? SBX_OP_FILE : SBX_OP_BIND_DATA, a[1]);
	op->data = blob;
	op->flags = strcmp(o->name, "--ro-bind-data") == 0 ? SBX_BIND_RO : 0;
	/* bwrap's defaults: a --file is 0666, bound data 0600. */
	take_perms(p, file ? 0666 : 0600, &op->perms);
	return 0;
}

static int opt_bind_fd(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	struct sbx_op *op;
	struct stat st;
	int fd;

	if (get_fd(o, a[0], &fd, err) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
		return sbx_fail(err, "%s: fd %d is not a directory or a file", o->name, fd);
	op = new_op(p, SBX_OP_BIND_FD, a[1]);
	op->fd = fd;
	op->flags = o->flags;
	return 0;
}

/* The program of a --seccomp or --add-seccomp-fd, read from the fd in s: a
 * classic BPF program, whole struct sock_filter entries, at most
 * BPF_MAXINSNS of them (what the kernel accepts). */
static int read_program(struct parse *p, const struct option *o, const char *s,
			struct sbx_blob *blob, struct sbx_err *err)
{
	if (fd_blob(p, o, s, SECCOMP_MAX_BYTES, blob, err) < 0)
		return -1;
	if (blob->len % 8 != 0)
		return sbx_fail(err, "Invalid seccomp data, must be multiple of 8"); /* bwrap's */
	/* An empty or too long program is reported once every option is
	 * parsed: bwrap finds it only when it loads it, so its errors about
	 * the options themselves come first. */
	if (!filter_blob_valid(blob) && !p->bad_blob)
		p->bad_blob = sbx_fail(&p->bad_blob_err,
				       "%s: fd %s does not hold a BPF program (%zu bytes: need a "
				       "multiple of 8, 8 to 32768)",
				       o->name, s, blob->len) < 0;
	return 0;
}

static int opt_seccomp(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	struct sbx_plan *plan = p->plan;
	struct sbx_blob blob = { NULL, 0 };
	bool add = o->flags != 0;
	int fd;

	/* bwrap's words, checked in bwrap's order. */
	if (add && p->seccomp_single)
		return sbx_fail(err, "--add-seccomp-fd cannot be combined with --seccomp");
	if (!add && p->seccomp_add)
		return sbx_fail(err, "--seccomp cannot be combined with --add-seccomp-fd");
	if (fd_arg(a[0], &fd, err) < 0)
		return -1;
	if (!add) {
		/* The last --seccomp wins, and bwrap reads only its fd, once
		 * every option is parsed (finish()): so does sbx. Its place
		 * among stacked --seccomp-profile filters is the first's. */
		p->seccomp_last = a[0];
		if (p->seccomp_single)
			return 0;
		p->seccomp_single = true;
		p->seccomp_single_at = plan->n_seccomp;
	} else {
		/* bwrap reads the fd and closes it: the same fd again is an
		 * error (unlike a data op's, see fd_blob: no caller means it). */
		if (read_before(p, fd) != NULL)
			return sbx_fail(err, "Can't read seccomp data: %s", strerror(EBADF));
		if (read_program(p, o, a[0], &blob, err) < 0)
			return -1;
		p->seccomp_add = true;
	}
	plan->seccomp =
		grow(plan->seccomp, plan->n_seccomp, &p->cap_seccomp, sizeof(*plan->seccomp));
	plan->seccomp[plan->n_seccomp++] = blob;
	return 0;
}

/* --seccomp-profile NAME|PATH: a built-in profile, or a blob compiled by
 * sbx-compile-profile. "none" loads nothing (and so costs nothing). */
static int opt_seccomp_profile(struct parse *p, const struct option *o, char **a,
			       struct sbx_err *err)
{
	struct sbx_plan *plan = p->plan;
	struct sbx_blob blob;

	p->seccomp_profile = true;
	if (strchr(a[0], '/') != NULL) {
		_cleanup_close_ int fd = open(a[0], O_RDONLY | O_CLOEXEC | O_NOCTTY);
		char *buf;
		size_t len;

		if (fd < 0)
			return sbx_fail_errno(err, "%s: can't open %s", o->name, a[0]);
		if (read_within(p, o->name, fd, SECCOMP_MAX_BYTES, &buf, &len, err) < 0) {
			if (errno == EFBIG)
				return sbx_fail(err, "%s: %s is too long for a BPF program",
						o->name, a[0]);
			return -1;
		}
		blob = (struct sbx_blob){ own(p, buf), len };
		if (!filter_blob_valid(&blob))
			return sbx_fail(err, "%s: %s is not a compiled BPF program (%zu bytes)",
					o->name, a[0], len);
	} else {
		const struct sbx_builtin_profile *bp = filter_builtin(a[0]);

		if (bp == NULL)
			return sbx_fail(err, "%s: unknown profile '%s' (see --seccomp-list)",
					o->name, a[0]);
		if (strcmp(bp->name, "none") == 0)
			return 0;
		blob = (struct sbx_blob){ (const char *)bp->blob, bp->len };
	}
	plan->seccomp =
		grow(plan->seccomp, plan->n_seccomp, &p->cap_seccomp, sizeof(*plan->seccomp));
	plan->seccomp[plan->n_seccomp++] = blob;
	return 0;
}

static int opt_seccomp_list(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	(void)o;
	(void)a;
	(void)err;
	for (size_t i = 0; i < sbx_n_builtin_profiles; i++)
		fprintf(p->env->out, "%-10s %s\n", sbx_builtin_profiles[i].name,
			sbx_builtin_profiles[i].description);
	p->result = SBX_CLI_EXIT;
	return 0;
}

static int opt_seccomp_log(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	(void)o;
	(void)a;
	(void)err;
	p->plan->seccomp_log = true;
	return 0;
}

static int opt_lock_file(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	struct sbx_plan *plan = p->plan;

	(void)o;
	(void)err;
	plan->lock_files = grow(plan->lock_files, plan->n_lock_files, &p->cap_locks,
				sizeof(*plan->lock_files));
	plan->lock_files[plan->n_lock_files++] = a[0];
	return 0;
}

static int opt_level_prefix(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	(void)p;
	(void)o;
	(void)a;
	(void)err;
	sbx_set_level_prefix(true);
	return 0;
}

static int opt_label(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	/* Without SELinux a label cannot be honoured: say so rather than run
	 * the command unlabelled. */
	if (access("/sys/fs/selinux/enforce", F_OK) < 0)
		return sbx_fail(err, W_NO_LABELS, o->name);
	if (o->flags)
		p->plan->file_label = a[0];
	else
		p->plan->exec_label = a[0];
	return 0;
}

/* --not-a-security-boundary (bwrap 0.12): there, a submount that a bind's
 * flags can't be applied to is a warning rather than fatal. sbx has no such
 * failure to forgive: the flags are set on the whole tree in one
 * mount_setattr(AT_RECURSIVE) or not at all, and on the mount(2) fallback
 * the flag a submount refuses is what keeps it read-only, nosuid or nodev,
 * so it stays fatal. Accepted, and changes nothing (man sbx, DIFFERENCES). */
static int opt_not_a_boundary(struct parse *p, const struct option *o, char **a,
			      struct sbx_err *err)
{
	(void)p;
	(void)o;
	(void)a;
	(void)err;
	return 0;
}

/* --debug-opt=VALUE, bwrap 0.12's switches for its tests. The one it has,
 * force-openat-fallback, resolves paths in the new root by sbx's userspace
 * walk instead of openat2(RESOLVE_IN_ROOT), as on Linux < 5.6. */
static int debug_opt(struct parse *p, const char *value, struct sbx_err *err)
{
	if (strcmp(value, "force-openat-fallback") != 0)
		return sbx_fail(err, "Unknown --debug-opt value: %s", value); /* bwrap's */
	p->plan->force_openat_fallback = true;
	return 0;
}

/* ---- overlays -------------------------------------------------------- */

static const char *abs_source(struct parse *p, const struct option *o, const char *src,
			      struct sbx_err *err)
{
	struct stat st;

	if (src[0] != '/') {
		if (p->env->cwd == NULL) {
			sbx_fail(err,
				 "%s: can't resolve relative path %s: current directory "
				 "unknown",
				 o->name, src);
			return NULL;
		}
		src = own(p, xasprintf("%s/%s", p->env->cwd, src));
	}
	if (stat(src, &st) < 0) {
		sbx_fail_errno(err, W_OVERLAY_SOURCE_MISSING, o->name, src);
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		sbx_fail(err, "%s: %s is not a directory", o->name, src);
		return NULL;
	}
	return src;
}

static int opt_overlay_src(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	const char *src = abs_source(p, o, a[0], err);

	if (src == NULL)
		return -1;
	p->layers = xreallocarray(p->layers, p->n_layers + 1, sizeof(*p->layers));
	p->layers[p->n_layers++] = src;
	return 0;
}

static int opt_overlay(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	enum sbx_overlay_kind kind = (enum sbx_overlay_kind)o->flags;
	size_t need = kind == SBX_OVERLAY_RO ? 2 : 1;
	struct sbx_op *op;

	if (p->n_layers < need)
		return sbx_fail(err, "%s requires at least %s --overlay-src", o->name,
				need == 2 ? "two" : "one"); /* bwrap's words */
	op = new_op(p, SBX_OP_OVERLAY, a[kind == SBX_OVERLAY_RW ? 2 : 0]);
	op->overlay = kind;
	if (kind == SBX_OVERLAY_RW) {
		if ((op->upper = abs_source(p, o, a[0], err)) == NULL ||
		    (op->work = abs_source(p, o, a[1], err)) == NULL)
			return -1;
	}
	own(p, (char *)p->layers);
	op->layers = p->layers;
	op->n_layers = p->n_layers;
	p->layers = NULL;
	p->n_layers = 0;
	return 0;
}

enum {
	U_DISABLE,
	U_ASSERT
};

static int opt_userns_flag(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	(void)a;
	(void)err;
	if (o->flags == U_DISABLE)
		p->plan->disable_userns = true;
	else
		p->plan->assert_userns_disabled = true;
	return 0;
}

static int parse_options(struct parse *p, char **argv, size_t argc, bool in_stream, size_t depth,
			 size_t *consumed, struct sbx_err *err);

static int opt_args(struct parse *p, const struct option *o, char **a, struct sbx_err *err)
{
	_cleanup_free_ char **av = NULL;
	size_t len, n = 0, i, used;
	char *buf, *s;
	int fd;

	if (get_fd(o, a[0], &fd, err) < 0)
		return -1;
	if (read_within(p, o->name, fd, ARGS_MAX_BYTES - p->args_bytes, &buf, &len, err) < 0) {
		if (errno == EFBIG)
			return sbx_fail(err, "--args: more than %zu MiB of arguments in all",
					ARGS_MAX_BYTES >> 20);
		return -1;
	}
	close(fd);
	p->args_bytes += len;
	own(p, buf);

	/* NUL-separated; a missing NUL after the last argument is tolerated,
	 * as in bwrap. */
	for (s = buf; s < buf + len; s += strlen(s) + 1)
		n++;
	av = xcalloc(n + 1, sizeof(*av));
	for (s = buf, i = 0; i < n; s += strlen(s) + 1)
		av[i++] = s;
	p->depth++;
	if (parse_options(p, av, n, true, p->depth, &used, err) < 0)
		return -1;
	p->depth--;
	return 0;
}

#define OPT(n, k, fn, fl, g, mv, h)       \
	{                                 \
		n, k, fn, fl, 0, g, mv, h \
	}
#define OPTT(n, k, fn, fl, t, g, mv, h)   \
	{                                 \
		n, k, fn, fl, t, g, mv, h \
	}

static const struct option options[] = {
	OPT("--help", 0, opt_help, 0, G_GENERAL, "", "Print this help and exit"),
	OPT("--version", 0, opt_version, 0, G_GENERAL, "", "Print version and exit"),
	OPT("--args", 1, opt_args, 0, G_GENERAL, "FD", "Parse NUL-separated arguments from FD"),
	OPT("--level-prefix", 0, opt_level_prefix, 0, G_GENERAL, "",
	    "Prefix diagnostics with a syslog level like <3>"),

	OPT("--unshare-all", 0, opt_unshare, NS_ALL, G_NS, "",
	    "Unshare every namespace supported by default"),
	OPT("--share-net", 0, opt_unshare, NS_SHARE_NET, G_NS, "",
	    "Retain the network namespace (after --unshare-all)"),
	OPT("--unshare-user", 0, opt_unshare, NS_USER, G_NS, "", "Create a new user namespace"),
	OPT("--unshare-user-try", 0, opt_unshare, NS_USER_TRY, G_NS, "",
	    "Create a new user namespace if possible"),
	OPT("--unshare-ipc", 0, opt_unshare, NS_IPC, G_NS, "", "Create a new IPC namespace"),
	OPT("--unshare-pid", 0, opt_unshare, NS_PID, G_NS, "", "Create a new PID namespace"),
	OPT("--unshare-net", 0, opt_unshare, NS_NET, G_NS, "",
	    "Create a new network namespace (loopback up)"),
	OPT("--unshare-uts", 0, opt_unshare, NS_UTS, G_NS, "", "Create a new UTS namespace"),
	OPT("--unshare-cgroup", 0, opt_unshare, NS_CGROUP, G_NS, "",
	    "Create a new cgroup namespace"),
	OPT("--unshare-cgroup-try", 0, opt_unshare, NS_CGROUP_TRY, G_NS, "",
	    "Create a new cgroup namespace if possible"),
	OPTT("--userns", 1, opt_fd, PFD_USERNS, ONCE, G_NS, "FD",
	     "Use this user namespace (not with --unshare-user)"),
	OPTT("--userns2", 1, opt_fd, PFD_USERNS2, ONCE, G_NS, "FD",
	     "After setup switch to this user namespace (with --userns)"),
	OPTT("--pidns", 1, opt_fd, PFD_PIDNS, ONCE, G_NS, "FD",
	     "Use this PID namespace (as parent with --unshare-pid)"),
	OPT("--disable-userns", 0, opt_userns_flag, U_DISABLE, G_NS, "",
	    "Forbid new user namespaces inside the sandbox"),
	OPT("--assert-userns-disabled", 0, opt_userns_flag, U_ASSERT, G_NS, "",
	    "Fail unless new user namespaces are already forbidden"),
	OPTT("--uid", 1, opt_uid, 0, ONCE, G_NS, "UID",
	     "Uid inside the sandbox (needs a user namespace)"),
	OPTT("--gid", 1, opt_uid, 1, ONCE, G_NS, "GID",
	     "Gid inside the sandbox (needs a user namespace)"),
	OPT("--uid-map", 3, opt_idmap, 0, G_NS, "IN OUT COUNT",
	    "Map COUNT uids from IN onto OUT (repeatable; newuidmap)"),
	OPT("--gid-map", 3, opt_idmap, 1, G_NS, "IN OUT COUNT",
	    "Map COUNT gids from IN onto OUT (repeatable; newgidmap)"),
	OPTT("--auto-map", 0, opt_auto_map, 0, ONCE, G_NS, "",
	     "Map 65536 ids: you as 0 (or --uid), the rest a free slice of your subuids"),
	OPTT("--auto-map-size", 1, opt_auto_map, 1, ONCE, G_NS, "COUNT",
	     "As --auto-map, with COUNT ids"),
	OPTT("--hostname", 1, opt_hostname, 0, ONCE, G_NS, "NAME",
	     "Hostname inside the sandbox (needs --unshare-uts)"),

	OPT("--bind", 2, opt_bind, 0, G_FS, "SRC DEST", "Bind mount SRC on DEST, recursively"),
	OPT("--bind-try", 2, opt_bind, SBX_BIND_TRY, G_FS, "SRC DEST",
	    "As --bind, but ignore a missing SRC"),
	OPT("--dev-bind", 2, opt_bind, SBX_BIND_DEV, G_FS, "SRC DEST",
	    "As --bind, allowing device access"),
	OPT("--dev-bind-try", 2, opt_bind, SBX_BIND_DEV | SBX_BIND_TRY, G_FS, "SRC DEST",
	    "As --dev-bind, but ignore a missing SRC"),
	OPT("--ro-bind", 2, opt_bind, SBX_BIND_RO, G_FS, "SRC DEST",
	    "Bind mount SRC read-only on DEST, recursively (no later host mounts)"),
	OPT("--ro-bind-try", 2, opt_bind, SBX_BIND_RO | SBX_BIND_TRY, G_FS, "SRC DEST",
	    "As --ro-bind, but ignore a missing SRC"),
	OPT("--bind-fd", 2, opt_bind_fd, 0, G_FS, "FD DEST",
	    "Bind mount the directory or O_PATH fd FD on DEST"),
	OPT("--ro-bind-fd", 2, opt_bind_fd, SBX_BIND_RO, G_FS, "FD DEST",
	    "As --bind-fd, read-only"),
	OPT("--remount-ro", 1, opt_dest_op, SBX_OP_REMOUNT_RO, G_FS, "DEST",
	    "Remount the mount at DEST read-only"),
	OPT("--overlay-src", 1, opt_overlay_src, 0, G_FS, "SRC",
	    "Add a lower layer for the next overlay option"),
	OPTT("--overlay", 3, opt_overlay, SBX_OVERLAY_RW, TAKES_LAYERS, G_FS, "RWSRC WORKDIR DEST",
	     "Mount an overlay with upper dir RWSRC on DEST"),
	OPTT("--tmp-overlay", 1, opt_overlay, SBX_OVERLAY_TMP, TAKES_LAYERS, G_FS, "DEST",
	     "Mount an overlay with an invisible tmpfs upper on DEST"),
	OPTT("--ro-overlay", 1, opt_overlay, SBX_OVERLAY_RO, TAKES_LAYERS, G_FS, "DEST",
	     "Mount a read-only overlay on DEST"),
	OPT("--proc", 1, opt_dest_op, SBX_OP_PROC, G_FS, "DEST",
	    "Mount a new procfs on DEST (/proc/keys and the like hidden)"),
	OPT("--dev", 1, opt_dest_op, SBX_OP_DEV, G_FS, "DEST", "Mount a new minimal /dev on DEST"),
	OPTT("--tmpfs", 1, opt_dest_op, SBX_OP_TMPFS, TAKES_PERMS | TAKES_SIZE, G_FS, "DEST",
	     "Mount a new tmpfs on DEST"),
	OPT("--mqueue", 1, opt_dest_op, SBX_OP_MQUEUE, G_FS, "DEST", "Mount a new mqueue on DEST"),
	OPTT("--dir", 1, opt_dest_op, SBX_OP_DIR, TAKES_PERMS, G_FS, "DEST",
	     "Create directory DEST"),
	OPTT("--file", 2, opt_data, SBX_OP_FILE, TAKES_PERMS, G_FS, "FD DEST",
	     "Copy the data of FD to a new file DEST"),
	OPTT("--bind-data", 2, opt_data, SBX_OP_BIND_DATA, TAKES_PERMS, G_FS, "FD DEST",
	     "Copy the data of FD to a file bind mounted on DEST"),
	OPTT("--ro-bind-data", 2, opt_data, SBX_OP_BIND_DATA, TAKES_PERMS, G_FS, "FD DEST",
	     "As --bind-data, read-only"),
	OPT("--symlink", 2, opt_symlink, 0, G_FS, "SRC DEST",
	    "Create a symlink DEST pointing to SRC"),
	OPT("--chmod", 2, opt_chmod, 0, G_FS, "OCTAL PATH", "Change the mode of PATH"),
	OPTT("--perms", 1, opt_perms, 0, MODIFIER, G_FS, "OCTAL",
	     "Mode of the next --dir, --tmpfs, --file or --*bind-data"),
	OPTT("--size", 1, opt_size, 0, MODIFIER, G_FS, "BYTES", "Size of the next --tmpfs"),
	OPT("--lock-file", 1, opt_lock_file, 0, G_FS, "DEST",
	    "Hold a lock on DEST while the sandbox runs"),

	OPTT("--chdir", 1, opt_string, 0, ONCE, G_PROC, "DIR", "Change directory to DIR"),
	OPT("--setenv", 2, opt_env, SBX_ENV_SET, G_PROC, "VAR VALUE",
	    "Set an environment variable"),
	OPT("--unsetenv", 1, opt_env, SBX_ENV_UNSET, G_PROC, "VAR",
	    "Unset an environment variable"),
	OPT("--clearenv", 0, opt_env, SBX_ENV_CLEAR, G_PROC, "",
	    "Unset every environment variable except PWD"),
	OPT("--argv0", 1, opt_string, 1, G_PROC, "VALUE", "Set argv[0] of the command"),
	OPT("--new-session", 0, opt_flag, F_NEW_SESSION, G_PROC, "",
	    "Create a new terminal session (setsid)"),
	OPT("--die-with-parent", 0, opt_flag, F_DIE_WITH_PARENT, G_PROC, "",
	    "Kill the sandbox when the parent of sbx dies"),
	OPT("--as-pid-1", 0, opt_flag, F_AS_PID_1, G_PROC, "",
	    "Run the command as PID 1 (needs --unshare-pid)"),
	OPT("--cap-add", 1, opt_cap, 1, G_PROC, "CAP", "Keep capability CAP (or ALL)"),
	OPT("--cap-drop", 1, opt_cap, 0, G_PROC, "CAP", "Drop capability CAP (or ALL)"),
	OPT("--close-fds", 0, opt_flag, F_CLOSE_FDS, G_PROC, "",
	    "Close all fds but 0-2 and those options name (sbx extension)"),

	OPTT("--seccomp", 1, opt_seccomp, 0, ONCE, G_SEC, "FD",
	     "Load the seccomp BPF program in FD"),
	OPT("--add-seccomp-fd", 1, opt_seccomp, 1, G_SEC, "FD",
	    "Load the seccomp BPF program in FD (repeatable)"),
	OPT("--seccomp-profile", 1, opt_seccomp_profile, 0, G_SEC, "NAME|PATH",
	    "Load a built-in or compiled seccomp profile (sbx extension)"),
	OPT("--seccomp-list", 0, opt_seccomp_list, 0, G_SEC, "",
	    "List the built-in seccomp profiles and exit (sbx extension)"),
	OPT("--seccomp-log", 0, opt_seccomp_log, 0, G_SEC, "",
	    "Log seccomp denials to the audit log (sbx extension)"),
	OPTT("--exec-label", 1, opt_label, 0, ONCE, G_SEC, "LABEL", "SELinux label of the command"),
	OPTT("--file-label", 1, opt_label, 1, ONCE, G_SEC, "LABEL",
	     "SELinux label of files sbx creates"),
	OPT("--not-a-security-boundary", 0, opt_not_a_boundary, 0, G_SEC, "",
	    "Accepted for bwrap 0.12; sbx forgives no setup failure (see man sbx)"),

	OPTT("--info-fd", 1, opt_fd, PFD_INFO, ONCE, G_STATUS, "FD",
	     "Write the child's pid and namespaces as JSON to FD"),
	OPTT("--json-status-fd", 1, opt_fd, PFD_JSON_STATUS, ONCE, G_STATUS, "FD",
	     "Write JSON status lines (start, exit code) to FD"),
	OPTT("--sync-fd", 1, opt_fd, PFD_SYNC, ONCE, G_STATUS, "FD",
	     "Keep FD open while the sandbox runs"),
	OPTT("--block-fd", 1, opt_fd, PFD_BLOCK, ONCE, G_STATUS, "FD",
	     "Wait for data on FD before running the command"),
	OPTT("--userns-block-fd", 1, opt_fd, PFD_USERNS_BLOCK, ONCE, G_STATUS, "FD",
	     "Wait for data on FD before using the user namespace"),
};

_Static_assert(sizeof(options) / sizeof(options[0]) <= sizeof(((struct parse *)0)->seen),
	       "struct parse's seen[] has a slot for every option");

static const struct option *find_option(const char *name)
{
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (strcmp(options[i].name, name) == 0)
			return &options[i];
	return NULL;
}

void cli_print_help(FILE *out)
{
	fprintf(out, "usage: %s [OPTIONS...] [--] COMMAND [ARGS...]\n", sbx_invoked_as());
	for (int g = 0; g < G_COUNT; g++) {
		fprintf(out, "\n%s:\n", group_names[g]);
		for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
			const struct option *o = &options[i];
			char lhs[64];

			if (o->group != (enum group)g)
				continue;
			snprintf(lhs, sizeof(lhs), "%s%s%s", o->name, *o->metavar ? " " : "",
				 o->metavar);
			fprintf(out, "    %-28s %s\n", lhs, o->help);
		}
	}
}

/* Parse options from argv[0..argc). Stops at the first non-option (the
 * command) or after "--"; *consumed says how many words were options. */
static int parse_options(struct parse *p, char **argv, size_t argc, bool in_stream, size_t depth,
			 size_t *consumed, struct sbx_err *err)
{
	size_t i = 0;

	if (depth > ARGS_MAX_DEPTH)
		return sbx_fail(err, "--args nested more than %d deep", ARGS_MAX_DEPTH);
	while (i < argc && p->result == SBX_CLI_RUN) {
		const char *arg = argv[i];
		const struct option *o;
		bool modifier;

		if (strcmp(arg, "--") == 0) {
			if (in_stream && i + 1 != argc)
				return sbx_fail(err,
						"--args: '--' must be the last word of the stream");
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0') {
			if (in_stream)
				return sbx_fail(
					err,
					"--args: unexpected argument '%s' (the command must "
					"be given on the command line)",
					arg);
			break;
		}
		if (strncmp(arg, "--debug-opt=", 12) == 0) {
			if (debug_opt(p, arg + 12, err) < 0)
				return -1;
			i++;
			continue;
		}
		o = find_option(arg);
		if (o == NULL)
			return sbx_fail(err, "Unknown option %s", arg);
		if ((o->takes & ONCE) && p->seen[o - options]++ && p->env->warn) {
			struct sbx_err w;

			sbx_fail(&w, W_ONLY_LAST, o->name);
			p->env->warn(&w);
		}
		if (argc - i - 1 < (size_t)o->nargs)
			/* bwrap's words: callers and their tests match them. */
			return sbx_fail(err, "%s takes %s", o->name,
					o->nargs == 1   ? "one argument"
					: o->nargs == 2 ? "two arguments"
							: "three arguments");
		modifier = o->takes & MODIFIER;
		if (!modifier && p->have_perms && !(o->takes & TAKES_PERMS))
			return sbx_fail(err,
					"--perms must be followed by an option that creates "
					"a file or directory, not %s",
					o->name);
		if (!modifier && p->have_size && !(o->takes & TAKES_SIZE))
			return sbx_fail(err, "--size must be followed by --tmpfs, not %s", o->name);
		if (p->n_layers && !(o->takes & TAKES_LAYERS) && o->fn != opt_overlay_src)
			return sbx_fail(err, W_OVERLAY_SRC_FOLLOWED, o->name);
		if (o->fn(p, o, argv + i + 1, err) < 0)
			return -1;
		i += 1 + (size_t)o->nargs;
	}
	*consumed = i;
	return 0;
}

static bool ns_available(const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	return access(path, F_OK) == 0;
}

static bool userns_possible(void)
{
	char buf[32];

	if (!ns_available("user"))
		return false;
	if (read_file_at(AT_FDCWD, "/proc/sys/user/max_user_namespaces", buf, sizeof(buf)) > 0 &&
	    atoi(buf) == 0)
		return false;
	return true;
}

static void keep_fd(struct parse *p, int fd)
{
	struct sbx_plan *plan = p->plan;

	plan->keep_fds =
		grow(plan->keep_fds, plan->n_keep_fds, &p->cap_keep, sizeof(*plan->keep_fds));
	plan->keep_fds[plan->n_keep_fds++] = fd;
}

/* An fd an option keeps for later that another option read whole and
 * closed (--file 3 after --block-fd 3): its number would name whatever sbx
 * opens next, its own pipes. */
static int check_fds_open(const struct parse *p, struct sbx_err *err)
{
	static const char *const names[] = {
		[PFD_USERNS] = "--userns",
		[PFD_USERNS2] = "--userns2",
		[PFD_PIDNS] = "--pidns",
		[PFD_INFO] = "--info-fd",
		[PFD_JSON_STATUS] = "--json-status-fd",
		[PFD_SYNC] = "--sync-fd",
		[PFD_BLOCK] = "--block-fd",
		[PFD_USERNS_BLOCK] = "--userns-block-fd",
	};
	const struct sbx_plan *plan = p->plan;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int fd = *plan_fd(p->plan, (enum plan_fd)i);

		if (fd >= 0 && read_before(p, fd))
			return sbx_fail(err, "%s: fd %d is not open", names[i], fd);
	}
	for (size_t i = 0; i < plan->n_ops; i++)
		if (plan->ops[i].kind == SBX_OP_BIND_FD && read_before(p, plan->ops[i].fd))
			return sbx_fail(err, "%s: fd %d is not open",
					plan->ops[i].flags & SBX_BIND_RO ? "--ro-bind-fd"
									 : "--bind-fd",
					plan->ops[i].fd);
	return 0;
}

/* Checks that need the whole command line. */
static int finish(struct parse *p, struct sbx_err *err)
{
	struct sbx_plan *plan = p->plan;

	if (p->seccomp_single && read_program(p, find_option("--seccomp"), p->seccomp_last,
					      &plan->seccomp[p->seccomp_single_at], err) < 0)
		return -1;
	if (p->bad_blob) {
		*err = p->bad_blob_err;
		return -1;
	}
	if (check_fds_open(p, err) < 0)
		return -1;
	/* A modifier left at the end applies to nothing: bwrap ignores it. */
	if (p->n_layers)
		return sbx_fail(err, W_OVERLAY_SRC_TRAILING);
	if (plan->userns_fd >= 0 && plan->unshare_user)
		return sbx_fail(err, "--userns is not compatible with --unshare-user");
	if (plan->userns2_fd >= 0 && plan->userns_fd < 0)
		return sbx_fail(err, "--userns2 requires --userns");
	if (plan->disable_userns && plan->userns_fd >= 0)
		return sbx_fail(err, "--disable-userns is not compatible with --userns");
	/* bwrap: a user namespace is implied unless the caller is root. */
	if (!plan->real_root && plan->userns_fd < 0)
		plan->unshare_user = true;
	else if (p->userns_try && userns_possible())
		plan->unshare_user = true;
	if (p->cgroup_try && ns_available("cgroup"))
		plan->unshare_cgroup = true;
	if (!plan->unshare_user && plan->userns_fd < 0 && (p->uid_set || p->gid_set))
		return sbx_fail(err, "Specifying --%s requires --unshare-user or --userns",
				p->uid_set ? "uid" : "gid");
	if ((plan->n_uid_map || plan->n_gid_map) && plan->userns_fd >= 0)
		return sbx_fail(err, "--%s-map is not compatible with --userns",
				plan->n_uid_map ? "uid" : "gid");
	if ((plan->n_uid_map || plan->n_gid_map) && plan->userns_block_fd >= 0)
		return sbx_fail(err, "--%s-map is not compatible with --userns-block-fd",
				plan->n_uid_map ? "uid" : "gid");
	if ((plan->n_uid_map || plan->n_gid_map) && !plan->unshare_user)
		return sbx_fail(err, "--%s-map requires --unshare-user",
				plan->n_uid_map ? "uid" : "gid");
	if (map_ids(p, err) < 0 || check_auto_map(p, err) < 0)
		return -1;
	if (plan->disable_userns && !plan->unshare_user)
		return sbx_fail(err, "--disable-userns requires --unshare-user");
	if (plan->userns_block_fd >= 0 && (!plan->unshare_user || plan->info_fd < 0))
		return sbx_fail(err, "--userns-block-fd requires --unshare-user and --info-fd");
	if (plan->n_lock_files && plan->as_pid_1)
		return sbx_fail(err, "Specifying --as-pid-1 and --lock-file is not permitted");
	if (plan->sync_fd >= 0)
		keep_fd(p, plan->sync_fd);
	/* Safe by default: the "default" profile unless the caller chose
	 * filters (bwrap's fds replace it, as DESIGN.md §3 says). A command
	 * that keeps CAP_SYS_ADMIN gets "nested", which allows mounting:
	 * the capability is what the caller asked for (Docker's default
	 * profile makes the same exception). */
	if (!p->seccomp_single && !p->seccomp_add && !p->seccomp_profile) {
		bool admin = caps_compute(plan, UINT64_MAX) & (UINT64_C(1) << CAP_SYS_ADMIN);
		const struct sbx_builtin_profile *bp = filter_builtin(admin ? "nested" : "default");

		if (bp != NULL) {
			plan->seccomp = grow(plan->seccomp, plan->n_seccomp, &p->cap_seccomp,
					     sizeof(*plan->seccomp));
			plan->seccomp[plan->n_seccomp++] =
				(struct sbx_blob){ (const char *)bp->blob, bp->len };
		}
	}
	/* The monitor answers the default profile's new mounts (a sandbox
	 * built inside the sandbox) in the user namespace sbx makes for a
	 * caller who is not root; root's nested mounts stay refused. */
	for (size_t i = 0; i < plan->n_seccomp && p->env->uid != 0 && plan->userns_fd < 0; i++)
		if (filter_blob_notifies(&plan->seccomp[i]) &&
		    filter_builtin_blob(&plan->seccomp[i])) {
			plan->seccomp_listen = i + 1;
			break;
		}
	if (plan->hostname != NULL && !plan->unshare_uts)
		return sbx_fail(err, "Specifying --hostname requires --unshare-uts");
	if (plan->as_pid_1 && !plan->unshare_pid)
		return sbx_fail(err, "Specifying --as-pid-1 requires --unshare-pid");
	if (plan->argc == 0)
		return sbx_fail(err, "no command given (try --help)");
	return 0;
}

enum sbx_cli_result cli_parse(int argc, char **argv, const struct sbx_cli_env *env,
			      struct sbx_plan *plan, struct sbx_err *err)
{
	struct parse p = { .plan = plan, .env = env, .result = SBX_CLI_RUN };
	size_t used = 0;
	int rc;

	memset(plan, 0, sizeof(*plan));
	plan->real_uid = env->uid;
	plan->real_gid = env->gid;
	plan->real_root = env->uid == 0;
	plan->sandbox_uid = env->uid;
	plan->sandbox_gid = env->gid;
	plan->old_cwd = env->cwd;
	plan->info_fd = plan->json_status_fd = plan->sync_fd = plan->block_fd = -1;
	plan->userns_block_fd = plan->userns_fd = plan->userns2_fd = plan->pidns_fd = -1;

	rc = argc > 0 ? parse_options(&p, argv + 1, (size_t)argc - 1, false, 0, &used, err) : 0;
	if (p.layers) /* not yet handed to an op */
		own(&p, (char *)p.layers);
	if (rc == 0 && p.result == SBX_CLI_RUN) {
		plan->argv = argv + 1 + used;
		plan->argc = (size_t)argc - 1 - used;
		rc = finish(&p, err); /* may still read an fd (--seccomp) */
	}
	free(p.fd_data);
	if (rc < 0)
		return SBX_CLI_ERROR;
	return p.result;
}

void cli_plan_free(struct sbx_plan *plan)
{
	free(plan->ops);
	free(plan->env_ops);
	free(plan->cap_ops);
	free(plan->keep_fds);
	free(plan->seccomp);
	free(plan->lock_files);
	for (size_t i = 0; i < plan->n_owned; i++)
		free(plan->owned[i]);
	free(plan->owned);
	memset(plan, 0, sizeof(*plan));
}
