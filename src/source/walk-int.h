/*
 * walk-int.h: the commit graph the walks of walk.h share (walk-graph.c):
 * commits parsed once each (time and parents, none past the shallow
 * boundary), found by id. walk-shallow.c walks it as rev-list does;
 * walk-ancestry.c answers many "is A an ancestor of B" at once over it.
 * Internal to src/source/.
 */
#ifndef REPOGUARD_SOURCE_WALK_INT_H
#define REPOGUARD_SOURCE_WALK_INT_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>

enum { SW_PARSED = 1, SW_QUEUED = 2, SW_UNINT = 4, SW_SHALLOW = 8, SW_MISSING = 16,
	SW_EMITTED = 32, SW_ONSTACK = 64, SW_INHEAP = 128 };

typedef struct sw_node {
	git_oid id;
	int64_t time;
	unsigned flags;
	struct sw_node **parents;
	size_t nparents;
	/* walk-ancestry.c's paint, valid while epoch is the question's */
	uint32_t epoch, paint, nqueued;
} sw_node;

/* A max-heap of nodes on their commit time (newest first). */
typedef struct {
	sw_node **v;
	size_t n, alloc;
} sw_heap;

typedef struct {
	git_repository *repo;
	sw_node **slots;          /* open addressing on the id's first bytes */
	size_t nslots, used;
	sw_heap heap;
	size_t queued_interesting;
	git_oid *shallow;
	size_t nshallow;
} sw_walk;

/* An empty graph of repo, with its shallow boundary read. RG_ERROR on a bad shallow file. */
int sw_init(sw_walk *w, git_repository *repo);
void sw_free(sw_walk *w);
/* The node of id, created unparsed when new. */
sw_node *sw_get(sw_walk *w, const git_oid *id);
/* Read a commit's time and parents once; a missing commit is SW_MISSING with none. */
void sw_parse(sw_walk *w, sw_node *x);

void sw_heap_push(sw_heap *h, sw_node *x);
sw_node *sw_heap_pop(sw_heap *h);

#endif
