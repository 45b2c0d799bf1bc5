/*
 * cmd-status.c: `repoguard status`: the last checkpoint, its age, the
 * uncovered commits and when the checkpoint rule starts failing.
 * Documented in docs/checkpoint.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/checkpoint.h"
#include "repoguard/cmd.h"

#define ST_MAX_COMMITS 20

static int cmd_status(int argc, char **argv);

const rg_cmd_entry rg_cmd_status = {
	"status",
	"repoguard status [--config FILE]",
	"the last checkpoint, the work it does not cover, and when the rule fails",
	"Shows the checkpoint rule's configuration, the newest checkpoint tag in HEAD's\n"
	"history and its age, the commits no checkpoint covers, and when the rule\n"
	"starts failing (REPOGUARD_NOW overrides the clock). Changes nothing; exit\n"
	"status 0 (3 on a configuration error, 4 on a repository error).",
	cmd_status,
	0
};

static const struct option st_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 }
};

static void st_rule(const rg_ckpt_session *s)
{
	static const struct { int mode; const char *name; } modes[] = {
		{ RG_MODE_PRE_COMMIT, "pre-commit" }, { RG_MODE_PRE_PUSH, "pre-push" },
		{ RG_MODE_PRE_RECEIVE, "pre-receive" }, { RG_MODE_CI, "ci" },
	};
	rg_buf b = RG_BUF_INIT;
	char every[32];
	size_t i;

	rg_ckpt_patterns_str(&b, &s->ck);
	if (!s->ck.every || s->ck.severity == 0) {
		printf("checkpoint rule: off (set [checkpoint] every, e.g. every = 4h); tags: %s\n", b.ptr);
		rg_buf_dispose(&b);
		return;
	}
	rg_fmt_duration(every, sizeof(every), s->ck.every);
	printf("checkpoint rule: every %s, tags %s, enforced on", every, b.ptr);
	for (i = 0; i < RG_ARRAY_SIZE(modes); i++)
		if (s->ck.on & modes[i].mode)
			printf(" %s", modes[i].name);
	printf("\n");
	rg_buf_dispose(&b);
}

static void st_last(const rg_ckpt_session *s, const rg_ckpt_list *l, const rg_ckpt *last)
{
	char when[64], age[32];

	if (!last) {
		printf("last checkpoint: none in this history\n");
	} else {
		rg_buf d = RG_BUF_INIT;

		rg_ckpt_describe_commit(&d, s->repo, &last->commit, &s->ctx);
		rg_ckpt_fmt_time(when, sizeof(when), last->time);
		rg_fmt_duration(age, sizeof(age), s->ctx.now - last->time);
		printf("last checkpoint: %s (%s tag) on %s\n", last->name,
			last->annotated ? "annotated" : "lightweight", d.ptr);
		if (last->time > s->ctx.now)
			printf("  made %s: dated in the future (clock skew?)\n", when);
		else
			printf("  made %s, %s ago\n", when, age);
		rg_buf_dispose(&d);
	}
	if (l->n && (!last || last != &l->v[0]))
		printf("note: %s, the newest checkpoint tag, is not in this history\n", l->v[0].name);
}

static void st_work(const rg_ckpt_session *s, const rg_ckpt_work *w)
{
	char when[64], age[32], left[32];
	size_t i;
	int64_t fails;

	if (!w->count) {
		printf("uncovered: nothing; the clock starts with the next commit\n");
		return;
	}
	rg_ckpt_fmt_time(when, sizeof(when), w->oldest_time);
	rg_fmt_duration(age, sizeof(age), s->ctx.now - w->oldest_time);
	printf("uncovered: %zu commit%s, the oldest made %s (%s ago)\n", w->count,
		w->count == 1 ? "" : "s", when, age);
	for (i = 0; i < w->nids && i < ST_MAX_COMMITS; i++) {
		rg_buf b = RG_BUF_INIT;

		rg_ckpt_describe_commit(&b, s->repo, &w->ids[i], &s->ctx);
		printf("  %s\n", b.ptr);
		rg_buf_dispose(&b);
	}
	if (w->nids > ST_MAX_COMMITS)
		printf("  ... and %zu more\n", w->nids - ST_MAX_COMMITS);
	if (w->future)
		printf("note: %zu of them %s dated after now (clock skew?) and count as made now\n",
			w->future, w->future == 1 ? "is" : "are");
	if (!s->ck.every)
		return;
	fails = w->oldest_time + s->ck.every + 1;
	rg_ckpt_fmt_time(when, sizeof(when), fails);
	if (fails <= s->ctx.now) {
		rg_fmt_duration(left, sizeof(left), s->ctx.now - w->oldest_time - s->ck.every);
		printf("the rule fails now (%s over the limit): repoguard checkpoint\n", left);
	} else {
		rg_fmt_duration(left, sizeof(left), fails - s->ctx.now);
		printf("the rule starts failing at %s (in %s)\n", when, left);
	}
}

static int st_run(rg_ckpt_session *s)
{
	rg_ckpt_list l;
	rg_ckpt_work w;
	git_oid head;
	rg_buf desc = RG_BUF_INIT;
	int r;

	st_rule(s);
	if (git_reference_name_to_id(&head, s->repo, "HEAD") < 0) {
		git_error_clear();
		printf("%s has no commits yet: nothing to cover\n", s->ctx.branch ? s->ctx.branch : "HEAD");
		return RG_OK;
	}
	if ((r = rg_ckpt_list_load(&l, s->repo, &s->ck)) < 0)
		return r;
	rg_ckpt_describe_commit(&desc, s->repo, &head, &s->ctx);
	printf("%s: %s\n", s->ctx.branch ? s->ctx.branch : "HEAD (detached)", desc.ptr);
	st_last(s, &l, rg_ckpt_last_in_history(s->repo, &l, &head, s->ctx.now));
	r = rg_ckpt_uncovered(&w, s->repo, &l, &head, s->ctx.now, 1);
	if (r == RG_OK)
		st_work(s, &w);
	rg_ckpt_work_free(&w);
	rg_ckpt_list_free(&l);
	rg_buf_dispose(&desc);
	return r;
}

static int cmd_status(int argc, char **argv)
{
	rg_ckpt_session s;
	const char *config = NULL;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", st_opts, NULL)) != -1) {
		if (c != 'c')
			return rg_cmd_usage(&rg_cmd_status, NULL);
		config = optarg;
	}
	if (optind < argc)
		return rg_cmd_usage(&rg_cmd_status, "unexpected argument '%s'", argv[optind]);
	r = rg_ckpt_session_open(&s, "status", config);
	if (r == 0 && (r = st_run(&s)) < 0) {
		rg_die_msg("%s", rg_error_last());
		r = RG_EXIT_INTERNAL;
	}
	rg_ckpt_session_close(&s);
	return r;
}
