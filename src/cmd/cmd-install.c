/*
 * cmd-install.c: `repoguard install`: link git hooks to the repoguard binary.
 *
 * Hooks go where git runs them: core.hooksPath when set (relative to the
 * work tree, or to the git dir when bare), else the common git dir's hooks/
 * (shared by every linked worktree). A hook already there is kept as
 * pre-repoguard/NAME and still runs (hooks/hook.c): under its own file name
 * because many hooks (husky 4, generated dispatchers) act on
 * `basename "$0"`, in a subdirectory because git runs nothing there. The
 * directory's other files are linked next to it, as some hooks source them
 * from their own directory (husky 4's husky.sh). --uninstall puts it back.
 * Older versions kept it as NAME.pre-repoguard: install moves that to
 * pre-repoguard/NAME, uninstall restores from either. A manifest
 * (.repoguard-hooks) records what was done, so install is idempotent and
 * uninstall exact.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>

#include "repoguard/buf.h"
#include "repoguard/cfgenv.h"
#include "repoguard/cmd.h"
#include "repoguard/run.h"

#define INSTALL_MANIFEST ".repoguard-hooks"
#define INSTALL_CHAIN_DIR "pre-repoguard"
#define INSTALL_CHAIN_OLD ".pre-repoguard" /* NAME.pre-repoguard: older versions */

static int cmd_install(int argc, char **argv);

const rg_cmd_entry rg_cmd_install = {
	"install",
	"repoguard install [--server] [--copy] [--binary PATH] [--hooks LIST] [REPO]\n"
	"repoguard install --uninstall [--hooks LIST] [REPO]",
	"install (or remove) repoguard's git hooks in a repository",
	"Installs the client hooks (pre-commit, pre-push, commit-msg, pre-merge-commit\n"
	"for git merge, and for git am pre-applypatch and applypatch-msg) into REPO\n"
	"(default: the repository containing the current directory), or with\n"
	"--server the pre-receive hook into a bare repository. Hooks are symbolic\n"
	"links to the repoguard binary (--copy copies it instead): to the repoguard on\n"
	"PATH when that is this binary, so that an upgrade replacing the file it\n"
	"points to keeps them; --binary PATH (absolute) names the binary to link to\n"
	"or copy instead (install.sh passes PREFIX/bin/repoguard). An existing hook\n"
	"is kept as " INSTALL_CHAIN_DIR "/NAME in the hooks directory and still runs\n"
	"after repoguard passes. --hooks LIST installs (or removes) only the hooks\n"
	"named, separated by commas and/or blanks (\"pre-commit, pre-push\").\n"
	"Running install again changes nothing; --uninstall restores what was there.",
	cmd_install,
	0
};

typedef struct {
	int uninstall, server, copy;
	const char *binary;
	const char *hooks;
	char *dir;
} install_opts;

static const struct option install_options[] = {
	{ "uninstall", no_argument, NULL, 'u' },
	{ "server", no_argument, NULL, 's' },
	{ "copy", no_argument, NULL, 'k' },
	{ "binary", required_argument, NULL, 'b' },
	{ "hooks", required_argument, NULL, 'H' },
	{ NULL, 0, NULL, 0 }
};

static char *install_hooks_dir(git_repository *repo)
{
	git_config *cfg = NULL;
	char *v = NULL, *dir = NULL;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		git_error_clear();
	if (rg_git_config_path(&v, cfg, "core.hooksPath") == 0 && v[0]) {
		if (v[0] == '/')
			dir = rg_strdup(v);
		else
			dir = rg_printf("%s%s", git_repository_workdir(repo) ?
				git_repository_workdir(repo) : git_repository_path(repo), v);
	}
	free(v);
	git_config_free(cfg);
	if (!dir)
		dir = rg_printf("%shooks", git_repository_commondir(repo));
	return dir;
}

static int install_mkdirs(const char *dir)
{
	char *p = rg_strdup(dir), *s;
	int r = 0;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST)
			r = -1;
		*s = '/';
	}
	if (mkdir(p, 0777) < 0 && errno != EEXIST)
		r = -1;
	free(p);
	return r;
}

/*
 * Does path (a hook's link) lead to a script ("#!")? A user's own wrapper,
 * tools/repoguard-precommit.sh, is no repoguard binary. A link that leads
 * nowhere is not a script (an old binary, gone).
 */
