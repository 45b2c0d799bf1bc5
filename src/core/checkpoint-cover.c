/* checkpoint-cover.c: which work of a tip no checkpoint covers, measured now. */
#include <stdlib.h>
#include <string.h>

#include "repoguard/checkpoint.h"
#include "repoguard/walk.h"

/* Asked through one graph (walk.h), which also knows a shallow clone's edge. */
static int cover_in_history(rg_ancestry *anc, const git_oid *commit, const git_oid *tip)
{
	int in = rg_ancestry_ask(anc, tip, commit);

	if (in < 0)
		rg_error_clear();
	return in == 1;
}

int rg_ckpt_in_history(git_repository *repo, const git_oid *commit, const git_oid *tip)
{
	rg_ancestry *anc = NULL;
	int in = git_oid_equal(commit, tip);

	if (!in && rg_ancestry_new(&anc, repo) == RG_OK)
		in = cover_in_history(anc, commit, tip);
	rg_ancestry_free(anc);
	rg_error_clear();
	return in;
}

const rg_ckpt *rg_ckpt_last_in_history(git_repository *repo, const rg_ckpt_list *l,
	const git_oid *tip, int64_t now)
{
	rg_ancestry *anc = NULL;
	const rg_ckpt *last = NULL;
	size_t i;

	if (rg_ancestry_new(&anc, repo) < 0) {
		rg_error_clear();
		return NULL;
	}
	/* newest first: usually the first one is in the history; the others share the graph read */
	for (i = 0; i < l->n && !last; i++)
		if (cover_in_history(anc, &l->v[i].commit, tip))
			last = &l->v[i];
	/*
	 * Of checkpoints with the same time (lightweight tags on commits a
	 * rebase or a script dated alike), the one nearest the tip: a tie must
	 * not be settled by the names, which would roll back further. A
	 * checkpoint dated after now (made with a wrong clock) says nothing
	 * about when it was made: one after it in the history is newer.
	 */
	for (; last && i < l->n && (l->v[i].time == last->time || last->time > now); i++) {
		const git_oid *c = &l->v[i].commit;

		if (!git_oid_equal(c, &last->commit) && cover_in_history(anc, c, tip) &&
		    cover_in_history(anc, &last->commit, c))
			last = &l->v[i];
	}
	rg_ancestry_free(anc);
	return last;
}

static int cover_walk_new(git_revwalk **walk, git_repository *repo, const rg_ckpt_list *l,
	const git_oid *tip)
{
	size_t i;

	if (git_revwalk_new(walk, repo) < 0)
		return rg_error_from_git("cannot walk history");
	git_revwalk_sorting(*walk, GIT_SORT_TIME);
	if (git_revwalk_push(*walk, tip) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), tip);
		return rg_error_from_git(hex);
	}
	for (i = 0; i < l->n; i++)
		if (git_revwalk_hide(*walk, &l->v[i].commit) < 0)
			git_error_clear(); /* a tag on a commit we cannot read covers nothing */
	return RG_OK;
}

/* Count one uncovered commit made at t (commits come newest first). */
static void cover_add(rg_ckpt_work *w, size_t *alloc, const git_oid *id, int64_t t, int64_t now,
	int want_ids)
{
	if (t > now) {
		w->future++;
		t = now;
	}
	if (!w->count++ || t < w->oldest_time) {
		w->oldest_time = t;
		git_oid_cpy(&w->oldest, id);
	}
	if (want_ids) {
		RG_GROW(w->ids, *alloc, w->nids + 1);
		git_oid_cpy(&w->ids[w->nids++], id);
	}
}

static int cover_commit_time(int64_t *t, git_repository *repo, const git_oid *id)
{
	git_commit *c = NULL;

	*t = 0;
	if (git_commit_lookup(&c, repo, id) < 0)
		return rg_error_from_git("cannot read commit (shallow clone?)");
	*t = (int64_t)git_commit_time(c);
	git_commit_free(c);
	return RG_OK;
}

typedef struct {
	git_oid id;
	int64_t time;
} cover_dated;

static int cover_dated_newest_first(const void *a, const void *b)
{
	const cover_dated *x = a, *y = b;

	return x->time != y->time ? (x->time < y->time ? 1 : -1) : git_oid_cmp(&x->id, &y->id);
}

/* The uncovered commits of a shallow clone; reaching its edge uncovered is an error. */
static int cover_uncovered_shallow(rg_ckpt_work *w, git_repository *repo, const rg_ckpt_list *l,
	const git_oid *tip, int64_t now, int want_ids)
{
	git_oid *hide = rg_calloc(l->n ? l->n : 1, sizeof(*hide)), *ids = NULL;
	cover_dated *d = NULL;
	size_t i, n = 0, alloc = 0;
	int r;

	for (i = 0; i < l->n; i++)
		git_oid_cpy(&hide[i], &l->v[i].commit);
	r = rg_walk_shallow(&ids, &n, repo, tip, 1, hide, l->n);
	if (r < 0)
		rg_error_set("the work no checkpoint covers reaches the edge of this shallow clone, "
			"so its age cannot be told: fetch the history back to a checkpoint "
			"(git fetch --unshallow, or git fetch --shallow-since=DATE)");
	d = rg_calloc(n ? n : 1, sizeof(*d));
	for (i = 0; i < n && r == RG_OK; i++) {
		git_oid_cpy(&d[i].id, &ids[i]);
		r = cover_commit_time(&d[i].time, repo, &ids[i]);
	}
	if (r == RG_OK && n)
		qsort(d, n, sizeof(*d), cover_dated_newest_first);
	for (i = 0; i < n && r == RG_OK; i++)
		cover_add(w, &alloc, &d[i].id, d[i].time, now, want_ids);
	free(d);
	free(ids);
	free(hide);
	return r;
}

int rg_ckpt_uncovered(rg_ckpt_work *w, git_repository *repo, const rg_ckpt_list *l,
	const git_oid *tip, int64_t now, int want_ids)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t alloc = 0;
	int64_t t = 0;
	int r, n = GIT_ITEROVER;

	memset(w, 0, sizeof(*w));
	if (git_repository_is_shallow(repo) == 1) {
		r = cover_uncovered_shallow(w, repo, l, tip, now, want_ids);
		goto out;
	}
	r = cover_walk_new(&walk, repo, l, tip);
	while (r == RG_OK && (n = git_revwalk_next(&id, walk)) == 0) {
		if ((r = cover_commit_time(&t, repo, &id)) < 0)
			break;
		cover_add(w, &alloc, &id, t, now, want_ids);
	}
	if (r == RG_OK && n != GIT_ITEROVER)
		r = rg_error_from_git("history walk failed");
	git_error_clear();
	git_revwalk_free(walk);
out:
	if (r < 0)
		rg_ckpt_work_free(w);
	return r;
}

void rg_ckpt_work_free(rg_ckpt_work *w)
{
	free(w->ids);
	memset(w, 0, sizeof(*w));
}
