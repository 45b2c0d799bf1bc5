/* glob.c: gitignore-style pattern lists over rg_wildmatch. */
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/glob.h"

/* A trailing unescaped backslash escapes nothing: reject it. */
static int glob_validate(const char *pat)
{
	size_t n = strlen(pat), bs = 0;

	while (bs < n && pat[n - 1 - bs] == '\\')
		bs++;
	return (n == 0 || bs % 2) ? RG_ERROR : RG_OK;
}

static int glob_brackets_closed(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\') {
			if (!*++p)
				return 0;
			continue;
		}
		if (*p != '[')
			continue;
		p++;
		if (*p == '!' || *p == '^')
			p++;
		if (*p == ']')
			p++;
		while (*p && *p != ']') {
			if (*p == '[' && p[1] == ':') {
				const char *e = strstr(p + 2, ":]");
				if (!e)
					return 0;
				p = e + 1;
			} else if (*p == '\\' && p[1]) {
				p++;
			}
			p++;
		}
		if (!*p)
			return 0;
	}
	return 1;
}

int rg_glob_check(const char *pat)
{
	if (glob_validate(pat) < 0 || !glob_brackets_closed(pat)) {
		rg_error_set("invalid pattern '%s' (unbalanced '[' or trailing '\\')", pat);
		return RG_ERROR;
	}
	return RG_OK;
}

int rg_patlist_add(rg_patlist *l, const char *pat, const char *file, int line)
{
	rg_pattern *p;
	const char *s = pat;
	size_t len;
	unsigned flags = 0;

	if (*s == '!') {
		flags |= RG_PAT_NEGATE;
		s++;
	} else if (s[0] == '\\' && s[1] == '!') {
		s++;
	}
	len = strlen(s);
	if (len && s[len - 1] == '/') {
		flags |= RG_PAT_DIRONLY;
		len--;
	}
	while (len && s[0] == '/' && !(flags & RG_PAT_BASENAME)) {
		/* leading '/' anchors; the pattern then contains a slash by definition */
		s++;
		len--;
		flags |= 0x100; /* anchored marker, cleared below */
	}
	if (len == 0) {
		rg_error_set("empty pattern '%s'", pat);
		return RG_ERROR;
	}
	p = NULL;
	{
		char *norm = rg_strndup(s, len);

		if (glob_validate(norm) < 0 || !glob_brackets_closed(norm)) {
			rg_error_set("invalid pattern '%s' (unbalanced '[' or trailing '\\')", pat);
			free(norm);
			return RG_ERROR;
		}
		if (!(flags & 0x100) && !memchr(norm, '/', len))
			flags |= RG_PAT_BASENAME;
		flags &= ~0x100u;
		RG_GROW(l->v, l->alloc, l->n + 1);
		p = &l->v[l->n++];
		p->pattern = norm;
	}
	p->orig = rg_strdup(pat);
	p->flags = flags;
	p->file = file;
	p->line = line;
	return RG_OK;
}

int rg_patlist_add_words(rg_patlist *l, const char *s, const char *file, int line)
{
	while (*s) {
		const char *e;
		char *w;
		int r;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		e = s;
		while (*e && *e != ' ' && *e != '\t')
			e++;
		w = rg_strndup(s, (size_t)(e - s));
		r = rg_patlist_add(l, w, file, line);
		free(w);
		if (r < 0)
			return r;
		s = e;
	}
	return RG_OK;
}

void rg_patlist_free(rg_patlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].pattern);
		free(l->v[i].orig);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void rg_patlist_copy(rg_patlist *dst, const rg_patlist *src)
{
	size_t i;

	memset(dst, 0, sizeof(*dst));
	for (i = 0; i < src->n; i++) {
		RG_GROW(dst->v, dst->alloc, dst->n + 1);
		dst->v[dst->n] = src->v[i];
		dst->v[dst->n].pattern = rg_strdup(src->v[i].pattern);
		dst->v[dst->n].orig = rg_strdup(src->v[i].orig);
		dst->n++;
	}
}

void rg_patlist_casefold(rg_patlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		l->v[i].flags |= RG_PAT_CASEFOLD;
}

static int glob_match_one(const rg_pattern *p, const char *path, int isdir)
{
	unsigned wm = RG_WM_PATHNAME | (p->flags & RG_PAT_CASEFOLD ? RG_WM_CASEFOLD : 0);
	const char *base;

	if ((p->flags & RG_PAT_DIRONLY) && !isdir)
		return 0;
	if (p->flags & RG_PAT_BASENAME) {
		base = strrchr(path, '/');
		base = base ? base + 1 : path;
		return rg_wildmatch(p->pattern, base, wm) == 0;
	}
	return rg_wildmatch(p->pattern, path, wm) == 0;
}

int rg_patlist_match1(const rg_patlist *l, const char *path, int isdir,
	const rg_pattern **by)
{
	size_t i = l->n;

	while (i-- > 0) {
		if (glob_match_one(&l->v[i], path, isdir)) {
			if (by)
				*by = &l->v[i];
			return (l->v[i].flags & RG_PAT_NEGATE) ? 0 : 1;
		}
	}
	return -1;
}

int rg_patlist_match(const rg_patlist *l, const char *path, int isdir,
	size_t *dirlen, const rg_pattern **by)
{
	char stackbuf[512];
	char *buf = stackbuf;
	size_t len = strlen(path), i;
	int r = 0;

	if (!l->n)
		return 0;
	if (len >= sizeof(stackbuf))
		buf = rg_malloc(len + 1);
	memcpy(buf, path, len + 1);
	for (i = 0; i < len; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		r = rg_patlist_match1(l, buf, 1, by);
		buf[i] = '/';
		if (r == 1) {
			if (dirlen)
				*dirlen = i;
			goto out;
		}
	}
	r = rg_patlist_match1(l, buf, isdir, by) == 1;
	if (dirlen)
		*dirlen = len;
out:
	if (buf != stackbuf)
		free(buf);
	return r == 1;
}

int rg_pattern_is_literal(const char *s)
{
	return strpbrk(s, "*?[\\") == NULL;
}
