/*
 * audit-config.c: the audit's "config" section: the rules in effect, with
 * where each value comes from, and the patterns in them that can never
 * match: a '!' pattern below a directory an earlier pattern already
 * excludes (as in .gitignore, nothing below an excluded directory can be
 * re-included), a block pattern that matched nothing in any tree walked, a
 * protected path that exists neither at HEAD nor in HEAD's history.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/audit.h"
#include "repoguard/content.h"
#include "repoguard/rule.h"

typedef struct {
	rg_audit *a;
	rg_findings *out;
	size_t never, unmatched;
} config_sum;

static void config_entries(rg_buf *d, const rg_conf *conf, const char *kind)
{
	size_t i;

	for (i = 0; i < conf->n; i++) {
		const rg_conf_entry *e = &conf->v[i];

		if (strcmp(e->kind, kind))
			continue;
		rg_buf_printf(d, "\n    [%s] %s = ", e->section, e->key);
		rg_content_mask_value(d, e->value); /* a rule against a leaked key does not print it */
		rg_buf_printf(d, "   (%s:%d)", e->file, e->line);
	}
}

static void config_rules(config_sum *s, rg_buf *on_names, size_t *on)
{
	rg_ctx *ctx = s->a->ctx;
	rg_buf d = RG_BUF_INIT, msg = RG_BUF_INIT;
	size_t i;
	rg_finding *f;

	*on = 0;
	for (i = 0; i < rg_rules_count; i++) {
		const rg_rule *r = rg_rules[i];
		const rg_section_spec *const *sp;
		int active = ctx->rule_state && ctx->rule_state[i];

		rg_buf_printf(&d, "%s%s: %s", i ? "\n" : "", r->id, active ? "on" : "off");
		for (sp = r->sections; sp && *sp; sp++)
			config_entries(&d, ctx->conf, (*sp)->kind);
		if (active) {
			rg_buf_printf(on_names, "%s%s", (*on)++ ? ", " : "", r->id);
		}
	}
	rg_buf_puts(&d, "\naudit:");
	config_entries(&d, ctx->conf, "audit");
	rg_buf_printf(&msg, "%zu of %zu rules on: %s", *on, rg_rules_count, on_names->len ? on_names->ptr : "none");
	f = rg_findings_add(s->out, "config.rules", RG_SEV_NOTE, NULL, NULL, 0, msg.ptr);
	rg_finding_set_detail(f, d.ptr);
	rg_finding_set_fix(f, "repoguard config   # every value and where it comes from");
	rg_buf_dispose(&d);
	rg_buf_dispose(&msg);
}

/* Is a '!' pattern below a directory that an earlier pattern excludes? */
static const rg_pattern *config_dead_negation(const rg_patlist *l, size_t i)
{
	const rg_pattern *p = &l->v[i];
	rg_patlist before;
	char *dir;
	size_t k, n;
	const rg_pattern *by = NULL;

	if (!(p->flags & RG_PAT_NEGATE) || (p->flags & RG_PAT_BASENAME))
		return NULL;
	before.v = l->v;
	before.n = i;
	dir = rg_strdup(p->pattern);
	n = strlen(dir);
	for (k = 0; k < n; k++) {
		if (dir[k] != '/')
			continue;
		dir[k] = '\0';
		if (!rg_pattern_is_literal(dir))
			break;
		if (rg_patlist_match1(&before, dir, 1, &by) == 1)
			break;
		by = NULL;
		dir[k] = '/';
	}
	free(dir);
	return by;
}

