/*
 * cmd-affected.c: `repoguard affected`: which deploy targets do the
 * changes touch? For CI (which deploy jobs to run) and as a Netlify
 * ignore command (exit 0: skip the build, 1: build).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/cmd.h"
#include "repoguard/deploy.h"

static int cmd_affected(int argc, char **argv);

const rg_cmd_entry rg_cmd_affected = {
	"affected",
	"repoguard affected [--base REV] [--head REV] [--target NAME]... [--quiet]\n"
	"                   [--format text|json] [--config FILE]",
	"print the deploy targets that the changes touch (CI, Netlify ignore)",
	"Maps the paths changed between --base and --head (default HEAD) to the deploy\n"
	"targets of .repoguard.ini and prints the affected targets, one per line.\n"
	"Without --base each target is compared from its own last deploy (the newest\n"
	"deploy/TARGET/* tag, see deploy-record); a target with no deploy recorded\n"
	"counts as affected. On Netlify (NETLIFY=true) without --base, the base is\n"
	"$CACHED_COMMIT_REF and the head $COMMIT_REF; a build without a previous build\n"
	"(CACHED_COMMIT_REF empty, equal to COMMIT_REF, or not in the clone) counts as\n"
	"affected, so that `repoguard affected --target netlify --quiet` is a correct\n"
	"ignore command. An empty --base '' also means: no previous build.\n"
	"--target limits the question to the named targets (repeatable); --quiet\n"
	"prints nothing; --format json prints every selected target with its paths.\n"
	"Exit status: 0 no selected target is affected (Netlify: skip the build),\n"
	"1 at least one is, 2 usage, 3 configuration, 4 repository error.",
	cmd_affected,
	0
};

static const struct option af_opts[] = {
	{ "base", required_argument, NULL, 'b' },
	{ "head", required_argument, NULL, 'H' },
	{ "target", required_argument, NULL, 't' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "format", required_argument, NULL, 'f' },
	{ "config", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 }
};

typedef struct {
	int selected, affected;
	const char *reason;      /* "changed", "no deploy recorded", "no previous build" */
	char *since;             /* the deploy tag or the base revision, or NULL */
	int has_base;
	git_oid base;
	rg_deploy_map *map;      /* where this target's changes are */
} af_target;

typedef struct {
	rg_deploy_env env;
	const char *base, *head_rev, *config;
	int base_given, head_given, quiet, json, netlify;
	char **wanted;
	size_t nwanted, wanted_alloc;
	git_oid head;
	af_target *t;
	rg_deploy_map shared;    /* with one base for all */
	int shared_used;
	rg_deploy_map *own;      /* per target, from its own last deploy */
} af_run;

static int af_select(af_run *a)
{
	size_t i, n = a->env.dc.n;

	a->t = rg_calloc(n ? n : 1, sizeof(*a->t));
	a->own = rg_calloc(n ? n : 1, sizeof(*a->own));
	for (i = 0; i < n; i++) {
		rg_deploy_map_init(&a->own[i]);
		a->t[i].selected = !a->nwanted;
	}
	for (i = 0; i < a->nwanted; i++) {
		int k = rg_deploy_conf_find(&a->env.dc, a->wanted[i]);

		if (k < 0) {
			rg_buf names = RG_BUF_INIT;

			rg_deploy_conf_names(&names, &a->env.dc);
			rg_die_msg("'%s' is not a deploy target; the configured targets are: %s",
				a->wanted[i], names.ptr);
			rg_buf_dispose(&names);
			return RG_EXIT_USAGE;
		}
		a->t[k].selected = 1;
	}
	return 0;
}

static void af_all(af_run *a, const char *reason)
{
	size_t i;

	for (i = 0; i < a->env.dc.n; i++) {
		a->t[i].affected = a->t[i].selected;
		a->t[i].reason = reason;
	}
}

