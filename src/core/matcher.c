/*
 * matcher.c: PCRE2 patterns compiled once (JIT) and a literal prefilter that
 * finds, in one pass over a line, which of them can match it. See matcher.h
 * for why, and for the measurements.
 */
#include <stdlib.h>
#include <string.h>
#include <pcre2.h>

#include "repoguard/common.h"
#include "repoguard/matcher.h"

#define MT_MATCH_LIMIT 5000000u
#define MT_JIT_STACK_MAX (1u << 20)

typedef struct {
	pcre2_code *code;
	uint32_t *secret;        /* group numbers named "secret" */
	size_t nsecret;
	int prefiltered;
	pcre2_code *anchored;    /* every match starts at one of its literals: compiled anchored */
} mt_pat;

typedef struct {
	unsigned char *s;        /* lower-cased when ci */
	uint32_t len;
	uint32_t anchor;         /* offset of the indexed byte pair */
	uint32_t pat;
	uint32_t next;           /* next literal in the bucket, 1-based; 0 ends */
	int ci;
} mt_lit;

struct rg_matcher {
	mt_pat *pats;
	size_t npats, apats;
	mt_lit *lits;            /* unanchored literals, indexed by byte pair */
	size_t nlits, alits;
	mt_lit *anch;            /* literals that only occur at the start of a line */
	size_t nanch, aanch;
	uint32_t *head;          /* 65536 buckets */
	uint8_t *pairs;          /* 65536 flags: some literal's indexed pair (a byte each: faster than bits) */
	uint64_t *residual;      /* patterns without a prefilter */
	size_t rwords;
	/* where the literals of anchored-twin patterns occur on the last line scanned */
	struct { uint32_t pat, pos; } *occ;
	size_t nocc, aocc;
	const char *occ_line;
	size_t occ_len;
	pcre2_match_data *md;
	uint32_t md_pairs;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
};

static const unsigned char mt_fold[256] = {
#define R4(b) (b), (b) + 1, (b) + 2, (b) + 3
#define R16(b) R4(b), R4((b) + 4), R4((b) + 8), R4((b) + 12)
	R16(0x00), R16(0x10), R16(0x20), R16(0x30),
	0x40, R4(0x61), R4(0x65), R4(0x69), R4(0x6d), R4(0x71), R4(0x75), 0x79, 0x7a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
	R16(0x60), R16(0x70), R16(0x80), R16(0x90), R16(0xa0), R16(0xb0),
	R16(0xc0), R16(0xd0), R16(0xe0), R16(0xf0)
#undef R16
#undef R4
};

/* ---- literal extraction ------------------------------------------------ */

#define EX_MAX_LIT 64
#define EX_MAX_LITS 4096
#define EX_MAX_DEPTH 64

typedef struct {
	char *s;
	size_t len;
	int anchored;
} ex_lit;

/* Literals of which every match contains one; known = 0: none usable. */
typedef struct {
	ex_lit *v;
	size_t n, alloc;
	int known;
	int leading;     /* every match starts with one of the literals */
} ex_set;

typedef struct {
	const char *p, *end;
	int caseless;
	int fail;
	int depth;
} ex_state;

static void ex_set_free(ex_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].s);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void ex_set_add(ex_set *s, const char *lit, size_t len, int anchored)
{
	RG_GROW(s->v, s->alloc, s->n + 1);
	s->v[s->n].s = rg_strndup(lit, len);
	s->v[s->n].len = len;
	s->v[s->n].anchored = anchored;
	s->n++;
}

/* Higher is better: longer shortest literal, then anchored, then leading ones. */
static long ex_score(const ex_set *s)
{
	size_t i, min = (size_t)-1;
	int all_anchored = 1;

	if (!s->known || !s->n)
		return -1;
	for (i = 0; i < s->n; i++) {
		if (s->v[i].len < min)
			min = s->v[i].len;
		all_anchored &= s->v[i].anchored;
	}
	if (min > 16)
		min = 16;
	return (long)min * 8 + all_anchored * 4 + s->leading * 2 + (s->n == 1);
}

/* Keep the better of *best and *cand (cand is consumed). */
static void ex_keep_better(ex_set *best, ex_set *cand)
{
	if (ex_score(cand) > ex_score(best)) {
		ex_set_free(best);
		*best = *cand;
		memset(cand, 0, sizeof(*cand));
	} else {
		ex_set_free(cand);
	}
}

