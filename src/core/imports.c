/*
 * imports.c: finding the imports (and routes) of a JavaScript / TypeScript
 * file with pcre2, over the text jsmask.c has masked, so that only real code
 * can match; specifiers are read back from the original text at the offsets
 * of the (masked) string a pattern matched.
 *
 * pcre2 runs in byte mode: sources may hold any bytes and the patterns are
 * ASCII, so no UTF checking is needed. The patterns are compiled once per
 * parser, JIT-compiled when the platform allows, and share one match-data
 * block.
 */
#include <stdlib.h>
#include <string.h>
#include <pcre2.h>

#include "repoguard/common.h"
#include "repoguard/imports.h"

#define IMP_MAX_SPEC 1024       /* longer "specifiers" are not imports */
#define IMP_ROUTE_WINDOW 400    /* bytes searched around path= for the element */
#define IMP_OVEC 16

/* ------------------------------------------------------------- patterns */

/*
 * Over masked text. The span between import/export and from may hold only
 * what an import clause holds (names, braces, commas, '*', whitespace), so
 * `export const x = a; ... from 'y'` and JSX cannot be taken for one; and
 * not another import/export keyword, so that each byte is scanned by one
 * attempt only. Measured on 1.4 MB of "import a import a ... from 'x'":
 * 10 ms; a span bounded with {0,8192} instead took 5 s (each attempt scans
 * the whole bound), and a bounded tempered group is too large to compile.
 * Groups: 1 keyword, 2 " type", 4 spec (static); 6 (side effect);
 * 8 (dynamic); 10 (require).
 */
static const char imp_pattern[] =
	"(?<![\\w$.])(?:"
	"(import|export)(?![\\w$])"
	"(\\s+type(?![\\w$])(?!\\s*(?:from(?![\\w$])|=|,)))?"
	"(?:(?!(?<![\\w$])(?:import|export)(?![\\w$]))[\\w$\\s{},*\\x80-\\xff])*?"
	"(?<![\\w$])from\\s*(['\"])([^'\"`\\n]*)\\3"
	"|import\\s*(['\"])([^'\"`\\n]*)\\5"
	"|import\\s*\\(\\s*(['\"`])([^'\"`\\n]*)\\7\\s*[,)]"
	"|require\\s*\\(\\s*(['\"`])([^'\"`\\n]*)\\9\\s*\\)"
	")";

/* path="/x", path: '/x', path={"/x"}; group 2 the path. */
static const char route_path_pattern[] =
	"(?<![\\w$.])path\\s*[=:]\\s*\\{?\\s*(['\"`])([^'\"`\\n]*)\\1";

/* element={<Feed />}, element: <Feed/>, component={Feed}, Component: Feed; group 1 or 2. */
static const char route_target_pattern[] =
	"(?<![\\w$.])(?:element\\s*[=:]\\s*\\{?\\s*<\\s*([A-Za-z_$][\\w$.]*)"
	"|[cC]omponent\\s*[=:]\\s*\\{?\\s*([A-Za-z_$][\\w$.]*))";

struct rg_import_parser {
	pcre2_code *imports, *route_path, *route_target;
	pcre2_match_data *md;
	char *mask;
	size_t mask_alloc;
};

static int imp_compile(pcre2_code **out, const char *pattern)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);

	if (!re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(err, msg, sizeof(msg));
		rg_error_set("internal: import pattern does not compile at offset %zu: %s", (size_t)off,
			(const char *)msg);
		return RG_ERROR;
	}
	/* JIT is an optimisation: without it (unsupported CPU) the interpreter runs */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	*out = re;
	return RG_OK;
}

int rg_import_parser_new(rg_import_parser **out)
{
	rg_import_parser *p = rg_calloc(1, sizeof(*p));

	*out = NULL;
	if (imp_compile(&p->imports, imp_pattern) < 0 ||
	    imp_compile(&p->route_path, route_path_pattern) < 0 ||
	    imp_compile(&p->route_target, route_target_pattern) < 0) {
		rg_import_parser_free(p);
		return RG_ERROR;
	}
	p->md = pcre2_match_data_create(IMP_OVEC, NULL);
	*out = p;
	return RG_OK;
}

void rg_import_parser_free(rg_import_parser *p)
{
	if (!p)
		return;
	pcre2_code_free(p->imports);
	pcre2_code_free(p->route_path);
	pcre2_code_free(p->route_target);
	pcre2_match_data_free(p->md);
	free(p->mask);
	free(p);
}

