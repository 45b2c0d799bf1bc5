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

#define SW_SLOP 5

enum { SW_PARSED = 1, SW_QUEUED = 2, SW_UNINT = 4, SW_SHALLOW = 8, SW_MISSING = 16,
	SW_EMITTED = 32, SW_ONSTACK = 64, SW_INHEAP = 128 };

typedef struct sw_node {
	git_oid id;
	int64_t time;
	unsigned flags;
	struct sw_node **parents;
	size_t nparents;
} sw_node;

typedef struct {
	git_repository *repo;
	sw_node **slots;          /* open addressing on the id's first bytes */
	size_t nslots, used;
	sw_node **heap;           /* max-heap on time */
	size_t nheap, heap_alloc;
	size_t queued_interesting;
	git_oid *shallow;
	size_t nshallow;
} sw_walk;

static int sw_oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

int rg_shallow_parse(git_oid **out, size_t *n, const char *text, size_t len)
{
	size_t pos = 0, alloc = 0;

	*out = NULL;
	*n = 0;
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		size_t i;

		pos += ll + (nl ? 1 : 0);
		if (!ll)
			continue;
		for (i = 0; i < ll && ll == GIT_OID_HEXSZ; i++)
			if (!((line[i] >= '0' && line[i] <= '9') || (line[i] >= 'a' && line[i] <= 'f')))
				break;
		if (ll != GIT_OID_HEXSZ || i != ll) {
			free(*out);
			*out = NULL;
			*n = 0;
			rg_error_set("shallow: bad line '%.*s'", (int)(ll > 80 ? 80 : ll), line);
			return RG_ERROR;
		}
		RG_GROW(*out, alloc, *n + 1);
		git_oid_fromstrn(&(*out)[(*n)++], line, ll);
	}
	if (*n)
		qsort(*out, *n, sizeof(**out), sw_oid_cmp);
	return RG_OK;
}

static int sw_load_shallow(sw_walk *w)
{
	rg_buf path = RG_BUF_INIT, text = RG_BUF_INIT;
	int r = RG_OK;

	rg_buf_printf(&path, "%sshallow", git_repository_commondir(w->repo));
	if (rg_buf_read_file(&text, path.ptr, 0) != RG_ENOTFOUND)
		r = rg_shallow_parse(&w->shallow, &w->nshallow, rg_buf_cstr(&text), text.len);
	rg_buf_dispose(&path);
	rg_buf_dispose(&text);
	return r;
}

