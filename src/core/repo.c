/*
 * repo.c: open the repository the way git's hooks see it.
 *
 * GIT_REPOSITORY_OPEN_FROM_ENV makes libgit2 honour GIT_DIR, GIT_INDEX_FILE
 * (commit -a, commit <path>) and GIT_OBJECT_DIRECTORY (pre-receive
 * quarantine). libgit2 1.5 refuses to open when GIT_WORK_TREE or
 * GIT_COMMON_DIR is set, and does not unquote C-quoted entries of
 * GIT_ALTERNATE_OBJECT_DIRECTORIES; both are handled here.
 *
 * GIT_INDEX_FILE is hidden from libgit2 while it opens the repository: with
 * it set, libgit2 loads and checksums that index at open time (tens of ms on
 * a large index, and a hard error on a split index, which libgit2 1.5 cannot
 * read), although repoguard reads the index itself (rg_index_path honours
 * the variable). Nothing may call git_repository_index(): open the index
 * named by rg_index_path() instead.
 *
 * GIT_DIR without GIT_WORK_TREE follows git, not libgit2: see repo_cwd_workdir.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repoguard/buf.h"
#include "repoguard/cfgenv.h"
#include "repoguard/common.h"
#include "repoguard/run.h"

static char *env_take(const char *name)
{
	const char *v = getenv(name);
	char *copy = v ? rg_strdup(v) : NULL;

	if (v)
		unsetenv(name);
	return copy;
}

static void env_restore(const char *name, const char *v)
{
	if (v)
		setenv(name, v, 1);
}

/* One alternates entry: unquoted when C-quoted ("..." with \ escapes), else as written. */
static char *alt_unquote(const char *s, size_t len)
{
	rg_buf b = RG_BUF_INIT;
	char *copy = rg_strndup(s, len);
	const char *end;

	if (rg_buf_unquote_c(&b, copy, &end) == RG_OK && !*end) {
		free(copy);
		return rg_buf_detach(&b);
	}
	rg_buf_dispose(&b);
	return copy;
}

/* Split on ':' outside quotes, as git's prepare_alt_odb does. */
static int alt_add_all(git_repository *repo, const char *list)
{
	git_odb *odb = NULL;
	const char *p = list;
	int r = RG_OK;

	if (git_repository_odb(&odb, repo) < 0)
		return rg_error_from_git("cannot open the object database");
	while (*p && r == RG_OK) {
		const char *e = p;
		int inq = 0;
		char *path;

		while (*e && (inq || *e != ':')) {
			if (*e == '"')
				inq = !inq;
			else if (*e == '\\' && inq && e[1])
				e++;
			e++;
		}
		if (e > p) {
			path = alt_unquote(p, (size_t)(e - p));
			if (git_odb_add_disk_alternate(odb, path) < 0)
				r = rg_error_from_git(path);
			free(path);
		}
		p = *e ? e + 1 : e;
	}
	git_odb_free(odb);
	return r;
}

/* Is dir base itself or below it? */
static int repo_path_within(const char *dir, const char *base)
{
	char *rel = rg_path_below(base, dir);
	int in = rel != NULL;

	free(rel);
	return in;
}

/*
 * git_repository_set_workdir, skipped when dir already is the work tree:
 * libgit2 1.5 returns early there without freeing the path it built (a
 * leak LeakSanitizer reports on every hook in a linked worktree).
 */
static int repo_set_workdir(git_repository *repo, const char *dir)
{
	const char *cur = git_repository_workdir(repo);
	char *rel = cur ? rg_path_below(cur, dir) : NULL;
	int same = rel && !*rel;

	free(rel);
	return same ? 0 : git_repository_set_workdir(repo, dir, 0);
}

/*
 * git's rule for GIT_DIR without GIT_WORK_TREE: unless core.worktree names
 * the work tree (or the repository is bare), the current directory is its
 * top. libgit2 1.5 takes the git directory's parent instead, which for
 * GIT_DIR=../store.git is another directory altogether: a rollback would
 * empty it. Not from inside the git directory (receive-pack runs the hooks
 * of a non-bare repository there, with GIT_DIR=.).
 */
