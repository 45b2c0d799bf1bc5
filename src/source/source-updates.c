/*
 * source-updates.c: the commits a push (or a received push) brings to the
 * other side: for each updated ref, new ^old ^(what the other side has) ^(the
 * refs already walked), so every new commit is checked once, against its
 * first parent (a merge without what its other parents have), with the ref
 * it arrives on.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/updates.h"

typedef struct {
	git_oid *v;
	size_t n, alloc;
} su_ids;

static int su_oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

static void su_push(su_ids *s, const git_oid *id)
{
	RG_GROW(s->v, s->alloc, s->n + 1);
	git_oid_cpy(&s->v[s->n++], id);
}

/* A tag of a tree or a blob: the tree (all added) or the blob (added as the ref's name). */
static int su_non_commit(rg_ctx *ctx, const rg_update *u, git_object *target,
	rg_source_cb cb, void *payload)
{
	rg_changeset cs;
	int r = RG_OK;

	rg_changeset_init(&cs);
	cs.label = u->ref;
	cs.ref = rg_strdup(u->ref);
	cs.tag_target = 1;
	if (git_object_type(target) == GIT_OBJECT_TREE) {
		git_tree *tree = NULL;

		if (git_tree_lookup(&tree, ctx->repo, git_object_id(target)) < 0) {
			r = rg_error_from_git(u->ref);
			goto out;
		}
		cs.view.kind = RG_VIEW_TREE;
		cs.view.tree = tree;
		r = rg_diff_trees(&cs, ctx->repo, NULL, tree);
	} else if (git_object_type(target) == GIT_OBJECT_BLOB) {
		rg_changeset_add(&cs, RG_DELTA_ADDED, NULL, 0, NULL, u->ref, GIT_FILEMODE_BLOB,
			git_object_id(target));
	}
	if (r == RG_OK) {
		rg_changeset_sort(&cs);
		r = cb(&cs, payload);
	}
out:
	rg_changeset_free(&cs);
	return r;
}

/* What the new id of u is once tags are peeled: a commit (*is_commit), a tree or a blob. */
static int su_target(git_object **out, rg_ctx *ctx, const rg_update *u)
{
	git_object *obj = NULL;
	int r;

	*out = NULL;
	if (git_object_lookup(&obj, ctx->repo, &u->new_id, GIT_OBJECT_ANY) < 0)
		return rg_error_from_git(u->ref);
	if (git_object_type(obj) != GIT_OBJECT_TAG) {
		*out = obj;
		return RG_OK;
	}
	r = git_object_peel(out, obj, GIT_OBJECT_ANY);
	while (r == 0 && git_object_type(*out) == GIT_OBJECT_TAG) {
		git_object *next = NULL;

		r = git_object_peel(&next, *out, GIT_OBJECT_ANY);
		git_object_free(*out);
		*out = next;
	}
	git_object_free(obj);
	return r < 0 ? rg_error_from_git(u->ref) : RG_OK;
}

typedef struct {
	const rg_update *u;
	rg_source_cb cb;
	void *payload;
} su_tag_ctx;

/*
 * An annotated tag's message is pushed with it (rg_tag_messages: each tag
 * of a chain): a change set without deltas that carries it, labelled with
 * the ref (rg_changeset.tag_message).
 */
static int su_tag_message(const char *msg, void *payload)
{
	su_tag_ctx *t = payload;
	rg_changeset cs;
	int r;

	rg_changeset_init(&cs);
	cs.tag_message = 1;
	cs.label = t->u->ref;
	cs.ref = rg_strdup(t->u->ref);
	cs.message = rg_strdup(msg);
	r = t->cb(&cs, t->payload);
	rg_changeset_free(&cs);
	return r;
}

