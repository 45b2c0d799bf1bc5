/*
 * content-scan.c: the added-line scan shared by the line rules (content.*,
 * secrets.*, conflict). See content.h.
 *
 * Added files are read whole (every line is added; no diff is needed): the
 * matcher finds the literals of the whole file in one pass and hands out
 * only the lines that hold one. Modified files are diffed with libgit2
 * (git_diff_buffers, zero context lines) and each + line goes through the
 * literal prefilter. Either way a line then goes only through the patterns
 * whose literal it holds.
 *
 * The files of a change set are scanned on several threads (ct_run_pool):
 * the configuration, the compiled patterns and the owners' states are
 * shared and read-only; each thread has its own ct_file (matcher scan
 * state, scratch), each file its own findings and notes, merged in
 * change-set order afterwards.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repoguard/buf.h"
#include "repoguard/commitmsg.h"
#include "repoguard/content.h"
#include "repoguard/parallel.h"
#include "repoguard/rule.h"

#define CT_NAMES_SHOWN 5
#define CT_ALLOWED_SHOWN 10

typedef struct {
	char *id, *what, *detail;
	char *pattern;               /* as given: the redactor compiles it again */
	int severity, redact, fallback;
	int (*validate)(void *state, const rg_content_line *l, const rg_match *m);
	const rg_patlist *paths, *allow;
	int (*path_ok)(const char *path);
	const rg_content_ignore *ignore;
	size_t owner;
} ct_spec;

typedef struct {
	const rg_rule *rule;
	void *state;
	rg_content_prepare_fn prepare;
	rg_content_path_key_fn path_key;
} ct_owner;

/*
 * A class of paths (rg_content_path_class): the specs that apply there
 * (paths and allow lists) and what the owners' validators see of a path
 * (their path keys, combined). Index 0: no spec applies.
 */
typedef struct {
	uint64_t *bits;              /* c->words */
	uint64_t key;
} ct_class;

/* Paths skipped for one reason: the first few names (NUL-separated) and a count. */
typedef struct {
	rg_buf names;
	size_t listed, n;
} ct_skips;

/* What the report says besides findings: skipped files, allowed and ignored findings (NUL-separated). */
typedef struct {
	ct_skips binary, large, missing;
	rg_buf allowed;
	size_t listed, nallowed;
	ct_skips ignored;            /* matches whose text's id the rule's ignore list has */
} ct_notes;

/* What came of a file that said anything: findings, notes, or an error. */
typedef struct {
	rg_findings out;
	ct_notes notes;
	int err;
	char *errmsg;
} ct_result;

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
	uint64_t *base;              /* the specs that run in this context */
	size_t words;
	ct_notes notes;              /* for the report, merged in change-set order */
	/*
	 * Each thread's scan state, kept between change sets (a range has one
	 * per commit, and a JIT stack is not free); [0] is the calling thread's,
	 * also for whole-file checks (audit).
	 */
	struct ct_file *files[RG_PARALLEL_MAX];
	/*
	 * What excerpts mask besides the built-in secrets (rg_redact_builtin):
	 * the patterns with a "secret" group, of rules on or off, compiled on
	 * the first line reported; all of their matches on the line.
	 */
	char **redact_only;          /* patterns of rules that are off */
	size_t nredact_only;
	pthread_mutex_t redact_lock;
	rg_matcher *redactor;
	int *redact_kind;            /* RG_REDACT_* of each redactor pattern */
	ct_class *classes;           /* rg_content_path_class's, made on first use */
	size_t nclasses, aclasses;
	uint64_t *class_bits;        /* scratch, c->words */
};

typedef struct {
	size_t spec;
	rg_match m;
	char *error;
	int ignored;                 /* the masked text's id is in the spec's ignore list: noted only */
} ct_hit;

/*
 * One scanning thread: its matcher scan state and scratch, and the file it
 * is on. Nothing in it is shared, so files are scanned in parallel.
 */
typedef struct ct_file {
	rg_content *c;
	rg_ctx *ctx;
	size_t words;                /* c->words when set up */
	rg_mscan *ms;
	rg_mscan *builtin_ms;        /* over rg_redact_builtin(), made when first needed */
	rg_mscan *redact_ms;         /* over c->redactor, likewise */
	uint64_t *active, *cand;     /* c->words each */
	unsigned *fstate;            /* per owner, zeroed for each file (rg_content_line.file_state) */
	ct_hit *hits;
	size_t nhits, ahits;
	/* line numbers of a whole file, counted lazily (ct_text) */
	const char *text;
	size_t counted;
	int lines;
	rg_content_text file;        /* the new text the lines being checked are in (rg_content_line.file) */
	/* the file */
	rg_findings *out;
	ct_notes *notes;
	ct_result scratch;           /* the item's result until it is kept (ct_item_run) */
	const char *commit;
	int commit_root;             /* commit has no parent */
	const char *path;
	/* a commit message is scanned, not a file (path NULL): the hook's message file, or NULL */
	int message;
	const char *message_file;
	const char *message_tag;     /* an annotated tag's message: the tag's name ("v1.0") */
	/* a merge's file: which of its lines (bit n: line n) another parent does not have */
	uint64_t *merge_new;
	size_t merge_words;
	const git_oid *merge_more;   /* an octopus merge's further versions of the file */
	size_t nmerge_more;
	int new_cr_dropped;          /* the diff's new side lost its lines' ending CRs (ct_drop_eol_cr) */
	/* the files of this thread's next items, read at once (made when first needed) */
	rg_wtbatch *batch;
	int batch_tried;
	/* blobs this thread inflated, and their bytes (ct_blob_threads: reset for a pool's first chunk) */
	size_t blobs;
	uint64_t blob_bytes;
	/* a blob read for the next item too (the same blob under another path class: audit --history) */
	int hold_next;
	int held;
	git_oid held_id;
	rg_blobdata held_data;
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
	pthread_mutex_init(&c->redact_lock, NULL);
	c->max_size = rg_conf_size(conf, "content", "max_file_size", RG_CONTENT_DEFAULT_MAX_SIZE);
	/* 0 is no limit, as for [size]: never "skip every file", which would turn the secrets off */
	if (!c->max_size)
		c->max_size = UINT64_MAX;
	c->next = ct_registry;
	ct_registry = c;
	return c;
}

static void ct_file_dispose(struct ct_file *f);

static void ct_notes_dispose(ct_notes *n)
{
	rg_buf_dispose(&n->binary.names);
	rg_buf_dispose(&n->large.names);
	rg_buf_dispose(&n->missing.names);
	rg_buf_dispose(&n->allowed);
	rg_buf_dispose(&n->ignored.names);
	memset(n, 0, sizeof(*n));
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
		free(c->specs[i].pattern);
	}
	free(c->specs);
	free(c->owners);
	free(c->base);
	ct_notes_dispose(&c->notes);
	for (i = 0; i < RG_ARRAY_SIZE(c->files); i++)
		if (c->files[i]) {
			ct_file_dispose(c->files[i]);
			free(c->files[i]);
		}
	rg_matcher_free(c->m);
	rg_matcher_free(c->redactor);
	free(c->redact_kind);
	for (i = 0; i < c->nredact_only; i++)
		free(c->redact_only[i]);
	free(c->redact_only);
	for (i = 0; i < c->nclasses; i++)
		free(c->classes[i].bits);
	free(c->classes);
	free(c->class_bits);
	pthread_mutex_destroy(&c->redact_lock);
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

size_t rg_content_owner(rg_content *c, const rg_rule *rule, void *state)
{
	RG_GROW(c->owners, c->aowners, c->nowners + 1);
	c->owners[c->nowners].rule = rule;
	c->owners[c->nowners].state = state;
	c->owners[c->nowners].prepare = NULL;
	c->owners[c->nowners].path_key = NULL;
	return c->nowners++;
}

void rg_content_owner_prepare(rg_content *c, size_t owner, rg_content_prepare_fn prepare)
{
	c->owners[owner].prepare = prepare;
}