static int install_is_script(const char *path)
{
	char head[2];
	int fd = open(path, O_RDONLY), r = 0;

	if (fd < 0)
		return 0;
	r = read(fd, head, 2) == 2 && head[0] == '#' && head[1] == '!';
	close(fd);
	return r;
}

/* Is path a hook installed by repoguard (link to a repoguard binary, or listed copy)? */
static int install_is_ours(const char *path, const char *manifest_text, const char *name)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *base;

	if (n > 0) {
		target[n] = '\0';
		base = strrchr(target, '/');
		base = base ? base + 1 : target;
		/* "repoguard" (or a shim of that name), "repoguard-asan", "repoguard-1.2": not a user's script */
		if (!strcmp(base, "repoguard") || (!strncmp(base, "repoguard", 9) && !install_is_script(path)))
			return 1;
	}
	if (manifest_text) {
		rg_buf line = RG_BUF_INIT;
		int found;

		/* a link to a binary not called "repoguard" (repoguard-asan, a versioned name) */
		rg_buf_printf(&line, "\n%s %s ", name, n > 0 ? "link" : "copy");
		found = strstr(manifest_text, line.ptr) != NULL;
		rg_buf_dispose(&line);
		return found && (n > 0 ? !install_is_script(path) : access(path, F_OK) == 0);
	}
	return 0;
}

static int install_copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY), out;
	char buf[65536];
	ssize_t n;
	int r = 0;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			r = -1;
			break;
		}
	if (n < 0)
		r = -1;
	close(in);
	if (close(out) < 0)
		r = -1;
	return r;
}

static char *install_read_manifest(const char *dir)
{
	rg_buf path = RG_BUF_INIT, text = RG_BUF_INIT;
	int r;

	rg_buf_printf(&path, "%s/%s", dir, INSTALL_MANIFEST);
	rg_buf_putc(&text, '\n'); /* every line starts after a newline: "\nNAME " finds it */
	r = rg_buf_read_file(&text, path.ptr, 0);
	rg_buf_dispose(&path);
	if (r == RG_ENOTFOUND) {
		rg_buf_dispose(&text);
		return NULL;
	}
	return rg_buf_detach(&text);
}

/* Create HOOKSDIR/pre-repoguard, where chained hooks are kept. */
static int install_chain_dir(const install_opts *o)
{
	rg_buf dir = RG_BUF_INIT;
	int r;

	rg_buf_printf(&dir, "%s/%s", o->dir, INSTALL_CHAIN_DIR);
	r = mkdir(dir.ptr, 0777) < 0 && errno != EEXIST ? -1 : 0;
	rg_buf_dispose(&dir);
	return r;
}

/*
 * Move a hook between the hooks directory and its pre-repoguard/ (down: into
 * it). rename() keeps the mode and a symbolic link as one; a link with a
 * relative target is made again one level deeper ("../" in front) or
 * shallower ("../" dropped) so that it still points at the same file.
 */
static int install_move_hook(const char *from, const char *to, int down)
{
	char target[PATH_MAX];
	ssize_t n = readlink(from, target, sizeof(target) - 1);
	rg_buf moved = RG_BUF_INIT;
	int r;

	if (n <= 0 || target[0] == '/' || (!down && strncmp(target, "../", 3)))
		return rename(from, to);
	target[n] = '\0';
	rg_buf_printf(&moved, "%s%s", down ? "../" : "", down ? target : target + 3);
	r = symlink(moved.ptr, to);
	if (r == 0 && unlink(from) < 0) {
		unlink(to);
		r = -1;
	}
	rg_buf_dispose(&moved);
	return r;
}

/* The paths of hook name in the hooks directory: itself, chained, chained by older versions. */
static void install_paths(const install_opts *o, const char *name, rg_buf *path, rg_buf *chain, rg_buf *old)
{
	rg_buf_printf(path, "%s/%s", o->dir, name);
	rg_buf_printf(chain, "%s/%s/%s", o->dir, INSTALL_CHAIN_DIR, name);
	rg_buf_printf(old, "%s%s", path->ptr, INSTALL_CHAIN_OLD);
}

