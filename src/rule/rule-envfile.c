/*
 * rule-envfile.c: environment files (.env, .env.local, ...) hold service
 * keys and must not be committed; .env.example and .env.sample, which hold
 * placeholders, may. The paths are a glob list in [envfile] paths.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/rule.h"

static const char *const envfile_keys[] = { "paths", NULL };
static const rg_section_spec envfile_section = { "envfile", RG_SEC_PLAIN, envfile_keys };
static const rg_section_spec *const envfile_sections[] = { &envfile_section, NULL };

typedef struct {
	rg_patlist paths;
	int severity;
} envfile_state;

static int envfile_configure(void **state, rg_conf *conf)
{
	envfile_state *s = rg_calloc(1, sizeof(*s));

	s->severity = rg_conf_severity(conf, "envfile", RG_SEV_ERROR);
	rg_conf_patterns(&s->paths, conf, "envfile", "paths");
	/* as [block]: written without paths (defaults = false) it would check nothing, silently */
	if (s->severity != RG_SEV_OFF && rg_conf_has_section(conf, "envfile") &&
	    !rg_conf_get(conf, "envfile", "paths")) {
		rg_conf_entry pos;

		rg_conf_error(conf, rg_conf_section_at(&pos, conf, "envfile"), "[envfile] has no paths, so it "
			"checks nothing (defaults = false drops the built-in ones): list them, e.g. "
			"paths = .env .env.* !.env.example !.env.sample");
	}
	/*
	 * Ignoring case: a committed .ENV is the .env that dotenv loads on a
	 * macOS or Windows checkout (case-insensitive file systems), whatever
	 * file system it was committed from.
	 */
	rg_patlist_casefold(&s->paths);
	if (s->severity == RG_SEV_OFF || !s->paths.n) {
		rg_patlist_free(&s->paths);
		free(s);
		return RG_OK;
	}
	*state = s;
	return RG_OK;
}

static void envfile_free(void *state)
{
	envfile_state *s = state;

	rg_patlist_free(&s->paths);
	free(s);
}

/*
 * dirlen < the path's length: the path matched through its directory
 * path[0, dirlen) (.env/bin/activate by .env, as .gitignore matches): the
 * fix removes and ignores that directory, not every file of the file's name.
 */
static void envfile_report(rg_findings *out, const rg_changeset *cs, const envfile_state *s,
	const rg_delta *d, const rg_pattern *by, size_t dirlen)
{
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT, dir = RG_BUF_INIT;
	int in_dir = dirlen < strlen(d->new_path);
	const char *base;
	rg_finding *f;

	if (in_dir)
		rg_buf_put(&dir, d->new_path, dirlen);
	base = strrchr(in_dir ? dir.ptr : d->new_path, '/');
	base = base ? base + 1 : in_dir ? dir.ptr : d->new_path;
	rg_buf_printf(&msg, "environment file %s", rg_held(cs));
	if (in_dir) {
		rg_buf_puts(&detail, "its directory ");
		rg_buf_cquote(&detail, dir.ptr);
		rg_buf_putc(&detail, ' ');
	}
	rg_buf_printf(&detail, "matches '%s' (%s:%d). Environment files hold service keys and passwords;\n"
		"commit a .env.example with placeholders instead, and keep the real file out of git.",
		by->orig, by->file, by->line);
	if (cs->has_commit) {
		rg_fix_rebase_edit(&fix, cs->commit_hex, cs->is_root);
		rg_buf_puts(&fix, ", then:\n");
	}
	rg_buf_puts(&fix, in_dir ? "git rm -r --cached --quiet -- " : "git rm --cached --quiet -- ");
	rg_buf_shquote(&fix, in_dir ? dir.ptr : d->new_path);
	if (cs->has_commit)
		rg_fix_amend_continue(&fix);
	if (in_dir) {
		char *line = rg_printf("%s/", base); /* the directory: a trailing '/' is not escaped */

		rg_fix_gitignore(&fix, line, 1);
		free(line);
	} else {
		rg_fix_gitignore(&fix, base, 1);
	}
	f = rg_findings_add(out, "envfile", s->severity, rg_short_id(cs), d->new_path, 0, msg.ptr);
	rg_finding_set_detail(f, detail.ptr);
	rg_finding_set_fix(f, fix.ptr);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&detail);
	rg_buf_dispose(&fix);
	rg_buf_dispose(&dir);
}

static int envfile_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	envfile_state *s = state;
	size_t i;

	RG_UNUSED(ctx);
	for (i = 0; i < cs->n; i++) {
		const rg_delta *d = &cs->v[i];
		const rg_pattern *by = NULL;
		size_t dirlen;

		if (!rg_delta_adds(d) || !rg_mode_is_blob(d->new_mode))
			continue;
		if (rg_patlist_match(&s->paths, d->new_path, 0, &dirlen, &by) && by)
			envfile_report(out, cs, s, d, by, dirlen);
	}
	return RG_OK;
}

const rg_rule rg_rule_envfile = {
	.id = "envfile",
	.summary = "environment files (.env, .env.*) must not be committed",
	.sections = envfile_sections,
	.modes = RG_MODE_ALL & ~RG_MODE_COMMIT_MSG,
	.configure = envfile_configure,
	.check = envfile_check,
	.free_state = envfile_free,
};