void rg_content_owner_path_key(rg_content *c, size_t owner, rg_content_path_key_fn path_key)
{
	c->owners[owner].path_key = path_key;
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
	s->pattern = rg_strdup(pattern);
	s->severity = spec->severity;
	s->redact = spec->redact;
	s->fallback = spec->fallback;
	s->validate = spec->validate;
	s->paths = spec->paths;
	s->path_ok = spec->path_ok;
	s->allow = spec->allow;
	s->ignore = spec->ignore;
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

	if (!c->base || words > c->words) {
		free(c->base);
		c->words = words ? words : 1;
		c->base = rg_calloc(c->words, sizeof(uint64_t));
	}
	memset(c->base, 0, c->words * sizeof(uint64_t));
	for (i = 0; i < c->nspecs; i++) {
		const ct_spec *s = &c->specs[i];

		if (!ct_owner_active(ctx, &c->owners[s->owner]) || rg_ctx_skipped(ctx, s->id))
			continue;
		rg_bit_set(c->base, i);
		any = 1;
	}
	rg_matcher_ready(c->m); /* before any thread scans with it */
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

/* The specs that apply to path, into active (c->words); returns non-zero when any does. */
static int ct_select(uint64_t *active, const rg_content *c, const char *path)
{
	ct_memo mp = { NULL, 0 }, ma = { NULL, 0 };
	size_t i;
	int any = 0;

	memset(active, 0, c->words * sizeof(uint64_t));
	for (i = 0; i < c->nspecs; i++) {
		const ct_spec *s = &c->specs[i];

		if (!rg_bit_test(c->base, i))
			continue;
		if (s->path_ok && !s->path_ok(path))
			continue;
		if (s->paths && !ct_list_match(&mp, s->paths, path))
			continue;
		if (s->allow && s->allow->n && ct_list_match(&ma, s->allow, path))
			continue;
		rg_bit_set(active, i);
		any = 1;
	}
	return any;
}

/* ---- path classes (audit --history) ---------------------------------------- */

/* What the active owners' validators see of path, combined. */
static uint64_t ct_path_key(const rg_content *c, const rg_ctx *ctx, const char *path)
{
	uint64_t key = 0;
	size_t i;

	for (i = 0; i < c->nowners; i++)
		if (c->owners[i].path_key && ct_owner_active(ctx, &c->owners[i]))
			key = key * 1000003u + c->owners[i].path_key(c->owners[i].state, path) + 1;
	return key;
}

/* Remove from bits (c->words) the specs of every judged class that sees a path as key does; non-zero when any is left. */
static int ct_class_fresh(const rg_content *c, uint64_t *bits, uint64_t key, const uint32_t *judged, size_t n)
{
	uint64_t any = 0;
	size_t i, w;

	for (i = 0; i < n; i++) {
		const ct_class *k = judged[i] < c->nclasses ? &c->classes[judged[i]] : NULL;

		if (!k || !judged[i] || k->key != key)
			continue;
		for (w = 0; w < c->words; w++)
			bits[w] &= ~k->bits[w];
	}
	for (w = 0; w < c->words; w++)
		any |= bits[w];
	return any != 0;
}

uint32_t rg_content_path_class(rg_ctx *ctx, const char *path)
{
	rg_content *c = rg_content_of(ctx);
	uint64_t key;
	size_t i;

	if (!c)
		return 0;
	if (!c->nclasses) { /* the specs of this run (REPOGUARD_SKIP), and class 0: none */
		ct_prepare(c, ctx);
		c->class_bits = rg_calloc(c->words, sizeof(uint64_t));
		RG_GROW(c->classes, c->aclasses, 1);
		c->classes[0].bits = rg_calloc(c->words, sizeof(uint64_t));
		c->classes[0].key = 0;
		c->nclasses = 1;
	}
	if (!ct_select(c->class_bits, c, path))
		return 0;
	key = ct_path_key(c, ctx, path);
	for (i = 1; i < c->nclasses; i++)
		if (c->classes[i].key == key && !memcmp(c->classes[i].bits, c->class_bits, c->words * sizeof(uint64_t)))
			return (uint32_t)i;
	RG_GROW(c->classes, c->aclasses, c->nclasses + 1);
	c->classes[i].bits = rg_malloc(c->words * sizeof(uint64_t));
	memcpy(c->classes[i].bits, c->class_bits, c->words * sizeof(uint64_t));
	c->classes[i].key = key;
	return (uint32_t)c->nclasses++;
}

int rg_content_class_adds(const rg_ctx *ctx, uint32_t cls, const uint32_t *judged, size_t n)
{
	rg_content *c = rg_content_of(ctx);

	if (!c || !cls || cls >= c->nclasses)
		return 0;
	memcpy(c->class_bits, c->classes[cls].bits, c->words * sizeof(uint64_t));
	return ct_class_fresh(c, c->class_bits, c->classes[cls].key, judged, n);
}

int rg_content_path_classes(const rg_ctx *ctx)
{
	rg_content *c = rg_content_of(ctx);
	size_t i;

	if (!c || !ct_prepare(c, ctx))
		return 0;
	for (i = 0; i < c->nowners; i++)
		if (c->owners[i].path_key && ct_owner_active(ctx, &c->owners[i]))
			return 1;
	for (i = 0; i < c->nspecs; i++)
		if (rg_bit_test(c->base, i) && ((c->specs[i].paths && c->specs[i].paths->n) || c->specs[i].path_ok ||
		    (c->specs[i].allow && c->specs[i].allow->n)))
			return 1;
	return 0;
}

/* ---- notes --------------------------------------------------------------- */

static void ct_list_add(rg_buf *names, size_t *listed, size_t limit, const char *s, size_t len)
{
	if (*listed >= limit)
		return;
	rg_buf_put(names, s, len);
	rg_buf_putc(names, '\0');
	(*listed)++;
}

/* A skipped path, C-quoted as in finding lines (no control byte raw in a note). */
static void ct_skip_note(ct_skips *s, const char *path)
{
	rg_buf q = RG_BUF_INIT;

	if (s->listed < CT_NAMES_SHOWN) {
		rg_buf_cquote(&q, path);
		ct_list_add(&s->names, &s->listed, CT_NAMES_SHOWN, q.ptr, q.len);
		rg_buf_dispose(&q);
	}
	s->n++;
}

/* Append src's entries (NUL-separated) to dst, up to limit listed. */
static void ct_list_merge(rg_buf *dst, size_t *dlisted, size_t limit, const rg_buf *src)
{
	size_t at = 0;

	while (at < src->len) {
		size_t n = strlen(src->ptr + at);

		ct_list_add(dst, dlisted, limit, src->ptr + at, n);
		at += n + 1;
	}
}

static void ct_skips_merge(ct_skips *dst, const ct_skips *src)
{
	ct_list_merge(&dst->names, &dst->listed, CT_NAMES_SHOWN, &src->names);
	dst->n += src->n;
}

static void ct_notes_merge(ct_notes *dst, const ct_notes *src)
{
	ct_skips_merge(&dst->binary, &src->binary);
	ct_skips_merge(&dst->large, &src->large);
	ct_skips_merge(&dst->missing, &src->missing);
	ct_list_merge(&dst->allowed, &dst->listed, CT_ALLOWED_SHOWN, &src->allowed);
	dst->nallowed += src->nallowed;
	ct_list_merge(&dst->ignored.names, &dst->ignored.listed, CT_ALLOWED_SHOWN, &src->ignored.names);
	dst->ignored.n += src->ignored.n;
}

/* "a, b, c" of a NUL-separated list. */
static void ct_list_join(rg_buf *out, const rg_buf *list)
{
	size_t at = 0;

	while (at < list->len) {
		if (at)
			rg_buf_puts(out, ", ");
		rg_buf_puts(out, list->ptr + at);
		at += strlen(list->ptr + at) + 1;
	}
}

/* ---- one line ------------------------------------------------------------ */

/* A secret in a commit message: reword the commit, or edit the message being written. */
static void ct_message_fix(rg_buf *fix, const ct_file *f)
{
	if (f->message_tag) {
		rg_buf_puts(fix, "git tag -f -a ");
		rg_buf_shquote(fix, f->message_tag);
		rg_buf_putc(fix, ' ');
		rg_buf_shquote(fix, f->message_tag);
		rg_buf_puts(fix, "^{}   # write the tag's message again, without the secret");
	} else if (f->commit && f->commit_root)
		rg_buf_printf(fix, "git rebase -i --root   # mark %.12s as 'reword' and take the secret out of its message",
			f->commit);
	else if (f->commit)
		rg_buf_printf(fix, "git rebase -i %.12s~1   # mark %.12s as 'reword' and take the secret out of its message",
			f->commit, f->commit);
	else if (f->message_file)
		rg_commit_msg_fix(fix, f->message_file, "take the secret out of the message");
}

static void ct_fix(rg_buf *fix, const ct_file *f, int lineno)
{
	if (f->message) {
		ct_message_fix(fix, f);
		return;
	}
	if (f->commit) {
		rg_fix_rebase_edit(fix, f->commit, f->commit_root);
		rg_buf_printf(fix, "; remove line %d of ", lineno);
		rg_buf_cquote(fix, f->path);
		rg_buf_puts(fix, "\ngit add -- ");
		rg_buf_shquote(fix, f->path);
		rg_fix_amend_continue(fix);
	} else {
		rg_buf_printf(fix, "# remove line %d of ", lineno);
		rg_buf_cquote(fix, f->path);
		rg_buf_puts(fix, " (or add a repoguard:allow comment to it), then:\ngit add -- ");
		rg_buf_shquote(fix, f->path);
	}
}

/*
 * "[COMMIT's ]commit message, line N" or "tag v1.0's message, line N"; a
 * finding names its commit itself (with_commit 0).
 */
static void ct_message_where(rg_buf *e, const ct_file *f, int lineno, int with_commit)
{
	if (f->message_tag) {
		rg_buf_puts(e, "tag ");
		rg_buf_cquote(e, f->message_tag);
		rg_buf_puts(e, "'s message");
	} else {
		if (f->commit && with_commit)
			rg_buf_printf(e, "%.12s's ", f->commit);
		rg_buf_puts(e, "commit message");
	}
	rg_buf_printf(e, ", line %d", lineno);
}

/* "secrets.jwt at [COMMIT:]path:line", or "... at [COMMIT's ]commit message, line N" */
static void ct_where(rg_buf *e, const ct_file *f, const rg_content_line *l, const ct_spec *s)
{
	rg_buf_printf(e, "%s at ", s->id);
	if (f->message) {
		ct_message_where(e, f, l->lineno, 1);
		return;
	}
	if (f->commit)
		rg_buf_printf(e, "%.12s:", f->commit);
	rg_buf_cquote(e, l->path);
	rg_buf_printf(e, ":%d", l->lineno);
}

static void ct_note_allowed(ct_file *f, const rg_content_line *l, const ct_spec *s)
{
	rg_buf e = RG_BUF_INIT;

	ct_where(&e, f, l, s);
	ct_list_add(&f->notes->allowed, &f->notes->listed, CT_ALLOWED_SHOWN, e.ptr, e.len);
	f->notes->nallowed++;
	rg_buf_dispose(&e);
}

/* The id of the text m masks on the line ([secrets] ignore). */
static void ct_match_id(char hex[GIT_OID_HEXSZ + 1], const rg_content_line *l, const rg_match *m)
{
	rg_content_text_id(hex, l->text + m->secret_start, m->secret_end - m->secret_start);
}

/* Is the text m masks one the spec's ignore list names (a rotated secret)? */
static int ct_is_ignored(const ct_spec *s, const rg_content_line *l, const rg_match *m)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (!s->ignore || !s->ignore->n)
		return 0;
	ct_match_id(hex, l, m);
	return rg_content_ignored(s->ignore, hex);
}

