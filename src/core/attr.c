/* attr.c: gitattributes parsing and evaluation (see include/repoguard/attr.h). */
#include <stdlib.h>
#include <string.h>

#include "repoguard/attr.h"
#include "repoguard/buf.h"
#include "repoguard/common.h"

struct rg_attr_macro {
	char *name, *attrs;
};

#define ATTR_BLANK " \t\r"
#define ATTR_MACRO_DEPTH 16  /* git refuses macro loops at definition; this bounds them */

static void attr_macro_define(rg_attr_file *f, const char *name, const char *attrs)
{
	if (!*name)
		return;
	RG_GROW(f->macros, f->macros_alloc, f->nmacros + 1);
	f->macros[f->nmacros].name = rg_strdup(name);
	f->macros[f->nmacros++].attrs = rg_strdup(attrs + strspn(attrs, ATTR_BLANK));
}

/* One line: a macro definition, or a pattern and its attributes. */
static void attr_parse_line(rg_attr_file *f, size_t *alloc, char *p, const char *origin, int lineno)
{
	rg_buf quoted = RG_BUF_INIT;
	const char *pat, *rest;

	p += strspn(p, ATTR_BLANK);
	if (!*p || *p == '#')
		return;
	if (*p == '"' && rg_buf_unquote_c(&quoted, p, &rest) == RG_OK) {
		pat = rg_buf_cstr(&quoted);
	} else {
		pat = p;
		p += strcspn(p, ATTR_BLANK);
		rest = *p ? p + 1 : p;
		*p = '\0';
	}
	if (rg_str_startswith(pat, "[attr]"))
		attr_macro_define(f, pat + strlen("[attr]"), rest);
	else if (*pat != '!' && rg_patlist_add(&f->pat, pat, origin, lineno) == 0) {
		RG_GROW(f->attrs, *alloc, f->pat.n);
		f->attrs[f->pat.n - 1] = rg_strdup(rest);
	}
	rg_buf_dispose(&quoted);
}

rg_attr_file *rg_attr_parse(const char *text, size_t len, const char *origin)
{
	rg_attr_file *f = rg_calloc(1, sizeof(*f));
	size_t alloc = 0, pos = 0;
	int lineno = 0;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		pos = 3; /* git skips a UTF-8 byte order mark */
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		char *buf = rg_strndup(line, ll);

		pos += ll + (nl ? 1 : 0);
		attr_parse_line(f, &alloc, buf, origin, ++lineno);
		free(buf);
	}
	return f;
}

void rg_attr_file_free(rg_attr_file *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->pat.n; i++)
		free(f->attrs[i]);
	free(f->attrs);
	for (i = 0; i < f->nmacros; i++) {
		free(f->macros[i].name);
		free(f->macros[i].attrs);
	}
	free(f->macros);
	rg_patlist_free(&f->pat);
	free(f);
}

void rg_attr_casefold(rg_attr_file *f)
{
	if (f)
		rg_patlist_casefold(&f->pat);
}

rg_attr_file *rg_attr_read(const char *path, const char *origin, int casefold)
{
	rg_buf text = RG_BUF_INIT;
	rg_attr_file *f = NULL;

	if (path && rg_buf_read_file(&text, path, 0) == RG_OK) {
		f = rg_attr_parse(rg_buf_cstr(&text), text.len, origin);
		if (casefold)
			rg_attr_casefold(f);
	}
	rg_buf_dispose(&text);
	return f;
}

/*
 * One evaluation, git's fill(): lines are visited from the highest down,
 * each line's attributes from its last; an attribute takes the first value
 * it meets, and a set macro then fills what it stands for. Evaluation stops
 * once name is decided.
 */
typedef struct {
	const char *p;
	size_t len;
} attr_name;

typedef struct {
	const rg_attr_stack *stack;
	const char *name;
	size_t name_len;
	attr_name fixed[32];   /* attribute names decided so far (pointing into the files) */
	attr_name *seen;       /* fixed, or on the heap past 32 */
	size_t nseen, seen_alloc;
	int done, depth;
	const char *value;
	char *buf;
	size_t buflen;
} attr_eval;

static int attr_seen(attr_eval *ev, const char *n, size_t nl)
{
	size_t i;

	for (i = 0; i < ev->nseen; i++)
		if (ev->seen[i].len == nl && !memcmp(ev->seen[i].p, n, nl))
			return 1;
	if (ev->nseen == RG_ARRAY_SIZE(ev->fixed) && ev->seen == ev->fixed) {
		ev->seen = NULL;
		ev->seen_alloc = 0;
		RG_GROW(ev->seen, ev->seen_alloc, ev->nseen + 1);
		memcpy(ev->seen, ev->fixed, sizeof(ev->fixed));
	} else if (ev->seen != ev->fixed) {
		RG_GROW(ev->seen, ev->seen_alloc, ev->nseen + 1);
	}
	ev->seen[ev->nseen].p = n;
	ev->seen[ev->nseen++].len = nl;
	return 0;
}

