/*
 * fuzz-wildmatch.c: rg_wildmatch and gitignore-style pattern lists.
 * Input: FLAGS-BYTE PATTERNS "\0" PATH ["\0" ...]: the first byte picks the
 * wildmatch flags and isdir, PATTERNS is a whitespace-separated list.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/glob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *pat, *path;
	const rg_pattern *by = NULL;
	rg_patlist l;
	size_t dirlen = 0, i;
	unsigned flags;

	if (size < 1 || size > 4096)
		return 0;
	flags = data[0];
	buf = malloc(size + 1);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	pat = buf;
	path = pat + strlen(pat) + 1 <= buf + size - 1 ? pat + strlen(pat) + 1 : buf + size - 1;
	if (path > buf + size - 1)
		path = buf + size - 1;
	(void)rg_wildmatch(pat, path, flags & (RG_WM_PATHNAME | RG_WM_CASEFOLD));
	memset(&l, 0, sizeof(l));
	if (rg_patlist_add_words(&l, pat, "fuzz", 1) == RG_OK) {
		int m = rg_patlist_match(&l, path, !!(flags & 4), &dirlen, &by);

		if (m && (!by || dirlen > strlen(path)))
			abort();
		(void)rg_patlist_match1(&l, path, !!(flags & 4), NULL);
		for (i = 0; i < l.n; i++)
			(void)rg_wildmatch(l.v[i].pattern, path, RG_WM_PATHNAME);
	}
	rg_patlist_free(&l);
	memset(&l, 0, sizeof(l));
	if (*pat && rg_patlist_add(&l, pat, "fuzz", 1) == RG_OK)
		(void)rg_patlist_match(&l, path, 0, NULL, NULL);
	rg_patlist_free(&l);
	(void)rg_pattern_is_literal(pat);
	free(buf);
	return 0;
}