/* Move a hook chained by an older version (NAME.pre-repoguard) to pre-repoguard/NAME. */
static int install_migrate(const install_opts *o, const rg_buf *chain, const rg_buf *old)
{
	struct stat st;

	if (lstat(old->ptr, &st) < 0)
		return 0;
	if (lstat(chain->ptr, &st) == 0) {
		rg_die_msg("%s exists and so does %s; move one of them away first", old->ptr, chain->ptr);
		return -1;
	}
	if (install_chain_dir(o) < 0 || install_move_hook(old->ptr, chain->ptr, 1) < 0) {
		rg_die_msg("cannot move %s to %s: %s", old->ptr, chain->ptr, strerror(errno));
		return -1;
	}
	printf("moved %s to %s\n", old->ptr, chain->ptr);
	return 0;
}

static int install_one(const install_opts *o, const char *name, const char *manifest, rg_buf *newman)
{
	rg_buf path = RG_BUF_INIT, chain = RG_BUF_INIT, old = RG_BUF_INIT;
	struct stat st;
	int r = 0, chained = 0;

	install_paths(o, name, &path, &chain, &old);
	if (install_migrate(o, &chain, &old) < 0) {
		r = -1;
		goto out;
	}
	chained = lstat(chain.ptr, &st) == 0;
	if (install_is_ours(path.ptr, manifest, name)) {
		char target[PATH_MAX];
		ssize_t n = readlink(path.ptr, target, sizeof(target) - 1);

		if (!o->copy && n > 0 && (size_t)n == strlen(o->binary) && !memcmp(target, o->binary, (size_t)n)) {
			rg_buf_printf(newman, "%s link %s\n", name, chained ? "chained" : "-");
			printf("%s: already installed\n", path.ptr);
			goto out;
		}
		unlink(path.ptr); /* refresh: the binary moved, or a copy is replaced */
	} else if (lstat(path.ptr, &st) == 0) {
		if (chained) {
			rg_die_msg("%s exists and so does %s; move one of them away first", path.ptr, chain.ptr);
			r = -1;
			goto out;
		}
		if (install_chain_dir(o) < 0 || install_move_hook(path.ptr, chain.ptr, 1) < 0) {
			rg_die_msg("cannot keep the existing hook %s: %s", path.ptr, strerror(errno));
			r = -1;
			goto out;
		}
		chained = 1;
		printf("kept the existing %s hook as %s; it still runs after repoguard\n", name, chain.ptr);
	}
	if (o->copy ? install_copy_file(o->binary, path.ptr) : symlink(o->binary, path.ptr)) {
		rg_die_msg("cannot install %s: %s", path.ptr, strerror(errno));
		r = -1;
		goto out;
	}
	rg_buf_printf(newman, "%s %s %s\n", name, o->copy ? "copy" : "link", chained ? "chained" : "-");
	printf("installed %s -> %s\n", path.ptr, o->binary);
out:
	rg_buf_dispose(&path);
	rg_buf_dispose(&chain);
	rg_buf_dispose(&old);
	return r;
}

/* Put a chained hook back as path, if there is one at from and nothing at path. */
static int uninstall_restore(const char *from, const char *path, int from_dir)
{
	struct stat st;

	if (lstat(from, &st) < 0 || lstat(path, &st) == 0)
		return 0;
	if ((from_dir ? install_move_hook(from, path, 0) : rename(from, path)) < 0)
		return -1;
	printf("restored %s\n", path);
	return 0;
}

static int uninstall_one(const install_opts *o, const char *name, const char *manifest)
{
	rg_buf path = RG_BUF_INIT, chain = RG_BUF_INIT, old = RG_BUF_INIT;
	int r = 0;

	install_paths(o, name, &path, &chain, &old);
	if (install_is_ours(path.ptr, manifest, name)) {
		if (unlink(path.ptr) < 0)
			r = -1;
		else
			printf("removed %s\n", path.ptr);
	}
	if (r == 0)
		r = uninstall_restore(chain.ptr, path.ptr, 1);
	if (r == 0)
		r = uninstall_restore(old.ptr, path.ptr, 0);
	if (r < 0)
		rg_die_msg("cannot uninstall %s: %s", path.ptr, strerror(errno));
	rg_buf_dispose(&path);
	rg_buf_dispose(&chain);
	rg_buf_dispose(&old);
	return r;
}