/* The definition of macro n: info/attributes, the root file, global, system, last line first; then git's built-in. */
static const char *attr_macro_find(const rg_attr_stack *s, const char *n, size_t nl)
{
	const rg_attr_file *defs[4];
	size_t k, i;

	defs[0] = s->info;
	defs[1] = s->ntree && s->tree[0].len == 0 ? s->tree[0].file : NULL;
	defs[2] = s->global;
	defs[3] = s->system;
	for (k = 0; k < 4; k++)
		for (i = defs[k] ? defs[k]->nmacros : 0; i-- > 0;)
			if (strlen(defs[k]->macros[i].name) == nl && !memcmp(defs[k]->macros[i].name, n, nl))
				return defs[k]->macros[i].attrs;
	return nl == 6 && !memcmp(n, "binary", 6) ? "-diff -merge -text" : NULL;
}

static void attr_fill(attr_eval *ev, const char *attrs);

/* One attribute of a line: "name", "-name", "!name" or "name=value". */
static void attr_fill_one(attr_eval *ev, const char *tok, size_t tl)
{
	const char *n = tok + (*tok == '-' || *tok == '!'), *eq = memchr(n, '=', tl - (size_t)(n - tok));
	size_t nl = eq ? (size_t)(eq - n) : tl - (size_t)(n - tok);
	const char *macro;

	if (!nl || attr_seen(ev, n, nl))
		return;
	if (nl == ev->name_len && !memcmp(n, ev->name, nl)) {
		ev->done = 1;
		if (*tok == '-') {
			ev->value = "unset";
		} else if (*tok == '!') {
			ev->value = NULL;
		} else if (!eq) {
			ev->value = "set";
		} else {
			size_t vl = tl - (size_t)(eq + 1 - tok);

			if (vl >= ev->buflen)
				vl = ev->buflen - 1;
			memcpy(ev->buf, eq + 1, vl);
			ev->buf[vl] = '\0';
			ev->value = ev->buf;
		}
		return;
	}
	if (n == tok && !eq && ev->depth < ATTR_MACRO_DEPTH && (macro = attr_macro_find(ev->stack, n, nl))) {
		ev->depth++;
		attr_fill(ev, macro);
		ev->depth--;
	}
}

/* A line's attributes, from the last to the first. */
static void attr_fill(attr_eval *ev, const char *attrs)
{
	const char *end = attrs + strlen(attrs);

	while (!ev->done) {
		const char *start;

		while (end > attrs && strchr(ATTR_BLANK, end[-1]))
			end--;
		if (end == attrs)
			return;
		start = end;
		while (start > attrs && !strchr(ATTR_BLANK, start[-1]))
			start--;
		attr_fill_one(ev, start, (size_t)(end - start));
		end = start;
	}
}

/* Every line of f that matches rel, the last first. */
static void attr_fill_file(attr_eval *ev, const rg_attr_file *f, const char *rel)
{
	size_t i;

	for (i = f ? f->pat.n : 0; i-- > 0 && !ev->done;) {
		rg_patlist one;

		one.v = &f->pat.v[i];
		one.n = 1;
		if (rg_patlist_match1(&one, rel, 0, NULL) == 1)
			attr_fill(ev, f->attrs[i]);
	}
}

const char *rg_attr_get(const rg_attr_stack *s, const char *path, const char *name,
	char *buf, size_t buflen)
{
	attr_eval ev;
	size_t k;

	memset(&ev, 0, sizeof(ev));
	ev.stack = s;
	ev.name = name;
	ev.name_len = strlen(name);
	ev.buf = buf;
	ev.buflen = buflen;
	ev.seen = ev.fixed;
	attr_fill_file(&ev, s->info, path);
	for (k = s->ntree; k-- > 0 && !ev.done;)
		attr_fill_file(&ev, s->tree[k].file, path + s->tree[k].len);
	if (!ev.done)
		attr_fill_file(&ev, s->global, path);
	if (!ev.done)
		attr_fill_file(&ev, s->system, path);
	if (ev.seen != ev.fixed)
		free(ev.seen);
	return ev.done ? ev.value : NULL;
}

int rg_attr_stack_any(const rg_attr_stack *s)
{
	size_t k;

	if (s->system || s->global || s->info)
		return 1;
	for (k = 0; k < s->ntree; k++)
		if (s->tree[k].file)
			return 1;
	return 0;
}
