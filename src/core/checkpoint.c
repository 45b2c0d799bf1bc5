/*
 * checkpoint.c: the [checkpoint] configuration, checkpoint tag names and the
 * list of checkpoint tags of a repository.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repoguard/buf.h"
#include "repoguard/checkpoint.h"
#include "repoguard/content.h"
#include "repoguard/glob.h"

#define CKPT_SECTION "checkpoint"
#define CKPT_DEFAULT_TAGS "checkpoint-*"
#define CKPT_DEFAULT_NAME "checkpoint-%Y%m%d-%H%M"
#define CKPT_SAMPLE_TIME 1767225600 /* 2026-01-01 00:00 UTC, for validating name */

static const struct {
	const char *word;
	int mode;
} ckpt_modes[] = {
	{ "pre-commit", RG_MODE_PRE_COMMIT },
	{ "pre-push", RG_MODE_PRE_PUSH },
	{ "pre-receive", RG_MODE_PRE_RECEIVE },
	{ "ci", RG_MODE_CI },
};

/* The entries of (section, key) in order, for error positions. */
static const rg_conf_entry *ckpt_entry(const rg_conf *c, const char *key, size_t *from)
{
	size_t i;

	for (i = *from; i < c->n; i++)
		if (!strcmp(c->v[i].section, CKPT_SECTION) && !strcmp(c->v[i].key, key)) {
			*from = i + 1;
			return &c->v[i];
		}
	return NULL;
}

/* Call fn on every whitespace-separated word of every value of key. */
static void ckpt_words(rg_conf *c, const char *key,
	void (*fn)(rg_conf *, const rg_conf_entry *, const char *, void *), void *arg)
{
	size_t from = 0;
	const rg_conf_entry *e;

	while ((e = ckpt_entry(c, key, &from)) != NULL) {
		const char *s = e->value;

		while (*s) {
			size_t n;
			char *w;

			s += strspn(s, " \t");
			n = strcspn(s, " \t");
			if (!n)
				break;
			w = rg_strndup(s, n);
			fn(c, e, w, arg);
			free(w);
			s += n;
		}
	}
}

typedef struct {
	char **v;
	size_t n, alloc;
} ckpt_strv;

static void ckpt_add_tag(rg_conf *c, const rg_conf_entry *e, const char *w, void *arg)
{
	ckpt_strv *v = arg;
	rg_patlist probe = { NULL, 0, 0 };

	if (w[0] == '!') {
		rg_conf_error(c, e, "tags: '%s': negative patterns are not supported; "
			"list the patterns that count", w);
		return;
	}
	if (rg_patlist_add(&probe, w, e ? e->file : NULL, e ? e->line : 0) < 0)
		rg_conf_error(c, e, "tags: %s", rg_error_last());
	rg_patlist_free(&probe);
	RG_GROW(v->v, v->alloc, v->n + 2);
	v->v[v->n++] = rg_strdup(w);
	v->v[v->n] = NULL;
}

static void ckpt_add_mode(rg_conf *c, const rg_conf_entry *e, const char *w, void *arg)
{
	int *on = arg;
	size_t i;

	for (i = 0; i < RG_ARRAY_SIZE(ckpt_modes); i++)
		if (!strcmp(w, ckpt_modes[i].word)) {
			*on |= ckpt_modes[i].mode;
			return;
		}
	rg_conf_error(c, e, "on: '%s' is not one of pre-commit, pre-push, pre-receive, ci", w);
}

int rg_ckpt_name_matches(const rg_ckpt_conf *c, const char *tag)
{
	char **p;

	/* as `git tag --list PATTERN`: no WM_PATHNAME, '*' crosses '/' */
	for (p = c->tags; p && *p; p++)
		if (rg_wildmatch(*p, tag, 0) == 0)
			return 1;
	return 0;
}

void rg_ckpt_patterns_str(rg_buf *out, const rg_ckpt_conf *c)
{
	char **p;

	for (p = c->tags; p && *p; p++)
		rg_buf_printf(out, "%s%s", p == c->tags ? "" : " ", *p);
}