#define INSTALL_HOOK_SEPS ", \t"

/*
 * The next name of a --hooks LIST from *p: names are separated by commas,
 * blanks, or both ("pre-commit, pre-push", "pre-commit pre-push"). *n is its
 * length; NULL when the list has no more.
 */
static const char *install_next_hook(const char **p, size_t *n)
{
	const char *s = *p + strspn(*p, INSTALL_HOOK_SEPS);

	if (!*s)
		return NULL;
	*n = strcspn(s, INSTALL_HOOK_SEPS);
	*p = s + *n;
	return s;
}

static int install_wanted(const install_opts *o, const char *name)
{
	const char *p = o->hooks, *w;
	size_t n;

	if (o->hooks) {
		while ((w = install_next_hook(&p, &n)) != NULL)
			if (n == strlen(name) && !strncmp(w, name, n))
				return 1;
		return 0;
	}
	if (o->server)
		return !strcmp(name, "pre-receive");
	return strcmp(name, "pre-receive") != 0;
}

/* Is the word s[0..n) the name of a hook repoguard installs? */
static int install_hook_known(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < rg_commands_count; i++)
		if ((rg_commands[i]->flags & RG_CMD_HOOK) && strlen(rg_commands[i]->name) == n &&
		    !memcmp(rg_commands[i]->name, s, n))
			return 1;
	return 0;
}

/*
 * A file of the hooks directory that chained hooks may use from next to
 * themselves: husky 4's hooks run `. "$(dirname "$0")/husky.sh"`. Not the
 * hooks repoguard installs (their chained versions live there), nor its
 * own files, nor samples.
 */
static int install_is_sibling(const char *name)
{
	size_t n = strlen(name), s = strlen(INSTALL_CHAIN_OLD);

	if (name[0] == '.' && (!name[1] || !strcmp(name, "..") || !strcmp(name, INSTALL_MANIFEST)))
		return 0;
	if (!strcmp(name, INSTALL_CHAIN_DIR) || install_hook_known(name, n))
		return 0;
	if ((n > s && !strcmp(name + n - s, INSTALL_CHAIN_OLD)) || (n > 7 && !strcmp(name + n - 7, ".sample")))
		return 0;
	return 1;
}

/*
 * Link the hooks directory's other files into pre-repoguard/ (as
 * ../NAME), so that a chained hook finds what it sources from its own
 * directory. Only where there is a pre-repoguard/; existing entries are
 * left alone, so running it again changes nothing.
 */
static void install_link_siblings(const install_opts *o)
{
	rg_buf chain = RG_BUF_INIT, p = RG_BUF_INIT, target = RG_BUF_INIT;
	DIR *d = NULL;
	struct dirent *de;
	struct stat st;

	rg_buf_printf(&chain, "%s/%s", o->dir, INSTALL_CHAIN_DIR);
	if (lstat(chain.ptr, &st) < 0 || !S_ISDIR(st.st_mode) || !(d = opendir(o->dir)))
		goto out;
	while ((de = readdir(d)) != NULL) {
		rg_buf_clear(&p);
		rg_buf_printf(&p, "%s/%s", o->dir, de->d_name);
		if (!install_is_sibling(de->d_name) || stat(p.ptr, &st) < 0 || S_ISDIR(st.st_mode))
			continue;
		rg_buf_clear(&p);
		rg_buf_printf(&p, "%s/%s", chain.ptr, de->d_name);
		rg_buf_clear(&target);
		rg_buf_printf(&target, "../%s", de->d_name);
		if (lstat(p.ptr, &st) < 0 && symlink(target.ptr, p.ptr) < 0)
			rg_warn_msg("cannot link %s: %s", p.ptr, strerror(errno));
	}
out:
	if (d)
		closedir(d);
	rg_buf_dispose(&chain);
	rg_buf_dispose(&p);
	rg_buf_dispose(&target);
}

