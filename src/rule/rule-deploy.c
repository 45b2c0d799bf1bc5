/*
 * rule-deploy.c: a push that deploys (to a ref or remote mapped to a
 * deploy target) must carry changes for that target: the same check as
 * `repoguard deploy-check`, on the pushed range.
 *
 * The range of an updated ref is the difference between the trees of its
 * old and new commits, read from the object database. A created ref has no
 * old commit: its range is the union of the changes of the commits the
 * source feeds (in pre-push, those the remote does not have yet) that its
 * new commit reaches, whichever pushed ref the source gave them to (a tag
 * pushed with the branch that brings its commits: git push origin main v2).
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/deploy.h"
#include "repoguard/rule.h"

#define DEPLOY_LIST_MAX 10
#define DEPLOY_UNMAPPED_MAX 20

static const rg_section_spec *const deploy_sections[] = { &rg_deploy_section, NULL };

/* A commit the source fed, and its own changes (not finished). */
typedef struct {
	git_oid id;
	rg_deploy_map map;
	int walked;
} deploy_commit;

typedef struct {
	rg_deploy_conf dc;
	int severity;
	int open;             /* -1 not known yet, else: does a created deploy ref need the pool? */
	deploy_commit *pool;  /* the commits fed, sorted by id once the finish step walks them */
	size_t npool, pool_alloc;
	int pool_sorted;
} deploy_state;

static void deploy_free(void *state)
{
	deploy_state *s = state;
	size_t i;

	for (i = 0; i < s->npool; i++)
		rg_deploy_map_free(&s->pool[i].map);
	free(s->pool);
	rg_deploy_conf_free(&s->dc);
	free(s);
}

static int deploy_configure(void **state, rg_conf *conf)
{
	deploy_state *s = rg_calloc(1, sizeof(*s));
	size_t i;
	int pushes = 0;

	s->severity = rg_conf_severity(conf, "deploy", RG_SEV_ERROR);
	s->open = -1;
	rg_deploy_conf_load(&s->dc, conf);
	for (i = 0; i < s->dc.n; i++)
		pushes |= s->dc.v[i].branches[0] || s->dc.v[i].remotes[0];
	if (s->severity == RG_SEV_OFF || !pushes) {
		deploy_free(s);
		return RG_OK;
	}
	*state = s;
	return RG_OK;
}

/* Which targets does update u deploy? Returns how many. */
static size_t deploy_targets_of(int *which, const deploy_state *s, const rg_ctx *ctx,
	const rg_update *u)
{
	size_t t, n = 0;

	for (t = 0; t < s->dc.n; t++) {
		which[t] = rg_deploy_pushes_to(&s->dc.v[t], u->ref, ctx->remote_name, ctx->remote_url);
		n += which[t] != 0;
	}
	return n;
}

/* A pushed id peeled to its commit (annotated tags); 0 when it is none. */
static int deploy_peel(git_oid *out, git_repository *repo, const git_oid *id)
{
	git_object *o = NULL, *c = NULL;
	int ok = git_object_lookup(&o, repo, id, GIT_OBJECT_ANY) == 0 &&
		git_object_peel(&c, o, GIT_OBJECT_COMMIT) == 0;

	if (ok)
		git_oid_cpy(out, git_object_id(c));
	git_object_free(c);
	git_object_free(o);
	git_error_clear();
	return ok;
}

/*
 * Is u's old commit here to diff with? Not for a created ref, nor for one
 * whose remote tip this repository lacks (a force push over commits never
 * fetched): those are judged by the commits the remote does not have.
 */
static int deploy_old_known(rg_ctx *ctx, const rg_update *u)
{
	git_oid old;

	return !git_oid_is_zero(&u->old_id) && deploy_peel(&old, ctx->repo, &u->old_id);
}

/* Does the push create (or move from a tip this repository lacks) a ref that deploys? */
static int deploy_any_open(const deploy_state *s, rg_ctx *ctx)
{
	int *which = rg_calloc(s->dc.n ? s->dc.n : 1, sizeof(*which));
	size_t i;
	int open = 0;

	for (i = 0; i < ctx->nupdates && !open; i++) {
		const rg_update *u = &ctx->updates[i];

		open = !git_oid_is_zero(&u->new_id) && !deploy_old_known(ctx, u) &&
			deploy_targets_of(which, s, ctx, u);
	}
	free(which);
	return open;
}

