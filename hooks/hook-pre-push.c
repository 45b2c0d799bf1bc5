/*
 * hook-pre-push.c: `repoguard pre-push REMOTE URL`: every commit a push
 * brings to the remote, checked one at a time against its first parent (a
 * merge only for what none of its parents has).
 *
 * git writes one line per pushed ref on stdin. What the remote already has
 * is what its tracking refs (refs/remotes/REMOTE/...) and the remote's old tips
 * point at; everything reachable from the pushed tips and not from those is
 * new to the remote and is checked. Deleted refs only meet branch protection.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repoguard/cmd.h"
#include "repoguard/run.h"
#include "repoguard/updates.h"
#include "hook.h"

static int cmd_pre_push(int argc, char **argv);

const rg_cmd_entry rg_cmd_pre_push = {
	"pre-push",
	"repoguard pre-push [--format FORMAT] [--config FILE] [--quiet] REMOTE [URL]",
	"check every commit a push brings to the remote",
	"Reads git's pre-push lines (<local ref> <local oid> <remote ref> <remote oid>)\n"
	"from standard input. For every pushed ref, the commits the remote does not\n"
	"have yet (not reachable from refs/remotes/REMOTE/* or the remote's old tip)\n"
	"are checked one by one against their first parent (a merge only for what\n"
	"none of its parents has), tags included. Deleting or rewriting a protected\n"
	"branch ([branch] protected) is refused.",
	cmd_pre_push,
	RG_CMD_HOOK | RG_CMD_STDIN
};

static const struct option pre_push_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "config", required_argument, NULL, 'c' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

/*
 * A local repository's URL (a path, file://PATH or file://localhost/PATH) as one canonical path,
 * so that its spellings (relative, absolute, with "..", a trailing slash,
 * file://, without the ".git" that git adds when PATH does not exist, a
 * work tree or its .git) compare equal: realpath, relative to the current
 * directory (git runs the hook at the top of the work tree, where it
 * resolved the URL). NULL for other URLs (ssh, https, scp-like host:path),
 * which are compared as written, and for paths that do not exist.
 */
static char *push_url_local(const char *url)
{
	const char *p = url, *colon = strchr(url, ':'), *slash = strchr(url, '/');
	char *abs, *alt;

	if (!strncmp(url, "file://localhost/", 17))
		p = url + 16; /* git takes the host "localhost" as this machine */
	else if (!strncmp(url, "file://", 7))
		p = url + 7;
	else if (strstr(url, "://") || (colon && (!slash || colon < slash)))
		return NULL;
	if (!*p)
		return NULL;
	abs = realpath(p, NULL);
	if (!abs) {
		alt = rg_printf("%s.git", p);
		abs = realpath(alt, NULL);
		free(alt);
	}
	if (!abs)
		return NULL;
	alt = rg_printf("%s/.git", abs);
	if (access(alt, F_OK) == 0) {
		free(abs);
		return alt;
	}
	free(alt);
	return abs;
}

/* Is a configured URL the URL git was given (local paths compared canonically)? */
static int push_url_same(const char *value, const char *url, const char *url_local)
{
	char *v;
	int same;

	if (!strcmp(value, url))
		return 1;
	if (!url_local || !(v = push_url_local(value)))
		return 0;
	same = !strcmp(v, url_local);
	free(v);
	return same;
}

/*
 * The remotes to trust for "what the remote has": the one named REMOTE, or,
 * when git was given a URL, every remote with that URL or push URL (a local
 * path in any spelling: push_url_local). Read from
 * a plain config iteration: libgit2 1.5's git_remote_list matches config
 * names with a regex that leaks its match data on every miss.
 */
