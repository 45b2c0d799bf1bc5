/*
 * cmd-deploy-check.c: `repoguard deploy-check TARGET`, run by a deploy
 * script before it deploys: do the changes since TARGET's last deploy
 * belong to TARGET, or is this the wrong deploy?
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "repoguard/buf.h"
#include "repoguard/cmd.h"
#include "repoguard/deploy.h"
#include "repoguard/finding.h"
#include "repoguard/index.h"

#define DC_LIST_MAX 10

static int cmd_deploy_check(int argc, char **argv);

const rg_cmd_entry rg_cmd_deploy_check = {
	"deploy-check",
	"repoguard deploy-check TARGET [--since REV] [--yes] [--config FILE]",
	"before a deploy: do the changes since the last deploy belong to TARGET?",
	"Compares HEAD with the last deploy of TARGET (the newest deploy/TARGET/* tag,\n"
	"written by `repoguard deploy-record`, or --since REV) and maps every changed\n"
	"path to the deploy targets of .repoguard.ini ([deploy.NAME] paths).\n"
	"  - TARGET's paths changed: passes, and lists other targets whose paths changed\n"
	"    too (left undeployed).\n"
	"  - only other targets' paths changed: the wrong deploy. On a terminal it asks\n"
	"    'Deploy TARGET anyway? [y/N]' (read from /dev/tty); without one it fails\n"
	"    unless --yes.\n"
	"  - nothing changed: passes (a redeploy).\n"
	"Changed paths that belong to no target follow [deploy] unmapped = off | warn |\n"
	"error (error fails, --yes does not override it). Uncommitted changes in the\n"
	"working tree are reported: a deploy from it ships files that are in no commit.\n"
	"Exit status: 0 deploy, 1 do not deploy, 2 usage (unknown target, no previous\n"
	"deploy and no --since), 3 configuration, 4 repository error.",
	cmd_deploy_check,
	0
};

static const struct option dc_opts[] = {
	{ "since", required_argument, NULL, 's' },
	{ "yes", no_argument, NULL, 'y' },
	{ "config", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 }
};

/* Another target that changed in the range: is it deployed since? */
typedef struct {
	char *tag;              /* its own last deploy tag, or NULL when none */
	rg_deploy_map own;      /* its changes since its own last deploy */
	const rg_deploy_set *undeployed;  /* what is still undeployed (maybe empty) */
} dc_other;

typedef struct {
	rg_deploy_env env;
	const char *target;
	int ti;                 /* index of target */
	int *deploying;         /* one flag per target */
	const char *since;      /* --since */
	int yes;
	const char *config;
	git_oid base, head;
	char *tag;              /* the last deploy tag, or NULL with --since */
	rg_deploy_map map;
	dc_other *others;       /* per target: its own deploy state */
	rg_buf out;
} dc_run;

static void dc_short(rg_buf *b, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	rg_buf_printf(b, "%.7s", hex);
}

/* "since its last deploy (deploy/ec2/..., 1a2b3c4)" */
static void dc_since_words(rg_buf *b, const dc_run *d)
{
	if (d->tag)
		rg_buf_printf(b, "since its last deploy (%s, ", d->tag);
	else
		rg_buf_printf(b, "since %s (", d->since);
	dc_short(b, &d->base);
	rg_buf_putc(b, ')');
}

static int dc_base(dc_run *d)
{
	int r;

	if (d->since) {
		r = rg_deploy_resolve(&d->base, d->env.repo, d->since, "--since");
		if (r < 0) {
			rg_die_msg("%s", rg_error_last());
			return RG_EXIT_USAGE;
		}
		return 0;
	}
	r = rg_deploy_last(&d->base, &d->tag, d->env.repo, d->target);
	if (r == RG_ENOTFOUND) {
		rg_die_msg("no deploy of %s is recorded (no tag deploy/%s/*), so there is nothing to "
			"compare with.\nPass the commit that is deployed on %s now: repoguard deploy-check "
			"%s --since REV\nand after each deploy record it: repoguard deploy-record %s",
			d->target, d->target, d->target, d->target, d->target);
		return RG_EXIT_USAGE;
	}
	if (r < 0) {
		rg_die_msg("%s", rg_error_last());
		return RG_EXIT_INTERNAL;
	}
	return 0;
}