static void ct_note_ignored(ct_file *f, const rg_content_line *l, const ct_hit *h)
{
	const ct_spec *s = &f->c->specs[h->spec];
	char hex[GIT_OID_HEXSZ + 1];
	rg_buf e = RG_BUF_INIT;

	ct_match_id(hex, l, &h->m);
	ct_where(&e, f, l, s);
	rg_buf_printf(&e, " (%.*s)", RG_CONTENT_ID_SHOWN, hex);
	ct_list_add(&f->notes->ignored.names, &f->notes->ignored.listed, CT_ALLOWED_SHOWN, e.ptr, e.len);
	f->notes->ignored.n++;
	rg_buf_dispose(&e);
}

/*
 * How to stop reporting this text once it is rotated: its id in the rule's
 * ignore list, in the detail and whole in the finding (JSON's text_id).
 */
static void ct_ignore_hint(rg_finding *x, rg_buf *detail, const ct_spec *s, const rg_content_line *l,
	const ct_hit *h)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (!s->ignore || h->error)
		return;
	ct_match_id(hex, l, &h->m);
	x->text_id = rg_strdup(hex);
	if (detail->len)
		rg_buf_putc(detail, '\n');
	rg_buf_printf(detail, "Rotated already, so it no longer works? \"ignore = %.*s\" in [%s] (the masked text's\n"
		"git hash-object id, not the secret) stops reporting it in every file and commit.",
		RG_CONTENT_ID_SHOWN, hex, s->ignore->section);
}

static void ct_report_hit(ct_file *f, const rg_content_line *l, const ct_hit *h, const rg_span *red, size_t nred)
{
	const ct_spec *s = &f->c->specs[h->spec];
	rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT, detail = RG_BUF_INIT;
	rg_finding *x;

	if (rg_content_allowed(l->text, l->len, s->id)) {
		ct_note_allowed(f, l, s);
		return;
	}
	/* a rule's message and pattern are masked too: one written against a leaked key names it */
	if (f->message) { /* no path to name: the finding's text says where */
		ct_message_where(&msg, f, l->lineno, 0);
		rg_buf_puts(&msg, ": ");
	}
	rg_content_mask_value(&msg, s->what);
	rg_buf_puts(&msg, ": ");
	if (h->error)
		rg_buf_printf(&msg, "the pattern could not be checked on this line (%s)", h->error);
	else
		rg_content_excerpt(&msg, l->text, l->len, h->m.start, h->m.end, red, nred);
	ct_fix(&fix, f, l->lineno);
	x = rg_findings_add(f->out, s->id, s->severity, f->commit, l->path, f->message ? 0 : l->lineno, msg.ptr);
	if (f->message) /* the rule's own detail speaks of files and paths */
		rg_buf_printf(&detail, "A message is pushed with its commit or tag and stays in history, as a file's lines do:\n"
			"take the secret out of it, and rotate the secret if it was ever pushed. Not a secret?\n"
			"Add a \"repoguard:allow %s\" comment to the line.", s->id);
	else if (s->detail)
		rg_content_mask_value(&detail, s->detail);
	ct_ignore_hint(x, &detail, s, l, h);
	rg_finding_set_detail(x, detail.len ? detail.ptr : NULL);
	rg_finding_set_fix(x, fix.ptr);
	rg_buf_dispose(&detail);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&fix);
}

static ct_hit *ct_add_hit(ct_file *f, size_t spec, const rg_match *m, const char *error)
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
	h->ignored = 0;
	return h;
}

/*
 * Run one candidate pattern over the line: the first match it accepts is a
 * hit. A match the ignore list names is a hit noted only (the first such),
 * and the search goes on: another secret of the same kind on the line is
 * still reported.
 */
