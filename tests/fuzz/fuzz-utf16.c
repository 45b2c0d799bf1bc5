/*
 * fuzz-utf16.c: the UTF-16 decoder of the line rules (src/core/utf16.c).
 * Any bytes in, in both byte orders: the output is valid UTF-8 (shortest
 * forms, no surrogate), and encoding it back to UTF-16 gives the input
 * again, except that each unpaired surrogate, and an odd last byte, came
 * out as U+FFFD. Then the content scan's entry point on the same bytes
 * behind a BOM (rg_content_decode) agrees with the decoder.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/content.h"
#include "repoguard/utf16.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next scalar value of valid UTF-8 at p (shortest form, no surrogate), or abort. */
static uint32_t next_utf8(const unsigned char *p, size_t n, size_t *i)
{
	unsigned char b = p[*i];
	size_t len = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 0;
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	uint32_t c;
	size_t k;

	if (!len || *i + len > n)
		abort();
	c = len == 1 ? b : b & (0xff >> (len + 1));
	for (k = 1; k < len; k++) {
		if ((p[*i + k] & 0xc0) != 0x80)
			abort();
		c = c << 6 | (p[*i + k] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		abort();
	*i += len;
	return c;
}

static uint32_t unit_at(const uint8_t *p, int order)
{
	return order == RG_UTF16_BE ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

static void check(const uint8_t *data, size_t size, int order)
{
	rg_buf b = RG_BUF_INIT;
	const unsigned char *o;
	size_t i = 0, u = 0, n = size / 2;

	rg_utf16_to_utf8(&b, (const char *)data, size, order);
	o = (const unsigned char *)b.ptr;
	if (b.ptr[b.len] != '\0')
		abort();
	while (i < b.len) {
		uint32_t c = next_utf8(o, b.len, &i), w;

		if (u < n && c >= 0x10000) { /* a pair, as it was */
			uint32_t hi = 0xd800 + ((c - 0x10000) >> 10), lo = 0xdc00 + ((c - 0x10000) & 0x3ff);

			if (u + 1 >= n || unit_at(data + 2 * u, order) != hi || unit_at(data + 2 * u + 2, order) != lo)
				abort();
			u += 2;
			continue;
		}
		if (u == n) { /* past the last unit: only the odd byte's U+FFFD */
			if (c != 0xfffd || size % 2 == 0 || i != b.len)
				abort();
			u++;
			continue;
		}
		w = unit_at(data + 2 * u, order);
		if (w != c && !(c == 0xfffd && w >= 0xd800 && w <= 0xdfff))
			abort();
		/* a high surrogate came out as U+FFFD only when no low one follows */
		if (w >= 0xd800 && w <= 0xdbff && u + 1 < n) {
			uint32_t next = unit_at(data + 2 * u + 2, order);

			if (next >= 0xdc00 && next <= 0xdfff)
				abort();
		}
		u++;
	}
	if (u != n + size % 2)
		abort();
	rg_buf_dispose(&b);
}

/* rg_content_decode on the bytes behind a BOM: the same text as the decoder's, the BOM dropped. */
static void check_content(const uint8_t *data, size_t size, int order)
{
	uint8_t *in = malloc(size + 2);
	rg_buf dec = RG_BUF_INIT, want = RG_BUF_INIT;
	const char *text = (const char *)in;
	size_t len = size + 2;
	int expect = order == RG_UTF16_BE || size < 2 || data[0] || data[1];

	in[0] = order == RG_UTF16_BE ? 0xfe : 0xff;
	in[1] = order == RG_UTF16_BE ? 0xff : 0xfe;
	if (size)
		memcpy(in + 2, data, size);
	if (rg_content_decode(&dec, &text, &len) != expect)
		abort();
	if (expect) {
		rg_utf16_to_utf8(&want, (const char *)data, size, order);
		if (len != want.len || text != dec.ptr || memcmp(text, want.ptr, len))
			abort();
	} else if (text != (const char *)in || len != size + 2) {
		abort(); /* UTF-32LE's BOM: left alone */
	}
	rg_buf_dispose(&want);
	rg_buf_dispose(&dec);
	free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, RG_UTF16_LE);
	check(data, size, RG_UTF16_BE);
	check_content(data, size, RG_UTF16_LE);
	check_content(data, size, RG_UTF16_BE);
	return 0;
}
