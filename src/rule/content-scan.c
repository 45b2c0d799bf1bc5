/*
 * content-scan.c: the added-line scan shared by the line rules (content.*,
 * secrets.*, conflict). See content.h.
 *
 * Added files are read whole (every line is added; no diff is needed);
 * modified files are diffed with libgit2 (git_diff_buffers, zero context
 * lines) and only the + lines are scanned. Each line goes once through the
 * matcher's literal prefilter, then only through the patterns it may match.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/content.h"
#include "repoguard/rule.h"

#define CT_NAMES_SHOWN 5
#define CT_ALLOWED_SHOWN 10

typedef struct {
	char *id, *what, *detail;
	int severity, redact, fallback;
	int (*validate)(void *state, const rg_content_line *l, const rg_match *m);
	const rg_patlist *paths, *allow;
	size_t owner;
} ct_spec;

typedef struct {
	const rg_rule *rule;
	void *state;
	void (*file_begin)(void *state, const char *path);
} ct_owner;

/* Paths skipped for one reason: the first few names and a count. */
typedef struct {
	rg_buf names;
	size_t n;
} ct_skips;

struct rg_content {
	struct rg_content *next;     /* the registry, keyed by conf */
	rg_conf *conf;
	int refs;
	uint64_t max_size;
	rg_matcher *m;
	ct_spec *specs;              /* same index as the matcher's patterns */
	size_t nspecs, aspecs;
	ct_owner *owners;
	size_t nowners, aowners;
	/* scratch, sized for nspecs */
	uint64_t *base, *active, *cand;
	size_t words;
	/* notes for the report */
	ct_skips binary, large, missing;
	rg_buf allowed;
	size_t nallowed;
};

typedef struct {
	size_t spec;
	rg_match m;
	char *error;
} ct_hit;

typedef struct {
	rg_content *c;
	rg_ctx *ctx;
	rg_findings *out;
	const char *commit;
	const char *path;
	ct_hit *hits;
	size_t nhits, ahits;
	int err;
} ct_file;

static rg_content *ct_registry;

rg_content *rg_content_get(rg_conf *conf)
{
	rg_content *c;

	for (c = ct_registry; c; c = c->next)
		if (c->conf == conf) {
			c->refs++;
			return c;
		}
	c = rg_calloc(1, sizeof(*c));
	c->conf = conf;
	c->refs = 1;
	c->m = rg_matcher_new();
	c->max_size = rg_conf_size(conf, "content", "max_file_size", RG_CONTENT_DEFAULT_MAX_SIZE);
	c->next = ct_registry;
	ct_registry = c;
	return c;
}

