/*
 * fastpat.h: a pattern list compiled for the history walker's inner loop.
 *
 * The walker tests every entry of every distinct tree of a history against
 * the block and secret patterns: tens of millions of tests on a large
 * history, where rg_wildmatch for each pattern would cost more than the walk
 * itself. Most patterns are a literal name ("node_modules"), a suffix
 * ("*.pem") or a prefix (".env.*"); those are compared directly, the rest go
 * to rg_wildmatch. The result is exactly rg_patlist_match1's.
 */
#ifndef REPOGUARD_FASTPAT_H
#define REPOGUARD_FASTPAT_H

#include <stddef.h>
#include "repoguard/glob.h"

enum { RG_FP_EXACT, RG_FP_SUFFIX, RG_FP_PREFIX, RG_FP_GENERIC };

typedef struct {
	const rg_pattern *p;
	int kind;
	int base;        /* matched against the last path component */
	const char *lit; /* literal part (EXACT, SUFFIX, PREFIX) or wildmatch pattern */
	size_t len;
} rg_fastpat;

typedef struct {
	rg_fastpat *v;
	size_t n;
	int path_dependent; /* some pattern looks at more than the last component */
} rg_fastpats;

void rg_fastpats_init(rg_fastpats *f, const rg_patlist *l);
void rg_fastpats_free(rg_fastpats *f);
/*
 * As rg_patlist_match1(l, path, isdir): 1 match, 0 re-included by a '!'
 * pattern, -1 undecided; *which is the deciding pattern's index. base is
 * the last component of path (a suffix of it).
 */
int rg_fastpats_match1(const rg_fastpats *f, const char *path, size_t plen,
	const char *base, size_t blen, int isdir, size_t *which);

#endif
