/*
 * teddy.h: find where any of a set of literals occurs in a buffer, many
 * bytes at a time.
 *
 * The content rules' prefilter looked every byte pair of every line up in a
 * table: 0.7 GB/s, two thirds of a pre-commit over 100 MB of staged text
 * (bench/content.sh). This is the "Teddy" algorithm of Hyperscan and of
 * Rust's aho-corasick crate, written here because neither is a C library
 * that Debian ships on every architecture: each literal gets a fingerprint
 * of 2 or 3 consecutive bytes and one of 16 buckets; two nibble tables per
 * fingerprint byte say which buckets a byte may belong to, and AVX2 shuffles
 * look 16 positions up in all 16 buckets at once (8 buckets in each 128-bit
 * lane). Candidate positions are then compared with
 * the literals of their buckets. Without AVX2 (or off x86-64) the same
 * tables drive a byte-at-a-time loop.
 */
#ifndef REPOGUARD_TEDDY_H
#define REPOGUARD_TEDDY_H

#include <stddef.h>
#include <stdint.h>

typedef struct rg_teddy rg_teddy;

rg_teddy *rg_teddy_new(void);
void rg_teddy_free(rg_teddy *t);
/*
 * Add a literal (at least 2 bytes; copied). caseless: ASCII letters match
 * either case (s is then lower case). id is the caller's.
 */
void rg_teddy_add(rg_teddy *t, const char *s, size_t len, int caseless, uint32_t id);
/* Build the tables; call after the last rg_teddy_add, before any rg_teddy_find. */
void rg_teddy_build(rg_teddy *t);

/*
 * The start at or after from of a literal within buf[0, len) that accept
 * (may be NULL) accepts, with *id set; len when there is none. Only
 * literals whose fingerprint is at or after scan are seen (scan <= from
 * sees all). With earliest, the earliest such start; else the one whose
 * fingerprint comes first, which may start a few bytes after the earliest
 * but never on a later line (no literal holds a newline). accept is called
 * once per occurrence and id tried, in any order; an accept that always
 * answers 0 sees every occurrence.
 */
size_t rg_teddy_find(const rg_teddy *t, const char *buf, size_t len, size_t scan, size_t from, int earliest,
	int (*accept)(void *arg, uint32_t id, size_t start), void *arg, uint32_t *id);

/* Use the byte-at-a-time loop even where AVX2 is there (tests compare the two). */
void rg_teddy_force_scalar(int on);

#endif
