/*
 * content-redact.c: what reports mask. Every match of every built-in
 * secret pattern is masked wherever repoguard prints text it read (an
 * excerpt of a line, a commit subject: rg_content_mask), whether the secrets rule is on,
 * skipped, allowed for a path or disabled; a rule that knows more secrets
 * (a [content.NAME] pattern with a "secret" group) adds its own matcher.
 * The built-in matcher is compiled once per process, on first use: most
 * runs report nothing and never pay for it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/content.h"

static pthread_once_t rd_once = PTHREAD_ONCE_INIT;
static rg_matcher *rd_builtin;

static void rd_build(void)
{
	const char *p;
	size_t i;

	rd_builtin = rg_matcher_new();
	for (i = 0; (p = rg_secrets_pattern(i)) != NULL; i++)
		rg_matcher_add(rd_builtin, p); /* compiled by the secrets rule's tests; cannot fail */
	for (i = 0; (p = rg_secrets_mask_pattern(i)) != NULL; i++)
		rg_matcher_add(rd_builtin, p);
	rg_matcher_ready(rd_builtin);
}

const rg_matcher *rg_redact_builtin(void)
{
	pthread_once(&rd_once, rd_build);
	return rd_builtin;
}

void rg_spans_add(rg_spans *sp, size_t start, size_t end)
{
	if (end <= start)
		return;
	RG_GROW(sp->v, sp->alloc, sp->n + 1);
	sp->v[sp->n].start = start;
	sp->v[sp->n++].end = end;
}

static int rd_span_cmp(const void *a, const void *b)
{
	const rg_span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void rg_spans_merge(rg_spans *sp)
{
	size_t i, n = 0;

	if (!sp->n)
		return;
	qsort(sp->v, sp->n, sizeof(*sp->v), rd_span_cmp);
	for (i = 1; i < sp->n; i++) {
		if (sp->v[i].start < sp->v[n].end) {
			if (sp->v[i].end > sp->v[n].end)
				sp->v[n].end = sp->v[i].end;
		} else {
			sp->v[++n] = sp->v[i];
		}
	}
	sp->n = n + 1;
}

void rg_spans_dispose(rg_spans *sp)
{
	free(sp->v);
	memset(sp, 0, sizeof(*sp));
}

int rg_redact_specific_overlaps(rg_mscan *ms, const char *text, size_t len, size_t start, size_t end)
{
	size_t i, from;
	rg_match x;

	for (i = 0; rg_secrets_pattern(i) != NULL; i++) { /* rd_build added these first, in this order */
		if (rg_secrets_is_fallback(i))
			continue;
		from = 0;
		while (rg_mscan_next(&x, ms, i, text, len, &from) == 1)
			if (x.secret_start < end && start < x.secret_end)
				return 1;
	}
	return 0;
}

void rg_redact_spans(rg_spans *sp, rg_mscan *ms, const int *kinds, const char *text, size_t len)
{
	const rg_matcher *m = rg_mscan_matcher(ms);
	size_t i, from;
	rg_match x;

	for (i = 0; i < rg_matcher_count(m); i++) {
		from = 0;
		while (rg_mscan_next(&x, ms, i, text, len, &from) == 1)
			if (!kinds || kinds[i] == RG_REDACT_MATCH || x.has_secret_group)
				rg_spans_add(sp, x.secret_start, x.secret_end);
	}
}

void rg_content_mask_value(rg_buf *out, const char *text)
{
	rg_mscan *ms = rg_mscan_new(rg_redact_builtin());
	rg_spans sp = { NULL, 0, 0 };
	size_t len = strlen(text);

	rg_redact_spans(&sp, ms, NULL, text, len);
	rg_spans_merge(&sp);
	rg_content_masked(out, text, len, sp.v, sp.n);
	rg_spans_dispose(&sp);
	rg_mscan_free(ms);
}
