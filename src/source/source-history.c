/*
 * source-history.c: the history walker behind `repoguard audit` (history.h).
 *
 * Cost model. `git rev-list --objects --all | git cat-file --batch-check` is
 * git's floor for "every object of a history with its size": each distinct
 * tree is parsed once and each distinct object's header read once. This
 * walker does the same work and no more:
 *   - commits are read raw (git_odb_read) and only their header is parsed;
 *   - every distinct tree is read once, raw, and parsed in place
 *     (rg_tree_next): git_tree_lookup would allocate an entry array per tree
 *     and pass it through the object cache, which only costs here since each
 *     tree is visited once; the object cache is therefore bypassed for trees;
 *   - an unchanged subtree is recognised by its id and skipped, as git does;
 *   - blob sizes come from the object header (git_odb_read_header) once per
 *     distinct blob and are then looked up in a table; content is never read,
 *     so a blob of several GiB costs what a small one does.
 * What the audit needs beyond sizes is kept per distinct tree: its recursive
 * file count, size and largest blob, and an interned "skeleton" (the blocked
 * directories and secret-looking files below it, sharing subtrees). Commits
 * with equal skeletons share one pointer, so finding the commits that
 * introduced or removed a blocked path compares pointers, and walks
 * skeletons (a handful of entries) only where they differ.
 *
 * Patterns that look at more than the last path component (anchored ones
 * such as /dist/) make a tree's skeleton depend on where the tree sits; the
 * walker then keys trees by (id, path) instead of id, which re-walks a tree
 * only when it appears under a new path (a renamed directory).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/history.h"
#include "repoguard/objparse.h"

#include "history-int.h"

static double hw_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- tables ---------------------------------------------------------------- */

static uint64_t node_hash(const hw *w, uint32_t i)
{
	return hw_oid_hash(&w->nodes[i].id) ^ w->nodes[i].pathkey;
}

static uint64_t blob_hash(const hw *w, uint32_t i)
{
	return hw_oid_hash(&w->blobs[i].id);
}

static uint32_t node_find(const hw *w, const git_oid *id, uint64_t pathkey)
{
	const ixmap *m = &w->node_map;
	uint64_t hv = hw_oid_hash(id) ^ pathkey;
	size_t s = (size_t)hv & m->mask;

	for (; m->slot[s]; s = (s + 1) & m->mask) {
		const hw_node *n;

		if (IXTAG(m->slot[s]) != (uint32_t)(hv >> 32))
			continue;
		n = &w->nodes[IXV(m->slot[s])];
		if (n->pathkey == pathkey && !memcmp(n->id.id, id->id, GIT_OID_RAWSZ))
			return IXV(m->slot[s]);
	}
	return RG_HIST_NONE;
}

static uint32_t node_add(hw *w, const git_oid *id, uint64_t pathkey)
{
	uint32_t i = (uint32_t)w->nnodes;

	RG_GROW(w->nodes, w->nodes_alloc, w->nnodes + 1);
	memset(&w->nodes[i], 0, sizeof(w->nodes[i]));
	git_oid_cpy(&w->nodes[i].id, id);
	w->nodes[i].pathkey = pathkey;
	w->nnodes++;
	ixmap_maybe_grow(&w->node_map, w, node_hash);
	ixmap_put(&w->node_map, node_hash(w, i), i);
	return i;
}

static uint32_t blob_find(const hw *w, const git_oid *id)
{
	const ixmap *m = &w->blob_map;
	uint64_t hv = hw_oid_hash(id);
	size_t s = (size_t)hv & m->mask;

	for (; m->slot[s]; s = (s + 1) & m->mask)
		if (IXTAG(m->slot[s]) == (uint32_t)(hv >> 32) &&
		    !memcmp(w->blobs[IXV(m->slot[s])].id.id, id->id, GIT_OID_RAWSZ))
			return IXV(m->slot[s]);
	return RG_HIST_NONE;
}

typedef struct {
	hw_ent *v;
	uint32_t n;
	size_t alloc;
} ent_vec;

static void ent_push(hw *w, ent_vec *ev, const char *name, size_t nlen, int kind,
	uint32_t target, uint32_t mode, size_t pat, const hw_skel *sub)
{
	hw_ent *e;

	RG_GROW(ev->v, ev->alloc, (size_t)ev->n + 1);
	e = &ev->v[ev->n++];
	memset(e, 0, sizeof(*e));
	e->name = rg_hw_name_intern(w, name, nlen);
	e->kind = (uint32_t)kind;
	e->target = target;
	e->mode = mode;
	e->pat = (uint32_t)pat;
	e->sub = sub;
}

/* ---- 64-bit keys to values ------------------------------------------------------ */

