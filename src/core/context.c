/* context.c: the run context: object reads, attributes, REPOGUARD_* env. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/context.h"
#include "repoguard/glob.h"

typedef struct {
	rg_patlist pat;       /* one pattern per line, same index as attrs */
	char **attrs;         /* the rest of each line */
} attr_file;

typedef struct {
	git_oid id;           /* blob id, zero for info/attributes */
	attr_file *file;
} attr_slot;

typedef struct rg_attr_cache {
	attr_slot *v;
	size_t n, alloc;
	attr_file *info;      /* $GIT_DIR/info/attributes, loaded once */
	int info_loaded;
} rg_attr_cache;

static int64_t ctx_now(void)
{
	const char *s = getenv("REPOGUARD_NOW");

	if (s && *s) {
		char *end;
		long long v = strtoll(s, &end, 10);

		if (!*end)
			return v;
	}
	return (int64_t)time(NULL);
}

static char **ctx_skip_list(void)
{
	const char *s = getenv("REPOGUARD_SKIP");
	char **v = NULL;
	size_t n = 0, alloc = 0;

	while (s && *s) {
		const char *e = s + strcspn(s, ", ");

		if (e > s) {
			RG_GROW(v, alloc, n + 2);
			v[n++] = rg_strndup(s, (size_t)(e - s));
		}
		s = *e ? e + 1 : e;
	}
	if (v)
		v[n] = NULL;
	return v;
}

static char *ctx_branch(git_repository *repo)
{
	git_reference *head = NULL;
	char *name = NULL;
	int r = git_reference_lookup(&head, repo, "HEAD");

	if (r == 0 && git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
		const char *t = git_reference_symbolic_target(head);

		if (rg_str_startswith(t, "refs/heads/"))
			name = rg_strdup(t + strlen("refs/heads/"));
	}
	git_reference_free(head);
	return name;
}

int rg_ctx_init(rg_ctx *ctx, git_repository *repo, rg_conf *conf, int mode, const char *mode_name)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->repo = repo;
	ctx->conf = conf;
	ctx->mode = mode;
	ctx->mode_name = mode_name;
	ctx->now = ctx_now();
	ctx->skip = ctx_skip_list();
	ctx->attrs = rg_calloc(1, sizeof(*ctx->attrs));
	if (repo) {
		if (git_repository_odb(&ctx->odb, repo) < 0)
			return rg_error_from_git("cannot open the object database");
		ctx->branch = ctx_branch(repo);
	}
	return RG_OK;
}

static void attr_file_free(attr_file *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->pat.n; i++)
		free(f->attrs[i]);
	free(f->attrs);
	rg_patlist_free(&f->pat);
	free(f);
}

void rg_ctx_free(rg_ctx *ctx)
{
	size_t i;

	if (ctx->attrs) {
		for (i = 0; i < ctx->attrs->n; i++)
			attr_file_free(ctx->attrs->v[i].file);
		free(ctx->attrs->v);
		attr_file_free(ctx->attrs->info);
		free(ctx->attrs);
	}
	for (i = 0; i < ctx->nupdates; i++) {
		free(ctx->updates[i].ref);
		free(ctx->updates[i].local_ref);
	}
	free(ctx->updates);
	free(ctx->remote_name);
	free(ctx->remote_url);
	rg_strv_free(ctx->skip);
	free(ctx->branch);
	git_odb_free(ctx->odb);
	memset(ctx, 0, sizeof(*ctx));
}

int64_t rg_ctx_blob_size(rg_ctx *ctx, const git_oid *id)
{
	size_t len;
	git_object_t type;

	if (git_odb_read_header(&len, &type, ctx->odb, id) < 0)
		return RG_SIZE_MISSING;
	return (int64_t)len;
}

int64_t rg_ctx_delta_size(rg_ctx *ctx, rg_delta *d, int new_side)
{
	int64_t *slot = new_side ? &d->new_size : &d->old_size;
	uint32_t mode = new_side ? d->new_mode : d->old_mode;

	if (*slot == RG_SIZE_UNKNOWN) {
		if (!rg_mode_is_blob(mode))
			*slot = 0;
		else
			*slot = rg_ctx_blob_size(ctx, new_side ? &d->new_id : &d->old_id);
	}
	return *slot;
}

int rg_ctx_blob(git_blob **out, rg_ctx *ctx, const git_oid *id)
{
	if (git_blob_lookup(out, ctx->repo, id) < 0)
		return rg_error_from_git("cannot read blob");
	return RG_OK;
}

int rg_ctx_view_blob(git_blob **out, rg_ctx *ctx, const rg_changeset *cs, const char *path)
{
	git_oid id;
	uint32_t mode;
	int r = rg_view_lookup(&id, &mode, &cs->view, path);

	if (r < 0)
		return r;
	if (!rg_mode_is_blob(mode))
		return RG_ENOTFOUND;
	return rg_ctx_blob(out, ctx, &id);
}

/* Parse gitattributes text: "pattern attr attr=value -attr !attr". */
static attr_file *attr_parse(const char *text, size_t len, const char *origin)
{
	attr_file *f = rg_calloc(1, sizeof(*f));
	size_t alloc = 0, pos = 0;
	int lineno = 0;

	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		char *buf = rg_strndup(line, ll), *p = buf, *pat;

		pos += ll + (nl ? 1 : 0);
		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#' || rg_str_startswith(p, "[attr]") || *p == '"' || *p == '!') {
			free(buf);
			continue;
		}
		pat = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
		if (rg_patlist_add(&f->pat, pat, origin, lineno) == 0) {
			RG_GROW(f->attrs, alloc, f->pat.n);
			f->attrs[f->pat.n - 1] = rg_strdup(p);
		}
		free(buf);
	}
	return f;
}