static int ex_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

static int ex_hexval(char c)
{
	if (ex_isdigit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse {n}, {n,}, {n,m} at st->p ('{'); anything else fails (its meaning changed across PCRE2 versions). */
static void ex_brace(ex_state *st, long *min, long *max)
{
	const char *p = st->p + 1;
	long a = 0, b;

	if (p >= st->end || !ex_isdigit(*p)) {
		st->fail = 1;
		return;
	}
	while (p < st->end && ex_isdigit(*p) && a < 100000)
		a = a * 10 + (*p++ - '0');
	b = a;
	if (p < st->end && *p == ',') {
		p++;
		b = -1;
		if (p < st->end && ex_isdigit(*p)) {
			b = 0;
			while (p < st->end && ex_isdigit(*p) && b < 100000)
				b = b * 10 + (*p++ - '0');
		}
	}
	if (p >= st->end || *p != '}') {
		st->fail = 1;
		return;
	}
	st->p = p + 1;
	*min = a;
	*max = b;
}

/* An optional quantifier after an atom; min/max stay 1 without one. */
static void ex_quantifier(ex_state *st, long *min, long *max)
{
	*min = *max = 1;
	if (st->p >= st->end)
		return;
	switch (*st->p) {
	case '?': *min = 0; *max = 1; st->p++; break;
	case '*': *min = 0; *max = -1; st->p++; break;
	case '+': *min = 1; *max = -1; st->p++; break;
	case '{': ex_brace(st, min, max); break;
	default: return;
	}
	if (st->p < st->end && (*st->p == '?' || *st->p == '+'))
		st->p++;
}

enum ex_atom { EX_LIT, EX_ANY, EX_ZW, EX_GROUP, EX_NONE };

/* An escape after '\': a literal byte (*c), something that consumes unknown text, or zero width. */
static enum ex_atom ex_escape(ex_state *st, char *c)
{
	char e;

	if (st->p >= st->end) {
		st->fail = 1;
		return EX_NONE;
	}
	e = *st->p++;
	switch (e) {
	case 'b': case 'B': case 'A': case 'z': case 'Z': case 'K':
		return EX_ZW;
	case 'G':
		/* the start offset: trying a pattern at its literals would change its meaning */
		st->fail = 1;
		return EX_NONE;
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
	case 'h': case 'H': case 'v': case 'V': case 'R': case 'X':
		return EX_ANY;
	case 'N':
		if (st->p < st->end && *st->p == '{')
			st->fail = 1;
		return EX_ANY;
	case 'p': case 'P':
		if (st->p < st->end && *st->p == '{') {
			const char *close = memchr(st->p, '}', (size_t)(st->end - st->p));

			if (!close) {
				st->fail = 1;
				return EX_NONE;
			}
			st->p = close + 1;
		} else if (st->p < st->end) {
			st->p++;
		}
		return EX_ANY;
	case 'c':
		if (st->p < st->end)
			st->p++;
		return EX_ANY;
	case 'a': *c = '\a'; return EX_LIT;
	case 'e': *c = 0x1b; return EX_LIT;
	case 'f': *c = '\f'; return EX_LIT;
	case 'n': *c = '\n'; return EX_LIT;
	case 'r': *c = '\r'; return EX_LIT;
	case 't': *c = '\t'; return EX_LIT;
	case 'x':
		/* PCRE2 reads at most two digits: "\x41B" is "AB" */
		if (st->end - st->p >= 2 && ex_hexval(st->p[0]) >= 0 && ex_hexval(st->p[1]) >= 0) {
			*c = (char)(ex_hexval(st->p[0]) * 16 + ex_hexval(st->p[1]));
			st->p += 2;
			return EX_LIT;
		}
		st->fail = 1;
		return EX_NONE;
	default:
		/* escaped punctuation is itself; letters and digits we do not model give up */
		if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || ex_isdigit(e) || (unsigned char)e >= 0x80) {
			st->fail = 1;
			return EX_NONE;
		}
		*c = e;
		return EX_LIT;
	}
}

/* Skip a character class; st->p is just after '['. */
static void ex_class(ex_state *st)
{
	const char *p = st->p, *end = st->end;

	if (p < end && *p == '^')
		p++;
	if (p < end && *p == ']')
		p++;
	while (p < end && *p != ']') {
		if (*p == '\\') {
			if (p + 1 >= end || p[1] == 'Q' || p[1] == 'E') {
				st->fail = 1;
				return;
			}
			p += 2;
		} else if (*p == '[' && p + 1 < end && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			char kind = p[1];
			const char *q = p + 2;

			while (q + 1 < end && !(q[0] == kind && q[1] == ']'))
				q++;
			if (q + 1 >= end) {
				st->fail = 1;
				return;
			}
			p = q + 2;
		} else {
			p++;
		}
	}
	if (p >= end) {
		st->fail = 1;
		return;
	}
	st->p = p + 1;
}

static void ex_alt(ex_state *st, ex_set *out, int top);

/* Inline options "(?imsx-imsx)" or "(?imsx:"; 'x' (extended syntax) gives up. */
static int ex_options(ex_state *st)
{
	const char *p = st->p;

	while (p < st->end && strchr("imnsxJU-^", *p)) {
		if (*p == 'x')
			st->fail = 1;
		if (*p == 'i')
			st->caseless = 1;
		p++;
	}
	if (p >= st->end || (*p != ')' && *p != ':')) {
		st->fail = 1;
		return 0;
	}
	st->p = p + 1;
	return *p == ':';
}

/* After '(': parse the group; returns EX_GROUP (set in *g), EX_ZW (lookaround) or EX_NONE (option setting). */
static enum ex_atom ex_group(ex_state *st, ex_set *g)
{
	enum ex_atom kind = EX_GROUP;
	const char *p = st->p;

	if (p < st->end && *p == '*') {
		st->fail = 1; /* verbs, (*UTF) and friends */
		return EX_NONE;
	}
	if (p < st->end && *p == '?') {
		p++;
		if (p >= st->end) {
			st->fail = 1;
			return EX_NONE;
		}
		if (*p == ':' || *p == '>' || *p == '|') {
			p++;
		} else if (*p == '=' || *p == '!') {
			kind = EX_ZW;
			p++;
		} else if (*p == '<' && p + 1 < st->end && (p[1] == '=' || p[1] == '!')) {
			kind = EX_ZW;
			p += 2;
		} else if (*p == '<' || *p == '\'' || (*p == 'P' && p + 1 < st->end && p[1] == '<')) {
			char close = *p == '\'' ? '\'' : '>';

			p += *p == 'P' ? 2 : 1;
			while (p < st->end && *p != close)
				p++;
			if (p >= st->end) {
				st->fail = 1;
				return EX_NONE;
			}
			p++;
		} else if (strchr("imnsxJU-^", *p)) {
			st->p = p;
			if (!ex_options(st))
				return EX_NONE;
			p = st->p;
		} else {
			st->fail = 1; /* recursion, conditionals, callouts, comments, back references */
			return EX_NONE;
		}
	}
	st->p = p;
	if (++st->depth > EX_MAX_DEPTH) {
		st->fail = 1;
		return EX_NONE;
	}
	ex_alt(st, g, 0);
	st->depth--;
	if (st->fail || st->p >= st->end || *st->p != ')') {
		st->fail = 1;
		return EX_NONE;
	}
	st->p++;
	return kind;
}

typedef struct {
	char run[EX_MAX_LIT];
	size_t len;
	int anchored;
	int leading;         /* the run starts where the match starts */
	int at_start;        /* nothing that consumes text came before */
	ex_set best;
} ex_seq;

static void ex_flush(ex_seq *q)
{
	if (q->len >= 2) {
		ex_set c = { NULL, 0, 0, 1, 0 };

		ex_set_add(&c, q->run, q->len, q->anchored);
		c.leading = q->leading;
		ex_keep_better(&q->best, &c);
	}
	q->len = 0;
	q->anchored = 0;
	q->leading = 0;
}

static void ex_append(ex_seq *q, char c, int anchored_start)
{
	if (q->len == 0) {
		q->anchored = anchored_start;
		q->leading = q->at_start;
	}
	q->at_start = 0;
	q->run[q->len++] = c;
	/* any substring of a required literal is required: cut and go on */
	if (q->len == EX_MAX_LIT)
		ex_flush(q);
}

/* One branch: the best literal set among its runs and groups. */
static void ex_seq_parse(ex_state *st, ex_set *out, int top)
{
	ex_seq q;
	int consumed = 0, caret = 0;

	memset(&q, 0, sizeof(q));
	q.at_start = 1;
	while (!st->fail && st->p < st->end && *st->p != '|' && *st->p != ')') {
		char ch = *st->p++, lit = 0;
		enum ex_atom a;
		ex_set g = { NULL, 0, 0, 0, 0 };
		long min, max, k;

		switch (ch) {
		case '\\': a = ex_escape(st, &lit); break;
		case '[': ex_class(st); a = EX_ANY; break;
		case '(': a = ex_group(st, &g); break;
		case '.': a = EX_ANY; break;
		case '^':
			if (!consumed) {
				caret = 1;
				continue;
			}
			a = EX_ZW;
			break;
		case '$': a = EX_ZW; break;
		case '*': case '+': case '?': case '{':
			st->fail = 1;
			a = EX_NONE;
			break;
		default: a = EX_LIT; lit = ch; break;
		}
		if (st->fail) {
			ex_set_free(&g);
			break;
		}
		if (a == EX_NONE)
			continue; /* an option setting: no atom */
		ex_quantifier(st, &min, &max);
		if (st->fail) {
			ex_set_free(&g);
			break;
		}
		if (a == EX_LIT) {
			int anch = top && caret && !consumed;

			if (min == 0)
				ex_flush(&q);
			for (k = 0; k < min && k < EX_MAX_LIT; k++)
				ex_append(&q, lit, anch && q.len == 0 && k == 0);
			if (min != max || min > EX_MAX_LIT)
				ex_flush(&q);
			q.at_start = 0;
		} else {
			ex_flush(&q);
			if (a == EX_GROUP && min > 0) {
				g.leading = g.leading && q.at_start;
				ex_keep_better(&q.best, &g);
			}
			if (a != EX_ZW)
				q.at_start = 0;
		}
		ex_set_free(&g);
		consumed = 1;
	}
	ex_flush(&q);
	*out = q.best;
}

static void ex_alt(ex_state *st, ex_set *out, int top)
{
	ex_set acc = { NULL, 0, 0, 1, 1 };

	for (;;) {
		ex_set b = { NULL, 0, 0, 0, 0 };
		size_t i;

		ex_seq_parse(st, &b, top);
		if (st->fail || !b.known || !b.n)
			acc.known = 0;
		acc.leading &= b.leading;
		for (i = 0; acc.known && i < b.n; i++)
			ex_set_add(&acc, b.v[i].s, b.v[i].len, b.v[i].anchored);
		ex_set_free(&b);
		if (acc.n > EX_MAX_LITS)
			acc.known = 0;
		if (!st->fail && st->p < st->end && *st->p == '|') {
			st->p++;
			continue;
		}
		break;
	}
	if (!acc.known)
		ex_set_free(&acc);
	*out = acc;
}

static int ex_extract(ex_set *out, int *caseless, const char *pattern)
{
	ex_state st;

	memset(&st, 0, sizeof(st));
	st.p = pattern;
	st.end = pattern + strlen(pattern);
	ex_alt(&st, out, 1);
	if (st.fail || st.p != st.end || !out->known || !out->n) {
		ex_set_free(out);
		return 0;
	}
	*caseless = st.caseless;
	if (st.caseless) {
		size_t i, j;

		for (i = 0; i < out->n; i++)
			for (j = 0; j < out->v[i].len; j++)
				out->v[i].s[j] = (char)mt_fold[(unsigned char)out->v[i].s[j]];
	}
	return 1;
}

int rg_pattern_literals(char ***lits, int **anchored, int *caseless, int *leading, const char *pattern)
{
	ex_set s = { NULL, 0, 0, 0, 0 };
	size_t i;

	*lits = NULL;
	*anchored = NULL;
	*caseless = 0;
	if (leading)
		*leading = 0;
	if (!ex_extract(&s, caseless, pattern))
		return RG_OK;
	if (leading)
		*leading = s.leading;
	*lits = rg_calloc(s.n + 1, sizeof(char *));
	*anchored = rg_calloc(s.n + 1, sizeof(int));
	for (i = 0; i < s.n; i++) {
		(*lits)[i] = s.v[i].s;
		(*anchored)[i] = s.v[i].anchored;
		s.v[i].s = NULL;
	}
	ex_set_free(&s);
	return RG_OK;
}

void rg_pattern_literals_free(char **lits, int *anchored)
{
	char **p;

	for (p = lits; p && *p; p++)
		free(*p);
	free(lits);
	free(anchored);
}

/* ---- the matcher --------------------------------------------------------- */

/* Rough frequency of (lower-cased) bytes in source code, per mille. */
static unsigned mt_freq(unsigned char c)
{
	static const unsigned char letters[26] = {
		82, 15, 28, 43, 127, 22, 20, 61, 70, 2, 8, 40, 24, 67, 75, 19, 1, 60, 63, 91, 28, 10, 24, 2, 20, 1
	};

	if (c >= 'a' && c <= 'z')
		return letters[c - 'a'];
	if (c == ' ' || c == '\t')
		return 150;
	if (c >= '0' && c <= '9')
		return 12;
	if (strchr("().,;=\"'_/-:{}", c) && c)
		return 15;
	return 3;
}

rg_matcher *rg_matcher_new(void)
{
	rg_matcher *m = rg_calloc(1, sizeof(*m));

	m->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(m->mctx, MT_MATCH_LIMIT);
	m->jit = pcre2_jit_stack_create(32 * 1024, MT_JIT_STACK_MAX, NULL);
	if (m->jit)
		pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
	return m;
}

void rg_matcher_free(rg_matcher *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->npats; i++) {
		pcre2_code_free(m->pats[i].code);
		pcre2_code_free(m->pats[i].anchored);
		free(m->pats[i].secret);
	}
	for (i = 0; i < m->nlits; i++)
		free(m->lits[i].s);
	for (i = 0; i < m->nanch; i++)
		free(m->anch[i].s);
	free(m->pats);
	free(m->lits);
	free(m->anch);
	free(m->head);
	free(m->pairs);
	free(m->residual);
	free(m->occ);
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jit);
	free(m);
}

