/*
 * audit-tree.c: the audit's "tree" section: what HEAD tracks that the guards
 * forbid. Blocked directories and secret-looking files come from the walk's
 * skeletons; files over max_file_size from a walk of HEAD's tree that skips
 * every directory whose largest blob is under the limit; LFS content only
 * when some .gitattributes at HEAD mentions filter=lfs; protected paths by
 * look-up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/audit.h"
#include "repoguard/objparse.h"
#include "repoguard/rule.h"

#define LFS_POINTER_MAX 1024

typedef struct {
	rg_audit *a;
	rg_findings *out;
	size_t blocked, secrets, large, lfs, protect;
	uint64_t blocked_files, blocked_bytes;
	int blocked_unknown;
} tree_sum;

static int path_cmp(const void *x, const void *y)
{
	const rg_hist_path *const *a = x, *const *b = y;

	return strcmp((*a)->path, (*b)->path);
}

/* Records of a kind, sorted by path (the caller frees the array). */
static const rg_hist_path **tree_records(const rg_audit *a, int kind, int at_head, size_t *n)
{
	const rg_hist_path **v = rg_calloc(a->hist.npaths + 1, sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; i < a->hist.npaths; i++)
		if (a->hist.paths[i].kind == kind && (!at_head || a->hist.paths[i].at_head))
			v[(*n)++] = &a->hist.paths[i];
	qsort(v, *n, sizeof(*v), path_cmp);
	return (const rg_hist_path **)v;
}

static void tree_in_clone(rg_buf *fix, const rg_audit *a)
{
	if (a->bare)
		rg_buf_puts(fix, "# in a clone with a work tree:\n");
}

static void tree_blocked(tree_sum *t)
{
	size_t n, i;
	const rg_hist_path **v;

	if (!t->a->block.n || rg_audit_skipped(t->a, "block", NULL))
		return;
	v = tree_records(t->a, RG_HIST_BLOCK, 1, &n);

	for (i = 0; i < n; i++) {
		const rg_hist_path *p = v[i];
		rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT, detail = RG_BUF_INIT;
		rg_finding *f;

		rg_audit_files_bytes(&msg, p->head.files, p->head.bytes, p->head.unknown);
		rg_buf_puts(&msg, " tracked at HEAD");
		rg_buf_printf(&detail, "matches '%s' (", p->by->orig);
		rg_audit_origin(&detail, p->by);
		rg_buf_puts(&detail, "): this path must never be committed.\n"
			"Dependency folders and build caches are rebuilt by the tools that made them; "
			"tracked, they bloat every clone and every diff.");
		tree_in_clone(&fix, t->a);
		rg_buf_puts(&fix, "git rm -r --cached --quiet -- ");
		rg_buf_shquote(&fix, p->path);
		rg_buf_puts(&fix, " && git commit -m ");
		{
			char *m = rg_printf("Stop tracking %s%s", p->path, p->is_dir ? "/" : "");

			rg_buf_shquote(&fix, m);
			free(m);
		}
		rg_fix_gitignore_matched(&fix, p->by, p->path, !p->is_dir && (p->by->flags & RG_PAT_DIRONLY));
		f = rg_findings_add(t->out, "block", t->a->block_sev, NULL, p->path, 0, msg.ptr);
		f->is_dir = p->is_dir;
		rg_finding_set_detail(f, detail.ptr);
		rg_finding_set_fix(f, fix.ptr);
		t->blocked++;
		t->blocked_files += p->head.files;
		t->blocked_bytes += p->head.bytes;
		t->blocked_unknown |= p->head.unknown;
		rg_buf_dispose(&msg);
		rg_buf_dispose(&fix);
		rg_buf_dispose(&detail);
	}
	free((void *)v);
}

