/*
 * teddy.c: many literals found at once (see include/repoguard/teddy.h).
 *
 * A literal's fingerprint is its rarest run of F bytes (F = 3, or 2 when a
 * literal is that short), at offset fp. Position i may start a fingerprint
 * of bucket b when, for every j < F, bit b is set in both lo[j][low nibble
 * of s[i + j]] and hi[j][high nibble]; the byte tables hold the same sets
 * exactly, for the scalar loop. Literals are put in buckets so that the
 * nibble sets stay tight (td_assign).
 *
 * There are 16 buckets ("fat" Teddy): AVX2's low lane holds the nibble
 * tables of buckets 0-7, its high lane those of 8-15, and each round looks
 * the same 16 positions up in both. With 8 buckets and 32 positions a
 * round, the nibble tables passed 2.5 million positions of the 100 MB of
 * bench/content.sh, for 0.73 million literals there: about 12 literals a
 * bucket let through every byte whose low nibble is one literal's and high
 * nibble another's, and each such position was a mispredicted branch or
 * two. With 16 they pass 1.2 million; twice the rounds cost less than that
 * (a one-thread scan 216 -> 189 ms, the whole pre-commit 121 -> 108 ms).
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/teddy.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TD_AVX2 1
#endif

#define TD_BUCKETS 16
#define TD_MAXF 3

typedef struct {
	unsigned char *s;        /* lower case when ci */
	uint32_t len, fp;
	uint32_t *ids;           /* one literal may be several callers' (patterns sharing a keyword) */
	size_t nids, aids;
	int ci;
	uint32_t key;            /* the folded fingerprint bytes, for a quick comparison */
	/* the first 8 bytes as one word (td_eq): (text | fold) & keep == word */
	uint64_t word, fold, keep;
	uint32_t next;           /* next literal with the same fingerprint hash, 1-based; 0 ends */
} td_lit;

/* Candidates are verified through a hash of their folded fingerprint: one or two literals each. */
#define TD_HASH_BITS 10

struct rg_teddy {
	td_lit *lits;
	size_t n, alloc;
	uint32_t f;                          /* fingerprint length */
	uint32_t maxfp;                      /* largest fingerprint offset */
	uint32_t *bucket[TD_BUCKETS];        /* literal indices */
	size_t nbucket[TD_BUCKETS], abucket[TD_BUCKETS];
	/* per nibble, buckets 0-7 in bytes 0-15, buckets 8-15 in bytes 16-31 (AVX2's two lanes) */
	unsigned char lo[TD_MAXF][32], hi[TD_MAXF][32];
	uint16_t byte[TD_MAXF][256];
	uint32_t head[1u << TD_HASH_BITS];   /* 1-based literal index per fingerprint hash */
	unsigned char fold[256];             /* ASCII lower case */
	int avx2;
};

static int td_scalar_forced;

static unsigned char td_lower(unsigned char c);

/* The folded fingerprint at p as a number, and its hash. */
static uint32_t td_key(const unsigned char *fold, const unsigned char *p, uint32_t f)
{
	uint32_t k = ((uint32_t)fold[p[0]] << 8) | fold[p[1]];

	return f > 2 ? (k << 8) | fold[p[2]] : k;
}

static uint32_t td_hash(uint32_t key)
{
	key *= 0x9e3779b1u;
	return key >> (32 - TD_HASH_BITS);
}

void rg_teddy_force_scalar(int on)
{
	td_scalar_forced = on;
}

rg_teddy *rg_teddy_new(void)
{
	return rg_calloc(1, sizeof(rg_teddy));
}

void rg_teddy_free(rg_teddy *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->lits[i].s);
		free(t->lits[i].ids);
	}
	for (i = 0; i < TD_BUCKETS; i++)
		free(t->bucket[i]);
	free(t->lits);
	free(t);
}