static void ct_try(ct_file *f, size_t i, rg_content_line *l)
{
	const ct_spec *s = &f->c->specs[i];
	void *state = f->c->owners[s->owner].state;
	size_t from = 0;
	int r, ignored = 0;
	rg_match m;

	l->file_state = &f->fstate[s->owner];
	while ((r = rg_mscan_next(&m, f->ms, i, l->text, l->len, &from)) == 1) {
		if (s->validate && !s->validate(state, l, &m))
			continue;
		if (!ct_is_ignored(s, l, &m)) {
			ct_add_hit(f, i, &m, NULL);
			return;
		}
		if (!ignored++)
			ct_add_hit(f, i, &m, NULL)->ignored = 1;
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
 * (generic-password) on text a specific rule masked, or would have: its
 * pattern matches there but it is disabled, skipped or allowed for the path.
 * Among fallbacks, one secret is one finding: the lower level's (cli-password
 * before generic-password), of one level the first's.
 */
static int ct_superseded(ct_file *f, const rg_content_line *l, size_t i)
{
	const ct_hit *h = &f->hits[i];
	size_t j;

	for (j = 0; j < i; j++) /* one finding per id and line; an ignored hit gives way to any */
		if ((h->ignored || !f->hits[j].ignored) &&
		    !strcmp(f->c->specs[f->hits[j].spec].id, f->c->specs[h->spec].id))
			return 1;
	if (!f->c->specs[h->spec].fallback || h->error)
		return 0;
	for (j = 0; j < f->nhits; j++) {
		const ct_hit *o = &f->hits[j];
		int lo = f->c->specs[o->spec].fallback, lh = f->c->specs[h->spec].fallback;

		if (j == i || lo > lh || (lo == lh && j > i) || !ct_redacts(&f->c->specs[o->spec], o))
			continue;
		if (o->m.secret_start < h->m.secret_end && h->m.secret_start < o->m.secret_end)
			return 1;
	}
	/* a token a specific rule knows, when that rule is disabled, skipped or allowed here */
	if (!f->builtin_ms)
		f->builtin_ms = rg_mscan_new(rg_redact_builtin());
	return rg_redact_specific_overlaps(f->builtin_ms, l->text, l->len, h->m.secret_start, h->m.secret_end);
}

static void ct_redactor_add(rg_content *c, size_t *n, const char *pattern, int kind)
{
	if (rg_matcher_add(c->redactor, pattern) < 0)
		return; /* every pattern here was compiled once already */
	c->redact_kind = rg_realloc(c->redact_kind, (*n + 1) * sizeof(*c->redact_kind));
	c->redact_kind[(*n)++] = kind;
}

/* The redactor, built by the first thread that reports a line (c->redactor). */
static const rg_matcher *ct_redactor(rg_content *c)
{
	size_t i, n = 0;

	pthread_mutex_lock(&c->redact_lock);
	if (!c->redactor) {
		c->redactor = rg_matcher_new();
		for (i = 0; i < c->nspecs; i++) /* the built-in secrets are rg_redact_builtin's */
			if (c->specs[i].redact != RG_REDACT_NONE && !rg_str_startswith(c->specs[i].id, "secrets."))
				ct_redactor_add(c, &n, c->specs[i].pattern, c->specs[i].redact);
		for (i = 0; i < c->nredact_only; i++)
			ct_redactor_add(c, &n, c->redact_only[i], RG_REDACT_GROUP);
		rg_matcher_ready(c->redactor); /* before another thread scans with it */
	}
	pthread_mutex_unlock(&c->redact_lock);
	return c->redactor;
}

int rg_content_add_redactor(rg_content *c, const char *pattern)
{
	rg_matcher *m = rg_matcher_new();
	int r = rg_matcher_add(m, pattern); /* only to say now that it is invalid */

	rg_matcher_free(m);
	if (r < 0)
		return r;
	c->redact_only = rg_realloc(c->redact_only, (c->nredact_only + 1) * sizeof(*c->redact_only));
	c->redact_only[c->nredact_only++] = rg_strdup(pattern);
	return RG_OK;
}

/* Every secret in text: the built-in ones (scanned by b) and c's redactor's (by r, when not NULL). */
static void ct_mask_spans(rg_spans *sp, rg_mscan *b, rg_mscan *r, const rg_content *c, const char *text, size_t len)
{
	rg_redact_spans(sp, b, NULL, text, len);
	if (r)
		rg_redact_spans(sp, r, c->redact_kind, text, len);
}

/* Every secret on the line, by every redacting pattern. */
static void ct_redact_spans(ct_file *f, const rg_content_line *l, rg_spans *sp)
{
	const rg_matcher *r = ct_redactor(f->c);

	if (!f->builtin_ms)
		f->builtin_ms = rg_mscan_new(rg_redact_builtin());
	if (!f->redact_ms)
		f->redact_ms = rg_mscan_new(r);
	ct_mask_spans(sp, f->builtin_ms, f->redact_ms, f->c, l->text, l->len);
}

void rg_content_mask(rg_buf *out, const rg_ctx *ctx, const char *text, size_t len)
{
	rg_content *c = ctx ? rg_content_of(ctx) : NULL;
	rg_mscan *b = rg_mscan_new(rg_redact_builtin()), *r = c ? rg_mscan_new(ct_redactor(c)) : NULL;
	rg_spans sp = { NULL, 0, 0 };

	ct_mask_spans(&sp, b, r, c, text, len);
	rg_spans_merge(&sp);
	rg_content_excerpt(out, text, len, 0, len, sp.v, sp.n);
	rg_spans_dispose(&sp);
	rg_mscan_free(b);
	rg_mscan_free(r);
}

static void ct_report_line(ct_file *f, const rg_content_line *l)
{
	const rg_content *c = f->c;
	rg_spans sp = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < f->nhits; i++)
		if (ct_redacts(&c->specs[f->hits[i].spec], &f->hits[i]))
			rg_spans_add(&sp, f->hits[i].m.secret_start, f->hits[i].m.secret_end);
	ct_redact_spans(f, l, &sp);
	rg_spans_merge(&sp);
	for (i = 0; i < f->nhits; i++) {
		if (ct_superseded(f, l, i))
			continue;
		if (f->hits[i].ignored)
			ct_note_ignored(f, l, &f->hits[i]);
		else
			ct_report_hit(f, l, &f->hits[i], sp.v, sp.n);
	}
	for (i = 0; i < f->nhits; i++)
		free(f->hits[i].error);
	rg_spans_dispose(&sp);
}

/* Lines before offset at, counted on from the last line numbered: only lines with hits need one. */
static int ct_lineno(ct_file *f, const char *text, size_t at)
{
	const char *p = text + f->counted, *end = text + at;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		f->lines++;
		p++;
	}
	f->counted = at;
	return f->lines + 1;
}

/* Try the candidate patterns (f->cand) on one line; lineno 0: count it if something is reported. */
static void ct_line_check(ct_file *f, const char *text, size_t len, int lineno)
{
	const rg_content *c = f->c;
	rg_content_line l;
	size_t w, i;

	l.path = f->path;
	l.lineno = lineno;
	l.text = text;
	l.len = len;
	l.file_state = NULL;
	l.file = &f->file; /* a store: this runs on every candidate line (the test is the reader's) */
	f->nhits = 0;
	for (w = 0; w < c->words; w++) {
		uint64_t bits = f->cand[w];

		while (bits) {
			i = w * 64 + (size_t)__builtin_ctzll(bits);
			bits &= bits - 1;
			ct_try(f, i, &l);
		}
	}
	if (f->nhits) {
		if (!l.lineno)
			l.lineno = ct_lineno(f, f->text, (size_t)(text - f->text));
		ct_report_line(f, &l);
	}
}

static size_t ct_strip_cr(const char *text, size_t len)
{
	return len && text[len - 1] == '\r' ? len - 1 : len;
}

/* One line, without its ending (ct_strip_cr). */
static void ct_line(ct_file *f, const char *text, size_t len, int lineno)
{
	if (rg_mscan_candidates(f->cand, f->ms, f->active, text, len))
		ct_line_check(f, text, len, lineno);
}

/* Every line, for patterns without a prefilter. */
static void ct_text_lines(ct_file *f, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int lineno = 1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		ct_line(f, p, ct_strip_cr(p, n), lineno++);
		p += n + 1;
	}
}

/*
 * A whole file: the matcher skips to the lines its literals occur on,
 * without splitting the others (rg_mscan_next_line); a line is numbered
 * only when something is reported on it.
 */
static void ct_text(ct_file *f, const char *text, size_t len)
{
	size_t ls, le;

	f->file.ptr = text;
	f->file.len = len;
	if (rg_matcher_any_residual(f->c->m, f->active)) {
		ct_text_lines(f, text, len);
		f->file.ptr = NULL;
		return;
	}
	f->counted = 0;
	f->lines = 0;
	f->text = text;
	rg_mscan_buffer(f->ms, f->active, text, len);
	while (rg_mscan_next_line(&ls, &le, f->cand, f->ms))
		ct_line_check(f, text + ls, ct_strip_cr(text + ls, le - ls), 0);
	f->text = NULL;
	f->file.ptr = NULL;
}

/*
 * text without the CR that ends a line (before its "\n", or at the end of
 * the text), into buf, when it holds a CR; returns 1 then. A line that
 * differs from the old side only by that CR is the same line: a file
 * converted from CRLF to LF (or back) adds nothing, so old debt in it does
 * not block the conversion. Lines are matched without that CR anyway
 * (ct_strip_cr), and line numbers stay. libgit2 1.5 has no
 * ignore-CR-at-EOL flag (GIT_DIFF_IGNORE_WHITESPACE_EOL would also ignore
 * trailing blanks, which a pattern may care about).
 */
static int ct_drop_eol_cr(rg_buf *buf, const char **text, size_t *len)
{
	const char *p = *text, *end = *text + *len, *cr;
	char *o;

	if (!*len || (cr = memchr(p, '\r', *len)) == NULL)
		return 0;
	rg_buf_grow(buf, *len); /* once: the copy is never longer (one put per line was measurable) */
	o = buf->ptr + buf->len;
	do {
		const char *q = cr + 1;

		if (q == end || *q == '\n') { /* else a CR inside a line: content */
			memcpy(o, p, (size_t)(cr - p));
			o += cr - p;
			p = q;
		}
		cr = q < end ? memchr(q, '\r', (size_t)(end - q)) : NULL;
	} while (cr);
	memcpy(o, p, (size_t)(end - p));
	o += end - p;
	buf->len = (size_t)(o - buf->ptr);
	buf->ptr[buf->len] = '\0';
	*text = buf->ptr;
	*len = buf->len;
	return 1;
}

/*
 * text ending in "\n", copied into buf (or appended to the copy
 * ct_drop_eol_cr made there) when its last line has none: that line is the
 * same line with a newline. git's diff shows a line appended after it as
 * that line removed and added again ("\ No newline at end of file"), which
 * made old debt on it new; so did a newline added or dropped at the end.
 */
static void ct_end_eol(rg_buf *buf, const char **text, size_t *len)
{
	if (!*len || (*text)[*len - 1] == '\n')
		return;
	if (*text != buf->ptr)
		rg_buf_put(buf, *text, *len);
	rg_buf_putc(buf, '\n');
	*text = buf->ptr;
	*len = buf->len;
}

/* The lines new_text adds to old_text, each to cb (libgit2's diff, no context). */
static int ct_diff_buffers(ct_file *f, const char *old_text, size_t old_len, const char *new_text, size_t new_len,
	git_diff_line_cb cb)
{
	rg_buf ob = RG_BUF_INIT, nb = RG_BUF_INIT;
	git_diff_options o;
	int r = RG_OK;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 0;
	o.interhunk_lines = 0;
	o.flags = GIT_DIFF_FORCE_TEXT;
	ct_drop_eol_cr(&ob, &old_text, &old_len);
	f->new_cr_dropped = ct_drop_eol_cr(&nb, &new_text, &new_len);
	ct_end_eol(&ob, &old_text, &old_len);
	ct_end_eol(&nb, &new_text, &new_len);
	f->file.ptr = new_text; /* an added line's context above it: libgit2 hands out lines in place */
	f->file.len = new_len;
	if (git_diff_buffers(old_text, old_len, f->path, new_text, new_len, f->path, &o,
			NULL, NULL, NULL, cb, f) < 0)
		r = rg_error_from_git(f->path);
	f->file.ptr = NULL;
	f->new_cr_dropped = 0;
	rg_buf_dispose(&nb);
	rg_buf_dispose(&ob);
	return r;
}