static int repo_cwd_workdir(git_repository *repo)
{
	const char *gd = getenv("GIT_DIR");
	git_config *cfg = NULL;
	char *wt = NULL, *cwd = NULL;
	int r = RG_OK;

	if (!gd || !*gd || git_repository_is_bare(repo))
		return RG_OK;
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		git_error_clear();
	if (rg_git_config_string(&wt, cfg, "core.worktree") == RG_ENOTFOUND &&
	    (cwd = realpath(".", NULL)) != NULL &&
	    !repo_path_within(cwd, git_repository_path(repo)) &&
	    !repo_path_within(cwd, git_repository_commondir(repo)) &&
	    repo_set_workdir(repo, cwd) < 0)
		r = rg_error_from_git(cwd);
	free(cwd);
	free(wt);
	git_config_free(cfg);
	return r;
}

/*
 * The configuration files git reads, where git's environment moves them and
 * libgit2 1.5 does not look: GIT_CONFIG_GLOBAL (git 2.32) is the one global
 * file, in place of ~/.gitconfig and the XDG file ("" or a missing file:
 * none); GIT_CONFIG_SYSTEM replaces /etc/gitconfig, and GIT_CONFIG_NOSYSTEM
 * drops it. Each such level of cfg is replaced (a path that cannot exist is
 * an empty level); with repo, its includeIf "gitdir:" and "onbranch:" are
 * evaluated as libgit2 does for the files it finds itself.
 */
static int repo_config_env(git_config *cfg, git_repository *repo)
{
	static const char none[] = "/dev/null/repoguard-no-config";
	const char *global = getenv("GIT_CONFIG_GLOBAL"), *sys = getenv("GIT_CONFIG_SYSTEM");
	const char *nosys = getenv("GIT_CONFIG_NOSYSTEM");
	int off = 0;

	if (nosys && git_config_parse_bool(&off, nosys) < 0)
		off = 0;
	git_error_clear();
	if (global && (git_config_add_file_ondisk(cfg, *global ? global : none, GIT_CONFIG_LEVEL_GLOBAL, repo, 1) < 0 ||
	    git_config_add_file_ondisk(cfg, none, GIT_CONFIG_LEVEL_XDG, NULL, 1) < 0))
		return rg_error_from_git(global);
	if ((off || sys) &&
	    (git_config_add_file_ondisk(cfg, !off && *sys ? sys : none, GIT_CONFIG_LEVEL_SYSTEM, repo, 1) < 0 ||
	    (off && git_config_add_file_ondisk(cfg, none, GIT_CONFIG_LEVEL_PROGRAMDATA, NULL, 1) < 0)))
		return rg_error_from_git(off ? "GIT_CONFIG_NOSYSTEM" : sys);
	return RG_OK;
}

/*
 * git's per-worktree configuration: with extensions.worktreeConfig set, git
 * reads $GIT_DIR/config.worktree (the linked worktree's own git dir, or the
 * main one's) over the repository's config, where `git config --worktree`
 * writes. libgit2 1.5 accepts the extension but never reads the file, so a
 * repoguard.config (or core.worktree, core.hooksPath) set there was not
 * seen: the worktree's rules were silently the defaults. It is added to the
 * repository's configuration above the local file, as git layers it.
 */
static int repo_worktree_config(git_repository *repo)
{
	git_config *cfg = NULL;
	rg_buf path = RG_BUF_INIT;
	struct stat st;
	int on = 0, r = RG_OK;

	if (git_repository_config(&cfg, repo) < 0) {
		git_error_clear();
		return RG_OK; /* the hooks' own config reads report it */
	}
	if ((r = repo_config_env(cfg, repo)) < 0)
		goto out;
	if (git_config_get_bool(&on, cfg, "extensions.worktreeconfig") < 0)
		on = 0;
	git_error_clear();
	if (on) {
		rg_buf_puts(&path, git_repository_path(repo));
		rg_buf_puts(&path, "config.worktree");
		if (stat(path.ptr, &st) == 0 &&
		    git_config_add_file_ondisk(cfg, path.ptr, GIT_CONFIG_LEVEL_APP, repo, 0) < 0)
			r = rg_error_from_git(path.ptr);
	}
out:
	rg_buf_dispose(&path);
	git_config_free(cfg);
	return r;
}

