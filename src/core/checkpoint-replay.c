/*
 * checkpoint-replay.c: the checkpoint rule for ranges (ci, pre-receive),
 * where "now" means nothing: the now-rule is replayed at the time of every
 * pushed commit.
 *
 * At the time T of a pushed commit, the work of the tip's history that no
 * checkpoint made before T covers must be at most `every` old. The commits
 * that can matter are those of the tip's history that no checkpoint made
 * before the first pushed commit covers: one topological walk from the tip
 * and the later checkpoints, with the earlier checkpoints hidden, visits each
 * of them once. Children come before parents, so one pass propagates down
 * the parent edges both "in the tip's history" and "covered since" (the
 * earliest time of a checkpoint that reaches the commit). libgit2 has no
 * public oid map, hence the small open-addressing table below.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/checkpoint.h"

#define REPLAY_NEVER INT64_MAX
#define REPLAY_SPLIT_TRIES 64

typedef struct {
	git_oid id;
	int64_t time;
	int64_t cov;           /* earliest covering checkpoint time, REPLAY_NEVER if none */
	int in_tip;            /* reachable from the tip */
	size_t pfirst, pcount; /* parents in replay.parents */
} replay_node;

typedef struct {
	replay_node *v;
	size_t n, alloc;
	git_oid *parents;
	size_t np, palloc;
	size_t *slots;        /* node index + 1, 0 empty */
	size_t mask;
} replay;

typedef struct {
	int64_t time;
	size_t node;
} replay_point;

static size_t replay_hash(const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

static void replay_index(replay *g)
{
	size_t cap = 16, i;

	while (cap < g->n * 2)
		cap <<= 1;
	g->slots = rg_calloc(cap, sizeof(*g->slots));
	g->mask = cap - 1;
	for (i = 0; i < g->n; i++) {
		size_t s = replay_hash(&g->v[i].id) & g->mask;

		while (g->slots[s])
			s = (s + 1) & g->mask;
		g->slots[s] = i + 1;
	}
}

static replay_node *replay_find(const replay *g, const git_oid *id)
{
	size_t s = replay_hash(id) & g->mask;

	while (g->slots[s]) {
		replay_node *x = &g->v[g->slots[s] - 1];

		if (git_oid_equal(&x->id, id))
			return x;
		s = (s + 1) & g->mask;
	}
	return NULL;
}

static void replay_free(replay *g)
{
	free(g->v);
	free(g->parents);
	free(g->slots);
	memset(g, 0, sizeof(*g));
}

static int replay_add(replay *g, git_repository *repo, const git_oid *id)
{
	git_commit *c = NULL;
	replay_node *x;
	unsigned i, np;

	if (git_commit_lookup(&c, repo, id) < 0)
		return rg_error_from_git("cannot read commit (shallow clone?)");
	RG_GROW(g->v, g->alloc, g->n + 1);
	x = &g->v[g->n++];
	git_oid_cpy(&x->id, id);
	x->time = (int64_t)git_commit_time(c);
	x->cov = REPLAY_NEVER;
	x->in_tip = 0;
	np = git_commit_parentcount(c);
	x->pfirst = g->np;
	x->pcount = np;
	RG_GROW(g->parents, g->palloc, g->np + np);
	for (i = 0; i < np; i++)
		git_oid_cpy(&g->parents[g->np++], git_commit_parent_id(c, i));
	git_commit_free(c);
	return RG_OK;
}

static int replay_walk(replay *g, git_repository *repo, const git_oid *push, size_t npush,
	const git_oid *hide, size_t nhide)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t i;
	int r = RG_OK, n = GIT_ITEROVER;

	if (git_revwalk_new(&walk, repo) < 0)
		return rg_error_from_git("cannot walk history");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL);
	if (git_revwalk_push(walk, &push[0]) < 0)
		r = rg_error_from_git("cannot walk from the pushed tip");
	for (i = 1; r == RG_OK && i < npush; i++)
		if (git_revwalk_push(walk, &push[i]) < 0)
			git_error_clear(); /* a checkpoint on a commit we cannot read */
	for (i = 0; r == RG_OK && i < nhide; i++)
		if (git_revwalk_hide(walk, &hide[i]) < 0)
			git_error_clear(); /* an old tip we do not have hides nothing */
	while (r == RG_OK && (n = git_revwalk_next(&id, walk)) == 0)
		r = replay_add(g, repo, &id);
	if (r == RG_OK && n != GIT_ITEROVER)
		r = rg_error_from_git("history walk failed");
	git_revwalk_free(walk);
	replay_index(g);
	return r;
}

/*
 * The commits of the tip's history that checkpoints made before first (the
 * first pushed commit's time) do not cover, and the later checkpoints.
 */
static int replay_history(replay *g, git_repository *repo, const rg_ckpt_list *l,
	const git_oid *tip, int64_t first)
{
	git_oid *push = rg_calloc(l->n + 1, sizeof(*push)), *hide = rg_calloc(l->n + 1, sizeof(*hide));
	size_t npush = 0, nhide = 0, i;
	int r;

	git_oid_cpy(&push[npush++], tip);
	for (i = 0; i < l->n; i++) {
		/* what a checkpoint made before the first pushed commit covers is done */
		if (l->v[i].time < first)
			git_oid_cpy(&hide[nhide++], &l->v[i].commit);
		else
			git_oid_cpy(&push[npush++], &l->v[i].commit);
	}
	r = replay_walk(g, repo, push, npush, hide, nhide);
	free(push);
	free(hide);
	return r;
}