static int deploy_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	deploy_state *s = state;
	deploy_commit *c;

	if (!cs->has_commit)
		return RG_OK; /* an annotated tag's message, a tag of a tree: no commit's changes */
	if (s->open < 0)
		s->open = deploy_any_open(s, ctx);
	if (!s->open)
		return RG_OK;
	RG_GROW(s->pool, s->pool_alloc, s->npool + 1);
	c = &s->pool[s->npool++];
	git_oid_cpy(&c->id, &cs->commit);
	rg_deploy_map_init(&c->map);
	c->walked = 0;
	rg_deploy_map_add_changeset(&c->map, cs);
	s->pool_sorted = 0;
	return RG_OK;
}

static const char *deploy_short_ref(const char *ref)
{
	return rg_str_startswith(ref, "refs/heads/") ? ref + strlen("refs/heads/") : ref;
}

/*
 * "SRC:DST" for git push, shell-quoted. git names an unqualified DST after
 * SRC (under refs/tags/ for a tag, not at all for a detached HEAD), so DST is
 * short only when SRC is a branch; a tag pushed to a branch is peeled.
 */
static void deploy_refspec(rg_buf *out, const char *local_ref, const char *dst_ref)
{
	rg_buf spec = RG_BUF_INIT;
	int from_branch = rg_str_startswith(local_ref, "refs/heads/");
	int peel = rg_str_startswith(local_ref, "refs/tags/") && rg_str_startswith(dst_ref, "refs/heads/");

	rg_buf_printf(&spec, "%s%s:%s", deploy_short_ref(local_ref), peel ? "^{commit}" : "",
		from_branch ? deploy_short_ref(dst_ref) : dst_ref);
	rg_buf_shquote(out, spec.ptr);
	rg_buf_dispose(&spec);
}

/*
 * "git push ... # deploy netlify instead": to the other target's remote when
 * this push deploys through its remote, else to its branch on this remote.
 */
static void deploy_fix_instead(rg_buf *fix, const deploy_state *s, const rg_ctx *ctx,
	const rg_update *u, const int *which, const rg_deploy_target *other)
{
	const char *remote = ctx->remote_name ? ctx->remote_name : "origin";
	const char *branch = other->branches[0], *oremote = other->remotes[0];
	int by_branch = 0;
	size_t t;

	if (!u->local_ref)
		return;
	for (t = 0; t < s->dc.n; t++)
		by_branch |= which[t] && rg_deploy_pushes_to(&s->dc.v[t], u->ref, NULL, NULL);
	if (by_branch && branch && rg_pattern_is_literal(branch) && !rg_str_startswith(branch, "refs/")) {
		rg_buf dst = RG_BUF_INIT;

		rg_buf_printf(&dst, "refs/heads/%s", branch);
		rg_buf_puts(fix, "git push ");
		rg_buf_shquote(fix, remote);
		rg_buf_putc(fix, ' ');
		deploy_refspec(fix, u->local_ref, dst.ptr);
		rg_buf_dispose(&dst);
	} else if (!by_branch && oremote && rg_pattern_is_literal(oremote)) {
		rg_buf_puts(fix, "git push ");
		rg_buf_shquote(fix, oremote);
		rg_buf_putc(fix, ' ');
		deploy_refspec(fix, u->local_ref, u->ref);
	} else {
		return;
	}
	rg_buf_printf(fix, "   # deploy %s instead\n", other->name);
}

static void deploy_report_mismatch(rg_findings *out, const deploy_state *s, const rg_ctx *ctx,
	const rg_update *u, const git_oid *tip, const rg_deploy_map *m, const int *which)
{
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT, names = RG_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	const char *remote = ctx->remote_name ? ctx->remote_name : "origin";
	rg_finding *f;
	size_t t;

	rg_deploy_names_of(&names, &s->dc, which);
	rg_buf_printf(&msg, "pushing %s deploys %s, but ", deploy_short_ref(u->ref), names.ptr);
	if (m->n == 1)
		rg_buf_puts(&msg, "the changed path in the pushed range ");
	else
		rg_buf_printf(&msg, "the %zu changed paths in the pushed range ", m->n);
	rg_deploy_describe_owners(&msg, m, &s->dc, which);
	for (t = 0; t < s->dc.n; t++) {
		if (which[t] || !m->per[t].n)
			continue;
		rg_buf_printf(&detail, "%s:\n", s->dc.v[t].name);
		rg_deploy_list(&detail, m, &m->per[t], DEPLOY_LIST_MAX, "  ");
		if (!fix.len)
			deploy_fix_instead(&fix, s, ctx, u, which, &s->dc.v[t]);
	}
	if (m->unmapped.n) {
		rg_buf_puts(&detail, "no target:\n");
		rg_deploy_list(&detail, m, &m->unmapped, DEPLOY_LIST_MAX, "  ");
	}
	rg_buf_printf(&detail, "Nothing that deploys to %s changed: this push would redeploy %s "
		"with the other targets' changes undeployed.", names.ptr, names.ptr);
	if (ctx->mode == RG_MODE_PRE_PUSH) {
		rg_buf_puts(&fix, "REPOGUARD_SKIP=deploy git push ");
		rg_buf_shquote(&fix, remote);
		rg_buf_printf(&fix, " ...   # if %s really must be redeployed", names.ptr);
	}
	git_oid_tostr(hex, sizeof(hex), tip);
	f = rg_findings_add(out, "deploy", s->severity, hex, NULL, 0, msg.ptr);
	rg_finding_set_detail(f, detail.ptr);
	if (fix.len)
		rg_finding_set_fix(f, fix.ptr);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&detail);
	rg_buf_dispose(&fix);
	rg_buf_dispose(&names);
}