/* Is dir/name one of install_link_siblings' links? */
static int install_is_sibling_link(const char *dir, const char *name)
{
	rg_buf p = RG_BUF_INIT;
	char target[PATH_MAX];
	ssize_t n;

	rg_buf_printf(&p, "%s/%s", dir, name);
	n = readlink(p.ptr, target, sizeof(target) - 1);
	rg_buf_dispose(&p);
	if (n <= 0 || !install_is_sibling(name))
		return 0;
	target[n] = '\0';
	return !strncmp(target, "../", 3) && !strcmp(target + 3, name);
}

/*
 * After --uninstall: when pre-repoguard/ holds nothing but the links to
 * its siblings (every chained hook restored), remove them and it.
 */
static void uninstall_chain_dir(const install_opts *o)
{
	rg_buf chain = RG_BUF_INIT, p = RG_BUF_INIT;
	DIR *d;
	struct dirent *de;
	int pass;

	rg_buf_printf(&chain, "%s/%s", o->dir, INSTALL_CHAIN_DIR);
	for (pass = 0; pass < 2; pass++) { /* 0: anything else there? 1: unlink */
		if (!(d = opendir(chain.ptr)))
			goto out;
		while ((de = readdir(d)) != NULL) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			if (!install_is_sibling_link(chain.ptr, de->d_name))
				break;
			if (pass == 1) {
				rg_buf_clear(&p);
				rg_buf_printf(&p, "%s/%s", chain.ptr, de->d_name);
				unlink(p.ptr);
			}
		}
		closedir(d);
		if (de)
			goto out; /* a hook is still kept there */
	}
	rmdir(chain.ptr);
out:
	rg_buf_dispose(&chain);
	rg_buf_dispose(&p);
}

/*
 * --hooks LIST: every name (separated by commas and/or blanks) must be a hook
 * (a typo installed nothing), and there must be one.
 */
static int install_check_hooks(const char *list)
{
	const char *p = list, *w;
	size_t n;
	int any = 0;

	while ((w = install_next_hook(&p, &n)) != NULL || !any) {
		rg_buf names = RG_BUF_INIT;
		size_t i;
		int r;

		if (w && install_hook_known(w, n)) {
			any = 1;
			continue;
		}
		for (i = 0; i < rg_commands_count; i++)
			if (rg_commands[i]->flags & RG_CMD_HOOK)
				rg_buf_printf(&names, "%s%s", names.len ? ", " : "", rg_commands[i]->name);
		if (w)
			r = rg_cmd_usage(&rg_cmd_install, "--hooks: '%.*s' is not a hook repoguard installs (%s)",
				(int)n, w, rg_buf_cstr(&names));
		else
			r = rg_cmd_usage(&rg_cmd_install, "--hooks: '%s' names no hook (%s)", list,
				rg_buf_cstr(&names));
		rg_buf_dispose(&names);
		return r;
	}
	return 0;
}

static int install_write_manifest(const install_opts *o, const rg_buf *m, const char *old)
{
	rg_buf path = RG_BUF_INIT;
	FILE *f;
	int r = 0;

	rg_buf_printf(&path, "%s/%s", o->dir, INSTALL_MANIFEST);
	if (old && m->len && !strcmp(old + 1, m->ptr)) {
		/* unchanged: leave the file alone (install is idempotent) */
	} else if (!m->len) {
		unlink(path.ptr);
	} else if (!(f = fopen(path.ptr, "w")) || fputs(m->ptr, f) < 0 || fclose(f) != 0) {
		rg_die_msg("cannot write %s", path.ptr);
		r = -1;
	}
	rg_buf_dispose(&path);
	return r;
}

/*
 * husky (v9) points core.hooksPath at its generated .husky/_, whose hooks
 * find the user's .husky/NAME by their own file name and source _/h next
 * to them: kept in pre-repoguard/ they would find no _/h, and husky rewrites
 * the directory through our links on its next install.
 */
static int install_is_husky(const char *dir)
{
	rg_buf path = RG_BUF_INIT, text = RG_BUF_INIT;
	int r;

	rg_buf_printf(&path, "%s/h", dir);
	r = rg_buf_read_file(&text, path.ptr, 1u << 20) == 0 && text.len &&
		strstr(rg_buf_cstr(&text), "husky") != NULL;
	rg_buf_dispose(&path);
	rg_buf_dispose(&text);
	return r;
}