static void tree_secrets(tree_sum *t)
{
	size_t n, i;
	const rg_hist_path **v;

	if (t->a->secret_sev == RG_SEV_OFF || !t->a->secret.n || rg_audit_skipped(t->a, "secret-file", NULL))
		return;
	v = tree_records(t->a, RG_HIST_SECRET, 1, &n);
	for (i = 0; i < n; i++) {
		const rg_hist_path *p = v[i];
		rg_buf fix = RG_BUF_INIT, detail = RG_BUF_INIT;
		rg_finding *f;

		rg_buf_printf(&detail, "matches '%s' (", p->by->orig);
		rg_audit_origin(&detail, p->by);
		rg_buf_puts(&detail, "): files like this hold credentials. "
			"Treat what it holds as exposed: it is in every clone's history.");
		tree_in_clone(&fix, t->a);
		rg_buf_puts(&fix, "git rm --cached --quiet -- ");
		rg_buf_shquote(&fix, p->path);
		rg_buf_puts(&fix, " && git commit -m ");
		{
			char *m = rg_printf("Stop tracking %s", p->path);

			rg_buf_shquote(&fix, m);
			free(m);
		}
		rg_fix_gitignore(&fix, p->by->orig, 0);
		rg_buf_puts(&fix, "\n# then rotate every credential it holds");
		f = rg_findings_add(t->out, "secret-file", t->a->secret_sev, NULL, p->path, 0,
			"looks like a secret or env file and is tracked at HEAD");
		rg_finding_set_detail(f, detail.ptr);
		rg_finding_set_fix(f, fix.ptr);
		t->secrets++;
		rg_buf_dispose(&fix);
		rg_buf_dispose(&detail);
	}
	free((void *)v);
}

static int tree_blocked_dir(const rg_audit *a, const char *path)
{
	return a->block.n && rg_patlist_match1(&a->block, path, 1, NULL) == 1;
}

static int large_cb(const rg_hist_entry *e, void *payload)
{
	tree_sum *t = payload;
	rg_audit *a = t->a;
	char size[32], max[32];
	rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT;
	rg_finding *f;

	if (e->is_tree)
		return (e->size_known && e->size <= a->max_file_size) || tree_blocked_dir(a, e->path);
	if (!e->size_known || e->size <= a->max_file_size || RG_MODE_TYPE(e->mode) == RG_MODE_GITLINK)
		return 0;
	if (a->size_allow.n && rg_patlist_match(&a->size_allow, e->path, 0, NULL, NULL))
		return 0;
	if (a->block.n && rg_patlist_match(&a->block, e->path, 0, NULL, NULL))
		return 0;
	rg_fmt_size(size, sizeof(size), e->size);
	rg_fmt_size(max, sizeof(max), a->max_file_size);
	rg_buf_printf(&msg, "%s at HEAD, over the %s limit (max_file_size)", size, max);
	tree_in_clone(&fix, a);
	rg_buf_puts(&fix, "git rm --cached --quiet -- ");
	rg_buf_shquote(&fix, e->path);
	rg_buf_puts(&fix, "   # and keep it out of git, or store it with Git LFS:\n");
	rg_fix_lfs_track(&fix, e->path);
	f = rg_findings_add(t->out, "size", a->size_sev, NULL, e->path, 0, msg.ptr);
	rg_finding_set_detail(f, "Large blobs stay in history forever: every clone downloads them, "
		"even after the file is deleted.");
	rg_finding_set_fix(f, fix.ptr);
	t->large++;
	rg_buf_dispose(&msg);
	rg_buf_dispose(&fix);
	return 0;
}

typedef struct {
	rg_audit *a;
	int lfs;
} attr_scan;

static int attr_cb(const rg_hist_entry *e, void *payload)
{
	attr_scan *s = payload;
	const char *base = strrchr(e->path, '/');
	git_blob *blob = NULL;

	if (e->is_tree)
		return !e->has_attrs;
	base = base ? base + 1 : e->path;
	if (strcmp(base, ".gitattributes") || RG_MODE_TYPE(e->mode) != 0100000)
		return 0;
	if (git_blob_lookup(&blob, s->a->ctx->repo, e->id) == 0) {
		const char *d = git_blob_rawcontent(blob);
		size_t n = (size_t)git_blob_rawsize(blob), i;

		for (i = 0; i + 10 <= n && !s->lfs; i++)
			s->lfs = !memcmp(d + i, "filter=lfs", 10);
		git_blob_free(blob);
	}
	git_error_clear();
	return s->lfs ? -100 : 0;
}

typedef struct {
	tree_sum *t;
	rg_changeset cs;
} lfs_scan;

