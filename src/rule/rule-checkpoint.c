/*
 * rule-checkpoint.c: checkpoint tags at least every N hours.
 *
 * pre-commit and pre-push measure at now (REPOGUARD_NOW overrides the
 * clock): the oldest commit of HEAD (or of a pushed tip) that no checkpoint
 * tag reaches must be at most `every` old. ci and pre-receive replay that
 * rule at the time of every pushed commit (checkpoint-replay.c). The whole
 * run is needed (the pushed tips), so everything happens in finish.
 * Documented in docs/checkpoint.md.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/checkpoint.h"
#include "repoguard/rule.h"

static const char *const ckpt_keys[] = { "every", "tags", "name", "on", NULL };
static const rg_section_spec ckpt_section = { "checkpoint", RG_SEC_PLAIN, ckpt_keys };
static const rg_section_spec *const ckpt_sections[] = { &ckpt_section, NULL };

static int ckpt_configure(void **state, rg_conf *conf)
{
	rg_ckpt_conf *c = rg_calloc(1, sizeof(*c));
	int r = rg_ckpt_conf_load(c, conf);

	if (r < 0 || !c->every || c->severity == RG_SEV_OFF) {
		rg_ckpt_conf_free(c);
		free(c);
		return r;
	}
	*state = c;
	return RG_OK;
}

static void ckpt_free(void *state)
{
	rg_ckpt_conf_free(state);
	free(state);
}

static const char *ckpt_short_ref(const char *ref)
{
	if (ref && rg_str_startswith(ref, "refs/heads/"))
		return ref + strlen("refs/heads/");
	return ref;
}

/* Detail lines shared by both modes: what counts as a checkpoint. */
static void ckpt_detail_tail(rg_buf *d, const rg_ckpt_conf *c, const rg_ckpt_list *l,
	const rg_ckpt *last)
{
	rg_buf_puts(d, "\nCheckpoints are tags matching ");
	rg_ckpt_patterns_str(d, c);
	rg_buf_puts(d, "; `repoguard rollback` returns to the newest one and saves everything first.");
	if (!last && l->n)
		rg_buf_printf(d, "\n%zu checkpoint tag%s exist%s, but none is in this history "
			"(newest: %s); a tag outside it covers only the history both share.",
			l->n, l->n == 1 ? "" : "s", l->n == 1 ? "s" : "", l->v[0].name);
}

/*
 * "git tag [-a] NAME [-m checkpoint] COMMIT && git push REMOTE NAME" with a
 * name `repoguard checkpoint` would give a checkpoint made at time t, then note.
 */
static int ckpt_fix_tag(rg_buf *fix, rg_ctx *ctx, const rg_ckpt_conf *c, const git_oid *at,
	int64_t t, int annotated, const char *note)
{
	const char *remote = ctx->remote_name ? ctx->remote_name : "origin";
	char hex[GIT_OID_HEXSZ + 1];
	rg_buf name = RG_BUF_INIT;
	int r = rg_ckpt_unique_name(&name, ctx->repo, c, t);

	if (r < 0) {
		rg_buf_dispose(&name);
		return r;
	}
	git_oid_tostr(hex, sizeof(hex), at);
	rg_buf_puts(fix, annotated ? "git tag -a " : "git tag ");
	rg_buf_shquote(fix, name.ptr);
	rg_buf_printf(fix, "%s %.12s && git push ", annotated ? " -m checkpoint" : "", hex);
	rg_buf_shquote(fix, remote);
	rg_buf_puts(fix, " ");
	rg_buf_shquote(fix, name.ptr);
	rg_buf_printf(fix, "\n# %s", note);
	rg_buf_dispose(&name);
	return RG_OK;
}

static int ckpt_fix_now(rg_buf *fix, rg_ctx *ctx, const rg_ckpt_conf *c, const git_oid *tip)
{
	git_oid head;
	const char *remote = ctx->remote_name ? ctx->remote_name : "origin";
	int at_head = git_reference_name_to_id(&head, ctx->repo, "HEAD") == 0 &&
		git_oid_equal(&head, tip);

	git_error_clear();
	if (ctx->mode == RG_MODE_PRE_COMMIT) {
		rg_buf_puts(fix, "repoguard checkpoint --allow-dirty   # tags HEAD; the staged changes are not part of it");
		return RG_OK;
	}
	if (at_head) {
		rg_buf_puts(fix, "repoguard checkpoint --push ");
		rg_buf_shquote(fix, remote);
		rg_buf_puts(fix, "\n# then push again");
		return RG_OK;
	}
	return ckpt_fix_tag(fix, ctx, c, tip, ctx->now, 1, "then push again");
}

