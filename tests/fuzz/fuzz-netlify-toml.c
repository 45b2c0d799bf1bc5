/* fuzz-netlify-toml.c: the netlify.toml reader of `repoguard init`. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "repoguard/deploy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *base = NULL;

	rg_netlify_base(&base, (const char *)data, size);
	free(base);
	return 0;
}