void rg_content_put(rg_content *c)
{
	rg_content **pp;
	size_t i;

	if (!c || --c->refs > 0)
		return;
	for (pp = &ct_registry; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	for (i = 0; i < c->nspecs; i++) {
		free(c->specs[i].id);
		free(c->specs[i].what);
		free(c->specs[i].detail);
	}
	free(c->specs);
	free(c->owners);
	free(c->base);
	free(c->active);
	free(c->cand);
	rg_buf_dispose(&c->binary.names);
	rg_buf_dispose(&c->large.names);
	rg_buf_dispose(&c->missing.names);
	rg_buf_dispose(&c->allowed);
	rg_matcher_free(c->m);
	free(c);
}

rg_content *rg_content_of(const rg_ctx *ctx)
{
	rg_content *c;

	for (c = ct_registry; c; c = c->next)
		if (c->conf == ctx->conf)
			return c;
	return NULL;
}

size_t rg_content_owner(rg_content *c, const rg_rule *rule, void *state,
	void (*file_begin)(void *state, const char *path))
{
	RG_GROW(c->owners, c->aowners, c->nowners + 1);
	c->owners[c->nowners].rule = rule;
	c->owners[c->nowners].state = state;
	c->owners[c->nowners].file_begin = file_begin;
	return c->nowners++;
}

int rg_content_add(rg_content *c, size_t owner, const char *pattern, const rg_content_spec *spec)
{
	int idx = rg_matcher_add(c->m, pattern);
	ct_spec *s;

	if (idx < 0)
		return idx;
	RG_GROW(c->specs, c->aspecs, c->nspecs + 1);
	s = &c->specs[c->nspecs++];
	s->id = rg_strdup(spec->id);
	s->what = rg_strdup(spec->what);
	s->detail = spec->detail ? rg_strdup(spec->detail) : NULL;
	s->severity = spec->severity;
	s->redact = spec->redact;
	s->fallback = spec->fallback;
	s->validate = spec->validate;
	s->paths = spec->paths;
	s->allow = spec->allow;
	s->owner = owner;
	return RG_OK;
}

static int ct_owner_active(const rg_ctx *ctx, const ct_owner *o)
{
	return (o->rule->modes & ctx->mode) && !rg_ctx_skipped(ctx, o->rule->id);
}

/* Which specs run at all in this context (rule modes, REPOGUARD_SKIP of a rule or one id). */
static int ct_prepare(rg_content *c, const rg_ctx *ctx)
{
	size_t i, words = RG_BITS_WORDS(c->nspecs);
	int any = 0;

	if (words > c->words || !c->base) {
		free(c->base);
		free(c->active);
		free(c->cand);
		c->words = words ? words : 1;
		c->base = rg_calloc(c->words, sizeof(uint64_t));
		c->active = rg_calloc(c->words, sizeof(uint64_t));
		c->cand = rg_calloc(c->words, sizeof(uint64_t));
	}
	memset(c->base, 0, c->words * sizeof(uint64_t));
	for (i = 0; i < c->nspecs; i++) {
		const ct_spec *s = &c->specs[i];

		if (!ct_owner_active(ctx, &c->owners[s->owner]) || rg_ctx_skipped(ctx, s->id))
			continue;
		rg_bit_set(c->base, i);
		any = 1;
	}
	return any;
}

/* Memoised pattern-list test: specs of one rule share their lists. */
typedef struct {
	const rg_patlist *list;
	int result;
} ct_memo;

static int ct_list_match(ct_memo *memo, const rg_patlist *l, const char *path)
{
	if (memo->list != l) {
		memo->list = l;
		memo->result = rg_patlist_match(l, path, 0, NULL, NULL);
	}
	return memo->result;
}

/* The specs that apply to path; returns non-zero when any does. */
static int ct_select(rg_content *c, const char *path)
{
	ct_memo mp = { NULL, 0 }, ma = { NULL, 0 };
	size_t i;
	int any = 0;

	memset(c->active, 0, c->words * sizeof(uint64_t));
	for (i = 0; i < c->nspecs; i++) {
		const ct_spec *s = &c->specs[i];

		if (!rg_bit_test(c->base, i))
			continue;
		if (s->paths && !ct_list_match(&mp, s->paths, path))
			continue;
		if (s->allow && s->allow->n && ct_list_match(&ma, s->allow, path))
			continue;
		rg_bit_set(c->active, i);
		any = 1;
	}
	return any;
}

static void ct_skip_note(ct_skips *s, const char *path)
{
	if (s->n < CT_NAMES_SHOWN) {
		if (s->n)
			rg_buf_puts(&s->names, ", ");
		rg_buf_puts(&s->names, path);
	}
	s->n++;
}

static void ct_fix(rg_buf *fix, const ct_file *f, int lineno)
{
	if (f->commit) {
		rg_buf_printf(fix, "git rebase -i %.12s~1   # mark %.12s as 'edit'; remove line %d of ",
			f->commit, f->commit, lineno);
		rg_buf_cquote(fix, f->path);
		rg_buf_puts(fix, "\ngit add -- ");
		rg_buf_shquote(fix, f->path);
		rg_buf_puts(fix, " && git commit --amend --no-edit && git rebase --continue");
	} else {
		rg_buf_printf(fix, "# remove line %d of ", lineno);
		rg_buf_cquote(fix, f->path);
		rg_buf_puts(fix, " (or add a repoguard:allow comment to it), then:\ngit add -- ");
		rg_buf_shquote(fix, f->path);
	}
}

static void ct_report_hit(ct_file *f, const rg_content_line *l, const ct_hit *h, const rg_span *red, size_t nred)
{
	const ct_spec *s = &f->c->specs[h->spec];
	rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT, detail = RG_BUF_INIT;
	rg_finding *x;

	if (rg_content_allowed(l->text, l->len, s->id)) {
		if (f->c->nallowed < CT_ALLOWED_SHOWN) {
			rg_buf_printf(&f->c->allowed, "%s%s at ", f->c->nallowed ? ", " : "", s->id);
			if (f->commit)
				rg_buf_printf(&f->c->allowed, "%.12s:", f->commit);
			rg_buf_printf(&f->c->allowed, "%s:%d", l->path, l->lineno);
		}
		f->c->nallowed++;
		return;
	}
	rg_buf_printf(&msg, "%s: ", s->what);
	if (h->error)
		rg_buf_printf(&msg, "the pattern could not be checked on this line (%s)", h->error);
	else
		rg_content_excerpt(&msg, l->text, l->len, h->m.start, h->m.end, red, nred);
	if (s->detail)
		rg_buf_puts(&detail, s->detail);
	ct_fix(&fix, f, l->lineno);
	x = rg_findings_add(f->out, s->id, s->severity, f->commit, l->path, l->lineno, msg.ptr);
	rg_finding_set_detail(x, detail.len ? detail.ptr : NULL);
	rg_finding_set_fix(x, fix.ptr);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&fix);
	rg_buf_dispose(&detail);
}

