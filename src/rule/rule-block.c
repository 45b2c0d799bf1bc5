/*
 * rule-block.c: paths that must never be committed (node_modules/, .vite/).
 * Findings are summarised per blocked directory, with the commands that fix
 * the commit, instead of one line per file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repoguard/buf.h"
#include "repoguard/rule.h"

static const char *const block_keys[] = { "paths", "max_file_size", NULL };
static const rg_section_spec block_section = { "block", RG_SEC_PLAIN, block_keys };
static const rg_section_spec *const block_sections[] = { &block_section, NULL };

typedef struct {
	rg_patlist paths;
	int severity;
} block_state;

typedef struct block_submodule block_submodule;

typedef struct {
	char *dir;               /* blocked directory (or file) path */
	int is_dir;
	const rg_pattern *by;
	uint64_t files, bytes, modified;
	uint64_t submodules;     /* of files: gitlinks */
	uint64_t listed;         /* of those: with a section in the staged .gitmodules */
	uint64_t symlinks;       /* of files: symbolic links (a linked node_modules) */
	const block_submodule *sub; /* the last of those */
	int unknown_size;
} block_group;

/* what the change set does to .gitmodules, and the file it stages */
typedef enum { BLOCK_GM_NONE, BLOCK_GM_ADDED, BLOCK_GM_CHANGED } block_gm;

struct block_submodule {
	char *name;              /* submodule.NAME.path: .git/modules/NAME is its clone */
	char *path;
};

typedef struct {
	block_gm state;
	block_submodule *v;      /* the staged (or committed) .gitmodules' path entries */
	size_t n, alloc;
} block_gitmodules;

static int block_configure(void **state, rg_conf *conf)
{
	block_state *s = rg_calloc(1, sizeof(*s));

	s->severity = rg_conf_severity(conf, "block", RG_SEV_ERROR);
	rg_conf_patterns(&s->paths, conf, "block", "paths");
	/*
	 * Names compared ignoring case, as [envfile] does: a Node_Modules/ or
	 * .VITE/ committed from a case-insensitive checkout (core.ignorecase,
	 * where git's own .gitignore matches it that way) is the same folder, and
	 * pre-receive and ci cannot know how the commit was made.
	 */
	rg_patlist_casefold(&s->paths);
	/*
	 * [block] written with no paths at all (defaults = false dropped the
	 * built-in ones) would block nothing, silently; "paths =" says so on
	 * purpose, and max_file_size alone is [size]'s synonym.
	 */
	if (s->severity != RG_SEV_OFF && rg_conf_has_section(conf, "block") &&
	    !rg_conf_get(conf, "block", "paths") && !rg_conf_get(conf, "block", "max_file_size")) {
		rg_conf_entry pos;

		rg_conf_error(conf, rg_conf_section_at(&pos, conf, "block"), "[block] has no paths, so it "
			"blocks nothing (defaults = false drops the built-in ones): list them, e.g. "
			"paths = node_modules/ .vite/");
	}
	if (s->severity == RG_SEV_OFF || !s->paths.n) {
		rg_patlist_free(&s->paths);
		free(s);
		return RG_OK;
	}
	*state = s;
	return RG_OK;
}

static void block_free(void *state)
{
	block_state *s = state;

	rg_patlist_free(&s->paths);
	free(s);
}

static block_group *block_group_for(block_group **groups, size_t *n, size_t *alloc,
	const char *path, size_t dirlen, int is_dir, const rg_pattern *by)
{
	size_t i;

	/* deltas arrive sorted by path, so a directory's files are adjacent */
	for (i = *n; i-- > 0;) {
		block_group *g = &(*groups)[i];

		if (strlen(g->dir) == dirlen && !strncmp(g->dir, path, dirlen))
			return g;
		break;
	}
	RG_GROW(*groups, *alloc, *n + 1);
	(*groups)[*n].dir = rg_strndup(path, dirlen);
	(*groups)[*n].is_dir = is_dir;
	(*groups)[*n].by = by;
	(*groups)[*n].files = (*groups)[*n].bytes = (*groups)[*n].modified = 0;
	(*groups)[*n].submodules = (*groups)[*n].listed = (*groups)[*n].symlinks = 0;
	(*groups)[*n].sub = NULL;
	(*groups)[*n].unknown_size = 0;
	return &(*groups)[(*n)++];
}

/*
 * git ignores a submodule whose name could leave .git/modules (a ".."
 * component, as git's check_submodule_name has it); so does this rule.
 */
static int block_submodule_name_ok(const char *name)
{
	const char *p = name;

	if (!*name)
		return 0;
	while (*p) {
		size_t len = strcspn(p, "/\\");

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += len;
		if (*p)
			p++;
	}
	return 1;
}

/*
 * The submodule.NAME.path entries of a .gitmodules blob, parsed by
 * libgit2's config parser (quotes, escapes, comments, key case, "a b"
 * names are git's). libgit2 1.5 parses files only: the blob goes to a
 * temporary file outside the repository, removed at once. git reads no
 * include in .gitmodules, so entries from one (include_depth) are left out.
 */
