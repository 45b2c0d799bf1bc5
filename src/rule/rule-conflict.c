/*
 * rule-conflict.c: leftover merge conflict markers in added lines.
 *
 * "<<<<<<< " and ">>>>>>> " at the start of a line are always markers;
 * "=======" (and diff3's "||||||| ") only between the two, so that the
 * underlines of reStructuredText or Markdown headings are not flagged.
 * git writes a space after the seven characters (or nothing, for an empty
 * label); some merge tools write a tab: both count. A path whose attributes
 * set conflict-marker-size=N gets markers of N characters instead (git's
 * ll_merge, and its diff --check), and only those count there.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/content.h"
#include "repoguard/rule.h"

extern const rg_rule rg_rule_conflict;

static const char *const conflict_keys[] = { "allow", NULL };
static const rg_section_spec conflict_section = { "conflict", RG_SEC_PLAIN, conflict_keys };
static const rg_section_spec *const conflict_sections[] = { &conflict_section, NULL };

/* A path of the change set being scanned whose conflict-marker-size is not 7. */
typedef struct {
	char *path;
	size_t size;
} conflict_size;

typedef struct {
	rg_content *content;
	rg_patlist allow;
	conflict_size *sizes; /* sorted by path; rewritten before each scan, read by the scanning threads */
	size_t nsizes, asizes;
} conflict_state;

#define CONFLICT_SIZE 7   /* git's DEFAULT_CONFLICT_MARKER_SIZE */

static int conflict_size_cmp(const void *a, const void *b)
{
	return strcmp(((const conflict_size *)a)->path, ((const conflict_size *)b)->path);
}

static void conflict_sizes_clear(conflict_state *s)
{
	while (s->nsizes)
		free(s->sizes[--s->nsizes].path);
}

/* The conflict-marker-size of each added path that sets one other than 7 (its .gitattributes in cs). */
static void conflict_prepare(void *state, rg_ctx *ctx, const rg_changeset *cs)
{
	conflict_state *s = state;
	size_t i;

	conflict_sizes_clear(s);
	for (i = 0; i < cs->n; i++) {
		const char *path = cs->v[i].new_path, *v;
		char *end;
		unsigned long n;

		if (!path || !rg_ctx_attr_any(ctx, cs, path) ||
		    !(v = rg_ctx_attr(ctx, cs, path, "conflict-marker-size")))
			continue;
		n = strtoul(v, &end, 10);
		if (*end || !n || n == CONFLICT_SIZE || n > 1024)
			continue; /* as git: a value that is no positive number means the default */
		RG_GROW(s->sizes, s->asizes, s->nsizes + 1);
		s->sizes[s->nsizes].path = rg_strdup(path);
		s->sizes[s->nsizes++].size = n;
	}
	if (s->nsizes > 1)
		qsort(s->sizes, s->nsizes, sizeof(*s->sizes), conflict_size_cmp);
}

/* Is the run of the marker's character at the start of the line as long as the path's markers? */
static int conflict_size_ok(const conflict_state *s, const rg_content_line *l)
{
	size_t n = 0, want = CONFLICT_SIZE;

	while (n < l->len && l->text[n] == l->text[0])
		n++;
	if (s->nsizes) {
		conflict_size key, *hit;

		key.path = (char *)l->path;
		hit = bsearch(&key, s->sizes, s->nsizes, sizeof(*s->sizes), conflict_size_cmp);
		if (hit)
			want = hit->size;
	}
	return n == want;
}

/* In the file's state word (l->file_state): a "<<<<<<< " was added and not yet closed. */
#define CONFLICT_OPEN 1u

static int conflict_opening(void *state, const rg_content_line *l, const rg_match *m)
{
	RG_UNUSED(m);
	if (!conflict_size_ok(state, l))
		return 0;
	*l->file_state |= CONFLICT_OPEN;
	return 1;
}

static int conflict_closing(void *state, const rg_content_line *l, const rg_match *m)
{
	RG_UNUSED(m);
	if (!conflict_size_ok(state, l))
		return 0;
	*l->file_state &= ~CONFLICT_OPEN;
	return 1;
}

static int conflict_separator(void *state, const rg_content_line *l, const rg_match *m)
{
	RG_UNUSED(m);
	return (*l->file_state & CONFLICT_OPEN) != 0 && conflict_size_ok(state, l);
}

static const struct {
	const char *pattern;
	int (*validate)(void *state, const rg_content_line *l, const rg_match *m);
} conflict_markers[] = {
	/* seven or more: the validators take the path's own size (conflict-marker-size) */
	{ "^<{7,}(?:[ \\t]|$)", conflict_opening },
	{ "^>{7,}(?:[ \\t]|$)", conflict_closing },
	{ "^(?:={7,}\\s*$|\\|{7,}(?:[ \\t]|$))", conflict_separator },
};

static void conflict_free(void *state)
{
	conflict_state *s = state;

	rg_content_put(s->content);
	rg_patlist_free(&s->allow);
	conflict_sizes_clear(s);
	free(s->sizes);
	free(s);
}

static int conflict_configure(void **state, rg_conf *conf)
{
	int sev = rg_conf_severity(conf, "conflict", RG_SEV_ERROR);
	conflict_state *s;
	rg_content_spec spec;
	size_t owner, i;

	if (sev == RG_SEV_OFF || !rg_conf_has_section(conf, "conflict"))
		return RG_OK;
	s = rg_calloc(1, sizeof(*s));
	rg_conf_patterns(&s->allow, conf, "conflict", "allow");
	s->content = rg_content_get(conf);
	owner = rg_content_owner(s->content, &rg_rule_conflict, s);
	rg_content_owner_prepare(s->content, owner, conflict_prepare);
	memset(&spec, 0, sizeof(spec));
	spec.id = "conflict";
	spec.severity = sev;
	spec.what = "merge conflict marker";
	spec.detail = "A leftover conflict marker breaks the file: resolve the conflict (keep the right side,\n"
		"delete the marker lines) and stage the result. A marker that is meant to be there? Put\n"
		"\"repoguard:allow conflict\" on the line, or list the path in [conflict] allow.";
	spec.redact = RG_REDACT_NONE;
	spec.allow = &s->allow;
	for (i = 0; i < RG_ARRAY_SIZE(conflict_markers); i++) {
		spec.validate = conflict_markers[i].validate;
		if (rg_content_add(s->content, owner, conflict_markers[i].pattern, &spec) < 0)
			rg_conf_error(conf, NULL, "conflict: %s", rg_error_last());
	}
	*state = s;
	return RG_OK;
}

static int conflict_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	RG_UNUSED(state);
	return rg_content_check(out, ctx, cs, &rg_rule_conflict);
}

static int conflict_finish(rg_findings *out, rg_ctx *ctx, void *state)
{
	RG_UNUSED(state);
	return rg_content_finish(out, ctx, &rg_rule_conflict);
}

const rg_rule rg_rule_conflict = {
	.id = "conflict",
	.summary = "merge conflict markers left in added lines",
	.sections = conflict_sections,
	.modes = RG_MODE_ALL & ~RG_MODE_COMMIT_MSG,
	.configure = conflict_configure,
	.check = conflict_check,
	.finish = conflict_finish,
	.free_state = conflict_free,
};