static int ct_merge_line_new(const ct_file *f, int lineno)
{
	size_t n = lineno > 0 ? (size_t)lineno : 0;

	return n / 64 >= f->merge_words || (f->merge_new[n / 64] >> (n % 64)) & 1;
}

static int ct_merge_mark(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l, void *payload)
{
	ct_file *f = payload;
	size_t n = l->new_lineno > 0 ? (size_t)l->new_lineno : 0;

	RG_UNUSED(d);
	RG_UNUSED(h);
	if (l->origin == GIT_DIFF_LINE_ADDITION && n / 64 < f->merge_words)
		f->merge_new[n / 64] |= (uint64_t)1 << (n % 64);
	return 0;
}

/*
 * A merge's file that differs from every parent: mark the lines of new_text
 * that base (the other parent's version) does not have, as git's combined
 * diff does; ct_diff_line then checks only those of the first-parent diff.
 */
static int ct_merge_lines(ct_file *f, const char *base, size_t base_len, const char *new_text, size_t new_len)
{
	size_t lines = 2;
	const char *p = new_text, *end = new_text + new_len;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	f->merge_words = (lines + 63) / 64;
	f->merge_new = rg_calloc(f->merge_words, sizeof(uint64_t));
	return ct_diff_buffers(f, base, base_len, new_text, new_len, ct_merge_mark);
}

static void ct_merge_clear(ct_file *f)
{
	free(f->merge_new);
	f->merge_new = NULL;
	f->merge_words = 0;
}

static int ct_diff_line(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l, void *payload)
{
	ct_file *f = payload;
	size_t len = l->content_len;

	RG_UNUSED(d);
	RG_UNUSED(h);
	if (l->origin != GIT_DIFF_LINE_ADDITION)
		return 0;
	if (f->merge_new && !ct_merge_line_new(f, l->new_lineno))
		return 0; /* the merge took this line from its other parent */
	if (len && l->content[len - 1] == '\n')
		len--;
	if (!f->new_cr_dropped) /* else a CR left at the end is content, as in ct_text */
		len = ct_strip_cr(l->content, len);
	ct_line(f, l->content, len, l->new_lineno);
	return 0;
}

static int ct_diff(ct_file *f, const char *old_text, size_t old_len, const char *new_text, size_t new_len)
{
	return ct_diff_buffers(f, old_text, old_len, new_text, new_len, ct_diff_line);
}

/* ---- one file ------------------------------------------------------------ */

static void ct_file_init(ct_file *f, rg_content *c, rg_ctx *ctx)
{
	memset(f, 0, sizeof(*f));
	f->c = c;
	f->ctx = ctx;
	f->words = c->words;
	f->ms = rg_mscan_new(c->m);
	f->active = rg_calloc(c->words, sizeof(uint64_t));
	f->cand = rg_calloc(c->words, sizeof(uint64_t));
	f->fstate = rg_calloc(c->nowners ? c->nowners : 1, sizeof(unsigned));
	rg_findings_init(&f->scratch.out);
}

static void ct_file_unhold(ct_file *f);

static void ct_file_dispose(struct ct_file *f)
{
	ct_file_unhold(f);
	rg_mscan_free(f->ms);
	rg_mscan_free(f->builtin_ms);
	rg_mscan_free(f->redact_ms);
	free(f->active);
	free(f->cand);
	free(f->fstate);
	free(f->hits);
	rg_ctx_read_ahead_free(f->batch);
	rg_findings_free(&f->scratch.out);
	ct_notes_dispose(&f->scratch.notes);
	free(f->scratch.errmsg);
	memset(f, 0, sizeof(*f));
}

/* Scan new_text (every line, or only what it adds to old_text). f->active must be selected. */
static int ct_scan(ct_file *f, const char *old_text, size_t old_len, const char *new_text, size_t new_len)
{
	if (rg_content_is_binary(new_text, new_len)) {
		ct_skip_note(&f->notes->binary, f->path);
		return RG_OK;
	}
	memset(f->fstate, 0, (f->c->nowners ? f->c->nowners : 1) * sizeof(unsigned));
	if (old_text && !rg_content_is_binary(old_text, old_len))
		return ct_diff(f, old_text, old_len, new_text, new_len);
	if (f->merge_new)
		return ct_diff(f, "", 0, new_text, new_len); /* every line, through the merge filter */
	ct_text(f, new_text, new_len);
	return RG_OK;
}

/* Read a parent's version (blob id) of a merge's file at path, whole. */
static int ct_read_version(rg_blobdata *out, ct_file *f, const char *path, const git_oid *id)
{
	rg_delta md;

	memset(&md, 0, sizeof(md));
	md.status = RG_DELTA_MODIFIED;
	md.old_path = (char *)path;
	md.old_mode = 0100644;
	git_oid_cpy(&md.old_id, id);
	md.old_size = md.new_size = RG_SIZE_UNKNOWN;
	return rg_ctx_delta_read(out, f->ctx, &md, 0, UINT64_MAX);
}

/* Read another parent's version (id) of a merge's file and mark the lines it lacks. */
static int ct_merge_read(ct_file *f, const rg_delta *d, const git_oid *id, const char *new_text, size_t new_len)
{
	rg_blobdata mb;
	rg_buf dec = RG_BUF_INIT;
	const char *text;
	size_t len;
	int r;

	if ((r = ct_read_version(&mb, f, d->new_path, id)) != RG_OK)
		return r < 0 ? r : RG_OK; /* missing in a partial clone: every line counts */
	text = mb.data;
	len = mb.len;
	rg_content_decode(&dec, &text, &len);
	if (!rg_content_is_binary(text, len))
		r = ct_merge_lines(f, text, len, new_text, new_len);
	rg_buf_dispose(&dec);
	rg_blobdata_free(&mb);
	return r;
}

/*
 * Mark the lines of a merge's file that no other parent has: those the
 * first other version lacks, and (an octopus merge) each further one too.
 */
static int ct_merge_base(ct_file *f, const rg_delta *d, const char *new_text, size_t new_len)
{
	uint64_t *keep;
	size_t i, w;
	int r = ct_merge_read(f, d, &d->merge_base_id, new_text, new_len);

	for (i = 0; r == RG_OK && i < f->nmerge_more; i++) {
		keep = f->merge_new;
		f->merge_new = NULL;
		r = ct_merge_read(f, d, &f->merge_more[i], new_text, new_len);
		if (!f->merge_new) { /* binary or missing: no narrowing */
			f->merge_new = keep;
			continue;
		}
		for (w = 0; keep && w < f->merge_words; w++)
			f->merge_new[w] &= keep[w];
		free(keep);
	}
	return r;
}

/*
 * A merge's file the other parent renamed: the first parent's version under
 * the old name, read into ob as the old side (the lines it has are its own).
 */
static int ct_merge_old(rg_blobdata *ob, ct_file *f, const rg_delta *d)
{
	int r = ct_read_version(ob, f, d->new_path, &d->merge_old_id);

	return r < 0 ? r : RG_OK; /* missing in a partial clone: every line counts */
}

/*
 * Read and scan one delta whose specs are selected in f->active: what it
 * adds to its old side, or to base (the file it was renamed from), else
 * every line.
 */