static int block_gitmodules_parse(block_gitmodules *gm, git_blob *blob)
{
	const char *tmpdir = getenv("TMPDIR");
	rg_buf tmp = RG_BUF_INIT;
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	const char *data = git_blob_rawcontent(blob);
	size_t len = (size_t)git_blob_rawsize(blob), off = 0;
	int fd, r = -1;

	rg_buf_printf(&tmp, "%s/repoguard-gitmodules.XXXXXX", tmpdir && *tmpdir == '/' ? tmpdir : "/tmp");
	if ((fd = mkstemp(tmp.ptr)) < 0)
		goto out;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (close(fd) < 0 || off < len)
		goto out_unlink;
	if (git_config_new(&cfg) < 0 ||
	    git_config_add_file_ondisk(cfg, tmp.ptr, GIT_CONFIG_LEVEL_APP, NULL, 0) < 0 ||
	    git_config_iterator_new(&it, cfg) < 0) /* not _glob_new: libgit2 1.5's regexec leaks */
		goto out_unlink;
	while (git_config_next(&e, it) == 0) {
		const char *dot = strrchr(e->name, '.');
		char *name;

		if (e->include_depth || !e->value || !*e->value || strncmp(e->name, "submodule.", 10) ||
		    dot - e->name <= 10 || strcmp(dot, ".path"))
			continue;
		name = rg_strndup(e->name + 10, (size_t)(dot - e->name - 10));
		if (!block_submodule_name_ok(name)) {
			free(name);
			continue;
		}
		RG_GROW(gm->v, gm->alloc, gm->n + 1);
		gm->v[gm->n].name = name;
		gm->v[gm->n].path = rg_strdup(e->value);
		gm->n++;
	}
	r = 0;
out_unlink:
	unlink(tmp.ptr);
out:
	git_config_iterator_free(it);
	git_config_free(cfg);
	rg_buf_dispose(&tmp);
	return r;
}

static void block_gitmodules_read(block_gitmodules *gm, rg_ctx *ctx, const rg_changeset *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		const rg_delta *d = &cs->v[i];
		git_blob *blob;

		if (!d->new_path || strcmp(d->new_path, ".gitmodules") || !rg_delta_adds(d))
			continue;
		if (rg_ctx_blob(&blob, ctx, &d->new_id) < 0)
			return;
		/* a .gitmodules git cannot parse lists nothing: git rm -f would not take a section out */
		if (block_gitmodules_parse(gm, blob) == 0)
			gm->state = d->status == RG_DELTA_ADDED ? BLOCK_GM_ADDED : BLOCK_GM_CHANGED;
		git_blob_free(blob);
		return;
	}
}

/* The staged .gitmodules' submodule whose path is PATH (the last one, as git takes it), or NULL. */
static const block_submodule *block_gitmodules_find(const block_gitmodules *gm, const char *path)
{
	size_t i;

	for (i = gm->n; i-- > 0;)
		if (!strcmp(gm->v[i].path, path))
			return &gm->v[i];
	return NULL;
}

static void block_gitmodules_free(block_gitmodules *gm)
{
	size_t i;

	for (i = 0; i < gm->n; i++) {
		free(gm->v[i].name);
		free(gm->v[i].path);
	}
	free(gm->v);
}

/*
 * The commands that take the group out of the index. A submodule that
 * `git submodule add` made also has a section in .gitmodules, which
 * `git rm --cached` leaves staged: `git rm -f` removes the gitlink, its
 * section (staging .gitmodules) and its checkout; a .gitmodules the change
 * added and that is now empty goes too. The clone stays in the git
 * directory's modules/NAME: a hook never deletes it, but says where it is
 * when it is there, with the command that removes it.
 */
static void block_fix_remove(rg_buf *fix, rg_ctx *ctx, const block_group *g, const block_gitmodules *gm)
{
	if (g->listed == 1 && g->files == 1) {
		rg_buf clone = RG_BUF_INIT;
		struct stat st;

		rg_buf_puts(fix, "git rm -f --quiet -- ");
		rg_buf_shquote(fix, g->dir);
		if (gm->state == BLOCK_GM_ADDED)
			rg_buf_puts(fix, "\ntest -s .gitmodules || git rm -f --quiet -- .gitmodules");
		rg_buf_printf(&clone, "%smodules/%s", git_repository_path(ctx->repo), g->sub->name);
		if (stat(clone.ptr, &st) == 0 && S_ISDIR(st.st_mode)) {
			rg_buf_puts(fix, "\n# git submodule add's clone stays in .git/modules/");
			rg_buf_put_escaped(fix, g->sub->name, strlen(g->sub->name), 0);
			rg_buf_puts(fix, "; once nothing in it is needed: rm -rf -- \"$(git rev-parse --git-dir)\"/modules/");
			rg_buf_shquote(fix, g->sub->name);
		}
		rg_buf_dispose(&clone);
		return;
	}
	rg_buf_puts(fix, "git rm -r --cached --quiet -- ");
	rg_buf_shquote(fix, g->dir);
	if (g->listed)
		rg_buf_puts(fix, "\n# and remove the submodules' sections from .gitmodules: "
			"git config -f .gitmodules --remove-section submodule.NAME && git add .gitmodules");
}

