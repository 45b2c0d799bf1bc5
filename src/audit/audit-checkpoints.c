/*
 * audit-checkpoints.c: the audit's "checkpoints" section: the newest
 * checkpoint in HEAD's history and its age, the commits no checkpoint
 * covers, and whether the checkpoint rule fails on them now (REPOGUARD_NOW
 * overrides the clock). Left out when the rule is off ([checkpoint] without
 * every =, or severity = off).
 *
 * What a checkpoint is, when it was made and what it covers come from the
 * checkpoint module (checkpoint.h), as for the rule and `repoguard status`.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/audit.h"
#include "repoguard/checkpoint.h"

#define CKPT_LIST_MAX 20

typedef struct {
	rg_audit *a;
	rg_findings *out;
	rg_ckpt_conf ck;
	rg_ckpt_list l;
	git_oid head;
	const rg_ckpt *last;
	rg_ckpt_work w;
} ckpt_sum;

/* "checkpoint-20260101-0400 (annotated), made 2026-01-01 04:00 UTC, 3h00m ago" */
static void ckpt_last_words(rg_buf *b, const ckpt_sum *s, const rg_ckpt *c)
{
	char when[64], age[32];

	rg_ckpt_fmt_time(when, sizeof(when), c->time);
	rg_buf_printf(b, "%s (%s), made %s", c->name, c->annotated ? "annotated" : "lightweight", when);
	if (c->time > s->a->ctx->now) {
		rg_buf_puts(b, ", dated in the future (clock skew?)");
		return;
	}
	rg_fmt_duration(age, sizeof(age), s->a->ctx->now - c->time);
	rg_buf_printf(b, ", %s ago", age);
}

static void ckpt_last_finding(ckpt_sum *s)
{
	rg_buf msg = RG_BUF_INIT, d = RG_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	rg_finding *f;

	if (!s->last) {
		if (!s->l.n)
			return; /* said by the uncovered finding: "no checkpoint yet" */
		rg_buf_printf(&msg, "no checkpoint in HEAD's history; %zu checkpoint tag%s elsewhere "
			"(newest: ", s->l.n, s->l.n == 1 ? "" : "s");
		ckpt_last_words(&msg, s, &s->l.v[0]);
		rg_buf_putc(&msg, ')');
		rg_buf_puts(&d, "A tag outside HEAD's history covers only the history both share: "
			"a rollback to it loses the work since they parted.");
		f = rg_findings_add(s->out, "checkpoints.elsewhere", RG_SEV_NOTE, NULL, NULL, 0, msg.ptr);
		rg_finding_set_detail(f, d.ptr);
		goto out;
	}
	git_oid_tostr(hex, sizeof(hex), &s->last->commit);
	rg_buf_puts(&msg, "newest checkpoint in HEAD's history: ");
	ckpt_last_words(&msg, s, s->last);
	rg_buf_puts(&d, "at ");
	rg_ckpt_describe_commit(&d, s->a->ctx->repo, &s->last->commit, s->a->ctx);
	if (s->last != &s->l.v[0]) {
		rg_buf_printf(&d, "\n%s, the newest checkpoint tag, is not in HEAD's history (", s->l.v[0].name);
		ckpt_last_words(&d, s, &s->l.v[0]);
		rg_buf_putc(&d, ')');
	}
	rg_buf_puts(&d, "\nrepoguard rollback returns to it and saves everything first.");
	f = rg_findings_add(s->out, "checkpoints.last", RG_SEV_NOTE, hex, NULL, 0, msg.ptr);
	rg_finding_set_detail(f, d.ptr);
out:
	rg_buf_dispose(&msg);
	rg_buf_dispose(&d);
}

/* The command that covers HEAD now: repoguard checkpoint, or in a bare repository the tag itself. */
static int ckpt_fix(rg_buf *fix, ckpt_sum *s)
{
	rg_buf name = RG_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int r;

	if (!s->a->bare) {
		rg_buf_puts(fix, "repoguard checkpoint --push   # tags HEAD and pushes the tag");
		return RG_OK;
	}
	r = rg_ckpt_unique_name(&name, s->a->ctx->repo, &s->ck, s->a->ctx->now);
	if (r < 0) {
		rg_buf_dispose(&name);
		return r;
	}
	git_oid_tostr(hex, sizeof(hex), &s->head);
	rg_buf_puts(fix, "git tag -a ");
	rg_buf_shquote(fix, name.ptr);
	rg_buf_printf(fix, " -m checkpoint %.12s   # in this bare repository", hex);
	rg_buf_dispose(&name);
	return RG_OK;
}

static void ckpt_commits(rg_buf *d, const ckpt_sum *s)
{
	size_t i;

	for (i = 0; i < s->w.nids && i < CKPT_LIST_MAX; i++) {
		rg_buf_puts(d, "\n  ");
		rg_ckpt_describe_commit(d, s->a->ctx->repo, &s->w.ids[i], s->a->ctx);
	}
	if (s->w.nids > CKPT_LIST_MAX)
		rg_buf_printf(d, "\n  ... and %zu more", s->w.nids - CKPT_LIST_MAX);
}

