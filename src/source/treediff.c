/*
 * treediff.c: tree-to-tree diff into a change set.
 *
 * Written here rather than with git_diff_tree_to_tree because ranges diff
 * every commit against its parent, and on large trees the cost must be
 * proportional to what changed: like git's own diff_tree, identical subtrees
 * (same id) are skipped without being read, and no blob is ever loaded.
 *
 * Trees are read raw through a small cache (treecache.h) and their entries
 * walked in place with the audit's parser (rg_tree_next): git_tree_lookup
 * parses every tree into a malloc'd entry array and keeps it in the object
 * cache, which was a third of `repoguard ci` on bench/ranges.sh (see
 * docs/ranges.md).
 */
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/objparse.h"
#include "repoguard/source.h"
#include "repoguard/treecache.h"

/* ---- the walk ---------------------------------------------------------------- */

typedef struct {
	rg_changeset *cs;
	rg_treecache *tc;
	rg_buf path;
	int memo;     /* record the new side's directories in tc's memo */
} td_walker;

/* One side of a tree level: the raw object and the entry under the cursor. */
typedef struct {
	git_odb_object *obj;
	const char *data;
	size_t len, pos;
	size_t at;    /* where e starts */
	rg_tree_ent e;
	int has;      /* e is valid */
} td_iter;

static int td_next(td_iter *it, const rg_buf *where)
{
	const char *path = where->len ? where->ptr : "/";
	int r;

	it->at = it->pos;
	r = it->obj ? rg_tree_next(&it->e, it->data, it->len, &it->pos) : 0;

	if (r < 0) {
		rg_error_set("malformed tree at '%s': the repository is corrupt (run git fsck)", path);
		return RG_ERROR;
	}
	it->has = r;
	return RG_OK;
}

/* Read the tree id (NULL: an empty side). */
static int td_open(td_iter *it, td_walker *w, const unsigned char *id)
{
	git_oid oid;

	memset(it, 0, sizeof(*it));
	if (!id)
		return RG_OK;
	git_oid_fromraw(&oid, id);
	if (rg_treecache_read(&it->obj, w->tc, &oid, w->path.ptr ? w->path.ptr : "") < 0)
		return RG_ERROR;
	it->data = git_odb_object_data(it->obj);
	it->len = git_odb_object_size(it->obj);
	return RG_OK;
}

/*
 * Two versions of a directory mostly share their bytes: one changed entry
 * in a directory of a hundred. Entries wholly inside the common prefix are
 * the same entries at the same offsets on both sides, and once the rest of
 * both trees, from entry boundaries, is the same bytes, so are the rest of
 * the entries: neither needs parsing (which was a quarter of the walk on
 * bench/ranges.sh). The prefix is stepped over (rg_tree_skip), not
 * parsed; whatever bytes it holds, they are the parent's too, so they
 * cannot hide a change.
 */
static size_t td_common_prefix(const char *x, const char *y, size_t n)
{
	size_t k = 0;

	while (k + 64 <= n && !memcmp(x + k, y + k, 64))
		k += 64;
	while (k < n && x[k] == y[k])
		k++;
	return k;
}

static size_t td_common_suffix(const char *x, size_t lx, const char *y, size_t ly)
{
	size_t n = lx < ly ? lx : ly, k = 0;

	while (k + 64 <= n && !memcmp(x + lx - k - 64, y + ly - k - 64, 64))
		k += 64;
	while (k < n && x[lx - k - 1] == y[ly - k - 1])
		k++;
	return k;
}

static int td_isdir(const rg_tree_ent *e)
{
	return RG_MODE_TYPE(e->mode) == RG_MODE_TREE;
}

/* git's base_name_compare: a directory sorts as if its name ended in '/'. */
static int td_cmp(const rg_tree_ent *a, const rg_tree_ent *b)
{
	return rg_tree_name_cmp(a->name, a->name_len, td_isdir(a), b->name, b->name_len, td_isdir(b));
}

static int td_level(td_walker *w, const unsigned char *old_id, const unsigned char *new_id);

static void td_leaf(td_walker *w, rg_delta_status st, const rg_tree_ent *x, const rg_tree_ent *y)
{
	git_oid ox, oy;
	const char *p = w->path.ptr;

	if (x)
		git_oid_fromraw(&ox, x->id);
	if (y)
		git_oid_fromraw(&oy, y->id);
	rg_changeset_add(w->cs, st, x ? p : NULL, x ? x->mode : 0, x ? &ox : NULL,
		y ? p : NULL, y ? y->mode : 0, y ? &oy : NULL);
}

