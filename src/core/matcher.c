/*
 * matcher.c: PCRE2 patterns compiled once (JIT) and a literal prefilter that
 * finds, in one pass over a line, which of them can match it. See matcher.h
 * for why, and for the measurements.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <pcre2.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/matcher.h"
#include "repoguard/teddy.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define MT_MATCH_LIMIT 5000000u
/* A pattern's machine code: not yet made, made (pcre2_jit_match runs it), or not to be had. */
#define MT_JIT_UNTRIED 0
#define MT_JIT_ON 1
#define MT_JIT_OFF 2
#define MT_JIT_STACK_MAX (1u << 20)

typedef struct {
	pcre2_code *code;
	int jit_state;           /* MT_JIT_*: compiled on first use (mt_jit); read and set atomically */
	uint32_t *secret;        /* group numbers named "secret" */
	size_t nsecret;
	int prefiltered;
	pcre2_code *anchored;    /* every match starts at one of its literals: compiled anchored */
	int reqset;              /* a line must also hold a byte of this set (rg_literals.req); -1: none */
	int reqset2;             /* and of this one (rg_literals.req2) */
	uint32_t minlen;         /* no shorter text matches (PCRE2_INFO_MINLENGTH, in characters: bytes are no fewer) */
} mt_pat;

/*
 * Required-byte sets, shared by the patterns that have the same one: a
 * line is tested once per set (the first MT_REQ_MEMO sets' answers are
 * kept for the line), not once per pattern.
 */
#define MT_REQ_MEMO 64
typedef struct {
	uint8_t bits[32];
	unsigned char v[8];      /* the bytes themselves (rg_literals.req holds at most 8) */
	size_t n;
	/* bit j: v[j]'s low (high) nibble is the index; a byte is in the set when both agree on a bit */
	uint8_t lo[16], hi[16];
	int nib;                 /* the CPU has SSSE3 for the nibble tables (asked when the set is made) */
} mt_reqset;

typedef struct {
	unsigned char *s;        /* lower-cased when ci */
	uint32_t len;
	uint32_t pat;
	int ci;
} mt_lit;

/* Teddy ids: an index into lits, or into anch with this bit (found as "\n" + literal). */
#define MT_ANCH 0x80000000u

struct rg_matcher {
	mt_pat *pats;
	pthread_mutex_t *jit_lock; /* held while a pattern is JIT-compiled (mt_jit) */
	size_t npats, apats;
	mt_lit *lits;            /* unanchored literals */
	size_t nlits, alits;
	mt_lit *anch;            /* literals that only occur at the start of a line */
	size_t nanch, aanch;
	rg_teddy *td;            /* every literal; built on the first scan after a pattern is added */
	uint64_t *residual;      /* patterns without a prefilter */
	size_t rwords;
	uint32_t md_pairs;       /* ovector pairs the patterns need */
	rg_mscan *own;           /* the scan state of rg_matcher_candidates/next */
	mt_reqset *reqsets;
	size_t nreqsets, areqsets;
};

/*
 * What one thread's scan changes: compiled patterns are shared (PCRE2 code
 * is read-only while matching), match data and the JIT stack are not.
 */
