/*
 * walk-shallow.c: `git rev-list --topo-order --reverse TIPS --not HIDE` for
 * shallow clones, which libgit2 1.5 cannot walk (see walk.h).
 *
 * git's limit_list: commits come off a queue newest first; an uninteresting
 * commit makes its parents uninteresting; the walk stops once only
 * uninteresting commits are queued, plus a few more (SLOP) for clock skew.
 * The interesting commits left are then ordered parents first by a
 * depth-first walk from the tips, first parent first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/walk.h"
#include "walk-int.h"

#define SW_SLOP 5

static void sw_push(sw_walk *w, sw_node *x)
{
	sw_heap_push(&w->heap, x);
	x->flags |= SW_QUEUED | SW_INHEAP;
	if (!(x->flags & SW_UNINT))
		w->queued_interesting++;
}

static sw_node *sw_pop(sw_walk *w)
{
	sw_node *top = sw_heap_pop(&w->heap);

	top->flags &= ~SW_INHEAP;
	if (!(top->flags & SW_UNINT))
		w->queued_interesting--;
	return top;
}

/* x and everything already known below it become uninteresting. */
static void sw_mark_unint(sw_walk *w, sw_node *x)
{
	sw_node **stack = NULL;
	size_t n = 0, alloc = 0, i;

	RG_GROW(stack, alloc, 1);
	stack[n++] = x;
	while (n) {
		sw_node *y = stack[--n];

		if ((y->flags & SW_UNINT) && y != x)
			continue;
		if (!(y->flags & SW_UNINT) && (y->flags & SW_INHEAP))
			w->queued_interesting--;
		y->flags |= SW_UNINT;
		for (i = 0; i < y->nparents; i++) {
			if (y->parents[i]->flags & SW_UNINT)
				continue;
			RG_GROW(stack, alloc, n + 1);
			stack[n++] = y->parents[i];
		}
	}
	free(stack);
}

static void sw_enqueue(sw_walk *w, const git_oid *id, int unint)
{
	sw_node *x = sw_get(w, id);

	sw_parse(w, x);
	if (unint && !(x->flags & SW_UNINT))
		sw_mark_unint(w, x);
	if (!(x->flags & SW_QUEUED))
		sw_push(w, x);
}

static int sw_limit(sw_walk *w)
{
	int slop = SW_SLOP;

	while (w->heap.n) {
		sw_node *x = sw_pop(w);
		size_t i;

		if ((x->flags & SW_MISSING) && !(x->flags & SW_UNINT)) {
			char hex[GIT_OID_HEXSZ + 1];

			git_oid_tostr(hex, sizeof(hex), &x->id);
			rg_error_set("commit %s is not in this repository; fetch it first", hex);
			return RG_ERROR;
		}
		for (i = 0; i < x->nparents; i++) {
			sw_node *p = x->parents[i];

			sw_parse(w, p);
			if ((x->flags & SW_UNINT) && !(p->flags & SW_UNINT))
				sw_mark_unint(w, p);
			if (!(p->flags & SW_QUEUED))
				sw_push(w, p);
		}
		if (!(x->flags & SW_UNINT))
			continue;
		slop = w->queued_interesting ? SW_SLOP : slop - 1;
		if (!slop)
			break;
	}
	return RG_OK;
}

static int sw_boundary_error(const sw_node *x)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), &x->id);
	rg_error_set("commit %.12s is at the edge of this shallow clone: its parents were not "
		"fetched, so it cannot be checked against its first parent (git fetch --unshallow)", hex);
	return RG_ERROR;
}

/* Parents-first order of the interesting commits reachable from x (iterative DFS). */
static int sw_emit(git_oid **out, size_t *n, size_t *alloc, sw_node *root)
{
	typedef struct { sw_node *x; size_t next; } frame;
	frame *st = NULL;
	size_t depth = 0, st_alloc = 0;
	int r = RG_OK;

	if (root->flags & (SW_UNINT | SW_EMITTED))
		return RG_OK;
	RG_GROW(st, st_alloc, 1);
	st[depth].x = root;
	st[depth++].next = 0;
	root->flags |= SW_ONSTACK;
	while (depth && r == RG_OK) {
		frame *f = &st[depth - 1];

		if (f->next < f->x->nparents) {
			sw_node *p = f->x->parents[f->next++];

			if (p->flags & (SW_UNINT | SW_EMITTED | SW_ONSTACK))
				continue;
			RG_GROW(st, st_alloc, depth + 1);
			st[depth].x = p;
			st[depth++].next = 0;
			p->flags |= SW_ONSTACK;
			continue;
		}
		if ((f->x->flags & SW_SHALLOW) || !(f->x->flags & SW_PARSED) || (f->x->flags & SW_MISSING)) {
			r = sw_boundary_error(f->x);
			break;
		}
		f->x->flags |= SW_EMITTED;
		RG_GROW(*out, *alloc, *n + 1);
		git_oid_cpy(&(*out)[(*n)++], &f->x->id);
		depth--;
	}
	free(st);
	return r;
}

int rg_walk_shallow(git_oid **out, size_t *n, git_repository *repo,
	const git_oid *tips, size_t ntips, const git_oid *hide, size_t nhide)
{
	sw_walk w;
	size_t i, alloc = 0;
	int r;

	*out = NULL;
	*n = 0;
	r = sw_init(&w, repo);
	for (i = 0; i < nhide && r == RG_OK; i++)
		sw_enqueue(&w, &hide[i], 1);
	for (i = 0; i < ntips && r == RG_OK; i++)
		sw_enqueue(&w, &tips[i], 0);
	if (r == RG_OK)
		r = sw_limit(&w);
	for (i = 0; i < ntips && r == RG_OK; i++)
		r = sw_emit(out, n, &alloc, sw_get(&w, &tips[i]));
	sw_free(&w);
	if (r < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return r;
}
