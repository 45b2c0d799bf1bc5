/*
 * literals.c: which literal text must every match of a PCRE2 pattern
 * contain? A small recursive-descent reader of PCRE2 syntax: for a
 * sequence, the best of its literal runs and groups; for an alternation,
 * the union of its branches' sets. Whatever it does not model (\Q..\E,
 * (?x), back references, \G, verbs, conditionals, odd braces) gives up:
 * the pattern then has no prefilter and runs on every line, which is
 * always correct. Being wrong here would let a secret through, so
 * tests/fuzz/fuzz-matcher.c checks the result against pcre2 itself.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/matcher.h"

#define EX_MAX_LIT RG_LITERAL_MAX
#define EX_MAX_LITS 4096
#define EX_MAX_DEPTH 64

typedef struct {
	char *s;
	size_t len;
	int anchored;
} ex_lit;

#define EX_MAX_REQ 8

/* Literals of which every match contains one; known = 0: none usable. */
typedef struct {
	ex_lit *v;
	size_t n, alloc;
	int known;
	int leading;     /* every match starts with one of the literals */
	/* bytes of which every match holds one (an operator, a quote); nreq 0: none known */
	char req[EX_MAX_REQ];
	size_t nreq;
	/* a second such set (an operator and a quote), from a sequence only */
	char req2[EX_MAX_REQ];
	size_t nreq2;
} ex_set;

