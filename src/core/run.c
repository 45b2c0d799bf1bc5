/* run.c: the shared check pipeline: repository, rules, engine, report. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repoguard/buf.h"
#include "repoguard/cfgenv.h"
#include "repoguard/cmd.h"
#include "repoguard/index.h"
#include "repoguard/rule.h"
#include "repoguard/run.h"
#include "repoguard/source.h"

#define RG_BUILTIN_ORIGIN "rules.ini (built-in)"

int rg_run_option(rg_run_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'f':
		if (!rg_reporter_find(arg)) {
			rg_die_msg("unknown format '%s' (use one of: %s)", arg, rg_reporter_names());
			return RG_EUSAGE;
		}
		o->format = arg;
		return 1;
	case 'c':
		if (!*arg) { /* an unset variable in a job: name the option, not a missing file */
			rg_die_msg("--config needs a file name");
			return RG_EUSAGE;
		}
		o->config = arg;
		return 1;
	case 'q':
		o->quiet = 1;
		return 1;
	default:
		return 0;
	}
}

/*
 * repoguard.config, from `git -c` or the repository's configuration: a path
 * as git reads one ("~/rules.ini" is in HOME), relative to the work tree.
 */
static char *conf_git_path(git_repository *repo)
{
	git_config *cfg = NULL;
	char *v = NULL, *out = NULL;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		git_error_clear(); /* `git -c repoguard.config=...` still counts */
	if (rg_git_config_path(&v, cfg, "repoguard.config") == 0 && !v[0]) {
		out = rg_strdup(""); /* set, but to nothing: rg_conf_load_repo says so */
	} else if (v) {
		const char *base = git_repository_workdir(repo);

		if (v[0] == '/' || !base)
			base = v[0] == '/' ? "" : git_repository_path(repo);
		out = rg_printf("%s%s", base, v);
	}
	free(v);
	git_config_free(cfg);
	return out;
}

/*
 * Which file, if any, is the repository's own configuration? why: what named
 * it. *in_repo: it is the repository's (repoguard.config or .repoguard.ini),
 * which a sparse checkout may leave out of the work tree (conf_index_text).
 */
static char *conf_repo_file(git_repository *repo, const rg_run_opts *o, int *must_exist, const char **why,
	int *in_repo)
{
	const char *env = getenv("REPOGUARD_CONFIG");
	char *p;

	*must_exist = 1;
	*why = "--config";
	*in_repo = 0;
	if (o->config)
		return rg_strdup(o->config);
	*why = "REPOGUARD_CONFIG";
	if (env && *env)
		return rg_strdup(env);
	*why = "git config repoguard.config";
	*in_repo = 1;
	if ((p = conf_git_path(repo)) != NULL)
		return p;
	*must_exist = 0;
	*why = NULL;
	if (o->no_repo_config || git_repository_is_bare(repo) || !git_repository_workdir(repo))
		return NULL;
	return rg_printf("%s.repoguard.ini", git_repository_workdir(repo));
}

char *rg_conf_repo_path(git_repository *repo, const rg_run_opts *o, const char **why)
{
	int must_exist, in_repo;

	return conf_repo_file(repo, o, &must_exist, why, &in_repo);
}

/*
 * Called after the repository's own file (the layer over the built-in rules)
 * is parsed: "[repoguard] defaults = false" there drops the built-in layer.
 */
static void conf_apply_defaults_key(rg_conf *conf)
{
	if (!rg_conf_bool(conf, "repoguard", "defaults", 1))
		rg_conf_drop_layer(conf, 0);
}

/* The built-in rules, then text over them, as a repository file is read; names checked. */
static void conf_layer_text(rg_conf *conf, const char *text, size_t len, const char *origin)
{
	rg_conf_parse_string(conf, rg_default_rules, strlen(rg_default_rules), RG_BUILTIN_ORIGIN);
	rg_conf_new_layer(conf);
	rg_conf_parse_string(conf, text, len, origin);
	conf_apply_defaults_key(conf);
	rg_rules_validate(conf);
}

int rg_conf_load_text(rg_conf *conf, const char *text, size_t len, const char *origin)
{
	void **st = NULL;

	conf_layer_text(conf, text, len, origin);
	rg_rules_configure(&st, conf); /* every problem goes to conf->errors */
	rg_rules_free(st);
	rg_conf_errors_sort(conf);
	return conf->nerrors ? RG_ECONFIG : RG_OK;
}