static int ct_delta(ct_file *f, rg_delta *d, rg_delta *base)
{
	rg_blobdata nb, ob;
	rg_buf ndec = RG_BUF_INIT, odec = RG_BUF_INIT;
	const char *nt, *ot;
	size_t nl, ol;
	int r, hold = f->hold_next;

	memset(&ob, 0, sizeof(ob));
	f->hold_next = 0;
	if (f->held && !d->wt_entry && git_oid_equal(&f->held_id, &d->new_id)) {
		nb = f->held_data; /* read for the item before: the same blob under another path class */
		f->held = 0;
	} else {
		if (f->held) {
			rg_blobdata_free(&f->held_data);
			f->held = 0;
		}
		if ((r = rg_ctx_delta_read_batched(&nb, f->ctx, f->batch, d, 1, f->c->max_size)) != RG_OK) {
			if (r == RG_READ_MISSING)
				ct_skip_note(&f->notes->missing, f->path);
			else if (r == RG_READ_TOO_BIG)
				ct_skip_note(&f->notes->large, f->path);
			return r < 0 ? r : RG_OK;
		}
		if (!nb.from_worktree) {
			f->blobs++;
			f->blob_bytes += nb.len;
		}
	}
	if (!base && (d->status == RG_DELTA_MODIFIED || d->status == RG_DELTA_TYPECHANGE) && rg_mode_is_file(d->old_mode))
		base = d;
	if (base && (r = rg_ctx_delta_read(&ob, f->ctx, base, 0, UINT64_MAX)) < 0)
		goto out;
	if (!base && d->has_merge_old && (r = ct_merge_old(&ob, f, d)) < 0)
		goto out;
	/* both sides decoded before any diff: a line of UTF-16 is a line of text */
	nt = nb.data;
	nl = nb.len;
	ot = ob.data;
	ol = ob.len;
	rg_content_decode(&ndec, &nt, &nl);
	rg_content_decode(&odec, &ot, &ol);
	if (d->has_merge_base && (r = ct_merge_base(f, d, nt, nl)) < 0)
		goto out;
	r = ct_scan(f, ot, ol, nt, nl);
out:
	ct_merge_clear(f);
	rg_buf_dispose(&odec);
	rg_buf_dispose(&ndec);
	rg_blobdata_free(&ob);
	if (hold && r >= 0 && !nb.from_worktree) { /* the next item is this blob: read once */
		f->held_data = nb;
		git_oid_cpy(&f->held_id, &d->new_id);
		f->held = 1;
	} else {
		rg_blobdata_free(&nb);
	}
	return r;
}

/* Drop the blob a thread held for a next item that did not come (its chunk ended). */
static void ct_file_unhold(ct_file *f)
{
	if (f->held)
		rg_blobdata_free(&f->held_data);
	f->held = 0;
	f->hold_next = 0;
}

/* ---- a change set, on several threads ------------------------------------ */

/*
 * One file of a change set: what to scan, and what came of it (NULL when
 * nothing did, as for most files). With the result inside, an item was 290
 * bytes, and 10,000 of them were 2.6 MB of fresh pages to write before the
 * scan threads start.
 */
typedef struct {
	rg_delta *d;
	rg_delta *base;              /* the file d was renamed from, or NULL */
	int has_fresh;               /* a rename: some specs apply at the new path, not the old (bits after active) */
	size_t active;               /* offset of its selected specs in the pool's bits */
	const char *commit;          /* the commit its findings name, when not the pool's (audit) */
	int hold;                    /* the next item is the same blob: keep it read (audit --history) */
	ct_result *res;
} ct_item;

typedef struct {
	rg_content *c;
	rg_ctx *ctx;
	const rg_changeset *cs;
	const char *commit;
	int commit_root;
	ct_item *items;
	size_t n, alloc;
	uint64_t *bits;              /* c->words per item */
	size_t balloc;               /* items bits has room for */
	ct_file *files[RG_PARALLEL_MAX]; /* each thread's scan state */
	int own_repos;               /* workers read blobs through their own repositories */
	int one_reader;              /* blobs only on the calling thread (rg_content_check_files) */
	size_t chunk;                /* items a thread takes at once (ct_run_pool) */
	size_t first_chunk;          /* chunks before it ran on the calling thread */
} ct_pool;

/*
 * One file. A file renamed (exactly, or with an edit) is checked for what
 * the rename adds, and then whole for the specs that apply at its new path
 * but did not at the old one: a key kept under an allowed path
 * (tests/fixtures/) and moved into src/ is new there.
 */
static size_t ct_skips_count(const ct_notes *n)
{
	return n->binary.n + n->large.n + n->missing.n;
}

/* Keep the scratch result in the item when there is anything in it. */
static void ct_item_keep(ct_file *f, ct_item *it)
{
	ct_result *s = &f->scratch;

	if (!s->out.n && !s->out.ninfos && !s->out.notes && !ct_skips_count(&s->notes) && !s->notes.nallowed &&
	    !s->notes.ignored.n && s->err >= 0)
		return;
	it->res = rg_malloc(sizeof(*it->res));
	*it->res = *s;
	memset(s, 0, sizeof(*s));
	rg_findings_init(&s->out);
}

static void ct_item_run(ct_file *f, ct_pool *p, ct_item *it)
{
	size_t words = p->c->words, w, skipped = 0;
	ct_result *res = &f->scratch;

	f->out = &res->out;
	f->notes = &res->notes;
	f->commit = it->commit ? it->commit : p->commit;
	f->commit_root = p->commit_root;
	f->path = it->d->new_path;
	/* (NULL + 0 is undefined behaviour: most change sets have no merge_more) */
	f->merge_more = it->d->merge_more_n ? p->cs->merge_more + it->d->merge_more_at : NULL;
	f->nmerge_more = it->d->merge_more_n;
	if (it->d->status != RG_DELTA_RENAMED) {
		/* the fresh specs see the whole file below: not the added lines twice */
		for (w = 0; w < words; w++)
			f->active[w] = p->bits[it->active + w] & ~(it->has_fresh ? p->bits[it->active + words + w] : 0);
		f->hold_next = it->hold;
		if ((res->err = ct_delta(f, it->d, it->base)) < 0)
			goto out;
	}
	/* a file skipped above (binary, too big, missing) would be skipped, and noted, again */
	if (it->has_fresh && ct_skips_count(&res->notes) == skipped) {
		memcpy(f->active, p->bits + it->active + words, words * sizeof(uint64_t));
		res->err = ct_delta(f, it->d, NULL);
	}
out:
	if (res->err < 0)
		res->errmsg = rg_strdup(rg_error_last());
	ct_item_keep(f, it);
}

/* Thread k's scan state, set up for this configuration and context (on the calling thread). */
static ct_file *ct_file_for(rg_content *c, rg_ctx *ctx, size_t k)
{
	ct_file *f = c->files[k];

	if (f && (f->words != c->words || f->ctx != ctx)) {
		ct_file_dispose(f);
		free(f);
		f = c->files[k] = NULL;
	}
	if (!f) {
		f = c->files[k] = rg_malloc(sizeof(*f));
		ct_file_init(f, c, ctx);
	}
	return f;
}

/* The files of items [from, to) that come from the working tree, read at once. */
static void ct_pool_read_ahead(ct_file *f, ct_pool *p, size_t from, size_t to)
{
	rg_delta *d[RG_READ_AHEAD_MAX] = { NULL };
	size_t n = 0, i;

	for (i = from; i < to && n < RG_READ_AHEAD_MAX; i++)
		if (p->items[i].d->wt_entry && p->items[i].d->status != RG_DELTA_RENAMED)
			d[n++] = p->items[i].d;
	rg_ctx_read_ahead(&f->batch, &f->batch_tried, p->ctx, d, n, p->c->max_size);
}

/* Chunk i of the pool's items, on one thread. */
static void ct_pool_chunk(void *arg, size_t worker, size_t i)
{
	ct_pool *p = arg;
	size_t from = (p->first_chunk + i) * p->chunk, to = from + p->chunk < p->n ? from + p->chunk : p->n, k;

	if (p->own_repos)
		rg_ctx_thread_bind(p->ctx, worker);
	ct_pool_read_ahead(p->files[worker], p, from, to);
	for (k = from; k < to; k++)
		ct_item_run(p->files[worker], p, &p->items[k]);
	if (p->own_repos)
		rg_ctx_thread_bind(p->ctx, SIZE_MAX);
}

/*
 * Threads for the scan (rg_parallel_threads). A blob read through the
 * context's repository takes its lock, one inflation at a time: measured,
 * two threads over 10,000 small blobs took 40 ms against 31 ms for one. So
 * where most items are blobs (ranges, or files the working tree does not
 * vouch for), each extra worker reads through a repository of its own
 * (rg_ctx_thread_repos): ci over a commit adding 100 MB in 10,000 files
 * took 0.33 s against 0.55 s. That pays only for blobs large enough:
 * libgit2 takes a global lock for each window of a pack it reads. ci over
 * 10,000 packed blobs (gen-source.py), two threads against one: 150 bytes
 * each, 70 against 73 ms; 400 bytes, 74 against 90; 1,000 bytes, 93
 * against 127; 8,000 bytes, 284 against 523. bench/pre-commit.sh's bulk
 * shape (10,000 blobs of 55 bytes) took 75 ms on two threads against 55 ms
 * on one. So the first chunk is read on the calling thread, and the rest is
 * spread only if its blobs average CT_OWN_READERS_BYTES or more
 * (ct_blob_threads); fewer than CT_OWN_READERS_MIN blobs stay on one
 * thread (opening a repository and starting threads for each commit made
 * ci over 1,000 small commits 1.5x slower). REPOGUARD_THREADS forces the
 * threads.
 */
#define CT_OWN_READERS_MIN 32
#define CT_OWN_READERS_BYTES 256
static size_t ct_threads(ct_pool *p)
{
	const char *e = getenv("REPOGUARD_THREADS");
	size_t i, from_files = 0, nt;

	if (p->n < 2)
		return 1;
	for (i = 0; i < p->n; i++)
		from_files += p->items[i].d->wt_entry != NULL;
	if (from_files >= p->n / 2)
		return rg_parallel_threads(p->n);
	if (p->one_reader || (p->n < CT_OWN_READERS_MIN && !(e && *e)))
		return 1;
	nt = rg_parallel_threads(p->n);
	p->own_repos = nt > 1;
	return nt;
}