/*
 * Is there a .git (directory or file) in the current directory or above?
 * libgit2 says GIT_ENOTFOUND both when there is none and when one names a
 * git dir that is gone ("gitdir: /moved"): only the first is "outside a
 * repository".
 */
static int repo_dotgit_above(void)
{
	char *dir = getcwd(NULL, 0), *slash;
	rg_buf path = RG_BUF_INIT;
	struct stat st;
	int found = 0;

	while (dir && !found) {
		size_t len = strlen(dir);

		rg_buf_clear(&path);
		rg_buf_puts(&path, dir);
		rg_buf_puts(&path, len && dir[len - 1] == '/' ? ".git" : "/.git");
		found = lstat(path.ptr, &st) == 0;
		if (!(slash = strrchr(dir, '/')) || !dir[1])
			break; /* the root was the last */
		slash[slash == dir] = '\0';
	}
	rg_buf_dispose(&path);
	free(dir);
	return found;
}

/*
 * extensions.objectFormat of the repository git would use here, read from
 * its config file (libgit2 1.5 will not open the repository), or NULL.
 */
static char *repo_object_format(void)
{
	const char *gd = getenv("GIT_DIR");
	git_buf dir = GIT_BUF_INIT, v = GIT_BUF_INIT;
	git_config *cfg = NULL;
	rg_buf path = RG_BUF_INIT;
	char *out = NULL;

	if (gd && *gd)
		rg_buf_printf(&path, "%s/config", gd);
	else if (git_repository_discover(&dir, ".", 0, NULL) == 0)
		rg_buf_printf(&path, "%sconfig", dir.ptr);
	if (path.len && git_config_open_ondisk(&cfg, path.ptr) == 0 &&
	    git_config_get_string_buf(&v, cfg, "extensions.objectformat") == 0)
		out = rg_strdup(v.ptr);
	git_config_free(cfg);
	git_buf_dispose(&v);
	git_buf_dispose(&dir);
	rg_buf_dispose(&path);
	return out;
}

/*
 * Why the repository did not open. A repository git made with an extension
 * libgit2 1.5 lacks (git init --object-format=sha256 above all) is one, not
 * "not a git repository": the error says what it needs and that nothing is
 * checked, so that a hook's refusal is understood.
 */
int rg_repo_open_failed(void)
{
	static const char unsupported[] = "unsupported extension name ";
	const git_error *e = git_error_last();
	const char *ext = e && e->message ? strstr(e->message, unsupported) : NULL;
	char *fmt = NULL;

	if (!ext && e && e->message && strstr(e->message, "'safe.directory' was not found")) {
		/* libgit2 1.5's words for an unowned repository when no safe.directory is set */
		rg_error_set("the repository is owned by another user and no safe.directory names it "
			"(git refuses it too: git config --global --add safe.directory PATH)");
		return RG_ERROR;
	}
	if (!ext)
		return rg_error_from_git("not a git repository (or cannot open it)");
	ext += sizeof(unsupported) - 1;
	if (!strcmp(ext, "extensions.objectformat") && (fmt = repo_object_format()) != NULL &&
	    strcmp(fmt, "sha256"))
		rg_error_set("this repository sets extensions.objectFormat = %s, which libgit2 1.5, the git "
			"library repoguard is built with, does not accept: nothing in it can be checked", fmt);
	else if (!strcmp(ext, "extensions.objectformat"))
		rg_error_set("this repository uses SHA-256 object names (extensions.objectFormat, "
			"git init --object-format=sha256), which libgit2 1.5, the git library repoguard is "
			"built with, cannot read: nothing in it can be checked");
	else
		rg_error_set("this repository needs %s, which libgit2 1.5, the git library repoguard is "
			"built with, does not support: nothing in it can be checked", ext);
	free(fmt);
	return RG_ERROR;
}

