/*
 * fuzz-index.c: rg_index_parse on arbitrary bytes, and the split-index merge.
 * Input: an index image, or FRONT "\0RGBASE\0" BASE (a split index's front
 * file and its shared index). Every parsed index is then searched for each
 * of its own paths and its cache-tree walked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/index.h"

static const char sep[] = "\0RGBASE\0";
#define SEP_LEN 8

static size_t walk_tree(const rg_cache_tree *t)
{
	size_t i, n = 1;

	for (i = 0; t && i < t->nsub; i++)
		n += walk_tree(t->sub[i]);
	return n;
}

static void exercise(const rg_index *idx)
{
	size_t i;

	for (i = 0; i < idx->n; i++) {
		const rg_index_entry *e = &idx->entries[i];
		const rg_index_entry *f = rg_index_find(idx, e->path);

		if (e->stage == 0 && f != e)
			abort(); /* a sorted index finds every stage-0 entry */
		(void)rg_index_lower_bound(idx, e->path, e->path_len);
	}
	(void)rg_index_find(idx, "a/b");
	(void)walk_tree(idx->tree);
}

static const unsigned char *find_sep(const uint8_t *data, size_t size)
{
	size_t i;

	for (i = 0; i + SEP_LEN <= size; i++)
		if (!memcmp(data + i, sep, SEP_LEN))
			return data + i;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *s = find_sep(data, size);
	rg_index idx, *base;
	size_t flen = s ? (size_t)(s - data) : size;

	memset(&idx, 0, sizeof(idx));
	if (rg_index_parse(&idx, data, flen) == RG_OK) {
		if (idx.split && s) {
			base = calloc(1, sizeof(*base));
			if (rg_index_parse(base, s + SEP_LEN, size - flen - SEP_LEN) != RG_OK) {
				rg_index_free(base);
				free(base);
			} else if (rg_index_merge_base(&idx, base) == RG_OK) {
				exercise(&idx);
			}
		} else if (!idx.split) {
			exercise(&idx);
		}
	}
	rg_index_free(&idx);
	return 0;
}