static int lfs_cb(const rg_hist_entry *e, void *payload)
{
	lfs_scan *s = payload;
	rg_audit *a = s->t->a;
	const char *filter;
	git_blob *blob = NULL;
	int ok = 0;
	rg_buf fix = RG_BUF_INIT;
	rg_finding *f;

	if (e->is_tree)
		return tree_blocked_dir(a, e->path);
	if (RG_MODE_TYPE(e->mode) != 0100000 || !e->size_known)
		return 0;
	filter = rg_ctx_attr(a->ctx, &s->cs, e->path, "filter");
	if (!filter || strcmp(filter, "lfs"))
		return 0;
	if (e->size <= LFS_POINTER_MAX && git_blob_lookup(&blob, a->ctx->repo, e->id) == 0) {
		ok = rg_lfs_is_pointer(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
	}
	git_error_clear();
	if (ok)
		return 0;
	tree_in_clone(&fix, a);
	rg_buf_puts(&fix, "git lfs install && git rm --cached --quiet -- ");
	rg_buf_shquote(&fix, e->path);
	rg_buf_puts(&fix, " && git add -- ");
	rg_buf_shquote(&fix, e->path);
	rg_buf_puts(&fix, " && git commit -m 'Store it in Git LFS'");
	f = rg_findings_add(s->t->out, "lfs", a->lfs_sev, NULL, e->path, 0,
		"tracked by Git LFS (filter=lfs) but holds raw content, not an LFS pointer");
	rg_finding_set_detail(f, "git-lfs was not active when the file was committed, so the full "
		"file went into git's object database.");
	rg_finding_set_fix(f, fix.ptr);
	s->t->lfs++;
	rg_buf_dispose(&fix);
	return 0;
}

static int tree_lfs(tree_sum *t)
{
	rg_audit *a = t->a;
	attr_scan as = { a, 0 };
	lfs_scan ls;
	int r;
	rg_buf info = RG_BUF_INIT;
	FILE *fp;

	if (a->lfs_sev == RG_SEV_OFF || rg_audit_skipped(a, "lfs", NULL))
		return RG_OK;
	r = rg_hist_walk_commit_tree(&a->hist, a->hist.head, attr_cb, &as);
	if (r < 0 && r != -100)
		return r;
	rg_buf_printf(&info, "%sinfo/attributes", git_repository_commondir(a->ctx->repo));
	if (!as.lfs && (fp = fopen(info.ptr, "rb")) != NULL) {
		char line[4096];

		while (!as.lfs && fgets(line, sizeof(line), fp))
			as.lfs = strstr(line, "filter=lfs") != NULL;
		fclose(fp);
	}
	rg_buf_dispose(&info);
	if (!as.lfs)
		return RG_OK;
	memset(&ls, 0, sizeof(ls));
	ls.t = t;
	rg_changeset_init(&ls.cs);
	ls.cs.view.kind = RG_VIEW_TREE;
	if (git_tree_lookup(&ls.cs.view.tree, a->ctx->repo, &a->hist.commits[a->hist.head].tree) < 0) {
		git_error_clear();
		rg_changeset_free(&ls.cs);
		return RG_OK;
	}
	r = rg_hist_walk_commit_tree(&a->hist, a->hist.head, lfs_cb, &ls);
	rg_changeset_free(&ls.cs);
	return r < 0 ? r : RG_OK;
}

/* ---- protected paths --------------------------------------------------------- */

typedef struct {
	const rg_pattern *p;
	int sev;
	int found;
	char **linked;        /* a walked pattern's matches HEAD holds as a symbolic link or submodule */
	size_t nlinked, linked_alloc;
} protect_pat;

typedef struct {
	protect_pat *v;
	size_t n, alloc, left;
	size_t walked;        /* patterns whose links the walk looks for, to its end */
	rg_patlist *lists;    /* owns the patterns */
	size_t nlists, lists_alloc;
} protect_scan;

/*
 * Does the walk look for links in place of what pattern v protects? A
 * literal path is looked up (protect_replaced); a pattern (migrations/,
 * *.sql) is matched during the walk.
 */
static int protect_walked(const protect_pat *v)
{
	return !rg_audit_pattern_literal(v->p);
}

static int protect_cb(const rg_hist_entry *e, void *payload)
{
	protect_scan *s = payload;
	uint32_t type = RG_MODE_TYPE(e->mode);
	int link = !e->is_tree && (type == RG_MODE_GITLINK || type == RG_MODE_TYPE(0120000));
	size_t i;

	for (i = 0; i < s->n; i++) {
		protect_pat *v = &s->v[i];
		int want = protect_walked(v);
		rg_patlist one;

		if (v->found && !want)
			continue;
		one.v = (rg_pattern *)v->p;
		one.n = 1;
		/*
		 * A match held as a symbolic link or a submodule: the hooks
		 * refuse that in place of a protected folder's files (or a
		 * file), so it is kept to look for the commit that replaced them.
		 */
		if (want && link && rg_patlist_match1(&one, e->path, 1, NULL) == 1) {
			RG_GROW(v->linked, v->linked_alloc, v->nlinked + 1);
			v->linked[v->nlinked++] = rg_strdup(e->path);
		}
		if (!v->found && rg_patlist_match1(&one, e->path, e->is_tree || type == RG_MODE_GITLINK,
			NULL) == 1) {
			v->found = 1;
			s->left--;
		}
	}
	return s->left || s->walked ? 0 : -100;
}

/* The fix for a protected file taken away in commit hex: restore it from that commit's parent. */
static void protect_fix_restore(rg_buf *fix, rg_audit *a, const char *hex, const char *path)
{
	char *m = rg_printf("Restore %s", path);

	tree_in_clone(fix, a);
	rg_buf_printf(fix, "git checkout %.12s~1 -- ", hex);
	rg_buf_shquote(fix, path);
	rg_buf_puts(fix, " && git commit -m ");
	rg_buf_shquote(fix, m);
	free(m);
}

/* One protect finding of pattern p, at path; the buffers are taken. */
static void protect_add(tree_sum *t, const rg_pattern *p, const char *path, int sev, rg_buf *msg,
	rg_buf *detail, rg_buf *fix)
{
	rg_finding *f = rg_findings_add(t->out, "protect", sev, NULL, path, 0, msg->ptr);

	f->is_dir = (p->flags & RG_PAT_DIRONLY) != 0;
	rg_finding_set_detail(f, detail->ptr);
	rg_finding_set_fix(f, fix->ptr);
	t->protect++;
	rg_buf_dispose(msg);
	rg_buf_dispose(detail);
	rg_buf_dispose(fix);
}

static void protect_missing(tree_sum *t, const rg_pattern *p, int sev)
{
	rg_audit *a = t->a;
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT;
	/* a literal name without a slash (README.md) is looked for at the root, where it most often was */
	int literal = rg_audit_pattern_literal(p) ||
		(!(p->flags & RG_PAT_NEGATE) && rg_pattern_is_literal(p->pattern));
	uint32_t del = literal && a->history ? rg_audit_deleted_in(a, p->pattern) : RG_HIST_NONE;

	rg_buf_printf(&detail, "protected by '%s' (%s:%d)", p->orig, p->file, p->line);
	if (del != RG_HIST_NONE) {
		char hex[GIT_OID_HEXSZ + 1];

		rg_buf_puts(&msg, "protected, missing at HEAD: deleted in ");
		rg_audit_commit_desc(&msg, a, del);
		rg_audit_commit_hex(hex, a, del);
		protect_fix_restore(&fix, a, hex, p->pattern);
	} else {
		rg_buf_puts(&msg, "protected, but nothing at HEAD matches it");
		if (literal && !a->history)
			rg_buf_puts(&detail, "; run 'repoguard audit --history' to find the commit that deleted it");
		rg_buf_printf(&fix, "restore it, or correct the pattern at %s:%d", p->file, p->line);
	}
	protect_add(t, p, p->pattern, sev, &msg, &detail, &fix);
}

/* The type (RG_MODE_TYPE) of path in commit c's tree, or 0 when it has none. */
static uint32_t protect_type_in(git_commit *c, const char *path)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	uint32_t type = 0;

	if (git_commit_tree(&tree, c) == 0 && git_tree_entry_bypath(&e, tree, path) == 0)
		type = RG_MODE_TYPE((uint32_t)git_tree_entry_filemode(e));
	git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(tree);
	return type;
}

