/*
 * treediff.c: tree-to-tree diff into a change set.
 *
 * Written here rather than with git_diff_tree_to_tree because ranges diff
 * every commit against its parent, and on large trees the cost must be
 * proportional to what changed: like git's own diff_tree, identical subtrees
 * (same id) are skipped without being read, and no blob is ever loaded.
 */
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/source.h"

static int td_isdir(const git_tree_entry *e)
{
	return git_tree_entry_type(e) == GIT_OBJECT_TREE;
}

/* git's base_name_compare: a directory sorts as if its name ended in '/'. */
static int td_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *na = git_tree_entry_name(a), *nb = git_tree_entry_name(b);
	size_t la = strlen(na), lb = strlen(nb), n = la < lb ? la : lb;
	int c = memcmp(na, nb, n);
	unsigned char ca, cb;

	if (c)
		return c;
	ca = la > n ? (unsigned char)na[n] : (td_isdir(a) ? '/' : 0);
	cb = lb > n ? (unsigned char)nb[n] : (td_isdir(b) ? '/' : 0);
	return ca < cb ? -1 : ca > cb;
}

static int td_walk(rg_changeset *cs, git_repository *repo, rg_buf *path, git_tree *a, git_tree *b);

/* Every blob under (or at) entry e, as added (new) or deleted (!new). */
static int td_side(rg_changeset *cs, git_repository *repo, rg_buf *path,
	const git_tree_entry *e, int is_new)
{
	size_t base = path->len;
	int r = RG_OK;

	rg_buf_puts(path, git_tree_entry_name(e));
	if (td_isdir(e)) {
		git_tree *t = NULL;

		if (git_tree_lookup(&t, repo, git_tree_entry_id(e)) < 0) {
			r = rg_error_from_git(path->ptr);
			goto out;
		}
		rg_buf_putc(path, '/');
		r = is_new ? td_walk(cs, repo, path, NULL, t) : td_walk(cs, repo, path, t, NULL);
		git_tree_free(t);
	} else if (is_new) {
		rg_changeset_add(cs, RG_DELTA_ADDED, NULL, 0, NULL, path->ptr,
			(uint32_t)git_tree_entry_filemode_raw(e), git_tree_entry_id(e));
	} else {
		rg_changeset_add(cs, RG_DELTA_DELETED, path->ptr,
			(uint32_t)git_tree_entry_filemode_raw(e), git_tree_entry_id(e), NULL, 0, NULL);
	}
out:
	rg_buf_truncate(path, base);
	return r;
}

static int td_pair(rg_changeset *cs, git_repository *repo, rg_buf *path,
	const git_tree_entry *x, const git_tree_entry *y)
{
	size_t base = path->len;
	uint32_t mx = (uint32_t)git_tree_entry_filemode_raw(x);
	uint32_t my = (uint32_t)git_tree_entry_filemode_raw(y);
	int r = RG_OK;

	if (git_oid_equal(git_tree_entry_id(x), git_tree_entry_id(y)) && mx == my)
		return RG_OK;
	rg_buf_puts(path, git_tree_entry_name(x));
	if (td_isdir(x)) {
		git_tree *ta = NULL, *tb = NULL;

		if (git_tree_lookup(&ta, repo, git_tree_entry_id(x)) < 0 ||
		    git_tree_lookup(&tb, repo, git_tree_entry_id(y)) < 0) {
			r = rg_error_from_git(path->ptr);
		} else {
			rg_buf_putc(path, '/');
			r = td_walk(cs, repo, path, ta, tb);
		}
		git_tree_free(ta);
		git_tree_free(tb);
	} else {
		rg_delta_status st = (mx & 0170000) == (my & 0170000) ? RG_DELTA_MODIFIED : RG_DELTA_TYPECHANGE;

		rg_changeset_add(cs, st, path->ptr, mx, git_tree_entry_id(x), path->ptr, my,
			git_tree_entry_id(y));
	}
	rg_buf_truncate(path, base);
	return r;
}

static int td_walk(rg_changeset *cs, git_repository *repo, rg_buf *path, git_tree *a, git_tree *b)
{
	size_t na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0;
	int r = RG_OK;

	while (r == RG_OK && (i < na || j < nb)) {
		const git_tree_entry *x = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *y = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int c = !x ? 1 : !y ? -1 : td_cmp(x, y);

		if (c < 0) {
			r = td_side(cs, repo, path, x, 0);
			i++;
		} else if (c > 0) {
			r = td_side(cs, repo, path, y, 1);
			j++;
		} else {
			r = td_pair(cs, repo, path, x, y);
			i++;
			j++;
		}
	}
	return r;
}

int rg_diff_trees_at(rg_changeset *cs, git_repository *repo, const char *prefix,
	git_tree *old_tree, git_tree *new_tree)
{
	rg_buf path = RG_BUF_INIT;
	int r;

	if (old_tree && new_tree && git_oid_equal(git_tree_id(old_tree), git_tree_id(new_tree)))
		return RG_OK;
	rg_buf_puts(&path, prefix);
	r = td_walk(cs, repo, &path, old_tree, new_tree);
	rg_buf_dispose(&path);
	return r;
}

int rg_diff_trees(rg_changeset *cs, git_repository *repo, git_tree *old_tree, git_tree *new_tree)
{
	return rg_diff_trees_at(cs, repo, "", old_tree, new_tree);
}
