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
 *
 * With RG_JS_JSX it also knows JSX, as TypeScript's scanner does: a '<'
 * where an expression starts (where a '/' would start a regex) followed by
 * a name or '>' opens an element. Its tag is lexed as JSX (attribute
 * strings, {expressions}), its text children are copied as they are, never
 * lexed as code: a slash-star, a backtick or the apostrophe of "Don't" in
 * text starts no comment, template or string. Elements nest, and {...} inside
 * them are code again. TypeScript's generic arrows (<T,>(x) => x,
 * <T extends U>(x) => x) are not elements. What cannot be told apart fails
 * safe: a tag that turns out not to be one (`i-- <n;`) is dropped at the
 * byte that breaks it and lexing goes on as code, and an element whose
 * opening tag is followed by '(' (`type F = <T>(x: T) => T`, a generic
 * function type, reads as one) is an element only if it closes on the line
 * where that tag ends; otherwise that stretch is lexed again as code.
 */
#include <stdint.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/imports.h"

#define LEX_FRAMES 256          /* nested ${...}, JSX elements and {...} in them tracked */
#define LEX_TYPE_ARGS_MAX 256   /* bytes looked at for a tag's <type arguments> */

/* ---------------------------------------------------------------- lexer */

enum {
	L_CODE, L_LINE, L_BLOCK, L_SQ, L_DQ, L_TPL, L_RE, L_RECLASS,
	L_JTAG,     /* in a JSX opening tag, after its name */
	L_JSQ,      /* in a JSX attribute string '...' */
	L_JDQ,      /* in a JSX attribute string "..." */
	L_JTEXT,    /* in a JSX element's children */
	L_JCLOSE    /* in a JSX closing tag, after "</" */
};

/* What the lexer is nested in: code in ${...} or in a JSX {...}, or a JSX element. */
enum { F_TPL, F_JEXPR, F_JELEM };

typedef struct {
	unsigned char kind;
	unsigned char back;         /* F_JEXPR: the state its closing '}' returns to */
	int depth;                  /* F_TPL, F_JEXPR: braces open in its code */
} lex_frame;

typedef struct {
	const char *src;
	char *out;
	size_t len, i;
	int state;
	int regex_ok;               /* a '/' here starts a regular expression (and a '<' JSX) */
	unsigned int flags;         /* RG_JS_* */
	lex_frame frame[LEX_FRAMES];
	int sp;

	/*
	 * The last JSX element opened while none was tentative (where lexing
	 * resumes if it is not one after all), and the tentative one: it must
	 * close before tent_nl, else lexing goes back to cand_i with no
	 * tentative element before no_tent_until.
	 */
	size_t cand_i, tent_nl, no_tent_until;
	size_t next_nl;             /* the first newline at or after the last tag end looked at */
	int cand_sp, cand_state, cand_regex_ok;
	int tent;
} lexer;

/* Byte classes, and for each literal state the bytes that end its plain run. */
enum { K_IDENT = 1, K_SPACE = 2, K_SPECIAL = 4, K_PUNCT = 8 };
enum { STOP_SQ, STOP_DQ, STOP_TPL, STOP_LINE, STOP_BLOCK, STOP_JSQ, STOP_JDQ, STOP_JTEXT, STOP_N };
static unsigned char lex_class[256];
static unsigned char lex_stop[STOP_N][256];