static void block_report(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, const block_state *s,
	const block_group *g, const block_gitmodules *gm)
{
	char count[32], size[32];
	rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT, detail = RG_BUF_INIT;
	rg_finding *f;
	const char *what = rg_held(cs);

	rg_fmt_count(count, sizeof(count), g->files);
	rg_fmt_size(size, sizeof(size), g->bytes);
	if (g->submodules == g->files)
		rg_buf_printf(&msg, "%s submodule%s %s", g->files == 1 ? "a" : count,
			g->files == 1 ? "" : "s", what);
	else if (g->symlinks == g->files && g->files == 1)
		rg_buf_printf(&msg, "a symbolic link %s", what);
	else if (g->is_dir)
		rg_buf_printf(&msg, "%s file%s, %s%s %s", count,
			g->files == 1 ? "" : "s", g->unknown_size ? "at least " : "", size, what);
	else
		rg_buf_printf(&msg, "%s %s", size, what);
	rg_buf_printf(&detail, "matches '%s' (%s:%d): this path must never be committed",
		g->by->orig, g->by->file, g->by->line);
	if (g->modified)
		rg_buf_printf(&detail, "; %llu of these files were already tracked and are modified",
			(unsigned long long)g->modified);
	rg_buf_puts(&detail, ".\nDependency folders and build caches are rebuilt by the tools that made "
		"them; once committed they stay in history forever and slow every clone.");
	if (cs->has_commit) {
		rg_fix_rebase_edit(&fix, cs->commit_hex, cs->is_root);
		rg_buf_puts(&fix, ", then:\n");
		block_fix_remove(&fix, ctx, g, gm);
		rg_fix_amend_continue(&fix);
	} else {
		block_fix_remove(&fix, ctx, g, gm);
	}
	rg_fix_gitignore_matched(&fix, g->by, g->dir, g->symlinks != 0);
	f = rg_findings_add(out, "block", s->severity, rg_short_id(cs), g->dir, 0, msg.ptr);
	f->is_dir = g->is_dir;
	rg_finding_set_detail(f, detail.ptr);
	rg_finding_set_fix(f, fix.ptr);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&fix);
	rg_buf_dispose(&detail);
}

static int block_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	block_state *s = state;
	block_group *groups = NULL;
	block_gitmodules gm = { BLOCK_GM_NONE, NULL, 0, 0 };
	size_t n = 0, alloc = 0, i;
	int gm_read = 0;

	for (i = 0; i < cs->n; i++) {
		rg_delta *d = &cs->v[i];
		const rg_pattern *by = NULL;
		size_t dirlen = 0;
		int islink = (d->new_mode & 0170000) == 0120000;
		/* a symbolic link named node_modules is the folder, linked (a workspace's, a pnpm store) */
		int isdir = rg_mode_is_gitlink(d->new_mode) || islink;
		block_group *g;
		const block_submodule *sub;
		int64_t sz;

		if (!rg_delta_adds(d))
			continue;
		if (!rg_patlist_match(&s->paths, d->new_path, isdir, &dirlen, &by))
			continue;
		islink = islink && dirlen == strlen(d->new_path);
		g = block_group_for(&groups, &n, &alloc, d->new_path, dirlen,
			(isdir && !islink) || dirlen < strlen(d->new_path), by);
		g->files++;
		if (islink)
			g->symlinks++;
		if (rg_mode_is_gitlink(d->new_mode)) {
			g->submodules++;
			if (!gm_read++)
				block_gitmodules_read(&gm, ctx, cs);
			if ((sub = block_gitmodules_find(&gm, d->new_path)) != NULL) {
				g->listed++;
				g->sub = sub;
			}
		}
		if (d->status == RG_DELTA_MODIFIED)
			g->modified++;
		sz = rg_ctx_delta_size(ctx, d, 1);
		if (sz >= 0)
			g->bytes += (uint64_t)sz;
		else
			g->unknown_size = 1;
	}
	for (i = 0; i < n; i++) {
		block_report(out, ctx, cs, s, &groups[i], &gm);
		free(groups[i].dir);
	}
	free(groups);
	block_gitmodules_free(&gm);
	return RG_OK;
}

const rg_rule rg_rule_block = {
	.id = "block",
	.summary = "paths that must never be committed (node_modules/, .vite/)",
	.sections = block_sections,
	.modes = RG_MODE_ALL & ~RG_MODE_COMMIT_MSG,
	.configure = block_configure,
	.check = block_check,
	.free_state = block_free,
	.after_reads = 1, /* it sums the sizes of what it blocks: the content rules' reads settle them */
};
