/*
 * source-index.c: the index (what `git commit` would record) against HEAD.
 *
 * Fast path: repoguard's own index reader (see index.h) merged against the
 * HEAD tree, skipping every subtree whose cache-tree entry is valid and
 * equal to HEAD's subtree, as git does: the work is proportional to what is
 * staged, not to the size of the repository. A sparse index's directory
 * entries are diffed as trees. Fallback: libgit2's git_diff_tree_to_index
 * for index features the reader does not handle.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/context.h"
#include "repoguard/index.h"
#include "repoguard/objparse.h"
#include "repoguard/source.h"
#include "repoguard/walk.h"

typedef struct {
	git_repository *repo;
	const rg_index *idx;
	rg_changeset *cs;
	rg_buf path;
} iw;

static int iw_tree(iw *w, git_tree *tree, size_t lo, size_t hi, const rg_cache_tree *ct);

static int iw_isdir(const git_tree_entry *e)
{
	return git_tree_entry_type(e) == GIT_OBJECT_TREE;
}

static const rg_cache_tree *iw_ct_child(const rg_cache_tree *ct, const char *name, size_t len)
{
	size_t i;

	for (i = 0; ct && i < ct->nsub; i++)
		if (ct->sub[i]->namelen == len && !memcmp(ct->sub[i]->name, name, len))
			return ct->sub[i];
	return NULL;
}

/* End of the run of entries under dir/ (dir = full path, len bytes). */
static size_t iw_dir_end(const iw *w, size_t from, size_t hi, const char *dir, size_t len)
{
	char stackkey[512], *key = len + 1 < sizeof(stackkey) ? stackkey : rg_malloc(len + 2);
	size_t lo, end;

	memcpy(key, dir, len);
	key[len] = '0'; /* '/' + 1: first path after every "dir/..." */
	lo = rg_index_lower_bound(w->idx, key, len + 1);
	if (key != stackkey)
		free(key);
	end = lo < from ? from : lo;
	return end > hi ? hi : end;
}

static int iw_skip(const rg_index_entry *e)
{
	return e->stage != 0 || e->intent_to_add;
}

static int iw_is_sparse_dir(const rg_index_entry *e)
{
	return (e->mode & 0170000) == 0040000;
}

/*
 * A sparse index's directory entry ("dir/" with a tree id): its tree against
 * HEAD's tree entry te (a directory of the same name, or NULL when HEAD has
 * none), as a tree diff: only subtrees whose ids differ are read.
 */
static int iw_sparse(iw *w, const git_tree_entry *te, const rg_index_entry *e)
{
	git_tree *old_tree = NULL, *new_tree = NULL;
	int r;

	if (te && git_oid_equal(git_tree_entry_id(te), &e->id))
		return RG_OK;
	if (git_tree_lookup(&new_tree, w->repo, &e->id) < 0 ||
	    (te && git_tree_lookup(&old_tree, w->repo, git_tree_entry_id(te)) < 0))
		r = rg_error_from_git(e->path);
	else
		r = rg_diff_trees_at(w->cs, w->repo, e->path, old_tree, new_tree);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	return r;
}

static int iw_add(iw *w, size_t lo, size_t hi)
{
	size_t i;
	int r = RG_OK;

	rg_changeset_reserve(w->cs, hi - lo);
	for (i = lo; i < hi && r == RG_OK; i++) {
		const rg_index_entry *e = &w->idx->entries[i];

		if (iw_skip(e))
			continue;
		if (iw_is_sparse_dir(e))
			r = iw_sparse(w, NULL, e);
		else
			rg_changeset_add(w->cs, RG_DELTA_ADDED, NULL, 0, NULL, e->path, e->mode, &e->id)->wt_entry = e;
	}
	return r;
}