#define PROTECT_WALK_MAX 100000

/*
 * A protected path (a literal one, or a folder pattern's match) that HEAD
 * holds as a symbolic link or a submodule, which the hooks refuse in place
 * of a file or folder ("replaced by a symbolic link"): the commit of HEAD's
 * first-parent line that replaced the file or folder, into hex (*old: what
 * it was, RG_MODE_TYPE), and 1; 0
 * when it was one all along (or the history that would say is not here: a
 * shallow clone).
 */
static int protect_replaced(char *hex, uint32_t *type, uint32_t *old, rg_audit *a, const char *path)
{
	git_commit *c = NULL, *p = NULL;
	uint32_t t;
	size_t n;
	int found = 0;

	if (git_commit_lookup(&c, a->hist.repo, &a->hist.commits[a->hist.head].id) < 0) {
		git_error_clear();
		return 0;
	}
	*type = protect_type_in(c, path);
	if (*type != RG_MODE_TYPE(0120000) && *type != RG_MODE_TYPE(0160000))
		goto out;
	for (n = 0; n < PROTECT_WALK_MAX && git_commit_parent(&p, c, 0) == 0; n++) {
		t = protect_type_in(p, path);
		if (t && t != *type && t != RG_MODE_TYPE(0160000) && t != RG_MODE_TYPE(0120000)) {
			git_oid_tostr(hex, GIT_OID_HEXSZ + 1, git_commit_id(c));
			*old = t;
			found = 1;
			break;
		}
		git_commit_free(c);
		c = p;
		p = NULL;
		if (!t)
			break; /* added as one: no file was replaced on this line */
	}
	git_error_clear();
out:
	git_commit_free(p);
	git_commit_free(c);
	return found;
}

