/*
 * deploy-detect.c: what `repoguard init` reads from the files that say how
 * a repository is deployed, to propose deploy targets:
 *   - netlify.toml: the [build] base directory (or a top-level build.base);
 *   - a Dockerfile: the sources of its COPY / ADD instructions;
 *   - a pm2 ecosystem file (JS or JSON): the script and cwd values.
 * None of these is a full parser of its format: each reads the few lines
 * that carry the answer and skips the rest, never an error, since a
 * proposal the user reviews is all init makes of it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/deploy.h"

/* ---- netlify.toml ----------------------------------------------------- */

static const char *nt_skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Read a key (bare, "basic" or 'literal', dotted parts joined by '.') into k. */
static const char *nt_key(rg_buf *k, const char *p, const char *end)
{
	for (;;) {
		p = nt_skip_ws(p, end);
		if (p < end && (*p == '"' || *p == '\'')) {
			char q = *p++;
			const char *s = p;

			while (p < end && *p != q)
				p++;
			if (p >= end)
				return NULL;
			rg_buf_put(k, s, (size_t)(p - s));
			p++;
		} else {
			const char *s = p;

			while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			       (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
				p++;
			if (p == s)
				return NULL;
			rg_buf_put(k, s, (size_t)(p - s));
		}
		p = nt_skip_ws(p, end);
		if (p < end && *p == '.') {
			rg_buf_putc(k, '.');
			p++;
			continue;
		}
		return p;
	}
}

/* A basic string's escapes; \uXXXX outside ASCII is kept as written. */
static const char *nt_basic(rg_buf *v, const char *p, const char *end)
{
	while (p < end && *p != '"') {
		if (*p == '\\' && p + 1 < end) {
			p++;
			switch (*p) {
			case 'n': rg_buf_putc(v, '\n'); break;
			case 't': rg_buf_putc(v, '\t'); break;
			case '"': rg_buf_putc(v, '"'); break;
			case '\\': rg_buf_putc(v, '\\'); break;
			default: rg_buf_putc(v, '\\'); rg_buf_putc(v, *p); break;
			}
			p++;
			continue;
		}
		rg_buf_putc(v, *p++);
	}
	return p < end ? p + 1 : NULL;
}

/* A string value: "basic" or 'literal' (one line only). */
static int nt_value(rg_buf *v, const char *p, const char *end)
{
	p = nt_skip_ws(p, end);
	if (p + 2 < end && (!memcmp(p, "\"\"\"", 3) || !memcmp(p, "'''", 3)))
		return RG_ERROR;
	if (p < end && *p == '"')
		return nt_basic(v, p + 1, end) ? RG_OK : RG_ERROR;
	if (p < end && *p == '\'') {
		const char *s = ++p;

		while (p < end && *p != '\'')
			p++;
		if (p >= end)
			return RG_ERROR;
		rg_buf_put(v, s, (size_t)(p - s));
		return RG_OK;
	}
	return RG_ERROR;
}

/* "[build]" / "[ build ]"; "[[plugins]]" and any other table is not build. */
static int nt_table_is_build(const char *p, const char *end)
{
	rg_buf k = RG_BUF_INIT;
	int r = 0;

	if (p + 1 < end && p[1] == '[')
		return 0;
	p = nt_key(&k, p + 1, end);
	if (p && p < end && *p == ']')
		r = !strcmp(rg_buf_cstr(&k), "build");
	rg_buf_dispose(&k);
	return r;
}

static void nt_line(char **base, int *in_build, int *at_root, const char *p, const char *end)
{
	rg_buf k = RG_BUF_INIT, v = RG_BUF_INIT;
	const char *want;

	p = nt_skip_ws(p, end);
	if (p >= end || *p == '#')
		return;
	if (*p == '[') {
		*in_build = nt_table_is_build(p, end);
		*at_root = 0;
		return;
	}
	want = *in_build ? "base" : (*at_root ? "build.base" : NULL);
	p = nt_key(&k, p, end);
	if (want && p && p < end && *p == '=' && !strcmp(rg_buf_cstr(&k), want) &&
	    nt_value(&v, p + 1, end) == RG_OK && !memchr(rg_buf_cstr(&v), '\0', v.len)) {
		free(*base);
		*base = rg_buf_detach(&v);
	}
	rg_buf_dispose(&k);
	rg_buf_dispose(&v);
}

int rg_netlify_base(char **base, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int in_build = 0, at_root = 1;

	*base = NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		if (le > p && le[-1] == '\r')
			le--;
		nt_line(base, &in_build, &at_root, p, le);
		p = nl ? nl + 1 : end;
	}
	return RG_OK;
}

/* ---- Dockerfile ---------------------------------------------------------- */

static void strv_push(char ***v, size_t *n, size_t *alloc, const char *s, size_t len)
{
	RG_GROW(*v, *alloc, *n + 2);
	(*v)[(*n)++] = rg_strndup(s, len);
	(*v)[*n] = NULL;
}

/* Join continuation lines ("\" at the end) into one logical line each. */
static const char *df_logical_line(rg_buf *line, const char *p, const char *end)
{
	rg_buf_clear(line);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *t = le;

		while (t > p && (t[-1] == '\r' || t[-1] == ' ' || t[-1] == '\t'))
			t--;
		if (t > p && t[-1] == '\\') {
			rg_buf_put(line, p, (size_t)(t - 1 - p));
			rg_buf_putc(line, ' ');
			p = nl ? nl + 1 : end;
			continue;
		}
		rg_buf_put(line, p, (size_t)(t - p));
		return nl ? nl + 1 : end;
	}
	return end;
}

