/*
 * matcher.h: a set of PCRE2 patterns matched against lines in one pass.
 *
 * Every pattern is compiled once when it is added, and JIT-compiled once
 * when a scan first runs it (most of a small commit's lines reach few of
 * the built-in patterns; scans on several threads share that). Running each
 * pattern over every line, or one alternation of all of them, is slow:
 * PCRE2's own fast paths (a required first or last code unit, searched with
 * memchr) do not survive an alternation of many patterns, and measured 58
 * MB/s for the built-in secret rules against 1.2 GB/s for any one of them.
 * So the matcher extracts from each pattern a set of literals of which every
 * match must contain one (rg_pattern_literals) and finds all literals of all
 * patterns in one pass (teddy.h: a line, or a whole file, which then only
 * has the lines that hold a literal cut out); only the patterns whose
 * literal occurs on a line are then run on that line. A pattern without a
 * usable literal (e.g. "[0-9]{16}") is run on every line it applies to.
 *
 * Lines are matched without their terminator ("\n" or "\r\n"). Patterns are
 * byte-oriented unless they start with (*UTF), in which case they are
 * recompiled with PCRE2_MATCH_INVALID_UTF so that invalid UTF-8 in a file
 * never errors out.
 */
#ifndef REPOGUARD_MATCHER_H
#define REPOGUARD_MATCHER_H

#include <stddef.h>
#include <stdint.h>

typedef struct rg_matcher rg_matcher;
/* One thread's scan state over a matcher (match data, JIT stack, literal positions). */
typedef struct rg_mscan rg_mscan;

/* A match: the whole match and the span to redact (group "secret", else the match). */
typedef struct {
	size_t start, end;
	size_t secret_start, secret_end;
	int has_secret_group;    /* a group named "secret" took part in the match */
} rg_match;

rg_matcher *rg_matcher_new(void);
void rg_matcher_free(rg_matcher *m);

/*
 * Compile and add a pattern. Returns its index (>= 0), or RG_ECONFIG with
 * "invalid pattern: MESSAGE at offset N" in rg_error_last().
 */
int rg_matcher_add(rg_matcher *m, const char *pattern);
size_t rg_matcher_count(const rg_matcher *m);
/* Does pattern i have a literal prefilter (else it runs on every line)? */
int rg_matcher_prefiltered(const rg_matcher *m, size_t i);

/* Bit sets over pattern indices. */
#define RG_BITS_WORDS(n) (((n) + 63) / 64)
static inline void rg_bit_set(uint64_t *b, size_t i) { b[i >> 6] |= (uint64_t)1 << (i & 63); }
static inline int rg_bit_test(const uint64_t *b, size_t i) { return (int)((b[i >> 6] >> (i & 63)) & 1); }

/*
 * The candidates for one line: patterns in active whose literal occurs in
 * the line, plus active patterns without a prefilter. cand has
 * RG_BITS_WORDS(count) words; returns non-zero when any bit is set. The
 * matcher remembers where the literals occur, for rg_matcher_next on the
 * same line.
 */
int rg_matcher_candidates(uint64_t *cand, rg_matcher *m, const uint64_t *active,
	const char *line, size_t len);

/*
 * Several threads may scan with one matcher, each through its own rg_mscan.
 * Call rg_matcher_ready (or create one rg_mscan) on one thread after the
 * last rg_matcher_add and before the threads start: it builds the literal
 * finder they share. rg_matcher_candidates and rg_matcher_next use the
 * matcher's own scan state, for one thread.
 */
void rg_matcher_ready(rg_matcher *m);
rg_mscan *rg_mscan_new(const rg_matcher *m);
/* The matcher a scan state scans with. */
const rg_matcher *rg_mscan_matcher(const rg_mscan *s);
void rg_mscan_free(rg_mscan *s);
int rg_mscan_candidates(uint64_t *cand, rg_mscan *s, const uint64_t *active, const char *line, size_t len);
int rg_mscan_next(rg_match *out, rg_mscan *s, size_t i, const char *line, size_t len, size_t *from);

/*
 * Whole buffers: rg_mscan_buffer finds, in one pass, where the literals of
 * active patterns occur in buf (which must outlive the scan); then each
 * rg_mscan_next_line gives the next line they occur on: 1 with its bounds
 * ([*line_start, *line_end), without the newline) and its candidates in
 * cand (as rg_mscan_candidates would set them for the line), 0 after the
 * last. Lines are skipped without being split, so this is only for
 * patterns that all have a prefilter: see rg_matcher_any_residual.
 */
void rg_mscan_buffer(rg_mscan *s, const uint64_t *active, const char *buf, size_t len);
int rg_mscan_next_line(size_t *line_start, size_t *line_end, uint64_t *cand, rg_mscan *s);
/* Is any active pattern without a prefilter (so that every line must be tried)? */
int rg_matcher_any_residual(const rg_matcher *m, const uint64_t *active);

/*
 * Find the next match of pattern i in line at or after offset *from.
 * Returns 1 with *out filled and *from advanced past it, 0 when there is no
 * further match, or RG_ERROR when PCRE2 gave up (match or depth limit) with
 * the reason in rg_error_last().
 */
int rg_matcher_next(rg_match *out, rg_matcher *m, size_t i, const char *line, size_t len, size_t *from);

/* Literals of which every match of a pattern contains one (literals.c). */
#define RG_LITERAL_MAX 64    /* longest literal kept (a required substring of a longer one is one too) */
typedef struct {
	char *s;             /* lower-cased when the set is caseless */
	size_t len;
	int anchored;        /* can only occur at the start of the line */
} rg_literal;

typedef struct {
	rg_literal *v;
	size_t n;
	int caseless;        /* compare ignoring ASCII case */
	int leading;         /* every match starts with one of them: try the pattern only there */
	/*
	 * Bytes of which every match also holds one (nreq 0: none known), e.g.
	 * ':' and '=' for "password\s*[:=]": a line holding the literal but none
	 * of them is no candidate. Compared ignoring case when caseless.
	 */
	char req[8];
	size_t nreq;
	/* a second set, not holding or held by req: a match also holds one of these (nreq2 0: none) */
	char req2[8];
	size_t nreq2;
} rg_literals;

/* 1 with *out filled (free with rg_literals_free), 0 when the pattern has no usable literals. */
int rg_pattern_literals(rg_literals *out, const char *pattern);
void rg_literals_free(rg_literals *l);

#endif
