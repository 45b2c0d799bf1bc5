/* fuzz-updates.c: the pre-push and pre-receive stdin parsers (src/core/updates.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/updates.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const rg_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nupdates; i++) {
		/* every parsed update names a ref without whitespace */
		const char *r = ctx->updates[i].ref;

		if (!r || !*r || strpbrk(r, " \t\n"))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	rg_updates_parse_push(&ctx, (const char *)data, size);
	check(&ctx);
	rg_ctx_free(&ctx);
	memset(&ctx, 0, sizeof(ctx));
	rg_updates_parse_receive(&ctx, (const char *)data, size);
	check(&ctx);
	rg_ctx_free(&ctx);
	return 0;
}
