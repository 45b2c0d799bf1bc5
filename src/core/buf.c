/* buf.c: growable NUL-terminated byte buffer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"

void rg_buf_grow(rg_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->alloc)
		return;
	if (need < 64)
		need = 64;
	if (need < b->alloc * 2)
		need = b->alloc * 2;
	b->ptr = rg_realloc(b->ptr, need);
	b->alloc = need;
}

void rg_buf_put(rg_buf *b, const char *data, size_t len)
{
	rg_buf_grow(b, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void rg_buf_puts(rg_buf *b, const char *s)
{
	rg_buf_put(b, s, strlen(s));
}

void rg_buf_putc(rg_buf *b, char c)
{
	rg_buf_put(b, &c, 1);
}

void rg_buf_vprintf(rg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	rg_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void rg_buf_printf(rg_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rg_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void rg_buf_clear(rg_buf *b)
{
	rg_buf_truncate(b, 0);
}

void rg_buf_truncate(rg_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

char *rg_buf_detach(rg_buf *b)
{
	char *p = b->ptr ? b->ptr : rg_strdup("");

	b->ptr = NULL;
	b->len = b->alloc = 0;
	return p;
}

void rg_buf_dispose(rg_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->alloc = 0;
}

int rg_buf_read_stream(rg_buf *b, FILE *f, size_t max)
{
	char chunk[8192];
	size_t n, start = b->len;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (max && b->len - start + n > max) {
			rg_buf_put(b, chunk, max - (b->len - start));
			return 1;
		}
		rg_buf_put(b, chunk, n);
	}
	return ferror(f) ? RG_ERROR : 0;
}

int rg_buf_read_file(rg_buf *b, const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	int r, saved;

	if (!f)
		return RG_ENOTFOUND;
	r = rg_buf_read_stream(b, f, max);
	saved = errno;
	fclose(f);
	errno = saved;
	return r;
}

const char *rg_buf_cstr(const rg_buf *b)
{
	return b->ptr ? b->ptr : "";
}

static size_t utf8_len(const unsigned char *p)
{
	size_t n, i;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) { n = 2; cp = p[0] & 0x1f; }
	else if ((p[0] & 0xf0) == 0xe0) { n = 3; cp = p[0] & 0x0f; }
	else if ((p[0] & 0xf8) == 0xf0) { n = 4; cp = p[0] & 0x07; }
	else return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * A byte a terminal may act on (C0 controls, DEL) or that is not text (not
 * part of valid UTF-8); the C1 controls U+0080..U+009F count too, as some
 * terminals act on them. *n is the length of what starts at p: the byte,
 * or the valid UTF-8 sequence.
 */
static int shquote_unsafe(size_t *n, const unsigned char *p)
{
	*n = utf8_len(p);
	if (*n == 0) {
		*n = 1;
		return 1;
	}
	if (*n == 1)
		return *p < 0x20 || *p == 0x7f;
	return *n == 2 && p[0] == 0xc2 && p[1] < 0xa0;
}

size_t rg_utf8_char(const char *p, int *unsafe)
{
	size_t n;

	*unsafe = shquote_unsafe(&n, (const unsigned char *)p);
	return n;
}

void rg_buf_put_escaped(rg_buf *b, const char *s, size_t n, int keep_tab)
{
	size_t i = 0, k, len;
	int unsafe;

	while (i < n) {
		len = rg_utf8_char(s + i, &unsafe);
		if (i + len > n)
			len = n - i, unsafe = 1;
		if (!unsafe || (keep_tab && s[i] == '\t'))
			rg_buf_put(b, s + i, len);
		else
			for (k = 0; k < len; k++)
				rg_buf_printf(b, "\\%03o", (unsigned char)s[i + k]);
		i += len;
	}
}