/*
 * For every other target whose paths changed in the range: its changes
 * since its own last deploy, so that one deployed since is not called
 * undeployed. A target with no deploy recorded keeps the range's changes.
 */
static int dc_others(dc_run *d)
{
	const rg_deploy_conf *dc = &d->env.dc;
	size_t t;

	d->others = rg_calloc(dc->n, sizeof(*d->others));
	for (t = 0; t < dc->n; t++) {
		dc_other *o = &d->others[t];
		git_oid last;
		int r;

		rg_deploy_map_init(&o->own);
		o->undeployed = &d->map.per[t];
		if (d->deploying[t] || !d->map.per[t].n)
			continue;
		r = rg_deploy_last(&last, &o->tag, d->env.repo, dc->v[t].name);
		if (r == RG_ENOTFOUND)
			continue;
		if (r < 0 || rg_deploy_map_commits(&o->own, d->env.repo, &last, &d->head) < 0)
			return RG_ERROR;
		rg_deploy_map_finish(&o->own, dc);
		o->undeployed = &o->own.per[t];
	}
	return RG_OK;
}

static void dc_others_free(dc_run *d)
{
	size_t t;

	for (t = 0; d->others && t < d->env.dc.n; t++) {
		free(d->others[t].tag);
		rg_deploy_map_free(&d->others[t].own);
	}
	free(d->others);
}

/* "left undeployed: netlify (2 changed paths since its last deploy (tag)):" + list */
static void dc_report_undeployed(dc_run *d)
{
	const rg_deploy_conf *dc = &d->env.dc;
	size_t t;

	for (t = 0; t < dc->n; t++) {
		const dc_other *o = &d->others[t];
		size_t n = o->undeployed->n;

		if (d->deploying[t] || !d->map.per[t].n)
			continue;
		if (!n) {
			rg_buf_printf(&d->out, "also changed: %s, deployed since (%s): nothing left to "
				"deploy there\n", dc->v[t].name, o->tag);
			continue;
		}
		rg_buf_printf(&d->out, "left undeployed: %s (%zu changed path%s ", dc->v[t].name, n,
			n == 1 ? "" : "s");
		if (o->tag)
			rg_buf_printf(&d->out, "since its last deploy, %s):\n", o->tag);
		else
			rg_buf_printf(&d->out, "in this range; no deploy of %s is recorded):\n",
				dc->v[t].name);
		rg_deploy_list(&d->out, o->tag ? &o->own : &d->map, o->undeployed, DC_LIST_MAX, "  ");
	}
}

/* The range's changed paths, by the other targets that own them. */
static void dc_report_owners(dc_run *d)
{
	const rg_deploy_conf *dc = &d->env.dc;
	size_t t;

	for (t = 0; t < dc->n; t++) {
		const rg_deploy_set *s = &d->map.per[t];

		if (d->deploying[t] || !s->n)
			continue;
		rg_buf_printf(&d->out, "%s (%zu changed path%s):\n", dc->v[t].name, s->n,
			s->n == 1 ? "" : "s");
		rg_deploy_list(&d->out, &d->map, s, DC_LIST_MAX, "  ");
	}
	if (d->map.unmapped.n) {
		rg_buf_printf(&d->out, "no target (%zu changed path%s):\n", d->map.unmapped.n,
			d->map.unmapped.n == 1 ? "" : "s");
		rg_deploy_list(&d->out, &d->map, &d->map.unmapped, DC_LIST_MAX, "  ");
	}
}

