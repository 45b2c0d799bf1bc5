/*
 * rule-protect.c: files that must not be deleted or renamed away, and a
 * limit on deletions per commit, overall ([protect] max_deleted_files) or
 * under some paths ([protect.NAME] under = ..., max_deleted_files = N).
 *
 * In ranges each commit is checked against its first parent, which misses a
 * protected file a fast-forward still removes (a merge made with -s ours keeps
 * its first parent's tree, and the branch it is pushed to loses what the other
 * side had). finish compares each fast-forward update's old tip with its new
 * tip (rg_update_net) and reports a protected path the update loses that no
 * commit of the range was reported for. The deletion limit stays per commit:
 * a range's net deletions are many small commits' by design.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/rule.h"
#include "repoguard/updates.h"

static const char *const protect_keys[] = { "paths", "max_deleted_files", "under", "message", NULL };
static const rg_section_spec protect_section = {
	"protect", RG_SEC_PLAIN | RG_SEC_NAMED, protect_keys
};
static const rg_section_spec *const protect_sections[] = { &protect_section, NULL };

typedef struct {
	char *section;
	rg_patlist paths;    /* must not be deleted */
	rg_patlist under;    /* deletion limit scope (empty: everywhere) */
	int64_t max_deleted; /* -1: no limit */
	char *message;
	int severity;
	char *anchor;        /* the repository's rules file that set max_deleted_files, or NULL */
	int anchor_line;
} protect_set;

typedef struct {
	protect_set *v;
	size_t n;
	int any_paths;       /* some set has paths (else finish has nothing to compare) */
	char **reported;     /* protected paths a commit was reported for */
	size_t nreported, reported_alloc;
} protect_state;

static void protect_set_free(protect_set *p)
{
	free(p->section);
	free(p->message);
	free(p->anchor);
	rg_patlist_free(&p->paths);
	rg_patlist_free(&p->under);
	memset(p, 0, sizeof(*p));
}

static void protect_free(void *state)
{
	protect_state *s = state;
	size_t i;

	for (i = 0; i < s->n; i++)
		protect_set_free(&s->v[i]);
	for (i = 0; i < s->nreported; i++)
		free(s->reported[i]);
	free(s->reported);
	free(s->v);
	free(s);
}

/*
 * A named set is all its own: with neither paths nor a limit it guards
 * nothing, which a reader of the file would not guess. under= only scopes
 * the limit, in any set.
 */
static void protect_check_set(rg_conf *conf, const protect_set *p, int named)
{
	rg_conf_entry at;
	const rg_conf_entry *paths = rg_conf_get(conf, p->section, "paths");

	/* paths= or max_deleted_files= written but bad is reported for its value, not as missing too */
	if (named && !p->paths.n && p->max_deleted < 0 && !(paths && *paths->value) &&
	    !rg_conf_get(conf, p->section, "max_deleted_files"))
		rg_conf_error(conf, rg_conf_section_at(&at, conf, p->section),
			"[%s] protects nothing: give it paths= or max_deleted_files=", p->section);
	else if (p->under.n && p->max_deleted < 0)
		rg_conf_error(conf, rg_conf_get(conf, p->section, "under"),
			"[%s] under= has no effect without max_deleted_files=", p->section);
}

/* Read [section] into p; its keys are checked even when it is off, as other rules' are. */
static void protect_set_load(protect_set *p, rg_conf *conf, const char *section, int named)
{
	const char *msg;

	p->severity = rg_conf_severity(conf, section, RG_SEV_ERROR);
	p->section = rg_strdup(section);
	rg_conf_patterns(&p->paths, conf, section, "paths");
	rg_conf_patterns(&p->under, conf, section, "under");
	p->max_deleted = rg_conf_int(conf, section, "max_deleted_files", -1);
	{
		const char *file = rg_conf_repo_anchor(&p->anchor_line, conf, section, "max_deleted_files");

		p->anchor = file ? rg_strdup(file) : NULL;
	}
	msg = rg_conf_str(conf, section, "message", NULL);
	p->message = msg ? rg_strdup(msg) : NULL;
	if (p->severity != RG_SEV_OFF)
		protect_check_set(conf, p, named);
}

static int protect_configure(void **state, rg_conf *conf)
{
	protect_state *s = rg_calloc(1, sizeof(*s));
	char **plain = rg_conf_sections(conf, "protect", 0);
	char **named = rg_conf_sections(conf, "protect", 1);
	size_t np = 0, nn = 0, i;
	char **all;

	while (plain[np]) np++;
	while (named[nn]) nn++;
	all = rg_calloc(np + nn + 1, sizeof(*all));
	memcpy(all, plain, np * sizeof(*all));
	memcpy(all + np, named, nn * sizeof(*all));
	s->v = rg_calloc(np + nn + 1, sizeof(*s->v));
	for (i = 0; i < np + nn; i++) {
		protect_set *p = &s->v[s->n];

		protect_set_load(p, conf, all[i], i >= np);
		if (p->severity == RG_SEV_OFF) {
			protect_set_free(p);
			continue;
		}
		s->any_paths |= p->paths.n > 0;
		s->n++;
	}
	free(all);
	rg_strv_free(plain);
	rg_strv_free(named);
	if (!s->n) {
		protect_free(s);
		return RG_OK;
	}
	*state = s;
	return RG_OK;
}

