/*
 * utf16.c: UTF-16 to UTF-8 (see include/repoguard/utf16.h).
 *
 * Written here rather than through iconv(3), which the commit-msg hook
 * uses for i18n.commitEncoding: iconv stops at an unpaired surrogate
 * (EILSEQ) and at an odd last byte (EINVAL), so a caller must resynchronise
 * and write U+FFFD itself anyway, and what it accepts differs between C
 * libraries (glibc, musl). Decoding UTF-16 is a dozen lines with one rule
 * for bad input (U+FFFD, never an error), needs no descriptor per thread,
 * and tests/fuzz/fuzz-utf16.c checks it against its definition.
 */
#include <stdint.h>

#include "repoguard/utf16.h"

int rg_utf16_bom(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;

	if (len < 2)
		return RG_UTF16_NONE;
	if (p[0] == 0xfe && p[1] == 0xff)
		return RG_UTF16_BE;
	if (p[0] != 0xff || p[1] != 0xfe)
		return RG_UTF16_NONE;
	if (len >= 4 && !p[2] && !p[3])
		return RG_UTF16_NONE; /* UTF-32LE's BOM: not ours to decode */
	return RG_UTF16_LE;
}

static uint32_t u16_unit(const unsigned char *p, int order)
{
	return order == RG_UTF16_BE ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

static int u16_is_high(uint32_t u)
{
	return u >= 0xd800 && u <= 0xdbff;
}

static int u16_is_low(uint32_t u)
{
	return u >= 0xdc00 && u <= 0xdfff;
}

/* c (a scalar value, never a surrogate) as UTF-8 at o; returns the length. */
static size_t u16_put(unsigned char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (unsigned char)(0xc0 | c >> 6);
		o[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (unsigned char)(0xe0 | c >> 12);
		o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | c >> 18);
	o[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

void rg_utf16_to_utf8(rg_buf *out, const char *data, size_t len, int order)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t n = len / 2, i;
	unsigned char *o;

	/*
	 * One unit makes at most 3 bytes (a pair of 2 units makes 4), and an
	 * odd last byte U+FFFD's 3: room for all of it at once.
	 */
	rg_buf_grow(out, n * 3 + 3);
	o = (unsigned char *)out->ptr + out->len;
	for (i = 0; i < n; i++) {
		uint32_t c = u16_unit(p + 2 * i, order);

		if (u16_is_high(c) && i + 1 < n && u16_is_low(u16_unit(p + 2 * i + 2, order))) {
			c = 0x10000 + ((c - 0xd800) << 10) + (u16_unit(p + 2 * i + 2, order) - 0xdc00);
			i++;
		} else if (u16_is_high(c) || u16_is_low(c)) {
			c = 0xfffd;
		}
		o += u16_put(o, c);
	}
	if (len % 2)
		o += u16_put(o, 0xfffd);
	out->len = (size_t)(o - (unsigned char *)out->ptr);
	out->ptr[out->len] = '\0';
}
