/*
 * fuzz-matcher.c: pattern parsing (literal extraction) and the one-pass
 * prefilter. Input: a pattern, a newline, then lines to match. Invariant:
 * whenever the pattern matches a line, the prefilter names it as a
 * candidate (else a secret could slip through). Also runs the allow-comment
 * parser and the excerpt redaction over each line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/content.h"
#include "repoguard/matcher.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_line(rg_matcher *m, int idx, const char *line, size_t len)
{
	uint64_t active = 1, cand = 0;
	size_t from = 0;
	rg_match mt;
	int r = idx >= 0 ? rg_matcher_next(&mt, m, (size_t)idx, line, len, &from) : 0;
	rg_buf ex = RG_BUF_INIT;
	rg_span sp;

	if (idx >= 0) {
		rg_matcher_candidates(&cand, m, &active, line, len);
		if (r == 1 && !(cand & 1))
			abort(); /* the prefilter missed a match */
	}
	if (r == 1) {
		sp.start = mt.secret_start;
		sp.end = mt.secret_end;
		rg_content_excerpt(&ex, line, len, mt.start, mt.end, &sp, 1);
		if (ex.len > 200 + 3 * 2 + 12)
			abort();
	}
	rg_content_allowed(line, len, "secrets.jwt");
	rg_buf_dispose(&ex);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *nl = memchr(text, '\n', size), *p, *end;
	char *pattern;
	rg_matcher *m;
	char **lits;
	int *anch, ci, lead, idx;

	if (!nl || memchr(text, 0, (size_t)(nl - text)))
		return 0;
	pattern = rg_strndup(text, (size_t)(nl - text));
	rg_pattern_literals(&lits, &anch, &ci, &lead, pattern);
	rg_pattern_literals_free(lits, anch);
	m = rg_matcher_new();
	idx = rg_matcher_add(m, pattern);
	for (p = nl + 1, end = text + size; p <= end;) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t n = e ? (size_t)(e - p) : (size_t)(end - p);

		fuzz_line(m, idx, p, n);
		p += n + 1;
	}
	rg_matcher_free(m);
	free(pattern);
	return 0;
}
