/* report-util.c: shared pieces of the sarif and github reporters. */
#include <string.h>

#include "repoguard/buf.h"
#include "report-util.h"

const char *rg_report_file(const rg_finding *x, int *line)
{
	*line = x->line > 0 ? x->line : 1;
	if (!x->path || !*x->path)
		return RG_REPORT_NOPATH_FILE;
	if (x->is_dir) {
		*line = 1;
		return RG_REPORT_DIR_FILE;
	}
	return x->path;
}

void rg_report_headline(rg_buf *b, const rg_finding *x)
{
	if (x->path) {
		rg_buf_cquote(b, x->path);
		if (x->is_dir)
			rg_buf_putc(b, '/');
		rg_buf_puts(b, ": ");
	}
	rg_buf_puts(b, x->message ? x->message : "");
	if (x->commit)
		rg_buf_printf(b, " (commit %.12s)", x->commit);
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid. */
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

void rg_report_json_str(rg_buf *b, const char *s)
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