/* Every blob under (or at) entry e, as deleted (old side x) or added (new side y). */
static int td_side(td_walker *w, const rg_tree_ent *x, const rg_tree_ent *y)
{
	const rg_tree_ent *e = x ? x : y;
	size_t base = w->path.len;
	int r = RG_OK;

	rg_buf_put(&w->path, e->name, e->name_len);
	if (td_isdir(e)) {
		rg_buf_putc(&w->path, '/');
		r = td_level(w, x ? x->id : NULL, y ? y->id : NULL);
	} else {
		td_leaf(w, x ? RG_DELTA_DELETED : RG_DELTA_ADDED, x, y);
	}
	rg_buf_truncate(&w->path, base);
	return r;
}

/* Two entries of the same name and kind (both trees, or both not). */
static int td_pair(td_walker *w, const rg_tree_ent *x, const rg_tree_ent *y)
{
	size_t base = w->path.len;
	int r = RG_OK;

	if (x->mode == y->mode && !memcmp(x->id, y->id, GIT_OID_RAWSZ))
		return RG_OK;
	rg_buf_put(&w->path, x->name, x->name_len);
	if (td_isdir(x)) {
		rg_buf_putc(&w->path, '/');
		r = td_level(w, x->id, y->id);
	} else {
		td_leaf(w, RG_MODE_TYPE(x->mode) == RG_MODE_TYPE(y->mode) ?
			RG_DELTA_MODIFIED : RG_DELTA_TYPECHANGE, x, y);
	}
	rg_buf_truncate(&w->path, base);
	return r;
}

/* Merge the entries of two trees (raw ids; NULL for an absent side) at w->path. */
static int td_level(td_walker *w, const unsigned char *old_id, const unsigned char *new_id)
{
	td_iter a, b;
	size_t same_tail = 0;
	int r;

	memset(&b, 0, sizeof(b));
	r = td_open(&a, w, old_id);
	if (r == RG_OK)
		r = td_open(&b, w, new_id);
	if (r == RG_OK && b.obj && w->memo && w->path.len)
		rg_treecache_memo_dir(w->tc, w->path.ptr, w->path.len - 1, git_odb_object_id(b.obj));
	if (r == RG_OK && a.obj && b.obj) {
		size_t n = a.len < b.len ? a.len : b.len;

		a.pos = b.pos = rg_tree_skip(a.data, td_common_prefix(a.data, b.data, n));
		same_tail = td_common_suffix(a.data, a.len, b.data, b.len);
	}
	if (r == RG_OK)
		r = td_next(&a, &w->path);
	if (r == RG_OK)
		r = td_next(&b, &w->path);
	while (r == RG_OK && (a.has || b.has)) {
		int c;

		if (a.has && b.has && a.len - a.at == b.len - b.at && a.len - a.at <= same_tail)
			break; /* the rest is the same bytes on both sides */
		c = !a.has ? 1 : !b.has ? -1 : td_cmp(&a.e, &b.e);
		if (c < 0) {
			r = td_side(w, &a.e, NULL);
			if (r == RG_OK)
				r = td_next(&a, &w->path);
		} else if (c > 0) {
			r = td_side(w, NULL, &b.e);
			if (r == RG_OK)
				r = td_next(&b, &w->path);
		} else {
			r = td_pair(w, &a.e, &b.e);
			if (r == RG_OK)
				r = td_next(&a, &w->path);
			if (r == RG_OK)
				r = td_next(&b, &w->path);
		}
	}
	git_odb_object_free(a.obj);
	git_odb_object_free(b.obj);
	return r;
}

int rg_diff_tree_ids(rg_changeset *cs, rg_treecache *tc, const char *prefix,
	const git_oid *old_tree, const git_oid *new_tree)
{
	td_walker w;
	int r;

	if (!*prefix && new_tree)
		rg_treecache_memo_reset(tc, new_tree);
	if (old_tree && new_tree && git_oid_equal(old_tree, new_tree))
		return RG_OK;
	memset(&w, 0, sizeof(w));
	w.cs = cs;
	w.tc = tc;
	w.memo = !*prefix && new_tree;
	rg_buf_puts(&w.path, prefix);
	r = td_level(&w, old_tree ? old_tree->id : NULL, new_tree ? new_tree->id : NULL);
	rg_buf_dispose(&w.path);
	return r;
}

int rg_diff_trees_at(rg_changeset *cs, git_repository *repo, const char *prefix,
	git_tree *old_tree, git_tree *new_tree)
{
	rg_treecache *tc = NULL;
	int r;

	if (!old_tree && !new_tree)
		return RG_OK;
	r = rg_treecache_new(&tc, repo);
	if (r == RG_OK)
		r = rg_diff_tree_ids(cs, tc, prefix, old_tree ? git_tree_id(old_tree) : NULL,
			new_tree ? git_tree_id(new_tree) : NULL);
	rg_treecache_free(tc);
	return r;
}

int rg_diff_trees(rg_changeset *cs, git_repository *repo, git_tree *old_tree, git_tree *new_tree)
{
	return rg_diff_trees_at(cs, repo, "", old_tree, new_tree);
}
