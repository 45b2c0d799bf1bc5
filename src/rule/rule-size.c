/* rule-size.c: blobs larger than max_file_size that a change adds or grows to. */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/rule.h"

#define SIZE_DEFAULT (5ULL * 1024 * 1024)

static const char *const size_keys[] = { "max_file_size", "allow", NULL };
static const rg_section_spec size_section = { "size", RG_SEC_PLAIN, size_keys };
static const rg_section_spec *const size_sections[] = { &size_section, NULL };

typedef struct {
	uint64_t max;
	int severity;
	rg_patlist allow;
} size_state;

uint64_t rg_size_limit(rg_conf *conf)
{
	uint64_t by_block = rg_conf_size(conf, "block", "max_file_size", SIZE_DEFAULT);
	uint64_t by_size = rg_conf_size(conf, "size", "max_file_size", SIZE_DEFAULT);
	const rg_conf_entry *b = rg_conf_get(conf, "block", "max_file_size");
	const rg_conf_entry *z = rg_conf_get(conf, "size", "max_file_size");

	/* on by default: with defaults = false only when the file sets it */
	if (rg_conf_severity(conf, "size", RG_SEV_ERROR) == RG_SEV_OFF ||
	    !(rg_conf_has_section(conf, "size") || b))
		return 0;
	/*
	 * [block] max_file_size is accepted as documented: set in the
	 * repository's file it replaces the built-in [size] value, as any key
	 * does (the built-in 5M silently won); in one file [size] wins.
	 */
	return b && (!z || b->layer > z->layer) ? by_block : by_size;
}

static int size_configure(void **state, rg_conf *conf)
{
	size_state *s = rg_calloc(1, sizeof(*s));

	s->severity = rg_conf_severity(conf, "size", RG_SEV_ERROR);
	s->max = rg_size_limit(conf);
	rg_conf_patterns(&s->allow, conf, "size", "allow");
	if (s->severity == RG_SEV_OFF || s->max == 0) {
		rg_patlist_free(&s->allow);
		free(s);
		return RG_OK;
	}
	*state = s;
	return RG_OK;
}

static void size_free(void *state)
{
	size_state *s = state;

	rg_patlist_free(&s->allow);
	free(s);
}

static int size_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	size_state *s = state;
	size_t i;
	int r;

	rg_ctx_prefetch_sizes(ctx, cs);
	for (i = 0; i < cs->n; i++) {
		rg_delta *d = &cs->v[i];
		int64_t nsz, osz;
		char a[32], b[32];
		rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT;
		rg_finding *f;

		if (!rg_delta_adds(d) || !rg_mode_is_blob(d->new_mode))
			continue;
		if ((r = rg_ctx_delta_size_checked(&nsz, ctx, d, 1)) < 0)
			return r;
		if (nsz < 0 || (uint64_t)nsz <= s->max)
			continue;
		if (d->status == RG_DELTA_MODIFIED || d->status == RG_DELTA_RENAMED) {
			if ((r = rg_ctx_delta_size_checked(&osz, ctx, d, 0)) < 0)
				return r;
			/* old debt: an already-large file that does not grow */
			if (osz >= 0 && (uint64_t)osz > s->max && osz >= nsz)
				continue;
		}
		if (s->allow.n && rg_patlist_match(&s->allow, d->new_path, 0, NULL, NULL))
			continue;
		rg_fmt_size(a, sizeof(a), (uint64_t)nsz);
		rg_fmt_size(b, sizeof(b), s->max);
		if (!strcmp(a, b)) { /* "5.0 MiB, over the 5.0 MiB limit": the bytes tell them apart */
			rg_fmt_count(a, sizeof(a), (uint64_t)nsz);
			rg_fmt_count(b, sizeof(b), s->max);
			rg_buf_printf(&msg, "%s bytes, over the limit of %s bytes (max_file_size)", a, b);
		} else {
			rg_buf_printf(&msg, "%s, over the %s limit (max_file_size)", a, b);
		}
		if (cs->has_commit) {
			rg_fix_lfs_track(&fix, d->new_path);
			rg_buf_puts(&fix, "   # or remove the file from the commit");
		} else {
			rg_buf_puts(&fix, "git rm --cached --quiet -- ");
			rg_buf_shquote(&fix, d->new_path);
			rg_buf_putc(&fix, '\n');
			rg_fix_lfs_track(&fix, d->new_path);
			rg_buf_puts(&fix, "   # if it belongs in the repository, store it with Git LFS");
		}
		f = rg_findings_add(out, "size", s->severity, rg_short_id(cs), d->new_path, 0, msg.ptr);
		rg_finding_set_detail(f, "Large blobs stay in history forever: every clone downloads them, "
			"even after the file is deleted.");
		rg_finding_set_fix(f, fix.ptr);
		rg_buf_dispose(&msg);
		rg_buf_dispose(&fix);
	}
	return RG_OK;
}

const rg_rule rg_rule_size = {
	.id = "size",
	.summary = "blobs over max_file_size (default 5M)",
	.sections = size_sections,
	.modes = RG_MODE_ALL & ~RG_MODE_COMMIT_MSG,
	.configure = size_configure,
	.check = size_check,
	.free_state = size_free,
	.after_reads = 1, /* the content rules' reads of the files settle most sizes: no lstat of each */
};