static int iw_deleted(iw *w, const git_tree_entry *te)
{
	size_t base = w->path.len;
	int r = RG_OK;

	rg_buf_puts(&w->path, git_tree_entry_name(te));
	if (iw_isdir(te)) {
		git_tree *sub = NULL;

		if (git_tree_lookup(&sub, w->repo, git_tree_entry_id(te)) < 0) {
			r = rg_error_from_git(w->path.ptr);
		} else {
			size_t i, n = git_tree_entrycount(sub);

			rg_buf_putc(&w->path, '/');
			for (i = 0; i < n && r == RG_OK; i++)
				r = iw_deleted(w, git_tree_entry_byindex(sub, i));
		}
		git_tree_free(sub);
	} else {
		rg_changeset_add(w->cs, RG_DELTA_DELETED, w->path.ptr,
			(uint32_t)git_tree_entry_filemode_raw(te), git_tree_entry_id(te), NULL, 0, NULL);
	}
	rg_buf_truncate(&w->path, base);
	return r;
}

/* Compare a tree entry with an index path component, git's dir-as-"name/" order. */
static int iw_cmp(const git_tree_entry *te, const char *comp, size_t clen, int cdir)
{
	const char *name = git_tree_entry_name(te);
	size_t nlen = strlen(name), n = nlen < clen ? nlen : clen;
	int c = memcmp(name, comp, n);
	unsigned char a, b;

	if (c)
		return c;
	a = nlen > n ? (unsigned char)name[n] : (iw_isdir(te) ? '/' : 0);
	b = clen > n ? (unsigned char)comp[n] : (cdir ? '/' : 0);
	return a < b ? -1 : a > b;
}

/* A valid cache-tree entry equal to HEAD's subtree: nothing below changed. */
static int iw_unchanged(const rg_cache_tree *ct, const git_oid *tree_id)
{
	return ct && ct->entry_count >= 0 && git_oid_equal(&ct->id, tree_id);
}

static int iw_subdir(iw *w, const git_tree_entry *te, size_t i, size_t end, const rg_cache_tree *child)
{
	git_tree *sub = NULL;
	size_t base = w->path.len;
	int r;

	if (iw_isdir(te) && iw_unchanged(child, git_tree_entry_id(te)))
		return RG_OK; /* decided before reading the subtree */
	if (git_tree_lookup(&sub, w->repo, git_tree_entry_id(te)) < 0)
		return rg_error_from_git(git_tree_entry_name(te));
	rg_buf_puts(&w->path, git_tree_entry_name(te));
	rg_buf_putc(&w->path, '/');
	r = iw_tree(w, sub, i, end, child);
	rg_buf_truncate(&w->path, base);
	git_tree_free(sub);
	return r;
}

static void iw_file(iw *w, const git_tree_entry *te, const rg_index_entry *e)
{
	uint32_t tm = (uint32_t)git_tree_entry_filemode_raw(te);

	if (git_oid_equal(git_tree_entry_id(te), &e->id) && tm == e->mode)
		return;
	rg_changeset_add(w->cs, (tm & 0170000) == (e->mode & 0170000) ? RG_DELTA_MODIFIED : RG_DELTA_TYPECHANGE,
		e->path, tm, git_tree_entry_id(te), e->path, e->mode, &e->id)->wt_entry = e;
}

static int iw_tree(iw *w, git_tree *tree, size_t lo, size_t hi, const rg_cache_tree *ct)
{
	size_t nt = tree ? git_tree_entrycount(tree) : 0, t = 0, i = lo;
	size_t plen = w->path.len;
	int r = RG_OK;

	if (tree && iw_unchanged(ct, git_tree_id(tree)))
		return RG_OK; /* the whole tree is unchanged */
	while (r == RG_OK && (i < hi || t < nt)) {
		const git_tree_entry *te = t < nt ? git_tree_entry_byindex(tree, t) : NULL;
		const rg_index_entry *e = NULL;
		const char *comp = NULL, *slash;
		size_t clen = 0, end = i + 1;
		int cdir = 0, c;

		if (i < hi) {
			e = &w->idx->entries[i];
			comp = e->path + plen;
			slash = strchr(comp, '/');
			cdir = slash != NULL;
			clen = cdir ? (size_t)(slash - comp) : strlen(comp);
			if (cdir)
				end = iw_dir_end(w, i + 1, hi, e->path, plen + clen);
		}
		c = !te ? 1 : !e ? -1 : iw_cmp(te, comp, clen, cdir);
		if (c < 0) {
			r = iw_deleted(w, te);
			t++;
			continue;
		}
		if (c > 0) {
			r = iw_add(w, i, end);
			i = end;
			continue;
		}
		if (cdir && iw_is_sparse_dir(e) && e->path_len == plen + clen + 1) {
			r = iw_sparse(w, te, e);
		} else if (cdir) {
			r = iw_subdir(w, te, i, end, iw_ct_child(ct, comp, clen));
		} else if (iw_skip(e)) {
			/* unmerged or intent-to-add: not what the commit records */
			if (e->stage == 0)
				r = iw_deleted(w, te);
			while (end < hi && !strcmp(w->idx->entries[end].path, e->path))
				end++;
		} else {
			iw_file(w, te, e);
		}
		i = end;
		t++;
	}
	return r;
}