static void kv_init(hw_kvmap *m, size_t cap)
{
	size_t sz = 64;

	while (sz < cap * 2)
		sz <<= 1;
	m->key = rg_calloc(sz, sizeof(*m->key));
	m->val = rg_calloc(sz, sizeof(*m->val));
	m->mask = sz - 1;
	m->n = 0;
}

static void kv_free(hw_kvmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

static size_t kv_slot(const hw_kvmap *m, uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & m->mask;
}

/* The value of key (never 0), or NULL. */
static const uint32_t *kv_find(const hw_kvmap *m, uint64_t key)
{
	size_t s;

	for (s = kv_slot(m, key); m->key[s]; s = (s + 1) & m->mask)
		if (m->key[s] == key)
			return &m->val[s];
	return NULL;
}

static void kv_put(hw_kvmap *m, uint64_t key, uint32_t val)
{
	size_t s;

	if ((m->n + 1) * 3 >= (m->mask + 1) * 2) {
		hw_kvmap g;
		size_t i;

		kv_init(&g, m->mask + 1);
		for (i = 0; i <= m->mask; i++)
			if (m->key[i])
				kv_put(&g, m->key[i], m->val[i]);
		kv_free(m);
		*m = g;
	}
	for (s = kv_slot(m, key); m->key[s]; s = (s + 1) & m->mask)
		;
	m->key[s] = key;
	m->val[s] = val;
	m->n++;
}

/* ---- path records ------------------------------------------------------------ */

static uint64_t rec_hash(const rg_hist *h, uint32_t i)
{
	const rg_hist_path *p = &h->paths[i];

	return hw_str_hash(p->path, strlen(p->path)) ^ (uint64_t)p->kind;
}

uint32_t rg_hw_rec_get(rg_hist *h, const char *path, int kind, int is_dir, const rg_pattern *by)
{
	hw *w = h->w;
	ixmap *m = &w->path_map;
	uint64_t hv = hw_str_hash(path, strlen(path)) ^ (uint64_t)kind;
	size_t slot = (size_t)hv & m->mask;
	uint32_t i;

	for (; m->slot[slot]; slot = (slot + 1) & m->mask) {
		rg_hist_path *p = &h->paths[IXV(m->slot[slot])];

		if (p->kind == kind && !strcmp(p->path, path))
			return IXV(m->slot[slot]);
	}
	i = (uint32_t)h->npaths;
	RG_GROW(h->paths, w->paths_alloc, h->npaths + 1);
	memset(&h->paths[i], 0, sizeof(h->paths[i]));
	h->paths[i].path = rg_strdup(path);
	h->paths[i].kind = kind;
	h->paths[i].is_dir = is_dir;
	h->paths[i].by = by;
	h->npaths++;
	if ((m->n + 1) * 3 >= (m->mask + 1) * 2) {
		ixmap g;
		size_t k;

		ixmap_init(&g, m->mask + 1);
		for (k = 0; k < h->npaths - 1; k++)
			ixmap_put(&g, rec_hash(h, (uint32_t)k), (uint32_t)k);
		free(m->slot);
		*m = g;
	}
	ixmap_put(m, hv, i);
	return i;
}

/* ---- largest blobs ------------------------------------------------------------ */

static void largest_offer(rg_hist *h, const git_oid *id, uint64_t size, const char *path)
{
	size_t n = h->nlargest, cap = h->o.largest, i;
	rg_hist_blob *v = h->largest;

	if (!cap || (n == cap && size <= v[n - 1].size))
		return;
	if (n == cap) {
		free(v[n - 1].path);
		n--;
	}
	i = n;
	while (i > 0 && v[i - 1].size < size) {
		v[i] = v[i - 1];
		i--;
	}
	git_oid_cpy(&v[i].id, id);
	v[i].size = size;
	v[i].commit = h->w->cur_commit;
	v[i].path = rg_strdup(path);
	h->nlargest = n + 1;
}

/* ---- blobs ------------------------------------------------------------------------ */

/* Size of a blob, read from its header the first time it is seen. *is_new set on first sight. */
static uint64_t blob_size(rg_hist *h, const git_oid *id, int *is_new, uint32_t *idx)
{
	hw *w = h->w;
	uint32_t i = blob_find(w, id);
	size_t len = 0;
	git_object_t type;

	*is_new = 0;
	if (i != RG_HIST_NONE) {
		*idx = i;
		return w->blobs[i].size;
	}
	*is_new = 1;
	i = (uint32_t)w->nblobs;
	RG_GROW(w->blobs, w->blobs_alloc, w->nblobs + 1);
	git_oid_cpy(&w->blobs[i].id, id);
	if (git_odb_read_header(&len, &type, h->odb, id) < 0) {
		git_error_clear();
		w->blobs[i].size = HW_SIZE_UNKNOWN;
		h->st.missing_blobs++;
	} else {
		w->blobs[i].size = (uint64_t)len;
		h->st.blob_bytes += len;
	}
	w->blobs[i].cls = 0;
	w->blobs[i].more = RG_HIST_NONE;
	w->nblobs++;
	h->st.blobs++;
	ixmap_maybe_grow(&w->blob_map, w, blob_hash);
	ixmap_put(&w->blob_map, blob_hash(w, i), i);
	*idx = i;
	if (w->blobs[i].size != HW_SIZE_UNKNOWN)
		largest_offer(h, id, w->blobs[i].size, w->path.ptr);
	return w->blobs[i].size;
}

/* Where blob i was first met: the tree being walked, the entry's name, the commit. */
static void blob_first(hw *w, uint32_t i, const rg_tree_ent *e)
{
	hw_blob *b = &w->blobs[i];

	b->first.dir = w->cur_node;
	b->first.name = rg_hw_name_intern(w, e->name, e->name_len);
	b->commit = w->cur_commit;
	b->mode = e->mode;
}

/* ---- blob classes (rg_hist_opts.blob_class) ------------------------------------ */

#define HW_HASH_EMPTY 1469598103934665603ULL   /* the root's path hash (hw_path_hash) */

/*
 * The hash of path/name from path's (dir; HW_HASH_EMPTY at the root): the
 * name a word at a time, with its length, so that "a/b" and "ab" differ.
 * Computed for every entry the walk reads (FNV a byte at a time was 1.6 %
 * of bench/audit.sh's instructions). name lies in a tree object, where a
 * NUL and a 20-byte id follow it: its last word is read whole, then masked.
 */
static inline uint64_t hw_path_hash(uint64_t dir, const char *name, size_t n)
{
	const uint64_t k = 0x9E3779B97F4A7C15ULL;
	uint64_t h = (dir ^ n) * k, v;

	for (; n >= 8; name += 8, n -= 8) {
		memcpy(&v, name, 8);
		h = (h ^ v) * k;
		h ^= h >> 29;
	}
	if (n) {
		const uint16_t one = 1;
		unsigned char little;

		memcpy(&little, &one, 1);
		memcpy(&v, name, 8);
		/* keep the name's n bytes: the low ones on a little-endian machine, the high ones on a big-endian one */
		v &= little ? ~(uint64_t)0 >> (64 - 8 * n) : ~(uint64_t)0 << (64 - 8 * n);
		h = (h ^ v) * k;
	}
	return h ^ (h >> 32);
}

/* The class of the path being walked (w->path, its hash w->dirhash): asked once per distinct path. */
static uint32_t class_of(rg_hist *h)
{
	hw *w = h->w;
	uint64_t key = w->dirhash ? w->dirhash : 1;
	const uint32_t *v = kv_find(&w->class_map, key);
	uint32_t cls;

	if (v)
		return *v - 1;
	cls = h->o.blob_class(h->o.blob_class_payload, w->path.ptr);
	kv_put(&w->class_map, key, cls + 1);
	return cls;
}

/* Blob bi met at the path being walked: a new sight when no earlier one had its class. */
static void blob_sight(rg_hist *h, uint32_t bi, uint32_t mode, int is_new)
{
	hw *w = h->w;
	uint32_t cls = class_of(h), last = RG_HIST_NONE, k;
	hw_sight *s;

	if (is_new) {
		w->blobs[bi].cls = cls;
		return;
	}
	if (w->blobs[bi].cls == cls)
		return;
	for (k = w->blobs[bi].more; k != RG_HIST_NONE; k = w->sights[k].next) {
		if (w->sights[k].cls == cls)
			return;
		last = k;
	}
	RG_GROW(w->sights, w->sights_alloc, w->nsights + 1);
	s = &w->sights[w->nsights];
	s->path = rg_strdup(w->path.ptr);
	s->commit = w->cur_commit;
	s->mode = mode;
	s->cls = cls;
	s->next = RG_HIST_NONE;
	if (last == RG_HIST_NONE)
		w->blobs[bi].more = (uint32_t)w->nsights;
	else
		w->sights[last].next = (uint32_t)w->nsights;
	w->nsights++;
}

static int hw_read_tree(git_odb_object **out, rg_hist *h, const git_oid *id);
static uint64_t hw_pathkey(const hw *w);
static size_t hw_push(hw *w, const char *name, size_t nlen);

/*
 * A tree walked before, met unchanged under another path (a moved or copied
 * directory): its blobs are sighted under this path, once per (tree, path).
 * w->path and w->dirhash are the tree's path here.
 */
static void resight_tree(rg_hist *h, uint32_t ni, int depth)
{
	hw *w = h->w;
	uint64_t dh = w->dirhash, key;
	git_odb_object *obj = NULL;
	rg_tree_ent e;
	size_t pos = 0, len;
	const char *data;

	if (w->nodes[ni].dirhash == dh || (w->nodes[ni].flags & N_MISSING) || depth > HW_MAX_DEPTH)
		return;
	key = (dh ^ ((uint64_t)(ni + 1) * 0x9E3779B97F4A7C15ULL)) | 1;
	if (kv_find(&w->resight_map, key))
		return;
	kv_put(&w->resight_map, key, ni + 1);
	if (hw_read_tree(&obj, h, &w->nodes[ni].id) < 0)
		return;
	data = git_odb_object_data(obj);
	len = git_odb_object_size(obj);
	while (rg_tree_next(&e, data, len, &pos) == 1) {
		uint32_t type = RG_MODE_TYPE(e.mode), t;
		size_t base = hw_push(w, e.name, e.name_len);
		git_oid id;

		git_oid_fromraw(&id, e.id);
		w->dirhash = hw_path_hash(dh, e.name, e.name_len);
		if (type == RG_MODE_TREE) {
			if ((t = node_find(w, &id, hw_pathkey(w))) != RG_HIST_NONE)
				resight_tree(h, t, depth + 1);
		} else if (type != RG_MODE_GITLINK && (t = blob_find(w, &id)) != RG_HIST_NONE) {
			blob_sight(h, t, e.mode, 0);
		}
		w->dirhash = dh;
		rg_buf_truncate(&w->path, base);
	}
	git_odb_object_free(obj);
}

static void rec_count_blob(rg_hist *h, uint32_t rec, uint64_t size)
{
	rg_hist_path *p = &h->paths[rec];

	p->hist_files++;
	if (size == HW_SIZE_UNKNOWN)
		p->hist_unknown = 1;
	else
		p->hist_bytes += size;
}

/* ---- the tree walk ------------------------------------------------------------- */

static int hw_read_tree(git_odb_object **out, rg_hist *h, const git_oid *id)
{
	*out = NULL;
	if (git_odb_read(out, h->odb, id) < 0) {
		git_error_clear();
		return RG_ENOTFOUND;
	}
	if (git_odb_object_type(*out) != GIT_OBJECT_TREE) {
		git_odb_object_free(*out);
		*out = NULL;
		return RG_ERROR;
	}
	return RG_OK;
}

static uint64_t hw_pathkey(const hw *w)
{
	return w->path_dependent ? hw_str_hash(w->path.ptr, w->path.len) | 1 : 0;
}

/* Append "/name" (or "name" at the root) to the path; returns the old length. */
static size_t hw_push(hw *w, const char *name, size_t nlen)
{
	size_t base = w->path.len;

	if (base)
		rg_buf_putc(&w->path, '/');
	rg_buf_put(&w->path, name, nlen);
	return base;
}

static int hw_match(rg_hist *h, const rg_fastpats *f, size_t **hits, size_t nlen, int isdir, size_t *which)
{
	hw *w = h->w;
	int r;

	if (!f->n)
		return -1;
	r = rg_fastpats_match1(f, w->path.ptr, w->path.len, w->path.ptr + w->path.len - nlen,
		nlen, isdir, which);
	if (r >= 0 && *hits)
		(*hits)[*which]++;
	return r;
}

static const hw_skel *skel_of(rg_hist *h, uint32_t node, int depth);

/* The skeleton of a tree walked inside a blocked directory, computed on demand. */
static const hw_skel *skel_compute(rg_hist *h, uint32_t ni, int depth)
{
	hw *w = h->w;
	git_odb_object *obj = NULL;
	rg_tree_ent e;
	ent_vec ev = { NULL, 0, 0 };
	size_t pos = 0, len;
	const char *data;
	int r;

	w->nodes[ni].flags |= N_SKEL;
	if (w->nodes[ni].flags & N_MISSING || hw_read_tree(&obj, h, &w->nodes[ni].id) < 0)
		return NULL;
	data = git_odb_object_data(obj);
	len = git_odb_object_size(obj);
	while ((r = rg_tree_next(&e, data, len, &pos)) == 1) {
		size_t base = hw_push(w, e.name, e.name_len), which = 0;
		uint32_t type = RG_MODE_TYPE(e.mode);
		int isdir = type == RG_MODE_TREE || type == RG_MODE_GITLINK;
		git_oid id;

		git_oid_fromraw(&id, e.id);
		/* a symbolic link named node_modules is the folder, linked, as in rule-block.c */
		if (hw_match(h, &w->block, &h->block_hits, e.name_len, isdir || type == RG_MODE_TYPE(0120000),
			&which) == 1) {
			uint32_t t = type == RG_MODE_TREE ? node_find(w, &id, hw_pathkey(w)) :
				type == RG_MODE_GITLINK ? RG_HIST_NONE : blob_find(w, &id);
			ent_push(w, &ev, e.name, e.name_len, SK_BLOCK, t, e.mode, which, NULL);
		} else if (type == RG_MODE_TREE) {
			uint32_t c = node_find(w, &id, hw_pathkey(w));
			const hw_skel *sub = c == RG_HIST_NONE ? NULL : skel_of(h, c, depth + 1);

			if (sub)
				ent_push(w, &ev, e.name, e.name_len, SK_SUB, c, e.mode, 0, sub);
		} else if (type != RG_MODE_GITLINK &&
			   hw_match(h, &w->secret, &h->secret_hits, e.name_len, 0, &which) == 1) {
			ent_push(w, &ev, e.name, e.name_len, SK_SECRET, blob_find(w, &id), e.mode, which, NULL);
		}
		rg_buf_truncate(&w->path, base);
	}
	git_odb_object_free(obj);
	w->nodes[ni].skel = rg_hw_skel_intern(w, ev.v, ev.n);
	free(ev.v);
	return w->nodes[ni].skel;
}

static const hw_skel *skel_of(rg_hist *h, uint32_t node, int depth)
{
	if (node == RG_HIST_NONE)
		return NULL;
	if (h->w->nodes[node].flags & N_SKEL)
		return h->w->nodes[node].skel;
	if (depth > HW_MAX_DEPTH)
		return NULL;
	return skel_compute(h, node, depth);
}

typedef struct {
	uint64_t files, bytes, max_blob;
	uint32_t flags;
} hw_agg;

static uint32_t walk_tree(rg_hist *h, const git_oid *id, const rg_tree_ent *at, int in_blocked, int depth);

static void agg_blob(hw_agg *a, uint64_t size)
{
	a->files++;
	if (size == HW_SIZE_UNKNOWN) {
		a->flags |= N_UNKNOWN;
		return;
	}
	a->bytes += size;
	if (size > a->max_blob)
		a->max_blob = size;
}

static void agg_tree(hw_agg *a, const hw_node *c)
{
	a->files += c->files;
	a->bytes += c->bytes;
	if (c->max_blob > a->max_blob)
		a->max_blob = c->max_blob;
	a->flags |= c->flags & (N_UNKNOWN | N_MISSING) ? N_UNKNOWN : 0;
	a->flags |= c->flags & (N_HOLE | N_MISSING) ? N_HOLE : 0;
	a->flags |= c->flags & N_ATTR;
}

/* One entry of a tree being walked; path already holds its path. */
static void walk_entry(rg_hist *h, const rg_tree_ent *e, int in_blocked, int depth,
	hw_agg *agg, ent_vec *ev)
{
	hw *w = h->w;
	uint32_t type = RG_MODE_TYPE(e->mode), t = RG_HIST_NONE, saved = w->blocked_rec;
	int isdir = type == RG_MODE_TREE || type == RG_MODE_GITLINK, blocked = 0, is_new = 0;
	size_t which = 0, swhich = 0;
	git_oid id;

	git_oid_fromraw(&id, e->id);
	/* a symbolic link named node_modules is the folder, linked, as in rule-block.c */
	if (hw_match(h, &w->block, &h->block_hits, e->name_len, isdir || type == RG_MODE_TYPE(0120000),
		&which) == 1 && !in_blocked) {
		blocked = 1;
		w->blocked_rec = rg_hw_rec_get(h, w->path.ptr, RG_HIST_BLOCK, isdir, w->block.v[which].p);
	}
	if (type == RG_MODE_TREE) {
		t = walk_tree(h, &id, e, in_blocked || blocked, depth + 1);
		agg_tree(agg, &w->nodes[t]);
	} else if (type != RG_MODE_GITLINK) {
		uint64_t size = blob_size(h, &id, &is_new, &t);

		if (is_new)
			blob_first(w, t, e);
		if (w->classify)
			blob_sight(h, t, e->mode, is_new);
		agg_blob(agg, size);
		if (e->name_len == 14 && !memcmp(e->name, ".gitattributes", 14))
			agg->flags |= N_ATTR;
		if (is_new && w->blocked_rec != RG_HIST_NONE)
			rec_count_blob(h, w->blocked_rec, size);
		if (!in_blocked && !blocked &&
		    hw_match(h, &w->secret, &h->secret_hits, e->name_len, 0, &swhich) == 1) {
			uint32_t rec = rg_hw_rec_get(h, w->path.ptr, RG_HIST_SECRET, 0, w->secret.v[swhich].p);

			if (is_new)
				rec_count_blob(h, rec, size);
			ent_push(w, ev, e->name, e->name_len, SK_SECRET, t, e->mode, swhich, NULL);
		}
	}
	w->blocked_rec = saved;
	if (in_blocked)
		return;
	if (blocked)
		ent_push(w, ev, e->name, e->name_len, SK_BLOCK, t, e->mode, which, NULL);
	else if (type == RG_MODE_TREE) {
		const hw_skel *sub = skel_of(h, t, depth + 1);

		if (sub)
			ent_push(w, ev, e->name, e->name_len, SK_SUB, t, e->mode, 0, sub);
	}
}

/* Walk a tree met as entry at (NULL: a root tree) unless it was walked before. */
static uint32_t walk_tree(rg_hist *h, const git_oid *id, const rg_tree_ent *at, int in_blocked, int depth)
{
	hw *w = h->w;
	uint64_t pk = hw_pathkey(w);
	uint32_t ni = node_find(w, id, pk);
	git_odb_object *obj = NULL;
	ent_vec ev = { NULL, 0, 0 };
	hw_agg agg = { 0, 0, 0, 0 };
	rg_tree_ent e;
	size_t pos = 0, len;
	const char *data;
	int r;

	if (ni != RG_HIST_NONE) {
		if (w->classify)
			resight_tree(h, ni, depth);
		return ni;
	}
	ni = node_add(w, id, pk);
	w->nodes[ni].dirhash = w->dirhash;
	w->nodes[ni].first.dir = w->cur_node;
	w->nodes[ni].first.name = at ? rg_hw_name_intern(w, at->name, at->name_len) : NULL;
	h->st.trees++;
	if (depth > HW_MAX_DEPTH || (r = hw_read_tree(&obj, h, id)) < 0) {
		w->nodes[ni].flags = N_MISSING | N_UNKNOWN | N_HOLE | N_SKEL;
		if (depth > HW_MAX_DEPTH)
			h->st.bad_trees++;
		else
			h->st.missing_trees++;
		return ni;
	}
	data = git_odb_object_data(obj);
	len = git_odb_object_size(obj);
	while ((r = rg_tree_next(&e, data, len, &pos)) == 1) {
		uint64_t dh = w->dirhash;
		size_t base = hw_push(w, e.name, e.name_len);
		uint32_t saved = w->cur_node;

		h->st.entries++;
		w->cur_node = ni;
		if (w->classify) /* the entry's path hash, for its class (a blob) or as a tree's own */
			w->dirhash = hw_path_hash(dh, e.name, e.name_len);
		walk_entry(h, &e, in_blocked, depth, &agg, &ev);
		w->dirhash = dh;
		w->cur_node = saved;
		rg_buf_truncate(&w->path, base);
	}
	if (r < 0) {
		h->st.bad_trees++;
		agg.flags |= N_UNKNOWN;
	}
	git_odb_object_free(obj);
	w->nodes[ni].files = agg.files;
	w->nodes[ni].bytes = agg.bytes;
	w->nodes[ni].max_blob = agg.max_blob;
	w->nodes[ni].flags |= agg.flags;
	if (!in_blocked) {
		w->nodes[ni].skel = rg_hw_skel_intern(w, ev.v, ev.n);
		w->nodes[ni].flags |= N_SKEL;
	}
	free(ev.v);
	return ni;
}

static void progress(rg_hist *h, size_t done, int final)
{
	hw *w = h->w;
	double now = hw_now(), el = now - w->t0, rate;
	char a[32], b[32];

	if (!h->o.progress)
		return;
	if (final) {
		if (w->printed)
			fputs("\r\033[K", stderr);
		return;
	}
	if (el < 1.0 || now - w->last_print < 0.25)
		return;
	w->last_print = now;
	w->printed = 1;
	rate = done / el;
	rg_fmt_count(a, sizeof(a), done);
	rg_fmt_count(b, sizeof(b), h->ncommits);
	fprintf(stderr, "\rrepoguard audit: %s/%s commits, %.0f commits/s, ETA %.0fs\033[K",
		a, b, rate, rate > 0 ? (double)(h->ncommits - done) / rate : 0.0);
	fflush(stderr);
}

static void walk_init(rg_hist *h, git_repository *repo, git_odb *odb, const rg_hist_opts *o)
{
	hw *w;

	memset(h, 0, sizeof(*h));
	h->repo = repo;
	h->odb = odb;
	h->o = *o;
	h->head = RG_HIST_NONE;
	h->w = w = rg_calloc(1, sizeof(*w));
	rg_fastpats_init(&w->block, o->block);
	rg_fastpats_init(&w->secret, o->secret);
	w->path_dependent = w->block.path_dependent || w->secret.path_dependent;
	ixmap_init(&w->node_map, 1024);
	ixmap_init(&w->blob_map, 1024);
	ixmap_init(&w->commit_map, 1024);
	ixmap_init(&w->path_map, 64);
	ixmap_init(&w->name_map, 64);
	ixmap_init(&w->skel_map, 64);
	w->classify = o->history && o->blob_class;
	if (w->classify) {
		kv_init(&w->class_map, 1024);
		kv_init(&w->resight_map, 64);
	}
	w->blocked_rec = RG_HIST_NONE;
	w->cur_node = RG_HIST_NONE;
	rg_buf_puts(&w->path, "");
	h->block_hits = rg_calloc(w->block.n + 1, sizeof(size_t));
	h->secret_hits = rg_calloc(w->secret.n + 1, sizeof(size_t));
	h->largest = rg_calloc(o->largest + 1, sizeof(*h->largest));
}

int rg_hist_run(rg_hist *h, git_repository *repo, git_odb *odb, const rg_hist_opts *o)
{
	double t0 = hw_now();
	size_t i;
	int r;

	walk_init(h, repo, odb, o);
	h->w->t0 = t0;
	r = rg_hw_load_graph(h);
	if (r < 0)
		goto out;
	for (i = 0; i < h->ncommits; i++) {
		h->w->cur_commit = (uint32_t)i;
		rg_buf_truncate(&h->w->path, 0);
		h->w->dirhash = HW_HASH_EMPTY;
		h->commits[i].root = walk_tree(h, &h->commits[i].tree, NULL, 0, 0);
		rg_hw_commit_events(h, (uint32_t)i);
		if ((i & 255) == 0)
			progress(h, i, 0);
	}
	progress(h, h->ncommits, 1);
	rg_hw_final_state(h);
out:
	h->seconds = hw_now() - t0;
	return r;
}

void rg_hist_free(rg_hist *h)
{
	hw *w = h->w;
	size_t i;

	for (i = 0; i < h->npaths; i++) {
		free(h->paths[i].path);
		free(h->paths[i].intro);
		free(h->paths[i].removed);
		free(h->paths[i].tips);
	}
	for (i = 0; i < h->nlargest; i++)
		free(h->largest[i].path);
	free(h->tree_missing);
	for (i = 0; i < h->nrefs; i++)
		free(h->refs[i].name);
	free(h->paths);
	free(h->largest);
	free(h->refs);
	free(h->commits);
	free(h->parent_ix);
	free(h->block_hits);
	free(h->secret_hits);
	if (w) {
		rg_hw_arena_free(w);
		free(w->nodes);
		free(w->blobs);
		free(w->names);
		free(w->skels);
		free(w->shallow);
		free(w->missing);
		free(w->mark);
		for (i = 0; i < w->nsights; i++)
			free(w->sights[i].path);
		free(w->sights);
		kv_free(&w->class_map);
		kv_free(&w->resight_map);
		ixmap_free(&w->node_map);
		ixmap_free(&w->blob_map);
		ixmap_free(&w->commit_map);
		ixmap_free(&w->path_map);
		ixmap_free(&w->name_map);
		ixmap_free(&w->skel_map);
		rg_fastpats_free(&w->block);
		rg_fastpats_free(&w->secret);
		rg_buf_dispose(&w->path);
		free(w);
	}
	memset(h, 0, sizeof(*h));
}

static int tree_cb_walk(rg_hist *h, const git_oid *id, rg_buf *path, rg_hist_tree_cb cb,
	void *payload, int depth)
{
	hw *w = h->w;
	git_odb_object *obj = NULL;
	rg_tree_ent e;
	size_t pos = 0, len;
	const char *data;
	int r;

	if (depth > HW_MAX_DEPTH)
		return RG_OK;
	if (hw_read_tree(&obj, h, id) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		/* the history walk counts it; the caller learns that this tree was not whole */
		git_oid_tostr(hex, sizeof(hex), id);
		if (!h->tree_missing)
			h->tree_missing = rg_printf("%s (%s)", hex, path->len ? path->ptr : "the root");
		return RG_OK;
	}
	data = git_odb_object_data(obj);
	len = git_odb_object_size(obj);
	while ((r = rg_tree_next(&e, data, len, &pos)) == 1) {
		size_t base = path->len;
		uint32_t type = RG_MODE_TYPE(e.mode);
		rg_hist_entry he;
		int c;
		git_oid cid;

		git_oid_fromraw(&cid, e.id);
		if (base)
			rg_buf_putc(path, '/');
		rg_buf_put(path, e.name, e.name_len);
		memset(&he, 0, sizeof(he));
		he.path = path->ptr;
		he.mode = e.mode;
		he.id = &cid;
		he.is_tree = type == RG_MODE_TREE;
		if (type == RG_MODE_TREE) {
			uint64_t pk = w->path_dependent ? hw_str_hash(path->ptr, path->len) | 1 : 0;
			uint32_t ni = node_find(w, &cid, pk);

			he.size = ni == RG_HIST_NONE ? UINT64_MAX : w->nodes[ni].max_blob;
			he.size_known = ni != RG_HIST_NONE && !(w->nodes[ni].flags & (N_UNKNOWN | N_MISSING));
			he.has_attrs = ni == RG_HIST_NONE || (w->nodes[ni].flags & N_ATTR);
		} else if (type != RG_MODE_GITLINK) {
			uint32_t bi = blob_find(w, &cid);

			he.size_known = bi != RG_HIST_NONE && w->blobs[bi].size != HW_SIZE_UNKNOWN;
			he.size = he.size_known ? w->blobs[bi].size : 0;
		}
		c = cb(&he, payload);
		if (c == 0 && type == RG_MODE_TREE)
			c = tree_cb_walk(h, &cid, path, cb, payload, depth + 1);
		rg_buf_truncate(path, base);
		if (c < 0) {
			git_odb_object_free(obj);
			return c;
		}
	}
	git_odb_object_free(obj);
	return RG_OK;
}

int rg_hist_walk_commit_tree(rg_hist *h, uint32_t commit, rg_hist_tree_cb cb, void *payload)
{
	rg_buf path = RG_BUF_INIT;
	int r;

	if (commit == RG_HIST_NONE || commit >= h->ncommits)
		return RG_ENOTFOUND;
	rg_buf_puts(&path, "");
	r = tree_cb_walk(h, &h->commits[commit].tree, &path, cb, payload, 0);
	rg_buf_dispose(&path);
	return r;
}

/* ---- distinct blobs ---------------------------------------------------------------- */

size_t rg_hist_seen_count(const rg_hist *h)
{
	return h->w ? h->w->nblobs : 0;
}

uint32_t rg_hist_seen_index(const rg_hist *h, const git_oid *id)
{
	return h->w ? blob_find(h->w, id) : RG_HIST_NONE;
}

/* The path of a first sight: the names from the root down to it, joined by '/'. */
static void first_path(rg_buf *out, const hw *w, const hw_first *f)
{
	const char *names[HW_MAX_DEPTH + 2];
	size_t n = 0;
	uint32_t d;

	names[n++] = f->name;
	for (d = f->dir; d != RG_HIST_NONE && n < RG_ARRAY_SIZE(names); d = w->nodes[d].first.dir)
		if (w->nodes[d].first.name)
			names[n++] = w->nodes[d].first.name;
	rg_buf_truncate(out, 0);
	while (n--) {
		rg_buf_puts(out, names[n]);
		if (n)
			rg_buf_putc(out, '/');
	}
}

void rg_hist_seen_get(rg_hist_seen *out, rg_buf *path, const rg_hist *h, size_t i)
{
	const hw_blob *b = &h->w->blobs[i];

	out->id = &b->id;
	out->mode = b->mode;
	out->commit = b->commit;
	out->size_known = b->size != HW_SIZE_UNKNOWN;
	out->size = out->size_known ? b->size : 0;
	first_path(path, h->w, &b->first);
}

int rg_hist_seen_sight(rg_hist_seen *out, uint32_t *cls, rg_buf *path, const rg_hist *h, size_t i, size_t k)
{
	const hw *w = h->w;
	const hw_blob *b = &w->blobs[i];
	const hw_sight *x;
	uint32_t at = b->more;

	if (k == 0) {
		rg_hist_seen_get(out, path, h, i);
		*cls = b->cls;
		return RG_OK;
	}
	while (--k && at != RG_HIST_NONE)
		at = w->sights[at].next;
	if (at == RG_HIST_NONE)
		return RG_ENOTFOUND;
	x = &w->sights[at];
	out->id = &b->id;
	out->mode = x->mode;
	out->commit = x->commit;
	out->size_known = b->size != HW_SIZE_UNKNOWN;
	out->size = out->size_known ? b->size : 0;
	*cls = x->cls;
	rg_buf_truncate(path, 0);
	rg_buf_puts(path, x->path);
	return RG_OK;
}
