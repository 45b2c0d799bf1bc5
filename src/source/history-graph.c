/*
 * history-graph.c: the commit graph of the history walker: the refs (HEAD
 * first, then branches, remote-tracking branches, tags, others), every commit
 * they reach read raw (only the header is parsed), the shallow boundary
 * honoured, missing commits counted, a topological order with parents first,
 * and for each commit the first ref that reaches it.
 */
#include <stdio.h>
#include <time.h>

#include "repoguard/objparse.h"
#include "history-int.h"
#include "repoguard/walk.h"

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

	rg_buf_printf(&path, "%sshallow", git_repository_commondir(h->repo));
	if (rg_buf_read_file(&text, path.ptr, 0) != RG_ENOTFOUND) {
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
		if (hdr.nparents)
			c->flags |= RG_HIST_C_EDGE;
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

/* "reading commits: N" on a terminal when loading takes more than a second. */
static void load_progress(rg_hist *h, int final)
{
	hw *w = h->w;
	struct timespec ts;
	double now;
	char n[32];

	if (!h->o.progress)
		return;
	if (final) {
		if (w->printed)
			fputs("\r\033[K", stderr);
		w->printed = 0;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (now - w->t0 < 1.0 || now - w->last_print < 0.25)
		return;
	w->last_print = now;
	w->printed = 1;
	rg_fmt_count(n, sizeof(n), h->ncommits);
	fprintf(stderr, "\rrepoguard audit: reading commits: %s\033[K", n);
	fflush(stderr);
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

		if ((q & 4095) == 0)
			load_progress(h, 0);
		for (k = 0; k < np; k++) {
			git_oid pid = pids.v[first + k]; /* load_commit may grow pids */
			uint32_t p;

			if (load_commit(h, &pids, &palloc, &pid, &p) < 0) {
				RG_GROW(w->missing, w->missing_alloc, w->nmissing + 1);
				w->missing[w->nmissing++] = pid;
			}
		}
	}
	load_progress(h, 1);
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
		if (np && !c->nparents)
			c->flags |= RG_HIST_C_EDGE;
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
	if (h->nrefs)
		qsort(h->refs, h->nrefs, sizeof(*h->refs), ref_cmp);
	if (h->nrefs && !strcmp(h->refs[0].name, "HEAD"))
		h->head = h->refs[0].commit;
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


int rg_hw_load_graph(rg_hist *h)
{
	tip *tips = NULL;
	size_t ntips = 0, t;
	uint32_t *tip_ix = NULL;
	int r;

	if (h->o.history)
		load_shallow(h);
	r = collect_tips(h, &tips, &ntips);
	if (r < 0)
		goto out;
	/* sort first, so that HEAD's history comes first in the topological order */
	if (ntips)
		qsort(tips, ntips, sizeof(*tips), tip_cmp);
	tip_ix = rg_calloc(ntips + 1, sizeof(*tip_ix));
	load_commits(h, tips, ntips, tip_ix);
	topo_sort(h, tip_ix, ntips);
	set_refs(h, tips, ntips, tip_ix);
	mark_reach(h);
	count_missing(h);
	h->st.commits = h->ncommits;
	h->w->mark = rg_calloc(h->ncommits + 1, sizeof(*h->w->mark));
out:
	for (t = 0; t < ntips; t++)
		free(tips[t].name);
	free(tips);
	free(tip_ix);
	return r;
}
