/* checkpoint-cover.c: which work of a tip no checkpoint covers, measured now. */
#include <stdlib.h>
#include <string.h>

#include "repoguard/checkpoint.h"

const rg_ckpt *rg_ckpt_last_in_history(git_repository *repo, const rg_ckpt_list *l,
	const git_oid *tip)
{
	size_t i;

	/* newest first: usually the first one is in the history, one graph query */
	for (i = 0; i < l->n; i++) {
		if (git_oid_equal(&l->v[i].commit, tip))
			return &l->v[i];
		if (git_graph_descendant_of(repo, tip, &l->v[i].commit) == 1)
			return &l->v[i];
		git_error_clear();
	}
	return NULL;
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

int rg_ckpt_uncovered(rg_ckpt_work *w, git_repository *repo, const rg_ckpt_list *l,
	const git_oid *tip, int64_t now, int want_ids)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t alloc = 0;
	int r, n = GIT_ITEROVER;

	memset(w, 0, sizeof(*w));
	r = cover_walk_new(&walk, repo, l, tip);
	while (r == RG_OK && (n = git_revwalk_next(&id, walk)) == 0) {
		git_commit *c = NULL;
		int64_t t;

		if (git_commit_lookup(&c, repo, &id) < 0) {
			r = rg_error_from_git("cannot read commit (shallow clone?)");
			break;
		}
		t = (int64_t)git_commit_time(c);
		git_commit_free(c);
		if (t > now) {
			w->future++;
			t = now;
		}
		if (!w->count++ || t < w->oldest_time) {
			w->oldest_time = t;
			git_oid_cpy(&w->oldest, &id);
		}
		if (want_ids) {
			RG_GROW(w->ids, alloc, w->nids + 1);
			git_oid_cpy(&w->ids[w->nids++], &id);
		}
	}
	if (r == RG_OK && n != GIT_ITEROVER)
		r = rg_error_from_git("history walk failed");
	git_error_clear();
	git_revwalk_free(walk);
	if (r < 0)
		rg_ckpt_work_free(w);
	return r;
}

void rg_ckpt_work_free(rg_ckpt_work *w)
{
	free(w->ids);
	memset(w, 0, sizeof(*w));
}
