/*
 * fuzz-attr.c: the gitattributes parser and matcher (src/core/attr.c).
 * Input: ATTRIBUTES-TEXT ["\0" PATH ["\0" NAME]]: the text is parsed, then
 * PATH (default "a/b.psd") is looked up for NAME (default "filter") with the
 * text as the root's, PATH's first directory's and (odd sizes) info/attributes.
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
	rg_attr_level lv[2];
	rg_attr_stack st;

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
	/* the same file as root and as a subdirectory's, and as info/attributes: macros from both places */
	lv[0].len = 0;
	lv[0].file = f;
	lv[1].len = strcspn(path, "/") + (path[strcspn(path, "/")] == '/');
	lv[1].file = f;
	memset(&st, 0, sizeof(st));
	st.tree = lv;
	st.ntree = 2;
	st.info = size & 1 ? f : NULL;
	v = rg_attr_get(&st, path, name, value, sizeof(value));
	if (v && v != value && strcmp(v, "set") && strcmp(v, "unset"))
		abort();
	if (v == value && strlen(value) >= sizeof(value))
		abort();
	st.ntree = 1; /* "x" is at the root: only the root level is one of its directories */
	(void)rg_attr_get(&st, "x", "diff", value, sizeof(value));
	rg_attr_file_free(f);
	free(p);
	free(n);
	return 0;
}