/* One base for every target: --base, or Netlify's cached commit. */
static int af_shared(af_run *a)
{
	git_oid base;
	size_t i;
	int r = a->base && *a->base ? rg_deploy_resolve(&base, a->env.repo, a->base,
		a->base_given ? "--base" : "CACHED_COMMIT_REF") : RG_ENOTFOUND;

	if (r == RG_ENOTFOUND || (r == RG_OK && a->netlify && git_oid_equal(&base, &a->head))) {
		af_all(a, "no previous build");
		return 0;
	}
	if (r < 0 && a->netlify) {
		if (!a->quiet)
			rg_warn_msg("%s: counting every target as affected", rg_error_last());
		af_all(a, "no previous build");
		return 0;
	}
	if (r < 0) {
		rg_die_msg("%s", rg_error_last());
		return RG_EXIT_USAGE;
	}
	if (rg_deploy_map_commits(&a->shared, a->env.repo, &base, &a->head) < 0) {
		rg_die_msg("%s", rg_error_last());
		return RG_EXIT_INTERNAL;
	}
	rg_deploy_map_finish(&a->shared, &a->env.dc);
	a->shared_used = 1;
	for (i = 0; i < a->env.dc.n; i++) {
		af_target *t = &a->t[i];

		t->map = &a->shared;
		t->has_base = 1;
		git_oid_cpy(&t->base, &base);
		t->since = rg_strdup(a->base);
		t->affected = t->selected && a->shared.per[i].n > 0;
		t->reason = t->affected ? "changed" : "unchanged";
	}
	return 0;
}

/* Each target from its own last deploy. */
static int af_own(af_run *a)
{
	size_t i;

	for (i = 0; i < a->env.dc.n; i++) {
		af_target *t = &a->t[i];
		int r;

		if (!t->selected)
			continue;
		r = rg_deploy_last(&t->base, &t->since, a->env.repo, a->env.dc.v[i].name);
		if (r == RG_ENOTFOUND) {
			t->affected = 1;
			t->reason = "no deploy recorded";
			continue;
		}
		if (r < 0 || rg_deploy_map_commits(&a->own[i], a->env.repo, &t->base, &a->head) < 0) {
			rg_die_msg("%s", rg_error_last());
			return RG_EXIT_INTERNAL;
		}
		rg_deploy_map_finish(&a->own[i], &a->env.dc);
		t->has_base = 1;
		t->map = &a->own[i];
		t->affected = a->own[i].per[i].n > 0;
		t->reason = t->affected ? "changed" : "unchanged";
	}
	return 0;
}

static void af_json_paths(rg_buf *b, const af_run *a, size_t ti)
{
	const af_target *t = &a->t[ti];
	const rg_deploy_target *dt = &a->env.dc.v[ti];
	size_t i, k = 0;

	rg_buf_puts(b, "[");
	for (i = 0; t->map && i < t->map->per[ti].n; i++) {
		const rg_deploy_change *c = &t->map->changes[t->map->per[ti].v[i]];

		if (c->from && rg_deploy_owns(dt, c->from)) {
			rg_buf_puts(b, k++ ? ", " : "");
			rg_buf_json_str(b, c->from);
		}
		if (!c->from || rg_deploy_owns(dt, c->path)) {
			rg_buf_puts(b, k++ ? ", " : "");
			rg_buf_json_str(b, c->path);
		}
	}
	rg_buf_puts(b, "]");
}

static void af_json_oid(rg_buf *b, int has, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (!has) {
		rg_buf_puts(b, "null");
		return;
	}
	git_oid_tostr(hex, sizeof(hex), id);
	rg_buf_printf(b, "\"%s\"", hex);
}

static void af_print_json(const af_run *a)
{
	rg_buf b = RG_BUF_INIT;
	size_t i, k = 0;

	rg_buf_puts(&b, "{\"head\": ");
	af_json_oid(&b, 1, &a->head);
	rg_buf_puts(&b, ",\n \"targets\": [");
	for (i = 0; i < a->env.dc.n; i++) {
		const af_target *t = &a->t[i];

		if (!t->selected)
			continue;
		rg_buf_puts(&b, k++ ? ",\n  {\"name\": " : "\n  {\"name\": ");
		rg_buf_json_str(&b, a->env.dc.v[i].name);
		rg_buf_printf(&b, ", \"affected\": %s, \"reason\": ", t->affected ? "true" : "false");
		rg_buf_json_str(&b, t->reason ? t->reason : "unchanged");
		rg_buf_puts(&b, ", \"since\": ");
		if (t->since)
			rg_buf_json_str(&b, t->since);
		else
			rg_buf_puts(&b, "null");
		rg_buf_puts(&b, ", \"base\": ");
		af_json_oid(&b, t->has_base, &t->base);
		rg_buf_puts(&b, ", \"paths\": ");
		af_json_paths(&b, a, i);
		rg_buf_putc(&b, '}');
	}
	rg_buf_puts(&b, k ? "\n ]" : "]");
	if (a->shared_used) {
		rg_buf_puts(&b, ",\n \"unmapped\": [");
		for (i = 0; i < a->shared.unmapped.n; i++) {
			rg_buf_puts(&b, i ? ", " : "");
			rg_buf_json_str(&b, a->shared.changes[a->shared.unmapped.v[i]].path);
		}
		rg_buf_puts(&b, "]");
	}
	rg_buf_puts(&b, "}\n");
	fputs(b.ptr, stdout);
	rg_buf_dispose(&b);
}