/* After the first chunk: nt threads, each extra one with a repository of its own, or 1. */
static size_t ct_blob_threads(ct_pool *p, size_t nt)
{
	const char *e = getenv("REPOGUARD_THREADS");
	int forced = e && *e;
	const ct_file *f = p->files[0];
	size_t own;

	if (!forced && (f->blobs == 0 || f->blob_bytes / f->blobs < CT_OWN_READERS_BYTES)) {
		p->own_repos = 0;
		return 1;
	}
	own = rg_ctx_thread_repos(p->ctx, nt);
	if (p->ctx->trace_reads)
		fprintf(stderr, "trace: %zu blobs on %zu threads, %zu with a repository of their own\n",
			p->n, own > 1 || forced ? nt : 1, own - 1);
	/* workers without a repository of their own (none could be opened) read under the lock */
	return own > 1 || forced ? nt : 1;
}

/*
 * Items go to the threads in chunks of up to RG_READ_AHEAD_MAX, whose files
 * are read at once; smaller ones when there are too few items for four
 * chunks a thread, so that no thread is left with the tail of the work.
 */
static void ct_run_pool(ct_pool *p)
{
	size_t nt = ct_threads(p), made = nt, i, chunks;

	for (i = 0; i < nt; i++)
		p->files[i] = ct_file_for(p->c, p->ctx, i);
	p->chunk = p->n / (4 * nt);
	if (p->chunk > RG_READ_AHEAD_MAX)
		p->chunk = RG_READ_AHEAD_MAX;
	if (p->chunk < 1)
		p->chunk = 1;
	chunks = (p->n + p->chunk - 1) / p->chunk;
	p->first_chunk = 0;
	if (p->own_repos) {
		/* blobs: the first chunk here, through the context's repository; then as large as they are */
		p->files[0]->blobs = 0;
		p->files[0]->blob_bytes = 0;
		ct_pool_chunk(p, 0, 0);
		p->first_chunk = 1;
		nt = ct_blob_threads(p, nt);
	}
	rg_parallel_run(nt, chunks - p->first_chunk, ct_pool_chunk, p);
	for (i = 0; i < made; i++) { /* the change set's deltas go: no batch may name them after */
		ct_file_unhold(p->files[i]);
		rg_ctx_read_ahead(&p->files[i]->batch, &p->files[i]->batch_tried, p->ctx, NULL, 0, 0);
	}
}

/* The specs at path, into bits, that are not in of (c->words each); non-zero when any. */
static int ct_select_new(uint64_t *bits, const rg_content *c, const char *path, const uint64_t *of)
{
	uint64_t any = 0;
	size_t w;

	ct_select(bits, c, path);
	for (w = 0; w < c->words; w++)
		any |= bits[w] = of[w] & ~bits[w];
	return any != 0;
}

/* Room for n items at once: grown by doubling, the arrays were copied (and their fresh pages faulted) a dozen times. */
static void ct_pool_reserve(ct_pool *p, size_t n)
{
	RG_GROW(p->items, p->alloc, n);
	p->balloc = p->alloc;
	p->bits = rg_realloc(p->bits, (p->balloc ? p->balloc : 1) * 2 * p->c->words * sizeof(uint64_t));
}

static void ct_pool_add(ct_pool *p, rg_delta *d, rg_delta *base)
{
	rg_content *c = p->c;
	const char *from = base ? base->old_path : d->status == RG_DELTA_RENAMED ? d->old_path : NULL;
	uint64_t *bits;
	ct_item *it;

	if (!rg_delta_adds(d) || !rg_mode_is_file(d->new_mode))
		return;
	if (p->n == p->alloc)
		ct_pool_reserve(p, p->n + 1);
	it = &p->items[p->n];
	memset(it, 0, sizeof(*it));
	it->d = d;
	it->base = base;
	it->active = p->n * 2 * c->words;
	bits = p->bits + it->active;
	if (!ct_select(bits, c, d->new_path))
		return;
	if (from)
		it->has_fresh = ct_select_new(bits + c->words, c, from, bits);
	if (d->status == RG_DELTA_RENAMED && !it->has_fresh)
		return; /* the same blob under the same rules: nothing added */
	p->n++;
}

/* Findings and notes in change-set order; the first error is returned. */
static int ct_pool_merge(ct_pool *p, rg_findings *out)
{
	size_t i;
	int r = RG_OK;

	for (i = 0; i < p->n; i++) {
		ct_result *res = p->items[i].res;

		if (!res)
			continue;
		rg_findings_take(out, &res->out);
		ct_notes_merge(&p->c->notes, &res->notes);
		ct_notes_dispose(&res->notes);
		if (res->err < 0 && r == RG_OK) {
			r = res->err;
			rg_error_set("%s", res->errmsg);
		}
		free(res->errmsg);
		free(res);
	}
	free(p->items);
	free(p->bits);
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

/*
 * The built-in secrets that run here, into active: a message has no path
 * for other rules' lists, nor is it a file of the name a built-in's path
 * test wants (.netrc's "password v" is no message's secret).
 */
static int ct_select_message(uint64_t *active, const rg_content *c)
{
	size_t i;
	int any = 0;

	memset(active, 0, c->words * sizeof(uint64_t));
	for (i = 0; i < c->nspecs; i++)
		if (rg_bit_test(c->base, i) && !c->specs[i].path_ok &&
		    !strcmp(c->owners[c->specs[i].owner].rule->id, "secrets")) {
			rg_bit_set(active, i);
			any = 1;
		}
	return any;
}

static void ct_message(rg_findings *out, rg_content *c, rg_ctx *ctx, const char *commit, int commit_root,
	const char *file, const char *tag, const char *msg, size_t len)
{
	ct_file *f = ct_file_for(c, ctx, 0);

	if (!ct_select_message(f->active, c))
		return;
	f->out = out;
	f->notes = &c->notes;
	f->commit = commit;
	f->commit_root = commit_root;
	f->path = NULL;
	f->message = 1;
	f->message_file = file;
	f->message_tag = tag;
	memset(f->fstate, 0, (c->nowners ? c->nowners : 1) * sizeof(unsigned));
	ct_text(f, msg, len);
	f->message = 0;
	f->message_file = NULL;
	f->message_tag = NULL;
}

/* A message on its own (the commit-msg hook, the audit): the run's specs first. */
static int ct_check_message(rg_findings *out, rg_ctx *ctx, const char *commit, int commit_root,
	const char *file, const char *tag, const char *msg, size_t len)
{
	rg_content *c = rg_content_of(ctx);

	if (c && ct_prepare(c, ctx))
		ct_message(out, c, ctx, commit, commit_root, file, tag, msg, len);
	return RG_OK;
}

int rg_content_check_message(rg_findings *out, rg_ctx *ctx, const char *commit, int commit_root,
	const char *file, const char *msg, size_t len)
{
	return ct_check_message(out, ctx, commit, commit_root, file, NULL, msg, len);
}

int rg_content_check_tag_message(rg_findings *out, rg_ctx *ctx, const char *tag, const char *msg, size_t len)
{
	return ct_check_message(out, ctx, NULL, 0, NULL, tag, msg, len);
}

/* The owners' own preparation for cs (conflict-marker-size): on this thread, before the scanning threads start. */
static void ct_prepare_owners(rg_content *c, rg_ctx *ctx, const rg_changeset *cs)
{
	size_t i;

	for (i = 0; i < c->nowners; i++)
		if (c->owners[i].prepare && ct_owner_active(ctx, &c->owners[i]))
			c->owners[i].prepare(c->owners[i].state, ctx, cs);
}

int rg_content_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, const rg_rule *self)
{
	rg_content *c = rg_content_of(ctx);
	rg_delta **src;
	ct_pool p;
	size_t i;
	int r;

	if (!c || ct_first_active(c, ctx) != self || !ct_prepare(c, ctx))
		return RG_OK;
	memset(&p, 0, sizeof(p));
	p.c = c;
	p.ctx = ctx;
	p.cs = cs;
	p.commit = rg_short_id(cs);
	p.commit_root = cs->is_root;
	ct_prepare_owners(c, ctx, cs);
	src = rg_calloc(cs->n ? cs->n : 1, sizeof(*src));
	ct_pool_reserve(&p, cs->n);
	rg_content_rename_sources(src, ctx, cs, c->max_size);
	for (i = 0; i < cs->n; i++)
		ct_pool_add(&p, &cs->v[i], src[i]);
	if (p.n)
		ct_run_pool(&p);
	free(src);
	r = ct_pool_merge(&p, out);
	if (r >= 0 && cs->message && cs->has_commit) /* after the files, on this thread */
		ct_message(out, c, ctx, p.commit, cs->is_root, NULL, NULL, cs->message, strlen(cs->message));
	else if (r >= 0 && cs->message && cs->tag_message && cs->ref)
		ct_message(out, c, ctx, NULL, 0, NULL, rg_str_startswith(cs->ref, "refs/tags/") ?
			cs->ref + strlen("refs/tags/") : cs->ref, cs->message, strlen(cs->message));
	return r;
}