static unsigned char td_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Rough frequency of (lower-cased) bytes in source code, per mille. */
static unsigned td_freq(unsigned char c)
{
	static const unsigned char letters[26] = {
		82, 15, 28, 43, 127, 22, 20, 61, 70, 2, 8, 40, 24, 67, 75, 19, 1, 60, 63, 91, 28, 10, 24, 2, 20, 1
	};

	c = td_lower(c);
	if (c >= 'a' && c <= 'z')
		return letters[c - 'a'];
	if (c == ' ' || c == '\t')
		return 150;
	if (c >= '0' && c <= '9')
		return 12;
	if (c && strchr("().,;=\"'_/-:{}", c))
		return 15;
	return 3;
}

void rg_teddy_add(rg_teddy *t, const char *s, size_t len, int caseless, uint32_t id)
{
	td_lit *l = NULL;
	size_t i;

	for (i = 0; i < t->n && !l; i++)
		if (t->lits[i].len == len && t->lits[i].ci == caseless && !memcmp(t->lits[i].s, s, len))
			l = &t->lits[i];
	if (!l) {
		RG_GROW(t->lits, t->alloc, t->n + 1);
		l = &t->lits[t->n++];
		memset(l, 0, sizeof(*l));
		l->s = (unsigned char *)rg_strndup(s, len);
		l->len = (uint32_t)len;
		l->ci = caseless;
	}
	RG_GROW(l->ids, l->aids, l->nids + 1);
	l->ids[l->nids++] = id;
}

/* The offset of the rarest run of f bytes. */
static uint32_t td_rarest(const td_lit *l, uint32_t f)
{
	uint32_t best = 0, k, j;
	unsigned long score = (unsigned long)-1;

	for (k = 0; k + f <= l->len; k++) {
		unsigned long sc = 1;

		for (j = 0; j < f; j++)
			sc *= td_freq(l->s[k + j]);
		if (sc < score) {
			score = sc;
			best = k;
		}
	}
	return best;
}

static void td_set(rg_teddy *t, uint32_t j, unsigned char c, unsigned b)
{
	unsigned lane = (b >> 3) * 16, bit = 1u << (b & 7);

	t->byte[j][c] |= (uint16_t)(1u << b);
	t->lo[j][lane + (c & 15)] |= (unsigned char)bit;
	t->hi[j][lane + (c >> 4)] |= (unsigned char)bit;
}

/* The bytes a literal's fingerprint may hold at position j, into out: both cases when caseless. */
static unsigned td_lit_bytes(unsigned char out[2], const td_lit *l, uint32_t j)
{
	unsigned char c = l->s[l->fp + j];

	out[0] = c;
	if (l->ci && c >= 'a' && c <= 'z') {
		out[1] = (unsigned char)(c - 'a' + 'A');
		return 2;
	}
	return 1;
}

/* The nibbles one literal adds at fingerprint position j. */
static void td_lit_nibbles(const td_lit *l, uint32_t j, unsigned char *lo, unsigned char *hi, unsigned bit)
{
	unsigned char c[2];
	unsigned k, n = td_lit_bytes(c, l, j);

	for (k = 0; k < n; k++) {
		lo[c[k] & 15] |= (unsigned char)bit;
		hi[c[k] >> 4] |= (unsigned char)bit;
	}
}

/* Rough share of source text bytes that are c: lower case letters as td_freq, capitals a fifth of that. */
static double td_share(unsigned c)
{
	unsigned f = td_freq((unsigned char)c);

	return (c >= 'A' && c <= 'Z' ? f / 5.0 : f) / 1000.0;
}

/*
 * The estimated share of text positions that pass a bucket's nibble sets
 * (lo, hi: TD_MAXF x 16 bytes, bucket bit 1): every byte whose low nibble
 * is one literal's and high nibble another's passes too. share: td_share
 * of every byte.
 */