/* Split an instruction's arguments: a JSON array ["a", "b"] or words. */
static void df_args(char ***v, size_t *n, size_t *alloc, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '[') {
		for (s++; *s && *s != ']';) {
			const char *b;

			while (*s == ' ' || *s == '\t' || *s == ',')
				s++;
			if (*s != '"')
				break;
			b = ++s;
			while (*s && *s != '"')
				s += (*s == '\\' && s[1]) ? 2 : 1;
			strv_push(v, n, alloc, b, (size_t)(s - b));
			if (*s)
				s++;
		}
		return;
	}
	while (*s) {
		const char *b;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		b = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		strv_push(v, n, alloc, b, (size_t)(s - b));
	}
}

static int df_is_copy(const char *s, size_t *kw)
{
	static const char *const kws[] = { "COPY", "ADD" };
	size_t i;

	for (i = 0; i < RG_ARRAY_SIZE(kws); i++) {
		size_t l = strlen(kws[i]);

		if (!strncasecmp(s, kws[i], l) && (s[l] == ' ' || s[l] == '\t')) {
			*kw = l;
			return 1;
		}
	}
	return 0;
}

/* The sources of one COPY/ADD: all arguments but flags and the destination. */
static void df_sources(char ***out, size_t *n, size_t *alloc, const char *args)
{
	char **a = NULL;
	size_t na = 0, aa = 0, i;
	int from_stage = 0;

	df_args(&a, &na, &aa, args);
	for (i = 0; i < na; i++)
		from_stage |= rg_str_startswith(a[i], "--from");
	for (i = 0; !from_stage && i + 1 < na; i++) {
		const char *s = a[i];
		size_t l;

		if (rg_str_startswith(s, "--") || strstr(s, "://"))
			continue;
		while (s[0] == '.' && s[1] == '/')
			s += 2;
		l = strlen(s);
		while (l > 1 && s[l - 1] == '/')
			l--;
		if (!l || (l == 1 && s[0] == '/'))
			strv_push(out, n, alloc, ".", 1);
		else
			strv_push(out, n, alloc, s, l);
	}
	rg_strv_free(a);
}

char **rg_dockerfile_sources(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	char **v = NULL;
	size_t n = 0, alloc = 0;
	rg_buf line = RG_BUF_INIT;

	RG_GROW(v, alloc, 1);
	v[0] = NULL;
	while (p < end) {
		const char *s;
		size_t kw;

		p = df_logical_line(&line, p, end);
		s = rg_buf_cstr(&line);
		if (memchr(s, '\0', line.len))
			continue;
		while (*s == ' ' || *s == '\t')
			s++;
		if (df_is_copy(s, &kw))
			df_sources(&v, &n, &alloc, s + kw);
	}
	rg_buf_dispose(&line);
	return v;
}

/* ---- pm2 ecosystem files ------------------------------------------------- */

static int pm2_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$';
}

/* p at ':' or '=' (after spaces): the quoted string value that follows, if any. */
static int pm2_value(const char **b, const char **e, const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || (*p != ':' && *p != '='))
		return 0;
	p++;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || (*p != '"' && *p != '\'' && *p != '`'))
		return 0;
	*b = p + 1;
	for (*e = *b; *e < end && **e != *p && **e != '\n'; (*e)++)
		;
	return *e < end && **e == *p;
}

/* Skip a // or slash-star comment at p; returns p when there is none. */
static const char *pm2_comment(const char *p, const char *end)
{
	if (p + 1 >= end || p[0] != '/')
		return p;
	if (p[1] == '/') {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		return nl ? nl : end;
	}
	if (p[1] == '*') {
		for (p += 2; p + 1 < end && !(p[0] == '*' && p[1] == '/'); p++)
			;
		return p + 1 < end ? p + 1 : end;
	}
	return p;
}

/* The token at p: a quoted string or an identifier; its bounds and what follows. */
static int pm2_token(const char **ks, const char **ke, const char **after, const char *text,
	const char *p, const char *end)
{
	if (*p == '"' || *p == '\'' || *p == '`') {
		const char *e = p + 1;

		while (e < end && *e != *p && *e != '\n')
			e += (*e == '\\' && e + 1 < end) ? 2 : 1;
		if (e >= end || *e != *p)
			return 0;
		*ks = p + 1;
		*ke = e;
		*after = e + 1;
		return 1;
	}
	if (!pm2_ident(*p) || (p > text && pm2_ident(p[-1])))
		return 0;
	*ks = p;
	for (*ke = p; *ke < end && pm2_ident(**ke); (*ke)++)
		;
	*after = *ke;
	return 1;
}

static int pm2_is_key(const char *ks, const char *ke)
{
	size_t n = (size_t)(ke - ks);

	return (n == 6 && !memcmp(ks, "script", 6)) || (n == 3 && !memcmp(ks, "cwd", 3));
}

char **rg_pm2_paths(const char *text, size_t len)
{
	const char *p, *end = text + len;
	char **v = NULL;
	size_t n = 0, alloc = 0;

	RG_GROW(v, alloc, 1);
	v[0] = NULL;
	for (p = text; p < end; p++) {
		const char *ks, *ke, *after, *b, *e, *c = pm2_comment(p, end);

		if (c != p) {
			p = c;
			continue;
		}
		if (!pm2_token(&ks, &ke, &after, text, p, end))
			continue;
		if (pm2_is_key(ks, ke) && pm2_value(&b, &e, after, end)) {
			if (e > b && !memchr(b, '\0', (size_t)(e - b)))
				strv_push(&v, &n, &alloc, b, (size_t)(e - b));
			p = e;
			continue;
		}
		p = after - 1;  /* a string value or another key: skip all of it */
	}
	return v;
}