size_t rg_matcher_count(const rg_matcher *m)
{
	return m->npats;
}

int rg_matcher_prefiltered(const rg_matcher *m, size_t i)
{
	return i < m->npats && m->pats[i].prefiltered;
}

static pcre2_code *mt_compile(const char *pattern, uint32_t extra)
{
	uint32_t opts = PCRE2_DUPNAMES | PCRE2_NEVER_BACKSLASH_C | extra, all = 0;
	int err;
	PCRE2_SIZE off;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &err, &off, NULL);

	if (code && pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &all) == 0 && (all & PCRE2_UTF)) {
		/* (*UTF) in the pattern: files may hold invalid UTF-8, which must not be an error */
		pcre2_code_free(code);
		code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			opts | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
	}
	if (!code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(err, msg, sizeof(msg));
		rg_error_set("invalid pattern: %s at offset %zu", (const char *)msg, (size_t)off);
		return NULL;
	}
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* without JIT, pcre2_match interprets */
	return code;
}

static void mt_secret_groups(mt_pat *p)
{
	uint32_t count = 0, size = 0, i;
	PCRE2_SPTR table = NULL;

	pcre2_pattern_info(p->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(p->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(p->code, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < count && table; i++) {
		PCRE2_SPTR e = table + (size_t)i * size;

		if (strcmp((const char *)e + 2, "secret"))
			continue;
		p->secret = rg_realloc(p->secret, (p->nsecret + 1) * sizeof(*p->secret));
		p->secret[p->nsecret++] = ((uint32_t)e[0] << 8) | e[1];
	}
}

static void mt_index_literal(rg_matcher *m, const char *s, size_t len, int anchored, int ci, uint32_t pat)
{
	mt_lit *l;
	size_t i, best = 0;
	unsigned score = (unsigned)-1;

	if (anchored) {
		RG_GROW(m->anch, m->aanch, m->nanch + 1);
		l = &m->anch[m->nanch++];
	} else {
		RG_GROW(m->lits, m->alits, m->nlits + 1);
		l = &m->lits[m->nlits++];
	}
	memset(l, 0, sizeof(*l));
	l->s = (unsigned char *)rg_strndup(s, len);
	l->len = (uint32_t)len;
	l->pat = pat;
	l->ci = ci;
	if (anchored)
		return;
	/* index the rarest byte pair: fewer false candidates to verify */
	for (i = 0; i + 1 < len; i++) {
		unsigned f = mt_freq(mt_fold[l->s[i]]) * mt_freq(mt_fold[l->s[i + 1]]);

		if (f < score) {
			score = f;
			best = i;
		}
	}
	l->anchor = (uint32_t)best;
	{
		unsigned k = ((unsigned)mt_fold[l->s[best]] << 8) | mt_fold[l->s[best + 1]];

		if (!m->head) {
			m->head = rg_calloc(65536, sizeof(*m->head));
			m->pairs = rg_calloc(65536, 1);
		}
		l->next = m->head[k];
		m->head[k] = (uint32_t)m->nlits;
		m->pairs[k] = 1;
	}
}

int rg_matcher_add(rg_matcher *m, const char *pattern)
{
	pcre2_code *code = mt_compile(pattern, 0);
	mt_pat *p;
	ex_set lits = { NULL, 0, 0, 0, 0 };
	uint32_t caps = 0, idx;
	int ci = 0;
	size_t i, words;

	if (!code)
		return RG_ECONFIG;
	RG_GROW(m->pats, m->apats, m->npats + 1);
	idx = (uint32_t)m->npats;
	p = &m->pats[m->npats++];
	memset(p, 0, sizeof(*p));
	p->code = code;
	mt_secret_groups(p);
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &caps);
	if (!m->md || caps + 1 > m->md_pairs) {
		pcre2_match_data_free(m->md);
		m->md_pairs = caps + 1;
		m->md = pcre2_match_data_create(m->md_pairs, NULL);
	}
	words = RG_BITS_WORDS(m->npats);
	if (words > m->rwords) {
		m->residual = rg_realloc(m->residual, words * sizeof(*m->residual));
		m->residual[words - 1] = 0;
		m->rwords = words;
	}
	if (ex_extract(&lits, &ci, pattern)) {
		for (i = 0; i < lits.n; i++)
			mt_index_literal(m, lits.v[i].s, lits.v[i].len, lits.v[i].anchored, ci, idx);
		p->prefiltered = 1;
		/* JIT cannot take PCRE2_ANCHORED at match time: compile an anchored twin */
		if (lits.leading)
			p->anchored = mt_compile(pattern, PCRE2_ANCHORED);
		ex_set_free(&lits);
	} else {
		rg_bit_set(m->residual, idx);
	}
	return (int)idx;
}

static int mt_lit_at(const mt_lit *l, const unsigned char *s)
{
	uint32_t j;

	if (l->ci) {
		for (j = 0; j < l->len; j++)
			if (mt_fold[s[j]] != l->s[j])
				return 0;
		return 1;
	}
	return !memcmp(s, l->s, l->len);
}

static void mt_occurs(rg_matcher *m, uint32_t pat, size_t pos)
{
	RG_GROW(m->occ, m->aocc, m->nocc + 1);
	m->occ[m->nocc].pat = pat;
	m->occ[m->nocc++].pos = (uint32_t)pos;
}

int rg_matcher_candidates(uint64_t *cand, rg_matcher *m, const uint64_t *active,
	const char *line, size_t len)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t words = RG_BITS_WORDS(m->npats), w, i;
	uint64_t any = 0;
	unsigned k;

	m->nocc = 0;
	m->occ_line = line;
	m->occ_len = len;
	for (w = 0; w < words; w++)
		any |= cand[w] = m->residual[w] & active[w];
	for (i = 0; i < m->nanch; i++) {
		const mt_lit *l = &m->anch[i];

		if (l->len <= len && rg_bit_test(active, l->pat) && mt_lit_at(l, s)) {
			rg_bit_set(cand, l->pat);
			mt_occurs(m, l->pat, 0);
			any = 1;
		}
	}
	if (!m->nlits || len < 2)
		return any != 0;
	k = mt_fold[s[0]];
	for (i = 0; i + 1 < len; i++) {
		uint32_t e;

		k = ((k << 8) | mt_fold[s[i + 1]]) & 0xffff;
		if (!m->pairs[k])
			continue;
		for (e = m->head[k]; e; e = m->lits[e - 1].next) {
			const mt_lit *l = &m->lits[e - 1];

			if (i < l->anchor || i - l->anchor + l->len > len || !rg_bit_test(active, l->pat))
				continue;
			/* a candidate needs one occurrence, an anchored twin all of them */
			if (rg_bit_test(cand, l->pat) && !m->pats[l->pat].anchored)
				continue;
			if (mt_lit_at(l, s + i - l->anchor)) {
				rg_bit_set(cand, l->pat);
				if (m->pats[l->pat].anchored)
					mt_occurs(m, l->pat, i - l->anchor);
				any = 1;
			}
		}
	}
	return any != 0;
}