static void install_husky_advice(const char *dir)
{
	rg_die_msg("core.hooksPath is husky's directory %s: husky runs its hooks by their file name\n"
		"and rewrites that directory, so repoguard does not install there. Call it from husky's\n"
		"hooks instead: add 'repoguard pre-commit' to .husky/pre-commit, 'repoguard commit-msg \"$1\"'\n"
		"to .husky/commit-msg and 'repoguard pre-push \"$@\"' to .husky/pre-push (for git merge,\n"
		"'repoguard pre-merge-commit' to .husky/pre-merge-commit; for git am, 'repoguard\n"
		"pre-applypatch' and 'repoguard applypatch-msg \"$1\"' to .husky/pre-applypatch and\n"
		".husky/applypatch-msg)", dir);
}

/*
 * A hooks directory the repository tracks (core.hooksPath = .githooks, husky
 * 5-8's .husky): installing would put links to this machine's binary in
 * place of committed hooks, a change that shows in `git status` and would
 * be committed for everyone. The first tracked hook repoguard would
 * replace, as a path in the work tree, or NULL.
 */
static char *install_tracked_hook(const install_opts *o, git_repository *repo)
{
	const char *wd = git_repository_workdir(repo);
	char *below = wd ? rg_path_below(wd, o->dir) : NULL, *found = NULL;
	git_index *idx = NULL;
	size_t i;

	if (!below || !*below || git_repository_index(&idx, repo) < 0)
		goto out;
	for (i = 0; i < rg_commands_count && !found; i++) {
		char *rel;

		if (!(rg_commands[i]->flags & RG_CMD_HOOK) || !install_wanted(o, rg_commands[i]->name))
			continue;
		rel = rg_printf("%s/%s", below, rg_commands[i]->name);
		if (git_index_get_bypath(idx, rel, 0))
			found = rel;
		else
			free(rel);
	}
out:
	git_error_clear();
	git_index_free(idx);
	free(below);
	return found;
}

static void install_tracked_advice(const char *hook)
{
	const char *name = strrchr(hook, '/') + 1;

	rg_die_msg("core.hooksPath is a directory the repository tracks: %s is committed. Installing\n"
		"would replace committed hooks with links to this machine's repoguard. Call it from the\n"
		"committed hook instead (add 'repoguard %s%s' to %s), or point core.hooksPath\n"
		"at a directory outside the repository", hook, name,
		!strcmp(name, "commit-msg") || !strcmp(name, "applypatch-msg") ? " \"$1\"" :
		!strcmp(name, "pre-push") ? " \"$@\"" : "", hook);
}

static int install_run(install_opts *o, git_repository *repo)
{
	rg_buf newman = RG_BUF_INIT;
	char *manifest;
	size_t i;
	int r = 0;

	o->dir = install_hooks_dir(repo);
	if (!o->uninstall && install_is_husky(o->dir)) {
		install_husky_advice(o->dir);
		free(o->dir);
		return RG_EXIT_INTERNAL;
	}
	if (!o->uninstall) {
		char *tracked = install_tracked_hook(o, repo);

		if (tracked) {
			install_tracked_advice(tracked);
			free(tracked);
			free(o->dir);
			return RG_EXIT_INTERNAL;
		}
	}
	if (install_mkdirs(o->dir) < 0) {
		rg_die_msg("cannot create %s: %s", o->dir, strerror(errno));
		return RG_EXIT_INTERNAL;
	}
	manifest = install_read_manifest(o->dir);
	for (i = 0; i < rg_commands_count && r == 0; i++) {
		const rg_cmd_entry *e = rg_commands[i];

		if (!(e->flags & RG_CMD_HOOK))
			continue;
		if (o->uninstall && (!o->hooks || install_wanted(o, e->name))) {
			r = uninstall_one(o, e->name, manifest); /* --hooks LIST: only those */
		} else if (!o->uninstall && install_wanted(o, e->name)) {
			r = install_one(o, e->name, manifest, &newman);
		} else if (manifest && strstr(manifest, e->name)) {
			/* keep hooks installed earlier with other options */
			const char *l = strstr(manifest, e->name);
			const char *nl = strchr(l, '\n');

			if (l[-1] == '\n')
				rg_buf_printf(&newman, "%.*s\n", (int)(nl ? nl - l : (long)strlen(l)), l);
		}
	}
	if (r == 0 && o->uninstall)
		uninstall_chain_dir(o);
	else if (r == 0)
		install_link_siblings(o);
	if (r == 0)
		r = install_write_manifest(o, &newman, manifest);
	free(manifest);
	rg_buf_dispose(&newman);
	free(o->dir);
	return r ? RG_EXIT_INTERNAL : RG_EXIT_OK;
}