static size_t sw_hash(const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

static void sw_rehash(sw_walk *w)
{
	size_t n = w->nslots ? w->nslots * 2 : 1024, i;
	sw_node **slots = rg_calloc(n, sizeof(*slots));

	for (i = 0; i < w->nslots; i++) {
		sw_node *x = w->slots[i];
		size_t j;

		if (!x)
			continue;
		for (j = sw_hash(&x->id) & (n - 1); slots[j]; j = (j + 1) & (n - 1))
			;
		slots[j] = x;
	}
	free(w->slots);
	w->slots = slots;
	w->nslots = n;
}

static sw_node *sw_get(sw_walk *w, const git_oid *id)
{
	size_t j;
	sw_node *x;

	if ((w->used + 1) * 2 > w->nslots)
		sw_rehash(w);
	for (j = sw_hash(id) & (w->nslots - 1); (x = w->slots[j]) != NULL; j = (j + 1) & (w->nslots - 1))
		if (git_oid_equal(&x->id, id))
			return x;
	x = rg_calloc(1, sizeof(*x));
	git_oid_cpy(&x->id, id);
	if (w->nshallow && bsearch(id, w->shallow, w->nshallow, sizeof(*w->shallow), sw_oid_cmp))
		x->flags |= SW_SHALLOW;
	w->slots[j] = x;
	w->used++;
	return x;
}

/* Read a commit's time and parents (none past the shallow boundary). */
static int sw_parse(sw_walk *w, sw_node *x)
{
	git_commit *c = NULL;
	unsigned i, np;

	if (x->flags & SW_PARSED)
		return RG_OK;
	x->flags |= SW_PARSED;
	if (git_commit_lookup(&c, w->repo, &x->id) < 0) {
		git_error_clear();
		x->flags |= SW_MISSING;
		return RG_OK;
	}
	x->time = (int64_t)git_commit_time(c);
	np = (x->flags & SW_SHALLOW) ? 0 : git_commit_parentcount(c);
	x->parents = np ? rg_calloc(np, sizeof(*x->parents)) : NULL;
	for (i = 0; i < np; i++)
		x->parents[i] = sw_get(w, git_commit_parent_id(c, i));
	x->nparents = np;
	git_commit_free(c);
	return RG_OK;
}

static void sw_heap_push(sw_walk *w, sw_node *x)
{
	size_t i;

	RG_GROW(w->heap, w->heap_alloc, w->nheap + 1);
	i = w->nheap++;
	while (i > 0 && w->heap[(i - 1) / 2]->time < x->time) {
		w->heap[i] = w->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	w->heap[i] = x;
	x->flags |= SW_QUEUED | SW_INHEAP;
	if (!(x->flags & SW_UNINT))
		w->queued_interesting++;
}

static sw_node *sw_heap_pop(sw_walk *w)
{
	sw_node *top = w->heap[0], *last = w->heap[--w->nheap];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= w->nheap)
			break;
		if (c + 1 < w->nheap && w->heap[c + 1]->time > w->heap[c]->time)
			c++;
		if (w->heap[c]->time <= last->time)
			break;
		w->heap[i] = w->heap[c];
		i = c;
	}
	if (w->nheap)
		w->heap[i] = last;
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
		sw_heap_push(w, x);
}

static int sw_limit(sw_walk *w)
{
	int slop = SW_SLOP;

	while (w->nheap) {
		sw_node *x = sw_heap_pop(w);
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
				sw_heap_push(w, p);
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

static void sw_free(sw_walk *w)
{
	size_t i;

	for (i = 0; i < w->nslots; i++)
		if (w->slots[i]) {
			free(w->slots[i]->parents);
			free(w->slots[i]);
		}
	free(w->slots);
	free(w->heap);
	free(w->shallow);
}

int rg_walk_shallow(git_oid **out, size_t *n, git_repository *repo,
	const git_oid *tips, size_t ntips, const git_oid *hide, size_t nhide)
{
	sw_walk w;
	size_t i, alloc = 0;
	int r;

	*out = NULL;
	*n = 0;
	memset(&w, 0, sizeof(w));
	w.repo = repo;
	r = sw_load_shallow(&w);
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

int rg_walk_shallow_descendant(git_repository *repo, const git_oid *commit, const git_oid *ancestor)
{
	sw_walk w;
	sw_node **st = NULL, *x;
	size_t depth = 0, st_alloc = 0, i;
	int r, found = 0, edge = 0;

	memset(&w, 0, sizeof(w));
	w.repo = repo;
	if ((r = sw_load_shallow(&w)) < 0)
		goto out;
	x = sw_get(&w, commit);
	x->flags |= SW_QUEUED;
	RG_GROW(st, st_alloc, 1);
	st[depth++] = x;
	while (depth && !found) {
		x = st[--depth];
		if (git_oid_equal(&x->id, ancestor)) {
			found = 1;
			break;
		}
		sw_parse(&w, x);
		if (x->flags & (SW_SHALLOW | SW_MISSING))
			edge = 1; /* what lies below was not fetched */
		for (i = 0; i < x->nparents; i++) {
			sw_node *p = x->parents[i];

			if (p->flags & SW_QUEUED)
				continue;
			p->flags |= SW_QUEUED;
			RG_GROW(st, st_alloc, depth + 1);
			st[depth++] = p;
		}
	}
	r = found ? 1 : edge ? RG_ENOTFOUND : 0;
out:
	free(st);
	sw_free(&w);
	return r;
}