/* pre-commit, pre-push: how old is the oldest uncovered work of tip now? */
static int ckpt_check_now(rg_findings *out, rg_ctx *ctx, const rg_ckpt_conf *c,
	const rg_ckpt_list *l, const git_oid *tip, const char *ref)
{
	rg_ckpt_work w;
	const rg_ckpt *last;
	char age[32], work[32], limit[32], when[64];
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT;
	rg_finding *f;
	int r = rg_ckpt_uncovered(&w, ctx->repo, l, tip, ctx->now, 0);

	if (r < 0 || !w.count || ctx->now - w.oldest_time <= c->every)
		goto out;
	last = rg_ckpt_last_in_history(ctx->repo, l, tip, ctx->now);
	rg_fmt_duration(work, sizeof(work), ctx->now - w.oldest_time);
	rg_fmt_duration(limit, sizeof(limit), c->every);
	if (ref)
		rg_buf_printf(&msg, "%s: ", ckpt_short_ref(ref));
	if (last) {
		rg_fmt_duration(age, sizeof(age), ctx->now - last->time);
		rg_buf_printf(&msg, "last checkpoint %s is %s%s old; ", last->name,
			last->time > ctx->now ? "dated in the future, " : "",
			last->time > ctx->now ? "0s" : age);
	} else {
		rg_buf_puts(&msg, "no checkpoint yet; ");
	}
	rg_buf_printf(&msg, "%zu commit%s (%s of work) not covered by a checkpoint, over the limit of %s",
		w.count, w.count == 1 ? "" : "s", work, limit);
	rg_ckpt_fmt_time(when, sizeof(when), w.oldest_time);
	rg_buf_puts(&detail, "oldest uncovered commit: ");
	rg_ckpt_describe_commit(&detail, ctx->repo, &w.oldest, ctx);
	rg_buf_printf(&detail, " (%s)", when);
	if (w.future)
		rg_buf_printf(&detail, "\n%zu uncovered commit%s dated after now (clock skew?) and count%s as made now.",
			w.future, w.future == 1 ? " is" : "s are", w.future == 1 ? "s" : "");
	ckpt_detail_tail(&detail, c, l, last);
	if ((r = ckpt_fix_now(&fix, ctx, c, tip)) < 0)
		goto out;
	f = rg_findings_add(out, "checkpoint", c->severity, NULL, NULL, 0, msg.ptr);
	rg_finding_set_detail(f, detail.ptr);
	rg_finding_set_fix(f, fix.ptr);
out:
	rg_ckpt_work_free(&w);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&detail);
	rg_buf_dispose(&fix);
	return r;
}

static int ckpt_fix_range(rg_buf *fix, rg_ctx *ctx, const rg_ckpt_conf *c, const rg_ckpt_stretch *s)
{
	return ckpt_fix_tag(fix, ctx, c, s->have_split ? &s->split : &s->from,
		s->have_split ? s->split_time : s->from_time, 0,
		"a lightweight tag dates from its commit; run again and repeat for a later stretch");
}