static double td_cost(const unsigned char lo[][16], const unsigned char hi[][16], uint32_t f, const double *share)
{
	double p = 1.0;
	uint32_t j;
	unsigned l, h;

	for (j = 0; j < f; j++) {
		double pj = 0.0;

		for (h = 0; h < 16; h++)
			for (l = 0; (hi[j][h] & 1) && l < 16; l++)
				if (lo[j][l] & 1)
					pj += share[h << 4 | l];
		p *= pj;
	}
	return p;
}

/*
 * Each literal into the bucket whose estimated pass rate it raises least
 * (td_cost), the literals with the most common fingerprints first. Grouping
 * by the first fingerprint byte alone put key, KEY, "ck." (the Slack URL)
 * and "k_l" (sk_live_) in one bucket whose nibbles passed "sol", "con" and
 * "ser": on bench/content.sh, 12 nibble passes for each literal found
 * (with 8 buckets).
 */
static void td_assign(rg_teddy *t, unsigned char *of)
{
	unsigned char lo[TD_BUCKETS][TD_MAXF][16], hi[TD_BUCKETS][TD_MAXF][16];
	double cost[TD_BUCKETS], share[256], *own = rg_calloc(t->n ? t->n : 1, sizeof(*own));
	size_t *order = rg_calloc(t->n ? t->n : 1, sizeof(*order)), i, k, b;
	uint32_t j;

	for (i = 0; i < 256; i++)
		share[i] = td_share((unsigned)i);
	memset(lo, 0, sizeof(lo));
	memset(hi, 0, sizeof(hi));
	for (b = 0; b < TD_BUCKETS; b++)
		cost[b] = 0.0;
	for (i = 0; i < t->n; i++) {
		unsigned char l1[TD_MAXF][16] = { { 0 } }, h1[TD_MAXF][16] = { { 0 } };

		for (j = 0; j < t->f; j++)
			td_lit_nibbles(&t->lits[i], j, l1[j], h1[j], 1);
		own[i] = td_cost((const unsigned char (*)[16])l1, (const unsigned char (*)[16])h1, t->f, share);
		for (k = i; k > 0 && own[order[k - 1]] < own[i]; k--)
			order[k] = order[k - 1];
		order[k] = i;
	}
	for (k = 0; k < t->n; k++) {
		const td_lit *l = &t->lits[order[k]];
		size_t best = 0;
		double best_rise = 0.0;

		for (b = 0; b < TD_BUCKETS; b++) {
			unsigned char l1[TD_MAXF][16], h1[TD_MAXF][16];
			double rise;

			memcpy(l1, lo[b], sizeof(l1));
			memcpy(h1, hi[b], sizeof(h1));
			for (j = 0; j < t->f; j++)
				td_lit_nibbles(l, j, l1[j], h1[j], 1);
			rise = td_cost((const unsigned char (*)[16])l1, (const unsigned char (*)[16])h1, t->f, share) - cost[b];
			if (b == 0 || rise < best_rise) {
				best = b;
				best_rise = rise;
			}
		}
		for (j = 0; j < t->f; j++)
			td_lit_nibbles(l, j, lo[best][j], hi[best][j], 1);
		cost[best] += best_rise;
		of[order[k]] = (unsigned char)best;
	}
	free(order);
	free(own);
}

/*
 * A literal's first 8 bytes as a little-endian word, the bits that make a
 * letter lower case (when caseless: 'A' | 0x20 is 'a', and only 'A' and 'a'
 * become 'a' so), and the bytes that count.
 */
static void td_words(td_lit *l)
{
	uint32_t k;

	l->word = l->fold = l->keep = 0;
	for (k = 0; k < l->len && k < 8; k++) {
		unsigned char c = l->s[k];

		l->word |= (uint64_t)c << (8 * k);
		l->keep |= (uint64_t)0xff << (8 * k);
		if (l->ci && c >= 'a' && c <= 'z')
			l->fold |= (uint64_t)0x20 << (8 * k);
	}
}

