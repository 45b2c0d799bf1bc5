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
	uint32_t md_pairs;       /* ovector pairs the patterns need */
	rg_mscan *own;           /* the scan state of rg_matcher_candidates/next */
};

/*
 * What one thread's scan changes: compiled patterns are shared (PCRE2 code
 * is read-only while matching), match data and the JIT stack are not.
 */
struct rg_mscan {
	const rg_matcher *m;
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
	return rg_calloc(1, sizeof(rg_matcher));
}

rg_mscan *rg_mscan_new(const rg_matcher *m)
{
	rg_mscan *s = rg_calloc(1, sizeof(*s));

	s->m = m;
	s->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(s->mctx, MT_MATCH_LIMIT);
	s->jit = pcre2_jit_stack_create(32 * 1024, MT_JIT_STACK_MAX, NULL);
	if (s->jit)
		pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
	return s;
}

void rg_mscan_free(rg_mscan *s)
{
	if (!s)
		return;
	free(s->occ);
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	pcre2_jit_stack_free(s->jit);
	free(s);
}

/* Match data for the largest ovector of the matcher's patterns (they may be added after the scan state). */
static pcre2_match_data *mt_md(rg_mscan *s)
{
	if (!s->md || s->md_pairs < s->m->md_pairs) {
		pcre2_match_data_free(s->md);
		s->md_pairs = s->m->md_pairs;
		s->md = pcre2_match_data_create(s->md_pairs ? s->md_pairs : 1, NULL);
	}
	return s->md;
}

static rg_mscan *mt_own(rg_matcher *m)
{
	if (!m->own)
		m->own = rg_mscan_new(m);
	return m->own;
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
	rg_mscan_free(m->own);
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
	rg_literals lits;
	uint32_t caps = 0, idx;
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
	if (caps + 1 > m->md_pairs)
		m->md_pairs = caps + 1;
	words = RG_BITS_WORDS(m->npats);
	if (words > m->rwords) {
		m->residual = rg_realloc(m->residual, words * sizeof(*m->residual));
		m->residual[words - 1] = 0;
		m->rwords = words;
	}
	if (!rg_pattern_literals(&lits, pattern)) {
		rg_bit_set(m->residual, idx);
		return (int)idx;
	}
	for (i = 0; i < lits.n; i++)
		mt_index_literal(m, lits.v[i].s, lits.v[i].len, lits.v[i].anchored, lits.caseless, idx);
	p->prefiltered = 1;
	/* JIT cannot take PCRE2_ANCHORED at match time: compile an anchored twin */
	if (lits.leading)
		p->anchored = mt_compile(pattern, PCRE2_ANCHORED);
	rg_literals_free(&lits);
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

static void mt_occurs(rg_mscan *sc, uint32_t pat, size_t pos)
{
	RG_GROW(sc->occ, sc->aocc, sc->nocc + 1);
	sc->occ[sc->nocc].pat = pat;
	sc->occ[sc->nocc++].pos = (uint32_t)pos;
}

int rg_matcher_candidates(uint64_t *cand, rg_matcher *m, const uint64_t *active,
	const char *line, size_t len)
{
	return rg_mscan_candidates(cand, mt_own(m), active, line, len);
}

int rg_mscan_candidates(uint64_t *cand, rg_mscan *sc, const uint64_t *active,
	const char *line, size_t len)
{
	const rg_matcher *m = sc->m;
	const unsigned char *s = (const unsigned char *)line;
	size_t words = RG_BITS_WORDS(m->npats), w, i;
	uint64_t any = 0;
	unsigned k;

	sc->nocc = 0;
	sc->occ_line = line;
	sc->occ_len = len;
	for (w = 0; w < words; w++)
		any |= cand[w] = m->residual[w] & active[w];
	for (i = 0; i < m->nanch; i++) {
		const mt_lit *l = &m->anch[i];

		if (l->len <= len && rg_bit_test(active, l->pat) && mt_lit_at(l, s)) {
			rg_bit_set(cand, l->pat);
			mt_occurs(sc, l->pat, 0);
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
					mt_occurs(sc, l->pat, i - l->anchor);
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
	for (i = from; i + 1 < len && i < best + RG_LITERAL_MAX; i++) {
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
static size_t mt_next_occurrence(const rg_mscan *sc, uint32_t pat, size_t len, size_t from)
{
	size_t best = len, i;

	for (i = 0; i < sc->nocc; i++)
		if (sc->occ[i].pat == pat && sc->occ[i].pos >= from && sc->occ[i].pos < best)
			best = sc->occ[i].pos;
	return best;
}

static int mt_exec(rg_mscan *sc, const mt_pat *p, uint32_t pat, const char *line, size_t len, size_t from)
{
	int known = sc->occ_line == line && sc->occ_len == len;
	pcre2_match_data *md = mt_md(sc);
	int rc;

	if (!p->anchored)
		return pcre2_match(p->code, (PCRE2_SPTR)line, len, from, 0, md, sc->mctx);
	for (;;) {
		size_t at = known ? mt_next_occurrence(sc, pat, len, from) :
			mt_next_literal(sc->m, pat, (const unsigned char *)line, len, from);

		if (at >= len)
			return PCRE2_ERROR_NOMATCH;
		rc = pcre2_match(p->anchored, (PCRE2_SPTR)line, len, at, 0, md, sc->mctx);
		if (rc != PCRE2_ERROR_NOMATCH)
			return rc;
		from = at + 1;
	}
}

int rg_matcher_next(rg_match *out, rg_matcher *m, size_t i, const char *line, size_t len, size_t *from)
{
	return rg_mscan_next(out, mt_own(m), i, line, len, from);
}

int rg_mscan_next(rg_match *out, rg_mscan *sc, size_t i, const char *line, size_t len, size_t *from)
{
	const mt_pat *p = &sc->m->pats[i];
	PCRE2_SIZE *ov;
	size_t g;
	int rc;

	if (*from > len)
		return 0;
	rc = mt_exec(sc, p, (uint32_t)i, line, len, *from);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(rc, msg, sizeof(msg));
		rg_error_set("%s", (const char *)msg);
		return RG_ERROR;
	}
	ov = pcre2_get_ovector_pointer(sc->md);
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