static int ckpt_uncovered_finding(ckpt_sum *s)
{
	rg_buf msg = RG_BUF_INIT, d = RG_BUF_INIT, fix = RG_BUF_INIT;
	char work[32], limit[32], when[64], left[32];
	int64_t now = s->a->ctx->now, over = now - s->w.oldest_time - s->ck.every;
	rg_finding *f;
	int r;

	rg_fmt_duration(work, sizeof(work), now - s->w.oldest_time);
	rg_fmt_duration(limit, sizeof(limit), s->ck.every);
	rg_ckpt_fmt_time(when, sizeof(when), s->w.oldest_time);
	rg_buf_printf(&msg, "%s%zu commit%s not covered by a checkpoint, the oldest made %s (%s of work)",
		s->last || s->l.n ? "" : "no checkpoint yet; ", s->w.count, s->w.count == 1 ? "" : "s",
		when, work);
	if (over > 0) {
		rg_fmt_duration(left, sizeof(left), over);
		rg_buf_printf(&msg, ": over the limit of %s by %s", limit, left);
	} else {
		rg_ckpt_fmt_time(when, sizeof(when), s->w.oldest_time + s->ck.every + 1);
		rg_fmt_duration(left, sizeof(left), s->w.oldest_time + s->ck.every + 1 - now);
		rg_buf_printf(&msg, "; within the limit of %s, the rule fails from %s (in %s)", limit, when, left);
	}
	rg_buf_puts(&d, "uncovered, newest first:");
	ckpt_commits(&d, s);
	if (s->w.future)
		rg_buf_printf(&d, "\n%zu of them %s dated after now (clock skew?) and count%s as made now.",
			s->w.future, s->w.future == 1 ? "is" : "are", s->w.future == 1 ? "s" : "");
	if (s->last)
		rg_buf_printf(&d, "\nThis is the work a rollback to %s would undo (repoguard rollback "
			"saves it to a backup first). ", s->last->name);
	else
		rg_buf_puts(&d, "\nWithout a checkpoint in HEAD's history there is nothing to roll back to. ");
	rg_buf_puts(&d, "Checkpoints are tags matching ");
	rg_ckpt_patterns_str(&d, &s->ck);
	rg_buf_putc(&d, '.');
	if ((r = ckpt_fix(&fix, s)) < 0)
		goto out;
	f = rg_findings_add(s->out, over > 0 ? "checkpoints.overdue" : "checkpoints.uncovered",
		over > 0 ? s->ck.severity : RG_SEV_NOTE, NULL, NULL, 0, msg.ptr);
	rg_finding_set_detail(f, d.ptr);
	rg_finding_set_fix(f, fix.ptr);
out:
	rg_buf_dispose(&msg);
	rg_buf_dispose(&d);
	rg_buf_dispose(&fix);
	return r;
}

/* The history cannot be read (a shallow clone): say so, never fail the audit on it. */
static void ckpt_unreadable(ckpt_sum *s)
{
	rg_buf msg = RG_BUF_INIT;
	rg_finding *f;

	rg_buf_printf(&msg, "uncovered work unknown: %s", rg_error_last());
	f = rg_findings_add(s->out, "checkpoints.incomplete", RG_SEV_WARN, NULL, NULL, 0, msg.ptr);
	rg_finding_set_fix(f, "git fetch --unshallow   # in a shallow clone");
	rg_buf_dispose(&msg);
}

static void ckpt_verdict(rg_buf *v, const ckpt_sum *s, int unreadable)
{
	char limit[32], work[32];

	rg_fmt_duration(limit, sizeof(limit), s->ck.every);
	rg_buf_printf(v, "every %s: ", limit);
	if (s->last)
		ckpt_last_words(v, s, s->last);
	else
		rg_buf_puts(v, "no checkpoint in HEAD's history");
	if (unreadable) {
		rg_buf_puts(v, "; uncovered work unknown (history incomplete)");
		return;
	}
	if (!s->w.count) {
		rg_buf_puts(v, "; HEAD is covered");
		return;
	}
	rg_fmt_duration(work, sizeof(work), s->a->ctx->now - s->w.oldest_time);
	rg_buf_printf(v, "; %zu commit%s uncovered (%s of work)%s", s->w.count, s->w.count == 1 ? "" : "s",
		work, s->a->ctx->now - s->w.oldest_time > s->ck.every ? ": overdue" : "");
}

static int ckpt_run(rg_findings *out, rg_audit *a, rg_buf *verdict)
{
	ckpt_sum s;
	int r, unreadable = 0;

	memset(&s, 0, sizeof(s));
	s.a = a;
	s.out = out;
	/* the configuration was validated when the run started (the checkpoint rule loads it too) */
	rg_ckpt_conf_load(&s.ck, a->ctx->conf);
	if (!s.ck.every || s.ck.severity == RG_SEV_OFF) {
		rg_ckpt_conf_free(&s.ck);
		return RG_ENOTFOUND;
	}
	if (rg_audit_skipped(a, "checkpoint", "checkpoints")) {
		rg_buf_puts(verdict, "not checked: skipped by REPOGUARD_SKIP");
		rg_ckpt_conf_free(&s.ck);
		return RG_OK;
	}
	if (a->hist.head == RG_HIST_NONE) {
		rg_buf_puts(verdict, "HEAD is unborn: nothing to cover");
		rg_ckpt_conf_free(&s.ck);
		return RG_OK;
	}
	git_oid_cpy(&s.head, &a->hist.commits[a->hist.head].id);
	r = rg_ckpt_list_load(&s.l, a->ctx->repo, &s.ck);
	if (r < 0)
		goto out;
	s.last = rg_ckpt_last_in_history(a->ctx->repo, &s.l, &s.head, a->ctx->now);
	ckpt_last_finding(&s);
	if (rg_ckpt_uncovered(&s.w, a->ctx->repo, &s.l, &s.head, a->ctx->now, 1) < 0) {
		ckpt_unreadable(&s);
		unreadable = 1;
	} else if (s.w.count && (r = ckpt_uncovered_finding(&s)) < 0) {
		goto out;
	}
	ckpt_verdict(verdict, &s, unreadable);
out:
	rg_ckpt_work_free(&s.w);
	rg_ckpt_list_free(&s.l);
	rg_ckpt_conf_free(&s.ck);
	return r;
}

const rg_audit_section rg_audit_section_checkpoints = { "checkpoints", ckpt_run };
