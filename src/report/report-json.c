/*
 * report-json.c: machine-readable findings.
 *
 * JSON strings are UTF-8: a path that is not (a name git stores as bytes,
 * such as Latin-1 "\377.txt") shows with U+FFFD in "path", which cannot be
 * mapped back to the file; such a finding also carries "path_bytes", the
 * path's exact bytes in base64 (RFC 4648), so a consumer can.
 */
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/report.h"

static void json_field(rg_buf *b, const char *name, const char *v, int *first)
{
	if (!v)
		return;
	rg_buf_printf(b, "%s\"%s\": ", *first ? "" : ", ", name);
	rg_buf_json_str(b, v);
	*first = 0;
}

/* "name_bytes": base64 of v's bytes, when v is not valid UTF-8 (JSON's "name" lost some) */
static void json_bytes_field(rg_buf *b, const char *name, const char *v)
{
	if (!v || rg_utf8_valid(v))
		return;
	rg_buf_printf(b, ", \"%s_bytes\": \"", name);
	rg_buf_base64(b, v, strlen(v));
	rg_buf_putc(b, '"');
}

static int json_render(const rg_findings *f, const rg_report_opts *o)
{
	rg_buf b = RG_BUF_INIT;
	size_t i;

	rg_buf_puts(&b, "{\"tool\": \"repoguard\", \"version\": \"" RG_VERSION "\", \"command\": ");
	rg_buf_json_str(&b, o->command);
	rg_buf_puts(&b, ",\n \"findings\": [");
	for (i = 0; i < f->n; i++) {
		const rg_finding *x = &f->v[i];
		int first = 1;

		rg_buf_puts(&b, i ? ",\n  {" : "\n  {");
		json_field(&b, "rule", x->rule, &first);
		json_field(&b, "severity", rg_severity_name(x->severity), &first);
		json_field(&b, "commit", x->commit, &first);
		json_field(&b, "path", x->path, &first);
		json_bytes_field(&b, "path", x->path);
		if (x->path)
			rg_buf_printf(&b, ", \"is_dir\": %s", x->is_dir ? "true" : "false");
		if (x->line)
			rg_buf_printf(&b, ", \"line\": %d", x->line);
		json_field(&b, "message", x->message, &first);
		json_field(&b, "detail", x->detail, &first);
		json_field(&b, "fix", x->fix, &first);
		json_field(&b, "text_id", x->text_id, &first);
		rg_buf_putc(&b, '}');
	}
	rg_buf_printf(&b, "%s],\n \"notes\": [", f->n ? "\n " : "");
	for (i = 0; i < f->ninfos; i++) {
		if (i)
			rg_buf_puts(&b, ", ");
		rg_buf_json_str(&b, f->infos[i]);
	}
	rg_buf_printf(&b, "],\n \"summary\": {\"errors\": %zu, \"warnings\": %zu}}\n",
		rg_findings_count(f, RG_SEV_ERROR), rg_findings_count(f, RG_SEV_WARN));
	fputs(b.ptr, o->out);
	rg_buf_dispose(&b);
	return 0;
}

const rg_reporter rg_report_json = { "json", json_render };
