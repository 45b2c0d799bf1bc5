/*
 * content-text.c: what the line rules do with a file's and a line's text:
 * binary detection, UTF-16 decoding, "repoguard:allow" comments, and
 * redacted one-line excerpts.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/content.h"
#include "repoguard/utf16.h"

#define CT_BINARY_PROBE 8000     /* git's buffer_is_binary() looks this far */
#define CT_EXCERPT_WIDTH 100
#define CT_EXCERPT_BEFORE 30
#define CT_MAX_STARS 12

int rg_content_is_binary(const char *data, size_t len)
{
	if (!len)
		return 0; /* an empty blob's content may be NULL */
	return memchr(data, 0, len < CT_BINARY_PROBE ? len : CT_BINARY_PROBE) != NULL;
}

/*
 * Windows PowerShell 5's ">", regedit and many Windows editors write
 * UTF-16LE with a BOM: its NUL bytes would have the file skipped as
 * binary, and a key pasted into it missed. Decoded, it is checked as any
 * text: its line breaks are the same lines, so line numbers hold. A UTF-8
 * BOM (Notepad's "UTF-8 with BOM", Visual Studio's default) is not part of
 * line 1 either: left there, it stood before a ^-anchored pattern's start
 * (DB_PASSWORD=... of a .properties file) and hid line 1 from it.
 */
int rg_content_decode(rg_buf *buf, const char **text, size_t *len)
{
	int order = rg_utf16_bom(*text, *len);

	if (order == RG_UTF16_NONE) {
		if (*len >= 3 && !memcmp(*text, "\xef\xbb\xbf", 3)) {
			*text += 3;
			*len -= 3;
		}
		return 0;
	}
	rg_buf_clear(buf);
	rg_utf16_to_utf8(buf, *text + 2, *len - 2, order);
	*text = buf->ptr;
	*len = buf->len;
	return 1;
}

static int ct_idchar(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		ch == '.' || ch == '-' || ch == '_';
}

static int ct_id_matches(const char *s, size_t n, const char *id)
{
	size_t il = strlen(id);

	if (n == il)
		return !memcmp(s, id, n);
	return n < il && !memcmp(s, id, n) && id[n] == '.';
}

int rg_content_allowed(const char *text, size_t len, const char *id)
{
	static const char tag[] = "repoguard:allow";
	const size_t tl = sizeof(tag) - 1;
	const char *p = text, *end = text + len;

	while (p < end && (p = memmem(p, (size_t)(end - p), tag, tl)) != NULL) {
		p += tl;
		if (p >= end || (*p != ' ' && *p != '\t'))
			continue;
		for (;;) {
			const char *s;
			size_t n;

			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			for (s = p; p < end && ct_idchar(*p); p++)
				;
			if (p > s && ct_id_matches(s, (size_t)(p - s), id))
				return 1;
			/* what closes a comment or a sentence right after the id: <!--repoguard:allow x-->, "allow x." */
			for (n = (size_t)(p - s); n > 0 && (s[n - 1] == '-' || s[n - 1] == '.'); n--)
				;
			if (n && n < (size_t)(p - s) && ct_id_matches(s, n, id))
				return 1;
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if (p >= end || *p != ',')
				break;
			p++;
		}
	}
	return 0;
}

static size_t ct_keep(const rg_span *s)
{
	size_t n = (s->end - s->start) / 5;

	return n < 4 ? n : 4;
}

static int ct_span_at(const rg_span *red, size_t nred, size_t i)
{
	size_t k;

	for (k = 0; k < nred; k++)
		if (i >= red[k].start && i < red[k].end)
			return (int)k;
	return -1;
}

static int ct_utf8_cont(const char *text, size_t i, size_t len)
{
	return i < len && ((unsigned char)text[i] & 0xc0) == 0x80;
}

/*
 * The unmasked run text[a, b) of an excerpt: a tab as a space, every other
 * byte a terminal may act on (C0, DEL, C1) and every byte that is not UTF-8
 * as \ooo, as the text report prints paths (rg_buf_put_escaped), so that
 * every format shows the same excerpt. Escaping never shows more of a line:
 * it is applied to what is left of the masking, byte for byte.
 */
static void ct_put_shown(rg_buf *out, rg_buf *run, const char *text, size_t a, size_t b)
{
	size_t i;

	rg_buf_clear(run);
	for (i = a; i < b; i++)
		rg_buf_putc(run, text[i] == '\t' ? ' ' : text[i]);
	rg_buf_put_escaped(out, run->ptr, run->len, 0);
}

/* text[a, b) with every span in red masked (once each); with show_controls, control characters escaped */
static void ct_put_masked(rg_buf *out, const char *text, size_t a, size_t b, const rg_span *red, size_t nred,
	int show_controls)
{
	unsigned char *starred = rg_calloc(nred + 1, 1);
	rg_buf run = RG_BUF_INIT;
	size_t i, from = a;

	for (i = a; i < b; i++) {
		int k = ct_span_at(red, nred, i);

		if (k >= 0 && i - red[k].start >= ct_keep(&red[k])) {
			if (show_controls && from < i)
				ct_put_shown(out, &run, text, from, i);
			from = i + 1;
			if (!starred[k]) {
				size_t n = red[k].end - red[k].start - ct_keep(&red[k]);

				for (n = n < CT_MAX_STARS ? n : CT_MAX_STARS; n > 0; n--)
					rg_buf_putc(out, '*');
				starred[k] = 1;
			}
			continue;
		}
		if (!show_controls)
			rg_buf_putc(out, text[i]);
	}
	if (show_controls && from < b)
		ct_put_shown(out, &run, text, from, b);
	rg_buf_dispose(&run);
	free(starred);
}

void rg_content_masked(rg_buf *out, const char *text, size_t len, const rg_span *red, size_t nred)
{
	ct_put_masked(out, text, 0, len, red, nred, 0);
}

void rg_content_excerpt(rg_buf *out, const char *text, size_t len, size_t fs, size_t fe,
	const rg_span *red, size_t nred)
{
	size_t a = 0, b = len, rest;

	while (a < len && (text[a] == ' ' || text[a] == '\t'))
		a++;
	if (fs < a && fe <= a)
		a = fs; /* a match of nothing but indentation is shown; one that only starts there is not */
	if (b - a > CT_EXCERPT_WIDTH) {
		if (fs > a + CT_EXCERPT_BEFORE)
			a = fs - CT_EXCERPT_BEFORE;
		if (b - a > CT_EXCERPT_WIDTH)
			b = a + CT_EXCERPT_WIDTH;
	}
	while (a < b && ct_utf8_cont(text, a, len))
		a++;
	while (b > a && ct_utf8_cont(text, b, len))
		b--;
	while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'))
		b--;
	if (a > 0 && text[a - 1] != ' ' && text[a - 1] != '\t')
		rg_buf_puts(out, "...");
	ct_put_masked(out, text, a, b, red, nred, 1);
	for (rest = b; rest < len && (text[rest] == ' ' || text[rest] == '\t'); rest++)
		;
	if (rest < len) /* cut there, not only trailing blanks dropped */
		rg_buf_puts(out, "...");
}