#define CONF_BLOB_MAX (4u << 20) /* as rg_conf_parse_file */

/* The text of REV:.repoguard.ini; RG_ENOTFOUND when REV has no such file (or is unborn). */
/* Does the repository have any branch? */
static int conf_any_branch(git_repository *repo)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	int any = 0;

	if (git_reference_iterator_glob_new(&it, repo, "refs/heads/*") == 0 &&
	    git_reference_next(&ref, it) == 0)
		any = 1;
	git_reference_free(ref);
	git_reference_iterator_free(it);
	git_error_clear();
	return any;
}

#define CONF_LINK_HOPS 8

/*
 * Where a symbolic link committed at path points inside the tree: target
 * read from the link's directory, "." and ".." resolved. NULL (the error
 * set) when it leaves the repository, which the revision cannot answer for.
 * rev names the tree in messages ("" for the index: ":path", as git does).
 */
static char *conf_link_path(const char *rev, const char *path, const char *target)
{
	rg_buf b = RG_BUF_INIT;
	const char *slash = strrchr(path, '/'), *s = target;

	if (*target == '/')
		goto outside;
	if (slash)
		rg_buf_put(&b, path, (size_t)(slash - path));
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 2 && s[0] == '.' && s[1] == '.') {
			const char *cut;

			if (!b.len)
				goto outside;
			cut = b.ptr + b.len;
			while (cut > b.ptr && cut[-1] != '/')
				cut--;
			rg_buf_truncate(&b, cut > b.ptr ? (size_t)(cut - 1 - b.ptr) : 0);
		} else if (n && !(n == 1 && s[0] == '.')) {
			if (b.len)
				rg_buf_putc(&b, '/');
			rg_buf_put(&b, s, n);
		}
		s += n + (e ? 1 : 0);
	}
	if (b.len)
		return rg_buf_detach(&b);
	rg_buf_dispose(&b);
	rg_error_set("%s:%s is a symbolic link to '%s', not to a file", rev, path, target);
	return NULL;
outside:
	rg_buf_dispose(&b);
	rg_error_set("%s:%s is a symbolic link to '%s', outside the repository, which %s "
		"cannot answer for; commit the rules themselves (or point the link inside the repository)",
		rev, path, target, *rev ? rev : "the index");
	return NULL;
}

/*
 * The .repoguard.ini of rev's commit (or tree): *out its blob, RG_ENOTFOUND
 * when there is none. rev is resolved first and the file looked up in its
 * tree, never "REV:.repoguard.ini" pasted together: a revision such as
 * ":/message" or "a..b" must not turn into another lookup. An unborn HEAD
 * has no file, unless branches exist: then HEAD names a branch that does
 * not, and the rules of new branches cannot be known (fail closed). A
 * symbolic link is followed inside the tree, as the work tree's is: *path
 * (when asked for) is the file read, "conf/rules.ini" for a link to it.
 */
