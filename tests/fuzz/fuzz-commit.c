/* fuzz-commit.c: the commit header parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "repoguard/objparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_commit_hdr h;
	size_t i;

	if (rg_commit_parse(&h, (const char *)data, size) == 0) {
		for (i = 0; i < h.nparents; i++)
			if (git_oid_is_zero(&h.parents[i]) && !h.parents)
				__builtin_trap();
		rg_commit_hdr_free(&h);
	}
	return 0;
}
