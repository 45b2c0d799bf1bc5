/*
 * fuzz-attr.c: the gitattributes parser and matcher (src/core/attr.c).
 * Input: ATTRIBUTES-TEXT ["\0" PATH ["\0" NAME]]: the text is parsed, then
 * PATH (default "a/b.psd") is looked up for NAME (default "filter").
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/attr.h"
#include "repoguard/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *path = "a/b.psd", *name = "filter";
	const char *nul = memchr(data, 0, size), *v;
	char *p = NULL, *n = NULL, value[16];
	size_t tlen = nul ? (size_t)(nul - text) : size;
	rg_attr_file *f;

	if (nul) {
		const char *rest = nul + 1, *end = text + size;
		const char *nul2 = memchr(rest, 0, (size_t)(end - rest));

		p = rg_strndup(rest, nul2 ? (size_t)(nul2 - rest) : (size_t)(end - rest));
		path = p;
		if (nul2 && nul2 + 1 < end) {
			n = rg_strndup(nul2 + 1, (size_t)(end - nul2 - 1));
			name = n;
		}
	}
	f = rg_attr_parse(text, tlen, "fuzz");
	v = rg_attr_lookup(f, path, name, value, sizeof(value), NULL);
	if (v && v != value && strcmp(v, "set") && strcmp(v, "unset"))
		abort();
	if (v == value && strlen(value) >= sizeof(value))
		abort();
	(void)rg_attr_lookup(f, "x", "diff", value, sizeof(value), "set");
	rg_attr_file_free(f);
	free(p);
	free(n);
	return 0;
}