static int conf_rev_blob(git_blob **out, char **path, git_repository *repo, const char *rev)
{
	git_object *obj = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *link = NULL;
	char *at = rg_strdup(".repoguard.ini");
	int r, hops = 0;

	*out = NULL;
	if (path)
		*path = NULL;
	if (git_revparse_single(&obj, repo, rev) < 0) {
		git_error_clear();
		free(at);
		if (!strcmp(rev, "HEAD") && git_repository_head_unborn(repo) == 1) {
			if (!conf_any_branch(repo))
				return RG_ENOTFOUND;
			rg_error_set("HEAD names a branch that does not exist, so the rules of new branches "
				"and tags (HEAD:.repoguard.ini) are unknown; point it at the default branch "
				"(git symbolic-ref HEAD refs/heads/main) or name a file with repoguard.config");
			return RG_ERROR;
		}
		rg_error_set("'%s' is not a revision in this repository", rev);
		return RG_EUSAGE;
	}
	if (git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0) {
		git_error_clear();
		rg_error_set("'%s' is not a commit", rev);
		r = RG_EUSAGE;
		goto out;
	}
	for (;;) {
		char *target, *next;

		if ((r = git_tree_entry_bypath(&e, tree, at)) == GIT_ENOTFOUND) {
			git_error_clear();
			r = RG_ENOTFOUND;
			if (hops) {
				rg_error_set("%s:.repoguard.ini is a symbolic link to '%s', which %s does not have; "
					"commit the rules it points to (or the rules in its place)", rev, at, rev);
				r = RG_ERROR;
			}
			goto out;
		}
		if (r < 0) {
			r = rg_error_from_git(rev);
			goto out;
		}
		if (git_tree_entry_filemode(e) != GIT_FILEMODE_LINK)
			break;
		if (++hops > CONF_LINK_HOPS) {
			rg_error_set("%s:.repoguard.ini: too many levels of symbolic links", rev);
			r = RG_ERROR;
			goto out;
		}
		if (git_blob_lookup(&link, repo, git_tree_entry_id(e)) < 0) {
			r = rg_error_from_git(rev);
			goto out;
		}
		target = rg_strndup(git_blob_rawcontent(link), (size_t)git_blob_rawsize(link));
		next = conf_link_path(rev, at, target);
		free(target);
		git_blob_free(link);
		link = NULL;
		git_tree_entry_free(e);
		e = NULL;
		if (!next) {
			r = RG_ERROR;
			goto out;
		}
		free(at);
		at = next;
	}
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		if (hops)
			rg_error_set("%s:.repoguard.ini is a symbolic link to '%s', which is not a file", rev, at);
		else
			rg_error_set("%s:.repoguard.ini is not a file", rev);
		r = RG_ERROR;
	} else if (git_blob_lookup(out, repo, git_tree_entry_id(e)) < 0) {
		r = rg_error_from_git(rev);
	} else if (path) {
		*path = at;
		at = NULL;
	}
out:
	free(at);
	git_blob_free(link);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_object_free(obj);
	return r;
}

static int conf_blob_text(rg_buf *out, char **path, git_repository *repo, const char *rev)
{
	git_blob *b = NULL;
	int r = conf_rev_blob(&b, path, repo, rev);

	if (r == RG_OK && git_blob_rawsize(b) > CONF_BLOB_MAX) {
		rg_error_set("%s:%s: larger than 4 MiB, refusing to parse", rev, *path);
		r = RG_ERROR;
	} else if (r == RG_OK) {
		rg_buf_put(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	}
	git_blob_free(b);
	return r;
}

/*
 * The configuration committed at a revision (server side: the target branch
 * before the push; ci: the base), so that pushed content cannot change the
 * rules it is checked by.
 */
static int conf_load_blob(rg_conf *conf, git_repository *repo, const char *rev)
{
	rg_buf text = RG_BUF_INIT;
	char *path = NULL, *origin = NULL;
	int r = conf_blob_text(&text, &path, repo, rev);

	if (r == RG_EUSAGE)
		goto out;
	if (r < 0 && r != RG_ENOTFOUND) {
		rg_conf_error(conf, NULL, "%s", rg_error_last());
		goto out;
	}
	if (r == RG_OK) {
		free(conf->self_path);
		conf->self_path = rg_strdup(path); /* a link's target: the rules' own text */
		origin = rg_printf("%s:%s", rev, path);
		conf_layer_text(conf, rg_buf_cstr(&text), text.len, origin);
	} else {
		rg_conf_parse_string(conf, rg_default_rules, strlen(rg_default_rules), RG_BUILTIN_ORIGIN);
		rg_rules_validate(conf);
	}
out:
	rg_buf_dispose(&text);
	free(path);
	free(origin);
	return r == RG_EUSAGE ? r : conf->nerrors ? RG_ECONFIG : RG_OK;
}

char *rg_conf_rules_key(git_repository *repo, const rg_run_opts *o, const char *rev)
{
	int must_exist, in_repo;
	const char *why;
	char *file = conf_repo_file(repo, o, &must_exist, &why, &in_repo);
	char *key;
	git_blob *blob = NULL;
	int r;

	if (file) {
		free(file);
		return rg_strdup(""); /* the same file whatever the revision */
	}
	r = conf_rev_blob(&blob, NULL, repo, rev);
	if (r == RG_ENOTFOUND) {
		key = rg_strdup("-"); /* the built-in rules */
	} else if (r < 0) {
		key = rg_printf("!%s", rev); /* its own: loading it reports the problem */
	} else {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), git_blob_id(blob));
		key = rg_strdup(hex);
	}
	git_error_clear();
	git_blob_free(blob);
	return key;
}

