/* context.c: the run context: object reads, attributes, REPOGUARD_* env. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "repoguard/attr.h"
#include "repoguard/buf.h"
#include "repoguard/cfgenv.h"
#include "repoguard/common.h"
#include "repoguard/context.h"
#include "repoguard/run.h"
#include "repoguard/glob.h"
#include "repoguard/parallel.h"
#include "repoguard/worktree.h"

typedef struct {
	git_oid id;           /* blob id of a .gitattributes */
	rg_attr_file *file;
} attr_slot;

typedef struct rg_attr_cache {
	attr_slot *v;
	size_t n, alloc;
	/* outside the tree, loaded once: $GIT_DIR/info/attributes, core.attributesFile, /etc/gitattributes */
	rg_attr_file *info, *global, *system;
	int outer_loaded;
	int casefold;         /* core.ignorecase */
	/*
	 * Deltas arrive sorted, so consecutive paths share their directories:
	 * the levels of the last directory are reused instead of looking each
	 * .gitattributes up again (4 index look-ups per added file otherwise).
	 */
	unsigned long serial; /* change set the levels belong to */
	rg_buf dir;
	rg_attr_level *levels;
	size_t nlevels, levels_alloc;
} rg_attr_cache;

/*
 * The clock: REPOGUARD_NOW (seconds since the epoch, as README documents it)
 * or the real one. Anything else in it is a usage error rather than a silent
 * fall-back to the real clock, which would make a "reproducible" run depend
 * on when it ran.
 */
static int ctx_now(int64_t *out)
{
	const char *s = getenv("REPOGUARD_NOW");
	const char *d;
	char *end;
	long long v;

	if (!s || !*s) {
		*out = (int64_t)time(NULL);
		return RG_OK;
	}
	d = s + (*s == '-' || *s == '+');
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*d < '0' || *d > '9' || *end || errno) {
		rg_error_set("REPOGUARD_NOW='%s' is not a time: give seconds since the epoch "
			"(e.g. REPOGUARD_NOW=$(date +%%s)), or unset it for the real clock", s);
		return RG_EUSAGE;
	}
	*out = (int64_t)v;
	return RG_OK;
}

/* REPOGUARD_THREADS: a count, or unset; anything else is a usage error, as for REPOGUARD_NOW. */
static int ctx_threads_check(void)
{
	const char *s = getenv("REPOGUARD_THREADS");
	char *end;
	long v;

	if (!s || !*s)
		return RG_OK;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v < 1) {
		rg_error_set("REPOGUARD_THREADS='%s' is not a number of threads: give 1 or more "
			"(at most %d are used), or unset it for one per CPU", s, RG_PARALLEL_MAX);
		return RG_EUSAGE;
	}
	return RG_OK;
}

static char **ctx_skip_list(void)
{
	const char *s = getenv("REPOGUARD_SKIP");
	char **v = NULL;
	size_t n = 0, alloc = 0;

	while (s && *s) {
		const char *e = s + strcspn(s, ", ");

		if (e > s) {
			RG_GROW(v, alloc, n + 2);
			v[n++] = rg_strndup(s, (size_t)(e - s));
		}
		s = *e ? e + 1 : e;
	}
	if (v)
		v[n] = NULL;
	return v;
}

static char *ctx_branch(git_repository *repo)
{
	git_reference *head = NULL;
	char *name = NULL;
	int r = git_reference_lookup(&head, repo, "HEAD");

	if (r == 0 && git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
		const char *t = git_reference_symbolic_target(head);

		if (rg_str_startswith(t, "refs/heads/"))
			name = rg_strdup(t + strlen("refs/heads/"));
	}
	git_reference_free(head);
	return name;
}

int rg_ctx_init(rg_ctx *ctx, git_repository *repo, rg_conf *conf, int mode, const char *mode_name)
{
	int r;

	memset(ctx, 0, sizeof(*ctx));
	ctx->repo = repo;
	ctx->conf = conf;
	ctx->mode = mode;
	ctx->mode_name = mode_name;
	ctx->skip = ctx_skip_list();
	ctx->attrs = rg_calloc(1, sizeof(*ctx->attrs));
	pthread_mutex_init(&ctx->odb_lock, NULL);
	ctx->partial = -1;
	ctx->trace_reads = rg_env_flag("REPOGUARD_TRACE_READS");
	if ((r = ctx_now(&ctx->now)) < 0 || (r = ctx_threads_check()) < 0)
		return r;
	if (repo) {
		if (git_repository_odb(&ctx->odb, repo) < 0)
			return rg_error_from_git("cannot open the object database");
		ctx->branch = ctx_branch(repo);
	}
	return RG_OK;
}

