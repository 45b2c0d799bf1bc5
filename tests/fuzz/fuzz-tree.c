/*
 * fuzz-tree.c: the raw tree parsers on arbitrary bytes: rg_tree_next (the
 * full parse), rg_tree_find (the look-up that steps over entries) and
 * rg_tree_skip (the diff's prefix skip). On input that parses cleanly, with
 * names in git's order and distinct, rg_tree_find must answer as a linear
 * search with rg_tree_next, and rg_tree_skip must land on an entry boundary.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "repoguard/objparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXB 64

/* Entry boundaries of a clean, sorted tree in b[0..*nb); 0 when it is not one. */
static int clean_tree(const char *d, size_t size, size_t *b, size_t *nb)
{
	rg_tree_ent e, prev;
	size_t pos = 0;
	int r, have = 0;

	*nb = 0;
	while ((r = rg_tree_next(&e, d, size, &pos)) == 1) {
		if (have && rg_tree_name_cmp(prev.name, prev.name_len, RG_MODE_TYPE(prev.mode) == RG_MODE_TREE,
				e.name, e.name_len, RG_MODE_TYPE(e.mode) == RG_MODE_TREE) >= 0)
			return 0;
		if (have && prev.name_len == e.name_len && !memcmp(prev.name, e.name, e.name_len))
			return 0;
		if (*nb < MAXB)
			b[(*nb)++] = pos;
		prev = e;
		have = 1;
	}
	return r == 0 && *nb < MAXB;
}

static void check_find(const char *d, size_t size, const char *name, size_t len, int clean)
{
	rg_tree_ent e, x;
	size_t pos = 0;
	int r = rg_tree_find(&e, d, size, name, len), want = 0;

	if (r == 1 && (e.name < d || e.name + e.name_len > d + size || e.name_len != len ||
	    memcmp(e.name, name, len) || (const char *)e.id + GIT_OID_RAWSZ > d + size))
		__builtin_trap();
	if (!clean)
		return;
	while (rg_tree_next(&x, d, size, &pos) == 1)
		if (x.name_len == len && !memcmp(x.name, name, len))
			want = 1;
	if (r != want)
		__builtin_trap(); /* a clean tree: found exactly when a linear search finds it */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	rg_tree_ent e;
	size_t pos = 0, n = 0, b[MAXB], nb = 0, i, p, s;
	int r, clean;

	while ((r = rg_tree_next(&e, d, size, &pos)) == 1) {
		/* every entry lies inside the input and has a name without '/' */
		if (e.name < d || e.name + e.name_len > d + size ||
		    memchr(e.name, '/', e.name_len) || e.id + GIT_OID_RAWSZ > data + size || pos > size)
			__builtin_trap();
		if (++n > size)
			__builtin_trap(); /* no progress */
	}
	clean = clean_tree(d, size, b, &nb);
	/* look up each entry's name, and names around them */
	pos = 0;
	for (i = 0; i < 8 && rg_tree_next(&e, d, size, &pos) == 1; i++) {
		check_find(d, size, e.name, e.name_len, clean);
		if (e.name_len > 1)
			check_find(d, size, e.name, e.name_len - 1, clean);
	}
	check_find(d, size, "a", 1, clean);
	check_find(d, size, ".gitattributes", 14, clean);
	/* the skip ends at or before p, and on a boundary of a clean tree */
	for (p = 0; p <= size; p += size / 7 + 1) {
		s = rg_tree_skip(d, p);
		if (s > p)
			__builtin_trap();
		if (clean && s) {
			for (i = 0; i < nb && b[i] != s; i++)
				;
			if (i == nb)
				__builtin_trap();
		}
	}
	return 0;
}