static char **push_remote_names(git_repository *repo, const char *remote, const char *url)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	char **v = rg_calloc(2, sizeof(*v)), *url_local = NULL;
	size_t n = 0;

	v[n++] = rg_strdup(remote);
	if (!url || git_repository_config_snapshot(&cfg, repo) < 0 ||
	    git_config_iterator_new(&it, cfg) < 0)
		goto out;
	url_local = push_url_local(url);
	while (git_config_next(&e, it) == 0) {
		const char *name = e->name, *dot;
		size_t len;

		if (!e->value || strncmp(name, "remote.", 7) || !(dot = strrchr(name + 7, '.')) ||
		    (strcmp(dot, ".url") && strcmp(dot, ".pushurl")) ||
		    !push_url_same(e->value, url, url_local))
			continue;
		len = (size_t)(dot - (name + 7));
		v = rg_realloc(v, (n + 2) * sizeof(*v));
		v[n++] = rg_strndup(name + 7, len);
		v[n] = NULL;
	}
out:
	free(url_local);
	git_error_clear();
	git_config_iterator_free(it);
	git_config_free(cfg);
	return v;
}

/* The commits the remote is known to have: its tracking refs. */
static int push_remote_commits(git_oid **ids, size_t *n, size_t *alloc, git_repository *repo,
	const char *remote, const char *url)
{
	char **names = push_remote_names(repo, remote, url);
	size_t i, j;
	int r = RG_OK;

	for (i = 0; names[i] && r == RG_OK; i++) {
		char *prefix;
		int dup = 0;

		for (j = 0; j < i && !dup; j++)
			dup = !strcmp(names[i], names[j]);
		if (dup)
			continue;
		prefix = rg_printf("refs/remotes/%s/", names[i]);
		r = rg_refs_commits(ids, n, alloc, repo, prefix);
		free(prefix);
	}
	rg_strv_free(names);
	return r;
}

static int pre_push_run(rg_run *run, const char *remote, const char *url)
{
	rg_ctx *ctx = &run->ctx;
	git_oid *have = NULL;
	size_t n = 0, alloc = 0;
	int r;

	ctx->remote_name = rg_strdup(remote);
	ctx->remote_url = rg_strdup(url ? url : remote);
	r = rg_updates_read(ctx, rg_hook_stdin, 0);
	if (r == RG_OK)
		r = rg_updates_classify(ctx);
	if (r == RG_OK)
		r = push_remote_commits(&have, &n, &alloc, run->repo, remote, url);
	if (r == RG_OK)
		r = rg_source_updates(ctx, have, n, rg_run_changeset, run);
	if (r >= 0)
		rg_hook_prefix_note(&run->findings); /* git push sets GIT_PREFIX for pre-push too */
	free(have);
	return r < 0 ? rg_run_fail(run, r) : rg_run_finish(run);
}

static int cmd_pre_push(int argc, char **argv)
{
	rg_run_opts o = { 0 };
	rg_run run;
	int c, r;

	o.command = "pre-push";
	o.mode = RG_MODE_PRE_PUSH;
	o.bare_ok = 1; /* a push from a mirror: the rules are HEAD's .repoguard.ini */
	o.bypass = "To bypass once: REPOGUARD_SKIP=<rule> git push ..., or git push --no-verify.";
	o.no_verify = "git push --no-verify";
	optind = 1;
	while ((c = getopt_long(argc, argv, RG_RUN_OPTSTRING, pre_push_opts, NULL)) != -1) {
		r = rg_run_option(&o, c, optarg);
		if (r < 0)
			return RG_EXIT_USAGE;
		if (r == 0)
			return rg_cmd_usage(&rg_cmd_pre_push, NULL);
	}
	if (optind >= argc)
		return rg_cmd_usage(&rg_cmd_pre_push, "missing REMOTE (git passes the remote's name and URL)");
	if (argc - optind > 2)
		return rg_cmd_usage(&rg_cmd_pre_push, "unexpected argument '%s'", argv[optind + 2]);
	r = rg_run_start(&run, &o);
	if (r == 0)
		r = pre_push_run(&run, argv[optind], optind + 1 < argc ? argv[optind + 1] : NULL);
	rg_run_free(&run);
	return r;
}
