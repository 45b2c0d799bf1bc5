/* fastpat.c: literal, suffix and prefix patterns without wildmatch (see fastpat.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "fastpat.h"

static int fp_special(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[' || s[i] == '\\')
			return 1;
	return 0;
}

static void fp_compile(rg_fastpat *f, const rg_pattern *p)
{
	const char *s = p->pattern;
	size_t n = strlen(s);

	f->p = p;
	f->base = (p->flags & RG_PAT_BASENAME) != 0;
	/* "**" "/x" matches x at any depth: the same as the basename pattern x */
	if (!f->base && n > 3 && !memcmp(s, "**/", 3) && !memchr(s + 3, '/', n - 3)) {
		f->base = 1;
		s += 3;
		n -= 3;
	}
	f->lit = s;
	f->len = n;
	if (!fp_special(s, n)) {
		f->kind = RG_FP_EXACT;
	} else if (n > 1 && s[0] == '*' && !fp_special(s + 1, n - 1)) {
		f->kind = RG_FP_SUFFIX;
		f->lit = s + 1;
		f->len = n - 1;
	} else if (n > 1 && s[n - 1] == '*' && !fp_special(s, n - 1)) {
		f->kind = RG_FP_PREFIX;
		f->len = n - 1;
	} else {
		f->kind = RG_FP_GENERIC;
	}
}

void rg_fastpats_init(rg_fastpats *f, const rg_patlist *l)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	if (!l || !l->n)
		return;
	f->v = rg_calloc(l->n, sizeof(*f->v));
	f->n = l->n;
	for (i = 0; i < l->n; i++) {
		fp_compile(&f->v[i], &l->v[i]);
		if (!f->v[i].base)
			f->path_dependent = 1;
	}
}

void rg_fastpats_free(rg_fastpats *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* memcmp() == 0, ignoring ASCII case when fold (as rg_wildmatch's RG_WM_CASEFOLD) */
static int fp_eq(const char *a, const char *b, size_t n, int fold)
{
	size_t i;

	if (!fold)
		return !memcmp(a, b, n);
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

static int fp_one(const rg_fastpat *f, const char *text, size_t tlen)
{
	int fold = (f->p->flags & RG_PAT_CASEFOLD) != 0;

	switch (f->kind) {
	case RG_FP_EXACT:
		return tlen == f->len && fp_eq(text, f->lit, tlen, fold);
	case RG_FP_SUFFIX:
		return tlen >= f->len && fp_eq(text + tlen - f->len, f->lit, f->len, fold);
	case RG_FP_PREFIX:
		return tlen >= f->len && fp_eq(text, f->lit, f->len, fold);
	default:
		return rg_wildmatch(f->lit, text, RG_WM_PATHNAME | (fold ? RG_WM_CASEFOLD : 0)) == 0;
	}
}

int rg_fastpats_match1(const rg_fastpats *f, const char *path, size_t plen,
	const char *base, size_t blen, int isdir, size_t *which)
{
	size_t i = f->n;

	while (i-- > 0) {
		const rg_fastpat *x = &f->v[i];

		if ((x->p->flags & RG_PAT_DIRONLY) && !isdir)
			continue;
		if (!(x->base ? fp_one(x, base, blen) : fp_one(x, path, plen)))
			continue;
		if (which)
			*which = i;
		return (x->p->flags & RG_PAT_NEGATE) ? 0 : 1;
	}
	return -1;
}