static void ckpt_range_message(rg_buf *msg, rg_buf *detail, rg_ctx *ctx, const rg_ckpt_conf *c,
	const rg_ckpt_list *l, const rg_ckpt_stretch *s, const char *ref)
{
	char span[32], limit[32], from[64], to[64];
	const rg_ckpt *last = rg_ckpt_last_in_history(ctx->repo, l, &s->from, INT64_MAX);

	rg_fmt_duration(span, sizeof(span), s->to_time - s->from_time);
	rg_fmt_duration(limit, sizeof(limit), c->every);
	rg_ckpt_fmt_time(from, sizeof(from), s->from_time);
	rg_ckpt_fmt_time(to, sizeof(to), s->to_time);
	if (ref)
		rg_buf_printf(msg, "%s: ", ckpt_short_ref(ref));
	rg_buf_printf(msg, "%s of pushed work without a checkpoint (%zu commit%s, %s to %s), "
		"over the limit of %s", span, s->commits, s->commits == 1 ? "" : "s", from, to, limit);
	rg_buf_puts(detail, "from ");
	rg_ckpt_describe_commit(detail, ctx->repo, &s->from, ctx);
	rg_buf_puts(detail, "\nto   ");
	rg_ckpt_describe_commit(detail, ctx->repo, &s->to, ctx);
	if (last) {
		char when[64];

		rg_ckpt_fmt_time(when, sizeof(when), last->time);
		rg_buf_printf(detail, "\nthe last checkpoint before it: %s (%s)", last->name, when);
	} else {
		rg_buf_puts(detail, "\nno checkpoint before it");
	}
	rg_buf_printf(detail, "\n%s replays the rule at the time of every pushed commit: "
		"no commit may wait more than %s for a checkpoint.", ctx->mode_name, limit);
	if (s->future)
		rg_buf_printf(detail, "\n%zu pushed commit%s dated after now (clock skew?) and left out.",
			s->future, s->future == 1 ? " is" : "s are");
	ckpt_detail_tail(detail, c, l, last);
}

/* ci, pre-receive: replay the rule over the pushed history of one update. */
static int ckpt_check_range(rg_findings *out, rg_ctx *ctx, const rg_ckpt_conf *c,
	const rg_ckpt_list *l, const git_oid *tip, const git_oid *hide, size_t nhide, const char *ref)
{
	rg_ckpt_stretch s;
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	rg_finding *f;
	int r = rg_ckpt_replay(&s, ctx->repo, l, tip, hide, nhide, c->every, ctx->now);

	if (r == RG_OK && !s.failed && s.future)
		rg_findings_info(out, "checkpoint: %zu pushed commit%s dated after now (clock skew?) and left "
			"out of the replay%s%s", s.future, s.future == 1 ? " is" : "s are", ref ? " of " : "",
			ref ? ref : "");
	if (r < 0 || !s.failed)
		goto out;
	ckpt_range_message(&msg, &detail, ctx, c, l, &s, ref);
	if ((r = ckpt_fix_range(&fix, ctx, c, &s)) < 0)
		goto out;
	git_oid_tostr(hex, sizeof(hex), &s.from);
	f = rg_findings_add(out, "checkpoint", c->severity, hex, NULL, 0, msg.ptr);
	rg_finding_set_detail(f, detail.ptr);
	rg_finding_set_fix(f, fix.ptr);
out:
	rg_buf_dispose(&msg);
	rg_buf_dispose(&detail);
	rg_buf_dispose(&fix);
	return r;
}

/* A created ref: hide what the receiving side's branches already have. */
static int ckpt_creation_hide(git_oid **hide, size_t *n, rg_ctx *ctx, const rg_update *u)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	size_t alloc = 0;
	int r;

	if (git_reference_iterator_new(&it, ctx->repo) < 0)
		return rg_error_from_git("cannot list refs");
	while ((r = git_reference_next(&ref, it)) == 0) {
		const char *name = git_reference_name(ref);
		git_object *obj = NULL;

		if ((rg_str_startswith(name, "refs/heads/") || rg_str_startswith(name, "refs/remotes/")) &&
		    strcmp(name, u->ref ? u->ref : "") && strcmp(name, u->local_ref ? u->local_ref : "") &&
		    git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0 &&
		    !git_oid_equal(git_object_id(obj), &u->new_id)) {
			RG_GROW(*hide, alloc, *n + 1);
			git_oid_cpy(&(*hide)[(*n)++], git_object_id(obj));
		}
		git_error_clear();
		git_object_free(obj);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	git_error_clear();
	return RG_OK;
}

/* The commit an update's new side points at; RG_ENOTFOUND when it is none. */
static int ckpt_update_tip(git_oid *out, rg_ctx *ctx, const rg_update *u)
{
	git_object *obj = NULL, *c = NULL;
	int r = RG_ENOTFOUND;

	if (git_oid_is_zero(&u->new_id) || (u->ref && rg_str_startswith(u->ref, "refs/tags/")))
		return RG_ENOTFOUND;
	if (git_object_lookup(&obj, ctx->repo, &u->new_id, GIT_OBJECT_ANY) == 0 &&
	    git_object_peel(&c, obj, GIT_OBJECT_COMMIT) == 0) {
		git_oid_cpy(out, git_object_id(c));
		r = RG_OK;
	}
	git_error_clear();
	git_object_free(c);
	git_object_free(obj);
	return r;
}