int rg_ckpt_format_name(rg_buf *out, const rg_ckpt_conf *c, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char name[256];
	size_t n;

	if (!gmtime_r(&tt, &tm)) {
		rg_error_set("time %lld cannot be formatted", (long long)t);
		return RG_ERROR;
	}
	n = strftime(name, sizeof(name), c->name, &tm);
	if (n == 0) {
		rg_error_set("name = %s gives an empty or over-long tag name", c->name);
		return RG_ERROR;
	}
	rg_buf_put(out, name, n);
	return RG_OK;
}

static int ckpt_tag_valid(const char *name)
{
	char *ref = rg_printf("refs/tags/%s", name);
	int valid = 0;

	if (git_reference_name_is_valid(&valid, ref) < 0)
		valid = 0;
	free(ref);
	return valid;
}

/*
 * Does name make, at time t, valid tag names that the tags globs match (a
 * second checkpoint in the same minute too)? 0, or -1 with an error on e.
 */
static int ckpt_check_name_at(rg_conf *conf, const rg_conf_entry *e, rg_ckpt_conf *c, int64_t t)
{
	rg_buf base = RG_BUF_INIT, second = RG_BUF_INIT, pats = RG_BUF_INIT;
	char when[64];
	int r = -1;

	rg_ckpt_fmt_time(when, sizeof(when), t);
	if (rg_ckpt_format_name(&base, c, t) < 0) {
		rg_conf_error(conf, e, "%s (at %s)", rg_error_last(), when);
		goto out;
	}
	rg_buf_printf(&second, "%s-2", base.ptr);
	rg_ckpt_patterns_str(&pats, c);
	if (!ckpt_tag_valid(base.ptr) || !ckpt_tag_valid(second.ptr))
		rg_conf_error(conf, e, "name = %s gives '%s' at %s, which is not a valid tag name "
			"(%%k, %%l and %%e pad with a space: use %%H, %%I and %%d)", c->name, base.ptr, when);
	else if (!rg_ckpt_name_matches(c, base.ptr))
		rg_conf_error(conf, e, "name = %s gives tags like '%s' that tags = %s does not match: "
			"the checkpoints repoguard makes would not count", c->name, base.ptr, pats.ptr);
	else if (!rg_ckpt_name_matches(c, second.ptr))
		rg_conf_error(conf, e, "name = %s: a second checkpoint in the same minute is named "
			"'%s', which tags = %s does not match", c->name, second.ptr, pats.ptr);
	else
		r = 0;
out:
	rg_buf_dispose(&base);
	rg_buf_dispose(&second);
	rg_buf_dispose(&pats);
	return r;
}

/*
 * name must make valid tag names that the tags globs match, or checkpoints
 * would not count: tried at midnight on 1 January and at every hour of
 * 5 March (one-digit day, month, minute and second; both halves of the day).
 */
static void ckpt_check_name(rg_conf *conf, rg_ckpt_conf *c)
{
	const rg_conf_entry *e = rg_conf_get_one(conf, CKPT_SECTION, "name");
	int64_t t = CKPT_SAMPLE_TIME, march5 = CKPT_SAMPLE_TIME + (31 + 28 + 4) * 86400 + 7 * 60 + 9;
	int h;

	if (ckpt_check_name_at(conf, e, c, t) < 0)
		return;
	for (h = 0; h < 24; h++)
		if (ckpt_check_name_at(conf, e, c, march5 + h * 3600) < 0)
			return;
}