static void replay_propagate(replay *g, const rg_ckpt_list *l, const git_oid *tip)
{
	replay_node *x;
	size_t i, j;

	for (i = 0; i < l->n; i++)
		if ((x = replay_find(g, &l->v[i].commit)) != NULL && l->v[i].time < x->cov)
			x->cov = l->v[i].time;
	if ((x = replay_find(g, tip)) != NULL)
		x->in_tip = 1;
	/* topological order: every child is visited before its parents */
	for (i = 0; i < g->n; i++) {
		x = &g->v[i];
		for (j = 0; j < x->pcount; j++) {
			replay_node *p = replay_find(g, &g->parents[x->pfirst + j]);

			if (!p)
				continue;
			p->in_tip |= x->in_tip;
			if (x->cov < p->cov)
				p->cov = x->cov;
		}
	}
}

static int replay_point_cmp(const void *a, const void *b)
{
	const replay_point *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

/* Index of the last point with time < limit, or (size_t)-1. */
static size_t replay_before(const replay_point *p, size_t n, int64_t limit)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p[mid].time < limit)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : (size_t)-1;
}

/* Commits of g (in the tip's history if in_tip) dated at most now, sorted by time. */
static replay_point *replay_points(size_t *n, size_t *future, const replay *g, int in_tip, int64_t now)
{
	replay_point *p = rg_calloc(g->n, sizeof(*p));
	size_t i;

	*n = 0;
	for (i = 0; i < g->n; i++) {
		if (in_tip && !g->v[i].in_tip)
			continue;
		if (g->v[i].time > now) {
			(*future)++;
			continue;
		}
		p[*n].time = g->v[i].time;
		p[(*n)++].node = i;
	}
	if (*n)
		qsort(p, *n, sizeof(*p), replay_point_cmp);
	return p;
}

/* The latest commit within every of the stretch's start that descends from it. */
static void replay_split(rg_ckpt_stretch *out, git_repository *repo, const replay *g,
	const replay_point *p, size_t n, int64_t every)
{
	size_t k = replay_before(p, n, out->from_time + every + 1), tries = 0;

	for (; k != (size_t)-1 && tries < REPLAY_SPLIT_TRIES; k--, tries++) {
		const replay_node *m = &g->v[p[k].node];

		if (m->time < out->from_time)
			break;
		if (git_oid_equal(&m->id, &out->from) ||
		    git_graph_descendant_of(repo, &m->id, &out->from) == 1) {
			out->have_split = 1;
			git_oid_cpy(&out->split, &m->id);
			out->split_time = m->time;
			return;
		}
		git_error_clear();
	}
}

/* hist: the tip's history; pushed: the pushed commits (another walk). */
static void replay_judge(rg_ckpt_stretch *out, git_repository *repo, const replay *hist,
	const replay_point *h, size_t nh, const replay *pushed, const replay_point *p, size_t np,
	int64_t every)
{
	size_t i, worst = 0;
	int64_t longest = -1;

	for (i = 0; i < nh; i++) {
		const replay_node *c = &hist->v[h[i].node];
		/* the last pushed commit made while c was still uncovered */
		size_t j = replay_before(p, np, c->cov);

		if (j == (size_t)-1 || p[j].time - c->time <= every)
			continue;
		if (p[j].time - c->time > longest) {
			longest = p[j].time - c->time;
			worst = i;
			out->to_time = p[j].time;
			git_oid_cpy(&out->to, &pushed->v[p[j].node].id);
		}
	}
	if (longest < 0)
		return;
	out->failed = 1;
	git_oid_cpy(&out->from, &hist->v[h[worst].node].id);
	out->from_time = h[worst].time;
	for (i = replay_before(h, nh, out->from_time) + 1; i < nh && h[i].time <= out->to_time; i++)
		out->commits++;
	replay_split(out, repo, hist, h, nh, every);
}

int rg_ckpt_replay(rg_ckpt_stretch *out, git_repository *repo, const rg_ckpt_list *l,
	const git_oid *tip, const git_oid *hide, size_t nhide, int64_t every, int64_t now)
{
	replay pushed, hist;
	replay_point *p = NULL, *h = NULL;
	size_t np = 0, nh = 0, ignored = 0;
	int r;

	memset(out, 0, sizeof(*out));
	memset(&pushed, 0, sizeof(pushed));
	memset(&hist, 0, sizeof(hist));
	r = replay_walk(&pushed, repo, tip, 1, hide, nhide);
	if (r == RG_OK)
		p = replay_points(&np, &out->future, &pushed, 0, now);
	out->pushed = np;
	if (r == RG_OK && np) {
		r = replay_history(&hist, repo, l, tip, p[0].time);
		if (r == RG_OK) {
			replay_propagate(&hist, l, tip);
			h = replay_points(&nh, &ignored, &hist, 1, now);
			replay_judge(out, repo, &hist, h, nh, &pushed, p, np, every);
		}
	}
	free(p);
	free(h);
	replay_free(&pushed);
	replay_free(&hist);
	return r;
}