static void config_patterns(config_sum *s, const char *what, const rg_patlist *l, const size_t *hits)
{
	rg_audit *a = s->a;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const rg_pattern *p = &l->v[i], *by = config_dead_negation(l, i);
		rg_buf msg = RG_BUF_INIT, d = RG_BUF_INIT, fix = RG_BUF_INIT;
		rg_finding *f;

		if (by) {
			rg_buf_printf(&msg, "%s pattern '%s' (%s:%d) can never match", what, p->orig, p->file, p->line);
			rg_buf_printf(&d, "'%s' (%s:%d) already excludes its directory, and as in .gitignore "
				"nothing below an excluded directory can be re-included.", by->orig, by->file, by->line);
			rg_buf_printf(&fix, "exclude the files you mean instead of the directory, e.g. '%s**' "
				"followed by '%s'", by->orig, p->orig);
			f = rg_findings_add(s->out, "config.never-matches", RG_SEV_WARN, NULL, NULL, 0, msg.ptr);
			rg_finding_set_detail(f, d.ptr);
			rg_finding_set_fix(f, fix.ptr);
			s->never++;
		} else if (hits && !hits[i] && !(p->flags & RG_PAT_NEGATE)) {
			char count[32];

			rg_fmt_count(count, sizeof(count), a->hist.st.trees);
			rg_buf_printf(&msg, "%s pattern '%s' (%s:%d) matched no path in the %s tree%s walked%s",
				what, p->orig, p->file, p->line, count, a->hist.st.trees == 1 ? "" : "s",
				a->history ? "" : " (HEAD's)");
			f = rg_findings_add(s->out, "config.unmatched", RG_SEV_NOTE, NULL, NULL, 0, msg.ptr);
			rg_finding_set_detail(f, "Fine for a guard against something that never happened here; "
				"otherwise check its spelling and anchoring (a leading '/' anchors at the root).");
			s->unmatched++;
		}
		rg_buf_dispose(&msg);
		rg_buf_dispose(&d);
		rg_buf_dispose(&fix);
	}
}

/* Literal protect paths that are neither at HEAD nor anywhere in HEAD's first-parent line. */
static void config_protect(config_sum *s)
{
	rg_audit *a = s->a;
	rg_conf *conf = a->ctx->conf;
	char **v[2];
	size_t k, i, j;

	if (!a->history || a->hist.head == RG_HIST_NONE)
		return;
	v[0] = rg_conf_sections(conf, "protect", 0);
	v[1] = rg_conf_sections(conf, "protect", 1);
	for (k = 0; k < 2; k++) {
		for (i = 0; v[k][i]; i++) {
			rg_patlist l = { NULL, 0, 0 };

			rg_conf_patterns(&l, conf, v[k][i], "paths");
			for (j = 0; j < l.n; j++) {
				const rg_pattern *p = &l.v[j];
				rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT;
				rg_finding *f;

				if (!rg_audit_protect_never(a, p))
					continue;
				rg_buf_printf(&msg, "protect path '%s' (%s:%d) can never match: it is not at HEAD "
					"and not in HEAD's history", p->orig, p->file, p->line);
				rg_buf_printf(&fix, "correct the path at %s:%d (paths are relative to the "
					"repository root)", p->file, p->line);
				f = rg_findings_add(s->out, "config.never-matches", RG_SEV_WARN, NULL, NULL, 0, msg.ptr);
				rg_finding_set_fix(f, fix.ptr);
				s->never++;
				rg_buf_dispose(&msg);
				rg_buf_dispose(&fix);
			}
			rg_patlist_free(&l);
		}
		rg_strv_free(v[k]);
	}
}

static int config_run(rg_findings *out, rg_audit *a, rg_buf *verdict)
{
	config_sum s;
	rg_buf names = RG_BUF_INIT;
	size_t on;

	memset(&s, 0, sizeof(s));
	s.a = a;
	s.out = out;
	config_rules(&s, &names, &on);
	config_patterns(&s, "block", &a->block, a->hist.block_hits);
	config_patterns(&s, "secret_paths", &a->secret, NULL);
	config_patterns(&s, "size allow", &a->size_allow, NULL);
	config_protect(&s);
	rg_buf_printf(verdict, "%zu of %zu rules on (%s)", on, rg_rules_count, names.len ? names.ptr : "none");
	if (s.never)
		rg_buf_printf(verdict, "; %zu pattern%s can never match", s.never, s.never == 1 ? "" : "s");
	if (s.unmatched)
		rg_buf_printf(verdict, "; %zu block pattern%s matched nothing", s.unmatched,
			s.unmatched == 1 ? "" : "s");
	rg_buf_dispose(&names);
	return RG_OK;
}

const rg_audit_section rg_audit_section_config = { "config", config_run };