/* Where does the first literal of pattern pat at or after from start? len when nowhere. */
static size_t mt_next_literal(const rg_matcher *m, uint32_t pat, const unsigned char *s, size_t len, size_t from)
{
	size_t best = len, i;
	unsigned k;

	for (i = 0; from == 0 && i < m->nanch; i++)
		if (m->anch[i].pat == pat && m->anch[i].len <= len && mt_lit_at(&m->anch[i], s))
			return 0;
	if (!m->nlits || from + 1 >= len)
		return best;
	k = mt_fold[s[from]];
	for (i = from; i + 1 < len && i < best + EX_MAX_LIT; i++) {
		uint32_t e;

		k = ((k << 8) | mt_fold[s[i + 1]]) & 0xffff;
		if (!m->pairs[k])
			continue;
		for (e = m->head[k]; e; e = m->lits[e - 1].next) {
			const mt_lit *l = &m->lits[e - 1];
			size_t st;

			if (l->pat != pat || i < l->anchor || (st = i - l->anchor) < from || st >= best ||
			    st + l->len > len)
				continue;
			if (mt_lit_at(l, s + st))
				best = st;
		}
	}
	return best;
}

/*
 * The next match at or after *from. A pattern whose every match starts with
 * one of its literals is only tried, anchored, where a literal starts: the
 * leftmost of those that matches is the match an unanchored search finds.
 */
