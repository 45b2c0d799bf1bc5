/* fuzz-dockerfile.c: the COPY / ADD source reader of `repoguard init`. */
#include <stddef.h>
#include <stdint.h>

#include "repoguard/config.h"
#include "repoguard/deploy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_strv_free(rg_dockerfile_sources((const char *)data, size));
	return 0;
}