static void ct_note_skips(rg_findings *out, ct_skips *s, const char *noun, const char *why)
{
	rg_buf names = RG_BUF_INIT;

	if (!s->n)
		return;
	ct_list_join(&names, &s->names);
	rg_findings_info(out, "content checks skipped %zu %s%s%s: %s%s", s->n, noun, s->n == 1 ? "" : "s",
		why, names.ptr, s->n > CT_NAMES_SHOWN ? ", ..." : "");
	rg_buf_dispose(&names);
	rg_buf_clear(&s->names);
	s->n = s->listed = 0;
}

/* The notes gathered since the last report: skipped files, allowed findings, REPOGUARD_SKIP. */
static void ct_report_notes(rg_findings *out, rg_content *c, const rg_ctx *ctx)
{
	rg_buf skipped = RG_BUF_INIT;
	size_t i, j;

	ct_note_skips(out, &c->notes.binary, "binary file", "");
	ct_note_skips(out, &c->notes.large, "file", " over [content] max_file_size");
	ct_note_skips(out, &c->notes.missing, "file", !c->notes.missing.n || rg_ctx_is_partial((rg_ctx *)ctx) ?
		" whose object is missing (partial clone)" : " whose object is missing (the repository is damaged: run git fsck)");
	if (c->notes.nallowed) {
		rg_buf list = RG_BUF_INIT;

		ct_list_join(&list, &c->notes.allowed);
		rg_findings_info(out, "%zu finding%s allowed by repoguard:allow comments: %s%s", c->notes.nallowed,
			c->notes.nallowed == 1 ? "" : "s", list.ptr,
			c->notes.nallowed > CT_ALLOWED_SHOWN ? ", ..." : "");
		rg_buf_dispose(&list);
		rg_buf_clear(&c->notes.allowed);
		c->notes.nallowed = c->notes.listed = 0;
	}
	if (c->notes.ignored.n) {
		rg_buf list = RG_BUF_INIT;

		ct_list_join(&list, &c->notes.ignored.names);
		rg_findings_info(out, "%zu finding%s ignored by their text's id ([secrets] ignore): %s%s",
			c->notes.ignored.n, c->notes.ignored.n == 1 ? "" : "s", list.ptr,
			c->notes.ignored.n > CT_ALLOWED_SHOWN ? ", ..." : "");
		rg_buf_dispose(&list);
		rg_buf_clear(&c->notes.ignored.names);
		c->notes.ignored.n = c->notes.ignored.listed = 0;
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
}

int rg_content_finish(rg_findings *out, rg_ctx *ctx, const rg_rule *self)
{
	rg_content *c = rg_content_of(ctx);

	if (!c || ct_first_active(c, ctx) != self)
		return RG_OK;
	ct_report_notes(out, c, ctx);
	return RG_OK;
}

/* ---- whole files and in-memory text (audit, tests): every active owner runs -- */

int rg_content_check_files(rg_findings *out, rg_ctx *ctx, rg_delta *files, const char *const *commits,
	const rg_content_judged *judged, size_t n, const rg_view *attrs, size_t *skipped)
{
	static const rg_changeset none; /* no merge's other versions */
	rg_content *c = rg_content_of(ctx);
	rg_changeset in; /* the files in the state whose .gitattributes apply, for the owners' preparation */
	ct_pool p;
	size_t i, before, unneeded = 0;
	int r;

	*skipped = n;
	if (!c || !ct_prepare(c, ctx))
		return RG_OK;
	rg_changeset_init(&in); /* a serial of its own: the attribute cache is keyed by it */
	in.v = files;
	in.n = n;
	if (attrs)
		in.view = *attrs;
	ct_prepare_owners(c, ctx, &in); /* borrows files and attrs: in is not freed */
	memset(&p, 0, sizeof(p));
	p.c = c;
	p.ctx = ctx;
	p.cs = &none;
	/*
	 * Files the working tree vouches for are read and scanned on every
	 * core; blobs on this thread. Blobs read through several repositories
	 * gained 5 to 8 % on packed generated histories (--depth=50) for more
	 * CPU and memory: not worth it for the audit. (ThreadSanitizer's
	 * reports inside libgit2 there were false: docs/audit.md, stop 20.)
	 */
	p.one_reader = 1;
	ct_pool_reserve(&p, n);
	for (i = 0; i < n; i++) {
		size_t had = p.n;

		ct_pool_add(&p, &files[i], NULL);
		if (p.n > had && judged && judged[i].n &&
		    !ct_class_fresh(c, p.bits + p.items[had].active, ct_path_key(c, ctx, files[i].new_path),
			judged[i].v, judged[i].n)) {
			p.n = had; /* every spec at this path ran on the blob already */
			unneeded++;
			continue;
		}
		if (p.n > had && commits)
			p.items[had].commit = commits[i];
		if (p.n > had && had && !files[i].wt_entry && !p.items[had - 1].d->wt_entry &&
		    git_oid_equal(&p.items[had - 1].d->new_id, &files[i].new_id))
			p.items[had - 1].hold = 1;
	}
	*skipped = n - p.n - unneeded;
	before = ct_skips_count(&c->notes);
	if (p.n)
		ct_run_pool(&p);
	r = ct_pool_merge(&p, out);
	*skipped += ct_skips_count(&c->notes) - before;
	return r;
}

/* The content's own scan state set up for path, or NULL when no spec applies. */
static ct_file *ct_direct(rg_findings *out, rg_ctx *ctx, const char *commit, const char *path)
{
	rg_content *c = rg_content_of(ctx);
	ct_file *f;

	if (!c || !ct_prepare(c, ctx))
		return NULL;
	f = ct_file_for(c, ctx, 0);
	f->out = out;
	f->notes = &c->notes;
	f->commit = commit;
	f->commit_root = 0;
	f->path = path;
	return ct_select(f->active, c, path) ? f : NULL;
}

int rg_content_check_change(rg_findings *out, rg_ctx *ctx, const char *commit, const char *path,
	const char *old_text, size_t old_len, const char *new_text, size_t new_len)
{
	ct_file *f = ct_direct(out, ctx, commit, path);
	rg_buf ndec = RG_BUF_INIT, odec = RG_BUF_INIT;
	int r;

	if (!f)
		return RG_OK;
	if (new_len > f->c->max_size) {
		ct_skip_note(&f->notes->large, path);
		return RG_OK;
	}
	rg_content_decode(&ndec, &new_text, &new_len);
	if (old_text)
		rg_content_decode(&odec, &old_text, &old_len);
	r = ct_scan(f, old_text, old_len, new_text, new_len);
	rg_buf_dispose(&odec);
	rg_buf_dispose(&ndec);
	return r;
}

int rg_content_check_text(rg_findings *out, rg_ctx *ctx, const char *commit, const char *path,
	const char *text, size_t len)
{
	return rg_content_check_change(out, ctx, commit, path, NULL, 0, text, len);
}

int rg_content_check_blob(rg_findings *out, rg_ctx *ctx, const char *commit, const char *path,
	const git_oid *id)
{
	rg_delta d;
	size_t skipped;
	int r;

	memset(&d, 0, sizeof(d));
	d.status = RG_DELTA_ADDED;
	d.new_path = (char *)path;
	d.new_mode = 0100644;
	git_oid_cpy(&d.new_id, id);
	d.new_size = RG_SIZE_UNKNOWN;
	d.old_size = RG_SIZE_UNKNOWN;
	r = rg_content_check_files(out, ctx, &d, &commit, NULL, 1, NULL, &skipped);
	return r < 0 ? r : skipped ? RG_CONTENT_SKIPPED : RG_OK;
}

int rg_content_active(const rg_ctx *ctx)
{
	rg_content *c = rg_content_of(ctx);

	return c && ct_first_active(c, ctx) != NULL;
}

void rg_content_skipped_rules(rg_buf *out, const rg_ctx *ctx)
{
	rg_content *c = rg_content_of(ctx);
	size_t i;

	for (i = 0; c && i < c->nowners; i++) {
		const rg_rule *r = c->owners[i].rule;

		if ((r->modes & ctx->mode) && rg_ctx_skipped(ctx, r->id))
			rg_buf_printf(out, "%s%s", out->len ? ", " : "", r->id);
	}
}

void rg_content_notes(rg_findings *out, rg_ctx *ctx)
{
	rg_content *c = rg_content_of(ctx);

	if (c)
		ct_report_notes(out, c, ctx);
}
