/*
 * jsmask.c: the lexer that masks what is not code in JavaScript/TypeScript.
 *
 * A regular expression alone cannot tell code from a comment or a string
 * that merely contains "import x from './y'", and a full parser is more than
 * a hook needs. This lexer blanks comments and the contents of string,
 * template and regular-expression literals (newlines kept, so offsets and
 * line numbers do not move); the import patterns (imports.c) then run over
 * the result. It knows line and block comments, '...' and "..." strings
 * (ended by a newline, as in JavaScript, so an apostrophe in JSX text masks
 * one line at most), template literals with nested ${...} code, and
 * regular-expression literals (told from division by the previous token, as
 * JavaScript lexers do). Byte classes come from tables: the per-byte
 * function calls of a first version made masking 2.5 times slower.
 */
#include <stdint.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/imports.h"

#define IMP_TPL_DEPTH 32        /* nested ${ `${ }` } levels tracked */

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

/*
 * One step inside a string or template literal: skip to the next byte of
 * interest, blank an escape pair (so \' and \` never end the literal).
 * Returns the offset of the byte to act on (consumed), or SIZE_MAX when
 * there is none this step.
 */
static size_t lex_literal_next(lexer *x, int stop)
{
	size_t i;

	lex_skip(x, stop);
	if (x->i >= x->len)
		return SIZE_MAX;
	i = x->i;
	if (x->src[i] == '\\' && i + 1 < x->len) {
		lex_blank(x, i);
		lex_blank(x, i + 1);
		x->i = i + 2;
		return SIZE_MAX;
	}
	x->i = i + 1;
	return i;
}

/* The literal ends at i: keep its closing byte and go back to code. */
static void lex_literal_end(lexer *x, size_t i)
{
	x->out[i] = x->src[i];
	x->state = L_CODE;
	x->regex_ok = 0;
}

/* Inside '...' or "...": ends at the quote, or (unterminated) at a newline. */
static void lex_string(lexer *x, char quote)
{
	size_t i = lex_literal_next(x, quote == '"' ? STOP_DQ : STOP_SQ);

	if (i == SIZE_MAX)
		return;
	if (x->src[i] == quote || x->src[i] == '\n')
		lex_literal_end(x, i);
	else
		lex_blank(x, i);
}

static void lex_template(lexer *x)
{
	size_t i = lex_literal_next(x, STOP_TPL);

	if (i == SIZE_MAX)
		return;
	if (x->src[i] == '`') {
		lex_literal_end(x, i);
	} else if (x->src[i] == '$' && i + 1 < x->len && x->src[i + 1] == '{' && x->sp < IMP_TPL_DEPTH) {
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
