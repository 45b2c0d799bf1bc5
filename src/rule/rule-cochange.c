/*
 * rule-cochange.c: paths that must change together.
 *
 *   [cochange.routing]
 *   when = src/components/ src/pages/   ; a change here ...
 *   on = added deleted renamed               ; ... of these kinds ...
 *   require = src/product/App.tsx            ; ... needs a change here too
 *
 *   [cochange.lockfile]
 *   forbid_alone = package.json              ; any change here ...
 *   require = package-lock.json              ; ... needs a change here too
 *
 * One change set at a time (the staged change, or one commit), so it holds
 * per commit in every mode.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/rule.h"

#define CC_ADDED 1u
#define CC_DELETED 2u
#define CC_RENAMED 4u
#define CC_MODIFIED 8u
#define CC_LISTED 5   /* trigger paths named in the detail */

static const char *const cc_keys[] = {
	"when", "forbid_alone", "on", "require", "message", NULL
};
static const rg_section_spec cc_section = { "cochange", RG_SEC_NAMED, cc_keys };
static const rg_section_spec *const cc_sections[] = { &cc_section, NULL };

typedef struct {
	char *id;            /* "cochange.routing": finding rule id, REPOGUARD_SKIP name */
	const char *file;    /* where the section is defined (for the detail) */
	int line;
	rg_patlist when;
	int alone;           /* forbid_alone form */
	unsigned on;
	rg_patlist require;
	char *message;
	int severity;
} cc_set;

typedef struct {
	cc_set *v;
	size_t n;
	char **skipped;      /* sections skipped by REPOGUARD_SKIP, reported once */
	size_t nskipped, skipped_alloc;
} cc_state;

static void cc_free(void *state)
{
	cc_state *s = state;
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].id);
		free(s->v[i].message);
		rg_patlist_free(&s->v[i].when);
		rg_patlist_free(&s->v[i].require);
	}
	for (i = 0; i < s->nskipped; i++)
		free(s->skipped[i]);
	free(s->skipped);
	free(s->v);
	free(s);
}

static const struct { const char *name; unsigned bit; } cc_kinds[] = {
	{ "added", CC_ADDED }, { "deleted", CC_DELETED },
	{ "renamed", CC_RENAMED }, { "modified", CC_MODIFIED },
};

/* How many of l's patterns are not !patterns. */
static size_t cc_npositive(const rg_patlist *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += !(l->v[i].flags & RG_PAT_NEGATE);
	return n;
}

static unsigned cc_parse_on(rg_conf *conf, const char *section, unsigned def)
{
	const rg_conf_entry *e = rg_conf_get(conf, section, "on");
	char **w;
	unsigned on = 0;
	size_t i, k;

	if (!e)
		return def;
	w = rg_conf_words(conf, section, "on");
	for (i = 0; w[i]; i++) {
		for (k = 0; k < RG_ARRAY_SIZE(cc_kinds); k++)
			if (!strcmp(w[i], cc_kinds[k].name))
				break;
		if (k == RG_ARRAY_SIZE(cc_kinds))
			rg_conf_error(conf, e, "'%s' in on= is not a kind of change "
				"(use added, deleted, renamed, modified)", w[i]);
		else
			on |= cc_kinds[k].bit;
	}
	if (!on && !w[0])
		rg_conf_error(conf, e, "on= is empty in [%s] (use added, deleted, renamed, modified)", section);
	rg_strv_free(w);
	return on;
}

