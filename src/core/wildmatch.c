/*
 * wildmatch.c: git's wildmatch semantics (the matcher behind .gitignore
 * and pathspecs). libgit2 does not export its matcher, and rule lists are
 * not gitignore files, so repoguard carries its own: a small recursive
 * matcher, covered by unit tests against git's documented cases and fuzzed.
 *
 * Backtracking over several stars is exponential in the worst case (the
 * fuzzer found "/(starstar)/(starstar)/.../" patterns that ran for minutes,
 * and patterns come from repository content: .gitattributes, .repoguard.ini).
 * A match that takes more than rg_wildmatch_steps steps starts again with a memo of
 * every (pattern, text) position already decided, which bounds the work by
 * pattern length x text length x text length.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/glob.h"

#define WM_MATCH 0
#define WM_NOMATCH 1
#define WM_ABORT_ALL (-1)
#define WM_ABORT_TO_STARSTAR (-2)
#define WM_RESTART (-3)        /* step budget spent: start again with the memo */

unsigned long rg_wildmatch_steps = 4096;

typedef unsigned char uchar;

typedef struct {
	const uchar *start;    /* the pattern */
	const uchar *text;
	unsigned flags;
	size_t tlen;
	unsigned long steps;
	uchar *memo;           /* (p - start) * (tlen + 1) + (t - text): result + 4, 0 unknown */
} wm_ctx;

static int wm_class(const uchar **pp, uchar c, int *matched)
{
	static const struct { const char *name; int (*fn)(int); } classes[] = {
		{ "alnum", isalnum }, { "alpha", isalpha }, { "blank", isblank },
		{ "cntrl", iscntrl }, { "digit", isdigit }, { "graph", isgraph },
		{ "lower", islower }, { "print", isprint }, { "punct", ispunct },
		{ "space", isspace }, { "upper", isupper }, { "xdigit", isxdigit },
	};
	const uchar *p = *pp + 2; /* after "[:" */
	const uchar *end = p;
	size_t i, len;

	while (*end && *end != ']')
		end++;
	if (!*end)
		return WM_ABORT_ALL;
	if (end - p < 1 || end[-1] != ':') {
		/* not a class: "[:" is a literal '[' */
		*matched |= (c == '[');
		return WM_MATCH;
	}
	len = (size_t)(end - 1 - p);
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strlen(classes[i].name) == len && !memcmp(classes[i].name, p, len))
			break;
	if (i == sizeof(classes) / sizeof(classes[0]))
		return WM_ABORT_ALL; /* malformed class name */
	if (classes[i].fn(c))
		*matched = 1;
	*pp = end; /* at ']' closing the class */
	return WM_MATCH;
}

/* p points at '['; on return *pp points at the closing ']'. */
static int wm_bracket(const uchar **pp, uchar t, unsigned flags)
{
	const uchar *p = *pp + 1;
	int negated = 0, matched = 0;
	uchar prev = 0;
	int first = 1;

	if (*p == '!' || *p == '^') {
		negated = 1;
		p++;
	}
	for (;; p++, first = 0) {
		uchar c = *p;

		if (!c)
			return WM_ABORT_ALL;
		if (c == ']' && !first)
			break;
		if (c == '\\') {
			c = *++p;
			if (!c)
				return WM_ABORT_ALL;
			if (t == c)
				matched = 1;
		} else if (c == '-' && prev && p[1] && p[1] != ']') {
			uchar hi = *++p;

			if (hi == '\\') {
				hi = *++p;
				if (!hi)
					return WM_ABORT_ALL;
			}
			if (t <= hi && t >= prev)
				matched = 1;
			else if ((flags & RG_WM_CASEFOLD) && islower(t)) {
				uchar u = (uchar)toupper(t);
				if (u <= hi && u >= prev)
					matched = 1;
			}
			c = 0; /* a range cannot start another range */
		} else if (c == '[' && p[1] == ':') {
			int r = wm_class(&p, t, &matched);
			if (r != WM_MATCH)
				return r;
			c = 0;
		} else if (t == c) {
			matched = 1;
		}
		prev = c;
	}
	*pp = p;
	if (matched == negated)
		return WM_NOMATCH;
	if ((flags & RG_WM_PATHNAME) && t == '/')
		return WM_NOMATCH;
	return WM_MATCH;
}