static int index_head_tree(git_tree **out, git_repository *repo)
{
	git_reference *head = NULL;
	git_commit *commit = NULL;
	int r = git_repository_head(&head, repo);

	*out = NULL;
	if (r == GIT_EUNBORNBRANCH || r == GIT_ENOTFOUND)
		return RG_OK;
	if (r < 0)
		return rg_error_from_git("cannot resolve HEAD");
	r = git_reference_peel((git_object **)&commit, head, GIT_OBJECT_COMMIT);
	if (r == 0)
		r = git_commit_tree(out, commit);
	git_commit_free(commit);
	git_reference_free(head);
	return r < 0 ? rg_error_from_git("cannot read HEAD's tree") : RG_OK;
}

/*
 * git's argv from /proc/PID/cmdline, NUL-separated; the count, or 0.
 */
static size_t index_cmdline(rg_buf *buf, long pid)
{
	char path[64], chunk[4096];
	FILE *f;
	size_t n, i, argc = 0;

	snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
	if (!(f = fopen(path, "rb")))
		return 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rg_buf_put(buf, chunk, n);
	fclose(f);
	for (i = 0; i < buf->len; i++)
		argc += buf->ptr[i] == '\0';
	return argc;
}

/* The parent of pid from /proc/PID/stat ("pid (comm) state ppid ..."), or 0. */
static long index_ppid(long pid)
{
	char path[64], line[512], *p;
	FILE *f;
	long ppid = 0;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return 0;
	if (fgets(line, sizeof(line), f) && (p = strrchr(line, ')')) != NULL && sscanf(p + 1, " %*c %ld", &ppid) != 1)
		ppid = 0;
	fclose(f);
	return ppid;
}

/*
 * Do git commit's arguments (after "commit") ask for --amend? Options that
 * take the next argument as their value are skipped with it, so that
 * `-m --amend` is a message; a unique prefix (--am) counts, as git's
 * parse-options takes it; --no-amend and "--" end it.
 */
static int index_commit_amends(const char *const *argv, size_t argc)
{
	static const char *const takes[] = {
		"--message", "--file", "--reuse-message", "--reedit-message", "--author", "--date",
		"--cleanup", "--fixup", "--squash", "--template", "--pathspec-from-file", "--trailer", NULL
	};
	size_t i, k;
	int amend = 0;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			break;
		if (a[0] == '-' && a[1] == '-') {
			size_t len = strlen(a);

			if (len >= 4 && !strncmp(a, "--amend", len))
				amend = 1;
			else if (!strcmp(a, "--no-amend"))
				amend = 0;
			for (k = 0; takes[k] && !strchr(a, '='); k++)
				if (!strcmp(a, takes[k]))
					i++;
		} else if (a[0] == '-' && a[1]) {
			/* a cluster of short options: the first of -m -F -C -c -t takes the rest, or the next */
			const char *v = strpbrk(a + 1, "mFCct");

			if (v && !v[1])
				i++;
		}
	}
	return amend;
}

