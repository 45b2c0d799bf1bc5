/* change.c: change sets, deltas and views. */
#include <stdlib.h>
#include <string.h>

#include "repoguard/change.h"
#include "repoguard/common.h"
#include "repoguard/index.h"
#include "repoguard/treecache.h"

void rg_changeset_init(rg_changeset *cs)
{
	static unsigned long serial;

	memset(cs, 0, sizeof(*cs));
	cs->serial = ++serial;
	cs->label = "index";
}

void rg_changeset_free(rg_changeset *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		free(cs->v[i].old_path);
		free(cs->v[i].new_path);
	}
	free(cs->v);
	free(cs->merge_more);
	free(cs->summary);
	free(cs->message);
	free(cs->ref);
	if (cs->view.kind == RG_VIEW_TREE)
		git_tree_free(cs->view.tree);
	git_tree_free(cs->old_tree);
	memset(cs, 0, sizeof(*cs));
}

void rg_changeset_reserve(rg_changeset *cs, size_t n)
{
	RG_GROW(cs->v, cs->alloc, cs->n + n);
}

rg_delta *rg_changeset_add(rg_changeset *cs, rg_delta_status st,
	const char *old_path, uint32_t old_mode, const git_oid *old_id,
	const char *new_path, uint32_t new_mode, const git_oid *new_id)
{
	rg_delta *d;

	RG_GROW(cs->v, cs->alloc, cs->n + 1);
	d = &cs->v[cs->n++];
	memset(d, 0, sizeof(*d));
	d->status = st;
	d->old_path = old_path ? rg_strdup(old_path) : NULL;
	d->new_path = new_path ? rg_strdup(new_path) : NULL;
	d->old_mode = old_mode;
	d->new_mode = new_mode;
	if (old_id)
		git_oid_cpy(&d->old_id, old_id);
	if (new_id)
		git_oid_cpy(&d->new_id, new_id);
	d->old_size = d->new_size = RG_SIZE_UNKNOWN;
	return d;
}

static int delta_cmp_path(const void *a, const void *b)
{
	const rg_delta *x = a, *y = b;
	const char *px = x->new_path ? x->new_path : x->old_path;
	const char *py = y->new_path ? y->new_path : y->old_path;

	return strcmp(px, py);
}

void rg_changeset_sort(rg_changeset *cs)
{
	if (cs->n > 1)
		qsort(cs->v, cs->n, sizeof(*cs->v), delta_cmp_path);
}

typedef struct {
	git_oid id;
	size_t idx;
} oid_idx;

