/*
 * fuzz-imports.c: libFuzzer target for the JS/TS import parser: the masking
 * lexer (both dialects: with and without JSX), the import and route
 * patterns, and specifier resolution.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/imports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static rg_import_parser *parser;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const rg_import_alias aliases[] = { { "@/", "src/" }, { "~", "app" } };
	rg_import_list l = { 0 };
	rg_route_list routes = { 0 };
	rg_buf base = RG_BUF_INIT, cand = RG_BUF_INIT;
	char *mask = malloc(size ? size : 1);
	/* the first byte picks the dialect: .ts, or .tsx / .jsx / .js */
	unsigned int flags = size && (data[0] & 1) ? 0 : RG_JS_JSX, f;
	size_t i, j;

	if (!parser && rg_import_parser_new(&parser) < 0)
		abort();
	/* the mask keeps every offset and every newline, and only ever blanks bytes */
	for (f = 0; f <= RG_JS_JSX; f += RG_JS_JSX) {
		rg_js_mask(mask, (const char *)data, size, f);
		for (i = 0; i < size; i++)
			if ((data[i] == '\n') != (mask[i] == '\n') ||
			    (mask[i] != (char)data[i] && mask[i] != ' '))
				abort();
	}
	free(mask);
	if (rg_import_parse(&l, parser, (const char *)data, size, flags) < 0)
		abort();
	for (i = 0; i < l.n; i++) {
		if (!l.v[i].spec[0] || l.v[i].line < 1)
			abort();
		if (rg_import_base(&base, "src/pages/a/index.tsx", l.v[i].spec, aliases, 2) < 0)
			continue;
		if (!base.len || base.ptr[0] == '/' || strstr(base.ptr, "//"))
			abort();
		for (j = 0; rg_import_candidate(&cand, base.ptr, j) == 0; j++)
			;
	}
	rg_import_list_free(&l);
	if (rg_route_parse(&routes, parser, (const char *)data, size, flags) < 0)
		abort();
	rg_route_list_free(&routes);
	rg_buf_dispose(&base);
	rg_buf_dispose(&cand);
	return 0;
}