static void ct_add_hit(ct_file *f, size_t spec, const rg_match *m, const char *error)
{
	ct_hit *h;

	RG_GROW(f->hits, f->ahits, f->nhits + 1);
	h = &f->hits[f->nhits++];
	h->spec = spec;
	if (m)
		h->m = *m;
	else
		memset(&h->m, 0, sizeof(h->m));
	h->error = error ? rg_strdup(error) : NULL;
}

/* Run one candidate pattern over the line: the first match it accepts is a hit. */
static void ct_try(ct_file *f, size_t i, const rg_content_line *l)
{
	const ct_spec *s = &f->c->specs[i];
	void *state = f->c->owners[s->owner].state;
	size_t from = 0;
	rg_match m;
	int r;

	while ((r = rg_matcher_next(&m, f->c->m, i, l->text, l->len, &from)) == 1)
		if (!s->validate || s->validate(state, l, &m)) {
			ct_add_hit(f, i, &m, NULL);
			return;
		}
	if (r < 0)
		ct_add_hit(f, i, NULL, rg_error_last());
}

static int ct_redacts(const ct_spec *s, const ct_hit *h)
{
	if (h->error)
		return 0;
	return s->redact == RG_REDACT_MATCH || (s->redact == RG_REDACT_GROUP && h->m.has_secret_group);
}

/*
 * A second hit of the same id on a line is dropped, and so is a fallback hit
 * (generic-password) when a specific rule masked the same text.
 */
static int ct_superseded(const ct_file *f, size_t i)
{
	const ct_hit *h = &f->hits[i];
	size_t j;

	for (j = 0; j < i; j++) /* one finding per id and line */
		if (!strcmp(f->c->specs[f->hits[j].spec].id, f->c->specs[h->spec].id))
			return 1;
	if (!f->c->specs[h->spec].fallback || h->error)
		return 0;
	for (j = 0; j < f->nhits; j++) {
		const ct_hit *o = &f->hits[j];

		if (j == i || f->c->specs[o->spec].fallback || !ct_redacts(&f->c->specs[o->spec], o))
			continue;
		if (o->m.secret_start < h->m.secret_end && h->m.secret_start < o->m.secret_end)
			return 1;
	}
	return 0;
}

static void ct_line(ct_file *f, const char *text, size_t len, int lineno)
{
	rg_content *c = f->c;
	rg_content_line l;
	rg_span *red;
	size_t w, i, nred = 0;

	if (len && text[len - 1] == '\r')
		len--;
	if (!rg_matcher_candidates(c->cand, c->m, c->active, text, len))
		return;
	l.path = f->path;
	l.lineno = lineno;
	l.text = text;
	l.len = len;
	f->nhits = 0;
	for (w = 0; w < c->words; w++) {
		uint64_t bits = c->cand[w];

		while (bits) {
			i = w * 64 + (size_t)__builtin_ctzll(bits);
			bits &= bits - 1;
			ct_try(f, i, &l);
		}
	}
	if (!f->nhits)
		return;
	red = rg_calloc(f->nhits, sizeof(*red));
	for (i = 0; i < f->nhits; i++)
		if (ct_redacts(&c->specs[f->hits[i].spec], &f->hits[i])) {
			red[nred].start = f->hits[i].m.secret_start;
			red[nred++].end = f->hits[i].m.secret_end;
		}
	for (i = 0; i < f->nhits; i++) {
		if (!ct_superseded(f, i))
			ct_report_hit(f, &l, &f->hits[i], red, nred);
	}
	for (i = 0; i < f->nhits; i++)
		free(f->hits[i].error);
	free(red);
}

