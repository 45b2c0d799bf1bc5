/*
 * objparse.h: parsers of raw git objects (trees, commit headers) for the
 * history walker. libgit2's git_tree / git_commit
 * objects allocate per entry and go through the object cache; the audit
 * reads every distinct tree of a history once, so it parses the raw bytes
 * in place instead (see source-history.c).
 */
#ifndef REPOGUARD_OBJPARSE_H
#define REPOGUARD_OBJPARSE_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>

typedef struct {
	uint32_t mode;        /* octal mode as written: 040000, 100644, 120000, 160000 */
	const char *name;     /* points into the object data, not NUL-terminated */
	size_t name_len;
	const unsigned char *id; /* GIT_OID_RAWSZ bytes, in the object data */
} rg_tree_ent;

/*
 * Next entry of a raw tree object ("MODE SP NAME NUL ID"). *pos advances.
 * Returns 1 with *e set, 0 at the end, RG_ERROR on a malformed tree (bad
 * mode, empty name, a name containing '/', a truncated id).
 */
int rg_tree_next(rg_tree_ent *e, const char *data, size_t len, size_t *pos);

/*
 * The entry name (name_len bytes) of a raw tree, for path look-ups: entries
 * are sorted, so the scan stops at the first entry whose name is greater
 * than name at a byte they differ in (it sorts after name both as a file and
 * as a directory). The entries on the way are only stepped over (mode to its
 * space, name to its NUL, as rg_tree_next delimits them); the match is
 * parsed in full. 1 with *e set, 0 when absent, RG_ERROR when the tree is
 * malformed on the way.
 */
int rg_tree_find(rg_tree_ent *e, const char *data, size_t len, const char *name, size_t name_len);

/*
 * Where the last entry that lies wholly in the first p bytes of a raw tree
 * ends (0 when none does), stepping from NUL to NUL without parsing: the
 * diff skips the bytes two versions of a directory share this way.
 */
size_t rg_tree_skip(const char *data, size_t p);

#define RG_MODE_TYPE(m) ((m) & 0170000)
#define RG_MODE_TREE 0040000
#define RG_MODE_GITLINK 0160000

/*
 * git's tree order (base_name_compare) of two names of la and lb bytes: a
 * directory (a_dir, b_dir) sorts as if its name ended in '/'.
 */
static inline int rg_tree_name_cmp(const char *a, size_t la, int a_dir,
	const char *b, size_t lb, int b_dir)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	size_t n = la < lb ? la : lb, k = 0;
	unsigned ca, cb;

	while (k < n && x[k] == y[k])
		k++;
	if (k < n)
		return x[k] < y[k] ? -1 : 1;
	ca = la > n ? x[n] : (a_dir ? '/' : 0);
	cb = lb > n ? y[n] : (b_dir ? '/' : 0);
	return ca < cb ? -1 : ca > cb;
}

typedef struct {
	git_oid tree;
	git_oid *parents;     /* caller frees */
	size_t nparents;
	int64_t time;         /* committer time, 0 when absent */
	size_t message;       /* offset of the message, after the header's blank line (len: none) */
} rg_commit_hdr;

/* Parse the header of a raw commit object. RG_ERROR when there is no tree line. */
int rg_commit_parse(rg_commit_hdr *out, const char *data, size_t len);
void rg_commit_hdr_free(rg_commit_hdr *c);

/* Is id in a sorted array of n ids (a parsed shallow file, say)? */
int rg_oid_in_sorted(const git_oid *v, size_t n, const git_oid *id);

#endif
