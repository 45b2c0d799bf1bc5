/* buf.c: growable NUL-terminated byte buffer. */
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

const char *rg_buf_cstr(const rg_buf *b)
{
	return b->ptr ? b->ptr : "";
}

void rg_buf_shquote(rg_buf *b, const char *s)
{
	const char *p;
	int plain = *s != '\0' && *s != '-';

	for (p = s; *p && plain; p++)
		if (!(strchr("/._-+:,@%=", *p) || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			plain = 0;
	if (plain) {
		rg_buf_puts(b, s);
		return;
	}
	rg_buf_putc(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'')
			rg_buf_puts(b, "'\\''");
		else
			rg_buf_putc(b, *p);
	}
	rg_buf_putc(b, '\'');
}

void rg_buf_json_str(rg_buf *b, const char *s)
{
	const unsigned char *p;

	rg_buf_putc(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
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