void rg_teddy_build(rg_teddy *t)
{
	unsigned char *of;
	size_t i;
	uint32_t j;

	for (i = 0; i < 256; i++)
		t->fold[i] = td_lower((unsigned char)i);
	t->f = TD_MAXF;
	for (i = 0; i < t->n; i++)
		if (t->lits[i].len < t->f)
			t->f = t->lits[i].len;
	t->maxfp = 0;
	for (i = 0; i < t->n; i++) {
		t->lits[i].fp = td_rarest(&t->lits[i], t->f);
		if (t->lits[i].fp > t->maxfp)
			t->maxfp = t->lits[i].fp;
	}
	of = rg_calloc(t->n ? t->n : 1, 1);
	td_assign(t, of);
	for (i = 0; i < t->n; i++) {
		td_lit *l = &t->lits[i];
		unsigned b = of[i];
		uint32_t h;

		RG_GROW(t->bucket[b], t->abucket[b], t->nbucket[b] + 1);
		t->bucket[b][t->nbucket[b]++] = (uint32_t)i;
		l->key = td_key(t->fold, l->s + l->fp, t->f);
		td_words(l);
		h = td_hash(l->key);
		l->next = t->head[h];
		t->head[h] = (uint32_t)i + 1;
		for (j = 0; j < t->f; j++) {
			unsigned char c[2];
			unsigned k, n = td_lit_bytes(c, l, j);

			for (k = 0; k < n; k++)
				td_set(t, j, c[k], b);
		}
	}
	free(of);
#ifdef TD_AVX2
	t->avx2 = __builtin_cpu_supports("avx2");
#endif
}

/* Byte by byte, from k on. */
static int td_eq_bytes(const td_lit *l, const unsigned char *s, uint32_t k)
{
	for (; k < l->len; k++)
		if ((l->ci ? td_lower(s[k]) : s[k]) != l->s[k])
			return 0;
	return 1;
}

/*
 * Is the literal at s (avail bytes readable)? One word comparison for the
 * first 8 bytes: the byte loop it replaced was a fifth of the literal
 * search's instructions on bench/content.sh.
 */
static int td_eq(const td_lit *l, const unsigned char *s, size_t avail)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;

	if (avail < 8)
		return td_eq_bytes(l, s, 0);
	memcpy(&w, s, 8);
	if (((w | l->fold) & l->keep) != l->word)
		return 0;
	return l->len <= 8 || td_eq_bytes(l, s, 8);
#else
	RG_UNUSED(avail);
	return td_eq_bytes(l, s, 0);
#endif
}

typedef struct {
	int (*accept)(void *arg, uint32_t id, size_t start);
	void *arg;
	size_t from, len;
	size_t start;
	uint32_t id;
	int earliest;            /* settle on the earliest start, not the first found */
} td_query;

/*
 * Compare the literals whose fingerprint hashes like the text at pos with
 * the text; 1 when one is accepted that starts before q->start, which is
 * then set (with q->id).
 */
static int td_verify(const rg_teddy *t, const unsigned char *s, size_t pos, td_query *q)
{
	uint32_t key = td_key(t->fold, s + pos, t->f), e = t->head[td_hash(key)];
	int found = 0;

	for (; e; e = t->lits[e - 1].next) {
		const td_lit *l = &t->lits[e - 1];
		size_t st, n;

		if (l->key != key || pos < l->fp || (st = pos - l->fp) < q->from || st >= q->start || st + l->len > q->len ||
		    !td_eq(l, s + st, q->len - st))
			continue;
		for (n = 0; n < l->nids; n++) {
			if (q->accept && !q->accept(q->arg, l->ids[n], st))
				continue;
			q->start = st;
			q->id = l->ids[n];
			found = 1;
			break;
		}
	}
	return found;
}

static unsigned td_buckets(const rg_teddy *t, const unsigned char *s, size_t i)
{
	unsigned b = t->byte[0][s[i]];

	if (b)
		b &= t->byte[1][s[i + 1]];
	if (b && t->f > 2)
		b &= t->byte[2][s[i + 2]];
	return b;
}