/* Reports path (protected by p) when a commit replaced it by a link or submodule; returns 1 then. */
static int protect_replaced_report(tree_sum *t, const rg_pattern *p, const char *path, int sev)
{
	rg_audit *a = t->a;
	char hex[GIT_OID_HEXSZ + 1];
	uint32_t type = 0, old = 0;
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT;

	if (!protect_replaced(hex, &type, &old, a, path))
		return 0;
	rg_buf_printf(&msg, "protected, and replaced by a %s in %.10s: HEAD has no %s there",
		type == RG_MODE_TYPE(0120000) ? "symbolic link" : "submodule", hex,
		old == RG_MODE_TYPE(0040000) ? "folder" : "file");
	rg_buf_printf(&detail, "protected by '%s' (%s:%d)", p->orig, p->file, p->line);
	protect_fix_restore(&fix, a, hex, path);
	protect_add(t, p, path, sev, &msg, &detail, &fix);
	return 1;
}

/* Every non-negated [protect] / [protect.NAME] paths pattern whose rule is on. */
static void protect_collect(protect_scan *s, rg_conf *conf)
{
	char **v[2];
	size_t k, i, j;

	v[0] = rg_conf_sections(conf, "protect", 0);
	v[1] = rg_conf_sections(conf, "protect", 1);
	for (k = 0; k < 2; k++) {
		for (i = 0; v[k][i]; i++) {
			int sev = rg_conf_severity(conf, v[k][i], RG_SEV_ERROR);
			rg_patlist *l;

			if (sev == RG_SEV_OFF)
				continue;
			RG_GROW(s->lists, s->lists_alloc, s->nlists + 1);
			l = &s->lists[s->nlists++];
			memset(l, 0, sizeof(*l));
			rg_conf_patterns(l, conf, v[k][i], "paths");
			for (j = 0; j < l->n; j++) {
				if (l->v[j].flags & RG_PAT_NEGATE)
					continue;
				RG_GROW(s->v, s->alloc, s->n + 1);
				s->v[s->n].p = &l->v[j];
				s->v[s->n].sev = sev;
				s->v[s->n].found = 0;
				s->v[s->n].linked = NULL;
				s->v[s->n].nlinked = s->v[s->n].linked_alloc = 0;
				s->n++;
			}
		}
		rg_strv_free(v[k]);
	}
}