/* Is name mentioned in one attrs string? *out: its value (NULL: "!name"). */
static int attr_value(const char **out, const char *attrs, const char *name, char *buf, size_t buflen)
{
	const char *s = attrs, *found = NULL;
	int mentioned = 0;
	size_t nl = strlen(name);

	while (*s) {
		const char *e;
		int neg = 0, unset = 0;

		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s)
			break;
		e = s + strcspn(s, " \t\r");
		if (*s == '-') { unset = 1; s++; }
		else if (*s == '!') { neg = 1; s++; }
		if ((size_t)(e - s) >= nl && !strncmp(s, name, nl) && (s + nl == e || s[nl] == '=')) {
			mentioned = 1;
			if (unset)
				found = "unset";
			else if (neg)
				found = NULL;
			else if (s + nl == e)
				found = "set";
			else {
				size_t vl = (size_t)(e - s - nl - 1);
				if (vl >= buflen)
					vl = buflen - 1;
				memcpy(buf, s + nl + 1, vl);
				buf[vl] = '\0';
				found = buf;
			}
		}
		s = e;
	}
	*out = found;
	return mentioned;
}

static attr_file *attr_load_blob(rg_ctx *ctx, const git_oid *id, const char *origin)
{
	rg_attr_cache *c = ctx->attrs;
	git_blob *blob = NULL;
	attr_file *f;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (git_oid_equal(&c->v[i].id, id))
			return c->v[i].file;
	if (rg_ctx_blob(&blob, ctx, id) < 0)
		return NULL;
	f = attr_parse(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), origin);
	git_blob_free(blob);
	RG_GROW(c->v, c->alloc, c->n + 1);
	git_oid_cpy(&c->v[c->n].id, id);
	c->v[c->n++].file = f;
	return f;
}

static attr_file *attr_load_info(rg_ctx *ctx)
{
	rg_attr_cache *c = ctx->attrs;
	rg_buf path = RG_BUF_INIT, text = RG_BUF_INIT;
	FILE *fp;

	if (c->info_loaded)
		return c->info;
	c->info_loaded = 1;
	if (!ctx->repo)
		return NULL;
	rg_buf_printf(&path, "%sinfo/attributes", git_repository_commondir(ctx->repo));
	fp = fopen(path.ptr, "rb");
	if (fp) {
		char chunk[4096];
		size_t n;

		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			rg_buf_put(&text, chunk, n);
		fclose(fp);
		c->info = attr_parse(rg_buf_cstr(&text), text.len, "info/attributes");
	}
	rg_buf_dispose(&path);
	rg_buf_dispose(&text);
	return c->info;
}

static const char *attr_match_file(const attr_file *f, const char *rel, const char *name,
	char *buf, size_t buflen, const char *cur)
{
	size_t i;

	for (i = 0; f && i < f->pat.n; i++) {
		const char *v;
		rg_patlist one;

		one.v = &f->pat.v[i];
		one.n = 1;
		if (rg_patlist_match1(&one, rel, 0, NULL) != 1)
			continue;
		if (attr_value(&v, f->attrs[i], name, buf, buflen))
			cur = v;
	}
	return cur;
}

const char *rg_ctx_attr(rg_ctx *ctx, const rg_changeset *cs, const char *path, const char *name)
{
	static char value[256];
	rg_buf dir = RG_BUF_INIT;
	const char *cur = NULL, *p = path, *slash;

	/* root .gitattributes, then each directory down to the file's own */
	for (;;) {
		git_oid id;
		uint32_t mode;
		size_t base = dir.len;

		rg_buf_puts(&dir, ".gitattributes");
		if (rg_view_lookup(&id, &mode, &cs->view, dir.ptr) == 0 && rg_mode_is_blob(mode)) {
			attr_file *f = attr_load_blob(ctx, &id, dir.ptr);

			cur = attr_match_file(f, path + base, name, value, sizeof(value), cur);
		}
		rg_buf_truncate(&dir, base);
		slash = strchr(p, '/');
		if (!slash)
			break;
		rg_buf_put(&dir, p, (size_t)(slash - p) + 1);
		p = slash + 1;
	}
	cur = attr_match_file(attr_load_info(ctx), path, name, value, sizeof(value), cur);
	rg_buf_dispose(&dir);
	return cur;
}

int rg_ctx_skipped(const rg_ctx *ctx, const char *rule_id)
{
	char **p;

	for (p = ctx->skip; p && *p; p++)
		if (!strcmp(*p, rule_id) || !strcmp(*p, "all"))
			return 1;
	return 0;
}

rg_update *rg_ctx_add_update(rg_ctx *ctx, const char *ref, const char *local_ref,
	const git_oid *old_id, const git_oid *new_id)
{
	rg_update *u;
	size_t alloc = ctx->nupdates;

	/* exact-size growth: update lists are short */
	ctx->updates = rg_realloc(ctx->updates, (alloc + 1) * sizeof(*ctx->updates));
	u = &ctx->updates[ctx->nupdates++];
	memset(u, 0, sizeof(*u));
	u->ref = ref ? rg_strdup(ref) : NULL;
	u->local_ref = local_ref ? rg_strdup(local_ref) : NULL;
	if (old_id)
		git_oid_cpy(&u->old_id, old_id);
	if (new_id)
		git_oid_cpy(&u->new_id, new_id);
	return u;
}