/*
 * Is this pre-commit run for `git commit --amend`? git tells its hooks
 * nothing of it, yet the commit it makes replaces HEAD: its change is the
 * index against HEAD's parent. The git process that runs the hook is found
 * among the nearest ancestors (a wrapper hook's shell may stand between),
 * and its command line read from /proc (Linux only: elsewhere HEAD stays
 * the base). An alias (ca = commit --amend, or one of it) is seen too: git
 * runs an expanded alias of a builtin as a child "git commit --amend ...",
 * which is the git nearest the hook.
 */
static int index_amending(void)
{
	long pid = (long)getppid();
	int depth, amend = 0;

	for (depth = 0; depth < 4 && pid > 1 && !amend; depth++) {
		rg_buf b = RG_BUF_INIT;
		size_t argc = index_cmdline(&b, pid), i = 1, n = 0;
		const char **argv = argc ? rg_calloc(argc + 1, sizeof(*argv)) : NULL;
		const char *p = b.ptr, *base;
		int git;

		for (n = 0; n < argc; n++) {
			argv[n] = p;
			p += strlen(p) + 1;
		}
		base = argc ? strrchr(argv[0], '/') : NULL;
		base = base ? base + 1 : argc ? argv[0] : "";
		git = !strcmp(base, "git");
		/* git's own options before the command; those that take a value, with it */
		while (git && i < argc && argv[i][0] == '-') {
			if (!strcmp(argv[i], "-C") || !strcmp(argv[i], "-c") || !strcmp(argv[i], "--git-dir") ||
			    !strcmp(argv[i], "--work-tree") || !strcmp(argv[i], "--namespace") ||
			    !strcmp(argv[i], "--config-env"))
				i++;
			i++;
		}
		if (git && i < argc && !strcmp(argv[i], "commit"))
			amend = index_commit_amends(argv + i + 1, argc - i - 1);
		free(argv);
		rg_buf_dispose(&b);
		if (git)
			break; /* the git that runs the hook: look no further */
		pid = index_ppid(pid);
	}
	return amend;
}

/*
 * Is id in the shallow file (a shallow clone's boundary: git reads it as a
 * commit without parents, libgit2 1.5 does not)?
 */
static int index_is_shallow(git_repository *repo, const git_oid *id)
{
	rg_buf path = RG_BUF_INIT, text = RG_BUF_INIT;
	git_oid *v = NULL;
	size_t n = 0;
	int in = 0;

	rg_buf_printf(&path, "%sshallow", git_repository_commondir(repo));
	if (rg_buf_read_file(&text, path.ptr, SIZE_MAX) == 0 &&
	    rg_shallow_parse(&v, &n, rg_buf_cstr(&text), text.len) == 0)
		in = rg_oid_in_sorted(v, n, id);
	rg_error_clear();
	free(v);
	rg_buf_dispose(&path);
	rg_buf_dispose(&text);
	return in;
}

/*
 * The tree an amend replaces HEAD's against: its parent's, or none for a
 * root commit (everything is added). An amended merge keeps HEAD as the
 * base: what its other parents brought is theirs. HEAD at a shallow clone's
 * boundary has no parents to git, and git commit --amend there records a
 * root commit: everything is added, as for a root.
 */
static int index_amend_base(git_tree **tree, char *rev, size_t revsz, git_repository *repo)
{
	git_commit *head = NULL, *parent = NULL;
	git_oid id;
	int r = RG_OK;

	if (git_reference_name_to_id(&id, repo, "HEAD") < 0 || git_commit_lookup(&head, repo, &id) < 0) {
		git_error_clear();
		return RG_OK;
	}
	if (index_is_shallow(repo, &id)) {
		git_tree_free(*tree);
		*tree = NULL;
		rev[0] = '\0';
	} else if (git_commit_parentcount(head) < 2) {
		git_tree_free(*tree);
		*tree = NULL;
		rev[0] = '\0';
		if (git_commit_parentcount(head) == 1 &&
		    (git_commit_parent(&parent, head, 0) < 0 || git_commit_tree(tree, parent) < 0))
			r = rg_error_from_git("cannot read the tree of HEAD's parent (git commit --amend)");
		else if (parent)
			git_oid_tostr(rev, revsz < 13 ? revsz : 13, git_commit_id(parent));
	}
	git_commit_free(parent);
	git_commit_free(head);
	return r;
}