/* Set conf->self_path to where file really is below the work tree wd; 0 when it is not below it. */
static int conf_self_real(rg_conf *conf, const char *file, const char *wd)
{
	char *real = realpath(file, NULL), *realwd = real ? realpath(wd, NULL) : NULL;
	size_t n = realwd ? strlen(realwd) : 0;
	int below = realwd && rg_str_startswith(real, realwd) && real[n] == '/' && real[n + 1];

	if (below) {
		free(conf->self_path);
		conf->self_path = rg_strdup(real + n + 1);
	}
	free(real);
	free(realwd);
	return below;
}

/*
 * Where the repository's own file is in its work tree, for the rules that
 * must not check it: for a symbolic link (.repoguard.ini -> conf/rules.ini),
 * the file it points to, whose patterns are the rules' own text; for a
 * relative --config conf/rules.ini (from where repoguard runs), the same file.
 */
static void conf_self_path(rg_conf *conf, git_repository *repo, const char *file)
{
	const char *wd = repo ? git_repository_workdir(repo) : NULL;
	struct stat st;
	int link;

	if (!file || !wd)
		return;
	link = lstat(file, &st) == 0 && S_ISLNK(st.st_mode);
	if (link && conf_self_real(conf, file, wd))
		return;
	if (rg_str_startswith(file, wd) && file[strlen(wd)]) {
		free(conf->self_path);
		conf->self_path = rg_strdup(file + strlen(wd));
	} else if (!link && file[0] != '/') {
		conf_self_real(conf, file, wd);
	}
}

/*
 * A sparse checkout leaves files out of the work tree that are still in the
 * index, marked skip-worktree (a non-cone pattern that does not name the
 * root, a repoguard.config under a directory outside the cone): the rules
 * are then the staged blob, not nothing (fail closed). file is a path under
 * the work tree; RG_ENOTFOUND when the index has no skip-worktree entry for
 * it. *origin: ":path", as git names a staged file.
 */
