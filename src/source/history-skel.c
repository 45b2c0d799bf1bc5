/*
 * history-skel.c: interned skeletons (see source-history.c) and what the
 * walker reads from them: for each commit, the blocked paths and
 * secret-looking files it introduced (absent from every parent) and removed
 * (present in every parent); at the end, what HEAD and the other refs' tips
 * still carry. Equal skeletons are one pointer, so a commit that changes
 * nothing interesting costs a pointer comparison.
 */
#include "history-int.h"

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

const char *rg_hw_name_intern(hw *w, const char *s, size_t n)
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

const hw_skel *rg_hw_skel_intern(hw *w, const hw_ent *v, uint32_t n)
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

	return rg_hw_rec_get(h, path, hw_kind(e), type == RG_MODE_TREE || type == RG_MODE_GITLINK,
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
	uint32_t rec;

	/* present in another parent of a merge: brought in, not introduced */
	for (k = 1; k < cm->nparents; k++)
		if (skel_has(commit_skel(h, h->parent_ix[cm->parents + k]), path, e->kind))
			return;
	rec = rec_for_ent(h, path, e); /* may grow h->paths: index it after */
	p = &h->paths[rec];
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
	uint32_t rec;

	/* a merge that took the other side's removal did not remove it itself */
	for (k = 1; k < cm->nparents; k++)
		if (!skel_has(commit_skel(h, h->parent_ix[cm->parents + k]), path, e->kind))
			return;
	rec = rec_for_ent(h, path, e);
	p = &h->paths[rec];
	RG_GROW(p->removed, p->removed_alloc, p->nremoved + 1);
	p->removed[p->nremoved++] = c;
}

static int commit_hole(const rg_hist *h, uint32_t c)
{
	uint32_t root = h->commits[c].root;

	return root == RG_HIST_NONE || (h->w->nodes[root].flags & N_HOLE);
}

void rg_hw_commit_events(rg_hist *h, uint32_t c)
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

static void on_head(rg_hist *h, const char *path, const hw_ent *e, void *payload)
{
	uint32_t rec = rec_for_ent(h, path, e);
	rg_hist_path *p = &h->paths[rec];

	RG_UNUSED(payload);
	p->at_head = 1;
	ent_stats(h, e, &p->head);
	p->head.commit = h->head;
}

static void on_tip(rg_hist *h, const char *path, const hw_ent *e, void *payload)
{
	uint32_t rec = rec_for_ent(h, path, e);
	rg_hist_path *p = &h->paths[rec];
	uint32_t r = *(uint32_t *)payload;

	RG_GROW(p->tips, p->tips_alloc, p->ntips + 1);
	p->tips[p->ntips++] = r;
}

void rg_hw_final_state(rg_hist *h)
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


void rg_hw_arena_free(hw *w)
{
	while (w->arena) {
		hw_chunk *c = w->arena;

		w->arena = c->next;
		free(c);
	}
}