int rg_ckpt_conf_load(rg_ckpt_conf *out, rg_conf *conf)
{
	ckpt_strv tags = { NULL, 0, 0 };
	int before = conf->nerrors;
	const rg_conf_entry *e;

	memset(out, 0, sizeof(*out));
	out->severity = rg_conf_severity(conf, CKPT_SECTION, RG_SEV_ERROR);
	out->every = rg_conf_duration(conf, CKPT_SECTION, "every", 0);
	e = rg_conf_get_one(conf, CKPT_SECTION, "name");
	out->name = rg_strdup(e ? e->value : CKPT_DEFAULT_NAME);
	if (rg_conf_get(conf, CKPT_SECTION, "tags"))
		ckpt_words(conf, "tags", ckpt_add_tag, &tags);
	else
		ckpt_add_tag(conf, NULL, CKPT_DEFAULT_TAGS, &tags);
	out->tags = tags.v;
	if (!tags.n && (e = rg_conf_get(conf, CKPT_SECTION, "tags")) != NULL)
		rg_conf_error(conf, e, "tags: no pattern given (e.g. tags = checkpoint-*)");
	if (rg_conf_get(conf, CKPT_SECTION, "on"))
		ckpt_words(conf, "on", ckpt_add_mode, &out->on);
	else
		out->on = RG_MODE_PRE_PUSH;
	if (!out->on && (e = rg_conf_get(conf, CKPT_SECTION, "on")) != NULL)
		rg_conf_error(conf, e, "on: name at least one of pre-commit, pre-push, pre-receive, ci");
	if (conf->nerrors == before && out->tags)
		ckpt_check_name(conf, out);
	return conf->nerrors > before ? RG_ECONFIG : RG_OK;
}

void rg_ckpt_conf_free(rg_ckpt_conf *c)
{
	rg_strv_free(c->tags);
	free(c->name);
	memset(c, 0, sizeof(*c));
}

int rg_ckpt_unique_name(rg_buf *out, git_repository *repo, const rg_ckpt_conf *c, int64_t t)
{
	int seq = 1;

	return rg_ckpt_unique_name_from(out, &seq, repo, c, t);
}

int rg_ckpt_unique_name_from(rg_buf *out, int *seq, git_repository *repo, const rg_ckpt_conf *c, int64_t t)
{
	rg_buf base = RG_BUF_INIT;
	int i, r;

	if ((r = rg_ckpt_format_name(&base, c, t)) < 0)
		goto out;
	for (i = *seq; i < 10000; i++) {
		git_reference *ref = NULL;
		char *full;

		rg_buf_clear(out);
		rg_buf_puts(out, base.ptr);
		if (i > 1)
			rg_buf_printf(out, "-%d", i);
		full = rg_printf("refs/tags/%s", out->ptr);
		r = git_reference_lookup(&ref, repo, full);
		git_reference_free(ref);
		free(full);
		if (r == GIT_ENOTFOUND) {
			git_error_clear();
			*seq = i;
			r = RG_OK;
			goto out;
		}
		if (r < 0) {
			r = rg_error_from_git(out->ptr);
			goto out;
		}
	}
	rg_error_set("tags %s to %s-9999 all exist", base.ptr, base.ptr);
	r = RG_ERROR;
out:
	rg_buf_dispose(&base);
	return r;
}

/* --- the list of checkpoint tags ---------------------------------------- */

/* Fill k from the object a tag ref points at; RG_ENOTFOUND when it is no checkpoint. */
static int ckpt_from_object(rg_ckpt *k, git_repository *repo, const git_oid *target)
{
	git_object *obj = NULL, *peeled = NULL;
	int r = RG_ENOTFOUND;

	if (git_object_lookup(&obj, repo, target, GIT_OBJECT_ANY) < 0)
		goto out;
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0)
		goto out;
	git_oid_cpy(&k->commit, git_object_id(peeled));
	k->commit_time = (int64_t)git_commit_time((git_commit *)peeled);
	k->time = k->commit_time;
	k->annotated = git_object_type(obj) == GIT_OBJECT_TAG;
	if (k->annotated) {
		const git_signature *s = git_tag_tagger((git_tag *)obj);

		/* a tag without a tagger (old git, some importers): the commit's date */
		if (s)
			k->time = (int64_t)s->when.time;
	}
	r = RG_OK;
out:
	git_error_clear();
	git_object_free(peeled);
	git_object_free(obj);
	return r;
}

