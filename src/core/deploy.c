/*
 * deploy.c: deploy targets, the path-to-target mapping and its verdict.
 * Shared by deploy-check, affected, init and the deploy rule (pre-push),
 * so that every one of them answers "which target does this path belong
 * to" the same way. Deploy tags live in deploy-tag.c.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/deploy.h"
#include "repoguard/finding.h"
#include "repoguard/source.h"

static const char *const deploy_keys[] = { "paths", "branches", "remotes", "unmapped", NULL };
const rg_section_spec rg_deploy_section = { "deploy", RG_SEC_PLAIN | RG_SEC_NAMED, deploy_keys };

/* ---- configuration ------------------------------------------------------ */

int rg_deploy_name_valid(const char *name)
{
	const char *p;

	if (!*name || *name == '.' || *name == '-' || rg_str_endswith(name, ".lock") ||
	    rg_str_endswith(name, ".") || strstr(name, ".."))
		return 0;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return 0;
	return 1;
}

/* Keys that belong to the other form of the section. */
static void deploy_check_forms(rg_conf *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		const rg_conf_entry *e = &c->v[i];

		if (strcmp(e->kind, "deploy"))
			continue;
		if (e->name && (!strcmp(e->key, "unmapped") || !strcmp(e->key, "severity")))
			rg_conf_error(c, e, "'%s' applies to all targets: set it in [deploy], not in [%s]",
				e->key, e->section);
		else if (!e->name && (!strcmp(e->key, "paths") || !strcmp(e->key, "branches") ||
			 !strcmp(e->key, "remotes")))
			rg_conf_error(c, e, "'%s' belongs to one target: set it in a [deploy.NAME] section",
				e->key);
	}
}

static int deploy_unmapped(rg_conf *c)
{
	const rg_conf_entry *e = rg_conf_get_one(c, "deploy", "unmapped");
	int sev = RG_SEV_WARN;

	if (e && rg_severity_parse(&sev, e->value) < 0) {
		rg_conf_error(c, e, "'%s' for unmapped is not one of off, warn, error", e->value);
		sev = RG_SEV_WARN;
	}
	return sev;
}

static void deploy_load_target(rg_deploy_conf *out, rg_conf *c, const char *section)
{
	const char *name = section + strlen("deploy.");
	rg_conf_entry pos;
	const rg_conf_entry *at = rg_conf_section_at(&pos, c, section);
	rg_deploy_target *t;
	int nerr, bad_paths;

	if (!rg_deploy_name_valid(name)) {
		rg_conf_error(c, at, "[%s]: '%s' cannot name a deploy target (it becomes part of the "
			"tag deploy/%s/...): use letters, digits, '-', '_' and '.'", section, name, name);
		return;
	}
	RG_GROW(out->v, out->alloc, out->n + 1);
	t = &out->v[out->n++];
	memset(t, 0, sizeof(*t));
	t->name = rg_strdup(name);
	nerr = c->nerrors;
	rg_conf_patterns(&t->paths, c, section, "paths");
	bad_paths = c->nerrors != nerr; /* a bad pattern: its error says it, not "no paths" */
	t->branches = rg_conf_globs(c, section, "branches");
	t->remotes = rg_conf_globs(c, section, "remotes");
	if (!t->paths.n && !bad_paths)
		rg_conf_error(c, at, "[%s] has no paths: list the paths that deploy to %s "
			"(paths = backend/ ...)", section, name);
}

int rg_deploy_conf_load(rg_deploy_conf *out, rg_conf *conf)
{
	char **secs = rg_conf_sections(conf, "deploy", 1);
	int before = conf->nerrors;
	size_t i;

	memset(out, 0, sizeof(*out));
	deploy_check_forms(conf);
	out->unmapped = deploy_unmapped(conf);
	for (i = 0; secs[i]; i++)
		deploy_load_target(out, conf, secs[i]);
	rg_strv_free(secs);
	return conf->nerrors > before ? RG_ECONFIG : RG_OK;
}

void rg_deploy_conf_free(rg_deploy_conf *dc)
{
	size_t i;

	for (i = 0; i < dc->n; i++) {
		free(dc->v[i].name);
		rg_patlist_free(&dc->v[i].paths);
		rg_strv_free(dc->v[i].branches);
		rg_strv_free(dc->v[i].remotes);
	}
	free(dc->v);
	memset(dc, 0, sizeof(*dc));
}

int rg_deploy_conf_find(const rg_deploy_conf *dc, const char *name)
{
	size_t i;

	for (i = 0; i < dc->n; i++)
		if (!strcmp(dc->v[i].name, name))
			return (int)i;
	return -1;
}

void rg_deploy_conf_names(rg_buf *out, const rg_deploy_conf *dc)
{
	size_t i;

	for (i = 0; i < dc->n; i++)
		rg_buf_printf(out, "%s%s", i ? ", " : "", dc->v[i].name);
}

