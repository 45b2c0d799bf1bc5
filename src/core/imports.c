/*
 * imports.c: finding the imports of a JavaScript / TypeScript file.
 *
 * A regular expression alone cannot tell code from a comment or a string
 * that merely contains "import x from './y'"; a full parser is more than a
 * hook needs. So a lexer first masks everything that is not code (see
 * imports.h), then pcre2 matches over the masked text. The lexer knows
 * line and block comments, '...' and "..." strings (ended by a newline, as
 * in JavaScript, so an apostrophe in JSX text masks one line at most),
 * template literals with nested ${...} code, and regular-expression literals
 * (told from division by the previous token, as JavaScript lexers do).
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

#define IMP_TPL_DEPTH 32        /* nested ${ `${ }` } levels tracked */
#define IMP_MAX_SPEC 1024       /* longer "specifiers" are not imports */
#define IMP_ROUTE_WINDOW 400    /* bytes searched around path= for the element */
#define IMP_OVEC 16

/* ---------------------------------------------------------------- lexer */

enum { L_CODE, L_LINE, L_BLOCK, L_SQ, L_DQ, L_TPL, L_RE, L_RECLASS };

typedef struct {
	const char *src;
	char *out;
	size_t len, i;
	int state;
	int regex_ok;               /* a '/' here starts a regular expression */
	int depth[IMP_TPL_DEPTH];   /* brace depth of each open ${ */
	int sp;
} lexer;

/* Byte classes, and for each literal state the bytes that end its plain run. */
enum { K_IDENT = 1, K_SPACE = 2, K_SPECIAL = 4, K_PUNCT = 8 };
enum { STOP_SQ, STOP_DQ, STOP_TPL, STOP_LINE, STOP_BLOCK, STOP_N };
static unsigned char lex_class[256];
static unsigned char lex_stop[STOP_N][256];

