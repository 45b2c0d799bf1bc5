/*
 * rule-lfs.c: a path whose .gitattributes (in the state being committed)
 * says filter=lfs must hold a Git LFS pointer, not the raw content, which is
 * what happens when git-lfs is not installed on the committer's machine.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/rule.h"

#define LFS_POINTER_MAX 1024

static const char *const lfs_keys[] = { NULL };
static const rg_section_spec lfs_section = { "lfs", RG_SEC_PLAIN, lfs_keys };
static const rg_section_spec *const lfs_sections[] = { &lfs_section, NULL };

typedef struct {
	int severity;
} lfs_state;

static int lfs_configure(void **state, rg_conf *conf)
{
	int sev = rg_conf_severity(conf, "lfs", RG_SEV_ERROR);
	lfs_state *s;

	/* on by default: with defaults = false only when the file has [lfs] */
	if (sev == RG_SEV_OFF || !rg_conf_has_section(conf, "lfs"))
		return RG_OK;
	s = rg_calloc(1, sizeof(*s));
	s->severity = sev;
	*state = s;
	return RG_OK;
}

static int lfs_hexrun(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	return 1;
}

/* git-lfs spec v1: version line first, then sorted keys incl. oid and size. */
int rg_lfs_is_pointer(const char *data, size_t len)
{
	static const char v1[] = "version https://git-lfs.github.com/spec/v1\n";
	static const char hawser[] = "version https://hawser.github.com/spec/v1\n";
	const char *p, *end = data + len;
	int have_oid = 0, have_size = 0;

	if (len > LFS_POINTER_MAX || len == 0 || data[len - 1] != '\n')
		return 0;
	if (len >= sizeof(v1) - 1 && !memcmp(data, v1, sizeof(v1) - 1))
		p = data + sizeof(v1) - 1;
	else if (len >= sizeof(hawser) - 1 && !memcmp(data, hawser, sizeof(hawser) - 1))
		p = data + sizeof(hawser) - 1;
	else
		return 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = (size_t)(nl - p);

		if (ll > 11 && !memcmp(p, "oid sha256:", 11) && ll == 11 + 64 && lfs_hexrun(p + 11, 64))
			have_oid = 1;
		else if (ll > 5 && !memcmp(p, "size ", 5)) {
			size_t i;

			for (i = 5; i < ll; i++)
				if (p[i] < '0' || p[i] > '9')
					return 0;
			have_size = 1;
		} else if (!memchr(p, ' ', ll))
			return 0;
		p = nl + 1;
	}
	return have_oid && have_size;
}

static int lfs_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	lfs_state *s = state;
	size_t i;

	for (i = 0; i < cs->n; i++) {
		rg_delta *d = &cs->v[i];
		const char *filter;
		git_blob *blob = NULL;
		int64_t sz;
		int ok;
		rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT;
		rg_finding *f;

		if (!rg_delta_adds(d) || (d->new_mode & 0170000) != 0100000)
			continue;
		filter = rg_ctx_attr(ctx, cs, d->new_path, "filter");
		if (!filter || strcmp(filter, "lfs"))
			continue;
		if ((ok = rg_ctx_delta_size_checked(&sz, ctx, d, 1)) < 0)
			return ok;
		if (sz < 0)
			continue;
		ok = 0;
		if (sz <= LFS_POINTER_MAX && rg_ctx_blob(&blob, ctx, &d->new_id) == 0) {
			ok = rg_lfs_is_pointer(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
			git_blob_free(blob);
		}
		if (ok)
			continue;
		rg_buf_puts(&msg, "tracked by Git LFS (filter=lfs) but holds raw content, not an LFS pointer");
		rg_buf_puts(&fix, "git lfs install && git rm --cached --quiet -- ");
		rg_buf_shquote(&fix, d->new_path);
		rg_buf_puts(&fix, " && git add -- ");
		rg_buf_shquote(&fix, d->new_path);
		f = rg_findings_add(out, "lfs", s->severity, rg_short_id(cs), d->new_path, 0, msg.ptr);
		rg_finding_set_detail(f, "git-lfs was not active when the file was added, so the full file "
			"went into git's object database.");
		rg_finding_set_fix(f, fix.ptr);
		rg_buf_dispose(&msg);
		rg_buf_dispose(&fix);
	}
	return RG_OK;
}

const rg_rule rg_rule_lfs = {
	.id = "lfs",
	.summary = "filter=lfs paths must hold LFS pointers, not raw content",
	.sections = lfs_sections,
	.modes = RG_MODE_ALL & ~RG_MODE_COMMIT_MSG,
	.configure = lfs_configure,
	.check = lfs_check,
	.free_state = free,
};