static const char *imp_masked(rg_import_parser *p, const char *text, size_t len, unsigned int flags)
{
	if (len + 1 > p->mask_alloc) {
		p->mask_alloc = len + 1;
		p->mask = rg_realloc(p->mask, p->mask_alloc);
	}
	rg_js_mask(p->mask, text, len, flags);
	p->mask[len] = '\0';
	return p->mask;
}

/* Lines advance monotonically with the offsets matched. */
typedef struct {
	const char *text;
	size_t pos;
	int line;
} imp_lines;

static int imp_line_at(imp_lines *l, size_t off)
{
	const char *nl;

	while (l->pos < off && (nl = memchr(l->text + l->pos, '\n', off - l->pos)) != NULL) {
		l->line++;
		l->pos = (size_t)(nl - l->text) + 1;
	}
	if (l->pos < off)
		l->pos = off;
	return l->line;
}

static int imp_group(const PCRE2_SIZE *ov, int g, size_t *s, size_t *e)
{
	if (ov[2 * g] == PCRE2_UNSET)
		return 0;
	*s = ov[2 * g];
	*e = ov[2 * g + 1];
	return 1;
}

/* A template with a substitution, an escape or an over-long string is not resolvable. */
static int imp_spec_ok(const char *s, size_t n)
{
	return n > 0 && n <= IMP_MAX_SPEC && !memchr(s, '\\', n) && !memchr(s, '\0', n) &&
		!memmem(s, n, "${", 2);
}

static void imp_add(rg_import_list *out, const char *text, size_t s, size_t e,
	int line, int kind, int type_only)
{
	rg_import *im;

	if (!imp_spec_ok(text + s, e - s))
		return;
	RG_GROW(out->v, out->alloc, out->n + 1);
	im = &out->v[out->n++];
	im->spec = rg_strndup(text + s, e - s);
	im->line = line;
	im->kind = kind;
	im->type_only = type_only;
}

static int imp_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

static int imp_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * Is the import('...') at m[s, e) (masked text; e just after its ')' or ',')
 * a TypeScript import type, erased at compile time? `typeof import('./x')`,
 * or a member other than a promise's read off it: `import('./x').Props`
 * (a type annotation, `type P = import('./x').P`), where a run-time
 * import() is a promise and takes only .then, .catch or .finally.
 */
static int imp_dynamic_is_type(const char *m, size_t len, size_t s, size_t e)
{
	static const char *const promise[] = { "then", "catch", "finally" };
	size_t i = s, n;

	while (i > 0 && imp_space(m[i - 1]))
		i--;
	if (i >= 6 && !memcmp(m + i - 6, "typeof", 6) && (i == 6 || !imp_word(m[i - 7])))
		return 1;
	if (e == 0 || m[e - 1] != ')')
		return 0;
	while (e < len && imp_space(m[e]))
		e++;
	if (e >= len || m[e] != '.' || (e + 1 < len && m[e + 1] == '.'))
		return 0;
	for (e++; e < len && imp_space(m[e]); e++)
		;
	for (n = 0; e + n < len && imp_word(m[e + n]); n++)
		;
	if (!n)
		return 0;
	for (i = 0; i < RG_ARRAY_SIZE(promise); i++)
		if (n == strlen(promise[i]) && !memcmp(m + e, promise[i], n))
			return 0;
	return 1;
}

/* Is the word w just before m[i] (blanks skipped)? Its start into *at. */
static int imp_word_before(const char *m, size_t i, const char *w, size_t *at)
{
	size_t n = strlen(w);

	while (i > 0 && imp_space(m[i - 1]))
		i--;
	if (i < n || memcmp(m + i - n, w, n) || (i > n && imp_word(m[i - n - 1])))
		return 0;
	*at = i - n;
	return 1;
}

/* TypeScript's `import type X = require('./x')`, erased at compile time: the require at m[s]. */
static int imp_require_is_type(const char *m, size_t s)
{
	size_t i = s;

	while (i > 0 && imp_space(m[i - 1]))
		i--;
	if (!i || m[i - 1] != '=')
		return 0;
	i--;
	while (i > 0 && imp_space(m[i - 1]))
		i--;
	if (!i || !imp_word(m[i - 1]))
		return 0;
	while (i > 0 && imp_word(m[i - 1]))
		i--;
	return imp_word_before(m, i, "type", &i) && imp_word_before(m, i, "import", &i);
}

static int imp_match_failed(int rc)
{
	PCRE2_UCHAR msg[256];

	pcre2_get_error_message(rc, msg, sizeof(msg));
	rg_error_set("import parsing failed: %s", (const char *)msg);
	return RG_ERROR;
}

