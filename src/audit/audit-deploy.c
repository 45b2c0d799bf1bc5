/*
 * audit-deploy.c: the audit's "deploy" section: per [deploy.NAME] target,
 * its last deploy (the newest deploy/NAME/STAMP tag, as deploy-check finds
 * it) and the paths that belong to it and changed between that commit and
 * HEAD; "no deploy recorded" when there is no such tag. Left out when no
 * target is configured.
 *
 * Everything deploy-specific comes from the deploy module (deploy.h): the
 * tag lookup (rg_deploy_last), the diff with exact renames
 * (rg_deploy_map_commits) and the path-to-target mapping
 * (rg_deploy_map_finish), so the audit says what deploy-check would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repoguard/audit.h"
#include "repoguard/deploy.h"

#define DEPLOY_LIST_MAX 10

typedef struct {
	rg_audit *a;
	rg_findings *out;
	rg_deploy_conf dc;
	git_oid head;
	int have_head;
	rg_buf changed, current, never, unreadable;  /* target names per outcome */
	size_t nchanged, ncurrent, nnever, nunreadable;
} deploy_sum;

static void deploy_name_to(rg_buf *list, size_t *n, const char *name)
{
	rg_buf_printf(list, "%s%s", (*n)++ ? ", " : "", name);
}

/* "deploy/ec2/20260101T120000Z" -> "2026-01-01 12:00:00 UTC, 2d03h ago, "; nothing when no stamp. */
static void deploy_when(rg_buf *out, const rg_audit *a, const char *tag)
{
	const char *slash = strrchr(tag, '/');
	rg_deploy_stamp st;
	struct tm tm;
	time_t t;
	char age[32];

	if (!slash || rg_deploy_stamp_parse(&st, slash + 1) < 0)
		return;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(st.time, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return;
	rg_buf_printf(out, "%.4s-%.2s-%.2s %.2s:%.2s:%.2s UTC", st.time, st.time + 4, st.time + 6,
		st.time + 9, st.time + 11, st.time + 13);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	if (t != (time_t)-1 && a->ctx->now >= (int64_t)t) {
		rg_fmt_duration(age, sizeof(age), a->ctx->now - (int64_t)t);
		rg_buf_printf(out, ", %s ago", age);
	}
	rg_buf_puts(out, ", ");
}

/*
 * "3 commits on HEAD since" and, when the deployed commit is not in HEAD's
 * history, how many of its commits HEAD lacks. Nothing when the commit graph
 * cannot be read (a shallow clone): the paths still are.
 */
static void deploy_commits(rg_buf *d, deploy_sum *s, const git_oid *base)
{
	size_t ahead = 0, behind = 0;

	if (git_graph_ahead_behind(&ahead, &behind, s->a->ctx->repo, &s->head, base) < 0) {
		git_error_clear();
		return;
	}
	rg_buf_printf(d, "\nHEAD has %zu commit%s the deployed commit does not", ahead, ahead == 1 ? "" : "s");
	if (behind)
		rg_buf_printf(d, "; the deployed commit is not in HEAD's history (it has %zu commit%s "
			"HEAD does not: deployed from another branch?)", behind, behind == 1 ? "" : "s");
	rg_buf_putc(d, '.');
}

static void deploy_unreadable(deploy_sum *s, const rg_deploy_target *t, const char *tag)
{
	rg_buf msg = RG_BUF_INIT;
	rg_finding *f;

	rg_buf_printf(&msg, "%s: last deploy unknown: %s", t->name, rg_error_last());
	f = rg_findings_add(s->out, "deploy.unreadable", RG_SEV_WARN, NULL, NULL, 0, msg.ptr);
	if (tag)
		rg_finding_set_detail(f, "The tag is there but the commit or trees it names are not in "
			"this repository, so what changed since cannot be told.");
	rg_finding_set_fix(f, "git fetch origin 'refs/tags/deploy/*:refs/tags/deploy/*'\n"
		"git fetch --unshallow   # in a shallow clone");
	deploy_name_to(&s->unreadable, &s->nunreadable, t->name);
	rg_buf_dispose(&msg);
}

static void deploy_never(deploy_sum *s, const rg_deploy_target *t)
{
	rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT, d = RG_BUF_INIT;
	rg_finding *f;

	rg_buf_printf(&msg, "%s: no deploy recorded (no tag " RG_DEPLOY_TAG_DIR "%s/*)", t->name, t->name);
	rg_buf_printf(&d, "Without a recorded deploy, deploy-check %s cannot tell which changes are "
		"deployed, and a wrong deploy goes unnoticed. (In a clone, the deploy tags may not have "
		"been fetched: git fetch origin 'refs/tags/deploy/*:refs/tags/deploy/*'.)", t->name);
	rg_buf_printf(&fix, "record what %s runs now: repoguard deploy-record %s REV\n"
		"after each deploy of %s: git push origin \"$(repoguard deploy-record %s)\"",
		t->name, t->name, t->name, t->name);
	f = rg_findings_add(s->out, "deploy.unrecorded", RG_SEV_NOTE, NULL, NULL, 0, msg.ptr);
	rg_finding_set_detail(f, d.ptr);
	rg_finding_set_fix(f, fix.ptr);
	deploy_name_to(&s->never, &s->nnever, t->name);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&fix);
	rg_buf_dispose(&d);
}