/* One finding on path; the buffers are disposed. */
static void protect_add(rg_findings *out, const rg_changeset *cs, const protect_set *p, const char *path,
	rg_buf *msg, rg_buf *detail, rg_buf *fix)
{
	rg_finding *f = rg_findings_add(out, "protect", p->severity, rg_short_id(cs), path, 0, msg->ptr);

	rg_finding_set_detail(f, detail->ptr);
	rg_finding_set_fix(f, fix->ptr);
	rg_buf_dispose(msg);
	rg_buf_dispose(fix);
	rg_buf_dispose(detail);
}

/*
 * Does d take the protected content away: a deletion, a rename away, or a
 * file replaced by a symbolic link or a submodule (its bytes are gone as
 * surely, though git calls it a type change)?
 */
static int protect_loses(const rg_delta *d)
{
	return rg_delta_removes(d) || (d->status == RG_DELTA_TYPECHANGE &&
		rg_mode_is_file(d->old_mode) && !rg_mode_is_file(d->new_mode));
}

static void protect_one(rg_findings *out, const rg_changeset *cs, const protect_set *p,
	const rg_delta *d, const rg_pattern *by)
{
	rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT, detail = RG_BUF_INIT;

	if (d->status == RG_DELTA_RENAMED)
		rg_buf_printf(&msg, "protected, and renamed away (to %s)", d->new_path);
	else if (d->status == RG_DELTA_TYPECHANGE)
		rg_buf_printf(&msg, "protected, and replaced by a %s",
			rg_mode_is_gitlink(d->new_mode) ? "submodule" : "symbolic link");
	else
		rg_buf_puts(&msg, "protected, must not be deleted");
	rg_buf_printf(&detail, "%s%sprotected by '%s' (%s:%d)", p->message ? p->message : "",
		p->message ? "; " : "", by->orig, by->file, by->line);
	if (!cs->has_commit && d->status == RG_DELTA_RENAMED) {
		/* restoring the old path alone would leave the new one staged: a copy, not an undo */
		const char *slash = strrchr(d->old_path, '/');

		if (slash) {
			/* git mv does not make the directory a directory rename took away */
			char *dir = rg_strndup(d->old_path, (size_t)(slash - d->old_path));

			rg_buf_puts(&fix, "mkdir -p -- ");
			rg_buf_shquote(&fix, dir);
			rg_buf_puts(&fix, " && ");
			free(dir);
		}
		rg_buf_puts(&fix, "git mv -- ");
		rg_buf_shquote(&fix, d->new_path);
		rg_buf_putc(&fix, ' ');
		rg_buf_shquote(&fix, d->old_path);
	} else if (!cs->has_commit) {
		/* the commit the index was compared with: HEAD's parent when amending */
		rg_buf_printf(&fix, "git restore --staged --worktree --source=%s -- ",
			cs->old_rev[0] ? cs->old_rev : "HEAD");
		rg_buf_shquote(&fix, d->old_path);
	} else {
		/* a later commit restoring it leaves this one in the range: edit it */
		rg_fix_rebase_edit(&fix, cs->commit_hex, cs->is_root);
		rg_buf_printf(&fix, ", then:\ngit checkout %.12s~1 -- ", cs->commit_hex);
		rg_buf_shquote(&fix, d->old_path);
		rg_fix_amend_continue(&fix);
	}
	protect_add(out, cs, p, d->old_path, &msg, &detail, &fix);
}

static void protect_limit(rg_findings *out, const rg_changeset *cs, const protect_set *p, size_t deleted,
	const char *first)
{
	rg_buf msg = RG_BUF_INIT;
	rg_finding *f;

	rg_buf_printf(&msg, "%zu files deleted in one commit%s%s, over the limit of %lld (max_deleted_files in [%s])",
		deleted, p->under.n ? " under " : "", p->under.n ? p->under.v[0].orig : "",
		(long long)p->max_deleted, p->section);
	f = rg_findings_add(out, "protect", p->severity, rg_short_id(cs), NULL, 0, msg.ptr);
	rg_finding_set_detail(f, p->message ? p->message :
		"Mass deletions are easy to make by accident and hard to review; remove files in smaller commits.");
	/* SARIF and GitHub point it at where the limit was set, else at the first file it counts */
	rg_finding_set_anchor(f, p->anchor ? p->anchor : first, p->anchor ? p->anchor_line : 0);
	rg_finding_set_fix(f, cs->has_commit ? "split the deletion into smaller commits" :
		"git restore --staged -- <path>   # unstage some deletions, commit them separately");
	rg_buf_dispose(&msg);
}