struct rg_mscan {
	const rg_matcher *m;
	/* where the literals of anchored-twin patterns occur on the last line scanned */
	struct mt_occ { uint32_t pat, pos; } *occ;
	size_t nocc, aocc;
	int occ_sorted;          /* occ sorted by position (mt_next_occurrence) */
	const char *occ_line;
	size_t occ_len;
	pcre2_match_data *md;
	uint32_t md_pairs;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	/* rg_mscan_buffer: every occurrence in the buffer, in the order of their lines */
	struct mt_hit { size_t start; uint32_t id; } *hits;
	size_t nhits, ahits, next_hit;
	const char *buf;
	size_t buflen, line_from;
	const uint64_t *active;
	int at_start;            /* an anchored literal starts the buffer */
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

rg_matcher *rg_matcher_new(void)
{
	rg_matcher *m = rg_calloc(1, sizeof(rg_matcher));

	m->jit_lock = rg_malloc(sizeof(*m->jit_lock));
	pthread_mutex_init(m->jit_lock, NULL);
	return m;
}

rg_mscan *rg_mscan_new(const rg_matcher *m)
{
	rg_mscan *s = rg_calloc(1, sizeof(*s));

	if (!m->td)
		rg_matcher_ready((rg_matcher *)m); /* first one made, on one thread (see matcher.h) */
	s->m = m;
	s->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(s->mctx, MT_MATCH_LIMIT);
	s->jit = pcre2_jit_stack_create(32 * 1024, MT_JIT_STACK_MAX, NULL);
	if (s->jit)
		pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
	return s;
}

const rg_matcher *rg_mscan_matcher(const rg_mscan *s)
{
	return s->m;
}

void rg_mscan_free(rg_mscan *s)
{
	if (!s)
		return;
	free(s->occ);
	free(s->hits);
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
	rg_teddy_free(m->td);
	free(m->residual);
	free(m->reqsets);
	rg_mscan_free(m->own);
	pthread_mutex_destroy(m->jit_lock);
	free(m->jit_lock);
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
	return code; /* JIT-compiled when first used (mt_jit) */
}

/*
 * A pattern's machine code is made when a scan first runs it, not when it
 * is added: a one-file commit made every built-in pattern's, 9.1 M of its
 * 27 M instructions, for the few its lines reach. Scan threads share the
 * patterns: the first to reach one compiles it under the matcher's lock
 * while the others wait, and none runs it before (the state is stored with
 * release, loaded with acquire). Without JIT, pcre2_match interprets.
 */
static int mt_jit(const rg_matcher *m, mt_pat *p)
{
	int st = __atomic_load_n(&p->jit_state, __ATOMIC_ACQUIRE);

	if (st != MT_JIT_UNTRIED)
		return st == MT_JIT_ON;
	pthread_mutex_lock(m->jit_lock);
	st = __atomic_load_n(&p->jit_state, __ATOMIC_ACQUIRE);
	if (st == MT_JIT_UNTRIED) {
		int on = pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0 &&
			(!p->anchored || pcre2_jit_compile(p->anchored, PCRE2_JIT_COMPLETE) == 0);

		st = on ? MT_JIT_ON : MT_JIT_OFF;
		__atomic_store_n(&p->jit_state, st, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(m->jit_lock);
	return st == MT_JIT_ON;
}

/*
 * pcre2_jit_match skips pcre2_match's checks of its arguments, which are
 * ours and sound: on bench/content.sh they were 4 % of the instructions.
 */
static int mt_match(int jit, const pcre2_code *code, const char *line, size_t len, size_t from,
	pcre2_match_data *md, pcre2_match_context *mctx)
{
	if (jit)
		return pcre2_jit_match(code, (PCRE2_SPTR)line, len, from, 0, md, mctx);
	return pcre2_match(code, (PCRE2_SPTR)line, len, from, 0, md, mctx);
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

	/*
	 * Lines never hold a newline, so a literal with one ("a\nb") never
	 * occurs where the pattern could match: leaving it out keeps a newline
	 * out of every literal, which the whole-buffer scan relies on.
	 */
	if (memchr(s, '\n', len))
		return;
	if (anchored) {
		RG_GROW(m->anch, m->aanch, m->nanch + 1);
		l = &m->anch[m->nanch++];
	} else {
		RG_GROW(m->lits, m->alits, m->nlits + 1);
		l = &m->lits[m->nlits++];
	}
	l->s = (unsigned char *)rg_strndup(s, len);
	l->len = (uint32_t)len;
	l->pat = pat;
	l->ci = ci;
	rg_teddy_free(m->td); /* rebuilt with this literal on the next scan */
	m->td = NULL;
}

/* The literal finder, built once the patterns are in (before threads scan: see rg_mscan_new). */
static const rg_teddy *mt_teddy(rg_matcher *m)
{
	rg_buf nl = RG_BUF_INIT;
	size_t i;

	if (m->td)
		return m->td;
	m->td = rg_teddy_new();
	for (i = 0; i < m->nlits; i++)
		rg_teddy_add(m->td, (const char *)m->lits[i].s, m->lits[i].len, m->lits[i].ci, (uint32_t)i);
	for (i = 0; i < m->nanch; i++) {
		rg_buf_truncate(&nl, 0);
		rg_buf_putc(&nl, '\n');
		rg_buf_put(&nl, (const char *)m->anch[i].s, m->anch[i].len);
		rg_teddy_add(m->td, nl.ptr, nl.len, m->anch[i].ci, MT_ANCH | (uint32_t)i);
	}
	rg_teddy_build(m->td);
	rg_buf_dispose(&nl);
	return m->td;
}

static int mt_reqset_has(const mt_reqset *r, unsigned char c)
{
	return r->bits[c >> 3] & (1u << (c & 7));
}

/* The index of the set of the n bytes req (an existing equal one, or a new one); -1 for none. */
static int mt_reqset_add(rg_matcher *m, const char *req, size_t n)
{
	mt_reqset r;
	size_t i, k;

	if (!n)
		return -1;
	memset(&r, 0, sizeof(r));
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	/* here, on the thread that configures, not by every scan thread on every line */
	r.nib = __builtin_cpu_supports("ssse3") != 0;
#endif
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)req[i];

		if (!mt_reqset_has(&r, c) && r.n < sizeof(r.v)) {
			r.lo[c & 15] |= (uint8_t)(1u << r.n);
			r.hi[c >> 4] |= (uint8_t)(1u << r.n);
			r.v[r.n++] = c;
		}
		r.bits[c >> 3] |= (uint8_t)(1u << (c & 7));
	}
	for (k = 0; k < m->nreqsets; k++)
		if (!memcmp(&m->reqsets[k], &r, sizeof(r)))
			return (int)k;
	RG_GROW(m->reqsets, m->areqsets, m->nreqsets + 1);
	m->reqsets[k] = r;
	m->nreqsets++;
	return (int)k;
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
	p->reqset = p->reqset2 = -1;
	mt_secret_groups(p);
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &caps);
	if (pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &p->minlen) != 0)
		p->minlen = 0;
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
	p->reqset = mt_reqset_add(m, lits.req, lits.nreq);
	p->reqset2 = mt_reqset_add(m, lits.req2, lits.nreq2);
	/*
	 * JIT cannot take PCRE2_ANCHORED at match time: compile an anchored
	 * twin. Without start optimizations: its look for a code unit that every
	 * match needs (url-password's '@') ran to the end of the line at each
	 * occurrence tried, quadratic on a line of many (3 s for 100,000 URLs);
	 * an attempt at one place fails as fast without it.
	 */
	if (lits.leading)
		p->anchored = mt_compile(pattern, PCRE2_ANCHORED | PCRE2_NO_START_OPTIMIZE);
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

