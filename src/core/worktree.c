/*
 * worktree.c: reading what the index stages from the working tree instead
 * of inflating its blobs.
 *
 * A pre-commit hook over a large staged change spends most of its time in
 * zlib: 100 MB of new loose objects inflate in 0.39 s, while the files they
 * were staged from read from the page cache in 0.03 s. git itself makes the
 * same trade (diff.c, reuse_worktree_file): when the index entry's stat
 * data matches the file and no checkin conversion applies, the file holds
 * the blob's bytes. repoguard trusts exactly that much and no more: the
 * stat data is checked on the open file (rg_index_stat_matches: times to
 * the nanosecond, inode, owner, size, never a racily clean entry), and a
 * path that a clean filter, ident or working-tree-encoding could change is
 * always read from the object database. git takes a checkin's attributes
 * from the working tree's .gitattributes (then the index's): a filter set
 * only there (an unstaged `git lfs track`) converted the staged blob too, so
 * both are consulted, and either one's conversion counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repoguard/attr.h"
#include "repoguard/buf.h"
#include "repoguard/cfgenv.h"
#include "repoguard/common.h"
#include "repoguard/context.h"
#include "repoguard/index.h"
#include "repoguard/worktree.h"

/* What applies to every path: core.autocrlf, and the attributes files outside the repository. */
typedef struct rg_wt_conf {
	int eol_all;           /* core.autocrlf is true or input */
	int casefold;          /* core.ignorecase */
	const char *workdir;
	int dirfd;             /* the working tree, open: files are opened relative to it */
	rg_attr_level *levels; /* the working tree's .gitattributes, root down to dir */
	size_t nlevels, levels_alloc;
	rg_buf dir;
} rg_wt_conf;

enum { WT_PLAIN = 0, WT_EOL = 1, WT_NEVER = 2 };