static int protect_reported(const protect_state *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->nreported; i++)
		if (!strcmp(s->reported[i], path))
			return 1;
	return 0;
}

static int protect_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	protect_state *s = state;
	size_t i, j;

	RG_UNUSED(ctx);
	for (j = 0; j < s->n; j++) {
		const protect_set *p = &s->v[j];
		size_t deleted = 0;
		const char *first = NULL;

		for (i = 0; i < cs->n; i++) {
			const rg_delta *d = &cs->v[i];
			const rg_pattern *by = NULL;

			if (!protect_loses(d))
				continue;
			if (p->paths.n && rg_patlist_match(&p->paths, d->old_path, 0, NULL, &by)) {
				protect_one(out, cs, p, d, by);
				if (cs->has_commit && !protect_reported(s, d->old_path)) {
					RG_GROW(s->reported, s->reported_alloc, s->nreported + 1);
					s->reported[s->nreported++] = rg_strdup(d->old_path);
				}
			}
			if (d->status == RG_DELTA_DELETED &&
			    (!p->under.n || rg_patlist_match(&p->under, d->old_path, 0, NULL, NULL)) &&
			    !deleted++)
				first = d->old_path;
		}
		if (p->max_deleted >= 0 && deleted > (size_t)p->max_deleted)
			protect_limit(out, cs, p, deleted, first);
	}
	return RG_OK;
}

typedef struct {
	rg_findings *out;
	const protect_state *s;
	const rg_update *u;
} protect_net;

/* A protected path the update as a whole removes, though no commit did. */
static void protect_lost(rg_findings *out, const rg_changeset *cs, const rg_update *u,
	const protect_set *p, const rg_delta *d, const rg_pattern *by)
{
	rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT, detail = RG_BUF_INIT;
	char old[GIT_OID_HEXSZ + 1];

	git_oid_tostr(old, sizeof(old), &u->old_id);
	rg_buf_printf(&msg, "protected, and gone from %s: at its old tip %.12s, not at the new tip %.12s, "
		"though no commit this update brings deletes it", u->ref, old, cs->commit_hex);
	rg_buf_printf(&detail, "%s%sprotected by '%s' (%s:%d). Every commit keeps it against its first parent, "
		"but the update as a whole removes it: a merge that kept one side's tree (git merge -s ours) "
		"or resolved the file away drops what the other side had, as does a fast-forward to commits "
		"that were checked on another branch.",
		p->message ? p->message : "", p->message ? "; " : "", by->orig, by->file, by->line);
	rg_buf_printf(&fix, "git checkout %.12s -- ", old);
	rg_buf_shquote(&fix, d->old_path);
	rg_buf_printf(&fix, " && git commit   # on top of %.12s", cs->commit_hex);
	protect_add(out, cs, p, d->old_path, &msg, &detail, &fix);
}

static int protect_net_check(rg_changeset *cs, void *payload)
{
	protect_net *n = payload;
	size_t i, j;

	for (i = 0; i < cs->n; i++) {
		const rg_delta *d = &cs->v[i];

		if (!protect_loses(d) || protect_reported(n->s, d->old_path))
			continue;
		for (j = 0; j < n->s->n; j++) {
			const protect_set *p = &n->s->v[j];
			const rg_pattern *by = NULL;

			if (p->paths.n && rg_patlist_match(&p->paths, d->old_path, 0, NULL, &by))
				protect_lost(n->out, cs, n->u, p, d, by);
		}
	}
	return RG_OK;
}

static int protect_finish(rg_findings *out, rg_ctx *ctx, void *state)
{
	protect_state *s = state;
	protect_net n;
	size_t i;
	int r = RG_OK;

	if (!s->any_paths)
		return RG_OK;
	n.out = out;
	n.s = s;
	for (i = 0; i < ctx->nupdates && r == RG_OK; i++) {
		n.u = &ctx->updates[i];
		r = rg_update_net(ctx, n.u, protect_net_check, &n);
	}
	return r;
}

const rg_rule rg_rule_protect = {
	.id = "protect",
	.summary = "protected paths must not be deleted or renamed away; deletion limits",
	.sections = protect_sections,
	.modes = RG_MODE_ALL & ~RG_MODE_COMMIT_MSG,
	.configure = protect_configure,
	.check = protect_check,
	.finish = protect_finish,
	.free_state = protect_free,
};
