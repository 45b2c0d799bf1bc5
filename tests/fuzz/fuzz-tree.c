/* fuzz-tree.c: the raw tree parser (rg_tree_next) on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "repoguard/objparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_tree_ent e;
	size_t pos = 0, n = 0;
	int r;

	while ((r = rg_tree_next(&e, (const char *)data, size, &pos)) == 1) {
		/* every entry lies inside the input and has a name without '/' */
		if (e.name < (const char *)data || e.name + e.name_len > (const char *)data + size ||
		    memchr(e.name, '/', e.name_len) || e.id + GIT_OID_RAWSZ > data + size || pos > size)
			__builtin_trap();
		if (++n > size)
			__builtin_trap(); /* no progress */
	}
	return 0;
}