/*
 * The binary hooks link to: the "repoguard" on PATH when it is this binary
 * (/usr/local/bin/repoguard -> ../Cellar/repoguard/0.1.0/bin/repoguard), not
 * the versioned file /proc/self/exe resolves to, which an upgrade removes:
 * git silently skips a hook whose link dangles, so the guard would be gone
 * without a word. Else self.
 */
static const char *install_stable_binary(rg_buf *out, const char *self)
{
	const char *p = getenv("PATH"), *e;

	for (; p && *p; p = *e ? e + 1 : e) {
		char *real;

		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		if (*p != '/')
			continue; /* an empty or relative entry: the current directory's */
		rg_buf_clear(out);
		rg_buf_put(out, p, (size_t)(e - p));
		rg_buf_puts(out, "/repoguard");
		real = realpath(out->ptr, NULL);
		if (real && !strcmp(real, self)) {
			free(real);
			return out->ptr;
		}
		free(real);
	}
	return self;
}

static int cmd_install(int argc, char **argv)
{
	install_opts o;
	git_repository *repo = NULL;
	rg_buf on_path = RG_BUF_INIT;
	char self[PATH_MAX];
	int c, r, unstable = 0;

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "", install_options, NULL)) != -1) {
		switch (c) {
		case 'u': o.uninstall = 1; break;
		case 's': o.server = 1; break;
		case 'k': o.copy = 1; break;
		case 'b': o.binary = optarg; break;
		case 'H': o.hooks = optarg; break;
		default: return rg_cmd_usage(&rg_cmd_install, NULL);
		}
	}
	if (argc - optind > 1)
		return rg_cmd_usage(&rg_cmd_install, "too many arguments");
	/* a typo removes nothing either: --uninstall --hooks pre-comit left the hook in place, exit 0 */
	if (o.hooks && install_check_hooks(o.hooks))
		return RG_EXIT_USAGE;
	if (!o.binary) {
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (n <= 0) {
			rg_die_msg("cannot find the repoguard binary; pass --binary PATH");
			return RG_EXIT_USAGE;
		}
		self[n] = '\0';
		o.binary = install_stable_binary(&on_path, self);
		unstable = o.binary == self && !o.copy && !o.uninstall;
	}
	if (o.binary[0] != '/') {
		rg_die_msg("--binary must be an absolute path");
		r = RG_EXIT_USAGE;
		goto out;
	}
	/*
	 * REPO as given; without it, the repository git would use here, as the
	 * other commands open it (GIT_DIR, GIT_WORK_TREE honoured).
	 */
	if (optind < argc && git_repository_open_ext(&repo, argv[optind], 0, NULL) < 0) {
		if (rg_repo_open_failed() < 0 && strstr(rg_error_last(), "libgit2 1.5"))
			rg_die_msg("%s: %s", argv[optind], rg_error_last());
		else
			rg_die_msg("%s is not in a git repository", argv[optind]);
		r = RG_EXIT_INTERNAL;
		goto out;
	}
	if (optind >= argc && (r = rg_repo_open(&repo)) < 0) {
		if (r == RG_ENOTFOUND)
			rg_die_msg(". is not in a git repository");
		else
			rg_die_msg("%s", rg_error_last());
		r = RG_EXIT_INTERNAL;
		goto out;
	}
	/* said once the repository is known: not before "not in a git repository", not on --uninstall */
	if (unstable)
		rg_warn_msg("the hooks link to %s, which is not the repoguard on PATH: if it is moved, "
			"rebuilt elsewhere or removed, git skips them without a word (install it, e.g. "
			"make install, and run that repoguard install; or use --copy)", self);
	if (o.server && !git_repository_is_bare(repo))
		rg_warn_msg("--server on a repository with a work tree; pushes to it will be checked");
	r = install_run(&o, repo);
out:
	git_repository_free(repo);
	rg_buf_dispose(&on_path);
	return r;
}
