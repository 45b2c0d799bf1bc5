/* fuzz-commit.c: the commit header parser on arbitrary bytes (and where it says the message starts). */
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
		/* the message starts after the header's blank line, or is absent (size) */
		if (h.message > size || (h.message < size &&
		    (h.message < 2 || data[h.message - 1] != '\n' || data[h.message - 2] != '\n')))
			__builtin_trap();
		rg_commit_hdr_free(&h);
	}
	return 0;
}
