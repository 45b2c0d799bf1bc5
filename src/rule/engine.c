/* engine.c: configure every rule once, run them over change sets. */
#include <stdlib.h>
#include <string.h>

#include "repoguard/audit.h"
#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/rule.h"

static const char *const engine_keys[] = { "defaults", NULL };
static const rg_section_spec engine_section = { "repoguard", RG_SEC_PLAIN | RG_SEC_NO_SEVERITY, engine_keys };

void rg_rules_validate(rg_conf *conf)
{
	const rg_section_spec **specs = NULL;
	size_t n = 0, alloc = 0, i;

	RG_GROW(specs, alloc, n + 1);
	specs[n++] = &engine_section;
	RG_GROW(specs, alloc, n + 1);
	specs[n++] = &rg_audit_spec; /* settings of `repoguard audit` */
	for (i = 0; i < rg_rules_count; i++) {
		const rg_section_spec *const *s;

		for (s = rg_rules[i]->sections; s && *s; s++) {
			size_t j;
			int dup = 0;

			for (j = 0; j < n && !dup; j++)
				dup = specs[j] == *s;
			if (dup)
				continue;
			RG_GROW(specs, alloc, n + 1);
			specs[n++] = *s;
		}
	}
	rg_conf_validate(conf, (const rg_section_spec *const *)specs, n);
	free(specs);
}

int rg_rules_configure(void ***out, rg_conf *conf)
{
	void **states = rg_calloc(rg_rules_count, sizeof(void *));
	size_t i;

	for (i = 0; i < rg_rules_count; i++) {
		const rg_rule *r = rg_rules[i];

		if (r->configure && r->configure(&states[i], conf) < 0 && !conf->nerrors)
			rg_conf_error(conf, NULL, "rule %s: %s", r->id, rg_error_last());
	}
	rg_audit_conf_check(conf); /* [audit]: checked wherever the rules are, as the audit reads it */
	*out = states;
	return conf->nerrors ? RG_ECONFIG : RG_OK;
}

void rg_rules_free(void **states)
{
	size_t i;

	if (!states)
		return;
	for (i = 0; i < rg_rules_count; i++)
		if (states[i] && rg_rules[i]->free_state)
			rg_rules[i]->free_state(states[i]);
	free(states);
}

int rg_engine_configure(rg_ctx *ctx)
{
	return rg_rules_configure(&ctx->rule_state, ctx->conf);
}

static int engine_runs(const rg_ctx *ctx, size_t i)
{
	const rg_rule *r = rg_rules[i];

	return ctx->rule_state[i] && (r->modes & ctx->mode) && !rg_ctx_skipped(ctx, r->id);
}

/*
 * Every rule's check, each into its own list: those marked after_reads run
 * last. The lists are then taken into out in table order.
 */
/*
 * A ref pointing at a tree or a blob has no commit to rewrite: its findings
 * name the ref (REF:path, as git names a path in a tree-ish), and the fix is
 * the ref's, whatever the rule would have a commit or the index do.
 */
static void engine_tag_target(rg_findings *f, const rg_changeset *cs)
{
	int tag = rg_str_startswith(cs->ref, "refs/tags/");
	rg_buf fix = RG_BUF_INIT;
	size_t i;

	rg_buf_puts(&fix, tag ? "git tag -d " : "git update-ref -d ");
	rg_buf_shquote(&fix, tag ? cs->ref + strlen("refs/tags/") : cs->ref);
	rg_buf_puts(&fix, "   # it points at a tree or blob holding this, not at a commit\n");
	rg_buf_puts(&fix, "git push origin :");
	rg_buf_shquote(&fix, cs->ref);
	rg_buf_puts(&fix, "   # only if it reached the remote already");
	for (i = 0; i < f->n; i++) {
		rg_finding *x = &f->v[i];

		if (x->path && strcmp(x->path, cs->ref)) {
			char *p = rg_printf("%s:%s", cs->ref, x->path);

			free(x->path);
			x->path = p;
		}
		rg_finding_set_fix(x, fix.ptr);
	}
	rg_buf_dispose(&fix);
}

/*
 * A finding about no path that its rule did not anchor (a protected branch,
 * a checkpoint overdue, a commit message) is anchored where the repository's
 * own rules file sets the rule: its key, else its [section]. Reports that
 * need a file point there (rg_report_file), not at a file that may not exist.
 */
static void engine_anchor(rg_findings *f, size_t from, const rg_ctx *ctx, const char *id)
{
	static const struct {
		const char *id, *key;
	} keys[] = {
		{ "branch", "protected" }, { "checkpoint", "every" }, { "commit-msg", "pattern" },
	};
	const char *key = NULL, *file;
	size_t i;
	int line;

	for (i = from; i < f->n && (f->v[i].path || f->v[i].anchor); i++)
		;
	if (i == f->n || !ctx->conf)
		return;
	for (i = 0; i < RG_ARRAY_SIZE(keys); i++)
		if (!strcmp(keys[i].id, id))
			key = keys[i].key;
	if ((file = rg_conf_repo_anchor(&line, ctx->conf, id, key)) == NULL)
		return;
	for (i = from; i < f->n; i++)
		if (!f->v[i].path && !f->v[i].anchor)
			rg_finding_set_anchor(&f->v[i], file, line);
}