typedef struct {
	const char *p, *end;
	int caseless;
	int fail;
	int depth;
	char cls[8];         /* the bytes of the last EX_CLASS atom */
	size_t ncls;
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

enum ex_atom { EX_LIT, EX_ANY, EX_CLASS, EX_ZW, EX_GROUP, EX_NONE };

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

static int ex_req_byte(char c);

/*
 * After "[:", "[." or "[=" in a class (p at the ':', '.' or '='): the end
 * of the POSIX item, or NULL when PCRE2 does not read one there. As PCRE2's
 * check_posix_syntax: the terminator ("=]") must come before any ']' or a
 * nested opening with the same terminator ("[="); "\]" and "\\" are skipped.
 * Reading "[[=]=]||x" as one class hid the empty branch after it.
 */
static const char *ex_posix_end(const char *p, const char *end)
{
	char term = *p++;

	for (; end - p >= 2; p++) {
		if (*p == '\\' && (p[1] == ']' || p[1] == '\\'))
			p++;
		else if ((*p == '[' && p[1] == term) || *p == ']')
			return NULL;
		else if (*p == term && p[1] == ']')
			return p + 2;
	}
	return NULL;
}

/*
 * Skip a character class; st->p is just after '['. A plain list of
 * punctuation ("[:=]", "[\"']", "[_-]"; no range, negation or escape) is returned
 * in cls (ncls bytes, 0 for any other class), as a set of required bytes.
 */
static void ex_class(ex_state *st, char *cls, size_t *ncls)
{
	const char *p = st->p, *end = st->end, *c;

	*ncls = 0;
	/* a '-' first or last is itself, not a range ("[_-]") */
	for (c = p; c < end && *c != ']' && ex_req_byte(*c) && !strchr("^\\[", *c) && *ncls < EX_MAX_REQ &&
	     (*c != '-' || c == p || (c + 1 < end && c[1] == ']')); c++)
		cls[(*ncls)++] = *c;
	if (c >= end || *c != ']' || c == p)
		*ncls = 0;

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
			const char *close = ex_posix_end(p + 1, end);

			p = close ? close : p + 1; /* not a POSIX item: the '[' is a member */
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

/*
 * A sequence's current run of literal text is a small set of runs: an
 * optional byte or a class of punctuation inside a word ("api[_-]?key")
 * makes one run of each spelling (apikey, api_key, api-key), each of which
 * is as required as the one run was, and longer than "api" or "key" alone.
 * More spellings than EX_MAX_RUNS end the run, as a class always did.
 */
#define EX_MAX_RUNS 8

typedef struct {
	char run[EX_MAX_RUNS][EX_MAX_LIT];
	size_t len[EX_MAX_RUNS];
	size_t nruns;                /* 0: no run */
	size_t spelled;              /* runs before the last spellings (ex_spell), 0: none */
	int grown;                   /* literal text came after them */
	int anchored;
	int leading;         /* the run starts where the match starts */
	int at_start;        /* nothing that consumes text came before */
	ex_set best;
	char req[EX_MAX_REQ];  /* the smallest set of required bytes of one atom */
	size_t nreq;
	char req2[EX_MAX_REQ]; /* the next smallest, which req does not make useless */
	size_t nreq2;
} ex_seq;

/*
 * A required atom's byte set: keep the smallest. Only punctuation counts:
 * letters and digits are what the literals are made of, so a line holding a
 * literal holds them anyway; an operator or a quote is what tells lines apart.
 */
static int ex_req_byte(char c)
{
	unsigned char u = (unsigned char)c;

	return u > 0x20 && u < 0x7f && !(u >= '0' && u <= '9') && !((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
}

/* Is every byte of a in b? (a line with a byte of a then has one of b too) */
static int ex_req_within(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na; i++)
		if (!memchr(b, a[i], nb))
			return 0;
	return 1;
}

/*
 * Keep the two smallest sets, where neither holds the other: a line must
 * have a byte of each, as "password = 'x'" needs an operator and a quote.
 */
static void ex_seq_req(ex_seq *q, const char *req, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!ex_req_byte(req[i]))
			return;
	if (!n || (q->nreq && ex_req_within(q->req, q->nreq, req, n)) ||
	    (q->nreq2 && ex_req_within(q->req2, q->nreq2, req, n)))
		return; /* a set this one holds is required already */
	if (q->nreq2 && ex_req_within(req, n, q->req2, q->nreq2))
		q->nreq2 = 0; /* made useless by the new one */
	if (q->nreq && ex_req_within(req, n, q->req, q->nreq)) {
		memcpy(q->req, req, n); /* a smaller set within req: req is useless now */
		q->nreq = n;
	} else if (!q->nreq || n < q->nreq) {
		memcpy(q->req2, q->req, q->nreq);
		q->nreq2 = q->nreq;
		memcpy(q->req, req, n);
		q->nreq = n;
	} else if (!q->nreq2 || n < q->nreq2) {
		memcpy(q->req2, req, n);
		q->nreq2 = n;
	}
}

static void ex_flush(ex_seq *q)
{
	size_t i, min = (size_t)-1;

	if (q->spelled && !q->grown)
		q->nruns = q->spelled;
	q->spelled = 0;
	q->grown = 0;

	for (i = 0; i < q->nruns; i++)
		if (q->len[i] < min)
			min = q->len[i];
	if (q->nruns && min >= 2) {
		ex_set c = { NULL, 0, 0, 1, 0, { 0 }, 0, { 0 }, 0 };

		for (i = 0; i < q->nruns; i++)
			ex_set_add(&c, q->run[i], q->len[i], q->anchored);
		c.leading = q->leading;
		ex_keep_better(&q->best, &c);
	}
	q->nruns = 0;
	q->anchored = 0;
	q->leading = 0;
}

static void ex_append(ex_seq *q, char c, int anchored_start)
{
	size_t i;
	int full = 0;

	if (q->nruns == 0) {
		q->nruns = 1;
		q->len[0] = 0;
		q->anchored = anchored_start;
		q->leading = q->at_start;
	}
	q->at_start = 0;
	q->grown = 1;
	for (i = 0; i < q->nruns; i++) {
		q->run[i][q->len[i]++] = c;
		full |= q->len[i] == EX_MAX_LIT;
	}
	/* any substring of a required literal is required: cut and go on */
	if (full)
		ex_flush(q);
}

/*
 * None or one of the n bytes of cls after the current runs: every run in
 * each spelling. 0 when there is no run to extend or the spellings would
 * be too many (the caller then ends the run). The spellings pay only when
 * literal text follows them ("api[_-]?key"): a run that ends with them is
 * cut back to its runs before them (ex_flush), and a required class
 * ("key[:=]") is left to the required bytes, as before.
 */
static int ex_spell(ex_seq *q, const char *cls, size_t n)
{
	size_t i, k, old = q->nruns;

	if (!old || !n || old * (n + 1) > EX_MAX_RUNS)
		return 0;
	for (i = 0; i < old; i++)
		if (q->len[i] + 1 >= EX_MAX_LIT)
			return 0;
	for (k = 0; k < n; k++)
		for (i = 0; i < old; i++) {
			size_t to = old + k * old + i;

			memcpy(q->run[to], q->run[i], q->len[i]);
			q->len[to] = q->len[i];
			q->run[to][q->len[to]++] = cls[k];
		}
	if (!q->spelled || q->grown)
		q->spelled = old; /* runs 0..old are the spellings without the byte */
	q->grown = 0;
	q->nruns = old * (n + 1);
	q->at_start = 0;
	return 1;
}

/* One atom at st->p (after any '^' the caller handled); EX_NONE for an option setting. */
static enum ex_atom ex_atom_parse(ex_state *st, char *lit, ex_set *g)
{
	char ch = *st->p++;

	switch (ch) {
	case '\\': return ex_escape(st, lit);
	case '[':
		ex_class(st, st->cls, &st->ncls);
		return st->ncls ? EX_CLASS : EX_ANY;
	case '(': return ex_group(st, g);
	case '.': return EX_ANY;
	case '^': case '$': return EX_ZW;
	case '*': case '+': case '?': case '{':
		st->fail = 1; /* a quantifier with nothing to repeat, or a brace we do not read */
		return EX_NONE;
	default:
		*lit = ch;
		return EX_LIT;
	}
}

/* A literal character repeated min..max times extends (or ends) the current run. */
static void ex_seq_literal(ex_seq *q, char lit, long min, long max, int anchored)
{
	long k;

	if (min == 0 && max == 1 && ex_spell(q, &lit, 1))
		return;
	if (min == 0)
		ex_flush(q);
	for (k = 0; k < min && k < EX_MAX_LIT; k++)
		ex_append(q, lit, anchored && q->nruns == 0 && k == 0);
	if (min != max || min > EX_MAX_LIT)
		ex_flush(q);
	q->at_start = 0;
}

/* One branch: the best literal set among its runs and groups. */
static void ex_seq_parse(ex_state *st, ex_set *out, int top)
{
	ex_seq q;
	int consumed = 0, caret = 0;

	memset(&q, 0, sizeof(q));
	q.at_start = 1;
	while (!st->fail && st->p < st->end && *st->p != '|' && *st->p != ')') {
		ex_set g = { NULL, 0, 0, 0, 0, { 0 }, 0, { 0 }, 0 };
		enum ex_atom a;
		long min = 1, max = 1;
		char lit = 0;

		if (*st->p == '^' && !consumed) {
			st->p++;
			caret = 1;
			continue;
		}
		a = ex_atom_parse(st, &lit, &g);
		if (!st->fail && a != EX_NONE)
			ex_quantifier(st, &min, &max);
		if (st->fail || a == EX_NONE) {
			ex_set_free(&g);
			continue; /* an option setting is no atom; a failure ends the loop */
		}
		if (a == EX_LIT) {
			if (min > 0)
				ex_seq_req(&q, &lit, 1);
			ex_seq_literal(&q, lit, min, max, top && caret && !consumed);
		} else if (a == EX_CLASS && min == 0 && max == 1 && ex_spell(&q, st->cls, st->ncls)) {
			/* spelled into the runs */
		} else {
			ex_flush(&q);
			if (a == EX_CLASS && min > 0)
				ex_seq_req(&q, st->cls, st->ncls);
			if (a == EX_GROUP && min > 0) {
				ex_seq_req(&q, g.req, g.nreq);
				ex_seq_req(&q, g.req2, g.nreq2);
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
	memcpy(out->req, q.req, q.nreq);
	out->nreq = q.nreq;
	memcpy(out->req2, q.req2, q.nreq2);
	out->nreq2 = q.nreq2;
}

/* Add a branch's required bytes to an alternation's: every branch must have some. */
static void ex_req_union(ex_set *acc, int *req_ok, const ex_set *b)
{
	size_t i, j;

	if (!b->nreq)
		*req_ok = 0;
	for (i = 0; *req_ok && i < b->nreq; i++) {
		for (j = 0; j < acc->nreq && acc->req[j] != b->req[i]; j++)
			;
		if (j < acc->nreq)
			continue;
		if (acc->nreq == EX_MAX_REQ)
			*req_ok = 0;
		else
			acc->req[acc->nreq++] = b->req[i];
	}
}

static void ex_alt(ex_state *st, ex_set *out, int top)
{
	ex_set acc = { NULL, 0, 0, 1, 1, { 0 }, 0, { 0 }, 0 };
	int req_ok = 1, branches = 0;

	for (;;) {
		ex_set b = { NULL, 0, 0, 0, 0, { 0 }, 0, { 0 }, 0 };
		size_t i;

		ex_seq_parse(st, &b, top);
		ex_req_union(&acc, &req_ok, &b);
		/* one branch: its second set stands; of several, only the union of their first */
		if (!branches++) {
			memcpy(acc.req2, b.req2, b.nreq2);
			acc.nreq2 = b.nreq2;
		} else {
			acc.nreq2 = 0;
		}
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
	if (!req_ok)
		acc.nreq = acc.nreq2 = 0;
	if (!acc.known) {
		char req[EX_MAX_REQ], req2[EX_MAX_REQ];
		size_t nreq = acc.nreq, nreq2 = acc.nreq2;

		memcpy(req, acc.req, nreq);
		memcpy(req2, acc.req2, nreq2);
		ex_set_free(&acc); /* no usable literals; the required bytes stand on their own */
		memcpy(acc.req, req, nreq);
		acc.nreq = nreq;
		memcpy(acc.req2, req2, nreq2);
		acc.nreq2 = nreq2;
	}
	*out = acc;
}

/* Does every literal hold a byte of req? (then a line holding one does too) */
static int ex_req_in_every(const ex_set *s, const char *req, size_t n)
{
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		for (j = 0; j < n && !memchr(s->v[i].s, req[j], s->v[i].len); j++)
			;
		if (j == n)
			return 0;
	}
	return 1;
}

int rg_pattern_literals(rg_literals *out, const char *pattern)
{
	ex_state st;
	ex_set s = { NULL, 0, 0, 0, 0, { 0 }, 0, { 0 }, 0 };
	size_t i, j;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	st.p = pattern;
	st.end = pattern + strlen(pattern);
	ex_alt(&st, &s, 1);
	if (st.fail || st.p != st.end || !s.known || !s.n) {
		ex_set_free(&s);
		return 0;
	}
	out->v = rg_calloc(s.n, sizeof(*out->v));
	out->n = s.n;
	out->caseless = st.caseless;
	out->leading = s.leading;
	if (s.nreq2 && ex_req_in_every(&s, s.req2, s.nreq2))
		s.nreq2 = 0; /* tells nothing: the literal has it */
	if (s.nreq && ex_req_in_every(&s, s.req, s.nreq)) {
		memcpy(s.req, s.req2, s.nreq2);
		s.nreq = s.nreq2;
		s.nreq2 = 0;
	}
	memcpy(out->req, s.req, s.nreq);
	out->nreq = s.nreq;
	memcpy(out->req2, s.req2, s.nreq2);
	out->nreq2 = s.nreq2;
	for (i = 0; i < s.n; i++) {
		out->v[i].s = s.v[i].s;
		out->v[i].len = s.v[i].len;
		out->v[i].anchored = s.v[i].anchored;
		s.v[i].s = NULL;
		for (j = 0; st.caseless && j < out->v[i].len; j++)
			if (out->v[i].s[j] >= 'A' && out->v[i].s[j] <= 'Z')
				out->v[i].s[j] = (char)(out->v[i].s[j] - 'A' + 'a');
	}
	ex_set_free(&s);
	return 1;
}

void rg_literals_free(rg_literals *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].s);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