static void ct_text(ct_file *f, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int lineno = 1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		ct_line(f, p, n, lineno++);
		p += n + 1;
	}
}

static int ct_diff_line(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l, void *payload)
{
	ct_file *f = payload;
	size_t len = l->content_len;

	RG_UNUSED(d);
	RG_UNUSED(h);
	if (l->origin != GIT_DIFF_LINE_ADDITION)
		return 0;
	if (len && l->content[len - 1] == '\n')
		len--;
	ct_line(f, l->content, len, l->new_lineno);
	return 0;
}

static int ct_diff(ct_file *f, const char *old_text, size_t old_len, const char *new_text, size_t new_len)
{
	git_diff_options o;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 0;
	o.interhunk_lines = 0;
	o.flags = GIT_DIFF_FORCE_TEXT;
	if (git_diff_buffers(old_text, old_len, f->path, new_text, new_len, f->path, &o,
			NULL, NULL, NULL, ct_diff_line, f) < 0)
		return rg_error_from_git(f->path);
	return RG_OK;
}

static void ct_file_begin(ct_file *f)
{
	size_t i;

	for (i = 0; i < f->c->nowners; i++)
		if (f->c->owners[i].file_begin)
			f->c->owners[i].file_begin(f->c->owners[i].state, f->path);
}

/* Scan new_text (every line, or only what it adds to old_text). The specs must be selected. */
static int ct_scan(ct_file *f, const char *old_text, size_t old_len, const char *new_text, size_t new_len)
{
	int r = RG_OK;

	if (rg_content_is_binary(new_text, new_len)) {
		ct_skip_note(&f->c->binary, f->path);
		return RG_OK;
	}
	ct_file_begin(f);
	if (old_text && !rg_content_is_binary(old_text, old_len))
		r = ct_diff(f, old_text, old_len, new_text, new_len);
	else
		ct_text(f, new_text, new_len);
	free(f->hits);
	f->hits = NULL;
	f->nhits = f->ahits = 0;
	return r;
}

static int ct_is_file(uint32_t mode)
{
	return mode == 0100644 || mode == 0100755;
}

static int ct_delta(ct_file *f, rg_delta *d)
{
	git_blob *nb = NULL, *ob = NULL;
	int64_t size;
	int r;

	if (!rg_delta_adds(d) || d->status == RG_DELTA_RENAMED || !ct_is_file(d->new_mode))
		return RG_OK;
	f->path = d->new_path;
	if (!ct_select(f->c, f->path))
		return RG_OK;
	size = rg_ctx_delta_size(f->ctx, d, 1);
	if (size == RG_SIZE_MISSING) {
		ct_skip_note(&f->c->missing, f->path);
		return RG_OK;
	}
	if (size > 0 && (uint64_t)size > f->c->max_size) {
		ct_skip_note(&f->c->large, f->path);
		return RG_OK;
	}
	if ((r = rg_ctx_blob(&nb, f->ctx, &d->new_id)) < 0)
		return r;
	if ((d->status == RG_DELTA_MODIFIED || d->status == RG_DELTA_TYPECHANGE) && ct_is_file(d->old_mode) &&
	    (r = rg_ctx_blob(&ob, f->ctx, &d->old_id)) < 0)
		goto out;
	r = ct_scan(f, ob ? git_blob_rawcontent(ob) : NULL, ob ? (size_t)git_blob_rawsize(ob) : 0,
		git_blob_rawcontent(nb), (size_t)git_blob_rawsize(nb));
out:
	git_blob_free(ob);
	git_blob_free(nb);
	return r;
}

static const rg_rule *ct_first_active(const rg_content *c, const rg_ctx *ctx)
{
	size_t i;

	for (i = 0; i < c->nowners; i++)
		if (ct_owner_active(ctx, &c->owners[i]))
			return c->owners[i].rule;
	return NULL;
}

static void ct_file_init(ct_file *f, rg_content *c, rg_ctx *ctx, rg_findings *out, const char *commit)
{
	memset(f, 0, sizeof(*f));
	f->c = c;
	f->ctx = ctx;
	f->out = out;
	f->commit = commit;
}