/* Parse one [cochange.NAME]; returns 1 when the set is on. */
static int cc_configure_one(cc_set *p, rg_conf *conf, const char *section)
{
	const rg_conf_entry *when = rg_conf_get(conf, section, "when");
	const rg_conf_entry *alone = rg_conf_get(conf, section, "forbid_alone");
	const rg_conf_entry *req = rg_conf_get(conf, section, "require");
	rg_conf_entry pos;
	const char *msg;
	int nerr;

	p->severity = rg_conf_severity(conf, section, RG_SEV_ERROR);
	if (when && alone) {
		rg_conf_error(conf, alone, "[%s] has both when= and forbid_alone=; use one", section);
		return 0;
	}
	if (!when && !alone) {
		rg_conf_error(conf, req ? req : rg_conf_section_at(&pos, conf, section),
			"[%s] needs when= (or forbid_alone=): the paths whose change "
			"triggers the rule", section);
		return 0;
	}
	if (!req) {
		rg_conf_error(conf, when ? when : alone, "[%s] needs require=: the paths of which one "
			"must change in the same commit", section);
		return 0;
	}
	p->alone = alone != NULL;
	p->file = (when ? when : alone)->file;
	p->line = (when ? when : alone)->line;
	p->on = cc_parse_on(conf, section, p->alone ? CC_ADDED | CC_DELETED | CC_RENAMED | CC_MODIFIED :
		CC_ADDED | CC_DELETED | CC_RENAMED);
	/* a list whose only pattern is bad is reported for the pattern, not as empty too */
	nerr = conf->nerrors;
	rg_conf_patterns(&p->when, conf, section, p->alone ? "forbid_alone" : "when");
	if (!p->when.n && conf->nerrors == nerr)
		rg_conf_error(conf, when ? when : alone, "%s= is empty in [%s]",
			p->alone ? "forbid_alone" : "when", section);
	nerr = conf->nerrors;
	rg_conf_patterns(&p->require, conf, section, "require");
	if (!p->require.n && conf->nerrors == nerr)
		rg_conf_error(conf, req, "require= is empty in [%s]", section);
	msg = rg_conf_str(conf, section, "message", NULL);
	p->message = msg ? rg_strdup(msg) : NULL;
	p->id = rg_strdup(section);
	if (p->severity == RG_SEV_OFF || !p->when.n) {
		free(p->id);
		free(p->message);
		rg_patlist_free(&p->when);
		rg_patlist_free(&p->require);
		memset(p, 0, sizeof(*p));
		return 0;
	}
	return 1;
}

static int cc_configure(void **state, rg_conf *conf)
{
	char **named = rg_conf_sections(conf, "cochange", 1);
	cc_state *s;
	size_t n = 0, i;

	while (named[n])
		n++;
	s = rg_calloc(1, sizeof(*s));
	s->v = rg_calloc(n + 1, sizeof(*s->v));
	for (i = 0; i < n; i++)
		s->n += (size_t)cc_configure_one(&s->v[s->n], conf, named[i]);
	rg_strv_free(named);
	if (!s->n) {
		cc_free(s);
		return RG_OK;
	}
	*state = s;
	return RG_OK;
}

static unsigned cc_kind(const rg_delta *d)
{
	switch (d->status) {
	case RG_DELTA_ADDED: return CC_ADDED;
	case RG_DELTA_DELETED: return CC_DELETED;
	case RG_DELTA_RENAMED: return CC_RENAMED;
	default: return CC_MODIFIED;
	}
}

static const char *cc_kind_name(unsigned bit)
{
	size_t k;

	for (k = 0; k < RG_ARRAY_SIZE(cc_kinds); k++)
		if (cc_kinds[k].bit == bit)
			return cc_kinds[k].name;
	return "changed";
}

/* "added, deleted or renamed" */
static void cc_kinds_list(rg_buf *b, unsigned on)
{
	size_t k, n = 0, total = 0;

	for (k = 0; k < RG_ARRAY_SIZE(cc_kinds); k++)
		total += (on & cc_kinds[k].bit) != 0;
	for (k = 0; k < RG_ARRAY_SIZE(cc_kinds); k++) {
		if (!(on & cc_kinds[k].bit))
			continue;
		n++;
		rg_buf_printf(b, "%s%s", n == 1 ? "" : (n == total ? " or " : ", "), cc_kinds[k].name);
	}
}

/* Does either side of d match l? *path: the side that matched. */
static int cc_match(const rg_patlist *l, const rg_delta *d, const char **path)
{
	if (d->new_path && rg_patlist_match(l, d->new_path, 0, NULL, NULL)) {
		*path = d->new_path;
		return 1;
	}
	if (d->old_path && rg_patlist_match(l, d->old_path, 0, NULL, NULL)) {
		*path = d->old_path;
		return 1;
	}
	return 0;
}