static int ckpt_check_update(rg_findings *out, rg_ctx *ctx, const rg_ckpt_conf *c,
	const rg_ckpt_list *l, const rg_update *u, const git_oid *tip)
{
	git_oid *hide = NULL;
	size_t nhide = 0;
	int r;

	if (ctx->mode == RG_MODE_PRE_PUSH)
		return ckpt_check_now(out, ctx, c, l, tip, u->ref);
	if (git_oid_is_zero(&u->old_id)) {
		if ((r = ckpt_creation_hide(&hide, &nhide, ctx, u)) < 0)
			return r;
	} else {
		hide = rg_malloc(sizeof(*hide));
		git_oid_cpy(hide, &u->old_id);
		nhide = 1;
	}
	r = ckpt_check_range(out, ctx, c, l, tip, hide, nhide, u->ref);
	free(hide);
	return r;
}

/*
 * The branch updates of the group to check, as tips[i] (has[i] set): tag
 * and deletion updates are none. Two branches pushed at one commit are one
 * piece of work, checked once; in ci and pre-receive only when their old
 * sides agree too, as the pushed commits are new ^old.
 */
static void ckpt_select(git_oid *tips, int *has, rg_ctx *ctx)
{
	size_t i, j;

	for (i = 0; i < ctx->nupdates; i++) {
		has[i] = ckpt_update_tip(&tips[i], ctx, &ctx->updates[i]) == RG_OK;
		for (j = 0; j < i && has[i]; j++)
			if (has[j] && git_oid_equal(&tips[j], &tips[i]) &&
			    (ctx->mode == RG_MODE_PRE_PUSH ||
			     git_oid_equal(&ctx->updates[j].old_id, &ctx->updates[i].old_id)))
				has[i] = 0;
	}
}

static int ckpt_check_head(rg_findings *out, rg_ctx *ctx, const rg_ckpt_conf *c, const rg_ckpt_list *l)
{
	git_oid head;

	/* an unborn branch has no work to cover */
	if (git_reference_name_to_id(&head, ctx->repo, "HEAD") < 0) {
		git_error_clear();
		return RG_OK;
	}
	return ckpt_check_now(out, ctx, c, l, &head, NULL);
}

static int ckpt_finish(rg_findings *out, rg_ctx *ctx, void *state)
{
	const rg_ckpt_conf *c = state;
	const rg_update *pushed;
	rg_ckpt_list l;
	git_oid *tips = NULL;
	int *has = NULL;
	size_t i, npushed;
	int r;

	if (!(ctx->mode & c->on) || !ctx->repo)
		return RG_OK;
	if ((r = rg_ckpt_list_load(&l, ctx->repo, c)) < 0)
		return r;
	/*
	 * Tags created, moved or deleted by the same push count as the push
	 * leaves them, whichever group of a pre-receive push they arrive in;
	 * c (which tags are checkpoints) stays the configuration of this group.
	 */
	pushed = rg_ctx_push_updates(ctx, &npushed);
	rg_ckpt_list_apply_updates(&l, ctx->repo, c, pushed, npushed);
	if (ctx->mode == RG_MODE_PRE_COMMIT) {
		r = ckpt_check_head(out, ctx, c, &l);
		goto out;
	}
	tips = rg_calloc(ctx->nupdates + 1, sizeof(*tips));
	has = rg_calloc(ctx->nupdates + 1, sizeof(*has));
	ckpt_select(tips, has, ctx);
	for (i = 0; i < ctx->nupdates && r == RG_OK; i++)
		if (has[i])
			r = ckpt_check_update(out, ctx, c, &l, &ctx->updates[i], &tips[i]);
out:
	free(tips);
	free(has);
	rg_ckpt_list_free(&l);
	return r;
}

const rg_rule rg_rule_checkpoint = {
	.id = "checkpoint",
	.summary = "checkpoint tags at least every N hours (off until [checkpoint] every is set)",
	.sections = ckpt_sections,
	.modes = RG_MODE_PRE_COMMIT | RG_MODE_PRE_PUSH | RG_MODE_PRE_RECEIVE | RG_MODE_CI,
	.configure = ckpt_configure,
	.finish = ckpt_finish,
	.free_state = ckpt_free,
};
