/*
 * history-int.h: what the history walker's files share (source-history.c:
 * the tree walk; history-graph.c: commits and refs; history-skel.c: the
 * interned skeletons and the introductions and removals read from them).
 * Internal to src/source/.
 */
#ifndef REPOGUARD_HISTORY_INT_H
#define REPOGUARD_HISTORY_INT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/history.h"
#include "repoguard/objparse.h"
#include "fastpat.h"

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

static inline void ixmap_init(ixmap *m, size_t cap)
{
	size_t sz = 64;

	while (sz < cap * 2)
		sz <<= 1;
	m->slot = rg_calloc(sz, sizeof(*m->slot));
	m->mask = sz - 1;
	m->n = 0;
}

static inline void ixmap_free(ixmap *m)
{
	free(m->slot);
	memset(m, 0, sizeof(*m));
}

static inline uint64_t hw_oid_hash(const git_oid *id)
{
	uint64_t h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

static inline uint64_t hw_str_hash(const char *s, size_t n)
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

/*
 * Where a tree or blob was first met: the tree node it sits in (RG_HIST_NONE
 * for a root tree) and its interned name there. A blob is first met while
 * its tree is walked for the first time, so following dir up gives the path
 * it was first met under (rg_hist_seen_get) without storing any path.
 */
typedef struct {
	uint32_t dir;
	const char *name;
} hw_first;

typedef struct {
	git_oid id;
	uint32_t flags;
	uint64_t pathkey;
	uint64_t files, bytes, max_blob;
	const hw_skel *skel;
	hw_first first;
	uint64_t dirhash;     /* with blob classes: the hash of the path it was first walked at */
} hw_node;

typedef struct {
	git_oid id;
	uint64_t size;        /* HW_SIZE_UNKNOWN when missing */
	hw_first first;
	uint32_t commit;      /* the commit it was first met in */
	uint32_t mode;        /* its mode there */
	uint32_t cls;         /* with blob classes: its path's class there */
	uint32_t more;        /* its further sights (hw_sight), RG_HIST_NONE */
} hw_blob;

/* A blob met under a path of another class than its earlier sights' (rg_hist_opts.blob_class). */
typedef struct {
	char *path;
	uint32_t commit, mode, cls;
	uint32_t next;        /* the blob's next sight, RG_HIST_NONE */
} hw_sight;

/* Open-addressing table of 64-bit keys (path hashes, node and path pairs) to values. */
typedef struct {
	uint64_t *key;        /* 0: empty (keys are made non-zero) */
	uint32_t *val;
	size_t mask, n;
} hw_kvmap;

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
	uint32_t cur_node;     /* the tree being walked (RG_HIST_NONE above a root) */
	uint32_t blocked_rec;  /* path record of the blocked dir being walked */
	git_oid *shallow;
	size_t nshallow;
	git_oid *missing;      /* missing commit ids (deduplicated at the end) */
	size_t nmissing, missing_alloc;
	uint32_t *mark;        /* per commit scratch for ancestry queries */
	size_t commits_alloc, paths_alloc;
	uint32_t epoch;
	/* blob classes (rg_hist_opts.blob_class) */
	int classify;
	uint64_t dirhash;      /* hash of the path of the tree being walked */
	hw_kvmap class_map;    /* path hash -> class */
	hw_kvmap resight_map;  /* (tree node, path hash) met again under another path */
	hw_sight *sights;
	size_t nsights, sights_alloc;
	/* progress */
	double t0, last_print;
	int printed;
};

typedef struct rg_hist_walk hw;

static inline void ixmap_put(ixmap *m, uint64_t h, uint32_t idx)
{
	size_t s = (size_t)h & m->mask;

	while (m->slot[s])
		s = (s + 1) & m->mask;
	m->slot[s] = ((h >> 32) << 32) | ((uint64_t)idx + 1);
	m->n++;
}

typedef uint64_t (*hw_hash_fn)(const hw *w, uint32_t idx);

static inline void ixmap_maybe_grow(ixmap *m, const hw *w, hw_hash_fn hf)
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

/* history-skel.c */
const char *rg_hw_name_intern(hw *w, const char *s, size_t n);
const hw_skel *rg_hw_skel_intern(hw *w, const hw_ent *v, uint32_t n);
/* The introductions and removals commit c makes (its parents are walked). */
void rg_hw_commit_events(rg_hist *h, uint32_t c);
/* Paths at HEAD and at the other refs' tips. */
void rg_hw_final_state(rg_hist *h);
void rg_hw_arena_free(hw *w);

/* source-history.c */
uint32_t rg_hw_rec_get(rg_hist *h, const char *path, int kind, int is_dir, const rg_pattern *by);

/* history-graph.c: refs, commits (topological order), reachability, missing commits. */
int rg_hw_load_graph(rg_hist *h);

#endif