/* ---- matching ----------------------------------------------------------- */

int rg_deploy_owns(const rg_deploy_target *t, const char *path)
{
	size_t i = t->paths.n;

	while (i-- > 0) {
		rg_pattern one = t->paths.v[i];
		rg_patlist l;

		/* each pattern on its own, with the leading-directory walk */
		one.flags &= ~RG_PAT_NEGATE;
		l.v = &one;
		l.n = l.alloc = 1;
		if (rg_patlist_match(&l, path, 0, NULL, NULL))
			return !(t->paths.v[i].flags & RG_PAT_NEGATE);
	}
	return 0;
}

static int deploy_match_any(char **pats, const char *s, unsigned flags)
{
	char **p;

	for (p = pats; s && p && *p; p++)
		if (rg_wildmatch(*p, s, flags) == 0)
			return 1;
	return 0;
}

int rg_deploy_pushes_to(const rg_deploy_target *t, const char *ref,
	const char *remote_name, const char *remote_url)
{
	char **p;

	for (p = t->branches; ref && p && *p; p++) {
		const char *subject = ref;

		if (!rg_str_startswith(*p, "refs/")) {
			if (!rg_str_startswith(ref, "refs/heads/"))
				continue;
			subject = ref + strlen("refs/heads/");
		}
		if (rg_wildmatch(*p, subject, RG_WM_PATHNAME) == 0)
			return 1;
	}
	return deploy_match_any(t->remotes, remote_name, 0) ||
	       deploy_match_any(t->remotes, remote_url, 0);
}

/* ---- the map ------------------------------------------------------------ */

void rg_deploy_map_init(rg_deploy_map *m)
{
	memset(m, 0, sizeof(*m));
}

static void deploy_set_free(rg_deploy_set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void deploy_set_add(rg_deploy_set *s, size_t i)
{
	RG_GROW(s->v, s->alloc, s->n + 1);
	s->v[s->n++] = i;
}

void rg_deploy_map_free(rg_deploy_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->changes[i].path);
		free(m->changes[i].from);
	}
	free(m->changes);
	for (i = 0; i < m->ntargets; i++)
		deploy_set_free(&m->per[i]);
	free(m->per);
	deploy_set_free(&m->unmapped);
	memset(m, 0, sizeof(*m));
}

void rg_deploy_map_add(rg_deploy_map *m, char status, const char *from, const char *path)
{
	rg_deploy_change *c;

	RG_GROW(m->changes, m->alloc, m->n + 1);
	c = &m->changes[m->n++];
	c->status = status;
	c->path = rg_strdup(path);
	c->from = from ? rg_strdup(from) : NULL;
}

void rg_deploy_map_add_changeset(rg_deploy_map *m, const rg_changeset *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		const rg_delta *d = &cs->v[i];

		if (d->status == RG_DELTA_RENAMED)
			rg_deploy_map_add(m, 'R', d->old_path, d->new_path);
		else
			rg_deploy_map_add(m, (char)d->status, NULL,
				d->new_path ? d->new_path : d->old_path);
	}
}

static int deploy_commit_tree(git_tree **out, git_repository *repo, const git_oid *id)
{
	git_commit *c = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int r = RG_OK;

	git_oid_tostr(hex, sizeof(hex), id);
	if (git_commit_lookup(&c, repo, id) < 0 || git_commit_tree(out, c) < 0) {
		rg_error_set("cannot read commit %.12s: %s (is it in this clone? fetch it, "
			"or unshallow with git fetch --unshallow)", hex,
			git_error_last() ? git_error_last()->message : "not found");
		git_error_clear();
		r = RG_ERROR;
	}
	git_commit_free(c);
	return r;
}

int rg_deploy_map_commits(rg_deploy_map *m, git_repository *repo,
	const git_oid *from, const git_oid *to)
{
	git_tree *a = NULL, *b = NULL;
	rg_changeset cs;
	int r;

	rg_changeset_init(&cs);
	if ((from && (r = deploy_commit_tree(&a, repo, from)) < 0) ||
	    (r = deploy_commit_tree(&b, repo, to)) < 0)
		goto out;
	r = rg_diff_trees(&cs, repo, a, b);
	if (r < 0)
		goto out;
	rg_changeset_pair_renames(&cs);
	rg_deploy_map_add_changeset(m, &cs);
out:
	rg_changeset_free(&cs);
	git_tree_free(a);
	git_tree_free(b);
	return r;
}

static int deploy_change_cmp(const void *x, const void *y)
{
	const rg_deploy_change *a = x, *b = y;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	return strcmp(a->from ? a->from : "", b->from ? b->from : "");
}