void rg_buf_shquote(rg_buf *b, const char *s)
{
	const unsigned char *p;
	int plain = *s != '\0' && *s != '-', unsafe = 0;
	size_t n;

	for (p = (const unsigned char *)s; *p; p += n) {
		if (shquote_unsafe(&n, p))
			unsafe = 1;
		if (!(strchr("/._-+:,@%=", *p) || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			plain = 0;
	}
	if (plain) {
		rg_buf_puts(b, s);
		return;
	}
	if (!unsafe) {
		rg_buf_putc(b, '\'');
		for (p = (const unsigned char *)s; *p; p++) {
			if (*p == '\'')
				rg_buf_puts(b, "'\\''");
			else
				rg_buf_putc(b, (char)*p);
		}
		rg_buf_putc(b, '\'');
		return;
	}
	/* bash/zsh/ksh93 ANSI-C quoting: nothing raw reaches the terminal, the shell gets the bytes */
	rg_buf_puts(b, "$'");
	for (p = (const unsigned char *)s; *p; p += n) {
		int unsafe_here = shquote_unsafe(&n, p);
		size_t i;

		switch (*p) {
		case '\n': rg_buf_puts(b, "\\n"); break;
		case '\t': rg_buf_puts(b, "\\t"); break;
		case '\'': rg_buf_puts(b, "\\'"); break;
		case '\\': rg_buf_puts(b, "\\\\"); break;
		default:
			if (!unsafe_here) {
				rg_buf_put(b, (const char *)p, n);
				break;
			}
			for (i = 0; i < n; i++)
				rg_buf_printf(b, "\\%03o", p[i]);
		}
	}
	rg_buf_putc(b, '\'');
}

void rg_buf_put_utf8(rg_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_len(p);

		if (n == 0) {
			rg_buf_puts(b, "\xef\xbf\xbd"); /* U+FFFD */
			p++;
		} else {
			rg_buf_put(b, (const char *)p, n);
			p += n;
		}
	}
}

/*
 * JSON string literal, quotes included. Invalid UTF-8 (paths and lines are
 * arbitrary bytes) becomes U+FFFD, so the output is always valid JSON; control
 * characters (C0, DEL, C1) are \u escapes.
 */
int rg_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (; *p; p += n)
		if ((n = utf8_len(p)) == 0)
			return 0;
	return 1;
}

void rg_buf_base64(rg_buf *b, const void *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		rg_buf_putc(b, abc[s[i] >> 2]);
		rg_buf_putc(b, abc[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		rg_buf_putc(b, abc[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)]);
		rg_buf_putc(b, abc[s[i + 2] & 63]);
	}
	if (n - i == 1) {
		rg_buf_putc(b, abc[s[i] >> 2]);
		rg_buf_putc(b, abc[(s[i] & 3) << 4]);
		rg_buf_puts(b, "==");
	} else if (n - i == 2) {
		rg_buf_putc(b, abc[s[i] >> 2]);
		rg_buf_putc(b, abc[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		rg_buf_putc(b, abc[(s[i + 1] & 15) << 2]);
		rg_buf_putc(b, '=');
	}
}

void rg_buf_json_str(rg_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	rg_buf_putc(b, '"');
	while (*p) {
		size_t n = utf8_len(p);

		if (n == 0) {
			rg_buf_puts(b, "\\ufffd");
			p++;
			continue;
		}
		if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
			rg_buf_printf(b, "\\u%04x", p[1]); /* a C1 control, U+0080..U+009F */
			p += n;
			continue;
		}
		if (n > 1) {
			rg_buf_put(b, (const char *)p, n);
			p += n;
			continue;
		}
		switch (*p) {
		case '"': rg_buf_puts(b, "\\\""); break;
		case '\\': rg_buf_puts(b, "\\\\"); break;
		case '\n': rg_buf_puts(b, "\\n"); break;
		case '\r': rg_buf_puts(b, "\\r"); break;
		case '\t': rg_buf_puts(b, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				rg_buf_printf(b, "\\u%04x", *p);
			else
				rg_buf_putc(b, (char)*p);
		}
		p++;
	}
	rg_buf_putc(b, '"');
}

static int rg_cquote_needed(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
			return 1;
	return 0;
}

void rg_buf_cquote(rg_buf *b, const char *s)
{
	const unsigned char *p;

	if (!rg_cquote_needed(s)) {
		rg_buf_puts(b, s);
		return;
	}
	rg_buf_putc(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': rg_buf_puts(b, "\\\""); break;
		case '\\': rg_buf_puts(b, "\\\\"); break;
		case '\n': rg_buf_puts(b, "\\n"); break;
		case '\t': rg_buf_puts(b, "\\t"); break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				rg_buf_printf(b, "\\%03o", *p);
			else
				rg_buf_putc(b, (char)*p);
		}
	}
	rg_buf_putc(b, '"');
}

static int buf_unescape(char *out, const char **p)
{
	static const char from[] = "\\\"abfnrtv", to[] = "\\\"\a\b\f\n\r\t\v";
	const char *s = *p, *hit = *s ? strchr(from, *s) : NULL;

	if (hit) {
		*out = to[hit - from];
		*p = s + 1;
		return 0;
	}
	if (s[0] < '0' || s[0] > '3' || s[1] < '0' || s[1] > '7' || s[2] < '0' || s[2] > '7')
		return -1;
	*out = (char)(((s[0] - '0') << 6) | ((s[1] - '0') << 3) | (s[2] - '0'));
	*p = s + 3;
	return 0;
}

int rg_buf_unquote_c(rg_buf *b, const char *s, const char **end)
{
	size_t had = b->len;
	const char *p = s + 1;

	if (*s != '"')
		return RG_ERROR;
	while (*p && *p != '"') {
		char c = *p++;

		if (c == '\\' && buf_unescape(&c, &p) < 0)
			break;
		rg_buf_putc(b, c);
	}
	if (*p != '"') {
		rg_buf_truncate(b, had);
		return RG_ERROR;
	}
	*end = p + 1;
	return RG_OK;
}