static void lex_tables(void)
{
	static int done;
	static const char *const stops[STOP_N] = { "'\\\n", "\"\\\n", "`\\$\n", "\n", "*\n" };
	const char *p;
	int c, k;

	if (done)
		return;
	for (c = 0; c < 256; c++)
		lex_class[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			c == '_' || c == '$' || c >= 0x80 ? K_IDENT : K_PUNCT;
	for (p = " \t\r\n\f\v"; *p; p++)
		lex_class[(unsigned char)*p] = K_SPACE;
	for (p = "/'\"`{})]"; *p; p++)
		lex_class[(unsigned char)*p] = K_SPECIAL;
	lex_class[0] = K_SPECIAL;
	for (k = 0; k < STOP_N; k++)
		for (p = stops[k]; *p; p++)
			lex_stop[k][(unsigned char)*p] = 1;
	done = 1;
}

/* After these keywords an expression starts, so '/' begins a regex. */
static int lex_keyword_before_expr(const char *s, size_t n)
{
#define KW(w) { w, sizeof(w) - 1 }
	static const struct { const char *w; size_t n; } kw[] = {
		KW("return"), KW("typeof"), KW("instanceof"), KW("in"), KW("of"), KW("new"),
		KW("delete"), KW("void"), KW("throw"), KW("case"), KW("do"), KW("else"),
		KW("yield"), KW("await")
	};
#undef KW
	size_t k;

	if (n < 2 || n > 10)
		return 0; /* most identifiers: no keyword has that length */
	for (k = 0; k < RG_ARRAY_SIZE(kw); k++)
		if (kw[k].n == n && !memcmp(kw[k].w, s, n))
			return 1;
	return 0;
}

/* Mask byte i: keep newlines, so that offsets and lines stay as they were. */
static void lex_blank(lexer *x, size_t i)
{
	x->out[i] = x->src[i] == '\n' ? '\n' : ' ';
}

static void lex_code(lexer *x)
{
	const char *s = x->src;
	size_t i = x->i;
	unsigned char c = (unsigned char)s[i];
	char next = i + 1 < x->len ? s[i + 1] : '\0';

	/* runs of whitespace and operators other than / ' " ` { } ) ] stay as they are */
	if (lex_class[c] & (K_SPACE | K_PUNCT)) {
		size_t e = i;
		unsigned seen = 0;

		while (e < x->len && (lex_class[(unsigned char)s[e]] & (K_SPACE | K_PUNCT)))
			seen |= lex_class[(unsigned char)s[e++]];
		memcpy(x->out + i, s + i, e - i);
		if (seen & K_PUNCT)
			x->regex_ok = 1;
		x->i = e;
		return;
	}
	if (lex_class[c] == K_IDENT) {
		size_t e = i;

		while (e < x->len && lex_class[(unsigned char)s[e]] == K_IDENT)
			e++;
		memcpy(x->out + i, s + i, e - i);
		x->regex_ok = lex_keyword_before_expr(s + i, e - i);
		x->i = e;
		return;
	}
	x->out[i] = (char)c;
	x->i = i + 1;
	switch (c) {
	case '/':
		if (next == '/' || next == '*') {
			x->state = next == '/' ? L_LINE : L_BLOCK;
			lex_blank(x, i);
			lex_blank(x, i + 1);
			x->i = i + 2;
		} else if (x->regex_ok) {
			x->state = L_RE;
		} else {
			x->regex_ok = 1;
		}
		return;
	case '\'': x->state = L_SQ; return;
	case '"': x->state = L_DQ; return;
	case '`': x->state = L_TPL; return;
	case ' ': case '\t': case '\r': case '\n': case '\f': case '\v':
		return;
	case '{':
		if (x->sp)
			x->depth[x->sp - 1]++;
		x->regex_ok = 1;
		return;
	case '}':
		if (x->sp && x->depth[x->sp - 1]-- == 0) {
			x->sp--;
			x->state = L_TPL;
		}
		x->regex_ok = 1;
		return;
	case ')': case ']':
		x->regex_ok = 0;
		return;
	default:
		x->regex_ok = 1;
		return;
	}
}

/* Blank the run of bytes from x->i that do not end the state's plain run. */
static void lex_skip(lexer *x, int which)
{
	const unsigned char *stop = lex_stop[which];
	size_t i = x->i;

	while (i < x->len && !stop[(unsigned char)x->src[i]])
		i++;
	memset(x->out + x->i, ' ', i - x->i);
	x->i = i;
}

/* Inside '...' or "...": ends at the quote, or (unterminated) at a newline. */
static void lex_string(lexer *x, char quote)
{
	size_t i;
	char c;

	lex_skip(x, quote == '"' ? STOP_DQ : STOP_SQ);
	if (x->i >= x->len)
		return;
	i = x->i;
	c = x->src[i];

	if (c == '\\' && i + 1 < x->len) {
		lex_blank(x, i);
		lex_blank(x, i + 1);
		x->i = i + 2;
		return;
	}
	x->i = i + 1;
	if (c == quote || c == '\n') {
		x->out[i] = c;
		x->state = L_CODE;
		x->regex_ok = 0;
		return;
	}
	lex_blank(x, i);
}

static void lex_template(lexer *x)
{
	size_t i;
	char c;

	lex_skip(x, STOP_TPL);
	if (x->i >= x->len)
		return;
	i = x->i;
	c = x->src[i];

	if (c == '\\' && i + 1 < x->len) {
		lex_blank(x, i);
		lex_blank(x, i + 1);
		x->i = i + 2;
		return;
	}
	x->i = i + 1;
	if (c == '`') {
		x->out[i] = c;
		x->state = L_CODE;
		x->regex_ok = 0;
	} else if (c == '$' && i + 1 < x->len && x->src[i + 1] == '{' && x->sp < IMP_TPL_DEPTH) {
		x->out[i] = '$';
		x->out[i + 1] = '{';
		x->i = i + 2;
		x->depth[x->sp++] = 0;
		x->state = L_CODE;
		x->regex_ok = 1;
	} else {
		lex_blank(x, i);
	}
}

static void lex_regex(lexer *x)
{
	size_t i = x->i;
	char c = x->src[i];

	if (c == '\\' && i + 1 < x->len && x->src[i + 1] != '\n') {
		lex_blank(x, i);
		lex_blank(x, i + 1);
		x->i = i + 2;
		return;
	}
	x->i = i + 1;
	if (c == '\n' || (c == '/' && x->state == L_RE)) {
		x->out[i] = c;
		x->state = L_CODE;
		x->regex_ok = 0;
		return;
	}
	if (c == '[' && x->state == L_RE)
		x->state = L_RECLASS;
	else if (c == ']' && x->state == L_RECLASS)
		x->state = L_RE;
	lex_blank(x, i);
}

static void lex_comment(lexer *x)
{
	size_t i;

	lex_skip(x, x->state == L_LINE ? STOP_LINE : STOP_BLOCK);
	if (x->i >= x->len)
		return;
	i = x->i;

	if (x->state == L_LINE && x->src[i] == '\n') {
		x->state = L_CODE;
	} else if (x->state == L_BLOCK && x->src[i] == '*' && i + 1 < x->len && x->src[i + 1] == '/') {
		lex_blank(x, i);
		lex_blank(x, i + 1);
		x->i = i + 2;
		x->state = L_CODE;
		return;
	}
	lex_blank(x, i);
	x->i = i + 1;
}

void rg_js_mask(char *out, const char *src, size_t len)
{
	lexer x;

	lex_tables();
	memset(&x, 0, sizeof(x));
	x.src = src;
	x.out = out;
	x.len = len;
	x.regex_ok = 1;
	if (len >= 2 && src[0] == '#' && src[1] == '!')
		x.state = L_LINE;
	while (x.i < len) {
		switch (x.state) {
		case L_CODE: lex_code(&x); break;
		case L_LINE: case L_BLOCK: lex_comment(&x); break;
		case L_SQ: lex_string(&x, '\''); break;
		case L_DQ: lex_string(&x, '"'); break;
		case L_TPL: lex_template(&x); break;
		default: lex_regex(&x); break;
		}
	}
}

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

static const char *imp_masked(rg_import_parser *p, const char *text, size_t len)
{
	if (len + 1 > p->mask_alloc) {
		p->mask_alloc = len + 1;
		p->mask = rg_realloc(p->mask, p->mask_alloc);
	}
	rg_js_mask(p->mask, text, len);
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

static int imp_match_failed(int rc)
{
	PCRE2_UCHAR msg[256];

	pcre2_get_error_message(rc, msg, sizeof(msg));
	rg_error_set("import parsing failed: %s", (const char *)msg);
	return RG_ERROR;
}

int rg_import_parse(rg_import_list *out, rg_import_parser *p, const char *text, size_t len)
{
	const char *m = imp_masked(p, text, len);
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
			imp_add(out, text, s, e, imp_line_at(&lines, s), RG_IMPORT_DYNAMIC, 0);
		else if (imp_group(ov, 10, &s, &e))
			imp_add(out, text, s, e, imp_line_at(&lines, s), RG_IMPORT_REQUIRE, 0);
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

int rg_route_parse(rg_route_list *out, rg_import_parser *p, const char *text, size_t len)
{
	const char *m = imp_masked(p, text, len);
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

/* ------------------------------------------------------------ resolution */

static const char *const imp_exts[] = { ".tsx", ".ts", ".jsx", ".js" };

int rg_import_is_source(const char *path)
{
	static const char *const src[] = { ".tsx", ".ts", ".jsx", ".js", ".mjs", ".cjs", ".mts", ".cts" };
	size_t i;

	for (i = 0; i < RG_ARRAY_SIZE(src); i++)
		if (rg_str_endswith(path, src[i]))
			return 1;
	return 0;
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

static const rg_import_alias *imp_alias(const char *spec, const rg_import_alias *a, size_t n)
{
	const rg_import_alias *best = NULL;
	size_t i, bestlen = 0;

	for (i = 0; i < n; i++) {
		size_t l = strlen(a[i].from);

		if (l <= bestlen || strncmp(spec, a[i].from, l))
			continue;
		/* "@" must not take "@mui/x": a prefix ends at '/' or at the end */
		if (a[i].from[l - 1] != '/' && spec[l] != '\0' && spec[l] != '/')
			continue;
		best = &a[i];
		bestlen = l;
	}
	return best;
}

int rg_import_base(rg_buf *out, const char *importer, const char *spec,
	const rg_import_alias *aliases, size_t naliases)
{
	size_t n = strcspn(spec, "?#");
	const rg_import_alias *a;
	int r;

	rg_buf_clear(out);
	if (spec[0] == '.' && (n == 1 || spec[1] == '/' ||
	    (spec[1] == '.' && (n == 2 || spec[2] == '/')))) {
		const char *slash = strrchr(importer, '/');

		if (slash && (r = imp_push_path(out, importer, (size_t)(slash - importer))) < 0)
			return r;
		r = imp_push_path(out, spec, n);
	} else if ((a = imp_alias(spec, aliases, naliases)) != NULL) {
		size_t l = strlen(a->from);

		if ((r = imp_push_path(out, a->to, strlen(a->to))) < 0)
			return r;
		r = l < n ? imp_push_path(out, spec + l, n - l) : RG_OK;
	} else {
		return RG_ENOTFOUND; /* a package */
	}
	if (r == RG_OK && !out->len)
		r = RG_ENOTFOUND;
	return r;
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
	if (i < ne) {
		rg_buf_printf(out, "%s/index%s", base, imp_exts[i]);
		return RG_OK;
	}
	return RG_ENOTFOUND;
}