static int af_report(const af_run *a)
{
	size_t i;
	int any = 0;

	for (i = 0; i < a->env.dc.n; i++) {
		const af_target *t = &a->t[i];

		any |= t->affected;
		if (!t->affected || a->quiet || a->json)
			continue;
		printf("%s\n", a->env.dc.v[i].name);
		if (strcmp(t->reason, "changed"))
			fprintf(stderr, "repoguard: note: %s counts as affected: %s%s\n", a->env.dc.v[i].name,
				t->reason, !strcmp(t->reason, "no deploy recorded") ?
				" (no deploy/TARGET/* tag; see repoguard deploy-record)" : "");
	}
	if (a->json && !a->quiet)
		af_print_json(a);
	fflush(stdout);
	return any ? RG_EXIT_VIOLATION : RG_EXIT_OK;
}

static int af_run_all(af_run *a)
{
	const char *nl = getenv("NETLIFY");
	int r;

	r = rg_deploy_env_open(&a->env, "affected", a->config, 1);
	if (r || (r = af_select(a)))
		return r;
	if (!a->base_given && nl && !strcmp(nl, "true")) {
		a->netlify = 1;
		a->base = getenv("CACHED_COMMIT_REF");
		if (!a->head_rev && getenv("COMMIT_REF") && *getenv("COMMIT_REF"))
			a->head_rev = getenv("COMMIT_REF");
	}
	if (rg_deploy_resolve(&a->head, a->env.repo, a->head_rev ? a->head_rev : "HEAD",
		!a->head_rev ? "HEAD" : a->head_given ? "--head" : "COMMIT_REF") < 0) {
		rg_die_msg("%s", rg_error_last());
		return RG_EXIT_USAGE;
	}
	r = a->base_given || a->netlify ? af_shared(a) : af_own(a);
	return r ? r : af_report(a);
}

static int af_options(af_run *a, int argc, char **argv)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "b:H:t:qf:c:", af_opts, NULL)) != -1) {
		switch (c) {
		case 'b': a->base = optarg; a->base_given = 1; break;
		case 'H': a->head_rev = optarg; a->head_given = 1; break;
		case 'q': a->quiet = 1; break;
		case 'c': a->config = optarg; break;
		case 't':
			RG_GROW(a->wanted, a->wanted_alloc, a->nwanted + 1);
			a->wanted[a->nwanted++] = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				return rg_cmd_usage(&rg_cmd_affected, "unknown format '%s' (text or json)", optarg);
			a->json = !strcmp(optarg, "json");
			break;
		default:
			return rg_cmd_usage(&rg_cmd_affected, NULL);
		}
	}
	if (optind < argc)
		return rg_cmd_usage(&rg_cmd_affected, "unexpected argument '%s'", argv[optind]);
	return 0;
}

static int cmd_affected(int argc, char **argv)
{
	af_run a;
	size_t i;
	int r;

	memset(&a, 0, sizeof(a));
	rg_deploy_map_init(&a.shared);
	r = af_options(&a, argc, argv);
	if (r == 0)
		r = af_run_all(&a);
	for (i = 0; a.t && i < a.env.dc.n; i++) {
		free(a.t[i].since);
		rg_deploy_map_free(&a.own[i]);
	}
	free(a.t);
	free(a.own);
	free(a.wanted);
	rg_deploy_map_free(&a.shared);
	rg_deploy_env_free(&a.env);
	return r;
}