/*
 * A literal was found whose fingerprint is at pos: one with a larger
 * fingerprint offset may still start earlier; look at every fingerprint
 * position up to where such a start would have to be.
 */
static size_t td_settle(const rg_teddy *t, const unsigned char *s, size_t pos, td_query *q)
{
	size_t i;

	for (i = pos + 1; i <= q->start + t->maxfp && i + t->f <= q->len; i++) {
		unsigned b = td_buckets(t, s, i);

		if (b)
			td_verify(t, s, i, q);
	}
	return q->start;
}

static size_t td_scalar(const rg_teddy *t, const unsigned char *s, size_t i, td_query *q)
{
	for (; i + t->f <= q->len; i++) {
		unsigned b = td_buckets(t, s, i);

		if (b && td_verify(t, s, i, q))
			return q->earliest ? td_settle(t, s, i, q) : q->start;
	}
	return q->len;
}

#ifdef TD_AVX2
/* The 16 bytes at p in both lanes, looked up in buckets 0-7 (low lane) and 8-15 (high lane). */
__attribute__((target("avx2")))
static __m256i td_lookup(const unsigned char *lo, const unsigned char *hi, const unsigned char *p)
{
	const __m256i nib = _mm256_set1_epi8(0x0f);
	__m256i c = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)p));
	__m256i tl = _mm256_loadu_si256((const __m256i *)(const void *)lo);
	__m256i th = _mm256_loadu_si256((const __m256i *)(const void *)hi);

	return _mm256_and_si256(_mm256_shuffle_epi8(tl, _mm256_and_si256(c, nib)),
		_mm256_shuffle_epi8(th, _mm256_and_si256(_mm256_srli_epi16(c, 4), nib)));
}

__attribute__((target("avx2")))
static size_t td_avx2(const rg_teddy *t, const unsigned char *s, size_t i, td_query *q)
{
	const __m256i zero = _mm256_setzero_si256();
	uint32_t f = t->f;

	for (; i + 16 + f - 1 <= q->len; i += 16) {
		__m256i r = _mm256_and_si256(td_lookup(t->lo[0], t->hi[0], s + i), td_lookup(t->lo[1], t->hi[1], s + i + 1));
		uint32_t mask;

		if (f > 2)
			r = _mm256_and_si256(r, td_lookup(t->lo[2], t->hi[2], s + i + 2));
		mask = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(r, zero));
		mask = (mask | mask >> 16) & 0xffff; /* a position of either half's buckets */
		if (!mask)
			continue;
		while (mask) {
			unsigned bit = (unsigned)__builtin_ctz(mask);

			mask &= mask - 1;
			/*
			 * The nibble tables pass a byte whose low nibble is one
			 * literal's and high nibble another's: the exact byte
			 * tables drop those first (on bench/content.sh, a third
			 * of the positions the nibbles passed) for less than
			 * td_verify's hash lookup costs.
			 */
			if (td_buckets(t, s, i + bit) && td_verify(t, s, i + bit, q))
				return q->earliest ? td_settle(t, s, i + bit, q) : q->start;
		}
	}
	return td_scalar(t, s, i, q);
}
#endif

size_t rg_teddy_find(const rg_teddy *t, const char *buf, size_t len, size_t scan, size_t from, int earliest,
	int (*accept)(void *arg, uint32_t id, size_t start), void *arg, uint32_t *id)
{
	const unsigned char *s = (const unsigned char *)buf;
	td_query q;
	size_t r;

	if (!t->n || scan >= len)
		return len;
	q.accept = accept;
	q.arg = arg;
	q.from = from;
	q.len = len;
	q.start = len;
	q.id = 0;
	q.earliest = earliest;
#ifdef TD_AVX2
	if (t->avx2 && !td_scalar_forced)
		r = td_avx2(t, s, scan, &q);
	else
#endif
		r = td_scalar(t, s, scan, &q);
	if (r < len && id)
		*id = q.id;
	return r;
}