typedef struct {
	git_oid *v;
	size_t n, alloc;
} index_ids;

static int index_mergehead_cb(const git_oid *id, void *payload)
{
	index_ids *ids = payload;

	RG_GROW(ids->v, ids->alloc, ids->n + 1);
	git_oid_cpy(&ids->v[ids->n++], id);
	return 0;
}

/*
 * The commits git merge is merging, before it writes MERGE_HEAD: it runs
 * the pre-merge-commit hook first, with GITHEAD_<id>=<name> in the
 * environment for each of them (set for merge-recursive's conflict labels,
 * octopus and -s ours too). Only ids of commits count: nothing else sets
 * such names.
 */
static void index_githeads(index_ids *ids, git_repository *repo)
{
	static const char prefix[] = "GITHEAD_";
	char **e;

	for (e = environ; e && *e; e++) {
		const char *hex = *e + sizeof(prefix) - 1;
		git_object *c = NULL;
		git_oid id;

		if (strncmp(*e, prefix, sizeof(prefix) - 1) || strlen(hex) <= GIT_OID_HEXSZ ||
		    hex[GIT_OID_HEXSZ] != '=' || git_oid_fromstrn(&id, hex, GIT_OID_HEXSZ) < 0)
			continue;
		if (git_object_lookup(&c, repo, &id, GIT_OBJECT_COMMIT) == 0)
			index_mergehead_cb(&id, ids);
		git_object_free(c);
		git_error_clear();
	}
}

/*
 * The commit that concludes a merge (MERGE_HEAD, in this worktree's git
 * dir; before git merge writes it, its GITHEAD_<id> variables): a staged
 * entry equal to a merged commit's entry at that path, or a
 * deletion of a path it lacks too, when that commit changed the path since
 * the merge base (rg_changeset_drop_merged), is what it brings, checked
 * when it was committed (or pushed), not again here; what differs from
 * every parent (a conflict resolution) stays.
 */
int rg_index_merge_heads(git_oid **out, size_t *n, git_repository *repo)
{
	index_ids ids = { NULL, 0, 0 };
	int r = git_repository_mergehead_foreach(repo, index_mergehead_cb, &ids);

	if (r == GIT_ENOTFOUND) {
		git_error_clear();
		r = RG_OK;
		index_githeads(&ids, repo);
	}
	if (r < 0) {
		free(ids.v);
		ids.v = NULL;
		ids.n = 0;
		r = rg_error_from_git("cannot read MERGE_HEAD");
	}
	*out = ids.v;
	*n = ids.n;
	return r;
}

static int index_drop_merged(rg_changeset *cs, git_repository *repo)
{
	index_ids ids = { NULL, 0, 0 };
	rg_treecache *tc = NULL;
	rg_merge_side *sides = NULL;
	git_oid head;
	int r = rg_index_merge_heads(&ids.v, &ids.n, repo);

	if (r < 0 || !ids.n)
		goto out;
	if (git_reference_name_to_id(&head, repo, "HEAD") < 0) {
		r = rg_error_from_git("cannot read HEAD while MERGE_HEAD exists");
		goto out;
	}
	if ((r = rg_merge_sides(&sides, repo, &head, ids.v, ids.n)) == RG_OK &&
	    (r = rg_treecache_new(&tc, repo)) == RG_OK)
		r = rg_changeset_drop_merged(cs, tc, sides, ids.n);
out:
	rg_treecache_free(tc);
	rg_merge_sides_free(sides, ids.n);
	free(ids.v);
	return r;
}

char *rg_index_path(git_repository *repo)
{
	const char *env = getenv("GIT_INDEX_FILE");
	rg_buf b = RG_BUF_INIT;

	if (env && *env)
		return rg_strdup(env);
	rg_buf_printf(&b, "%sindex", git_repository_path(repo));
	return rg_buf_detach(&b);
}