/* Prints the outcome; returns 1 when it needs confirmation (mismatch). */
static int dc_report_outcome(dc_run *d, rg_deploy_outcome o)
{
	const rg_deploy_set *mine = &d->map.per[d->ti];
	size_t n = d->map.n;

	switch (o) {
	case RG_DEPLOY_UNCHANGED:
		rg_buf_printf(&d->out, "deploy-check %s: nothing changed ", d->target);
		dc_since_words(&d->out, d);
		rg_buf_puts(&d->out, ": this deploy ships the same files again.\n");
		return 0;
	case RG_DEPLOY_UNMAPPED_ONLY:
		rg_buf_printf(&d->out, "deploy-check %s: nothing that belongs to %s changed ",
			d->target, d->target);
		dc_since_words(&d->out, d);
		rg_buf_printf(&d->out, "; the %zu changed path%s belong%s to no target.\n", n,
			n == 1 ? "" : "s", n == 1 ? "s" : "");
		return 0;
	case RG_DEPLOY_MATCH:
	case RG_DEPLOY_MIXED:
		rg_buf_printf(&d->out, "deploy-check %s: ok, %zu of the %zu changed path%s ", d->target,
			mine->n, n, n == 1 ? "" : "s");
		dc_since_words(&d->out, d);
		rg_buf_printf(&d->out, " belong%s to %s:\n", mine->n == 1 ? "s" : "", d->target);
		rg_deploy_list(&d->out, &d->map, mine, DC_LIST_MAX, "  ");
		if (o == RG_DEPLOY_MIXED)
			dc_report_undeployed(d);
		return 0;
	default:
		break;
	}
	rg_buf_printf(&d->out, "deploy-check %s: you are deploying %s, but ", d->target, d->target);
	if (n == 1)
		rg_buf_puts(&d->out, "the changed path ");
	else
		rg_buf_printf(&d->out, "the %zu changed paths ", n);
	dc_since_words(&d->out, d);
	rg_buf_putc(&d->out, ' ');
	rg_deploy_describe_owners(&d->out, &d->map, &d->env.dc, d->deploying);
	rg_buf_puts(&d->out, ":\n");
	dc_report_owners(d);
	return 1;
}

static void dc_report_unmapped(dc_run *d)
{
	const rg_deploy_set *s = &d->map.unmapped;
	int sev = d->env.dc.unmapped;

	if (!s->n || sev == RG_SEV_OFF)
		return;
	rg_buf_printf(&d->out, "%s: %zu changed path%s belong%s to no deploy target "
		"(add %s to a target's paths, or set unmapped = off in [deploy]):\n",
		sev == RG_SEV_ERROR ? "error" : "warning", s->n, s->n == 1 ? "" : "s",
		s->n == 1 ? "s" : "", s->n == 1 ? "it" : "them");
	rg_deploy_list(&d->out, &d->map, s, DC_LIST_MAX, "  ");
}

/* Uncommitted changes (staged, unstaged, untracked): shipped by a deploy from this tree. */
static int dc_dirty(rg_deploy_map *dirty, git_repository *repo)
{
	git_status_options so;
	git_status_list *list = NULL;
	git_index *index = NULL;
	size_t i, n;
	int r = RG_OK;

	if (git_repository_is_bare(repo))
		return RG_OK;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, repo, &so) < 0 || git_repository_index(&index, repo) < 0) {
		r = rg_error_from_git_index("cannot read the working tree status");
		goto out;
	}
	n = git_status_list_entrycount(list);
	for (i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *dd = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
		unsigned int status = e->status;
		char st = 'M';

		if ((status & GIT_STATUS_WT_DELETED) && dd && rg_git_index_skips_worktree(index, dd->old_file.path)) {
			status &= ~(unsigned int)GIT_STATUS_WT_DELETED;
			dd = e->head_to_index;
		}
		if (!dd || status == GIT_STATUS_CURRENT || (status & GIT_STATUS_IGNORED))
			continue;
		if (status & (GIT_STATUS_WT_NEW | GIT_STATUS_INDEX_NEW))
			st = status & GIT_STATUS_WT_NEW ? '?' : 'A';
		else if (status & (GIT_STATUS_WT_DELETED | GIT_STATUS_INDEX_DELETED))
			st = 'D';
		rg_deploy_map_add(dirty, st, NULL, dd->new_file.path ? dd->new_file.path : dd->old_file.path);
	}
