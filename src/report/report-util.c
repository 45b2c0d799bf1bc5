/* report-util.c: shared pieces of the reporters. */
#include <string.h>

#include "repoguard/buf.h"
#include "report-util.h"

const char *rg_report_file(const rg_finding *x, int *line)
{
	*line = x->line > 0 ? x->line : 1;
	if ((!x->path || !*x->path) && x->anchor && *x->anchor) {
		*line = x->anchor_line > 0 ? x->anchor_line : 1;
		return x->anchor;
	}
	if (!x->path || !*x->path)
		return NULL;
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

void rg_report_location(rg_buf *b, const rg_finding *x)
{
	if (x->commit)
		rg_buf_printf(b, "%.12s%s", x->commit, x->path ? ":" : "");
	if (x->path) {
		rg_buf_cquote(b, x->path);
		if (x->is_dir)
			rg_buf_putc(b, '/');
		if (x->line)
			rg_buf_printf(b, ":%d", x->line);
	}
}
