/*
 * source-updates.c: the commits a push (or a received push) brings to the
 * other side: for each updated ref, new ^old ^(what the other side has) ^(the
 * refs before it), so every new commit is checked once, against its first
 * parent (a merge without what its other parents have), with the first ref
 * it arrives on.
 *
 * That range was walked ref by ref, each walk hiding the refs before it: a
 * push of n refs cost n walks of up to n hidden tips, quadratic in the
 * refs (2,000 tags: 17 s). Now every new tip is walked at once, ^what the
 * other side has, and each commit of that walk goes to the first ref whose
 * tip reaches it (su_owners, on the walk's own graph): the same commits
 * with the same refs, each visited once. An old tip only hides commits
 * from its own ref, so a ref whose old tip the other side is not known to
 * have (pre-push with stale or no remote-tracking refs) walks its share
 * again, new ^old ^have, stopped at the share's edge (su_mine_old). In a
 * shallow clone such refs keep the walk per ref (su_each): the boundary
 * may lie where only an old tip hides it.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/updates.h"
#include "repoguard/walk.h"

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

/* Walk each update on its own, hiding the refs walked before it (quadratic in the refs). */
static int su_each(rg_ctx *ctx, su_ids *h, rg_source_cb cb, void *payload)
{
	su_ids walked = { NULL, 0, 0 };
	size_t i, nhide = h->n;
	int r = RG_OK;

	for (i = 0; i < ctx->nupdates && r == RG_OK; i++) {
		if (rg_update_is_delete(&ctx->updates[i]))
			continue;
		r = su_one(ctx, &ctx->updates[i], h, nhide, &walked, cb, payload);
	}
	h->n = nhide;
	free(walked.v);
	return r;
}

/* What one update brings, found before the walk. */
typedef struct {
	git_object *target;  /* the new id peeled (NULL: a deletion) */
	int has_old;         /* old: its old tip, which the other side is not known to have */
	git_oid old;
} su_ref;

/* A commit of the walk and its place in the walk's order, sorted by id. */
typedef struct {
	git_oid id;
	size_t pos;
} su_node;

/*
 * The walk's commits as a graph: the parents of the k-th that the walk has
 * are par[start[k]..start[k + 1]) (places in the walk). Empty when one ref
 * owns the whole walk.
 */
typedef struct {
	size_t *start, *par, npar;
} su_graph;

static void su_graph_free(su_graph *g)
{
	free(g->start);
	free(g->par);
}

static int su_node_cmp(const void *a, const void *b)
{
	return git_oid_cmp(&((const su_node *)a)->id, &((const su_node *)b)->id);
}

/* bsearch's: the key is a git_oid, not a node (it need not have a node's alignment) */
static int su_node_key_cmp(const void *key, const void *node)
{
	return git_oid_cmp(key, &((const su_node *)node)->id);
}

/* The place of id in the walk, or (size_t)-1 when the walk does not have it. */
static size_t su_pos(const su_node *nodes, size_t n, const git_oid *id)
{
	const su_node *x = n ? bsearch(id, nodes, n, sizeof(*nodes), su_node_key_cmp) : NULL;

	return x ? x->pos : (size_t)-1;
}

static int su_is_commit(const su_ref *ref)
{
	return ref->target && git_object_type(ref->target) == GIT_OBJECT_COMMIT;
}

/*
 * owner[k]: the first of refs[0..nrefs) whose new tip reaches ids[k]; *g,
 * the walk's graph (left empty when one ref has the only new tip). The
 * walk lists parents before children, so one pass from the last commit to
 * the first settles every child before its parents; the pass is repeated
 * until nothing changes, so that an order that is not strictly topological
 * costs time, never a wrong owner.
 */