static int tree_protect(tree_sum *t)
{
	rg_audit *a = t->a;
	protect_scan s;
	size_t i, j;
	int r = RG_OK;

	memset(&s, 0, sizeof(s));
	protect_collect(&s, a->ctx->conf);
	if (s.n && rg_audit_skipped(a, "protect", NULL))
		s.n = 0;
	for (i = 0; i < s.n; i++) {
		if (rg_audit_pattern_literal(s.v[i].p))
			s.v[i].found = rg_hist_commit_has_path(&a->hist, a->hist.head, s.v[i].p->pattern) == 1;
		s.left += !s.v[i].found;
		s.walked += protect_walked(&s.v[i]);
	}
	/* patterns with wildcards: one walk of HEAD's tree, until all are found */
	if (s.left || s.walked) {
		r = rg_hist_walk_commit_tree(&a->hist, a->hist.head, protect_cb, &s);
		r = r == -100 ? RG_OK : r;
	}
	/* a path that never existed is a configuration problem: the config section says so */
	for (i = 0; i < s.n && r >= 0; i++) {
		int replaced = 0;

		for (j = 0; j < s.v[i].nlinked; j++)
			replaced |= protect_replaced_report(t, s.v[i].p, s.v[i].linked[j], s.v[i].sev);
		if (replaced)
			continue;
		if (!s.v[i].found && !rg_audit_protect_never(a, s.v[i].p))
			protect_missing(t, s.v[i].p, s.v[i].sev);
		else if (s.v[i].found && rg_audit_pattern_literal(s.v[i].p))
			protect_replaced_report(t, s.v[i].p, s.v[i].p->pattern, s.v[i].sev);
	}
	for (i = 0; i < s.n; i++) {
		for (j = 0; j < s.v[i].nlinked; j++)
			free(s.v[i].linked[j]);
		free(s.v[i].linked);
	}
	for (i = 0; i < s.nlists; i++)
		rg_patlist_free(&s.lists[i]);
	free(s.lists);
	free(s.v);
	return r;
}

static void tree_part(rg_buf *v, size_t *parts, size_t n, const char *one, const char *many)
{
	if (n)
		rg_buf_printf(v, "%s%zu %s", (*parts)++ ? ", " : "", n, n == 1 ? one : many);
}

static void tree_verdict(rg_buf *v, const tree_sum *t, const rg_audit *a)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t parts = 0;

	rg_audit_commit_hex(hex, a, a->hist.head);
	rg_buf_printf(v, "HEAD %.10s: ", hex);
	if (!t->blocked && !t->secrets && !t->large && !t->lfs && !t->protect) {
		rg_buf_puts(v, a->hist.tree_missing ? "nothing found, but a tree is missing" : "clean");
		return;
	}
	if (t->blocked) {
		rg_buf_printf(v, "%zu blocked path%s tracked (", t->blocked, t->blocked == 1 ? "" : "s");
		rg_audit_files_bytes(v, t->blocked_files, t->blocked_bytes, t->blocked_unknown);
		rg_buf_putc(v, ')');
		parts++;
	}
	tree_part(v, &parts, t->secrets, "secret-looking file", "secret-looking files");
	tree_part(v, &parts, t->large, "file over max_file_size", "files over max_file_size");
	tree_part(v, &parts, t->lfs, "LFS path with raw content", "LFS paths with raw content");
	tree_part(v, &parts, t->protect, "protected path missing", "protected paths missing");
}

static int tree_run(rg_findings *out, rg_audit *a, rg_buf *verdict)
{
	tree_sum t;
	int r;

	memset(&t, 0, sizeof(t));
	t.a = a;
	t.out = out;
	if (a->hist.head == RG_HIST_NONE) {
		rg_buf_puts(verdict, "HEAD is unborn: nothing committed yet");
		return RG_OK;
	}
	tree_blocked(&t);
	tree_secrets(&t);
	if (a->max_file_size && !rg_audit_skipped(a, "size", NULL))
		r = rg_hist_walk_commit_tree(&a->hist, a->hist.head, large_cb, &t);
	else
		r = RG_OK;
	if (r >= 0)
		r = tree_lfs(&t);
	if (r >= 0)
		r = tree_protect(&t);
	if (r < 0)
		return r;
	tree_verdict(verdict, &t, a);
	return RG_OK;
}

const rg_audit_section rg_audit_section_tree = { "tree", tree_run };