static int wm_do(wm_ctx *c, const uchar *p, const uchar *t);

static int wm_star(wm_ctx *c, const uchar *p, const uchar *t)
{
	const uchar *start = c->start;
	unsigned flags = c->flags;
	int match_slash, r;

	/* p is just after the first '*' */
	if (*p == '*') {
		const uchar *prev = p - 2;

		while (*p == '*')
			p++;
		if (!(flags & RG_WM_PATHNAME)) {
			match_slash = 1;
		} else if ((prev < start || *prev == '/') &&
			   (*p == '\0' || *p == '/' || (p[0] == '\\' && p[1] == '/'))) {
			/* "**" as a whole path component: "**" + "/" may match nothing */
			if (*p == '/' && ((r = wm_do(c, p + 1, t)) == WM_MATCH || r == WM_RESTART))
				return r;
			match_slash = 1;
		} else {
			match_slash = 0; /* other runs of stars are a single star */
		}
	} else {
		match_slash = !(flags & RG_WM_PATHNAME);
	}
	if (*p == '\0') {
		if (!match_slash && strchr((const char *)t, '/'))
			return WM_ABORT_TO_STARSTAR;
		return WM_MATCH;
	}
	if (!match_slash && *p == '/') {
		const char *slash = strchr((const char *)t, '/');

		if (!slash)
			return WM_ABORT_ALL;
		return wm_do(c, p + 1, (const uchar *)slash + 1);
	}
	for (; *t; t++) {
		r = wm_do(c, p, t);
		if (r != WM_NOMATCH) {
			if (!match_slash || r != WM_ABORT_TO_STARSTAR)
				return r;
		} else if (!match_slash && *t == '/') {
			return WM_ABORT_TO_STARSTAR;
		}
	}
	return WM_ABORT_ALL;
}

static uchar wm_fold(uchar c, unsigned flags)
{
	return (flags & RG_WM_CASEFOLD) ? (uchar)tolower(c) : c;
}

static int wm_run(wm_ctx *c, const uchar *p, const uchar *t)
{
	unsigned flags = c->flags;
	int r;

	for (; *p; p++, t++) {
		uchar pc = *p, tc = *t;

		if (!tc && pc != '*')
			return WM_ABORT_ALL;
		switch (pc) {
		case '\\':
			pc = *++p;
			if (!pc)
				return WM_ABORT_ALL; /* trailing backslash */
			if (wm_fold(tc, flags) != wm_fold(pc, flags))
				return WM_NOMATCH;
			break;
		case '?':
			if ((flags & RG_WM_PATHNAME) && tc == '/')
				return WM_NOMATCH;
			break;
		case '*':
			return wm_star(c, p + 1, t);
		case '[':
			r = wm_bracket(&p, (flags & RG_WM_CASEFOLD) ? (uchar)tolower(tc) : tc, flags);
			if (r != WM_MATCH)
				return r;
			break;
		default:
			if (wm_fold(tc, flags) != wm_fold(pc, flags))
				return WM_NOMATCH;
		}
	}
	return *t ? WM_NOMATCH : WM_MATCH;
}

static int wm_do(wm_ctx *c, const uchar *p, const uchar *t)
{
	size_t slot;
	int r;

	if (!c->memo)
		return ++c->steps > rg_wildmatch_steps ? WM_RESTART : wm_run(c, p, t);
	slot = (size_t)(p - c->start) * (c->tlen + 1) + (size_t)(t - c->text);
	if (c->memo[slot])
		return c->memo[slot] - 4;
	r = wm_run(c, p, t);
	c->memo[slot] = (uchar)(r + 4);
	return r;
}

int rg_wildmatch(const char *pattern, const char *text, unsigned flags)
{
	wm_ctx c;
	int r;

	memset(&c, 0, sizeof(c));
	c.start = (const uchar *)pattern;
	c.text = (const uchar *)text;
	c.flags = flags;
	r = wm_do(&c, c.start, c.text);
	if (r == WM_RESTART) {
		c.tlen = strlen(text);
		c.memo = rg_calloc((strlen(pattern) + 1) * (c.tlen + 1), 1);
		r = wm_do(&c, c.start, c.text);
		free(c.memo);
	}
	return r == WM_MATCH ? 0 : 1;
}
