/*
 * walk-graph.c: the commit graph of walk-int.h, and the shallow file's
 * parser (walk.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/walk.h"
#include "walk-int.h"

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

int sw_init(sw_walk *w, git_repository *repo)
{
	rg_buf path = RG_BUF_INIT, text = RG_BUF_INIT;
	int r = RG_OK;

	memset(w, 0, sizeof(*w));
	w->repo = repo;
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

sw_node *sw_get(sw_walk *w, const git_oid *id)
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

void sw_parse(sw_walk *w, sw_node *x)
{
	git_commit *c = NULL;
	unsigned i, np;

	if (x->flags & SW_PARSED)
		return;
	x->flags |= SW_PARSED;
	if (git_commit_lookup(&c, w->repo, &x->id) < 0) {
		git_error_clear();
		x->flags |= SW_MISSING;
		return;
	}
	x->time = (int64_t)git_commit_time(c);
	np = (x->flags & SW_SHALLOW) ? 0 : git_commit_parentcount(c);
	x->parents = np ? rg_calloc(np, sizeof(*x->parents)) : NULL;
	for (i = 0; i < np; i++)
		x->parents[i] = sw_get(w, git_commit_parent_id(c, i));
	x->nparents = np;
	git_commit_free(c);
}

void sw_free(sw_walk *w)
{
	size_t i;

	for (i = 0; i < w->nslots; i++)
		if (w->slots[i]) {
			free(w->slots[i]->parents);
			free(w->slots[i]);
		}
	free(w->slots);
	free(w->heap.v);
	free(w->shallow);
}


void sw_heap_push(sw_heap *h, sw_node *x)
{
	size_t i;

	RG_GROW(h->v, h->alloc, h->n + 1);
	i = h->n++;
	while (i > 0 && h->v[(i - 1) / 2]->time < x->time) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = x;
}

sw_node *sw_heap_pop(sw_heap *h)
{
	sw_node *top = h->v[0], *last = h->v[--h->n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1]->time > h->v[c]->time)
			c++;
		if (h->v[c]->time <= last->time)
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n)
		h->v[i] = last;
	return top;
}