int rg_engine_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs)
{
	rg_findings *each = rg_calloc(rg_rules_count, sizeof(*each));
	size_t i;
	int late, r = RG_OK;

	for (late = 0; late < 2 && r >= 0; late++)
		for (i = 0; i < rg_rules_count && r >= 0; i++)
			if (engine_runs(ctx, i) && rg_rules[i]->check && !rg_rules[i]->after_reads == !late)
				r = rg_rules[i]->check(&each[i], ctx, cs, ctx->rule_state[i]);
	for (i = 0; i < rg_rules_count; i++) {
		if (cs->tag_target && cs->ref)
			engine_tag_target(&each[i], cs);
		engine_anchor(&each[i], 0, ctx, rg_rules[i]->id);
		rg_findings_take(out, &each[i]); /* what was found before an error too, as before */
	}
	free(each);
	return r < 0 ? r : RG_OK;
}

/*
 * What REPOGUARD_SKIP can name: "all", a rule id, and the ids of parts of
 * rules that are skipped on their own: a [content.NAME] or [cochange.NAME]
 * section of this configuration, a built-in secrets.ID.
 */
static int engine_rule_known(const char *name)
{
	size_t i;

	for (i = 0; i < rg_rules_count; i++)
		if (!strcmp(rg_rules[i]->id, name))
			return 1;
	return 0;
}

static int engine_skip_known(const rg_ctx *ctx, const char *name, const char *const *extra)
{
	if (!strcmp(name, "all") || engine_rule_known(name))
		return 1;
	for (; extra && *extra; extra++)
		if (!strcmp(*extra, name))
			return 1;
	if (rg_str_startswith(name, "secrets."))
		return rg_secrets_builtin_known(name + strlen("secrets."));
	if (ctx->conf && (rg_str_startswith(name, "content.") || rg_str_startswith(name, "cochange.")))
		return rg_conf_has_section(ctx->conf, name);
	return 0;
}

void rg_engine_skip_notes(rg_findings *out, rg_ctx *ctx, const char *const *extra)
{
	rg_buf bad = RG_BUF_INIT, ids = RG_BUF_INIT, own = RG_BUF_INIT;
	const char *const *x;
	char **p;
	size_t i, n = 0;

	if (ctx->skip_noted)
		return;
	ctx->skip_noted = 1;
	for (p = ctx->skip; p && *p; p++) {
		if (engine_skip_known(ctx, *p, extra))
			continue;
		rg_buf_printf(&bad, "%s'%s'", bad.len ? ", " : "", *p);
		n++;
	}
	if (n) {
		for (i = 0; i < rg_rules_count; i++)
			rg_buf_printf(&ids, "%s%s", i ? ", " : "", rg_rules[i]->id);
		/* the command's own names, those that are no rule id */
		for (x = extra, i = 0; x && *x; x++) {
			if (engine_rule_known(*x))
				continue;
			rg_buf_printf(&own, "%s%s", i++ ? ", " : ", a name of this command's own (", *x);
		}
		if (own.len)
			rg_buf_putc(&own, ')');
		rg_findings_info(out, "REPOGUARD_SKIP: unknown %s %s, which %s nothing (misspelt?); "
			"REPOGUARD_SKIP takes all, a rule id (%s)%s, content.NAME or cochange.NAME of a "
			"configured section, or a built-in secrets.ID (see 'repoguard help')",
			n == 1 ? "name" : "names", bad.ptr, n == 1 ? "skips" : "skip", ids.ptr,
			rg_buf_cstr(&own));
	}
	rg_buf_dispose(&bad);
	rg_buf_dispose(&ids);
	rg_buf_dispose(&own);
}

int rg_engine_finish(rg_findings *out, rg_ctx *ctx)
{
	size_t i, from;
	int r;
	rg_buf skipped = RG_BUF_INIT;

	for (i = 0; i < rg_rules_count; i++) {
		if (ctx->rule_state[i] && rg_ctx_skipped(ctx, rg_rules[i]->id))
			rg_buf_printf(&skipped, "%s%s", skipped.len ? ", " : "", rg_rules[i]->id);
		if (!engine_runs(ctx, i) || !rg_rules[i]->finish)
			continue;
		from = out->n;
		r = rg_rules[i]->finish(out, ctx, ctx->rule_state[i]);
		engine_anchor(out, from, ctx, rg_rules[i]->id);
		if (r < 0) {
			rg_buf_dispose(&skipped);
			return r;
		}
	}
	if (skipped.len)
		rg_findings_info(out, "skipped by REPOGUARD_SKIP: %s", skipped.ptr);
	rg_buf_dispose(&skipped);
	rg_engine_skip_notes(out, ctx, NULL);
	return RG_OK;
}