/*
 * The literal finder. Threads find it built (rg_matcher_ready); one thread
 * adding patterns between scans (tests) has it rebuilt here.
 */
static const rg_teddy *mt_td(const rg_matcher *m)
{
	return m->td ? m->td : mt_teddy((rg_matcher *)m);
}

typedef struct {
	const rg_matcher *m;
	rg_mscan *sc;
	uint64_t *cand;
	const uint64_t *active;
	uint32_t pat;            /* mt_accept_pat: the pattern looked for */
	size_t base;             /* mt_accept_line: where the line starts */
	int any;
} mt_accept_arg;

/* Record every occurrence of an active pattern's literal on a line; never stop the search. */
static int mt_accept_cand(void *arg, uint32_t id, size_t start)
{
	mt_accept_arg *a = arg;
	uint32_t pat;

	if (id & MT_ANCH)
		return 0; /* "\n" + literal: never inside one line */
	pat = a->m->lits[id].pat;
	if (!rg_bit_test(a->active, pat))
		return 0;
	rg_bit_set(a->cand, pat);
	a->any = 1;
	/* a candidate needs one occurrence, an anchored twin all of them */
	if (a->m->pats[pat].anchored)
		mt_occurs(a->sc, pat, start);
	return 0;
}

#ifdef __SSE2__
/* Does the 16-byte block at s hold one of r's bytes? */
static int mt_req_block(const mt_reqset *r, const unsigned char *s)
{
	__m128i c = _mm_loadu_si128((const __m128i *)(const void *)s), hit = _mm_setzero_si128();
	size_t j;

	for (j = 0; j < r->n; j++)
		hit = _mm_or_si128(hit, _mm_cmpeq_epi8(c, _mm_set1_epi8((char)r->v[j])));
	return _mm_movemask_epi8(hit) != 0;
}
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <tmmintrin.h>
#define MT_SSSE3 1

/*
 * The same by nibble tables (pshufb): five operations a block whatever the
 * set's size, where mt_req_block takes two a byte of it (sets here hold up
 * to 8). A byte both of whose nibbles are v[j]'s is v[j].
 */