void rg_ctx_free(rg_ctx *ctx)
{
	size_t i;

	if (ctx->attrs) {
		for (i = 0; i < ctx->attrs->n; i++)
			rg_attr_file_free(ctx->attrs->v[i].file);
		free(ctx->attrs->v);
		rg_attr_file_free(ctx->attrs->info);
		rg_attr_file_free(ctx->attrs->global);
		rg_attr_file_free(ctx->attrs->system);
		rg_buf_dispose(&ctx->attrs->dir);
		free(ctx->attrs->levels);
		free(ctx->attrs);
	}
	for (i = 0; i < ctx->nupdates; i++) {
		free(ctx->updates[i].ref);
		free(ctx->updates[i].local_ref);
	}
	free(ctx->updates);
	free(ctx->remote_name);
	free(ctx->remote_url);
	rg_strv_free(ctx->skip);
	free(ctx->branch);
	rg_worktree_free(ctx);
	git_odb_free(ctx->odb);
	for (i = 0; i < RG_PARALLEL_MAX; i++)
		git_repository_free(ctx->thread_repos[i]);
	pthread_mutex_destroy(&ctx->odb_lock);
	memset(ctx, 0, sizeof(*ctx));
}

/* a worker's own repository (rg_ctx_thread_bind), which no other thread reads through */
static __thread git_repository *ctx_own_repo;
static __thread git_odb *ctx_own_odb;

/*
 * libgit2 objects serve one thread at a time (docs/threading.md), but two
 * repositories of the same directory may be read on two threads at once:
 * opened as the first was (rg_repo_open: the environment's object
 * directory and alternates, so a pre-receive's quarantine too).
 */
size_t rg_ctx_thread_repos(rg_ctx *ctx, size_t n)
{
	size_t i;

	if (!ctx->reopen)
		return 1;
	if (n > RG_PARALLEL_MAX)
		n = RG_PARALLEL_MAX;
	for (i = 1; i < n; i++) {
		if (ctx->thread_repos[i])
			continue;
		if (rg_repo_open(&ctx->thread_repos[i]) < 0) {
			rg_error_clear(); /* the lock serves the others */
			return i;
		}
	}
	return n;
}

void rg_ctx_thread_bind(rg_ctx *ctx, size_t worker)
{
	git_odb_free(ctx_own_odb);
	ctx_own_odb = NULL;
	ctx_own_repo = worker > 0 && worker < RG_PARALLEL_MAX ? ctx->thread_repos[worker] : NULL;
	if (ctx_own_repo && git_repository_odb(&ctx_own_odb, ctx_own_repo) < 0) {
		git_error_clear();
		ctx_own_repo = NULL;
	}
}

int64_t rg_ctx_blob_size(rg_ctx *ctx, const git_oid *id)
{
	size_t len;
	git_object_t type;
	int r;

	if (ctx_own_odb)
		return git_odb_read_header(&len, &type, ctx_own_odb, id) < 0 ? RG_SIZE_MISSING : (int64_t)len;
	pthread_mutex_lock(&ctx->odb_lock);
	r = git_odb_read_header(&len, &type, ctx->odb, id);
	pthread_mutex_unlock(&ctx->odb_lock);
	return r < 0 ? RG_SIZE_MISSING : (int64_t)len;
}

int64_t rg_ctx_delta_size(rg_ctx *ctx, rg_delta *d, int new_side)
{
	int64_t *slot = new_side ? &d->new_size : &d->old_size;
	uint32_t mode = new_side ? d->new_mode : d->old_mode;

	if (*slot == RG_SIZE_UNKNOWN) {
		if (!rg_mode_is_blob(mode))
			*slot = 0;
		else if (!new_side || (*slot = rg_worktree_size(ctx, d)) < 0)
			*slot = rg_ctx_blob_size(ctx, new_side ? &d->new_id : &d->old_id);
	}
	return *slot;
}

