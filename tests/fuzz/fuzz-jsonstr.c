/*
 * fuzz-jsonstr.c: the JSON string writer of every JSON report
 * (rg_buf_json_str, src/core/buf.c): any bytes in, valid UTF-8 without raw control
 * characters out, so that a path of arbitrary bytes never breaks the log.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t valid_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t len = p[i] < 0x80 ? 1 : (p[i] & 0xe0) == 0xc0 ? 2 : (p[i] & 0xf0) == 0xe0 ? 3 :
			(p[i] & 0xf8) == 0xf0 ? 4 : 0;
		size_t k;

		if (!len || i + len > n)
			return 0;
		for (k = 1; k < len; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
		if (len == 1 && p[i] < 0x20)
			return 0;
		i += len;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	rg_buf b = RG_BUF_INIT;

	memcpy(s, data, size);
	s[size] = '\0';
	rg_buf_json_str(&b, s);
	if (b.len < 2 || b.ptr[0] != '"' || b.ptr[b.len - 1] != '"' ||
	    !valid_utf8((const unsigned char *)b.ptr, b.len))
		abort();
	rg_buf_dispose(&b);
	free(s);
	return 0;
}