static int su_owners(size_t *owner, su_graph *g, git_repository *repo, const su_node *nodes,
	const git_oid *ids, size_t n, const su_ref *refs, size_t nrefs)
{
	size_t i, k, j, first = (size_t)-1, ntips = 0, alloc = 0;
	int r = RG_OK, changed = 1;

	for (k = 0; k < n; k++)
		owner[k] = (size_t)-1;
	for (i = 0; i < nrefs; i++) {
		if (!su_is_commit(&refs[i]))
			continue;
		k = su_pos(nodes, n, git_object_id(refs[i].target));
		if (k != (size_t)-1 && owner[k] == (size_t)-1) {
			owner[k] = i;
			if (!ntips++)
				first = i;
		}
	}
	if (ntips == 1) {
		/* one new tip (a push of one branch): every commit of the walk is its */
		for (k = 0; k < n; k++)
			owner[k] = first;
		return RG_OK;
	}
	g->start = rg_calloc(n + 1, sizeof(*g->start));
	for (k = 0; k < n && r == RG_OK; k++) {
		git_commit *c = NULL;
		unsigned p, np;

		g->start[k] = g->npar;
		if (git_commit_lookup(&c, repo, &ids[k]) < 0) {
			char hex[GIT_OID_HEXSZ + 1];

			git_oid_tostr(hex, sizeof(hex), &ids[k]);
			r = rg_error_from_git(hex);
			break;
		}
		np = git_commit_parentcount(c);
		for (p = 0; p < np; p++) {
			size_t pk = su_pos(nodes, n, git_commit_parent_id(c, p));

			if (pk == (size_t)-1)
				continue;
			RG_GROW(g->par, alloc, g->npar + 1);
			g->par[g->npar++] = pk;
		}
		git_commit_free(c);
	}
	g->start[n] = g->npar;
	while (r == RG_OK && changed) {
		changed = 0;
		for (k = n; k-- > 0;)
			for (j = g->start[k]; j < g->start[k + 1]; j++)
				if (owner[k] < owner[g->par[j]]) {
					owner[g->par[j]] = owner[k];
					changed = 1;
				}
	}
	return r;
}

/*
 * The commits of update i, whose old tip the other side is not known to
 * have, in check order, into *mine: of its share of the walk (owner i:
 * order[from..to), places in the walk), those its old tip does not reach.
 * Its own walk new ^old ^have finds them, stopped where its share ends:
 * the parents outside the share (commits of the refs before it) are
 * hidden too, so that the walk stays within the share.
 */
static int su_mine_old(su_ids *mine, git_repository *repo, const su_ref *ref, size_t i, su_ids *h,
	const su_node *nodes, const git_oid *ids, const size_t *owner, size_t n,
	const su_graph *g, const size_t *order, size_t from, size_t to)
{
	git_oid *own = NULL;
	size_t nown = 0, k, j, nhide = h->n;
	int r;

	mine->n = 0;
	if (from == to)
		return RG_OK;
	su_push(h, &ref->old);
	for (k = from; g->start && k < to; k++)
		for (j = g->start[order[k]]; j < g->start[order[k] + 1]; j++)
			if (owner[g->par[j]] != i)
				su_push(h, &ids[g->par[j]]);
	r = rg_range_ids(&own, &nown, repo, git_object_id(ref->target), 1, h->v, h->n);
	h->n = nhide;
	for (k = 0; k < nown && r == RG_OK; k++) {
		size_t pk = su_pos(nodes, n, &own[k]);

		if (pk != (size_t)-1 && owner[pk] == i)
			su_push(mine, &own[k]);
	}
	free(own);
	return r;
}

/*
 * The walk of several tips at once, in git's order (walk.h: in push order,
 * each tip's new commits parents first). Both git's and libgit2's walks
 * stop marking what the hidden commits reach once the dates say nothing
 * more can be reached, and with dates out of order both list the odd
 * commit a hidden one reaches (a commit the other side has, checked
 * again), not always the same one: given many tips, more often than one
 * ref's walk. What either walk hides is hidden, so no commit is listed
 * that either walk knows the other side has; neither hides a commit the
 * hidden ones do not reach. A shallow clone has git's walk only.
 */