/* The next recorded occurrence of pat's literals at or after from, else len. */
static size_t mt_next_occurrence(const rg_matcher *m, uint32_t pat, size_t len, size_t from)
{
	size_t best = len, i;

	for (i = 0; i < m->nocc; i++)
		if (m->occ[i].pat == pat && m->occ[i].pos >= from && m->occ[i].pos < best)
			best = m->occ[i].pos;
	return best;
}

static int mt_exec(const rg_matcher *m, const mt_pat *p, uint32_t pat, const char *line, size_t len, size_t from)
{
	int known = m->occ_line == line && m->occ_len == len;
	int rc;

	if (!p->anchored)
		return pcre2_match(p->code, (PCRE2_SPTR)line, len, from, 0, m->md, m->mctx);
	for (;;) {
		size_t at = known ? mt_next_occurrence(m, pat, len, from) :
			mt_next_literal(m, pat, (const unsigned char *)line, len, from);

		if (at >= len)
			return PCRE2_ERROR_NOMATCH;
		rc = pcre2_match(p->anchored, (PCRE2_SPTR)line, len, at, 0, m->md, m->mctx);
		if (rc != PCRE2_ERROR_NOMATCH)
			return rc;
		from = at + 1;
	}
}

int rg_matcher_next(rg_match *out, rg_matcher *m, size_t i, const char *line, size_t len, size_t *from)
{
	const mt_pat *p = &m->pats[i];
	PCRE2_SIZE *ov;
	size_t g;
	int rc;

	if (*from > len)
		return 0;
	rc = mt_exec(m, p, (uint32_t)i, line, len, *from);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(rc, msg, sizeof(msg));
		rg_error_set("%s", (const char *)msg);
		return RG_ERROR;
	}
	ov = pcre2_get_ovector_pointer(m->md);
	out->start = ov[0] <= ov[1] ? ov[0] : ov[1];
	out->end = ov[1];
	out->secret_start = out->start;
	out->secret_end = out->end;
	out->has_secret_group = 0;
	for (g = 0; g < p->nsecret; g++) {
		uint32_t n = p->secret[g];

		if ((int)n < rc && ov[2 * n] != PCRE2_UNSET && ov[2 * n] <= ov[2 * n + 1]) {
			out->secret_start = ov[2 * n];
			out->secret_end = ov[2 * n + 1];
			out->has_secret_group = 1;
			break;
		}
	}
	*from = out->end > out->start ? out->end : out->end + 1;
	return 1;
}