/* The paths of target t that changed between base and HEAD. */
static int deploy_changes(deploy_sum *s, size_t t, const git_oid *base, const char *tag)
{
	const rg_deploy_target *tg = &s->dc.v[t];
	rg_deploy_map m;
	rg_buf msg = RG_BUF_INIT, d = RG_BUF_INIT, fix = RG_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	const rg_deploy_set *mine;
	rg_finding *f;
	int r;

	rg_deploy_map_init(&m);
	r = rg_deploy_map_commits(&m, s->a->ctx->repo, base, &s->head);
	if (r < 0) {
		deploy_unreadable(s, tg, tag);
		goto out;
	}
	rg_deploy_map_finish(&m, &s->dc);
	mine = &m.per[t];
	git_oid_tostr(hex, sizeof(hex), base);
	rg_buf_printf(&d, "last deploy: %s (", tag);
	deploy_when(&d, s->a, tag);
	rg_buf_printf(&d, "at %.10s)", hex);
	deploy_commits(&d, s, base);
	if (!mine->n) {
		rg_buf_printf(&msg, "%s: up to date: none of its paths changed since %s", tg->name, tag);
		if (m.n)
			rg_buf_printf(&d, "\n%zu changed path%s belong%s to other targets or to none.", m.n,
				m.n == 1 ? "" : "s", m.n == 1 ? "s" : "");
		f = rg_findings_add(s->out, "deploy.current", RG_SEV_NOTE, NULL, NULL, 0, msg.ptr);
		rg_finding_set_detail(f, d.ptr);
		deploy_name_to(&s->current, &s->ncurrent, tg->name);
		goto out;
	}
	rg_buf_printf(&msg, "%s: %zu path%s changed since its last deploy (%s)", tg->name, mine->n,
		mine->n == 1 ? "" : "s", tag);
	rg_buf_printf(&d, "\nchanged paths of %s (%zu of %zu changed):\n", tg->name, mine->n, m.n);
	rg_deploy_list(&d, &m, mine, DEPLOY_LIST_MAX, "  ");
	rg_buf_truncate(&d, d.len - 1); /* the list's last newline */
	rg_buf_printf(&fix, "repoguard deploy-check %s   # before deploying HEAD to %s\n"
		"after the deploy: repoguard deploy-record %s", tg->name, tg->name, tg->name);
	f = rg_findings_add(s->out, "deploy.changed", RG_SEV_NOTE, NULL, NULL, 0, msg.ptr);
	rg_finding_set_detail(f, d.ptr);
	rg_finding_set_fix(f, fix.ptr);
	{
		char count[32];

		rg_fmt_count(count, sizeof(count), mine->n);
		rg_buf_printf(&s->changed, "%s%s (%s)", s->nchanged++ ? ", " : "", tg->name, count);
	}
out:
	rg_deploy_map_free(&m);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&d);
	rg_buf_dispose(&fix);
	return RG_OK;
}

static int deploy_target(deploy_sum *s, size_t t)
{
	const rg_deploy_target *tg = &s->dc.v[t];
	git_oid base;
	char *tag = NULL;
	int r = rg_deploy_last(&base, &tag, s->a->ctx->repo, tg->name);

	if (r == RG_ENOTFOUND) {
		deploy_never(s, tg);
		return RG_OK;
	}
	if (r < 0) {
		/* the tag is there, its commit is not (a shallow or partial clone) */
		deploy_unreadable(s, tg, NULL);
		return RG_OK;
	}
	if (s->have_head)
		r = deploy_changes(s, t, &base, tag);
	else
		deploy_name_to(&s->current, &s->ncurrent, tg->name);
	free(tag);
	return r;
}

static void deploy_verdict(rg_buf *v, const deploy_sum *s)
{
	size_t parts = 0;

	rg_buf_printf(v, "%zu target%s", s->dc.n, s->dc.n == 1 ? "" : "s");
	if (!s->have_head)
		rg_buf_puts(v, " (HEAD is unborn: nothing to compare)");
	rg_buf_puts(v, ": ");
	if (s->nchanged)
		rg_buf_printf(v, "%schanged since the last deploy: %s", parts++ ? "; " : "", s->changed.ptr);
	if (s->ncurrent && s->have_head)
		rg_buf_printf(v, "%sup to date: %s", parts++ ? "; " : "", s->current.ptr);
	if (s->nnever)
		rg_buf_printf(v, "%sno deploy recorded: %s", parts++ ? "; " : "", s->never.ptr);
	if (s->nunreadable)
		rg_buf_printf(v, "%slast deploy unreadable: %s", parts++ ? "; " : "", s->unreadable.ptr);
	if (s->ncurrent && !s->have_head)
		rg_buf_printf(v, "%sdeploy recorded: %s", parts++ ? "; " : "", s->current.ptr);
}

static int deploy_run(rg_findings *out, rg_audit *a, rg_buf *verdict)
{
	deploy_sum s;
	size_t t;
	int r = RG_OK;

	memset(&s, 0, sizeof(s));
	s.a = a;
	s.out = out;
	/* the configuration was validated when the run started (the deploy rule loads it too) */
	rg_deploy_conf_load(&s.dc, a->ctx->conf);
	if (!s.dc.n) {
		rg_deploy_conf_free(&s.dc);
		return RG_ENOTFOUND;
	}
	if (rg_audit_skipped(a, "deploy", NULL)) {
		rg_buf_puts(verdict, "not checked: skipped by REPOGUARD_SKIP");
		rg_deploy_conf_free(&s.dc);
		return RG_OK;
	}
	if (a->hist.head != RG_HIST_NONE) {
		git_oid_cpy(&s.head, &a->hist.commits[a->hist.head].id);
		s.have_head = 1;
	}
	for (t = 0; t < s.dc.n && r >= 0; t++)
		r = deploy_target(&s, t);
	if (r >= 0)
		deploy_verdict(verdict, &s);
	rg_buf_dispose(&s.changed);
	rg_buf_dispose(&s.current);
	rg_buf_dispose(&s.never);
	rg_buf_dispose(&s.unreadable);
	rg_deploy_conf_free(&s.dc);
	return r;
}

const rg_audit_section rg_audit_section_deploy = { "deploy", deploy_run };