static int conf_index_text(rg_buf *out, char **origin, git_repository *repo, const char *file)
{
	const char *wd = git_repository_workdir(repo), *rel;
	size_t wdlen = wd ? strlen(wd) : 0;
	rg_index idx;
	rg_view v;
	char *path = NULL, *at = NULL;
	git_blob *blob = NULL;
	git_oid id;
	uint32_t mode = 0;
	int r, hops;

	*origin = NULL;
	if (!wd || strncmp(file, wd, wdlen))
		return RG_ENOTFOUND;
	rel = file + wdlen;
	while (!strncmp(rel, "./", 2))
		rel += 2;
	if (!*rel || strstr(rel, "/./") || strstr(rel, "/../") || !strncmp(rel, "../", 3))
		return RG_ENOTFOUND;
	memset(&idx, 0, sizeof(idx));
	memset(&v, 0, sizeof(v));
	v.kind = RG_VIEW_INDEX;
	v.index = &idx;
	v.repo = repo;
	path = rg_index_path(repo);
	r = rg_index_open(&idx, path, git_repository_path(repo));
	if (r == RG_OK) {
		const rg_index_entry *e = rg_index_find(&idx, rel);

		if (e && (!e->skip_worktree || e->intent_to_add))
			r = RG_ENOTFOUND;
		else /* an entry, or a path under a sparse index's directory entry (skip-worktree too) */
			r = rg_view_lookup(&id, &mode, &v, rel);
	} else if (r != RG_ENOTFOUND) {
		git_error_clear();
		r = RG_ENOTFOUND; /* an index this reader cannot read: as before, no file */
	}
	/* a symbolic link is followed, as the work tree's would be (its rules, not none) */
	at = rg_strdup(rel);
	for (hops = 0; r == RG_OK && (mode & 0170000) == 0120000; hops++) {
		char *target, *next;

		if (hops == CONF_LINK_HOPS || git_blob_lookup(&blob, repo, &id) < 0) {
			if (hops == CONF_LINK_HOPS)
				rg_error_set(":%s: too many levels of symbolic links", rel);
			else
				rg_error_from_git(at);
			r = RG_ERROR;
			break;
		}
		target = rg_strndup(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
		blob = NULL;
		if ((next = conf_link_path("", at, target)) == NULL) {
			r = RG_ERROR;
		} else if ((r = rg_view_lookup(&id, &mode, &v, next)) == RG_ENOTFOUND) {
			rg_error_set(":%s is a symbolic link to '%s', which the index does not have", at, target);
			r = RG_ERROR;
		}
		free(target);
		if (next) {
			free(at);
			at = next;
		}
	}
	if (r == RG_OK && !rg_mode_is_file(mode)) {
		r = RG_ENOTFOUND;
		if (hops) {
			rg_error_set(":%s is a symbolic link to %s, which is not a file", rel, at);
			r = RG_ERROR;
		}
	}
	if (r == RG_OK) {
		if (git_blob_lookup(&blob, repo, &id) < 0) {
			r = rg_error_from_git(at);
		} else if (git_blob_rawsize(blob) > CONF_BLOB_MAX) {
			rg_error_set(":%s: larger than 4 MiB, refusing to parse", at);
			r = RG_ERROR;
		} else {
			rg_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
			*origin = rg_printf(":%s", at);
		}
	}
	git_blob_free(blob);
	free(at);
	rg_index_keep(&idx, path); /* for the index source, which reads it next */
	free(path);
	return r;
}

/*
 * The file that holds the rules is a symbolic link that cannot be followed
 * (the rules moved, a submodule is not checked out): an error, never the
 * built-in rules in their place (fail closed). 1 when it was reported.
 */
static int conf_broken_link(rg_conf *conf, const char *file)
{
	struct stat st;
	char target[1024];
	ssize_t n;
	int err;

	if (lstat(file, &st) < 0 || !S_ISLNK(st.st_mode))
		return 0;
	err = stat(file, &st) < 0 ? errno : ENOENT;
	n = readlink(file, target, sizeof(target) - 1);
	target[n < 0 ? 0 : n] = '\0';
	if (err == ENOENT)
		rg_conf_error(conf, NULL, "%s: a symbolic link to '%s', which does not exist; "
			"point it at the rules or put the rules in its place", file, target);
	else
		rg_conf_error(conf, NULL, "%s: a symbolic link to '%s', which cannot be followed: %s",
			file, target, strerror(err));
	return 1;
}

/*
 * The repository's own rules file (.repoguard.ini, found rather than named,
 * or the file repoguard.config names) must be a file, or a symbolic link to
 * one: reading a FIFO there would hang every hook until something wrote to
 * it, a device would be read as rules. --config and REPOGUARD_CONFIG name
 * what to read, so a pipe there is fine (--config <(...)). 1 when it was
 * reported.
 */
static int conf_not_a_file(rg_conf *conf, const char *file, const char *why)
{
	struct stat st;
	const char *what;

	if (stat(file, &st) < 0 || S_ISREG(st.st_mode))
		return 0; /* what cannot be read is reported where it is read */
	what = S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)" :
		S_ISSOCK(st.st_mode) ? "a socket" : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" :
		"not a regular file";
	rg_conf_error(conf, NULL, "%s is %s: the rules file (%s) must be a regular file or a symbolic "
		"link to one; remove it, or put the rules in its place", file, what,
		why ? why : "found as .repoguard.ini");
	return 1;
}