static rg_wt_conf *wt_conf(rg_ctx *ctx)
{
	git_config *cfg = NULL;
	rg_wt_conf *w;
	char *v = NULL;

	if (ctx->wt)
		return ctx->wt;
	w = ctx->wt = rg_calloc(1, sizeof(*w));
	w->workdir = git_repository_workdir(ctx->repo);
	/*
	 * Relative to an open directory, a stat or an open walks only the
	 * path inside the working tree: the walk from / was 12 % of a
	 * 10,000-file pre-commit without content rules (bench/content.sh).
	 */
	w->dirfd = w->workdir ? open(w->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (w->dirfd < 0)
		w->workdir = NULL; /* read every blob */
	if (git_repository_config_snapshot(&cfg, ctx->repo) < 0) {
		git_error_clear();
		w->workdir = NULL; /* unreadable configuration: read every blob */
		return w;
	}
	if (rg_git_config_string(&v, cfg, "core.autocrlf") == 0)
		w->eol_all = strcasecmp(v, "false") && strcasecmp(v, "no") && strcasecmp(v, "off") && strcmp(v, "0");
	free(v);
	if (rg_git_config_bool(&w->casefold, cfg, "core.ignorecase", 0) < 0)
		w->casefold = 0;
	git_config_free(cfg);
	return w;
}

static void wt_levels_drop(rg_wt_conf *w, size_t keep)
{
	while (w->nlevels > keep)
		rg_attr_file_free(w->levels[--w->nlevels].file);
}

static void wt_conf_free(rg_wt_conf *w)
{
	if (!w)
		return;
	wt_levels_drop(w, 0);
	if (w->dirfd >= 0)
		close(w->dirfd);
	free(w->levels);
	rg_buf_dispose(&w->dir);
	free(w);
}

static void wt_add_level(rg_wt_conf *w, const char *path, size_t len)
{
	char *file = rg_printf("%s%.*s.gitattributes", w->workdir, (int)len, path);
	rg_attr_level *l;

	RG_GROW(w->levels, w->levels_alloc, w->nlevels + 1);
	l = &w->levels[w->nlevels++];
	l->len = len;
	l->file = rg_attr_read(file, ".gitattributes (working tree)", w->casefold);
	free(file);
}

/* Bring the working tree's level stack to path's directory (deltas come sorted: prefixes are reused). */
static void wt_levels(rg_wt_conf *w, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0, keep = 0, at;

	while (keep < w->nlevels && w->levels[keep].len <= dirlen &&
	       !memcmp(rg_buf_cstr(&w->dir), path, w->levels[keep].len))
		keep++;
	wt_levels_drop(w, keep);
	if (!w->nlevels)
		wt_add_level(w, path, 0);
	at = w->levels[w->nlevels - 1].len;
	while (at < dirlen) {
		slash = memchr(path + at, '/', dirlen - at);
		at = (size_t)(slash - path) + 1;
		wt_add_level(w, path, at);
	}
	rg_buf_truncate(&w->dir, 0);
	rg_buf_put(&w->dir, path, dirlen);
}

/* The working tree's .gitattributes files in place of the index's, with the files outside the tree. */
static void wt_stack(rg_attr_stack *out, rg_ctx *ctx, const char *path)
{
	rg_ctx_attr_stack(out, ctx, NULL, path);
	wt_levels(ctx->wt, path);
	out->tree = ctx->wt->levels;
	out->ntree = ctx->wt->nlevels;
}

/* The attribute as the working tree's .gitattributes files give it. */
static const char *wt_attr_worktree(rg_ctx *ctx, const char *path, const char *name)
{
	static __thread char buf[256];
	rg_attr_stack s;

	wt_stack(&s, ctx, path);
	return rg_attr_get(&s, path, name, buf, sizeof(buf));
}

static int wt_specified(const char *v)
{
	return v && strcmp(v, "unset");
}

/* How a checkin of path may change its bytes, by one set of attributes (at = rg_ctx_attr: the index's, or wt_attr_wt: the working tree's). */
static int wt_conversion_by(rg_ctx *ctx, const rg_changeset *cs, const char *path,
	const char *(*at)(rg_ctx *, const rg_changeset *, const char *, const char *))
{
	if (wt_specified(at(ctx, cs, path, "filter")) || wt_specified(at(ctx, cs, path, "ident")) ||
	    at(ctx, cs, path, "working-tree-encoding"))
		return WT_NEVER;
	if (ctx->wt->eol_all || wt_specified(at(ctx, cs, path, "text")) ||
	    at(ctx, cs, path, "eol") || wt_specified(at(ctx, cs, path, "crlf")))
		return WT_EOL;
	return WT_PLAIN;
}

static const char *wt_attr_wt(rg_ctx *ctx, const rg_changeset *cs, const char *path, const char *name)
{
	RG_UNUSED(cs);
	return wt_attr_worktree(ctx, path, name);
}

/*
 * Does any attributes file apply to path? Most repositories have none, and
 * the 14 lookups of wt_conversion were 4.7 ms of a 10,000-file pre-commit
 * (bench/content.sh), on the thread that has yet to start the others.
 */
static int wt_any_attrs(rg_ctx *ctx, const rg_changeset *cs, const char *path)
{
	rg_attr_stack s;

	if (rg_ctx_attr_any(ctx, cs, path))
		return 1;
	wt_stack(&s, ctx, path);
	return rg_attr_stack_any(&s);
}

/* How a checkin of path may change its bytes: WT_PLAIN, WT_EOL (only CRLF), WT_NEVER; the stricter of the index's and the working tree's attributes. */
static int wt_conversion(rg_ctx *ctx, const rg_changeset *cs, const char *path)
{
	int a, b;

	if (!wt_any_attrs(ctx, cs, path))
		return ctx->wt->eol_all ? WT_EOL : WT_PLAIN;
	a = wt_conversion_by(ctx, cs, path, rg_ctx_attr);

	if (a == WT_NEVER)
		return a;
	b = wt_conversion_by(ctx, cs, path, wt_attr_wt);
	return a > b ? a : b;
}

void rg_worktree_mark(rg_ctx *ctx, rg_changeset *cs)
{
	const rg_index *idx = cs->view.index;
	size_t i;

	if (cs->view.kind != RG_VIEW_INDEX || !idx || !idx->has_mtime || !ctx->repo ||
	    !wt_conf(ctx)->workdir || rg_env_flag("REPOGUARD_NO_WORKTREE_READS")) {
		for (i = 0; i < cs->n; i++)
			cs->v[i].wt_entry = NULL;
		return;
	}
	for (i = 0; i < cs->n; i++) {
		rg_delta *d = &cs->v[i];
		const rg_index_entry *e = d->wt_entry; /* the entry the index source made d from */
		int conv;

		d->wt_entry = NULL;
		if (!e || !rg_delta_adds(d) || (d->new_mode != 0100644 && d->new_mode != 0100755))
			continue;
		if (!rg_index_has_stat(e) || !git_oid_equal(&e->id, &d->new_id))
			continue; /* no stat data: added by update-index --cacheinfo, read-tree */
		if (rg_index_entry_racy(idx, e))
			continue; /* no stat will vouch for it: not even opened */
		if ((conv = wt_conversion(ctx, cs, d->new_path)) == WT_NEVER)
			continue;
		d->wt_entry = e;
		d->wt_index = idx;
		d->wt_eol = conv == WT_EOL;
	}
}

void rg_worktree_free(rg_ctx *ctx)
{
	wt_conf_free(ctx->wt);
	ctx->wt = NULL;
}

/* Size of the new side from the working tree file; -1 when it does not vouch for it. */
int64_t rg_worktree_size(rg_ctx *ctx, const rg_delta *d)
{
	struct stat st;

	if (!d->wt_entry || d->wt_eol || !ctx->wt)
		return -1;
	if (ctx->trace_reads)
		fprintf(stderr, "trace: %s: size: lstat of the working tree file\n", d->new_path);
	if (fstatat(ctx->wt->dirfd, d->new_path, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !rg_index_stat_matches(d->wt_index, d->wt_entry, &st))
		return -1;
	return (int64_t)st.st_size;
}

void rg_worktree_take(rg_blobdata *out, char *buf, size_t len, int owned)
{
	buf[len] = '\0';
	out->buf = owned ? buf : NULL;
	out->data = buf;
	out->len = len;
	out->from_worktree = 1;
}

static int wt_read_fd(rg_blobdata *out, int fd, size_t len)
{
	char *buf = rg_malloc(len + 1);
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, buf + got, len - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got != len) {
		free(buf);
		return -1;
	}
	rg_worktree_take(out, buf, len, 1);
	return 0;
}

int rg_worktree_check(const rg_delta *d, const struct stat *st, uint64_t max)
{
	if (!rg_index_stat_matches(d->wt_index, d->wt_entry, st))
		return -1;
	return (uint64_t)st->st_size > max && !d->wt_eol ? RG_READ_TOO_BIG : 0;
}

int rg_worktree_settle(rg_blobdata *out, const rg_delta *d, uint64_t max)
{
	if (d->wt_eol && memchr(out->data, '\r', out->len)) {
		rg_blobdata_free(out); /* checkin may have normalised CRLF: the blob decides */
		return -1;
	}
	if (out->len > max) { /* without a CR, the blob is the file: as large */
		rg_blobdata_free(out);
		return RG_READ_TOO_BIG;
	}
	return 0;
}

int rg_worktree_dirfd(rg_ctx *ctx, const rg_delta *d)
{
	return d->wt_entry && ctx->wt ? ctx->wt->dirfd : -1;
}

/*
 * 0 with out filled from the working tree file, RG_READ_TOO_BIG, or -1 when
 * the file does not vouch for the blob (then the caller reads the blob).
 */
int rg_worktree_read(rg_blobdata *out, rg_ctx *ctx, const rg_delta *d, uint64_t max)
{
	struct stat st;
	int dirfd, fd, r = -1;

	if ((dirfd = rg_worktree_dirfd(ctx, d)) < 0)
		return -1;
	fd = openat(dirfd, d->new_path, RG_WORKTREE_OPEN_FLAGS);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && (r = rg_worktree_check(d, &st, max)) == 0 &&
	    (r = wt_read_fd(out, fd, (size_t)st.st_size)) == 0)
		r = rg_worktree_settle(out, d, max);
	close(fd);
	return r;
}
