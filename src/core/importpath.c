/*
 * importpath.c: which repository path an import specifier names: relative
 * and aliased specifiers, normalisation, and the candidates tried in order
 * (extensions, TypeScript's .js -> .ts, index files).
 */
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/imports.h"

static const char *const imp_exts[] = { ".tsx", ".ts", ".jsx", ".js" };
/* tried after those (and the TypeScript twins): what Node, Vite and webpack also resolve */
static const char *const imp_more_exts[] = { ".mjs", ".cjs", ".mts", ".cts", ".json" };

int rg_import_is_source(const char *path)
{
	static const char *const src[] = { ".tsx", ".ts", ".jsx", ".js", ".mjs", ".cjs", ".mts", ".cts" };
	size_t i;

	for (i = 0; i < RG_ARRAY_SIZE(src); i++)
		if (rg_str_endswith(path, src[i]))
			return 1;
	return 0;
}

unsigned int rg_import_js_flags(const char *path)
{
	static const char *const plain_ts[] = { ".ts", ".mts", ".cts" };
	size_t i;

	for (i = 0; i < RG_ARRAY_SIZE(plain_ts); i++)
		if (rg_str_endswith(path, plain_ts[i]))
			return 0;
	return RG_JS_JSX;
}

/* Append the components of s (n bytes) to out, resolving "." and "..". */
static int imp_push_path(rg_buf *out, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t e = i;

		while (e < n && s[e] != '/')
			e++;
		if (e - i == 2 && s[i] == '.' && s[i + 1] == '.') {
			char *slash;

			if (!out->len)
				return RG_ENOTFOUND; /* above the repository root */
			slash = memrchr(out->ptr, '/', out->len);
			rg_buf_truncate(out, slash ? (size_t)(slash - out->ptr) : 0);
		} else if (e > i && !(e - i == 1 && s[i] == '.')) {
			if (out->len)
				rg_buf_putc(out, '/');
			rg_buf_put(out, s + i, e - i);
		}
		i = e + 1;
	}
	return RG_OK;
}

/*
 * Does alias a apply to spec? Its prefix length + 1, else 0. The empty
 * prefix (base_url) applies to every spec that reaches here (no relative one).
 */
static size_t imp_alias_len(const char *spec, const rg_import_alias *a)
{
	size_t l = strlen(a->from);

	if (strncmp(spec, a->from, l))
		return 0;
	/* "@" must not take "@mui/x": a prefix ends at '/' or at the end */
	if (l && a->from[l - 1] != '/' && spec[l] != '\0' && spec[l] != '/')
		return 0;
	return l + 1;
}

/* The k-th alias applying to spec: longest prefix first, then in configuration order. */
static const rg_import_alias *imp_alias(const char *spec, const rg_import_alias *a, size_t n, size_t k)
{
	size_t cap = (size_t)-1, seen = 0, i;

	for (;;) {
		size_t best = 0;

		for (i = 0; i < n; i++) {
			size_t l = imp_alias_len(spec, &a[i]);

			if (l < cap && l > best)
				best = l;
		}
		if (!best)
			return NULL;
		for (i = 0; i < n; i++)
			if (imp_alias_len(spec, &a[i]) == best && seen++ == k)
				return &a[i];
		cap = best;
	}
}

int rg_import_base_nth(rg_buf *out, const char *importer, const char *spec,
	const rg_import_alias *aliases, size_t naliases, size_t k)
{
	/* a leading '#' is a subpath import ("#/x", package.json "imports"), not a #hash */
	size_t n = (spec[0] == '#') + strcspn(spec + (spec[0] == '#'), "?#");
	const rg_import_alias *a;
	int r;

	rg_buf_clear(out);
	if (spec[0] == '.' && (n == 1 || spec[1] == '/' ||
	    (spec[1] == '.' && (n == 2 || spec[2] == '/')))) {
		const char *slash = strrchr(importer, '/');

		if (k)
			return 1;
		if (slash && (r = imp_push_path(out, importer, (size_t)(slash - importer))) < 0)
			return r;
		r = imp_push_path(out, spec, n);
	} else if ((a = imp_alias(spec, aliases, naliases, k)) != NULL) {
		size_t l = strlen(a->from);

		if ((r = imp_push_path(out, a->to, strlen(a->to))) < 0)
			return r;
		r = l < n ? imp_push_path(out, spec + l, n - l) : RG_OK;
		if (r == RG_OK && !l && out->len)
			return 2; /* base_url: a package unless the file exists */
	} else {
		return k ? 1 : RG_ENOTFOUND; /* a package */
	}
	if (r == RG_OK && !out->len)
		r = RG_ENOTFOUND;
	return r;
}

int rg_import_base(rg_buf *out, const char *importer, const char *spec,
	const rg_import_alias *aliases, size_t naliases)
{
	return rg_import_base_nth(out, importer, spec, aliases, naliases, 0);
}

int rg_import_candidate(rg_buf *out, const char *base, size_t i)
{
	size_t ne = RG_ARRAY_SIZE(imp_exts), blen = strlen(base);

	rg_buf_clear(out);
	if (i == 0) {
		rg_buf_puts(out, base);
		return RG_OK;
	}
	i--;
	if (i < ne) {
		rg_buf_printf(out, "%s%s", base, imp_exts[i]);
		return RG_OK;
	}
	i -= ne;
	if (i < 2) {
		/* TypeScript's ESM style: './x.js' names x.ts, './x.jsx' names x.tsx */
		if (rg_str_endswith(base, ".js"))
			rg_buf_printf(out, "%.*s%s", (int)(blen - 3), base, i == 0 ? ".ts" : ".tsx");
		else if (rg_str_endswith(base, ".jsx") && i == 0)
			rg_buf_printf(out, "%.*s.tsx", (int)(blen - 4), base);
		return RG_OK; /* empty: nothing to try at this step */
	}
	i -= 2;
	if (i < RG_ARRAY_SIZE(imp_more_exts)) {
		rg_buf_printf(out, "%s%s", base, imp_more_exts[i]);
		return RG_OK;
	}
	i -= RG_ARRAY_SIZE(imp_more_exts);
	if (i == 0) {
		/* './x.mjs' names x.mts, './x.cjs' names x.cts (TypeScript's NodeNext) */
		if (rg_str_endswith(base, ".mjs") || rg_str_endswith(base, ".cjs"))
			rg_buf_printf(out, "%.*s.%cts", (int)(blen - 4), base, base[blen - 3]);
		return RG_OK;
	}
	i--;
	if (i < ne) {
		rg_buf_printf(out, "%s/index%s", base, imp_exts[i]);
		return RG_OK;
	}
	i -= ne;
	/* a directory's index.mjs, .cjs, .mts, .cts, .json: Vite and Node find them too */
	if (i < RG_ARRAY_SIZE(imp_more_exts)) {
		rg_buf_printf(out, "%s/index%s", base, imp_more_exts[i]);
		return RG_OK;
	}
	return RG_ENOTFOUND;
}