/*
 * "a or b or c" from the patterns as written; what !patterns subtract
 * follows as "(other than x, y)": they are no alternative.
 */
static void cc_list(rg_buf *b, const rg_patlist *l)
{
	size_t i, k = 0, nneg = 0, npos = cc_npositive(l);

	for (i = 0; i < l->n; i++) {
		if (l->v[i].flags & RG_PAT_NEGATE)
			continue;
		rg_buf_printf(b, "%s%s", k == 0 ? "" : (k + 1 == npos ? " or " : ", "), l->v[i].orig);
		k++;
	}
	for (i = 0; i < l->n; i++) {
		const char *o = l->v[i].orig;

		if (!(l->v[i].flags & RG_PAT_NEGATE))
			continue;
		rg_buf_printf(b, "%s%s", nneg++ ? ", " : " (other than ", *o == '!' ? o + 1 : o);
	}
	if (nneg)
		rg_buf_putc(b, ')');
}

/* How to skip the rule once, where the one who reads the finding can. */
static void cc_fix_skip(rg_buf *fix, int mode, const char *id)
{
	rg_buf_puts(fix, "\nif this change really needs none: ");
	if (mode == RG_MODE_CI)
		rg_buf_printf(fix, "REPOGUARD_SKIP=%s in the CI job's environment, for this run", id);
	else if (mode == RG_MODE_PRE_RECEIVE)
		rg_buf_printf(fix, "only the server's administrators can skip it "
			"(REPOGUARD_SKIP=%s in the server's environment)", id);
	else
		rg_buf_printf(fix, "REPOGUARD_SKIP=%s git %s ...", id,
			mode == RG_MODE_PRE_PUSH ? "push" : "commit");
}

static void cc_fix(rg_buf *fix, int mode, const rg_changeset *cs, const cc_set *p)
{
	const char *lit = NULL;
	size_t i;

	for (i = 0; i < p->require.n && !lit; i++)
		if (rg_pattern_is_literal(p->require.v[i].orig) && !(p->require.v[i].flags & RG_PAT_NEGATE))
			lit = p->require.v[i].orig;
	while (lit && *lit == '/')
		lit++; /* an anchored pattern names a path from the top: git add takes it without the '/' */
	if (lit && !*lit)
		lit = NULL;
	if (cs->has_commit) {
		rg_fix_rebase_edit(fix, cs->commit_hex, cs->is_root);
		rg_buf_puts(fix, ", change ");
		cc_list(fix, &p->require);
		rg_buf_puts(fix, ", then:\ngit add -- ");
		if (lit)
			rg_buf_shquote(fix, lit);
		else
			rg_buf_puts(fix, "<the files you changed>");
		rg_fix_amend_continue(fix);
	} else if (lit) {
		rg_buf_printf(fix, "update %s as this change needs, then: git add -- ", lit);
		rg_buf_shquote(fix, lit);
	} else {
		rg_buf_puts(fix, "stage the matching change to ");
		cc_list(fix, &p->require);
	}
	cc_fix_skip(fix, mode, p->id);
}