int rg_import_parse(rg_import_list *out, rg_import_parser *p, const char *text, size_t len,
	unsigned int flags)
{
	const char *m = imp_masked(p, text, len, flags);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
	imp_lines lines = { m, 0, 1 };
	size_t start = 0;

	while (start < len) {
		int rc = pcre2_match(p->imports, (PCRE2_SPTR)m, len, start, 0, p->md, NULL);
		size_t s, e;

		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			return imp_match_failed(rc);
		if (imp_group(ov, 4, &s, &e))
			imp_add(out, text, s, e, imp_line_at(&lines, s),
				m[ov[2]] == 'e' ? RG_IMPORT_EXPORT : RG_IMPORT_FROM, ov[4] != PCRE2_UNSET);
		else if (imp_group(ov, 6, &s, &e))
			imp_add(out, text, s, e, imp_line_at(&lines, s), RG_IMPORT_SIDE, 0);
		else if (imp_group(ov, 8, &s, &e))
			imp_add(out, text, s, e, imp_line_at(&lines, s), RG_IMPORT_DYNAMIC,
				imp_dynamic_is_type(m, len, ov[0], ov[1]));
		else if (imp_group(ov, 10, &s, &e))
			imp_add(out, text, s, e, imp_line_at(&lines, s), RG_IMPORT_REQUIRE,
				imp_require_is_type(m, ov[0]));
		start = ov[1] > start ? ov[1] : start + 1;
	}
	return RG_OK;
}

void rg_import_list_free(rg_import_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].spec);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---------------------------------------------------------------- routes */

/* The last match of the target pattern in m[lo, hi), or the first when first. */
static int route_target_in(char **out, rg_import_parser *p, const char *m, size_t lo, size_t hi,
	int first)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
	size_t start = lo, s = 0, e = 0;
	int found = 0;

	while (start < hi) {
		int rc = pcre2_match(p->route_target, (PCRE2_SPTR)m, hi, start, 0, p->md, NULL);

		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			return imp_match_failed(rc);
		if (!imp_group(ov, 1, &s, &e))
			imp_group(ov, 2, &s, &e);
		found = 1;
		start = ov[1] > start ? ov[1] : start + 1;
		if (first)
			break;
	}
	if (found)
		*out = rg_strndup(m + s, e - s);
	return found;
}

/* Pass 1 of rg_route_parse: every path= / path: with its match span. */
static int route_paths(rg_route_list *out, size_t **spans, rg_import_parser *p, const char *text,
	const char *m, size_t len)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
	imp_lines lines = { m, 0, 1 };
	size_t start = 0, alloc = 0, first = out->n;

	while (start < len) {
		int rc = pcre2_match(p->route_path, (PCRE2_SPTR)m, len, start, 0, p->md, NULL);
		size_t s = 0, e = 0, k;
		rg_route *r;

		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			return imp_match_failed(rc);
		imp_group(ov, 2, &s, &e);
		start = ov[1] > start ? ov[1] : start + 1;
		if (e - s > IMP_MAX_SPEC || memchr(text + s, '\0', e - s))
			continue;
		RG_GROW(out->v, out->alloc, out->n + 1);
		k = out->n - first;
		RG_GROW(*spans, alloc, 2 * (k + 1));
		(*spans)[2 * k] = ov[0];
		(*spans)[2 * k + 1] = ov[1];
		r = &out->v[out->n++];
		r->path = rg_strndup(text + s, e - s);
		r->target = NULL;
		r->line = imp_line_at(&lines, s);
	}
	return RG_OK;
}

int rg_route_parse(rg_route_list *out, rg_import_parser *p, const char *text, size_t len,
	unsigned int flags)
{
	const char *m = imp_masked(p, text, len, flags);
	size_t *spans = NULL, prev_end = 0, first = out->n, k;
	int r = route_paths(out, &spans, p, text, m, len);

	/* pass 2: the element of each route, looked for between its neighbours */
	for (k = 0; r >= 0 && first + k < out->n; k++) {
		size_t s = spans[2 * k], e = spans[2 * k + 1];
		size_t next = first + k + 1 < out->n ? spans[2 * k + 2] : len;
		size_t fwd = e + IMP_ROUTE_WINDOW < next ? e + IMP_ROUTE_WINDOW : next;
		size_t back = s > prev_end + IMP_ROUTE_WINDOW ? s - IMP_ROUTE_WINDOW : prev_end;
		char *target = NULL;

		r = route_target_in(&target, p, m, e, fwd, 1);
		if (r == 0)
			r = route_target_in(&target, p, m, back, s, 0);
		out->v[first + k].target = target;
		prev_end = e;
	}
	free(spans);
	return r < 0 ? r : RG_OK;
}

void rg_route_list_free(rg_route_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].target);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