int rg_conf_load_repo(rg_conf *conf, git_repository *repo, const rg_run_opts *o)
{
	int must_exist = 0, in_repo = 0;
	const char *why = "--config";
	char *file = repo ? conf_repo_file(repo, o, &must_exist, &why, &in_repo) :
		(o->config ? rg_strdup(o->config) : NULL);
	int have_file = file && access(file, F_OK) == 0;

	if (file && !*file) { /* the key set to nothing was the work tree's directory, "Is a directory" */
		rg_conf_error(conf, NULL, "%s is set but empty: name the rules file, or unset it "
			"(git config --unset repoguard.config)", why);
		free(file);
		return RG_ECONFIG;
	}
	if (!file && repo && o->config_blob_rev)
		return conf_load_blob(conf, repo, o->config_blob_rev);
	/* a bare repository has no work tree file: the one committed at HEAD, as pre-receive reads it */
	if (!file && repo && !o->no_repo_config && (git_repository_is_bare(repo) || !git_repository_workdir(repo)))
		return conf_load_blob(conf, repo, "HEAD");
	if (o->config)
		must_exist = 1;
	if (file && !have_file && in_repo) {
		rg_buf text = RG_BUF_INIT;
		char *origin = NULL;
		int r = conf_index_text(&text, &origin, repo, file);

		if (r != RG_ENOTFOUND) {
			conf_self_path(conf, repo, file); /* staged, but still the rules file */
			if (origin) { /* ":conf/rules.ini" when a link led there */
				free(conf->self_path);
				conf->self_path = rg_strdup(origin + 1);
			}
			if (r < 0)
				rg_conf_error(conf, NULL, "%s", rg_error_last());
			else
				conf_layer_text(conf, rg_buf_cstr(&text), text.len, origin);
			rg_buf_dispose(&text);
			free(origin);
			free(file);
			return conf->nerrors ? RG_ECONFIG : RG_OK;
		}
		rg_buf_dispose(&text);
	}
	if (file && !have_file && conf_broken_link(conf, file)) {
		free(file);
		return RG_ECONFIG;
	}
	if (file && have_file && in_repo && conf_not_a_file(conf, file, why)) {
		free(file);
		return RG_ECONFIG;
	}
	if (file && !have_file && must_exist) {
		/* say what named it: a REPOGUARD_CONFIG forgotten in a shell profile is not in sight */
		rg_conf_error(conf, NULL, "%s: configuration file not found (named by %s): create it, or %s",
			file, why, !strcmp(why, "REPOGUARD_CONFIG") ? "unset REPOGUARD_CONFIG" :
			!strcmp(why, "--config") ? "give --config an existing file" :
			"git config --unset repoguard.config");
		free(file);
		return RG_ECONFIG;
	}
	rg_conf_parse_string(conf, rg_default_rules, strlen(rg_default_rules), RG_BUILTIN_ORIGIN);
	conf_self_path(conf, repo, file);
	if (have_file) {
		rg_conf_new_layer(conf);
		rg_conf_parse_file(conf, file, NULL);
		conf_apply_defaults_key(conf);
	}
	free(file);
	rg_rules_validate(conf);
	return conf->nerrors ? RG_ECONFIG : RG_OK;
}

int rg_conf_load_rules(void ***states, rg_conf *conf, git_repository *repo, const rg_run_opts *o)
{
	void **st = NULL;
	int r = rg_conf_load_repo(conf, repo, o);

	if (r < 0 && !conf->n)
		return r; /* nothing was read (a missing file): there is nothing to configure */
	if (rg_rules_configure(&st, conf) < 0)
		r = RG_ECONFIG;
	rg_conf_errors_sort(conf);
	if (r < 0 || !states)
		rg_rules_free(st);
	else
		*states = st;
	return r;
}

/*
 * What to do about a configuration error. Not REPOGUARD_SKIP: no rule runs
 * until the configuration loads (fail closed), so skipping rules skips nothing.
 */
static void run_config_advice(const rg_run *run, const char *pfx)
{
	fprintf(stderr, "%shint: Fix the configuration where each line above says; "
		"'repoguard config' checks it again.\n", pfx);
	fprintf(stderr, "%shint: REPOGUARD_SKIP does not skip a configuration error: "
		"nothing is checked until it loads.\n", pfx);
	if (run->o.no_verify)
		fprintf(stderr, "%shint: If it cannot wait for the fix, skip the hooks once: %s\n",
			pfx, run->o.no_verify);
}

static int run_config_failed(rg_run *run)
{
	const char *s = rg_buf_cstr(&run->conf.errors);
	const char *pfx = run->o.prefix ? run->o.prefix : "";

	fprintf(stderr, "%srepoguard: configuration error; %s refuses to run until it is fixed:\n",
		pfx, run->o.command);
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		fprintf(stderr, "%s  %.*s\n", pfx, (int)n, s);
		s += n + (nl ? 1 : 0);
	}
	run_config_advice(run, pfx);
	if (!strcmp(run->o.format, "github"))
		rg_report_github_config_errors(run->out, run->o.command, rg_buf_cstr(&run->conf.errors));
	return RG_EXIT_CONFIG;
}

int rg_run_open(rg_run *run, const rg_run_opts *o)
{
	memset(run, 0, sizeof(*run));
	run->o = *o;
	if (!run->o.format)
		run->o.format = "text";
	run->reporter = rg_reporter_find(run->o.format);
	run->out = stdout;
	rg_conf_init(&run->conf);
	rg_findings_init(&run->findings);
	if (rg_repo_open(&run->repo) < 0)
		return rg_run_fail(run, RG_ERROR);
	if (git_repository_is_bare(run->repo) && !o->bare_ok) {
		rg_error_set("'%s' needs a work tree; this repository is bare", o->command);
		return rg_run_fail(run, RG_EUSAGE);
	}
	return 0;
}