static void cc_report(rg_findings *out, int mode, const rg_changeset *cs, const cc_set *p,
	const rg_delta *const *hits, size_t nhits, const char *first_path)
{
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT;
	unsigned kinds = 0;
	size_t i;
	rg_finding *f;

	for (i = 0; i < nhits; i++)
		kinds |= cc_kind(hits[i]);
	rg_buf_puts(&msg, p->alone ? "changed" :
		(kinds & (kinds - 1)) ? "changed" : cc_kind_name(kinds));
	if (nhits > 1)
		rg_buf_printf(&msg, " (with %zu more file%s)", nhits - 1, nhits == 2 ? "" : "s");
	rg_buf_puts(&msg, p->alone ? " without " : " without a change to ");
	cc_list(&msg, &p->require);
	if (p->message)
		rg_buf_printf(&detail, "%s.\n", p->message);
	rg_buf_printf(&detail, "[%s] (%s:%d): when ", p->id, p->file, p->line);
	for (i = 0; i < p->when.n; i++)
		rg_buf_printf(&detail, "%s%s", i ? " " : "", p->when.v[i].orig);
	rg_buf_puts(&detail, " is ");
	cc_kinds_list(&detail, p->on);
	rg_buf_puts(&detail, ", one of ");
	for (i = 0; i < p->require.n; i++)
		rg_buf_printf(&detail, "%s%s", i ? " " : "", p->require.v[i].orig);
	rg_buf_printf(&detail, " must change in the same commit; %s.",
		cs->has_commit ? "this commit changes none of them" : "none of them is staged");
	for (i = 0; i < nhits && i < CC_LISTED; i++) {
		const rg_delta *d = hits[i];

		rg_buf_printf(&detail, "\n  %s ", cc_kind_name(cc_kind(d)));
		rg_buf_cquote(&detail, d->status == RG_DELTA_DELETED ? d->old_path : d->new_path);
		if (d->status == RG_DELTA_RENAMED) {
			rg_buf_puts(&detail, " (from ");
			rg_buf_cquote(&detail, d->old_path);
			rg_buf_putc(&detail, ')');
		}
	}
	if (nhits > CC_LISTED)
		rg_buf_printf(&detail, "\n  ... and %zu more", nhits - CC_LISTED);
	cc_fix(&fix, mode, cs, p);
	f = rg_findings_add(out, p->id, p->severity, rg_short_id(cs), first_path, 0, msg.ptr);
	rg_finding_set_detail(f, detail.ptr);
	rg_finding_set_fix(f, fix.ptr);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&detail);
	rg_buf_dispose(&fix);
}

static void cc_note_skip(cc_state *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->nskipped; i++)
		if (!strcmp(s->skipped[i], id))
			return;
	RG_GROW(s->skipped, s->skipped_alloc, s->nskipped + 1);
	s->skipped[s->nskipped++] = rg_strdup(id);
}

static void cc_check_one(rg_findings *out, int mode, const rg_changeset *cs, const cc_set *p,
	const rg_delta **hits)
{
	size_t i, nhits = 0;
	const char *first = NULL, *path;

	for (i = 0; i < cs->n; i++) {
		const rg_delta *d = &cs->v[i];

		if (cc_match(&p->require, d, &path))
			return; /* satisfied */
		if (!(p->on & cc_kind(d)) || !cc_match(&p->when, d, &path))
			continue;
		if (!first)
			first = path;
		hits[nhits++] = d;
	}
	if (nhits)
		cc_report(out, mode, cs, p, hits, nhits, first);
}

static int cc_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	cc_state *s = state;
	const rg_delta **hits;
	size_t j;

	if (!cs->n)
		return RG_OK;
	hits = rg_malloc(cs->n * sizeof(*hits));
	for (j = 0; j < s->n; j++) {
		if (rg_ctx_skipped(ctx, s->v[j].id)) {
			cc_note_skip(s, s->v[j].id);
			continue;
		}
		cc_check_one(out, ctx->mode, cs, &s->v[j], hits);
	}
	free(hits);
	return RG_OK;
}

static int cc_finish(rg_findings *out, rg_ctx *ctx, void *state)
{
	cc_state *s = state;
	size_t i;

	RG_UNUSED(ctx);
	for (i = 0; i < s->nskipped; i++)
		rg_findings_info(out, "skipped by REPOGUARD_SKIP: %s", s->skipped[i]);
	return RG_OK;
}

const rg_rule rg_rule_cochange = {
	.id = "cochange",
	.summary = "paths that must change together (a component refactor and the router)",
	.sections = cc_sections,
	.modes = RG_MODE_ALL & ~RG_MODE_COMMIT_MSG,
	.configure = cc_configure,
	.check = cc_check,
	.finish = cc_finish,
	.free_state = cc_free,
};
