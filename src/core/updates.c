/*
 * updates.c: parse the ref-update lines git gives pre-push and pre-receive
 * hooks, and classify updates as fast-forward or not.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/updates.h"
#include "repoguard/walk.h"

#define UPD_HEX GIT_OID_HEXSZ

static int upd_hex_oid(git_oid *out, const char *s, size_t len)
{
	size_t i;

	if (len != UPD_HEX)
		return -1;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return -1;
	return git_oid_fromstrn(out, s, len) < 0 ? -1 : 0;
}

/* A ref name as git prints it: no whitespace, no control characters. */
static int upd_ref_ok(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return 0;
	return 1;
}

/* Split line into up to max space-separated fields, from the right. */
static size_t upd_fields(const char **f, size_t *fl, size_t max, const char *line, size_t len)
{
	size_t n = 0, end = len;

	while (n + 1 < max) {
		size_t sp = end;

		while (sp > 0 && line[sp - 1] != ' ')
			sp--;
		if (sp == 0)
			break;
		f[max - 1 - n] = line + sp;
		fl[max - 1 - n] = end - sp;
		n++;
		end = sp - 1;
	}
	f[max - 1 - n] = line;
	fl[max - 1 - n] = end;
	n++;
	if (n < max) {
		/* shift to the front so that f[0] is the first field */
		memmove(f, f + (max - n), n * sizeof(*f));
		memmove(fl, fl + (max - n), n * sizeof(*fl));
	}
	return n;
}

typedef int (*upd_line_fn)(rg_ctx *ctx, const char *line, size_t len);

static int upd_parse_lines(rg_ctx *ctx, const char *text, size_t len, upd_line_fn fn, const char *what)
{
	size_t pos = 0;
	int lineno = 0;

	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;

		pos += ll + (nl ? 1 : 0);
		lineno++;
		if (ll && line[ll - 1] == '\r')
			ll--;
		if (!ll)
			continue;
		if (fn(ctx, line, ll) < 0) {
			rg_error_set("%s input line %d is not '%s': '%.*s'", ctx->mode_name ? ctx->mode_name : "hook",
				lineno, what, (int)(ll > 200 ? 200 : ll), line);
			return RG_EUSAGE;
		}
	}
	return RG_OK;
}

static int upd_push_line(rg_ctx *ctx, const char *line, size_t len)
{
	const char *f[4];
	size_t fl[4];
	git_oid local, remote;
	char *lref, *rref;

	if (upd_fields(f, fl, 4, line, len) != 4 || !upd_ref_ok(f[0], fl[0]) ||
	    upd_hex_oid(&local, f[1], fl[1]) < 0 || !upd_ref_ok(f[2], fl[2]) ||
	    upd_hex_oid(&remote, f[3], fl[3]) < 0)
		return -1;
	lref = rg_strndup(f[0], fl[0]);
	rref = rg_strndup(f[2], fl[2]);
	rg_ctx_add_update(ctx, rref, lref, &remote, &local);
	free(lref);
	free(rref);
	return 0;
}

static int upd_receive_line(rg_ctx *ctx, const char *line, size_t len)
{
	const char *f[3];
	size_t fl[3];
	git_oid old_id, new_id;
	char *ref;

	if (upd_fields(f, fl, 3, line, len) != 3 || upd_hex_oid(&old_id, f[0], fl[0]) < 0 ||
	    upd_hex_oid(&new_id, f[1], fl[1]) < 0 || !upd_ref_ok(f[2], fl[2]))
		return -1;
	ref = rg_strndup(f[2], fl[2]);
	rg_ctx_add_update(ctx, ref, NULL, &old_id, &new_id);
	free(ref);
	return 0;
}

int rg_updates_parse_push(rg_ctx *ctx, const char *text, size_t len)
{
	return upd_parse_lines(ctx, text, len, upd_push_line,
		"<local ref> <local oid> <remote ref> <remote oid>");
}

int rg_updates_parse_receive(rg_ctx *ctx, const char *text, size_t len)
{
	return upd_parse_lines(ctx, text, len, upd_receive_line, "<old oid> <new oid> <ref>");
}

int rg_updates_read(rg_ctx *ctx, FILE *in, int receive)
{
	rg_buf b = RG_BUF_INIT;
	int r;

	if (isatty(fileno(in))) {
		rg_error_set("%s reads git's ref update lines from standard input; "
			"it runs as a git hook (repoguard install)", ctx->mode_name ? ctx->mode_name : "this command");
		return RG_EUSAGE;
	}
	if (rg_buf_read_stream(&b, in, 0) < 0) {
		rg_buf_dispose(&b);
		rg_error_set("cannot read the ref updates from standard input");
		return RG_ERROR;
	}
	r = receive ? rg_updates_parse_receive(ctx, rg_buf_cstr(&b), b.len)
		: rg_updates_parse_push(ctx, rg_buf_cstr(&b), b.len);
	rg_buf_dispose(&b);
	return r;
}

int rg_update_is_delete(const rg_update *u)
{
	return git_oid_is_zero(&u->new_id);
}

int rg_update_is_create(const rg_update *u)
{
	return git_oid_is_zero(&u->old_id);
}

/* The commit an id peels to; RG_ENOTFOUND when missing or not a commit-ish. */
static int upd_peel(git_oid *out, git_repository *repo, const git_oid *id)
{
	git_object *obj = NULL, *peeled = NULL;
	int r = RG_ENOTFOUND;

	if (git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY) == 0 &&
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
		git_oid_cpy(out, git_object_id(peeled));
		r = RG_OK;
	}
	git_error_clear();
	git_object_free(peeled);
	git_object_free(obj);
	return r;
}

int rg_updates_classify(rg_ctx *ctx)
{
	rg_ancestry *anc = NULL;
	size_t i;
	int r = RG_OK;

	for (i = 0; i < ctx->nupdates && r == RG_OK; i++) {
		rg_update *u = &ctx->updates[i];
		git_oid o, n;

		u->forced = 0;
		if (rg_update_is_create(u) || rg_update_is_delete(u) || git_oid_equal(&u->old_id, &u->new_id))
			continue;
		/* an old tip this repository does not have cannot be shown to be an ancestor */
		if (upd_peel(&o, ctx->repo, &u->old_id) < 0 || upd_peel(&n, ctx->repo, &u->new_id) < 0) {
			u->forced = 1;
			continue;
		}
		/* one graph for every ref (walk.h); in a shallow clone, not found above the edge is forced */
		if (!anc && (r = rg_ancestry_new(&anc, ctx->repo)) < 0)
			break;
		if ((r = rg_ancestry_ask(anc, &n, &o)) >= 0) {
			u->forced = !r;
			r = RG_OK;
		}
	}
	rg_ancestry_free(anc);
	return r;
}

int rg_refs_commits(git_oid **ids, size_t *n, size_t *alloc, git_repository *repo, const char *prefix)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	size_t plen = prefix ? strlen(prefix) : 0;
	int r;

	if (git_reference_iterator_new(&it, repo) < 0)
		return rg_error_from_git("cannot list references");
	while ((r = git_reference_next(&ref, it)) == 0) {
		git_object *obj = NULL;

		if (!plen || !strncmp(git_reference_name(ref), prefix, plen)) {
			if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
				RG_GROW(*ids, *alloc, *n + 1);
				git_oid_cpy(&(*ids)[(*n)++], git_object_id(obj));
			}
			git_error_clear();
			git_object_free(obj);
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (r != GIT_ITEROVER)
		return rg_error_from_git("cannot list references");
	return RG_OK;
}