/*
 * Stat the files on several threads: the size check's lstat of every staged
 * file took 30 ms of the 72 ms of a 10,000-file pre-commit without content
 * rules, one after the other. Fewer files are not worth the threads.
 */
#define CTX_PREFETCH_MIN 256

typedef struct {
	rg_ctx *ctx;
	rg_delta **v;
} ctx_prefetch;

static void ctx_prefetch_one(void *arg, size_t worker, size_t i)
{
	ctx_prefetch *p = arg;
	int64_t sz = rg_worktree_size(p->ctx, p->v[i]);

	RG_UNUSED(worker);
	if (sz >= 0)
		p->v[i]->new_size = sz;
}

void rg_ctx_prefetch_sizes(rg_ctx *ctx, const rg_changeset *cs)
{
	ctx_prefetch p = { ctx, NULL };
	size_t i, n = 0;

	for (i = 0; i < cs->n; i++)
		n += cs->v[i].wt_entry && cs->v[i].new_size == RG_SIZE_UNKNOWN;
	if (n < CTX_PREFETCH_MIN)
		return; /* asked one at a time, as they are needed */
	p.v = rg_malloc(n * sizeof(*p.v));
	for (i = n = 0; i < cs->n; i++)
		if (cs->v[i].wt_entry && cs->v[i].new_size == RG_SIZE_UNKNOWN)
			p.v[n++] = &cs->v[i];
	rg_parallel_run(rg_parallel_threads(n), n, ctx_prefetch_one, &p);
	free(p.v);
}

int rg_ctx_blob(git_blob **out, rg_ctx *ctx, const git_oid *id)
{
	int r = RG_OK;

	if (ctx_own_repo)
		return git_blob_lookup(out, ctx_own_repo, id) < 0 ? rg_error_from_git("cannot read blob") : RG_OK;
	pthread_mutex_lock(&ctx->odb_lock);
	if (git_blob_lookup(out, ctx->repo, id) < 0)
		r = rg_error_from_git("cannot read blob");
	pthread_mutex_unlock(&ctx->odb_lock);
	return r;
}

void rg_blobdata_free(rg_blobdata *b)
{
	if (b->blob && b->lock) {
		/* the blob is a reference into libgit2's object cache, which rg_ctx_blob reads under the lock */
		pthread_mutex_lock(b->lock);
		git_blob_free(b->blob);
		pthread_mutex_unlock(b->lock);
	} else if (b->blob) {
		git_blob_free(b->blob); /* a worker's own repository's: freed on that worker */
	}
	free(b->buf);
	memset(b, 0, sizeof(*b));
}

/* remote.<name>.promisor = true: stop with 1 */
static int ctx_promisor_cb(const git_config_entry *e, void *payload)
{
	size_t n = strlen(e->name), suffix = strlen(".promisor");
	int on = 0;

	RG_UNUSED(payload);
	if (n > strlen("remote.") + suffix && !strncasecmp(e->name, "remote.", 7) &&
	    !strcasecmp(e->name + n - suffix, ".promisor") && git_config_parse_bool(&on, e->value) == 0 && on)
		return 1;
	return 0;
}

int rg_ctx_is_partial(rg_ctx *ctx)
{
	git_config *cfg = NULL;
	git_buf v = { NULL, 0, 0 };
	int partial = 0;

	if (!ctx->repo)
		return 0;
	pthread_mutex_lock(&ctx->odb_lock);
	if (ctx->partial < 0) {
		if (git_repository_config_snapshot(&cfg, ctx->repo) == 0) {
			if (git_config_get_string_buf(&v, cfg, "extensions.partialclone") == 0 && v.size)
				partial = 1;
			else
				partial = git_config_foreach(cfg, ctx_promisor_cb, NULL) == 1;
		}
		git_buf_dispose(&v);
		git_config_free(cfg);
		ctx->partial = partial;
	}
	partial = ctx->partial;
	pthread_mutex_unlock(&ctx->odb_lock);
	return partial;
}

