/*
 * fuzz-teddy.c: the multi-literal finder against a naive search. Input:
 * literals, one per line ("i:" before a caseless one, lower case), an empty
 * line, then the text. Invariants, with AVX2 and with the scalar loop:
 * the earliest start found is the naive earliest occurrence, and an accept
 * that always refuses sees every occurrence (of every id: the same literal
 * added twice is found for both).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/teddy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LITS 64

typedef struct {
	const char *s[MAX_LITS];
	size_t len[MAX_LITS];
	int ci[MAX_LITS];
	size_t n;
	unsigned char *seen;     /* text length x literals */
	size_t tlen;
} lits;

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int at(const lits *l, size_t k, const char *t, size_t tlen, size_t pos)
{
	size_t j;

	if (pos + l->len[k] > tlen)
		return 0;
	for (j = 0; j < l->len[k]; j++)
		if (l->ci[k] ? lower((unsigned char)t[pos + j]) != (unsigned char)l->s[k][j] : t[pos + j] != l->s[k][j])
			return 0;
	return 1;
}

static int refuse_all(void *arg, uint32_t id, size_t start)
{
	lits *l = arg;

	l->seen[start * l->n + id] = 1;
	return 0;
}

static void check(const rg_teddy *td, lits *l, const char *t, size_t tlen)
{
	size_t from, pos, k, naive = tlen;
	uint32_t id = 0;

	for (from = 0; from <= tlen; from += 1 + from / 3) {
		naive = tlen;
		for (pos = from; pos < tlen && naive == tlen; pos++)
			for (k = 0; k < l->n; k++)
				if (at(l, k, t, tlen, pos))
					naive = pos;
		if (rg_teddy_find(td, t, tlen, from, from, 1, NULL, NULL, &id) != naive)
			abort(); /* not the earliest occurrence */
		if (naive < tlen && !at(l, id, t, tlen, naive))
			abort(); /* the id does not occur there */
	}
	memset(l->seen, 0, tlen * l->n);
	rg_teddy_find(td, t, tlen, 0, 0, 0, refuse_all, l, NULL);
	for (pos = 0; pos < tlen; pos++)
		for (k = 0; k < l->n; k++)
			if (at(l, k, t, tlen, pos) != l->seen[pos * l->n + k])
				abort(); /* an occurrence missed, or one made up */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *t;
	rg_teddy *td = rg_teddy_new();
	lits l;
	size_t k;

	memset(&l, 0, sizeof(l));
	while (p < end && *p != '\n' && l.n < MAX_LITS) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
		int ci = n > 2 && !memcmp(p, "i:", 2);

		if (ci) {
			p += 2;
			n -= 2;
		}
		for (k = 0; ci && k < n; k++)
			if (p[k] >= 'A' && p[k] <= 'Z')
				ci = 0; /* caseless literals are lower case */
		if (n >= 2 && n <= 64) {
			l.s[l.n] = p;
			l.len[l.n] = n;
			l.ci[l.n] = ci;
			rg_teddy_add(td, p, n, ci, (uint32_t)l.n);
			l.n++;
		}
		p += n + 1;
	}
	t = p < end ? p + 1 : end;
	if (l.n && t <= end) {
		rg_teddy_build(td);
		l.tlen = (size_t)(end - t);
		l.seen = calloc(l.tlen * l.n + 1, 1);
		rg_teddy_force_scalar(0);
		check(td, &l, t, l.tlen);
		rg_teddy_force_scalar(1);
		check(td, &l, t, l.tlen);
		free(l.seen);
	}
	rg_teddy_free(td);
	return 0;
}