/*
 * libgit2 fallback for what the fast reader leaves alone (a sparse index,
 * an unknown required extension); libgit2 1.5 refuses most of these too, and
 * then the message says why. The index is opened by path: GIT_INDEX_FILE is
 * hidden from libgit2 (see repo.c).
 */
static int index_fallback(rg_changeset *cs, git_repository *repo, git_tree *head, const char *path)
{
	git_index *index = NULL;
	size_t i, n;
	int r;

	if (git_index_open(&index, path) < 0) {
		char *what = rg_printf("cannot read the index %s", path);

		r = rg_error_from_git(what);
		free(what);
		return r;
	}
	{
		git_diff *diff = NULL;
		git_diff_options opts;

		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		opts.flags = GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_INCLUDE_TYPECHANGE;
		r = git_diff_tree_to_index(&diff, repo, head, index, &opts);
		if (r < 0) {
			git_index_free(index);
			return rg_error_from_git("cannot diff HEAD and the index");
		}
		n = git_diff_num_deltas(diff);
		for (i = 0; i < n; i++) {
			const git_diff_delta *d = git_diff_get_delta(diff, i);
			const char *op = d->old_file.path, *np = d->new_file.path;

			switch (d->status) {
			case GIT_DELTA_ADDED:
				rg_changeset_add(cs, RG_DELTA_ADDED, NULL, 0, NULL, np, d->new_file.mode, &d->new_file.id);
				break;
			case GIT_DELTA_DELETED:
				rg_changeset_add(cs, RG_DELTA_DELETED, op, d->old_file.mode, &d->old_file.id, NULL, 0, NULL);
				break;
			case GIT_DELTA_TYPECHANGE:
			case GIT_DELTA_MODIFIED:
				rg_changeset_add(cs, d->status == GIT_DELTA_MODIFIED ? RG_DELTA_MODIFIED : RG_DELTA_TYPECHANGE,
					op, d->old_file.mode, &d->old_file.id, np, d->new_file.mode, &d->new_file.id);
				break;
			default:
				break;
			}
		}
		git_diff_free(diff);
	}
	git_index_free(index);
	return RG_OK;
}

int rg_source_index(rg_ctx *ctx, rg_source_cb cb, void *payload)
{
	rg_index *idx = rg_calloc(1, sizeof(*idx));
	git_tree *head = NULL;
	char *path = NULL;
	rg_changeset cs;
	iw w;
	int r;

	rg_changeset_init(&cs);
	memset(&w, 0, sizeof(w));
	if ((r = index_head_tree(&head, ctx->repo)) < 0)
		goto out;
	if (head)
		memcpy(cs.old_rev, "HEAD", sizeof("HEAD"));
	if (head && ctx->mode == RG_MODE_PRE_COMMIT && index_amending() &&
	    (r = index_amend_base(&head, cs.old_rev, sizeof(cs.old_rev), ctx->repo)) < 0)
		goto out;
	path = rg_index_path(ctx->repo);
	r = rg_index_open(idx, path, git_repository_path(ctx->repo));
	if (r == RG_ENOTFOUND)
		r = RG_OK; /* git treats a missing index as an empty one */
	if (r == RG_OK) {
		w.repo = ctx->repo;
		w.idx = idx;
		w.cs = &cs;
		r = iw_tree(&w, head, 0, idx->n, idx->tree);
		rg_buf_dispose(&w.path);
		cs.view.kind = RG_VIEW_INDEX;
		cs.view.index = idx;
		cs.view.repo = ctx->repo;
	} else if (r == RG_EUNSUPPORTED) {
		/* no path lookups in this view: .gitattributes are not consulted */
		r = index_fallback(&cs, ctx->repo, head, path);
	}
	if (r == RG_OK)
		r = index_drop_merged(&cs, ctx->repo);
	if (r < 0)
		goto out;
	rg_changeset_pair_renames(&cs);
	rg_changeset_sort(&cs);
	rg_worktree_mark(ctx, &cs);
	cs.old_tree = head;
	head = NULL;
	r = cb(&cs, payload);
out:
	rg_changeset_free(&cs);
	git_tree_free(head);
	rg_index_free(idx);
	free(idx);
	free(path);
	return r;
}