static int oid_idx_cmp(const void *a, const void *b)
{
	const oid_idx *x = a, *y = b;
	int c = git_oid_cmp(&x->id, &y->id);

	return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

/*
 * Exact renames only: a deleted blob that reappears under a new path with the
 * same mode. Path rules still see both sides (rg_delta_removes/adds); this
 * only lets messages say "renamed".
 */
void rg_changeset_pair_renames(rg_changeset *cs)
{
	oid_idx *dels = NULL;
	size_t nd = 0, i, o;

	for (i = 0; i < cs->n; i++)
		if (cs->v[i].status == RG_DELTA_DELETED && rg_mode_is_blob(cs->v[i].old_mode))
			nd++;
	if (!nd)
		return;
	dels = rg_malloc(nd * sizeof(*dels));
	nd = 0;
	for (i = 0; i < cs->n; i++)
		if (cs->v[i].status == RG_DELTA_DELETED && rg_mode_is_blob(cs->v[i].old_mode)) {
			git_oid_cpy(&dels[nd].id, &cs->v[i].old_id);
			dels[nd++].idx = i;
		}
	qsort(dels, nd, sizeof(*dels), oid_idx_cmp);
	for (i = 0; i < cs->n; i++) {
		rg_delta *a = &cs->v[i];
		size_t lo = 0, hi = nd;

		if (a->status != RG_DELTA_ADDED || !rg_mode_is_blob(a->new_mode))
			continue;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (git_oid_cmp(&dels[mid].id, &a->new_id) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < nd && git_oid_equal(&dels[lo].id, &a->new_id); lo++) {
			rg_delta *d = &cs->v[dels[lo].idx];

			if (d->status != RG_DELTA_DELETED || d->old_mode != a->new_mode)
				continue;
			a->status = RG_DELTA_RENAMED;
			a->old_path = d->old_path;
			a->old_mode = d->old_mode;
			git_oid_cpy(&a->old_id, &d->old_id);
			a->old_size = d->old_size;
			d->old_path = NULL;
			d->status = 0; /* removed below */
			break;
		}
	}
	for (i = o = 0; i < cs->n; i++) {
		if (cs->v[i].status == 0) {
			free(cs->v[i].new_path);
			continue;
		}
		cs->v[o++] = cs->v[i];
	}
	cs->n = o;
	free(dels);
}

const char *rg_delta_path(const rg_delta *d)
{
	return d->new_path;
}

int rg_delta_adds(const rg_delta *d)
{
	return d->new_path != NULL;
}

int rg_delta_removes(const rg_delta *d)
{
	return d->status == RG_DELTA_DELETED || d->status == RG_DELTA_RENAMED;
}

int rg_mode_is_blob(uint32_t mode)
{
	return (mode & 0170000) == 0100000 || (mode & 0170000) == 0120000;
}

int rg_mode_is_file(uint32_t mode)
{
	return mode == 0100644 || mode == 0100755;
}

int rg_mode_is_gitlink(uint32_t mode)
{
	return (mode & 0170000) == 0160000;
}

static int view_tree_lookup(git_oid *id, uint32_t *mode, git_tree *tree, const char *path)
{
	git_tree_entry *te = NULL;
	int r = git_tree_entry_bypath(&te, tree, path);

	if (r == GIT_ENOTFOUND)
		return RG_ENOTFOUND;
	if (r < 0)
		return rg_error_from_git(path);
	git_oid_cpy(id, git_tree_entry_id(te));
	*mode = (uint32_t)git_tree_entry_filemode_raw(te);
	git_tree_entry_free(te);
	return RG_OK;
}

/*
 * In a sparse index, a path under a sparse directory ("dir/", the entry just
 * before where path would sort) is in that directory's tree.
 */
static int view_sparse_lookup(git_oid *id, uint32_t *mode, const rg_view *v, const char *path)
{
	size_t len = strlen(path), i = rg_index_lower_bound(v->index, path, len);
	const rg_index_entry *e = i ? &v->index->entries[i - 1] : NULL;
	git_tree *tree = NULL;
	int r;

	if (!e || !v->repo || (e->mode & 0170000) != 0040000 || e->path_len >= len ||
	    memcmp(e->path, path, e->path_len))
		return RG_ENOTFOUND;
	if (git_tree_lookup(&tree, v->repo, &e->id) < 0)
		return rg_error_from_git(e->path);
	r = view_tree_lookup(id, mode, tree, path + e->path_len);
	git_tree_free(tree);
	return r;
}

int rg_view_lookup(git_oid *id, uint32_t *mode, const rg_view *v, const char *path)
{
	if (v->kind == RG_VIEW_INDEX) {
		const rg_index_entry *e = rg_index_find(v->index, path);

		if (!e)
			return view_sparse_lookup(id, mode, v, path);
		if (e->intent_to_add)
			return RG_ENOTFOUND;
		git_oid_cpy(id, &e->id);
		*mode = e->mode;
		return RG_OK;
	}
	if (v->kind == RG_VIEW_TREE && v->tree)
		return view_tree_lookup(id, mode, v->tree, path);
	if (v->kind == RG_VIEW_TREE && v->tc)
		return rg_treecache_lookup(id, mode, v->tc, &v->root, path);
	return RG_ENOTFOUND;
}