static void deploy_report_mixed(rg_findings *out, const deploy_state *s, const rg_update *u,
	const git_oid *tip, const rg_deploy_map *m, const int *which)
{
	rg_buf msg = RG_BUF_INIT, names = RG_BUF_INIT, detail = RG_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	rg_finding *f;
	size_t t, k = 0;

	rg_deploy_names_of(&names, &s->dc, which);
	rg_buf_printf(&msg, "pushing %s deploys %s; also changed and left undeployed: ",
		deploy_short_ref(u->ref), names.ptr);
	for (t = 0; t < s->dc.n; t++) {
		if (which[t] || !m->per[t].n)
			continue;
		rg_buf_printf(&msg, "%s%s (%zu path%s)", k++ ? ", " : "", s->dc.v[t].name,
			m->per[t].n, m->per[t].n == 1 ? "" : "s");
		rg_buf_printf(&detail, "%s:\n", s->dc.v[t].name);
		rg_deploy_list(&detail, m, &m->per[t], DEPLOY_LIST_MAX, "  ");
	}
	git_oid_tostr(hex, sizeof(hex), tip);
	f = rg_findings_add(out, "deploy", RG_SEV_NOTE, hex, NULL, 0, msg.ptr);
	rg_finding_set_detail(f, detail.ptr);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&names);
	rg_buf_dispose(&detail);
}

static void deploy_report_unmapped(rg_findings *out, const deploy_state *s, const rg_update *u,
	const git_oid *tip, const rg_deploy_map *m)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	if (s->dc.unmapped == RG_SEV_OFF)
		return;
	git_oid_tostr(hex, sizeof(hex), tip);
	for (i = 0; i < m->unmapped.n && i < DEPLOY_UNMAPPED_MAX; i++) {
		const rg_deploy_change *c = &m->changes[m->unmapped.v[i]];
		rg_buf msg = RG_BUF_INIT;
		rg_finding *f;

		rg_buf_printf(&msg, "changed in the push to %s, but belongs to no deploy target",
			deploy_short_ref(u->ref));
		f = rg_findings_add(out, "deploy", s->dc.unmapped, hex, c->path, 0, msg.ptr);
		rg_finding_set_detail(f, "Add it to the paths of the target that ships it "
			"([deploy.NAME] paths), or set unmapped = off in [deploy].");
		rg_buf_dispose(&msg);
	}
	if (m->unmapped.n > DEPLOY_UNMAPPED_MAX) {
		rg_buf msg = RG_BUF_INIT;

		rg_buf_printf(&msg, "... and %zu more changed paths that belong to no deploy target",
			m->unmapped.n - DEPLOY_UNMAPPED_MAX);
		rg_findings_add(out, "deploy", s->dc.unmapped, hex, NULL, 0, msg.ptr);
		rg_buf_dispose(&msg);
	}
}

static int deploy_commit_cmp(const void *a, const void *b)
{
	return git_oid_cmp(&((const deploy_commit *)a)->id, &((const deploy_commit *)b)->id);
}

/* bsearch: the key is a git_oid */
static int deploy_commit_key_cmp(const void *key, const void *elem)
{
	return git_oid_cmp(key, &((const deploy_commit *)elem)->id);
}

/*
 * The changes of the fed commits that tip reaches through fed commits: a
 * commit the source did not feed is one the remote has, and so are its
 * ancestors. *have: tip is one of them.
 */