static int ckpt_cmp(const void *a, const void *b)
{
	const rg_ckpt *x = a, *y = b;

	if (x->time != y->time)
		return x->time > y->time ? -1 : 1;
	return strcmp(y->name, x->name);
}

static void ckpt_remove(rg_ckpt_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name)) {
			free(l->v[i].name);
			memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(*l->v));
			l->n--;
			return;
		}
}

static void ckpt_add(rg_ckpt_list *l, git_repository *repo, const char *name, const git_oid *target)
{
	rg_ckpt k;

	memset(&k, 0, sizeof(k));
	if (ckpt_from_object(&k, repo, target) < 0)
		return;
	k.name = rg_strdup(name);
	RG_GROW(l->v, l->alloc, l->n + 1);
	l->v[l->n++] = k;
}

typedef struct {
	rg_ckpt_list *l;
	git_repository *repo;
	const rg_ckpt_conf *c;
} ckpt_load_ctx;

static int ckpt_load_one(const char *refname, void *payload)
{
	ckpt_load_ctx *x = payload;
	const char *name = refname + strlen("refs/tags/");
	git_oid id;

	if (!rg_ckpt_name_matches(x->c, name))
		return 0;
	if (git_reference_name_to_id(&id, x->repo, refname) < 0) {
		git_error_clear();
		return 0;
	}
	ckpt_add(x->l, x->repo, name, &id);
	return 0;
}

int rg_ckpt_list_load(rg_ckpt_list *l, git_repository *repo, const rg_ckpt_conf *c)
{
	ckpt_load_ctx x = { l, repo, c };
	git_reference_iterator *it = NULL;
	const char *refname;
	int r;

	memset(l, 0, sizeof(*l));
	if (git_reference_iterator_glob_new(&it, repo, "refs/tags/*") < 0)
		return rg_error_from_git("cannot list tags");
	while ((r = git_reference_next_name(&refname, it)) == 0)
		ckpt_load_one(refname, &x);
	git_reference_iterator_free(it);
	if (r != GIT_ITEROVER)
		return rg_error_from_git("cannot list tags");
	git_error_clear();
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), ckpt_cmp);
	return RG_OK;
}

int rg_ckpt_list_apply_updates(rg_ckpt_list *l, git_repository *repo, const rg_ckpt_conf *c,
	const rg_update *u, size_t n)
{
	size_t i;
	int changed = 0;

	for (i = 0; i < n; i++) {
		const char *name;

		if (!u[i].ref || !rg_str_startswith(u[i].ref, "refs/tags/"))
			continue;
		name = u[i].ref + strlen("refs/tags/");
		if (!rg_ckpt_name_matches(c, name))
			continue;
		ckpt_remove(l, name);
		if (!git_oid_is_zero(&u[i].new_id))
			ckpt_add(l, repo, name, &u[i].new_id);
		changed = 1;
	}
	if (changed && l->n)
		qsort(l->v, l->n, sizeof(*l->v), ckpt_cmp);
	return RG_OK;
}

void rg_ckpt_list_free(rg_ckpt_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void rg_ckpt_fmt_time(char *out, size_t outlen, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(out, outlen, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(out, outlen, "@%lld", (long long)t);
}

void rg_ckpt_describe_commit(rg_buf *out, git_repository *repo, const git_oid *id, const rg_ctx *ctx)
{
	git_commit *c = NULL;
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	rg_buf_printf(out, "%.12s", hex);
	if (git_commit_lookup(&c, repo, id) == 0) {
		const char *s = git_commit_summary(c);

		if (s && *s) {
			rg_buf masked = RG_BUF_INIT;

			/* a key pasted into a subject is never printed, nor a control character (\ooo) */
			rg_content_mask(&masked, ctx, s, strlen(s));
			rg_buf_putc(out, ' ');
			rg_buf_put_escaped(out, rg_buf_cstr(&masked), masked.len, 0);
			rg_buf_dispose(&masked);
		}
	}
	git_error_clear();
	git_commit_free(c);
}