int rg_content_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, const rg_rule *self)
{
	rg_content *c = rg_content_of(ctx);
	ct_file f;
	size_t i;
	int r = RG_OK;

	if (!c || ct_first_active(c, ctx) != self || !ct_prepare(c, ctx))
		return RG_OK;
	ct_file_init(&f, c, ctx, out, rg_short_id(cs));
	for (i = 0; i < cs->n && r == RG_OK; i++)
		r = ct_delta(&f, &cs->v[i]);
	return r;
}

static void ct_note_skips(rg_findings *out, ct_skips *s, const char *noun, const char *why)
{
	if (!s->n)
		return;
	rg_findings_info(out, "content checks skipped %zu %s%s%s: %s%s", s->n, noun, s->n == 1 ? "" : "s",
		why, s->names.ptr, s->n > CT_NAMES_SHOWN ? ", ..." : "");
	rg_buf_clear(&s->names);
	s->n = 0;
}

int rg_content_finish(rg_findings *out, rg_ctx *ctx, const rg_rule *self)
{
	rg_content *c = rg_content_of(ctx);
	rg_buf skipped = RG_BUF_INIT;
	size_t i, j;

	if (!c || ct_first_active(c, ctx) != self)
		return RG_OK;
	ct_note_skips(out, &c->binary, "binary file", "");
	ct_note_skips(out, &c->large, "file", " over [content] max_file_size");
	ct_note_skips(out, &c->missing, "file", " whose object is missing (partial clone)");
	if (c->nallowed) {
		rg_findings_info(out, "%zu finding%s allowed by repoguard:allow comments: %s%s", c->nallowed,
			c->nallowed == 1 ? "" : "s", c->allowed.ptr, c->nallowed > CT_ALLOWED_SHOWN ? ", ..." : "");
		rg_buf_clear(&c->allowed);
		c->nallowed = 0;
	}
	for (i = 0; i < c->nspecs; i++) {
		int seen = 0;

		if (rg_ctx_skipped(ctx, "all") || !rg_ctx_skipped(ctx, c->specs[i].id) ||
		    !ct_owner_active(ctx, &c->owners[c->specs[i].owner]))
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = !strcmp(c->specs[j].id, c->specs[i].id);
		if (!seen)
			rg_buf_printf(&skipped, "%s%s", skipped.len ? ", " : "", c->specs[i].id);
	}
	if (skipped.len)
		rg_findings_info(out, "skipped by REPOGUARD_SKIP: %s", skipped.ptr);
	rg_buf_dispose(&skipped);
	return RG_OK;
}

/* Whole-file and in-memory entry points (audit, tests): every active owner runs. */
static int ct_direct(rg_content **c, ct_file *f, rg_findings *out, rg_ctx *ctx, const char *commit,
	const char *path)
{
	*c = rg_content_of(ctx);
	if (!*c || !ct_prepare(*c, ctx))
		return 0;
	ct_file_init(f, *c, ctx, out, commit);
	f->path = path;
	return ct_select(*c, path);
}

int rg_content_check_change(rg_findings *out, rg_ctx *ctx, const char *commit, const char *path,
	const char *old_text, size_t old_len, const char *new_text, size_t new_len)
{
	rg_content *c;
	ct_file f;

	if (!ct_direct(&c, &f, out, ctx, commit, path))
		return RG_OK;
	if (new_len > c->max_size) {
		ct_skip_note(&c->large, path);
		return RG_OK;
	}
	return ct_scan(&f, old_text, old_len, new_text, new_len);
}

int rg_content_check_text(rg_findings *out, rg_ctx *ctx, const char *commit, const char *path,
	const char *text, size_t len)
{
	return rg_content_check_change(out, ctx, commit, path, NULL, 0, text, len);
}

int rg_content_check_blob(rg_findings *out, rg_ctx *ctx, const char *commit, const char *path,
	const git_oid *id)
{
	rg_content *c;
	ct_file f;
	git_blob *b = NULL;
	int64_t size;
	int r;

	if (!ct_direct(&c, &f, out, ctx, commit, path))
		return RG_OK;
	size = rg_ctx_blob_size(ctx, id);
	if (size == RG_SIZE_MISSING) {
		ct_skip_note(&c->missing, path);
		return RG_OK;
	}
	if (size > 0 && (uint64_t)size > c->max_size) {
		ct_skip_note(&c->large, path);
		return RG_OK;
	}
	if ((r = rg_ctx_blob(&b, ctx, id)) < 0)
		return r;
	r = ct_scan(&f, NULL, 0, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return r;
}
