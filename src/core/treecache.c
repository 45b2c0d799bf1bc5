/* treecache.c: raw trees through a small cache, and path look-ups in them (see treecache.h). */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/objparse.h"
#include "repoguard/treecache.h"

/*
 * Direct-mapped by the id: on bench/ranges.sh a commit reads about 18
 * trees, so the trees of the last dozen commits stay (256 slots: 734 to 715
 * M instructions for ci there, against 64; 1,024 saved instructions but
 * cost as much in page faults). Past TC_MAX_BYTES (huge directories) trees
 * are read without being kept.
 */
#define TC_SLOTS 256
#define TC_MAX_BYTES ((size_t)4 << 20)

typedef struct {
	git_oid id;
	git_odb_object *obj;
} tc_slot;

/* A directory of the memo's root: its path (in keys) and tree id. */
typedef struct {
	size_t off, len;
	git_oid id;
} tc_dir;

struct rg_treecache {
	git_odb *odb;
	size_t bytes;
	tc_slot slot[TC_SLOTS];
	/* the directory memo (see rg_treecache_memo_reset) */
	int memo_on;
	git_oid memo_root;
	rg_buf keys;
	tc_dir *dirs;
	size_t ndirs, dirs_alloc;
	uint32_t *hash;       /* open addressing: index + 1 into dirs, 0 when empty */
	size_t hash_mask;     /* slots - 1 (a power of two), 0 before the first use */
};

int rg_treecache_new(rg_treecache **out, git_repository *repo)
{
	rg_treecache *tc = rg_calloc(1, sizeof(*tc));

	*out = NULL;
	if (git_repository_odb(&tc->odb, repo) < 0) {
		free(tc);
		return rg_error_from_git("cannot open the object database");
	}
	*out = tc;
	return RG_OK;
}

void rg_treecache_free(rg_treecache *tc)
{
	size_t i;

	if (!tc)
		return;
	for (i = 0; i < TC_SLOTS; i++)
		git_odb_object_free(tc->slot[i].obj);
	git_odb_free(tc->odb);
	rg_buf_dispose(&tc->keys);
	free(tc->dirs);
	free(tc->hash);
	free(tc);
}

/* ---- the directory memo ------------------------------------------------------ */

static uint32_t memo_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The slot of dir (len bytes): where it is, or the empty slot where it would go. */
static uint32_t *memo_slot(rg_treecache *tc, const char *dir, size_t len)
{
	size_t i = memo_hash(dir, len) & tc->hash_mask;

	for (;; i = (i + 1) & tc->hash_mask) {
		uint32_t *slot = &tc->hash[i];
		const tc_dir *d;

		if (!*slot)
			return slot;
		d = &tc->dirs[*slot - 1];
		if (d->len == len && !memcmp(tc->keys.ptr + d->off, dir, len))
			return slot;
	}
}

static void memo_rehash(rg_treecache *tc, size_t slots)
{
	size_t i;

	free(tc->hash);
	tc->hash = rg_calloc(slots, sizeof(*tc->hash));
	tc->hash_mask = slots - 1;
	for (i = 0; i < tc->ndirs; i++)
		*memo_slot(tc, tc->keys.ptr + tc->dirs[i].off, tc->dirs[i].len) = (uint32_t)(i + 1);
}

void rg_treecache_memo_reset(rg_treecache *tc, const git_oid *root)
{
	if (root && tc->memo_on && git_oid_equal(root, &tc->memo_root))
		return; /* the same tree: what the memo knows stays true */
	tc->memo_on = root != NULL;
	if (root)
		git_oid_cpy(&tc->memo_root, root);
	rg_buf_truncate(&tc->keys, 0);
	tc->ndirs = 0;
	if (tc->hash)
		memset(tc->hash, 0, (tc->hash_mask + 1) * sizeof(*tc->hash));
}

void rg_treecache_memo_dir(rg_treecache *tc, const char *dir, size_t len, const git_oid *id)
{
	uint32_t *slot;
	tc_dir *d;

	if (!tc->memo_on || !len)
		return;
	if ((tc->ndirs + 1) * 2 > tc->hash_mask)
		memo_rehash(tc, tc->hash_mask ? (tc->hash_mask + 1) * 2 : 64);
	slot = memo_slot(tc, dir, len);
	if (*slot)
		return;
	RG_GROW(tc->dirs, tc->dirs_alloc, tc->ndirs + 1);
	d = &tc->dirs[tc->ndirs++];
	d->off = tc->keys.len;
	d->len = len;
	git_oid_cpy(&d->id, id);
	rg_buf_put(&tc->keys, dir, len);
	*slot = (uint32_t)tc->ndirs;
}