out:
	git_index_free(index);
	git_status_list_free(list);
	return r;
}

static int dc_report_dirty(dc_run *d)
{
	rg_deploy_map dirty;
	const rg_deploy_conf *dc = &d->env.dc;
	size_t t;
	int r;

	rg_deploy_map_init(&dirty);
	r = dc_dirty(&dirty, d->env.repo);
	if (r < 0 || !dirty.n) {
		rg_deploy_map_free(&dirty);
		return r;
	}
	rg_deploy_map_finish(&dirty, dc);
	rg_buf_printf(&d->out, "warning: the working tree has %zu uncommitted change%s: a deploy "
		"from this working tree ships files that are in no commit (commit or stash them):\n",
		dirty.n, dirty.n == 1 ? "" : "s");
	for (t = 0; t < dc->n; t++) {
		if (!dirty.per[t].n)
			continue;
		rg_buf_printf(&d->out, "  %s:\n", dc->v[t].name);
		rg_deploy_list(&d->out, &dirty, &dirty.per[t], DC_LIST_MAX, "    ");
	}
	if (dirty.unmapped.n) {
		rg_buf_puts(&d->out, "  no target:\n");
		rg_deploy_list(&d->out, &dirty, &dirty.unmapped, DC_LIST_MAX, "    ");
	}
	rg_deploy_map_free(&dirty);
	return RG_OK;
}

/* Ask on the controlling terminal; -1 when there is none. */
static int dc_confirm(const char *target)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
	rg_buf q = RG_BUF_INIT;
	char ans[64];
	ssize_t n = 0;
	size_t len = 0;

	if (fd < 0)
		return -1;
	rg_buf_printf(&q, "Deploy %s anyway? [y/N] ", target);
	if (write(fd, q.ptr, q.len) < 0) {
		rg_buf_dispose(&q);
		close(fd);
		return -1;
	}
	rg_buf_dispose(&q);
	/* one line; anything but y/yes is no, and so is end of input */
	while (len < sizeof(ans) - 1 && (n = read(fd, ans + len, 1)) == 1 && ans[len] != '\n')
		len++;
	if (n <= 0 && write(fd, "\n", 1) < 0)
		n = -1; /* end of input: end the prompt's line */
	close(fd);
	while (len && (ans[len - 1] == '\r' || ans[len - 1] == ' '))
		len--;
	ans[len] = '\0';
	return !strcmp(ans, "y") || !strcmp(ans, "Y") || !strcasecmp(ans, "yes");
}

/* What to deploy instead: the other targets with undeployed changes. */
static void dc_hint(dc_run *d)
{
	size_t t;

	for (t = 0; t < d->env.dc.n; t++) {
		const char *name = d->env.dc.v[t].name;

		if (d->deploying[t] || !d->map.per[t].n)
			continue;
		if (d->others[t].undeployed->n)
			rg_buf_printf(&d->out, "  to deploy %s instead: repoguard deploy-check %s\n",
				name, name);
		else
			rg_buf_printf(&d->out, "  %s is deployed already (%s)\n", name, d->others[t].tag);
	}
}

static int dc_decide(dc_run *d, int needs_confirm)
{
	int unmapped_error = d->map.unmapped.n && d->env.dc.unmapped == RG_SEV_ERROR;
	int c;

	if (unmapped_error) {
		rg_buf_printf(&d->out, "deploy-check %s: refusing: changed paths belong to no deploy "
			"target and [deploy] unmapped = error.\n", d->target);
		return RG_EXIT_VIOLATION;
	}
	if (!needs_confirm)
		return RG_EXIT_OK;
	if (d->yes) {
		rg_buf_printf(&d->out, "deploy-check %s: deploying anyway (--yes).\n", d->target);
		return RG_EXIT_OK;
	}
	fputs(rg_buf_cstr(&d->out), stdout);
	fflush(stdout);
	rg_buf_clear(&d->out);
	c = dc_confirm(d->target);
	if (c == 1) {
		rg_buf_printf(&d->out, "deploy-check %s: deploying anyway (confirmed).\n", d->target);
		return RG_EXIT_OK;
	}
	if (c == 0)
		rg_buf_printf(&d->out, "deploy-check %s: not confirmed: do not deploy.\n", d->target);
	else
		rg_buf_printf(&d->out, "deploy-check %s: refusing: no terminal to confirm on. Deploy "
			"the target whose paths changed, or pass --yes if %s really must be redeployed.\n",
			d->target, d->target);
	dc_hint(d);
	return RG_EXIT_VIOLATION;
}