__attribute__((target("ssse3")))
static int mt_req_block_nib(const mt_reqset *r, const unsigned char *s)
{
	const __m128i nib = _mm_set1_epi8(0x0f);
	__m128i c = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i lo = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)r->lo), _mm_and_si128(c, nib));
	__m128i hi = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)r->hi),
		_mm_and_si128(_mm_srli_epi16(c, 4), nib));

	return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(lo, hi), _mm_setzero_si128())) != 0xffff;
}

__attribute__((target("ssse3")))
static int mt_req_blocks_nib(const mt_reqset *r, const unsigned char *s, size_t len)
{
	size_t k;

	for (k = 0; k + 16 <= len; k += 16)
		if (mt_req_block_nib(r, s + k))
			return 1;
	return k < len && mt_req_block_nib(r, s + len - 16);
}

#endif

/*
 * Does the line hold one of the bytes of set r? Lines of 16 bytes and more
 * are compared 16 at a time, the last block overlapping the one before: a
 * byte-table loop over every line that holds a literal (one pass for all
 * sets, as this was first written) took 20 % of the instructions of a
 * one-thread scan of bench/content.sh.
 */
static int mt_req_on_line(const mt_reqset *r, const unsigned char *s, size_t len)
{
	size_t k = 0;

#ifdef MT_SSSE3
	if (r->n && len >= 16 && r->nib)
		return mt_req_blocks_nib(r, s, len);
#endif
#ifdef __SSE2__
	if (r->n && len >= 16) {
		for (; k + 16 <= len; k += 16)
			if (mt_req_block(r, s + k))
				return 1;
		return k < len && mt_req_block(r, s + len - 16);
	}
#endif
	for (; k < len; k++)
		if (mt_reqset_has(r, s[k]))
			return 1;
	return 0;
}

/* Does the line meet set r? Asked and answered are the memo of the line's answers. */
static int mt_req_met(const rg_matcher *m, int r, uint64_t *asked, uint64_t *met, const unsigned char *s, size_t len)
{
	uint64_t bit = (uint64_t)1 << (r & (MT_REQ_MEMO - 1));

	if (r >= MT_REQ_MEMO)
		return mt_req_on_line(&m->reqsets[r], s, len);
	if (!(*asked & bit)) {
		*asked |= bit;
		if (mt_req_on_line(&m->reqsets[r], s, len))
			*met |= bit;
	}
	return (*met & bit) != 0;
}

/* Drop the candidates whose required bytes the line lacks; returns non-zero when any is left. */
static int mt_req_filter(const rg_matcher *m, uint64_t *cand, const unsigned char *s, size_t len)
{
	size_t w, words = RG_BITS_WORDS(m->npats);
	uint64_t any = 0, asked = 0, met = 0;

	for (w = 0; w < words; w++) {
		uint64_t bits = cand[w];

		while (bits) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
			int r = m->pats[i].reqset, r2 = m->pats[i].reqset2;

			bits &= bits - 1;
			/* a line too short for any match (aws-secret-key wants 40 characters): 2 % of bench/content.sh */
			if (len < m->pats[i].minlen || (r >= 0 && !mt_req_met(m, r, &asked, &met, s, len)) ||
			    (r2 >= 0 && !mt_req_met(m, r2, &asked, &met, s, len)))
				cand[w] &= ~((uint64_t)1 << (i & 63));
		}
		any |= cand[w];
	}
	return any != 0;
}

/* Anchored literals at the start of a line: candidates, occurring at 0. */
static void mt_anch_cand(mt_accept_arg *a, const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < a->m->nanch; i++) {
		const mt_lit *l = &a->m->anch[i];

		if (l->len <= len && rg_bit_test(a->active, l->pat) && mt_lit_at(l, s)) {
			rg_bit_set(a->cand, l->pat);
			mt_occurs(a->sc, l->pat, 0);
			a->any = 1;
		}
	}
}

static int mt_anch_at_start(const rg_matcher *m, const uint64_t *active, const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < m->nanch; i++) {
		const mt_lit *l = &m->anch[i];

		if (l->len <= len && rg_bit_test(active, l->pat) && mt_lit_at(l, s))
			return 1;
	}
	return 0;
}

