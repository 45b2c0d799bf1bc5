/*
 * rule-content.c: forbidden patterns, [content.NAME] sections:
 *
 *   [content.no-demo-tenant]
 *   pattern = tenant_id\s*[:=]\s*['"]demo['"]     ; PCRE2
 *   paths = src/ orchestrator/                    ; globs; default: every file
 *   message = Use the signed-in user's id, never a hardcoded tenant
 *   severity = error
 *
 * Each section is one finding id, content.NAME. The plain [content]
 * section holds what all line rules share (max_file_size) and a default
 * severity for the named ones.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/content.h"
#include "repoguard/rule.h"

extern const rg_rule rg_rule_content;

static const char *const content_keys[] = { "pattern", "paths", "message", "max_file_size", NULL };
static const rg_section_spec content_section = { "content", RG_SEC_PLAIN | RG_SEC_NAMED, content_keys };
static const rg_section_spec *const content_sections[] = { &content_section, NULL };

typedef struct {
	rg_patlist paths;
} content_rule;

typedef struct {
	rg_content *content;
	content_rule *rules;
	size_t n;
	rg_patlist self;         /* the repository's own rules file (rg_conf.self_path) */
} content_state;

static void content_free(void *state)
{
	content_state *s = state;
	size_t i;

	for (i = 0; i < s->n; i++)
		rg_patlist_free(&s->rules[i].paths);
	rg_patlist_free(&s->self);
	free(s->rules);
	rg_content_put(s->content);
	free(s);
}

/* Keys in the wrong form of the section: [content] shares, [content.NAME] matches. */
static void content_check_keys(rg_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->n; i++) {
		const rg_conf_entry *e = &conf->v[i];

		if (strcmp(e->kind, "content"))
			continue;
		if (!e->name && strcmp(e->key, "max_file_size") && strcmp(e->key, "severity"))
			rg_conf_error(conf, e, "'%s' belongs in a named section: [content.NAME]", e->key);
		else if (e->name && !strcmp(e->key, "max_file_size"))
			rg_conf_error(conf, e, "max_file_size belongs in [content], for every line rule");
	}
}

/* The one pattern entry of a section (several in one file are an error). */
static const rg_conf_entry *content_pattern(rg_conf *conf, const char *section)
{
	int before = conf->nerrors;
	const rg_conf_entry *found = rg_conf_get_single(conf, section, "pattern");
	rg_conf_entry at;

	if (conf->nerrors != before)
		return NULL;
	if (!found)
		rg_conf_error(conf, rg_conf_section_at(&at, conf, section), "[%s] needs a pattern", section);
	else if (!*found->value)
		rg_conf_error(conf, found, "[%s] pattern is empty", section);
	return found && *found->value ? found : NULL;
}

static void content_add_rule(content_state *s, size_t owner, rg_conf *conf, const char *section, int defsev)
{
	const rg_conf_entry *pat = content_pattern(conf, section);
	const char *msg = rg_conf_str(conf, section, "message", NULL);
	content_rule *r = &s->rules[s->n];
	rg_content_spec spec;
	rg_buf detail = RG_BUF_INIT;

	memset(r, 0, sizeof(*r));
	rg_conf_patterns(&r->paths, conf, section, "paths");
	s->n++;
	memset(&spec, 0, sizeof(spec));
	spec.severity = rg_conf_severity(conf, section, defsev);
	if (!pat)
		return;
	if (spec.severity == RG_SEV_OFF) {
		/* off, yet what its "secret" group names stays masked in other rules' excerpts */
		if (rg_content_add_redactor(s->content, pat->value) < 0)
			rg_conf_error(conf, pat, "[%s] %s", section, rg_error_last());
		return;
	}
	/* the message leads the finding's line; the detail says where the rule is */
	rg_buf_printf(&detail, "pattern %s (%s:%d)", pat->value, pat->file, pat->line);
	spec.id = section;
	spec.what = msg && *msg ? msg : "forbidden pattern";
	spec.detail = detail.ptr;
	spec.redact = RG_REDACT_GROUP;
	spec.paths = r->paths.n ? &r->paths : NULL;
	spec.allow = s->self.n ? &s->self : NULL; /* a rule never checks the file that defines it */
	if (rg_content_add(s->content, owner, pat->value, &spec) < 0)
		rg_conf_error(conf, pat, "[%s] %s", section, rg_error_last());
	rg_buf_dispose(&detail);
}

/*
 * The rules file as an anchored pattern of itself: its pattern lines would
 * match their own text ("pattern = debugger" holds "debugger").
 */
static void content_self(rg_patlist *out, const char *path)
{
	rg_buf pat = RG_BUF_INIT;
	const char *p;

	rg_buf_putc(&pat, '/');
	for (p = path; *p; p++) {
		if (strchr("*?[\\!", *p))
			rg_buf_putc(&pat, '\\');
		rg_buf_putc(&pat, *p);
	}
	if (rg_patlist_add(out, pat.ptr, NULL, 0) < 0)
		rg_error_clear();
	rg_buf_dispose(&pat);
}

static int content_configure(void **state, rg_conf *conf)
{
	char **names = rg_conf_sections(conf, "content", 1);
	int defsev = rg_conf_severity(conf, "content", RG_SEV_ERROR);
	content_state *s;
	size_t n, i, owner;

	content_check_keys(conf);
	for (n = 0; names[n]; n++)
		;
	if (!n) {
		rg_strv_free(names);
		return RG_OK;
	}
	s = rg_calloc(1, sizeof(*s));
	s->rules = rg_calloc(n, sizeof(*s->rules));
	s->content = rg_content_get(conf);
	if (conf->self_path)
		content_self(&s->self, conf->self_path);
	owner = rg_content_owner(s->content, &rg_rule_content, s);
	for (i = 0; i < n; i++)
		content_add_rule(s, owner, conf, names[i], defsev);
	rg_strv_free(names);
	*state = s;
	return RG_OK;
}

static int content_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	RG_UNUSED(state);
	return rg_content_check(out, ctx, cs, &rg_rule_content);
}

static int content_finish(rg_findings *out, rg_ctx *ctx, void *state)
{
	RG_UNUSED(state);
	return rg_content_finish(out, ctx, &rg_rule_content);
}

const rg_rule rg_rule_content = {
	.id = "content",
	.summary = "forbidden patterns in added lines ([content.NAME] sections)",
	.sections = content_sections,
	.modes = RG_MODE_ALL & ~RG_MODE_COMMIT_MSG,
	.configure = content_configure,
	.check = content_check,
	.finish = content_finish,
	.free_state = content_free,
};
