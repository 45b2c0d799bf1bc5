/* report-text.c: the human report: rule id, what, why, how to fix. */
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/report.h"
#include "report-util.h"

#define C_RED "\033[1;31m"
#define C_YEL "\033[1;33m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#define C_OFF "\033[0m"

static const char *col(const rg_report_opts *o, const char *c)
{
	return o->color ? c : "";
}

/*
 * Write n bytes of s with every control byte but tab (C0, DEL, C1) and every
 * byte that is not UTF-8 as \ooo: paths are C-quoted and fixes shell-quoted
 * where findings are made, but a message can still carry a name, a commit
 * subject or an author from the repository, and nothing from it may reach
 * the terminal as an escape sequence (0x9B is CSI to some terminals).
 */
static void text_put(FILE *out, const char *s, size_t n)
{
	rg_buf b = RG_BUF_INIT;

	rg_buf_put_escaped(&b, s, n, 1);
	fwrite(b.ptr ? b.ptr : "", 1, b.len, out);
	rg_buf_dispose(&b);
}

/* Print each line of s with prefix and indent. */
static void text_lines(FILE *out, const char *prefix, const char *indent, const char *s)
{
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		fprintf(out, "%s%s", prefix, indent);
		text_put(out, s, n);
		fputc('\n', out);
		s = nl ? nl + 1 : s + n;
	}
}

static int text_render(const rg_findings *f, const rg_report_opts *o)
{
	FILE *out = o->out;
	const char *pfx = o->prefix ? o->prefix : "";
	size_t errors = rg_findings_count(f, RG_SEV_ERROR);
	size_t warns = rg_findings_count(f, RG_SEV_WARN);
	size_t i;

	for (i = 0; i < f->n; i++) {
		const rg_finding *x = &f->v[i];
		int err = x->severity == RG_SEV_ERROR;
		rg_buf loc = RG_BUF_INIT;

		if (o->quiet && !err)
			continue;
		rg_report_location(&loc, x);
		fprintf(out, "%s%s%s[%s]%s %s%s", pfx, col(o, err ? C_RED : C_YEL),
			err ? "error" : (x->severity == RG_SEV_WARN ? "warning" : "note"), x->rule,
			col(o, C_OFF), loc.len ? loc.ptr : "", loc.len ? ": " : "");
		text_put(out, x->message, strlen(x->message));
		fputc('\n', out);
		rg_buf_dispose(&loc);
		text_lines(out, pfx, "    ", x->detail);
		if (x->fix) {
			fprintf(out, "%s  %sfix:%s\n", pfx, col(o, C_BOLD), col(o, C_OFF));
			text_lines(out, pfx, "    ", x->fix);
		}
	}
	for (i = 0; i < f->ninfos && !o->quiet; i++) {
		fprintf(out, "%s%snote:%s ", pfx, col(o, C_DIM), col(o, C_OFF));
		text_put(out, f->infos[i], strlen(f->infos[i]));
		fputc('\n', out);
	}
	/* --quiet: errors only; a run with none prints nothing */
	if (errors || (warns && !o->quiet)) {
		fprintf(out, "%srepoguard %s: %zu error%s, %zu warning%s%s\n", pfx, o->command,
			errors, errors == 1 ? "" : "s", warns, warns == 1 ? "" : "s",
			errors ? "" : " (not blocking)");
		if (errors && o->bypass)
			fprintf(out, "%s%s%s%s\n", pfx, col(o, C_DIM), o->bypass, col(o, C_OFF));
	}
	return 0;
}

const rg_reporter rg_report_text = { "text", text_render };