/*
 * A missing object: the audit, which reports damage, notes it and goes on.
 * A check that gates commits fails closed: in a damaged repository, and in
 * a partial clone too for what a change adds (a CI checkout made with
 * --filter=blob:none has the blobs of the head's tree only), where a size
 * or secret it cannot read would otherwise pass unseen; git fetches the
 * missing blobs on demand.
 */
static int ctx_missing(rg_ctx *ctx, const rg_delta *d, int new_side)
{
	char hex[GIT_OID_HEXSZ + 1];

	/* an old side the partial clone lacks: every line counts as added, any size as grown (fail safe) */
	if (ctx->mode == RG_MODE_AUDIT || (!new_side && rg_ctx_is_partial(ctx)))
		return RG_READ_MISSING;
	git_oid_tostr(hex, sizeof(hex), new_side ? &d->new_id : &d->old_id);
	if (rg_ctx_is_partial(ctx))
		rg_error_set("object %s (%s) is missing: this is a partial clone, which fetches blobs on demand, "
			"and what is not here cannot be checked; fetch the blobs of the commits checked first, e.g.\n"
			"  git rev-list --objects --missing=print BASE..HEAD | sed -n 's/^?//p' | "
			"git cat-file --batch-check >/dev/null\n"
			"or clone without --filter (actions/checkout: no filter input)", hex,
			new_side ? d->new_path : d->old_path);
	else
		rg_error_set("object %s (%s) is missing, and this is not a partial clone: the repository is damaged; "
			"run 'git fsck' and restore the object from another clone", hex,
			new_side ? d->new_path : d->old_path);
	return RG_ERROR;
}

int rg_ctx_delta_size_checked(int64_t *out, rg_ctx *ctx, rg_delta *d, int new_side)
{
	*out = rg_ctx_delta_size(ctx, d, new_side);
	return *out == RG_SIZE_MISSING ? ctx_missing(ctx, d, new_side) : RG_OK;
}

int rg_ctx_delta_read(rg_blobdata *out, rg_ctx *ctx, rg_delta *d, int new_side, uint64_t max)
{
	return rg_ctx_delta_read_batched(out, ctx, NULL, d, new_side, max);
}

void rg_ctx_read_ahead(rg_wtbatch **batch, int *tried, rg_ctx *ctx, rg_delta *const *d, size_t n, uint64_t max)
{
	if (n < 2) {
		/* one file: reading it alone costs no more; what the batch held is other files' */
		rg_wtbatch_fill(*batch, ctx, d, 0, max);
		return;
	}
	if (!*tried) {
		*batch = rg_wtbatch_new();
		*tried = 1;
		if (!*batch && ctx->trace_reads)
			fprintf(stderr, "trace: no batched reads (io_uring unavailable or REPOGUARD_IO_URING=0)\n");
	}
	rg_wtbatch_fill(*batch, ctx, d, n, max);
}

void rg_ctx_read_ahead_free(rg_wtbatch *batch)
{
	rg_wtbatch_free(batch);
}

/* d's new side from its working tree file: 0, RG_READ_TOO_BIG, or -1 (read the blob). */
static int ctx_worktree_read(rg_blobdata *out, rg_ctx *ctx, rg_wtbatch *batch, rg_delta *d, uint64_t max)
{
	int r;

	if (rg_wtbatch_take(out, &r, batch, d)) {
		if (ctx->trace_reads && r >= 0)
			fprintf(stderr, "trace: %s: working tree, read in a batch\n", d->new_path);
		return r;
	}
	r = rg_worktree_read(out, ctx, d, max);
	if (ctx->trace_reads && r >= 0)
		fprintf(stderr, "trace: %s: working tree\n", d->new_path);
	return r;
}