/* The deepest directory of path the memo knows (under root): its length, and *id. */
static size_t memo_deepest(git_oid *id, rg_treecache *tc, const git_oid *root, const char *path)
{
	size_t len = strlen(path);
	const char *end;

	if (!tc->memo_on || !tc->ndirs || !git_oid_equal(root, &tc->memo_root))
		return 0;
	if (len && path[len - 1] == '/')
		len--; /* "dir/": dir is the last component, not a directory above it */
	for (end = memrchr(path, '/', len); end; end = end > path ? memrchr(path, '/', (size_t)(end - path)) : NULL) {
		uint32_t slot = *memo_slot(tc, path, (size_t)(end - path));

		if (slot) {
			git_oid_cpy(id, &tc->dirs[slot - 1].id);
			return (size_t)(end - path) + 1;
		}
	}
	return 0;
}

static tc_slot *tc_slot_of(rg_treecache *tc, const git_oid *id)
{
	return &tc->slot[(id->id[0] | (size_t)id->id[1] << 8) % TC_SLOTS];
}

static void tc_store(rg_treecache *tc, const git_oid *id, git_odb_object *obj)
{
	tc_slot *s = tc_slot_of(tc, id);
	size_t len = git_odb_object_size(obj);

	if (s->obj) {
		tc->bytes -= git_odb_object_size(s->obj);
		git_odb_object_free(s->obj);
		s->obj = NULL;
	}
	if (tc->bytes + len > TC_MAX_BYTES || git_odb_object_dup(&s->obj, obj) < 0)
		return;
	git_oid_cpy(&s->id, id);
	tc->bytes += len;
}

/* The tree id at path (plen bytes; 0 for the root, named "/" in errors). */
static int tc_read(git_odb_object **out, rg_treecache *tc, const git_oid *id,
	const char *path, size_t plen)
{
	tc_slot *s = tc_slot_of(tc, id);
	char hex[GIT_OID_HEXSZ + 1];

	*out = NULL;
	if (s->obj && git_oid_equal(&s->id, id)) {
		git_odb_object_dup(out, s->obj);
		return RG_OK;
	}
	if (!plen)
		path = "/", plen = 1;
	git_oid_tostr(hex, sizeof(hex), id);
	if (git_odb_read(out, tc->odb, id) < 0) {
		const git_error *ge = git_error_last();

		rg_error_set("cannot read the tree '%.*s' (%s): %s; the repository is incomplete or "
			"corrupt (run git fsck)", (int)plen, path, hex, ge ? ge->message : "not found");
		*out = NULL;
		return RG_ERROR;
	}
	if (git_odb_object_type(*out) != GIT_OBJECT_TREE) {
		rg_error_set("'%.*s' (%s) is not a tree: the repository is corrupt (run git fsck)",
			(int)plen, path, hex);
		git_odb_object_free(*out);
		*out = NULL;
		return RG_ERROR;
	}
	tc_store(tc, id, *out);
	return RG_OK;
}

int rg_treecache_read(git_odb_object **out, rg_treecache *tc, const git_oid *id, const char *path)
{
	return tc_read(out, tc, id, path, strlen(path));
}

int rg_treecache_lookup(git_oid *id, uint32_t *mode, rg_treecache *tc, const git_oid *root,
	const char *path)
{
	git_oid cur;
	const char *p;
	int r = RG_ENOTFOUND;

	git_oid_cpy(&cur, root);
	p = path + memo_deepest(&cur, tc, root, path);
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		git_odb_object *obj = NULL;
		rg_tree_ent e;
		int f;

		if (!len)
			return RG_ENOTFOUND;
		r = tc_read(&obj, tc, &cur, path, (size_t)(p - path));
		if (r < 0)
			return r;
		f = rg_tree_find(&e, git_odb_object_data(obj), git_odb_object_size(obj), p, len);
		if (f == 1) {
			git_oid_fromraw(&cur, e.id);
			*mode = e.mode;
		}
		git_odb_object_free(obj);
		if (f < 0) {
			rg_error_set("malformed tree on the way to '%s': the repository is corrupt "
				"(run git fsck)", path);
			return RG_ERROR;
		}
		if (!f)
			return RG_ENOTFOUND;
		if (!slash || !slash[1]) {
			/* "dir/": only a directory */
			if (slash && RG_MODE_TYPE(*mode) != RG_MODE_TREE)
				return RG_ENOTFOUND;
			git_oid_cpy(id, &cur);
			return RG_OK;
		}
		if (RG_MODE_TYPE(*mode) != RG_MODE_TREE)
			return RG_ENOTFOUND;
		if (git_oid_equal(root, &tc->memo_root))
			rg_treecache_memo_dir(tc, path, (size_t)(slash - path), &cur);
		p = slash + 1;
	}
}