int rg_mscan_candidates(uint64_t *cand, rg_mscan *sc, const uint64_t *active,
	const char *line, size_t len)
{
	const rg_matcher *m = sc->m;
	const unsigned char *s = (const unsigned char *)line;
	size_t words = RG_BITS_WORDS(m->npats), w;
	mt_accept_arg a;
	uint64_t any = 0;

	sc->nocc = 0;
	sc->occ_sorted = 0;
	sc->occ_line = line;
	sc->occ_len = len;
	for (w = 0; w < words; w++)
		any |= cand[w] = m->residual[w] & active[w];
	memset(&a, 0, sizeof(a));
	a.m = m;
	a.sc = sc;
	a.cand = cand;
	a.active = active;
	mt_anch_cand(&a, s, len);
	rg_teddy_find(mt_td(m), line, len, 0, 0, 0, mt_accept_cand, &a, NULL);
	return (any || a.any) && mt_req_filter(m, cand, s, len);
}

static int mt_accept_pat(void *arg, uint32_t id, size_t start)
{
	const mt_accept_arg *a = arg;

	RG_UNUSED(start);
	return !(id & MT_ANCH) && a->m->lits[id].pat == a->pat;
}

/* Where does the first literal of pattern pat at or after from start? len when nowhere. */
static size_t mt_next_literal(const rg_matcher *m, uint32_t pat, const unsigned char *s, size_t len, size_t from)
{
	mt_accept_arg a;
	size_t i;

	for (i = 0; from == 0 && i < m->nanch; i++)
		if (m->anch[i].pat == pat && m->anch[i].len <= len && mt_lit_at(&m->anch[i], s))
			return 0;
	memset(&a, 0, sizeof(a));
	a.m = m;
	a.pat = pat;
	return rg_teddy_find(mt_td(m), (const char *)s, len, from, from, 1, mt_accept_pat, &a, NULL);
}

static uint32_t mt_hit_pat(const rg_matcher *m, uint32_t id)
{
	return id & MT_ANCH ? m->anch[id & ~MT_ANCH].pat : m->lits[id].pat;
}

static int mt_accept_hit(void *arg, uint32_t id, size_t start)
{
	mt_accept_arg *a = arg;
	rg_mscan *sc = a->sc;

	if (rg_bit_test(a->active, mt_hit_pat(a->m, id))) {
		RG_GROW(sc->hits, sc->ahits, sc->nhits + 1);
		sc->hits[sc->nhits].start = start;
		sc->hits[sc->nhits++].id = id;
	}
	return 0;
}

void rg_mscan_buffer(rg_mscan *sc, const uint64_t *active, const char *buf, size_t len)
{
	mt_accept_arg a;

	memset(&a, 0, sizeof(a));
	a.m = sc->m;
	a.sc = sc;
	a.active = active;
	sc->nhits = sc->next_hit = 0;
	sc->buf = buf;
	sc->buflen = len;
	sc->line_from = 0;
	sc->active = active;
	sc->at_start = mt_anch_at_start(sc->m, active, (const unsigned char *)buf, len);
	rg_teddy_find(mt_td(sc->m), buf, len, 0, 0, 0, mt_accept_hit, &a, NULL);
}

/* The start of the line the hit is on. */
static size_t mt_hit_line(const rg_mscan *sc, const struct mt_hit *h)
{
	const char *prev;

	if (h->id & MT_ANCH)
		return h->start + 1;
	if (h->start <= sc->line_from)
		return sc->line_from;
	prev = memrchr(sc->buf + sc->line_from, '\n', h->start - sc->line_from);
	return prev ? (size_t)(prev - sc->buf) + 1 : sc->line_from;
}

