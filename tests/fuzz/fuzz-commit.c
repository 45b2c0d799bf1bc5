/* fuzz-commit.c: the commit header and shallow file parsers on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "repoguard/objparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_commit_hdr h;
	git_oid *v = NULL;
	size_t n, i;

	if (rg_commit_parse(&h, (const char *)data, size) == 0)
		rg_commit_hdr_free(&h);
	n = rg_shallow_parse(&v, (const char *)data, size);
	for (i = 1; i < n; i++)
		if (git_oid_cmp(&v[i - 1], &v[i]) > 0)
			__builtin_trap(); /* must come out sorted */
	for (i = 0; i < n; i++)
		if (!rg_oid_in_sorted(v, n, &v[i]))
			__builtin_trap();
	free(v);
	return 0;
}