static int su_one(rg_ctx *ctx, const rg_update *u, su_ids *hide, size_t nbase,
	su_ids *walked, rg_source_cb cb, void *payload)
{
	git_object *target = NULL, *old = NULL;
	su_tag_ctx tag = { u, cb, payload };
	size_t i;
	int r;

	if ((r = rg_tag_messages(ctx->repo, &u->new_id, su_tag_message, &tag)) < 0)
		return r;
	r = su_target(&target, ctx, u);
	if (r < 0)
		return r;
	if (git_object_type(target) != GIT_OBJECT_COMMIT) {
		r = su_non_commit(ctx, u, target, cb, payload);
		git_object_free(target);
		return r;
	}
	hide->n = nbase;
	if (!rg_update_is_create(u) && git_object_lookup(&old, ctx->repo, &u->old_id, GIT_OBJECT_ANY) == 0) {
		git_object *peeled = NULL;

		if (git_object_peel(&peeled, old, GIT_OBJECT_COMMIT) == 0)
			su_push(hide, git_object_id(peeled));
		git_object_free(peeled);
	}
	git_error_clear();
	git_object_free(old);
	for (i = 0; i < walked->n; i++)
		su_push(hide, &walked->v[i]);
	r = rg_source_range(ctx, git_object_id(target), 1, hide->v, hide->n, u->ref, cb, payload);
	su_push(walked, git_object_id(target));
	git_object_free(target);
	return r;
}

/* The commit id points at, tags peeled; RG_ENOTFOUND when none (missing, a tag of a tree). */
static int su_commit(git_commit **out, rg_ctx *ctx, const git_oid *id)
{
	git_object *obj = NULL, *peeled = NULL;
	int r = RG_ENOTFOUND;

	*out = NULL;
	if (git_object_lookup(&obj, ctx->repo, id, GIT_OBJECT_ANY) == 0 &&
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
		*out = (git_commit *)peeled;
		peeled = NULL;
		r = RG_OK;
	}
	git_error_clear();
	git_object_free(peeled);
	git_object_free(obj);
	return r;
}

int rg_update_net(rg_ctx *ctx, const rg_update *u, rg_source_cb cb, void *payload)
{
	git_commit *old = NULL, *new = NULL;
	git_tree *old_tree = NULL, *new_tree = NULL;
	rg_changeset cs;
	int r;

	if (rg_update_is_create(u) || rg_update_is_delete(u) || u->forced)
		return RG_OK;
	if (su_commit(&old, ctx, &u->old_id) < 0 || su_commit(&new, ctx, &u->new_id) < 0 ||
	    !git_oid_cmp(git_commit_tree_id(old), git_commit_tree_id(new))) {
		git_commit_free(old);
		git_commit_free(new);
		return RG_OK;
	}
	rg_changeset_init(&cs);
	if (git_commit_tree(&old_tree, old) < 0 || git_commit_tree(&new_tree, new) < 0) {
		r = rg_error_from_git(u->ref);
		goto out;
	}
	cs.has_commit = 1;
	git_oid_cpy(&cs.commit, git_commit_id(new));
	git_oid_tostr(cs.commit_hex, sizeof(cs.commit_hex), &cs.commit);
	cs.label = cs.commit_hex;
	cs.ref = rg_strdup(u->ref);
	cs.time = (int64_t)git_commit_time(new);
	cs.view.kind = RG_VIEW_TREE;
	cs.view.tree = new_tree;
	new_tree = NULL;
	r = rg_diff_trees(&cs, ctx->repo, old_tree, cs.view.tree);
	if (r == RG_OK) {
		rg_changeset_sort(&cs);
		r = cb(&cs, payload);
	}
out:
	rg_changeset_free(&cs);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	git_commit_free(old);
	git_commit_free(new);
	return r;
}

int rg_source_updates(rg_ctx *ctx, const git_oid *hide, size_t nhide,
	rg_source_cb cb, void *payload)
{
	su_ids h = { NULL, 0, 0 }, walked = { NULL, 0, 0 };
	size_t i;
	int r = RG_OK;

	/* servers have many refs on few commits (tags, mirrors): hide each once */
	for (i = 0; i < nhide; i++)
		su_push(&h, &hide[i]);
	if (h.n > 1) {
		size_t j = 0;

		qsort(h.v, h.n, sizeof(*h.v), su_oid_cmp);
		for (i = 1; i < h.n; i++)
			if (git_oid_cmp(&h.v[j], &h.v[i]))
				git_oid_cpy(&h.v[++j], &h.v[i]);
		h.n = j + 1;
	}
	nhide = h.n;
	for (i = 0; i < ctx->nupdates && r == RG_OK; i++) {
		if (rg_update_is_delete(&ctx->updates[i]))
			continue;
		r = su_one(ctx, &ctx->updates[i], &h, nhide, &walked, cb, payload);
	}
	free(h.v);
	free(walked.v);
	return r;
}