/* The next line with a hit: its bounds, candidates and occurrences; 0 after the last. */
static int mt_hit_next_line(size_t *line_start, size_t *line_end, uint64_t *cand, rg_mscan *sc)
{
	const rg_matcher *m = sc->m;
	const char *nl;
	size_t ls, le;

	if (sc->at_start && sc->line_from == 0)
		ls = 0;
	else if (sc->next_hit < sc->nhits)
		ls = mt_hit_line(sc, &sc->hits[sc->next_hit]);
	else
		return 0;
	if (ls > sc->buflen)
		return 0;
	nl = memchr(sc->buf + ls, '\n', sc->buflen - ls);
	le = nl ? (size_t)(nl - sc->buf) : sc->buflen;
	memset(cand, 0, RG_BITS_WORDS(m->npats) * sizeof(uint64_t));
	sc->nocc = 0;
	sc->occ_sorted = 0;
	sc->occ_line = sc->buf + ls;
	sc->occ_len = le > ls && sc->buf[le - 1] == '\r' ? le - ls - 1 : le - ls;
	if (ls == 0 && sc->at_start) {
		mt_accept_arg a;

		memset(&a, 0, sizeof(a));
		a.m = m;
		a.sc = sc;
		a.cand = cand;
		a.active = sc->active;
		mt_anch_cand(&a, (const unsigned char *)sc->buf, le);
		sc->at_start = 0;
	}
	/* a line's hits come before the next line's: their fingerprints are on it */
	for (; sc->next_hit < sc->nhits; sc->next_hit++) {
		const struct mt_hit *h = &sc->hits[sc->next_hit];
		uint32_t pat = mt_hit_pat(m, h->id);

		if (h->id & MT_ANCH ? h->start + 1 != ls : h->start >= le)
			break;
		rg_bit_set(cand, pat);
		if (h->id & MT_ANCH || m->pats[pat].anchored)
			mt_occurs(sc, pat, h->id & MT_ANCH ? 0 : h->start - ls);
	}
	sc->line_from = le + 1;
	*line_start = ls;
	*line_end = le;
	return 1;
}

int rg_mscan_next_line(size_t *line_start, size_t *line_end, uint64_t *cand, rg_mscan *sc)
{
	while (mt_hit_next_line(line_start, line_end, cand, sc))
		if (mt_req_filter(sc->m, cand, (const unsigned char *)sc->buf + *line_start, *line_end - *line_start))
			return 1;
	return 0;
}

int rg_matcher_any_residual(const rg_matcher *m, const uint64_t *active)
{
	size_t w;

	for (w = 0; w < RG_BITS_WORDS(m->npats); w++)
		if (m->residual[w] & active[w])
			return 1;
	return 0;
}

void rg_matcher_ready(rg_matcher *m)
{
	mt_teddy(m);
}

/*
 * The next match at or after *from. A pattern whose every match starts with
 * one of its literals is only tried, anchored, where a literal starts: the
 * leftmost of those that matches is the match an unanchored search finds.
 */
/* a line with at most this many occurrences is searched through: sorting it costs more */
#define MT_OCC_LINEAR 16

static int mt_occ_cmp(const void *a, const void *b)
{
	const struct mt_occ *x = a, *y = b;

	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return x->pat < y->pat ? -1 : x->pat > y->pat;
}

/*
 * The next recorded occurrence of pat's literals at or after from, else
 * len. The occurrences of a line that has many are sorted once and
 * searched from from: a look through all of them for each one tried made
 * a minified line of 100,000 URLs (each "://" an occurrence of
 * url-password's literal) quadratic, 13 s.
 */
static size_t mt_next_occurrence(rg_mscan *sc, uint32_t pat, size_t len, size_t from)
{
	size_t lo = 0, hi = sc->nocc, i, best = len;

	if (sc->nocc <= MT_OCC_LINEAR) {
		for (i = 0; i < sc->nocc; i++)
			if (sc->occ[i].pat == pat && sc->occ[i].pos >= from && sc->occ[i].pos < best)
				best = sc->occ[i].pos;
		return best;
	}
	if (!sc->occ_sorted) {
		if (sc->nocc > 1)
			qsort(sc->occ, sc->nocc, sizeof(*sc->occ), mt_occ_cmp);
		sc->occ_sorted = 1;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sc->occ[mid].pos < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < sc->nocc && sc->occ[i].pos < len; i++)
		if (sc->occ[i].pat == pat)
			return sc->occ[i].pos;
	return len;
}

static int mt_exec(rg_mscan *sc, mt_pat *p, uint32_t pat, const char *line, size_t len, size_t from)
{
	int known = sc->occ_line == line && sc->occ_len == len;
	pcre2_match_data *md = mt_md(sc);
	int rc;

	if (!p->anchored)
		return mt_match(mt_jit(sc->m, p), p->code, line, len, from, md, sc->mctx);
	for (;;) {
		size_t at = known ? mt_next_occurrence(sc, pat, len, from) :
			mt_next_literal(sc->m, pat, (const unsigned char *)line, len, from);

		if (at >= len || len - at < p->minlen)
			return PCRE2_ERROR_NOMATCH; /* occurrences come in order: a later one has less room */
		rc = mt_match(mt_jit(sc->m, p), p->anchored, line, len, at, md, sc->mctx);
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
	mt_pat *p = &sc->m->pats[i]; /* its JIT state is the one thing a scan may change (mt_jit) */
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