int rg_ctx_delta_read_batched(rg_blobdata *out, rg_ctx *ctx, rg_wtbatch *batch, rg_delta *d, int new_side,
	uint64_t max)
{
	int64_t size;
	int r;

	memset(out, 0, sizeof(*out));
	if (new_side && (r = ctx_worktree_read(out, ctx, batch, d, max)) >= 0) {
		/*
		 * The file vouched for the blob (rg_worktree_read): its length
		 * is the blob's size, which the size check then need not stat
		 * for: it runs after the content rules (after_reads). Its lstat
		 * of each of 10,000 staged files was 9 % of a pre-commit of
		 * bench/content.sh, which reads them all anyway.
		 */
		if (r == RG_OK && d->new_size == RG_SIZE_UNKNOWN)
			d->new_size = (int64_t)out->len;
		return r;
	}
	if (ctx->trace_reads)
		fprintf(stderr, "trace: %s: object database\n", new_side ? d->new_path : d->old_path);
	size = rg_ctx_delta_size(ctx, d, new_side);
	if (size == RG_SIZE_MISSING)
		return ctx_missing(ctx, d, new_side);
	if (size > 0 && (uint64_t)size > max)
		return RG_READ_TOO_BIG;
	if ((r = rg_ctx_blob(&out->blob, ctx, new_side ? &d->new_id : &d->old_id)) < 0)
		return r;
	out->lock = ctx_own_repo ? NULL : &ctx->odb_lock;
	out->data = git_blob_rawcontent(out->blob);
	out->len = (size_t)git_blob_rawsize(out->blob);
	return RG_OK;
}

int rg_ctx_view_blob(git_blob **out, rg_ctx *ctx, const rg_changeset *cs, const char *path)
{
	git_oid id;
	uint32_t mode;
	int r = rg_view_lookup(&id, &mode, &cs->view, path);

	if (r < 0)
		return r;
	if (!rg_mode_is_blob(mode))
		return RG_ENOTFOUND;
	return rg_ctx_blob(out, ctx, &id);
}

static rg_attr_file *attr_parse(const rg_attr_cache *c, const char *text, size_t len, const char *origin)
{
	rg_attr_file *f = rg_attr_parse(text, len, origin);

	if (c->casefold)
		rg_attr_casefold(f);
	return f;
}

static rg_attr_file *attr_load_blob(rg_ctx *ctx, const git_oid *id, const char *origin)
{
	rg_attr_cache *c = ctx->attrs;
	git_blob *blob = NULL;
	rg_attr_file *f;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (git_oid_equal(&c->v[i].id, id))
			return c->v[i].file;
	if (rg_ctx_blob(&blob, ctx, id) < 0)
		return NULL;
	f = attr_parse(c, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), origin);
	git_blob_free(blob);
	RG_GROW(c->v, c->alloc, c->n + 1);
	git_oid_cpy(&c->v[c->n].id, id);
	c->v[c->n++].file = f;
	return f;
}

/* core.attributesFile, or git's default $XDG_CONFIG_HOME/git/attributes. */
static char *attr_global_path(git_config *cfg)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *p = NULL;

	if (cfg && rg_git_config_path(&p, cfg, "core.attributesfile") == 0)
		return p;
	if (xdg && *xdg)
		return rg_printf("%s/git/attributes", xdg);
	if (home && *home)
		return rg_printf("%s/.config/git/attributes", home);
	return NULL;
}

/* The files git reads besides the tree's, and core.ignorecase for every pattern. */
static void attr_load_outer(rg_ctx *ctx)
{
	rg_attr_cache *c = ctx->attrs;
	const char *nosys;
	git_config *cfg = NULL;
	char *path;

	if (c->outer_loaded || !ctx->repo)
		return;
	c->outer_loaded = 1;
	nosys = getenv("GIT_ATTR_NOSYSTEM");
	if (git_repository_config_snapshot(&cfg, ctx->repo) < 0)
		git_error_clear();
	if (cfg && rg_git_config_bool(&c->casefold, cfg, "core.ignorecase", 0) < 0)
		c->casefold = 0;
	path = rg_printf("%sinfo/attributes", git_repository_commondir(ctx->repo));
	c->info = rg_attr_read(path, "info/attributes", c->casefold);
	free(path);
	path = attr_global_path(cfg);
	c->global = rg_attr_read(path, "core.attributesFile", c->casefold);
	free(path);
	if (!nosys || !*nosys || !strcasecmp(nosys, "false") || !strcmp(nosys, "0"))
		c->system = rg_attr_read("/etc/gitattributes", "/etc/gitattributes", c->casefold);
	git_config_free(cfg);
}

