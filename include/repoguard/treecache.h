/*
 * treecache.h: raw tree objects read through a small cache keyed by id.
 *
 * A range walk diffs every commit against its parent and then lets the
 * rules look paths up in the new tree (.gitattributes at every level of a
 * changed path, a router file). git_tree_lookup parses each tree into a
 * malloc'd entry array; these read the raw object once (git_odb_read) and
 * walk its entries in place (rg_tree_next). The cache keeps what
 * consecutive commits and the rules share: the new root of one commit is
 * the old root of the next, and the directories the diff just read are the
 * ones the rules look in.
 */
#ifndef REPOGUARD_TREECACHE_H
#define REPOGUARD_TREECACHE_H

#include <stdint.h>
#include <git2.h>

typedef struct rg_treecache rg_treecache;

int rg_treecache_new(rg_treecache **out, git_repository *repo);
void rg_treecache_free(rg_treecache *tc);

/*
 * The raw tree id (a new reference: git_odb_object_free it). path names the
 * tree in error messages ("" for the root). A missing object or one that is
 * not a tree is an error.
 */
int rg_treecache_read(git_odb_object **out, rg_treecache *tc, const git_oid *id, const char *path);

/*
 * Look path ("dir/sub/name", no leading or trailing slash) up below the
 * tree root: 0 with *id and *mode set, RG_ENOTFOUND, or an error. The last
 * component may be any kind of entry (a tree too), as git_tree_entry_bypath.
 */
int rg_treecache_lookup(git_oid *id, uint32_t *mode, rg_treecache *tc, const git_oid *root,
	const char *path);

/*
 * The directory memo: the tree ids of directories of one root tree, so
 * that a look-up starts at the deepest directory of its path already known
 * instead of at the root. A range's diff fills it with every directory it
 * reads on the new side, which are the directories of the changed paths,
 * where the rules look (.gitattributes at every level); look-ups add the
 * directories they pass. reset(root) starts over for another root (keeps it
 * for the same one), reset(NULL) turns it off; look-ups under another root
 * neither use nor fill it.
 */
void rg_treecache_memo_reset(rg_treecache *tc, const git_oid *root);
/* Remember dir ("a/b", len bytes, no trailing slash) as tree id under the memo's root. */
void rg_treecache_memo_dir(rg_treecache *tc, const char *dir, size_t len, const git_oid *id);

#endif