static int deploy_reach(rg_deploy_map *m, int *have, deploy_state *s, git_repository *repo,
	const git_oid *tip)
{
	git_oid *stack = NULL;
	size_t n = 0, alloc = 0, i;
	int r = RG_OK;

	if (!s->pool_sorted && s->npool)
		qsort(s->pool, s->npool, sizeof(*s->pool), deploy_commit_cmp);
	s->pool_sorted = 1;
	for (i = 0; i < s->npool; i++)
		s->pool[i].walked = 0;
	RG_GROW(stack, alloc, n + 1);
	git_oid_cpy(&stack[n++], tip);
	while (n && r == RG_OK) {
		git_oid id;
		git_commit *commit = NULL;
		deploy_commit *c;
		unsigned int p;

		git_oid_cpy(&id, &stack[--n]);
		c = s->npool ? bsearch(&id, s->pool, s->npool, sizeof(*s->pool), deploy_commit_key_cmp) : NULL;
		if (!c || c->walked)
			continue;
		c->walked = 1;
		*have = 1;
		for (i = 0; i < c->map.n; i++)
			rg_deploy_map_add(m, c->map.changes[i].status, c->map.changes[i].from,
				c->map.changes[i].path);
		if (git_commit_lookup(&commit, repo, &id) < 0) {
			char hex[GIT_OID_HEXSZ + 1];

			r = rg_error_from_git(git_oid_tostr(hex, sizeof(hex), &id));
			break;
		}
		for (p = 0; p < git_commit_parentcount(commit); p++) {
			RG_GROW(stack, alloc, n + 1);
			git_oid_cpy(&stack[n++], git_commit_parent_id(commit, p));
		}
		git_commit_free(commit);
	}
	free(stack);
	return r;
}

/*
 * The pushed range of u: old..new, else the fed commits its new tip reaches
 * (created, or its old tip unknown). *tip: the new commit (tags peeled).
 */
static int deploy_range(rg_deploy_map *m, int *have, git_oid *tip, deploy_state *s, rg_ctx *ctx,
	const rg_update *u)
{
	git_oid old;

	*have = 0;
	if (!deploy_peel(tip, ctx->repo, &u->new_id))
		return RG_OK;
	if (!git_oid_is_zero(&u->old_id) && deploy_peel(&old, ctx->repo, &u->old_id)) {
		*have = 1;
		return rg_deploy_map_commits(m, ctx->repo, &old, tip);
	}
	return deploy_reach(m, have, s, ctx->repo, tip);
}

static int deploy_one(rg_findings *out, deploy_state *s, rg_ctx *ctx, const rg_update *u,
	int *which)
{
	rg_deploy_map m;
	git_oid tip;
	int have, r;

	if (git_oid_is_zero(&u->new_id) || !deploy_targets_of(which, s, ctx, u))
		return RG_OK;
	rg_deploy_map_init(&m);
	r = deploy_range(&m, &have, &tip, s, ctx, u);
	if (r < 0 || !have) {
		if (r == RG_OK)
			rg_findings_info(out, "deploy: %s brings no commits the remote does not have "
				"and no earlier state of it is known: nothing to compare the deploy with",
				deploy_short_ref(u->ref));
		rg_deploy_map_free(&m);
		return r;
	}
	rg_deploy_map_finish(&m, &s->dc);
	switch (rg_deploy_judge(&m, which)) {
	case RG_DEPLOY_MISMATCH:
		deploy_report_mismatch(out, s, ctx, u, &tip, &m, which);
		break;
	case RG_DEPLOY_MIXED:
		deploy_report_mixed(out, s, u, &tip, &m, which);
		break;
	default:
		break;
	}
	deploy_report_unmapped(out, s, u, &tip, &m);
	rg_deploy_map_free(&m);
	return RG_OK;
}

static int deploy_finish(rg_findings *out, rg_ctx *ctx, void *state)
{
	deploy_state *s = state;
	int *which = rg_calloc(s->dc.n ? s->dc.n : 1, sizeof(*which));
	size_t i;
	int r = RG_OK;

	for (i = 0; i < ctx->nupdates && r == RG_OK; i++)
		r = deploy_one(out, s, ctx, &ctx->updates[i], which);
	free(which);
	return r;
}

const rg_rule rg_rule_deploy = {
	.id = "deploy",
	.summary = "a push that deploys a target must carry changes for it",
	.sections = deploy_sections,
	.modes = RG_MODE_PRE_PUSH | RG_MODE_PRE_RECEIVE,
	.configure = deploy_configure,
	.check = deploy_check,
	.finish = deploy_finish,
	.free_state = deploy_free,
};