static void lex_tables(void)
{
	static int done;
	static const char *const stops[STOP_N] = {
		"'\\\n", "\"\\\n", "`\\$\n", "\n", "*\n", "'\n", "\"\n", "<{"
	};
	const char *p;
	int c, k;

	if (done)
		return;
	for (c = 0; c < 256; c++)
		lex_class[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			c == '_' || c == '$' || c >= 0x80 ? K_IDENT : K_PUNCT;
	for (p = " \t\r\n\f\v"; *p; p++)
		lex_class[(unsigned char)*p] = K_SPACE;
	for (p = "/'\"`{})]<"; *p; p++)
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

/* ------------------------------------------------------------------ JSX */

/* Bytes of a JSX name after its first: identifier bytes, '-', ':' and '.'. */
static int lex_jsx_name_byte(unsigned char c)
{
	return lex_class[c] == K_IDENT || c == '-' || c == ':' || c == '.';
}

static size_t lex_skip_blanks(const lexer *x, size_t i)
{
	while (i < x->len && (x->src[i] == ' ' || x->src[i] == '\t'))
		i++;
	return i;
}

static int lex_push(lexer *x, int kind, int back)
{
	lex_frame *f;

	if (x->sp >= LEX_FRAMES)
		return 0;
	f = &x->frame[x->sp++];
	f->kind = (unsigned char)kind;
	f->back = (unsigned char)back;
	f->depth = 0;
	return 1;
}

/*
 * Is the name at s[p, e) (after '<') a TypeScript type parameter rather
 * than a tag? As TypeScript decides in .tsx: "<T," and "<T extends U"
 * start a generic arrow function.
 */
static int lex_jsx_generic(const lexer *x, size_t e)
{
	const char *s = x->src;
	size_t q = e;

	while (q < x->len && lex_class[(unsigned char)s[q]] == K_SPACE)
		q++;
	if (q < x->len && s[q] == ',')
		return 1;
	if (q == e || x->len - q < 8 || memcmp(s + q, "extends", 7) ||
	    lex_class[(unsigned char)s[q + 7]] != K_SPACE)
		return 0;
	q += 7;
	while (q < x->len && lex_class[(unsigned char)s[q]] == K_SPACE)
		q++;
	return q < x->len && s[q] != '=' && s[q] != '>' && s[q] != '/';
}

/*
 * TypeScript type arguments of a tag (<Select<Option> value={v} />) from
 * the '<' at i: past the matching '>' when it is near, on the same line,
 * else i (the tag then fails at that '<' and is lexed as code).
 */
static size_t lex_jsx_type_args(const lexer *x, size_t i)
{
	const char *s = x->src;
	size_t e, end = x->len - i > LEX_TYPE_ARGS_MAX ? i + LEX_TYPE_ARGS_MAX : x->len;
	int depth = 0;

	for (e = i; e < end && s[e] != '\n'; e++) {
		if (s[e] == '<')
			depth++;
		else if (s[e] == '>' && s[e - 1] != '=' && --depth == 0)
			return e + 1;
	}
	return i;
}

/*
 * Open a JSX element at the '<' at i (in code where an expression starts, or
 * in a parent's text): "<>" or "<Name". Returns 0, consuming nothing, when
 * it is not one.
 */
static int lex_jsx_open(lexer *x, size_t i)
{
	const char *s = x->src;
	size_t e = i + 1;
	int state = x->state;

	if (!(x->flags & RG_JS_JSX) || e >= x->len)
		return 0;
	if (s[e] != '>') {
		unsigned char c = (unsigned char)s[e];

		if (lex_class[c] != K_IDENT || (c >= '0' && c <= '9'))
			return 0;
		while (e < x->len && lex_jsx_name_byte((unsigned char)s[e]))
			e++;
		if (lex_jsx_generic(x, e))
			return 0;
		if (e < x->len && s[e] == '<')
			e = lex_jsx_type_args(x, e);
	}
	if (!lex_push(x, F_JELEM, 0))
		return 0;
	if (!x->tent) {
		x->cand_i = i;
		x->cand_sp = x->sp - 1;
		x->cand_state = state;
		x->cand_regex_ok = x->regex_ok;
	}
	if (e == i + 1) {
		e++; /* "<>" */
		x->state = L_JTEXT;
	} else {
		x->state = L_JTAG;
	}
	memcpy(x->out + i, s + i, e - i);
	x->i = e;
	return 1;
}

/* The element on top is done (closed, or not an element after all). */
static void lex_jsx_pop(lexer *x)
{
	x->sp--;
	if (x->tent && x->sp == x->cand_sp)
		x->tent = 0;
	if (x->sp && x->frame[x->sp - 1].kind == F_JELEM) {
		x->state = L_JTEXT;
	} else {
		x->state = L_CODE;
		x->regex_ok = 0;
	}
}

/*
 * The '>' at i ends the opening tag of the element on top. Followed by '('
 * an element opened in code may be a generic function type
 * (`<T>(x: T) => T`): tentative, it must close on this line.
 */
static void lex_jsx_tag_end(lexer *x, size_t i)
{
	size_t p = lex_skip_blanks(x, i + 1);
	const char *nl;

	x->state = L_JTEXT;
	if (p >= x->len || x->src[p] != '(' || x->tent || x->cand_sp != x->sp - 1 ||
	    x->cand_state != L_CODE)
		return; /* in a parent's text it can only be an element */
	if (x->cand_i < x->no_tent_until) {
		/* lexed again after it failed: not an element */
		lex_jsx_pop(x);
		return;
	}
	if (x->next_nl < i) {
		/* kept, so that many tags on one long line do not each search it */
		nl = memchr(x->src + i, '\n', x->len - i);
		x->next_nl = nl ? (size_t)(nl - x->src) : x->len;
	}
	x->tent = 1;
	x->tent_nl = x->next_nl;
}

/* The tentative element did not close on its line: lex from its '<' again, as code. */
static void lex_jsx_retract(lexer *x)
{
	x->i = x->cand_i;
	x->sp = x->cand_sp;
	x->state = x->cand_state;
	x->regex_ok = x->cand_regex_ok;
	x->tent = 0;
	x->no_tent_until = x->tent_nl;
}

/* In an opening tag: attribute names, '=', strings, {expressions}, '>' or '/>'. */
static void lex_jsx_tag(lexer *x)
{
	const char *s = x->src;
	size_t i = x->i, e = i;
	unsigned char c = (unsigned char)s[i];

	while (e < x->len && (lex_class[(unsigned char)s[e]] == K_SPACE ||
	       lex_jsx_name_byte((unsigned char)s[e]) || s[e] == '='))
		e++;
	if (e > i) {
		memcpy(x->out + i, s + i, e - i);
		x->i = e;
		return;
	}
	switch (c) {
	case '"': case '\'':
		x->out[i] = (char)c;
		x->i = i + 1;
		x->state = c == '"' ? L_JDQ : L_JSQ;
		return;
	case '{':
		if (!lex_push(x, F_JEXPR, L_JTAG))
			break;
		x->out[i] = '{';
		x->i = i + 1;
		x->state = L_CODE;
		x->regex_ok = 1;
		return;
	case '>':
		x->out[i] = '>';
		x->i = i + 1;
		lex_jsx_tag_end(x, i);
		return;
	case '/':
		if (i + 1 >= x->len || s[i + 1] != '>')
			break;
		memcpy(x->out + i, s + i, 2);
		x->i = i + 2;
		lex_jsx_pop(x);
		return;
	default:
		break;
	}
	/* not a tag after all (`i-- <n;`): lex on from this byte as code */
	lex_jsx_pop(x);
}

/* In a JSX attribute string: no escapes; one that reaches the line's end is not trusted. */
static void lex_jsx_string(lexer *x, char quote)
{
	size_t i;

	lex_skip(x, quote == '"' ? STOP_JDQ : STOP_JSQ);
	if (x->i >= x->len)
		return;
	i = x->i;
	if (x->src[i] == quote) {
		x->out[i] = quote;
		x->i = i + 1;
		x->state = L_JTAG;
	} else {
		lex_jsx_pop(x); /* the newline is lexed by what comes next */
	}
}

/* In an element's children: text up to '<' or '{', copied as it is. */
static void lex_jsx_text(lexer *x)
{
	const unsigned char *stop = lex_stop[STOP_JTEXT];
	const char *s = x->src;
	size_t i = x->i;

	while (i < x->len && !stop[(unsigned char)s[i]])
		i++;
	memcpy(x->out + x->i, s + x->i, i - x->i);
	x->i = i;
	if (i >= x->len)
		return;
	if (s[i] == '{') {
		if (!lex_push(x, F_JEXPR, L_JTEXT)) {
			/* too deep to follow: the elements are left as code */
			while (x->sp && x->frame[x->sp - 1].kind == F_JELEM)
				lex_jsx_pop(x);
			return;
		}
		x->out[i] = '{';
		x->i = i + 1;
		x->state = L_CODE;
		x->regex_ok = 1;
	} else if (i + 1 < x->len && s[i + 1] == '/') {
		memcpy(x->out + i, s + i, 2);
		x->i = i + 2;
		x->state = L_JCLOSE;
	} else if (!lex_jsx_open(x, i)) {
		x->out[i] = '<'; /* a '<' that opens nothing is text */
		x->i = i + 1;
	}
}

/* In a closing tag after "</": its name, then '>'. */
static void lex_jsx_close(lexer *x)
{
	const char *s = x->src;
	size_t i = x->i, e = i;

	while (e < x->len && (lex_class[(unsigned char)s[e]] == K_SPACE ||
	       lex_jsx_name_byte((unsigned char)s[e])))
		e++;
	memcpy(x->out + i, s + i, e - i);
	x->i = e;
	if (e >= x->len)
		return;
	if (s[e] == '>') {
		x->out[e] = '>';
		x->i = e + 1;
		lex_jsx_pop(x);
	} else {
		lex_jsx_pop(x);
	}
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
	case '<':
		if (x->regex_ok && lex_jsx_open(x, i))
			return;
		x->regex_ok = 1;
		return;
	case '{':
		if (x->sp)
			x->frame[x->sp - 1].depth++;
		x->regex_ok = 1;
		return;
	case '}':
		x->regex_ok = 1;
		if (x->sp && x->frame[x->sp - 1].depth-- == 0) {
			lex_frame *f = &x->frame[--x->sp];

			x->state = f->kind == F_TPL ? L_TPL : f->back;
		}
		return;
	case ')': case ']':
		x->regex_ok = 0;
		return;
	default:
		x->regex_ok = 1;
		return;
	}
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
	} else if (x->src[i] == '$' && i + 1 < x->len && x->src[i + 1] == '{' && lex_push(x, F_TPL, 0)) {
		x->out[i] = '$';
		x->out[i + 1] = '{';
		x->i = i + 2;
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

void rg_js_mask(char *out, const char *src, size_t len, unsigned int flags)
{
	lexer x;

	lex_tables();
	memset(&x, 0, sizeof(x));
	x.src = src;
	x.out = out;
	x.len = len;
	x.flags = flags;
	x.regex_ok = 1;
	if (len >= 2 && src[0] == '#' && src[1] == '!')
		x.state = L_LINE;
	for (;;) {
		if (x.tent && x.i > x.tent_nl)
			lex_jsx_retract(&x);
		if (x.i >= len)
			break;
		switch (x.state) {
		case L_CODE: lex_code(&x); break;
		case L_LINE: case L_BLOCK: lex_comment(&x); break;
		case L_SQ: lex_string(&x, '\''); break;
		case L_DQ: lex_string(&x, '"'); break;
		case L_TPL: lex_template(&x); break;
		case L_JTAG: lex_jsx_tag(&x); break;
		case L_JSQ: lex_jsx_string(&x, '\''); break;
		case L_JDQ: lex_jsx_string(&x, '"'); break;
		case L_JTEXT: lex_jsx_text(&x); break;
		case L_JCLOSE: lex_jsx_close(&x); break;
		default: lex_regex(&x); break;
		}
	}
}
