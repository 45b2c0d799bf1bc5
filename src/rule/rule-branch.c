/*
 * rule-branch.c: branch protection. On the branches named by
 * [branch] protected (glob patterns on the short name, '*' within one
 * path component, '**' across), refuse direct commits (pre-commit), and
 * pushes that delete the branch or rewrite it (non-fast-forward) in
 * pre-push and pre-receive; allow_force lists the protected branches
 * that may still be force-pushed.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/glob.h"
#include "repoguard/rule.h"
#include "repoguard/updates.h"

static const char *const branch_keys[] = { "protected", "allow_force", NULL };
static const rg_section_spec branch_section = { "branch", RG_SEC_PLAIN, branch_keys };
static const rg_section_spec *const branch_sections[] = { &branch_section, NULL };

#define BRANCH_PREFIX "refs/heads/"

typedef struct {
	char **protected;
	char **allow_force;
	int severity;
} branch_state;

static void branch_free(void *state)
{
	branch_state *s = state;

	rg_strv_free(s->protected);
	rg_strv_free(s->allow_force);
	free(s);
}

static int branch_configure(void **state, rg_conf *conf)
{
	branch_state *s = rg_calloc(1, sizeof(*s));

	s->severity = rg_conf_severity(conf, "branch", RG_SEV_ERROR);
	s->protected = rg_conf_globs(conf, "branch", "protected");
	s->allow_force = rg_conf_globs(conf, "branch", "allow_force");
	if (s->severity == RG_SEV_OFF || !s->protected[0]) {
		branch_free(s);
		return RG_OK;
	}
	*state = s;
	return RG_OK;
}

/* The first pattern of v matching the branch name, or NULL. */
static const char *branch_match(char **v, const char *name)
{
	for (; v && *v; v++)
		if (rg_wildmatch(*v, name, RG_WM_PATHNAME) == 0)
			return *v;
	return NULL;
}

static void branch_report(rg_findings *out, const branch_state *s, const char *name,
	const char *pattern, const char *what, const char *fix)
{
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT;
	rg_finding *f;

	rg_buf_printf(&msg, "%s protected branch '%s'", what, name);
	rg_buf_printf(&detail, "'%s' matches '%s' in [branch] protected: changes reach it through "
		"reviewed merges, not directly.", name, pattern);
	f = rg_findings_add(out, "branch", s->severity, NULL, NULL, 0, msg.ptr);
	rg_finding_set_detail(f, detail.ptr);
	rg_finding_set_fix(f, fix);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&detail);
}

static void branch_commit(rg_findings *out, rg_ctx *ctx, const branch_state *s)
{
	const char *p = ctx->branch ? branch_match(s->protected, ctx->branch) : NULL;
	rg_buf fix = RG_BUF_INIT;

	if (!p)
		return;
	rg_buf_puts(&fix, "git switch -c my-change   # commit there, push it, open a pull request");
	branch_report(out, s, ctx->branch, p, "direct commit on", fix.ptr);
	rg_buf_dispose(&fix);
}

static void branch_push(rg_findings *out, const rg_update *u, const branch_state *s)
{
	const char *name, *p;
	rg_buf fix = RG_BUF_INIT;

	if (!u->ref || !rg_str_startswith(u->ref, BRANCH_PREFIX))
		return;
	name = u->ref + strlen(BRANCH_PREFIX);
	if (!(p = branch_match(s->protected, name)))
		return;
	if (rg_update_is_delete(u)) {
		rg_buf_printf(&fix, "do not delete %s; ask the repository's administrators if it must go", name);
		branch_report(out, s, name, p, "deleting", fix.ptr);
	} else if (u->forced && !branch_match(s->allow_force, name)) {
		rg_buf_printf(&fix, "git pull --rebase origin %s   # build on what is there, then push without --force\n"
			"or push to a new branch and open a pull request", name);
		branch_report(out, s, name, p, "non-fast-forward push (history rewrite) to", fix.ptr);
	}
	rg_buf_dispose(&fix);
}

static int branch_finish(rg_findings *out, rg_ctx *ctx, void *state)
{
	branch_state *s = state;
	size_t i;

	if (ctx->mode & RG_MODE_PRE_COMMIT)
		branch_commit(out, ctx, s);
	if (ctx->mode & (RG_MODE_PRE_PUSH | RG_MODE_PRE_RECEIVE))
		for (i = 0; i < ctx->nupdates; i++)
			branch_push(out, &ctx->updates[i], s);
	return RG_OK;
}

const rg_rule rg_rule_branch = {
	.id = "branch",
	.summary = "protected branches: no direct commits, deletions or force pushes",
	.sections = branch_sections,
	.modes = RG_MODE_PRE_COMMIT | RG_MODE_PRE_PUSH | RG_MODE_PRE_RECEIVE,
	.configure = branch_configure,
	.finish = branch_finish,
	.free_state = branch_free,
};
