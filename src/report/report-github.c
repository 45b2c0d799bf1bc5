/*
 * report-github.c: GitHub Actions workflow commands.
 *
 *   ::error file=PATH,line=N,title=TITLE::MESSAGE
 *
 * (a finding about no file whose rule the repository's rules file did not
 * set, and that counts no file, has no file=/line=: GitHub shows it on the
 * run, not on a file that may not exist)
 * escaped as @actions/core does: data gets % \r \n as %25 %0D %0A, property
 * values also : and , as %3A %2C; other control bytes (C0, DEL, C1, and
 * bytes that are not UTF-8, such as a lone 0x9B) become %XX too (GitHub
 * decodes only those five, so a path holding one shows escaped, never raw;
 * UTF-8 text such as "café" stays readable). GitHub shows at most 10 annotations of
 * each level per step, so the first 10 errors and 10 warnings (and notes)
 * become annotations, the rest are plain log lines, and a summary line says
 * how many there were.
 */
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/report.h"
#include "report-util.h"

#define GH_MAX_PER_LEVEL 10

static void gh_escape(rg_buf *b, const char *s, int property)
{
	while (*s) {
		int unsafe;
		size_t n = rg_utf8_char(s, &unsafe), i;

		switch (*s) {
		case '%': rg_buf_puts(b, "%25"); break;
		case '\r': rg_buf_puts(b, "%0D"); break;
		case '\n': rg_buf_puts(b, "%0A"); break;
		case ':': rg_buf_puts(b, property ? "%3A" : ":"); break;
		case ',': rg_buf_puts(b, property ? "%2C" : ","); break;
		default:
			/*
			 * no raw control byte reaches the log (terminal escapes: C0,
			 * DEL, C1 such as 0x9B, 8-bit CSI, and bytes that are not
			 * UTF-8); valid UTF-8 text stays as it is
			 */
			if (!unsafe) {
				rg_buf_put(b, s, n);
				break;
			}
			for (i = 0; i < n; i++)
				rg_buf_printf(b, "%%%02X", (unsigned char)s[i]);
		}
		s += n;
	}
}

void rg_report_github_config_errors(FILE *out, const char *command, const char *errors)
{
	rg_buf b = RG_BUF_INIT, line = RG_BUF_INIT;
	const char *s = errors;

	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		rg_buf_clear(&line);
		rg_buf_put(&line, s, n);
		if (n) {
			rg_buf_puts(&b, "::error title=");
			gh_escape(&b, "repoguard configuration error", 1);
			rg_buf_puts(&b, "::");
			gh_escape(&b, rg_buf_cstr(&line), 0);
			rg_buf_puts(&b, "%0A");
			gh_escape(&b, command, 0);
			rg_buf_puts(&b, " refuses to run until the configuration is fixed ('repoguard config' checks it)\n");
		}
		s += n + (nl ? 1 : 0);
	}
	fputs(rg_buf_cstr(&b), out);
	rg_buf_dispose(&line);
	rg_buf_dispose(&b);
}

static const char *gh_level(int sev)
{
	return sev == RG_SEV_ERROR ? "error" : sev == RG_SEV_WARN ? "warning" : "notice";
}

static void gh_annotation(rg_buf *b, const rg_finding *x)
{
	rg_buf title = RG_BUF_INIT, msg = RG_BUF_INIT;
	int line;
	const char *file = rg_report_file(x, &line);

	rg_buf_printf(&title, "repoguard %s", x->rule);
	rg_report_headline(&msg, x);
	if (x->detail)
		rg_buf_printf(&msg, "\n%s", x->detail);
	if (x->fix)
		rg_buf_printf(&msg, "\nfix:\n%s", x->fix);
	rg_buf_printf(b, "::%s ", gh_level(x->severity));
	if (file) { /* else an annotation of the run, not of a file */
		rg_buf_puts(b, "file=");
		gh_escape(b, file, 1);
		rg_buf_printf(b, ",line=%d,", line);
	}
	rg_buf_puts(b, "title=");
	gh_escape(b, title.ptr, 1);
	rg_buf_puts(b, "::");
	gh_escape(b, msg.ptr, 0);
	rg_buf_putc(b, '\n');
	rg_buf_dispose(&title);
	rg_buf_dispose(&msg);
}

/*
 * Text for a plain log line: control bytes (C0, DEL, C1) and bytes that are
 * not UTF-8 (never in a message, but paths reach messages) as \ooo.
 */
static void gh_plain_text(rg_buf *b, const char *s)
{
	rg_buf_put_escaped(b, s, strlen(s), 0);
}

/*
 * A finding past the annotation limit: one plain log line, the text report's
 * first line ("error[rule] path:line: message"; it never starts with "::",
 * which would be a command), nothing percent-escaped: a log line is not a
 * workflow command.
 */
static void gh_plain(rg_buf *b, const rg_finding *x)
{
	rg_buf loc = RG_BUF_INIT;

	rg_report_location(&loc, x);
	rg_buf_printf(b, "%s[%s] ", x->severity == RG_SEV_ERROR ? "error" :
		x->severity == RG_SEV_WARN ? "warning" : "note", x->rule);
	if (loc.len) {
		gh_plain_text(b, loc.ptr);
		rg_buf_puts(b, ": ");
	}
	gh_plain_text(b, x->message ? x->message : "");
	rg_buf_putc(b, '\n');
	rg_buf_dispose(&loc);
}

static int gh_render(const rg_findings *f, const rg_report_opts *o)
{
	rg_buf b = RG_BUF_INIT;
	size_t shown[4] = { 0, 0, 0, 0 }, total[4] = { 0, 0, 0, 0 }, i;
	size_t errors = rg_findings_count(f, RG_SEV_ERROR), warns = rg_findings_count(f, RG_SEV_WARN);

	for (i = 0; i < f->n; i++) {
		const rg_finding *x = &f->v[i];
		int lv = x->severity >= RG_SEV_NOTE && x->severity <= RG_SEV_ERROR ? x->severity : RG_SEV_NOTE;

		total[lv]++;
		if (shown[lv] < GH_MAX_PER_LEVEL) {
			shown[lv]++;
			gh_annotation(&b, x);
		} else {
			gh_plain(&b, x);
		}
	}
	for (i = 0; i < f->ninfos; i++) {
		rg_buf_puts(&b, "note: ");
		gh_plain_text(&b, f->infos[i]);
		rg_buf_putc(&b, '\n');
	}
	rg_buf_printf(&b, "repoguard %s: %zu error%s, %zu warning%s", o->command, errors,
		errors == 1 ? "" : "s", warns, warns == 1 ? "" : "s");
	if (total[RG_SEV_ERROR] > shown[RG_SEV_ERROR] || total[RG_SEV_WARN] > shown[RG_SEV_WARN] ||
	    total[RG_SEV_NOTE] > shown[RG_SEV_NOTE])
		rg_buf_printf(&b, " (GitHub shows %d annotations per level: the first %d of each are "
			"annotated, the rest are listed above)", GH_MAX_PER_LEVEL, GH_MAX_PER_LEVEL);
	rg_buf_putc(&b, '\n');
	fputs(b.ptr, o->out);
	rg_buf_dispose(&b);
	return 0;
}

const rg_reporter rg_report_github = { "github", gh_render };
