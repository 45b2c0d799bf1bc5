/*
 * walk-ancestry.c: many "is A an ancestor of B" questions over one commit
 * graph (walk.h: rg_ancestry).
 *
 * git_graph_descendant_of reads every commit it walks again for each
 * question, so a push that force-moves N refs over a history of H commits
 * read N x H commits (500 tags rewritten by git filter-repo over 3,000
 * commits: 10 s). Here each commit is read once, and each question paints
 * the graph as git's paint_down_to_common does: newest first from both
 * ends; a commit both reach is a common ancestor and makes what lies below
 * it stale; the walk ends when the ancestor is reached from the other end,
 * or when only stale commits are queued. No commit on a path from B down to
 * A is below a common ancestor other than A, so clock skew can reorder the
 * walk but not change the answer.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/walk.h"
#include "walk-int.h"

enum { WA_FROM_TIP = 1, WA_FROM_ANCESTOR = 2, WA_BOTH = 3, WA_STALE = 4 };

struct rg_ancestry {
	sw_walk graph;
	sw_heap heap;             /* a node may be queued twice */
	size_t nonstale;          /* queued entries whose node is not stale */
	uint32_t epoch;           /* the question's: older paint reads as none */
	sw_node *missing;
};

typedef struct rg_ancestry wa_walk;

static uint32_t wa_paint(const wa_walk *a, const sw_node *x)
{
	return x->epoch == a->epoch ? x->paint : 0;
}

static void wa_set_paint(wa_walk *a, sw_node *x, uint32_t paint)
{
	if (x->epoch != a->epoch) {
		x->epoch = a->epoch;
		x->paint = 0;
		x->nqueued = 0;
	}
	if ((paint & WA_STALE) && !(x->paint & WA_STALE))
		a->nonstale -= x->nqueued;
	x->paint = paint;
}

static void wa_push(wa_walk *a, sw_node *x)
{
	sw_parse(&a->graph, x);
	sw_heap_push(&a->heap, x);
	x->nqueued++;
	if (!(x->paint & WA_STALE))
		a->nonstale++;
}

static sw_node *wa_pop(wa_walk *a)
{
	sw_node *top = sw_heap_pop(&a->heap);

	top->nqueued--;
	if (!(top->paint & WA_STALE))
		a->nonstale--;
	return top;
}

/* 1 when anc is reachable from tip, else 0. */
static int wa_question(wa_walk *a, sw_node *tip, sw_node *anc)
{
	a->epoch++;
	a->heap.n = 0;
	a->nonstale = 0;
	wa_set_paint(a, tip, WA_FROM_TIP);
	wa_push(a, tip);
	wa_set_paint(a, anc, WA_FROM_ANCESTOR);
	wa_push(a, anc);
	while (a->nonstale) {
		sw_node *x = wa_pop(a);
		uint32_t paint = x->paint;
		size_t i;

		if ((x->flags & SW_MISSING) && !a->missing)
			a->missing = x;
		if ((paint & WA_BOTH) == WA_BOTH && !(paint & WA_STALE))
			wa_set_paint(a, x, paint |= WA_STALE);
		for (i = 0; i < x->nparents; i++) {
			sw_node *p = x->parents[i];
			uint32_t had = wa_paint(a, p);

			if ((had & paint) == paint)
				continue;
			wa_set_paint(a, p, had | paint);
			if (p == anc && (paint & WA_FROM_TIP))
				return 1;
			wa_push(a, p);
		}
	}
	return 0;
}

int rg_ancestry_new(rg_ancestry **out, git_repository *repo)
{
	rg_ancestry *a = rg_calloc(1, sizeof(*a));
	int r;

	*out = NULL;
	if ((r = sw_init(&a->graph, repo)) < 0) {
		rg_ancestry_free(a);
		return r;
	}
	*out = a;
	return RG_OK;
}

int rg_ancestry_ask(rg_ancestry *a, const git_oid *tip, const git_oid *ancestor)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (git_oid_equal(tip, ancestor))
		return 1;
	a->missing = NULL;
	if (wa_question(a, sw_get(&a->graph, tip), sw_get(&a->graph, ancestor)))
		return 1;
	/* a shallow clone lacks what lies below its edge; a full one should not */
	if (!a->missing || a->graph.nshallow)
		return 0;
	git_oid_tostr(hex, sizeof(hex), &a->missing->id);
	rg_error_set("commit %s is not in this repository; fetch it first", hex);
	return RG_ERROR;
}

void rg_ancestry_free(rg_ancestry *a)
{
	if (!a)
		return;
	free(a->heap.v);
	sw_free(&a->graph);
	free(a);
}