/*
 * safe.directory = * (git 2.35.2) trusts every repository, whoever owns it;
 * libgit2 1.5 takes "*" for a path and refuses a repository another user
 * owns (root in a container, a CI checkout) that git opens. Does git's
 * protected configuration (system, global, `git -c`) hold "*" after the
 * last empty value, which resets the list?
 */
static int repo_safe_everywhere(void)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	rg_cfgenv env;
	int all = 0;
	size_t i;

	/* not git_config_iterator_glob_new: libgit2 1.5's PCRE2 regexec leaks a match block per entry */
	if (git_config_open_default(&cfg) == 0 && repo_config_env(cfg, NULL) == 0 &&
	    git_config_iterator_new(&it, cfg) == 0) {
		while (git_config_next(&e, it) == 0) {
			if (strcmp(e->name, "safe.directory") || !e->value ||
			    e->level > GIT_CONFIG_LEVEL_GLOBAL)
				continue;
			all = !strcmp(e->value, "*") ? 1 : *e->value ? all : 0;
		}
	}
	git_config_iterator_free(it);
	git_config_free(cfg);
	git_error_clear();
	rg_cfgenv_init(&env);
	if (rg_cfgenv_load(&env) < 0)
		rg_error_clear();
	for (i = 0; i < env.n; i++)
		if (!strcmp(env.v[i].key, "safe.directory") && env.v[i].value)
			all = !strcmp(env.v[i].value, "*") ? 1 : *env.v[i].value ? all : 0;
	rg_cfgenv_free(&env);
	return all;
}

/*
 * The open again without libgit2's owner check when safe.directory is "*"
 * (libgit2 1.5 fails an unowned repository with GIT_EOWNER, or with
 * ENOTFOUND when no safe.directory is set at all); else r, its error kept.
 */
static int repo_open_unowned(git_repository **out, int r)
{
	const git_error *e = git_error_last();
	int klass = e ? e->klass : GIT_ERROR_NONE;
	char *msg = e && e->message ? rg_strdup(e->message) : NULL;

	if (repo_safe_everywhere() && git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0) == 0) {
		if (git_repository_open_ext(out, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) == 0)
			r = 0;
		else
			git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 1);
	}
	if (r < 0 && msg)
		git_error_set_str(klass, msg);
	free(msg);
	return r;
}

int rg_repo_open(git_repository **out)
{
	char *work_tree = env_take("GIT_WORK_TREE");
	char *common_dir = env_take("GIT_COMMON_DIR");
	char *alternates = env_take("GIT_ALTERNATE_OBJECT_DIRECTORIES");
	char *index_file = env_take("GIT_INDEX_FILE");
	int r;

	*out = NULL;
	r = git_repository_open_ext(out, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	if (r < 0)
		r = repo_open_unowned(out, r);
	if (r < 0) {
		/* no repository here, rather than one that is named or found and cannot be opened */
		int none = r == GIT_ENOTFOUND && !getenv("GIT_DIR") && !repo_dotgit_above();

		r = rg_repo_open_failed();
		if (none)
			r = RG_ENOTFOUND;
		goto out;
	}
	if ((r = repo_worktree_config(*out)) < 0)
		goto out;
	if (work_tree && repo_set_workdir(*out, work_tree) < 0) {
		r = rg_error_from_git(work_tree);
		goto out;
	}
	if (!work_tree && (r = repo_cwd_workdir(*out)) < 0)
		goto out;
	if (alternates && *alternates)
		r = alt_add_all(*out, alternates);
out:
	if (r < 0 && *out) {
		git_repository_free(*out);
		*out = NULL;
	}
	env_restore("GIT_WORK_TREE", work_tree);
	env_restore("GIT_COMMON_DIR", common_dir);
	env_restore("GIT_ALTERNATE_OBJECT_DIRECTORIES", alternates);
	env_restore("GIT_INDEX_FILE", index_file);
	free(index_file);
	free(work_tree);
	free(common_dir);
	free(alternates);
	return r;
}
