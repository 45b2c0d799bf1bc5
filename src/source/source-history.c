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
#include "fastpat.h"
#include "walk.h"

#define HW_MAX_DEPTH 4096
#define HW_SIZE_UNKNOWN UINT64_MAX

/*
 * ---- index hash tables ----------------------------------------------------
 * A slot holds index + 1 in its low 32 bits (0: empty) and the high 32 bits
 * of the key's hash: a probe that meets another key is rejected without
 * touching that key's record, which is what keeps the look-ups of the inner
 * loop (one per tree entry) from missing the cache.
 */

typedef struct {
	uint64_t *slot;
	size_t mask;
	size_t n;
} ixmap;

#define IXV(v) ((uint32_t)(v) - 1)
#define IXTAG(v) ((uint32_t)((v) >> 32))

static void ixmap_init(ixmap *m, size_t cap)
{
	size_t sz = 64;

	while (sz < cap * 2)
		sz <<= 1;
	m->slot = rg_calloc(sz, sizeof(*m->slot));
	m->mask = sz - 1;
	m->n = 0;
}

static void ixmap_free(ixmap *m)
{
	free(m->slot);
	memset(m, 0, sizeof(*m));
}

static uint64_t hw_oid_hash(const git_oid *id)
{
	uint64_t h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

static uint64_t hw_str_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* ---- walker state --------------------------------------------------------- */

enum { SK_SUB = 1, SK_BLOCK, SK_SECRET };

typedef struct hw_skel hw_skel;

typedef struct {
	const char *name;     /* interned */
	const hw_skel *sub;   /* SK_SUB */
	uint32_t target;      /* tree node (trees) or blob index (files), RG_HIST_NONE */
	uint32_t mode;
	uint32_t kind;
	uint32_t pat;         /* deciding pattern */
} hw_ent;

struct hw_skel {
	uint32_t n;
	uint32_t hash;
	hw_ent v[];
};

#define N_MISSING 1u   /* this tree is missing or unreadable */
#define N_UNKNOWN 2u   /* some size below is unknown */
#define N_SKEL 4u      /* skeleton computed */
#define N_HOLE 8u      /* a tree at or below it is missing: its skeleton is partial */
#define N_ATTR 16u     /* a .gitattributes file at or below */

typedef struct {
	git_oid id;
	uint32_t flags;
	uint64_t pathkey;
	uint64_t files, bytes, max_blob;
	const hw_skel *skel;
} hw_node;

typedef struct {
	git_oid id;
	uint64_t size;        /* HW_SIZE_UNKNOWN when missing */
} hw_blob;

typedef struct hw_chunk {
	struct hw_chunk *next;
	size_t used, cap;
	char data[];
} hw_chunk;

struct rg_hist_walk {
	hw_node *nodes;
	size_t nnodes, nodes_alloc;
	ixmap node_map;
	hw_blob *blobs;
	size_t nblobs, blobs_alloc;
	ixmap blob_map;
	ixmap commit_map;
	ixmap path_map;
	ixmap name_map;
	const char **names;
	size_t nnames, names_alloc;
	ixmap skel_map;
	const hw_skel **skels;
	size_t nskels, skels_alloc;
	hw_chunk *arena;
	rg_fastpats block, secret;
	int path_dependent;
	rg_buf path;
	uint32_t cur_commit;
	uint32_t blocked_rec;  /* path record of the blocked dir being walked */
	git_oid *shallow;
	size_t nshallow;
	git_oid *missing;      /* missing commit ids (deduplicated at the end) */
	size_t nmissing, missing_alloc;
	uint32_t *mark;        /* per commit scratch for ancestry queries */
	size_t commits_alloc, paths_alloc;
	uint32_t epoch;
	/* progress */
	double t0, last_print;
	int printed;
};

typedef struct rg_hist_walk hw;

static double hw_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *hw_alloc(hw *w, size_t n)
{
	hw_chunk *c = w->arena;
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 65536 ? n : 65536;

		c = rg_malloc(sizeof(*c) + cap);
		c->next = w->arena;
		c->used = 0;
		c->cap = cap;
		w->arena = c;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
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

static void ixmap_put(ixmap *m, uint64_t h, uint32_t idx)
{
	size_t s = (size_t)h & m->mask;

	while (m->slot[s])
		s = (s + 1) & m->mask;
	m->slot[s] = ((h >> 32) << 32) | ((uint64_t)idx + 1);
	m->n++;
}

typedef uint64_t (*hw_hash_fn)(const hw *w, uint32_t idx);

static void ixmap_maybe_grow(ixmap *m, const hw *w, hw_hash_fn hf)
{
	ixmap g;
	size_t i;

	if ((m->n + 1) * 3 < (m->mask + 1) * 2)
		return;
	ixmap_init(&g, (m->mask + 1));
	for (i = 0; i <= m->mask; i++)
		if (m->slot[i])
			ixmap_put(&g, hf(w, IXV(m->slot[i])), IXV(m->slot[i]));
	free(m->slot);
	*m = g;
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

static uint64_t commit_hash(const rg_hist *h, uint32_t i)
{
	return hw_oid_hash(&h->commits[i].id);
}

static uint32_t commit_find(const rg_hist *h, const git_oid *id)
{
	const ixmap *m = &h->w->commit_map;
	size_t s = (size_t)hw_oid_hash(id) & m->mask;

	for (; m->slot[s]; s = (s + 1) & m->mask)
		if (git_oid_equal(&h->commits[IXV(m->slot[s])].id, id))
			return IXV(m->slot[s]);
	return RG_HIST_NONE;
}

static void commit_map_rebuild(rg_hist *h)
{
	size_t i;

	ixmap_free(&h->w->commit_map);
	ixmap_init(&h->w->commit_map, h->ncommits + 1);
	for (i = 0; i < h->ncommits; i++)
		ixmap_put(&h->w->commit_map, commit_hash(h, (uint32_t)i), (uint32_t)i);
}

static const char *name_intern(hw *w, const char *s, size_t n)
{
	ixmap *m = &w->name_map;
	uint64_t hv = hw_str_hash(s, n);
	size_t slot = (size_t)hv & m->mask;
	char *copy;

	for (; m->slot[slot]; slot = (slot + 1) & m->mask) {
		const char *x = w->names[IXV(m->slot[slot])];

		if (strlen(x) == n && !memcmp(x, s, n))
			return x;
	}
	copy = hw_alloc(w, n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	RG_GROW(w->names, w->names_alloc, w->nnames + 1);
	w->names[w->nnames] = copy;
	if ((m->n + 1) * 3 >= (m->mask + 1) * 2) {
		ixmap g;
		size_t i;

		ixmap_init(&g, m->mask + 1);
		for (i = 0; i < w->nnames; i++)
			ixmap_put(&g, hw_str_hash(w->names[i], strlen(w->names[i])), (uint32_t)i);
		free(m->slot);
		*m = g;
	}
	ixmap_put(m, hv, (uint32_t)w->nnames);
	w->nnames++;
	return copy;
}

/* ---- interned skeletons ---------------------------------------------------- */

static uint32_t skel_hash(const hw_ent *v, uint32_t n)
{
	uint64_t h = 1469598103934665603ULL ^ n;
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint64_t parts[5] = { (uint64_t)(uintptr_t)v[i].name, (uint64_t)(uintptr_t)v[i].sub,
			v[i].target, v[i].mode, ((uint64_t)v[i].kind << 32) | v[i].pat };
		size_t k;

		for (k = 0; k < 5; k++)
			h = (h ^ parts[k]) * 1099511628211ULL;
	}
	return (uint32_t)(h ^ (h >> 32));
}

static int skel_equal(const hw_skel *s, const hw_ent *v, uint32_t n)
{
	uint32_t i;

	if (s->n != n)
		return 0;
	for (i = 0; i < n; i++) {
		const hw_ent *a = &s->v[i], *b = &v[i];

		if (a->name != b->name || a->sub != b->sub || a->target != b->target ||
		    a->mode != b->mode || a->kind != b->kind || a->pat != b->pat)
			return 0;
	}
	return 1;
}

static const hw_skel *skel_intern(hw *w, const hw_ent *v, uint32_t n)
{
	ixmap *m = &w->skel_map;
	uint32_t hv;
	size_t slot;
	hw_skel *s;

	if (!n)
		return NULL;
	hv = skel_hash(v, n);
	for (slot = hv & m->mask; m->slot[slot]; slot = (slot + 1) & m->mask) {
		const hw_skel *x = w->skels[IXV(m->slot[slot])];

		if (x->hash == hv && skel_equal(x, v, n))
			return x;
	}
	s = hw_alloc(w, sizeof(*s) + n * sizeof(*v));
	s->n = n;
	s->hash = hv;
	memcpy(s->v, v, n * sizeof(*v));
	RG_GROW(w->skels, w->skels_alloc, w->nskels + 1);
	w->skels[w->nskels] = s;
	if ((m->n + 1) * 3 >= (m->mask + 1) * 2) {
		ixmap g;
		size_t i;

		ixmap_init(&g, m->mask + 1);
		for (i = 0; i < w->nskels; i++)
			ixmap_put(&g, w->skels[i]->hash, (uint32_t)i);
		free(m->slot);
		*m = g;
	}
	ixmap_put(m, hv, (uint32_t)w->nskels);
	w->nskels++;
	return s;
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
	e->name = name_intern(w, name, nlen);
	e->kind = (uint32_t)kind;
	e->target = target;
	e->mode = mode;
	e->pat = (uint32_t)pat;
	e->sub = sub;
}

/* ---- path records ------------------------------------------------------------ */

static uint64_t rec_hash(const rg_hist *h, uint32_t i)
{
	const rg_hist_path *p = &h->paths[i];

	return hw_str_hash(p->path, strlen(p->path)) ^ (uint64_t)p->kind;
}

static uint32_t rec_get(rg_hist *h, const char *path, int kind, int is_dir, const rg_pattern *by)
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
	w->nblobs++;
	h->st.blobs++;
	ixmap_maybe_grow(&w->blob_map, w, blob_hash);
	ixmap_put(&w->blob_map, blob_hash(w, i), i);
	*idx = i;
	if (w->blobs[i].size != HW_SIZE_UNKNOWN)
		largest_offer(h, id, w->blobs[i].size, w->path.ptr);
	return w->blobs[i].size;
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
		if (hw_match(h, &w->block, &h->block_hits, e.name_len, isdir, &which) == 1) {
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
	w->nodes[ni].skel = skel_intern(w, ev.v, ev.n);
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

static uint32_t walk_tree(rg_hist *h, const git_oid *id, int in_blocked, int depth);

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
	if (hw_match(h, &w->block, &h->block_hits, e->name_len, isdir, &which) == 1 && !in_blocked) {
		blocked = 1;
		w->blocked_rec = rec_get(h, w->path.ptr, RG_HIST_BLOCK, isdir, w->block.v[which].p);
	}
	if (type == RG_MODE_TREE) {
		t = walk_tree(h, &id, in_blocked || blocked, depth + 1);
		agg_tree(agg, &w->nodes[t]);
	} else if (type != RG_MODE_GITLINK) {
		uint64_t size = blob_size(h, &id, &is_new, &t);

		agg_blob(agg, size);
		if (e->name_len == 14 && !memcmp(e->name, ".gitattributes", 14))
			agg->flags |= N_ATTR;
		if (is_new && w->blocked_rec != RG_HIST_NONE)
			rec_count_blob(h, w->blocked_rec, size);
		if (!in_blocked && !blocked &&
		    hw_match(h, &w->secret, &h->secret_hits, e->name_len, 0, &swhich) == 1) {
			uint32_t rec = rec_get(h, w->path.ptr, RG_HIST_SECRET, 0, w->secret.v[swhich].p);

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

static uint32_t walk_tree(rg_hist *h, const git_oid *id, int in_blocked, int depth)
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

	if (ni != RG_HIST_NONE)
		return ni;
	ni = node_add(w, id, pk);
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
		size_t base = hw_push(w, e.name, e.name_len);

		h->st.entries++;
		walk_entry(h, &e, in_blocked, depth, &agg, &ev);
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
		w->nodes[ni].skel = skel_intern(w, ev.v, ev.n);
		w->nodes[ni].flags |= N_SKEL;
	}
	free(ev.v);
	return ni;
}

/* ---- skeleton comparisons ---------------------------------------------------- */

static int ent_isdir(const hw_ent *e)
{
	return RG_MODE_TYPE(e->mode) == RG_MODE_TREE;
}

/* git's tree order: a directory sorts as if its name ended in '/'. */
static int ent_cmp(const hw_ent *a, const hw_ent *b)
{
	const unsigned char *x = (const unsigned char *)a->name, *y = (const unsigned char *)b->name;
	unsigned char cx, cy;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	cx = *x ? *x : (ent_isdir(a) ? '/' : 0);
	cy = *y ? *y : (ent_isdir(b) ? '/' : 0);
	if (cx == cy && (*x || *y))
		return *x ? 1 : -1; /* "a/" against "a/..." cannot happen: names have no '/' */
	return cx < cy ? -1 : cx > cy;
}

typedef void (*skel_cb)(rg_hist *h, const char *path, const hw_ent *e, void *payload);

static void skel_flatten(rg_hist *h, const hw_skel *s, rg_buf *path, skel_cb cb, void *payload)
{
	uint32_t i;

	for (i = 0; s && i < s->n; i++) {
		const hw_ent *e = &s->v[i];
		size_t base = path->len;

		if (base)
			rg_buf_putc(path, '/');
		rg_buf_puts(path, e->name);
		if (e->kind == SK_SUB)
			skel_flatten(h, e->sub, path, cb, payload);
		else
			cb(h, path->ptr, e, payload);
		rg_buf_truncate(path, base);
	}
}

/* Matches in a that b does not have at the same path (with the same kind). */
static void skel_diff(rg_hist *h, const hw_skel *a, const hw_skel *b, rg_buf *path,
	skel_cb cb, void *payload)
{
	uint32_t i = 0, j = 0;

	if (!a || a == b)
		return;
	for (i = 0; i < a->n; i++) {
		const hw_ent *x = &a->v[i], *y = NULL;
		size_t base = path->len;
		int c = 1;

		while (b && j < b->n && (c = ent_cmp(&b->v[j], x)) < 0)
			j++;
		if (b && j < b->n && c == 0)
			y = &b->v[j];
		if (base)
			rg_buf_putc(path, '/');
		rg_buf_puts(path, x->name);
		if (x->kind == SK_SUB)
			skel_diff(h, x->sub, y && y->kind == SK_SUB ? y->sub : NULL, path, cb, payload);
		else if (!y || y->kind != x->kind)
			cb(h, path->ptr, x, payload);
		rg_buf_truncate(path, base);
	}
}

/* Does skeleton s have a match of kind at path? */
static int skel_has(const hw_skel *s, const char *path, uint32_t kind)
{
	while (s) {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : strlen(path);
		const hw_ent *hit = NULL;
		uint32_t i;

		for (i = 0; i < s->n && !hit; i++)
			if (strlen(s->v[i].name) == n && !memcmp(s->v[i].name, path, n) &&
			    (slash ? s->v[i].kind == SK_SUB : s->v[i].kind == kind))
				hit = &s->v[i];
		if (!hit)
			return 0;
		if (!slash)
			return 1;
		s = hit->sub;
		path = slash + 1;
	}
	return 0;
}

static const hw_skel *commit_skel(rg_hist *h, uint32_t c)
{
	uint32_t root = h->commits[c].root;

	return root == RG_HIST_NONE ? NULL : h->w->nodes[root].skel;
}

static int hw_kind(const hw_ent *e)
{
	return e->kind == SK_SECRET ? RG_HIST_SECRET : RG_HIST_BLOCK;
}

static uint32_t rec_for_ent(rg_hist *h, const char *path, const hw_ent *e)
{
	const rg_fastpats *f = e->kind == SK_SECRET ? &h->w->secret : &h->w->block;
	uint32_t type = RG_MODE_TYPE(e->mode);

	return rec_get(h, path, hw_kind(e), type == RG_MODE_TREE || type == RG_MODE_GITLINK,
		f->v[e->pat].p);
}

static void ent_stats(rg_hist *h, const hw_ent *e, rg_hist_event *ev)
{
	hw *w = h->w;
	uint32_t type = RG_MODE_TYPE(e->mode);

	ev->files = ev->bytes = 0;
	ev->unknown = 0;
	if (e->target == RG_HIST_NONE) {
		ev->files = type == RG_MODE_GITLINK ? 1 : 0;
		ev->unknown = type != RG_MODE_GITLINK;
	} else if (type == RG_MODE_TREE) {
		const hw_node *n = &w->nodes[e->target];

		ev->files = n->files;
		ev->bytes = n->bytes;
		ev->unknown = (n->flags & (N_UNKNOWN | N_MISSING)) != 0;
	} else {
		ev->files = 1;
		if (w->blobs[e->target].size == HW_SIZE_UNKNOWN)
			ev->unknown = 1;
		else
			ev->bytes = w->blobs[e->target].size;
	}
}

static void on_added(rg_hist *h, const char *path, const hw_ent *e, void *payload)
{
	uint32_t c = *(uint32_t *)payload, k;
	const rg_hist_commit *cm = &h->commits[c];
	rg_hist_path *p;
	rg_hist_event ev;

	/* present in another parent of a merge: brought in, not introduced */
	for (k = 1; k < cm->nparents; k++)
		if (skel_has(commit_skel(h, h->parent_ix[cm->parents + k]), path, e->kind))
			return;
	p = &h->paths[rec_for_ent(h, path, e)];
	ent_stats(h, e, &ev);
	ev.commit = c;
	RG_GROW(p->intro, p->intro_alloc, p->nintro + 1);
	p->intro[p->nintro++] = ev;
}

static void on_removed(rg_hist *h, const char *path, const hw_ent *e, void *payload)
{
	uint32_t c = *(uint32_t *)payload, k;
	const rg_hist_commit *cm = &h->commits[c];
	rg_hist_path *p;

	/* a merge that took the other side's removal did not remove it itself */
	for (k = 1; k < cm->nparents; k++)
		if (!skel_has(commit_skel(h, h->parent_ix[cm->parents + k]), path, e->kind))
			return;
	p = &h->paths[rec_for_ent(h, path, e)];
	RG_GROW(p->removed, p->removed_alloc, p->nremoved + 1);
	p->removed[p->nremoved++] = c;
}

static int commit_hole(const rg_hist *h, uint32_t c)
{
	uint32_t root = h->commits[c].root;

	return root == RG_HIST_NONE || (h->w->nodes[root].flags & N_HOLE);
}

static void commit_events(rg_hist *h, uint32_t c)
{
	const rg_hist_commit *cm = &h->commits[c];
	const hw_skel *s = commit_skel(h, c), *p1;
	rg_buf path = RG_BUF_INIT;
	uint32_t k;

	/* a missing tree would look like a removal, or its return an introduction */
	if (commit_hole(h, c))
		return;
	for (k = 0; k < cm->nparents; k++)
		if (commit_hole(h, h->parent_ix[cm->parents + k]))
			return;

	p1 = cm->nparents ? commit_skel(h, h->parent_ix[cm->parents]) : NULL;
	if (s == p1)
		return;
	rg_buf_puts(&path, "");
	skel_diff(h, s, p1, &path, on_added, &c);
	if (cm->nparents)
		skel_diff(h, p1, s, &path, on_removed, &c);
	rg_buf_dispose(&path);
}

/* ---- commits and refs ---------------------------------------------------------- */

static int ref_class(const char *name)
{
	if (!strcmp(name, "HEAD"))
		return 0;
	if (rg_str_startswith(name, "refs/heads/"))
		return 1;
	if (rg_str_startswith(name, "refs/remotes/"))
		return 2;
	if (rg_str_startswith(name, "refs/tags/"))
		return 3;
	return 4;
}

static int ref_cmp(const void *a, const void *b)
{
	const rg_hist_ref *x = a, *y = b;
	int cx = ref_class(x->name), cy = ref_class(y->name);

	return cx != cy ? cx - cy : strcmp(x->name, y->name);
}

typedef struct {
	git_oid id;
	char *name;
} tip;

static int tip_cmp(const void *a, const void *b)
{
	const tip *x = a, *y = b;
	int cx = ref_class(x->name), cy = ref_class(y->name);

	return cx != cy ? cx - cy : strcmp(x->name, y->name);
}

static void tip_add(tip **v, size_t *n, size_t *alloc, const char *name, const git_oid *id)
{
	RG_GROW(*v, *alloc, *n + 1);
	(*v)[*n].name = rg_strdup(name);
	git_oid_cpy(&(*v)[*n].id, id);
	(*n)++;
}

static int peel_commit(git_oid *out, git_reference *ref)
{
	git_object *obj = NULL;

	if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) < 0) {
		git_error_clear();
		return RG_ENOTFOUND;
	}
	git_oid_cpy(out, git_object_id(obj));
	git_object_free(obj);
	return RG_OK;
}

static int collect_tips(rg_hist *h, tip **v, size_t *n)
{
	git_reference *head = NULL, *ref = NULL;
	git_reference_iterator *it = NULL;
	size_t alloc = 0;
	git_oid id;
	int r;

	r = git_repository_head(&head, h->repo);
	if (r == 0 && peel_commit(&id, head) == 0)
		tip_add(v, n, &alloc, "HEAD", &id);
	else if (r < 0 && r != GIT_EUNBORNBRANCH && r != GIT_ENOTFOUND) {
		git_reference_free(head);
		return rg_error_from_git("cannot resolve HEAD");
	}
	git_error_clear();
	git_reference_free(head);
	if (!h->o.history || !h->o.all_refs)
		return RG_OK;
	if (git_reference_iterator_new(&it, h->repo) < 0)
		return rg_error_from_git("cannot list refs");
	while ((r = git_reference_next(&ref, it)) == 0) {
		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT) {
			if (peel_commit(&id, ref) == 0)
				tip_add(v, n, &alloc, git_reference_name(ref), &id);
			else
				h->st.skipped_refs++;
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (r != GIT_ITEROVER)
		return rg_error_from_git("cannot list refs");
	git_error_clear();
	return RG_OK;
}

static void load_shallow(rg_hist *h)
{
	rg_buf path = RG_BUF_INIT, text = RG_BUF_INIT;
	FILE *fp;

	rg_buf_printf(&path, "%sshallow", git_repository_commondir(h->repo));
	fp = fopen(path.ptr, "rb");
	if (fp) {
		char chunk[4096];
		size_t n;

		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			rg_buf_put(&text, chunk, n);
		fclose(fp);
		/* a damaged shallow file: walk on, and missing parents are reported as such */
		if (rg_shallow_parse(&h->w->shallow, &h->w->nshallow, rg_buf_cstr(&text), text.len) < 0)
			rg_error_clear();
	}
	rg_buf_dispose(&path);
	rg_buf_dispose(&text);
}

typedef struct {
	git_oid *v;     /* parent ids of every loaded commit, in load order */
	size_t n, alloc;
} oidvec;

/* Read one commit; RG_ENOTFOUND when it is missing or not a commit. */
static int load_commit(rg_hist *h, oidvec *pids, size_t *palloc, const git_oid *id, uint32_t *out)
{
	hw *w = h->w;
	git_odb_object *obj = NULL;
	rg_commit_hdr hdr;
	rg_hist_commit *c;
	size_t k;
	uint32_t i = commit_find(h, id);

	*out = i;
	if (i != RG_HIST_NONE)
		return RG_OK;
	if (git_odb_read(&obj, h->odb, id) < 0) {
		git_error_clear();
		return RG_ENOTFOUND;
	}
	if (git_odb_object_type(obj) != GIT_OBJECT_COMMIT ||
	    rg_commit_parse(&hdr, git_odb_object_data(obj), git_odb_object_size(obj)) < 0) {
		git_odb_object_free(obj);
		return RG_ENOTFOUND;
	}
	git_odb_object_free(obj);
	i = (uint32_t)h->ncommits;
	RG_GROW(h->commits, w->commits_alloc, h->ncommits + 1);
	c = &h->commits[i];
	memset(c, 0, sizeof(*c));
	git_oid_cpy(&c->id, id);
	git_oid_cpy(&c->tree, &hdr.tree);
	c->time = hdr.time;
	c->ref = RG_HIST_NONE;
	c->root = RG_HIST_NONE;
	c->parents = (uint32_t)pids->n;
	if (rg_oid_in_sorted(w->shallow, w->nshallow, id)) {
		c->flags |= RG_HIST_C_SHALLOW;
		h->st.shallow++;
	} else if (h->o.history) {
		for (k = 0; k < hdr.nparents; k++) {
			RG_GROW(pids->v, *palloc, pids->n + 1);
			pids->v[pids->n++] = hdr.parents[k];
		}
	}
	c->nparents = (uint32_t)(pids->n - c->parents);
	rg_commit_hdr_free(&hdr);
	h->ncommits++;
	if ((w->commit_map.n + 1) * 3 >= (w->commit_map.mask + 1) * 2)
		commit_map_rebuild(h);
	else
		ixmap_put(&w->commit_map, commit_hash(h, i), i);
	*out = i;
	return RG_OK;
}

/*
 * Load every commit reachable from the tips (breadth first: the commit array
 * is the queue), then resolve parent ids to indices. Missing parents are
 * dropped and flagged.
 */
static void load_commits(rg_hist *h, const tip *tips, size_t ntips, uint32_t *tip_ix)
{
	hw *w = h->w;
	oidvec pids = { NULL, 0, 0 };
	size_t palloc = 0, q, t, k, o = 0;
	uint32_t *resolved;

	for (t = 0; t < ntips; t++)
		if (load_commit(h, &pids, &palloc, &tips[t].id, &tip_ix[t]) < 0)
			tip_ix[t] = RG_HIST_NONE;
	for (q = 0; q < h->ncommits; q++) {
		size_t first = h->commits[q].parents, np = h->commits[q].nparents;

		for (k = 0; k < np; k++) {
			git_oid pid = pids.v[first + k]; /* load_commit may grow pids */
			uint32_t p;

			if (load_commit(h, &pids, &palloc, &pid, &p) < 0) {
				RG_GROW(w->missing, w->missing_alloc, w->nmissing + 1);
				w->missing[w->nmissing++] = pid;
			}
		}
	}
	/* parent ids to indices, dropping missing parents */
	resolved = rg_calloc(pids.n + 1, sizeof(*resolved));
	for (k = 0; k < pids.n; k++)
		resolved[k] = commit_find(h, &pids.v[k]);
	h->parent_ix = rg_calloc(pids.n + 1, sizeof(*h->parent_ix));
	for (q = 0; q < h->ncommits; q++) {
		rg_hist_commit *c = &h->commits[q];
		size_t first = c->parents, np = c->nparents;

		c->parents = (uint32_t)o;
		for (k = 0; k < np; k++) {
			if (resolved[first + k] == RG_HIST_NONE)
				c->flags |= RG_HIST_C_MISSING_PARENT;
			else
				h->parent_ix[o++] = resolved[first + k];
		}
		c->nparents = (uint32_t)(o - c->parents);
	}
	free(resolved);
	free(pids.v);
}

/*
 * Reorder the commits topologically, parents first (depth-first post-order
 * from the tips, HEAD's first), so that the walk meets every object in the
 * commit that introduced it.
 */
static void topo_sort(rg_hist *h, uint32_t *tip_ix, size_t ntips)
{
	size_t n = h->ncommits, nout = 0, t, k;
	uint32_t *order = rg_malloc((n + 1) * sizeof(*order));
	uint32_t *newix = rg_malloc((n + 1) * sizeof(*newix));
	uint32_t *stack = rg_malloc((n + 1) * sizeof(*stack));
	uint32_t *next = rg_calloc(n + 1, sizeof(*next));
	unsigned char *state = rg_calloc(n + 1, 1);
	rg_hist_commit *sorted;
	size_t sp = 0;

	for (t = 0; t < ntips; t++) {
		if (tip_ix[t] == RG_HIST_NONE || state[tip_ix[t]])
			continue;
		stack[sp++] = tip_ix[t];
		state[tip_ix[t]] = 1;
		while (sp) {
			uint32_t c = stack[sp - 1];
			const rg_hist_commit *cm = &h->commits[c];

			if (next[c] < cm->nparents) {
				uint32_t p = h->parent_ix[cm->parents + next[c]++];

				if (!state[p]) {
					state[p] = 1;
					stack[sp++] = p;
				}
				continue;
			}
			sp--;
			order[nout++] = c;
		}
	}
	sorted = rg_malloc((nout + 1) * sizeof(*sorted));
	for (k = 0; k < nout; k++) {
		newix[order[k]] = (uint32_t)k;
		sorted[k] = h->commits[order[k]];
	}
	for (k = 0; k < nout; k++) {
		rg_hist_commit *c = &sorted[k];
		uint32_t j;

		for (j = 0; j < c->nparents; j++)
			h->parent_ix[c->parents + j] = newix[h->parent_ix[c->parents + j]];
	}
	for (t = 0; t < ntips; t++)
		if (tip_ix[t] != RG_HIST_NONE)
			tip_ix[t] = newix[tip_ix[t]];
	free(h->commits);
	h->commits = sorted;
	h->ncommits = nout;
	commit_map_rebuild(h);
	free(order);
	free(newix);
	free(stack);
	free(next);
	free(state);
}

/* Each commit remembers the first ref, in priority order, that reaches it. */
static void mark_reach(rg_hist *h)
{
	uint32_t *stack = rg_malloc((h->ncommits + 1) * sizeof(*stack));
	size_t r;

	for (r = 0; r < h->nrefs; r++) {
		size_t sp = 0;
		uint32_t tipc = h->refs[r].commit;

		if (tipc == RG_HIST_NONE || h->commits[tipc].ref != RG_HIST_NONE)
			continue;
		h->commits[tipc].ref = (uint32_t)r;
		stack[sp++] = tipc;
		while (sp) {
			const rg_hist_commit *c = &h->commits[stack[--sp]];
			uint32_t j;

			for (j = 0; j < c->nparents; j++) {
				uint32_t p = h->parent_ix[c->parents + j];

				if (h->commits[p].ref == RG_HIST_NONE) {
					h->commits[p].ref = (uint32_t)r;
					stack[sp++] = p;
				}
			}
		}
	}
	free(stack);
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

static int oid_cmp_q(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

static void count_missing(rg_hist *h)
{
	hw *w = h->w;
	size_t i, n = 0;

	if (!w->nmissing)
		return;
	qsort(w->missing, w->nmissing, sizeof(*w->missing), oid_cmp_q);
	for (i = 0; i < w->nmissing; i++)
		if (!i || !git_oid_equal(&w->missing[i], &w->missing[i - 1]))
			n++;
	h->st.missing_commits = n;
}

static void on_head(rg_hist *h, const char *path, const hw_ent *e, void *payload)
{
	rg_hist_path *p = &h->paths[rec_for_ent(h, path, e)];

	RG_UNUSED(payload);
	p->at_head = 1;
	ent_stats(h, e, &p->head);
	p->head.commit = h->head;
}

static void on_tip(rg_hist *h, const char *path, const hw_ent *e, void *payload)
{
	rg_hist_path *p = &h->paths[rec_for_ent(h, path, e)];
	uint32_t r = *(uint32_t *)payload;

	RG_GROW(p->tips, p->tips_alloc, p->ntips + 1);
	p->tips[p->ntips++] = r;
}

static void final_state(rg_hist *h)
{
	rg_buf path = RG_BUF_INIT;
	uint32_t r;

	rg_buf_puts(&path, "");
	if (h->head != RG_HIST_NONE)
		skel_flatten(h, commit_skel(h, h->head), &path, on_head, NULL);
	for (r = 0; r < h->nrefs; r++) {
		uint32_t c = h->refs[r].commit;

		if (c == RG_HIST_NONE || c == h->head)
			continue;
		skel_flatten(h, commit_skel(h, c), &path, on_tip, &r);
	}
	rg_buf_dispose(&path);
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
	w->blocked_rec = RG_HIST_NONE;
	rg_buf_puts(&w->path, "");
	h->block_hits = rg_calloc(w->block.n + 1, sizeof(size_t));
	h->secret_hits = rg_calloc(w->secret.n + 1, sizeof(size_t));
	h->largest = rg_calloc(o->largest + 1, sizeof(*h->largest));
}

static void set_refs(rg_hist *h, tip *tips, size_t ntips, const uint32_t *tip_ix)
{
	size_t t;

	h->refs = rg_calloc(ntips + 1, sizeof(*h->refs));
	for (t = 0; t < ntips; t++) {
		h->refs[t].name = tips[t].name;
		h->refs[t].commit = tip_ix[t];
		tips[t].name = NULL;
	}
	h->nrefs = ntips;
	qsort(h->refs, h->nrefs, sizeof(*h->refs), ref_cmp);
	if (h->nrefs && !strcmp(h->refs[0].name, "HEAD"))
		h->head = h->refs[0].commit;
}

int rg_hist_run(rg_hist *h, git_repository *repo, git_odb *odb, const rg_hist_opts *o)
{
	tip *tips = NULL;
	size_t ntips = 0, t, i;
	uint32_t *tip_ix = NULL;
	double t0 = hw_now();
	int r;

	walk_init(h, repo, odb, o);
	h->w->t0 = t0;
	if (h->o.history)
		load_shallow(h);
	r = collect_tips(h, &tips, &ntips);
	if (r < 0)
		goto out;
	/* sort first, so that HEAD's history comes first in the topological order */
	qsort(tips, ntips, sizeof(*tips), tip_cmp);
	tip_ix = rg_calloc(ntips + 1, sizeof(*tip_ix));
	load_commits(h, tips, ntips, tip_ix);
	topo_sort(h, tip_ix, ntips);
	set_refs(h, tips, ntips, tip_ix);
	mark_reach(h);
	count_missing(h);
	h->st.commits = h->ncommits;
	h->w->mark = rg_calloc(h->ncommits + 1, sizeof(*h->w->mark));
	for (i = 0; i < h->ncommits; i++) {
		h->w->cur_commit = (uint32_t)i;
		rg_buf_truncate(&h->w->path, 0);
		h->commits[i].root = walk_tree(h, &h->commits[i].tree, 0, 0);
		commit_events(h, (uint32_t)i);
		if ((i & 255) == 0)
			progress(h, i, 0);
	}
	progress(h, h->ncommits, 1);
	final_state(h);
out:
	for (t = 0; t < ntips; t++)
		free(tips[t].name);
	free(tips);
	free(tip_ix);
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
		while (w->arena) {
			hw_chunk *c = w->arena;

			w->arena = c->next;
			free(c);
		}
		free(w->nodes);
		free(w->blobs);
		free(w->names);
		free(w->skels);
		free(w->shallow);
		free(w->missing);
		free(w->mark);
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

int rg_hist_node_stats(const rg_hist *h, uint32_t node, uint64_t *files, uint64_t *bytes,
	uint64_t *max_blob, int *unknown)
{
	const hw_node *n;

	if (node == RG_HIST_NONE || node >= h->w->nnodes)
		return RG_ENOTFOUND;
	n = &h->w->nodes[node];
	*files = n->files;
	*bytes = n->bytes;
	*max_blob = n->max_blob;
	*unknown = (n->flags & (N_UNKNOWN | N_MISSING)) != 0;
	return RG_OK;
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

	if (depth > HW_MAX_DEPTH || hw_read_tree(&obj, h, id) < 0)
		return RG_OK; /* counted as missing by the walk */
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

int rg_hist_is_ancestor(rg_hist *h, uint32_t a, uint32_t b)
{
	hw *w = h->w;
	uint32_t *stack;
	size_t sp = 0;
	int found = 0;

	if (a == b)
		return 1;
	/* parents come before children in the array: nothing below a can lead to it */
	if (a > b)
		return 0;
	if (++w->epoch == 0) {
		memset(w->mark, 0, (h->ncommits + 1) * sizeof(*w->mark));
		w->epoch = 1;
	}
	stack = rg_malloc((h->ncommits + 1) * sizeof(*stack));
	stack[sp++] = b;
	w->mark[b] = w->epoch;
	while (sp && !found) {
		const rg_hist_commit *c = &h->commits[stack[--sp]];
		uint32_t j;

		for (j = 0; j < c->nparents; j++) {
			uint32_t p = h->parent_ix[c->parents + j];

			if (p == a) {
				found = 1;
				break;
			}
			if (p > a && w->mark[p] != w->epoch) {
				w->mark[p] = w->epoch;
				stack[sp++] = p;
			}
		}
	}
	free(stack);
	return found;
}

int rg_hist_commit_has_path(rg_hist *h, uint32_t commit, const char *path)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int r;

	if (commit == RG_HIST_NONE || commit >= h->ncommits)
		return RG_ENOTFOUND;
	if (git_tree_lookup(&tree, h->repo, &h->commits[commit].tree) < 0) {
		git_error_clear();
		return 0;
	}
	r = git_tree_entry_bypath(&e, tree, path);
	git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(tree);
	return r == 0;
}
