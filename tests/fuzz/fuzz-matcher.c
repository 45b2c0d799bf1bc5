/*
 * fuzz-matcher.c: pattern parsing (literal extraction) and the one-pass
 * prefilter. Input: a pattern, a newline, then lines to match. Invariant:
 * whenever the pattern matches a line, the prefilter names it as a
 * candidate (else a secret could slip through), both line by line and
 * when the lines are scanned as one buffer (rg_mscan_buffer). Also runs the
 * allow-comment parser and the excerpt redaction over each line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pcre2.h>

#include "repoguard/buf.h"
#include "repoguard/content.h"
#include "repoguard/matcher.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first match of a plain pcre2_match, compiled as the matcher compiles: 1, 0, or -1 on error. */
static int reference(size_t *start, size_t *end, pcre2_code *ref, const char *line, size_t len)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(ref, NULL);
	int rc = pcre2_match(ref, (PCRE2_SPTR)line, len, 0, 0, md, NULL);

	if (rc >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

		*start = ov[0] <= ov[1] ? ov[0] : ov[1];
		*end = ov[1];
	}
	pcre2_match_data_free(md);
	return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

static void fuzz_line(rg_matcher *m, int idx, pcre2_code *ref, const char *line, size_t len)
{
	uint64_t active = 1, cand = 0;
	size_t from = 0, rs = 0, re = 0;
	rg_match mt;
	int r = 0, want;
	rg_buf ex = RG_BUF_INIT;
	rg_span sp;

	if (idx >= 0) {
		rg_matcher_candidates(&cand, m, &active, line, len);
		r = rg_matcher_next(&mt, m, (size_t)idx, line, len, &from);
		if (r == 1 && !(cand & 1))
			abort(); /* the prefilter missed a match */
		want = ref ? reference(&rs, &re, ref, line, len) : -1;
		if (r >= 0 && want >= 0 && (r != want || (r == 1 && (mt.start != rs || mt.end != re))))
			abort(); /* not the match pcre2 finds */
		{
			/* another buffer: the matcher re-scans for literals instead of recalling them */
			char *copy = rg_strndup(line, len);
			rg_match m2;
			int r2;

			from = 0;
			r2 = rg_matcher_next(&m2, m, (size_t)idx, copy, len, &from);
			if (r >= 0 && r2 >= 0 && (r2 != r || (r == 1 && (m2.start != mt.start || m2.end != mt.end))))
				abort(); /* the literal re-scan disagrees with the recorded occurrences */
			free(copy);
		}
	}
	if (r == 1) {
		sp.start = mt.secret_start;
		sp.end = mt.secret_end;
		rg_content_excerpt(&ex, line, len, mt.start, mt.end, &sp, 1);
		/* at most 100 bytes shown, each as itself or \ooo (control bytes, bytes that are not UTF-8), two "...", 12 stars */
		if (ex.len > 4 * 100 + 3 * 2 + 12)
			abort();
	}
	rg_content_allowed(line, len, "secrets.jwt");
	rg_buf_dispose(&ex);
}

static pcre2_code *reference_compile(const char *pattern)
{
	uint32_t opts = PCRE2_DUPNAMES | PCRE2_NEVER_BACKSLASH_C, all = 0;
	int err;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &err, &off, NULL);

	if (c && pcre2_pattern_info(c, PCRE2_INFO_ALLOPTIONS, &all) == 0 && (all & PCRE2_UTF)) {
		pcre2_code_free(c);
		c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts | PCRE2_MATCH_INVALID_UTF,
			&err, &off, NULL);
	}
	return c;
}

/* The whole-buffer scan must hand out every line the line-by-line scan names, with the same candidates. */
static void fuzz_buffer(rg_matcher *m, const char *buf, size_t len)
{
	uint64_t active = 1, cand = 0, want = 0;
	rg_mscan *sc;
	size_t ls, le, at = 0;

	if (rg_matcher_any_residual(m, &active))
		return;
	sc = rg_mscan_new(m);
	rg_mscan_buffer(sc, &active, buf, len);
	while (rg_mscan_next_line(&ls, &le, &cand, sc)) {
		/* no line between the last one and this one may have a candidate */
		for (; at < ls; at++) {
			const char *e = memchr(buf + at, '\n', len - at);
			size_t n = e ? (size_t)(e - buf) - at : len - at;

			if (rg_matcher_candidates(&want, m, &active, buf + at, n))
				abort(); /* a line skipped that has a candidate */
			at += n;
		}
		if (at != ls || !rg_matcher_candidates(&want, m, &active, buf + ls, le - ls) || want != cand)
			abort(); /* not a line start, or not the line's candidates */
		at = le + 1;
	}
	for (; at < len; at++) {
		const char *e = memchr(buf + at, '\n', len - at);
		size_t n = e ? (size_t)(e - buf) - at : len - at;

		if (rg_matcher_candidates(&want, m, &active, buf + at, n))
			abort(); /* a line after the last one handed out has a candidate */
		at += n;
	}
	rg_mscan_free(sc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *nl = memchr(text, '\n', size), *p, *end;
	char *pattern;
	rg_matcher *m;
	pcre2_code *ref;
	rg_literals lits;
	int idx;

	if (!nl || memchr(text, 0, (size_t)(nl - text)))
		return 0;
	pattern = rg_strndup(text, (size_t)(nl - text));
	if (rg_pattern_literals(&lits, pattern))
		rg_literals_free(&lits);
	m = rg_matcher_new();
	idx = rg_matcher_add(m, pattern);
	ref = idx >= 0 ? reference_compile(pattern) : NULL;
	for (p = nl + 1, end = text + size; p <= end;) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t n = e ? (size_t)(e - p) : (size_t)(end - p);

		fuzz_line(m, idx, ref, p, n);
		p += n + 1;
	}
	if (idx >= 0)
		fuzz_buffer(m, nl + 1, (size_t)(text + size - nl - 1));
	pcre2_code_free(ref);
	rg_matcher_free(m);
	free(pattern);
	return 0;
}