void rg_engine_free(rg_ctx *ctx)
{
	rg_rules_free(ctx->rule_state);
	ctx->rule_state = NULL;
}

const char *rg_short_id(const rg_changeset *cs)
{
	return cs->has_commit ? cs->commit_hex : NULL;
}

const char *rg_held(const rg_changeset *cs)
{
	return cs->has_commit ? "committed" : cs->tag_target ? "tagged" : "staged";
}

void rg_fix_rebase_edit(rg_buf *fix, const char *commit_hex, int root)
{
	if (root)
		rg_buf_printf(fix, "git rebase -i --root   # mark %.12s as 'edit'", commit_hex);
	else
		rg_buf_printf(fix, "git rebase -i %.12s~1   # mark %.12s as 'edit'", commit_hex, commit_hex);
}

void rg_fix_amend_continue(rg_buf *fix)
{
	rg_buf_puts(fix, " && git commit --amend --no-edit --allow-empty && git rebase --continue");
}

/*
 * The file's name as a .gitignore line matching that name only: glob
 * characters, a leading '#' or '!' and trailing spaces escaped. A name with
 * a newline cannot be written there at all (returns -1).
 */
static int fix_ignore_literal(rg_buf *out, const char *name)
{
	size_t n = strlen(name), i;

	if (strchr(name, '\n'))
		return -1;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (strchr("*?[\\", c) || (i == 0 && (c == '#' || c == '!')) ||
		    (c == ' ' && !name[i + strspn(name + i, " ")]))
			rg_buf_putc(out, '\\');
		rg_buf_putc(out, c);
	}
	return 0;
}

int rg_fix_gitignore(rg_buf *fix, const char *line, int literal)
{
	rg_buf lit = RG_BUF_INIT;

	if (literal && fix_ignore_literal(&lit, line) < 0) {
		rg_buf_dispose(&lit);
		return -1;
	}
	if (fix->len && fix->ptr[fix->len - 1] != '\n')
		rg_buf_putc(fix, '\n');
	rg_buf_puts(fix, "printf '\\n%s\\n' ");
	rg_buf_shquote(fix, literal ? lit.ptr : line);
	rg_buf_puts(fix, " >> .gitignore");
	rg_buf_dispose(&lit);
	return 0;
}

int rg_fix_gitignore_link(rg_buf *fix, const char *pattern, int is_link)
{
	size_t n = strlen(pattern);
	char *line;
	int r;

	if (!is_link || n < 2 || pattern[n - 1] != '/')
		return rg_fix_gitignore(fix, pattern, 0);
	line = rg_strndup(pattern, n - 1);
	r = rg_fix_gitignore(fix, line, 0);
	free(line);
	return r;
}

int rg_fix_gitignore_matched(rg_buf *fix, const rg_pattern *by, const char *path, int is_link)
{
	const char *base = strrchr(path, '/');
	rg_buf line = RG_BUF_INIT;
	int r;

	base = base ? base + 1 : path;
	if (!(by->flags & RG_PAT_CASEFOLD) ||
	    rg_wildmatch(by->pattern, by->flags & RG_PAT_BASENAME ? base : path, RG_WM_PATHNAME) == 0)
		return rg_fix_gitignore_link(fix, by->orig, is_link);
	/*
	 * A case variant (Node_Modules/ for node_modules/): git compares
	 * .gitignore lines exactly unless core.ignorecase, so the line is the
	 * name as it was staged, matched where the pattern matched it (any
	 * depth, or anchored at the root), a folder only as the pattern was.
	 */
	if (!(by->flags & RG_PAT_BASENAME))
		rg_buf_putc(&line, '/');
	rg_buf_puts(&line, by->flags & RG_PAT_BASENAME ? base : path);
	if ((by->flags & RG_PAT_DIRONLY) && !is_link)
		rg_buf_putc(&line, '/');
	r = rg_fix_gitignore(fix, line.ptr, 1);
	if (r < 0)
		r = rg_fix_gitignore_link(fix, by->orig, is_link);
	rg_buf_dispose(&line);
	return r;
}

void rg_fix_lfs_track(rg_buf *fix, const char *path)
{
	rg_buf_puts(fix, "git lfs track ");
	if (strpbrk(path, "*?[\\"))
		rg_buf_puts(fix, "--filename ");
	if (path[0] == '-') {
		char *p = rg_printf("./%s", path);

		rg_buf_shquote(fix, p);
		free(p);
		return;
	}
	rg_buf_shquote(fix, path);
}