int rg_run_configure(rg_run *run)
{
	void **states = NULL;
	int r = rg_conf_load_rules(&states, &run->conf, run->repo, &run->o);

	if (r == RG_EUSAGE)
		return rg_run_fail(run, r); /* config_blob_rev names no revision */
	if (r < 0)
		return run_config_failed(run);
	if ((r = rg_ctx_init(&run->ctx, run->repo, &run->conf, run->o.mode, run->o.command)) < 0) {
		rg_rules_free(states);
		return rg_run_fail(run, r == RG_EUSAGE ? r : RG_ERROR);
	}
	run->ctx.rule_state = states;
	run->ctx.reopen = 1;
	return 0;
}

int rg_run_start(rg_run *run, const rg_run_opts *o)
{
	int r = rg_run_open(run, o);

	return r ? r : rg_run_configure(run);
}

int rg_run_reconfigure(rg_run *run, const char *config_blob_rev)
{
	int r = rg_engine_finish(&run->findings, &run->ctx);

	if (r < 0)
		return rg_run_fail(run, r);
	rg_findings_dedupe(&run->findings, run->group_start);
	run->group_start = run->findings.n;
	rg_engine_free(&run->ctx);
	rg_conf_free(&run->conf);
	rg_conf_init(&run->conf);
	run->o.config_blob_rev = config_blob_rev;
	if ((r = rg_conf_load_rules(&run->ctx.rule_state, &run->conf, run->repo, &run->o)) == RG_EUSAGE)
		return rg_run_fail(run, r);
	if (r < 0)
		return run_config_failed(run);
	return 0;
}

int rg_run_changeset(rg_changeset *cs, void *payload)
{
	rg_run *run = payload;

	return rg_engine_check(&run->findings, &run->ctx, cs);
}

int rg_run_finish(rg_run *run)
{
	rg_report_opts ro;
	int r = rg_engine_finish(&run->findings, &run->ctx);

	if (r < 0)
		return rg_run_fail(run, r);
	rg_findings_dedupe(&run->findings, run->group_start);
	memset(&ro, 0, sizeof(ro));
	ro.command = run->o.command;
	ro.quiet = run->o.quiet;
	ro.prefix = run->o.prefix;
	ro.bypass = run->o.bypass;
	ro.repo_root = run->repo ? git_repository_workdir(run->repo) : NULL;
	/* hooks speak to the user on stderr; reports for tools go to stdout */
	ro.out = strcmp(run->o.format, "text") ? stdout : run->out;
	if (run->o.mode & (RG_MODE_PRE_COMMIT | RG_MODE_PRE_PUSH | RG_MODE_PRE_RECEIVE | RG_MODE_COMMIT_MSG)
	    && !strcmp(run->o.format, "text"))
		ro.out = stderr;
	ro.color = rg_report_want_color(ro.out);
	run->reporter->render(&run->findings, &ro);
	if ((fflush(ro.out) != 0 || ferror(ro.out)) && errno != EPIPE) {
		/* a cut or empty report (a full disk) must not pass for a clean run */
		rg_error_set("cannot write the report: %s", strerror(errno));
		clearerr(ro.out); /* said here, with its reason: main need not say it again */
		return rg_run_fail(run, RG_ERROR);
	}
	return rg_findings_count(&run->findings, RG_SEV_ERROR) ? RG_EXIT_VIOLATION : RG_EXIT_OK;
}

int rg_run_fail(rg_run *run, int err)
{
	const char *pfx = run && run->o.prefix ? run->o.prefix : "";

	if (err == RG_ECONFIG && run)
		return run_config_failed(run);
	fprintf(stderr, "%srepoguard: error: %s\n", pfx, rg_error_last());
	return err == RG_EUSAGE ? RG_EXIT_USAGE : RG_EXIT_INTERNAL;
}

void rg_run_free(rg_run *run)
{
	rg_engine_free(&run->ctx);
	rg_ctx_free(&run->ctx);
	rg_findings_free(&run->findings);
	rg_conf_free(&run->conf);
	git_repository_free(run->repo);
	memset(run, 0, sizeof(*run));
}