static int su_walk_tips(git_oid **out, size_t *n, git_repository *repo,
	const git_oid *tips, size_t ntips, const git_oid *hide, size_t nhide)
{
	git_oid *also = NULL;
	size_t nalso = 0, k, j = 0;
	int r = rg_walk_shallow(out, n, repo, tips, ntips, hide, nhide);

	if (r < 0 || git_repository_is_shallow(repo) == 1)
		return r;
	if ((r = rg_range_ids(&also, &nalso, repo, tips, ntips, hide, nhide)) < 0)
		goto out;
	if (nalso) /* qsort and bsearch take no NULL array, even empty */
		qsort(also, nalso, sizeof(*also), su_oid_cmp);
	for (k = 0; k < *n; k++)
		if (nalso && bsearch(&(*out)[k], also, nalso, sizeof(*also), su_oid_cmp))
			git_oid_cpy(&(*out)[j++], &(*out)[k]);
	*n = j;
out:
	free(also);
	if (r < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return r;
}

int rg_source_updates(rg_ctx *ctx, const git_oid *hide, size_t nhide,
	rg_source_cb cb, void *payload)
{
	su_ids h = { NULL, 0, 0 }, tips = { NULL, 0, 0 }, mine = { NULL, 0, 0 };
	su_ref *refs = rg_calloc(ctx->nupdates + 1, sizeof(*refs));
	su_node *nodes = NULL;
	su_graph g = { NULL, NULL, 0 };
	git_oid *ids = NULL;
	size_t *owner = NULL, *at = NULL, *fill = NULL, *order = NULL, i, k, n = 0, nok, nextra = 0;
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
	/*
	 * What each update points at, up to the first that cannot be read
	 * (nok): the refs before it are checked, then it fails as it always did.
	 */
	for (nok = 0; nok < ctx->nupdates; nok++) {
		const rg_update *u = &ctx->updates[nok];
		su_ref *ref = &refs[nok];
		git_commit *old = NULL;

		if (rg_update_is_delete(u))
			continue;
		if (su_target(&ref->target, ctx, u) < 0)
			break;
		git_error_clear();
		if (!su_is_commit(ref) || rg_update_is_create(u) || su_commit(&old, ctx, &u->old_id) < 0)
			continue;
		git_oid_cpy(&ref->old, git_commit_id(old));
		git_commit_free(old);
		if (!h.n || !bsearch(&ref->old, h.v, h.n, sizeof(*h.v), su_oid_cmp)) {
			ref->has_old = 1;
			nextra++;
		}
	}
	if (nextra && git_repository_is_shallow(ctx->repo) == 1) {
		/*
		 * A shallow clone's walk fails at the boundary, and an old tip
		 * may hide the boundary from its own ref only: keep each ref's
		 * own walk there.
		 */
		r = su_each(ctx, &h, cb, payload);
		goto out;
	}
	for (i = 0; i < nok; i++)
		if (su_is_commit(&refs[i]))
			su_push(&tips, git_object_id(refs[i].target));
	for (k = 1; k < tips.n && git_oid_equal(&tips.v[0], &tips.v[k]); k++)
		;
	if (k < tips.n)
		r = su_walk_tips(&ids, &n, ctx->repo, tips.v, tips.n, h.v, h.n);
	else if (tips.n)
		r = rg_range_ids(&ids, &n, ctx->repo, tips.v, tips.n, h.v, h.n);
	if (r < 0)
		goto out;
	nodes = rg_calloc(n + 1, sizeof(*nodes));
	for (k = 0; k < n; k++) {
		git_oid_cpy(&nodes[k].id, &ids[k]);
		nodes[k].pos = k;
	}
	if (n)
		qsort(nodes, n, sizeof(*nodes), su_node_cmp);
	owner = rg_calloc(n + 1, sizeof(*owner));
	if ((r = su_owners(owner, &g, ctx->repo, nodes, ids, n, refs, nok)) < 0)
		goto out;
	/* each ref's share, in the walk's order: places order[at[i]..at[i + 1]) */
	at = rg_calloc(ctx->nupdates + 2, sizeof(*at));
	order = rg_calloc(n + 1, sizeof(*order));
	for (k = 0; k < n; k++)
		if (owner[k] < ctx->nupdates)
			at[owner[k] + 1]++;
	for (i = 0; i < ctx->nupdates; i++)
		at[i + 1] += at[i];
	fill = rg_calloc(ctx->nupdates + 1, sizeof(*fill));
	memcpy(fill, at, ctx->nupdates * sizeof(*fill));
	for (k = 0; k < n; k++)
		if (owner[k] < ctx->nupdates)
			order[fill[owner[k]]++] = k;
	for (i = 0; i < ctx->nupdates && r == RG_OK; i++) {
		const rg_update *u = &ctx->updates[i];
		su_tag_ctx tag = { u, cb, payload };
		git_object *target = NULL;

		if (rg_update_is_delete(u))
			continue;
		if ((r = rg_tag_messages(ctx->repo, &u->new_id, su_tag_message, &tag)) < 0)
			break;
		if (i == nok) {
			/* read again for its error */
			r = su_target(&target, ctx, u);
			git_object_free(target);
			if (r == RG_OK) {
				rg_error_set("%s: cannot read its new tip", u->ref);
				r = RG_ERROR;
			}
			break;
		}
		if (!su_is_commit(&refs[i])) {
			r = su_non_commit(ctx, u, refs[i].target, cb, payload);
			continue;
		}
		if (refs[i].has_old) {
			r = su_mine_old(&mine, ctx->repo, &refs[i], i, &h, nodes, ids, owner, n, &g,
				order, at[i], at[i + 1]);
		} else {
			mine.n = 0;
			for (k = at[i]; k < at[i + 1]; k++)
				su_push(&mine, &ids[order[k]]);
		}
		if (r == RG_OK)
			r = rg_source_commits(ctx, mine.v, mine.n, u->ref, cb, payload);
	}
out:
	for (i = 0; i < ctx->nupdates; i++)
		git_object_free(refs[i].target);
	free(refs);
	free(owner);
	free(at);
	free(fill);
	free(order);
	su_graph_free(&g);
	free(nodes);
	free(ids);
	free(h.v);
	free(tips.v);
	free(mine.v);
	return r;
}
