/* fuzz-shallow.c: the $GIT_DIR/shallow parser (src/source/walk-shallow.c). */
#include <stdint.h>
#include <stdlib.h>
#include <git2.h>

#include "repoguard/walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	git_oid *ids = NULL;
	size_t n = 0, i;

	if (rg_shallow_parse(&ids, &n, (const char *)data, size) == 0)
		for (i = 1; i < n; i++)
			if (git_oid_cmp(&ids[i - 1], &ids[i]) > 0)
				abort(); /* must come out sorted for bsearch */
	free(ids);
	return 0;
}