static int dc_head(dc_run *d)
{
	if (git_reference_name_to_id(&d->head, d->env.repo, "HEAD") < 0) {
		rg_die_msg("HEAD does not point to a commit: nothing to deploy yet");
		git_error_clear();
		return RG_EXIT_USAGE; /* as deploy-record and affected say of an unborn HEAD */
	}
	return 0;
}

static int dc_target(dc_run *d)
{
	rg_buf names = RG_BUF_INIT;

	d->ti = rg_deploy_conf_find(&d->env.dc, d->target);
	if (d->ti >= 0) {
		d->deploying = rg_calloc(d->env.dc.n, sizeof(*d->deploying));
		d->deploying[d->ti] = 1;
		return 0;
	}
	rg_deploy_conf_names(&names, &d->env.dc);
	rg_die_msg("'%s' is not a deploy target; the configured targets are: %s", d->target, names.ptr);
	rg_buf_dispose(&names);
	return RG_EXIT_USAGE;
}

static int dc_run_check(dc_run *d)
{
	int r, needs;

	r = rg_deploy_env_open(&d->env, "deploy-check", d->config, 1);
	if (r || (r = dc_target(d)) || (r = dc_head(d)) || (r = dc_base(d)))
		return r;
	if (rg_deploy_map_commits(&d->map, d->env.repo, &d->base, &d->head) < 0) {
		rg_die_msg("%s", rg_error_last());
		return RG_EXIT_INTERNAL;
	}
	rg_deploy_map_finish(&d->map, &d->env.dc);
	if (dc_others(d) < 0) {
		rg_die_msg("%s", rg_error_last());
		return RG_EXIT_INTERNAL;
	}
	needs = dc_report_outcome(d, rg_deploy_judge(&d->map, d->deploying));
	dc_report_unmapped(d);
	if ((r = dc_report_dirty(d)) < 0) {
		rg_die_msg("%s", rg_error_last());
		/* a split index: whether the tree is clean is unknown, so the deploy is refused */
		return r == RG_EREFUSED ? RG_EXIT_VIOLATION : RG_EXIT_INTERNAL;
	}
	r = dc_decide(d, needs);
	fputs(rg_buf_cstr(&d->out), stdout);
	fflush(stdout);
	return r;
}

static int cmd_deploy_check(int argc, char **argv)
{
	dc_run d;
	int c, r;

	memset(&d, 0, sizeof(d));
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:yc:", dc_opts, NULL)) != -1) {
		if (c == 's')
			d.since = optarg;
		else if (c == 'y')
			d.yes = 1;
		else if (c == 'c')
			d.config = optarg;
		else
			return rg_cmd_usage(&rg_cmd_deploy_check, NULL);
	}
	if (optind >= argc)
		return rg_cmd_usage(&rg_cmd_deploy_check, "which target is being deployed?");
	if (optind + 1 < argc)
		return rg_cmd_usage(&rg_cmd_deploy_check, "unexpected argument '%s'", argv[optind + 1]);
	d.target = argv[optind];
	rg_deploy_map_init(&d.map);
	r = dc_run_check(&d);
	dc_others_free(&d);
	rg_deploy_map_free(&d.map);
	rg_buf_dispose(&d.out);
	free(d.tag);
	free(d.deploying);
	rg_deploy_env_free(&d.env);
	return r;
}
