/* rule-bulk.c: a commit adding more than max_added_files ("git add -A" in the wrong folder). */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/rule.h"

static const char *const bulk_keys[] = { "max_added_files", NULL };
static const rg_section_spec bulk_section = { "bulk", RG_SEC_PLAIN, bulk_keys };
static const rg_section_spec *const bulk_sections[] = { &bulk_section, NULL };

#define BULK_SHOW 10

typedef struct {
	int64_t max;
	int severity;
	char *anchor;    /* the repository's rules file that set the limit, or NULL */
	int anchor_line;
} bulk_state;

static void bulk_free(void *state)
{
	bulk_state *s = state;

	if (s)
		free(s->anchor);
	free(s);
}

typedef struct {
	char *top;
	size_t n;
} bulk_group;

static int bulk_configure(void **state, rg_conf *conf)
{
	int sev = rg_conf_severity(conf, "bulk", RG_SEV_ERROR);
	int64_t max = rg_conf_int(conf, "bulk", "max_added_files", 5000);
	bulk_state *s;

	/* on by default: with defaults = false only when the file has [bulk] */
	if (sev == RG_SEV_OFF || max == 0 || !rg_conf_has_section(conf, "bulk"))
		return RG_OK;
	s = rg_calloc(1, sizeof(*s));
	s->max = max;
	s->severity = sev;
	{
		/* where the limit was set: the key, else the [bulk] that turned the rule on */
		const char *file = rg_conf_repo_anchor(&s->anchor_line, conf, "bulk", "max_added_files");

		s->anchor = file ? rg_strdup(file) : NULL;
	}
	*state = s;
	return RG_OK;
}

static int bulk_cmp(const void *a, const void *b)
{
	const bulk_group *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->top, y->top);
}

static void bulk_count(bulk_group **g, size_t *n, size_t *alloc, const char *path)
{
	const char *slash = strchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) + 1 : 0;
	size_t i;

	/* deltas are sorted, so one top-level folder is one run */
	if (*n) {
		bulk_group *last = &(*g)[*n - 1];
		if (strlen(last->top) == len && !strncmp(last->top, path, len)) {
			last->n++;
			return;
		}
	}
	for (i = 0; i < *n; i++)
		if (strlen((*g)[i].top) == len && !strncmp((*g)[i].top, path, len)) {
			(*g)[i].n++;
			return;
		}
	RG_GROW(*g, *alloc, *n + 1);
	(*g)[*n].top = rg_strndup(path, len);
	(*g)[(*n)++].n = 1;
}

static int bulk_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	bulk_state *s = state;
	bulk_group *g = NULL;
	size_t n = 0, alloc = 0, added = 0, i;
	const char *first = NULL;
	char cnt[32], max[32];
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT;
	rg_finding *f;

	RG_UNUSED(ctx);
	for (i = 0; i < cs->n; i++)
		if (cs->v[i].status == RG_DELTA_ADDED)
			added++;
	if (added <= (size_t)s->max)
		return RG_OK;
	for (i = 0; i < cs->n; i++)
		if (cs->v[i].status == RG_DELTA_ADDED) {
			bulk_count(&g, &n, &alloc, cs->v[i].new_path);
			if (!first)
				first = cs->v[i].new_path;
		}
	qsort(g, n, sizeof(*g), bulk_cmp);
	rg_fmt_count(cnt, sizeof(cnt), added);
	rg_fmt_count(max, sizeof(max), (uint64_t)s->max);
	rg_buf_printf(&msg, "%s files added in one commit, over the limit of %s (max_added_files)", cnt, max);
	rg_buf_puts(&detail, "Added, by top-level folder:");
	for (i = 0; i < n; i++) {
		if (i < BULK_SHOW) {
			rg_fmt_count(cnt, sizeof(cnt), g[i].n);
			rg_buf_printf(&detail, "\n  %-30s %s", g[i].top[0] ? g[i].top : "(top level)", cnt);
		}
		free(g[i].top);
	}
	if (n > BULK_SHOW)
		rg_buf_printf(&detail, "\n  ... and %zu more folders", n - BULK_SHOW);
	rg_buf_puts(&detail, "\nThis is usually `git add -A` run in the wrong folder or before a .gitignore.");
	f = rg_findings_add(out, "bulk", s->severity, rg_short_id(cs), NULL, 0, msg.ptr);
	rg_finding_set_detail(f, detail.ptr);
	/* SARIF and GitHub point it at where the limit was set, else at the first file it counts */
	rg_finding_set_anchor(f, s->anchor ? s->anchor : first, s->anchor ? s->anchor_line : 0);
	rg_finding_set_fix(f, cs->has_commit ? "split the commit, or raise [bulk] max_added_files if this is intended"
		: "git restore --staged -- <folder>   # unstage what was not meant\n"
		  "REPOGUARD_SKIP=bulk git commit     # if the import is intended");
	free(g);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&detail);
	return RG_OK;
}

const rg_rule rg_rule_bulk = {
	.id = "bulk",
	.summary = "commits adding more than max_added_files (default 5000)",
	.sections = bulk_sections,
	.modes = RG_MODE_ALL & ~RG_MODE_COMMIT_MSG,
	.configure = bulk_configure,
	.check = bulk_check,
	.free_state = bulk_free,
};