static void attr_add_level(rg_ctx *ctx, const rg_changeset *cs, const char *path, size_t len)
{
	rg_attr_cache *c = ctx->attrs;
	rg_buf file = RG_BUF_INIT;
	rg_attr_level *l;
	git_oid id;
	uint32_t mode;

	rg_buf_put(&file, path, len);
	rg_buf_puts(&file, ".gitattributes");
	RG_GROW(c->levels, c->levels_alloc, c->nlevels + 1);
	l = &c->levels[c->nlevels++];
	l->len = len;
	l->file = NULL;
	if (rg_view_lookup(&id, &mode, &cs->view, file.ptr) == 0 && rg_mode_is_blob(mode))
		l->file = attr_load_blob(ctx, &id, file.ptr);
	rg_buf_dispose(&file);
}

/* Bring the level cache to path's directory, reusing the shared prefix. */
static void attr_levels(rg_ctx *ctx, const rg_changeset *cs, const char *path)
{
	rg_attr_cache *c = ctx->attrs;
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0, keep = 0, at;

	if (c->serial == cs->serial)
		while (keep < c->nlevels && c->levels[keep].len <= dirlen &&
		       !memcmp(c->dir.ptr, path, c->levels[keep].len))
			keep++;
	c->serial = cs->serial;
	c->nlevels = keep;
	if (!c->nlevels)
		attr_add_level(ctx, cs, path, 0);
	at = c->levels[c->nlevels - 1].len;
	while (at < dirlen) {
		slash = memchr(path + at, '/', dirlen - at);
		at = (size_t)(slash - path) + 1;
		attr_add_level(ctx, cs, path, at);
	}
	rg_buf_truncate(&c->dir, 0);
	rg_buf_put(&c->dir, path, dirlen);
}

void rg_ctx_attr_stack(rg_attr_stack *out, rg_ctx *ctx, const rg_changeset *cs, const char *path)
{
	rg_attr_cache *c = ctx->attrs;

	attr_load_outer(ctx);
	memset(out, 0, sizeof(*out));
	out->system = c->system;
	out->global = c->global;
	out->info = c->info;
	if (cs) {
		attr_levels(ctx, cs, path);
		out->tree = c->levels;
		out->ntree = c->nlevels;
	}
}

const char *rg_ctx_attr(rg_ctx *ctx, const rg_changeset *cs, const char *path, const char *name)
{
	static char value[256];
	rg_attr_stack s;

	rg_ctx_attr_stack(&s, ctx, cs, path);
	return rg_attr_get(&s, path, name, value, sizeof(value));
}

int rg_ctx_attr_any(rg_ctx *ctx, const rg_changeset *cs, const char *path)
{
	rg_attr_stack s;

	rg_ctx_attr_stack(&s, ctx, cs, path);
	return rg_attr_stack_any(&s);
}

int rg_ctx_skipped(const rg_ctx *ctx, const char *rule_id)
{
	char **p;

	for (p = ctx->skip; p && *p; p++)
		if (!strcmp(*p, rule_id) || !strcmp(*p, "all"))
			return 1;
	return 0;
}

rg_update *rg_ctx_add_update(rg_ctx *ctx, const char *ref, const char *local_ref,
	const git_oid *old_id, const git_oid *new_id)
{
	rg_update *u;
	size_t alloc = ctx->nupdates;

	/* exact-size growth: update lists are short */
	ctx->updates = rg_realloc(ctx->updates, (alloc + 1) * sizeof(*ctx->updates));
	u = &ctx->updates[ctx->nupdates++];
	memset(u, 0, sizeof(*u));
	u->ref = ref ? rg_strdup(ref) : NULL;
	u->local_ref = local_ref ? rg_strdup(local_ref) : NULL;
	if (old_id)
		git_oid_cpy(&u->old_id, old_id);
	if (new_id)
		git_oid_cpy(&u->new_id, new_id);
	return u;
}

const rg_update *rg_ctx_push_updates(const rg_ctx *ctx, size_t *n)
{
	if (ctx->push_updates) {
		*n = ctx->npush_updates;
		return ctx->push_updates;
	}
	*n = ctx->nupdates;
	return ctx->updates;
}