void rg_deploy_map_finish(rg_deploy_map *m, const rg_deploy_conf *dc)
{
	size_t i, o = 0, t;

	if (m->n > 1)
		qsort(m->changes, m->n, sizeof(*m->changes), deploy_change_cmp);
	for (i = 0; i < m->n; i++) {
		if (o && !deploy_change_cmp(&m->changes[o - 1], &m->changes[i])) {
			free(m->changes[i].path);
			free(m->changes[i].from);
			continue;
		}
		m->changes[o++] = m->changes[i];
	}
	m->n = o;
	for (t = 0; t < m->ntargets; t++)
		deploy_set_free(&m->per[t]);
	free(m->per);
	deploy_set_free(&m->unmapped);
	m->ntargets = dc->n;
	m->per = rg_calloc(dc->n ? dc->n : 1, sizeof(*m->per));
	for (i = 0; i < m->n; i++) {
		const rg_deploy_change *c = &m->changes[i];
		int owned = 0;

		for (t = 0; t < dc->n; t++) {
			if (rg_deploy_owns(&dc->v[t], c->path) ||
			    (c->from && rg_deploy_owns(&dc->v[t], c->from))) {
				deploy_set_add(&m->per[t], i);
				owned = 1;
			}
		}
		if (!owned)
			deploy_set_add(&m->unmapped, i);
	}
}

int rg_deploy_map_owns(const rg_deploy_map *m, size_t target, size_t change)
{
	const rg_deploy_set *s = &m->per[target];
	size_t lo = 0, hi = s->n;

	/* sets are filled in change order: binary search */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid] == change)
			return 1;
		if (s->v[mid] < change)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* ---- verdict and wording -------------------------------------------------- */

rg_deploy_outcome rg_deploy_judge(const rg_deploy_map *m, const int *deploying)
{
	size_t t;
	int mine = 0, others = 0;

	if (!m->n)
		return RG_DEPLOY_UNCHANGED;
	for (t = 0; t < m->ntargets; t++) {
		if (!m->per[t].n)
			continue;
		if (deploying[t])
			mine = 1;
		else
			others = 1;
	}
	if (mine)
		return others ? RG_DEPLOY_MIXED : RG_DEPLOY_MATCH;
	return others ? RG_DEPLOY_MISMATCH : RG_DEPLOY_UNMAPPED_ONLY;
}

size_t rg_deploy_count_others(const rg_deploy_map *m, const int *deploying)
{
	size_t i, t, n = 0;

	for (i = 0; i < m->n; i++) {
		int other = 0, mine = 0;

		for (t = 0; t < m->ntargets; t++) {
			if (!rg_deploy_map_owns(m, t, i))
				continue;
			if (deploying[t])
				mine = 1;
			else
				other = 1;
		}
		n += other && !mine;
	}
	return n;
}

void rg_deploy_describe_owners(rg_buf *out, const rg_deploy_map *m,
	const rg_deploy_conf *dc, const int *deploying)
{
	size_t t, owners = 0, last = 0, listed = 0;

	for (t = 0; t < m->ntargets; t++)
		if (!deploying[t] && m->per[t].n) {
			owners++;
			last = t;
		}
	if (owners == 1 && !m->unmapped.n) {
		rg_buf_printf(out, "%s to %s", m->n == 1 ? "belongs" : "all belong", dc->v[last].name);
		return;
	}
	rg_buf_puts(out, m->n == 1 ? "belongs to " : "belong to ");
	for (t = 0; t < m->ntargets; t++) {
		if (deploying[t] || !m->per[t].n)
			continue;
		rg_buf_printf(out, "%s%s (%zu)", listed++ ? ", " : "", dc->v[t].name, m->per[t].n);
	}
	if (m->unmapped.n)
		rg_buf_printf(out, "%sno target (%zu)", listed ? " and to " : "", m->unmapped.n);
}

void rg_deploy_list(rg_buf *out, const rg_deploy_map *m, const rg_deploy_set *set,
	size_t max, const char *indent)
{
	size_t i;

	for (i = 0; i < set->n && i < max; i++) {
		const rg_deploy_change *c = &m->changes[set->v[i]];

		rg_buf_printf(out, "%s%c ", indent, c->status);
		if (c->from) {
			rg_buf_cquote(out, c->from);
			rg_buf_puts(out, " -> ");
		}
		rg_buf_cquote(out, c->path);
		rg_buf_putc(out, '\n');
	}
	if (set->n > max)
		rg_buf_printf(out, "%s... and %zu more\n", indent, set->n - max);
}

void rg_deploy_names_of(rg_buf *out, const rg_deploy_conf *dc, const int *which)
{
	size_t t, k = 0, total = 0;

	for (t = 0; t < dc->n; t++)
		total += which[t] != 0;
	for (t = 0; t < dc->n; t++) {
		if (!which[t])
			continue;
		k++;
		rg_buf_printf(out, "%s%s", k == 1 ? "" : (k == total ? " and " : ", "), dc->v[t].name);
	}
}
