/*
 * importgraph.c: the import graph over one state of the repository.
 *
 * Files are looked up in the change set's view (the index, or a commit's
 * tree), never in the working tree. Parsed imports are cached by blob id for
 * the whole run (rg_import_cache), so a router that is the same blob in
 * every commit of a push is parsed once. For tree views every directory is
 * loaded once and entries are found with git_tree_entry_byname, instead of
 * a git_tree_entry_bypath walk from the root for each of the up to eleven
 * candidates an import has.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/context.h"
#include "repoguard/imports.h"
#include "repoguard/index.h"

#define IG_MAX_BLOB (4u << 20)  /* larger files (bundles) are not parsed */

/* ------------------------------------------------------------ hash map */

typedef struct {
	uint64_t h;
	const void *key;     /* owned by the value */
	size_t klen;
	void *val;
} ig_slot;

typedef struct {
	ig_slot *v;
	size_t cap, n;
} ig_map;

static uint64_t ig_hash(const void *k, size_t n)
{
	const unsigned char *p = k;
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h | 1; /* 0 marks an empty slot */
}

static ig_slot *ig_find(const ig_map *m, const void *k, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;; i = (i + 1) & (m->cap - 1)) {
		ig_slot *s = &m->v[i];

		if (!s->h || (s->h == h && s->klen == n && !memcmp(s->key, k, n)))
			return s;
	}
}

static void *ig_get(const ig_map *m, const void *k, size_t n)
{
	ig_slot *s;

	if (!m->cap)
		return NULL;
	s = ig_find(m, k, n, ig_hash(k, n));
	return s->h ? s->val : NULL;
}

static void ig_put(ig_map *m, const void *k, size_t n, void *val)
{
	uint64_t h = ig_hash(k, n);
	ig_slot *s;

	if (2 * (m->n + 1) > m->cap) {
		ig_map big;
		size_t i;

		big.cap = m->cap ? 2 * m->cap : 64;
		big.n = m->n;
		big.v = rg_calloc(big.cap, sizeof(*big.v));
		for (i = 0; i < m->cap; i++)
			if (m->v[i].h)
				*ig_find(&big, m->v[i].key, m->v[i].klen, m->v[i].h) = m->v[i];
		free(m->v);
		*m = big;
	}
	s = ig_find(m, k, n, h);
	if (!s->h)
		m->n++;
	s->h = h;
	s->key = k;
	s->klen = n;
	s->val = val;
}

static void ig_map_free(ig_map *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* --------------------------------------------------------- parse cache */

/* Keyed by blob id and dialect: the same blob as a.ts and a.tsx is lexed two ways. */
#define IG_KEY_LEN (GIT_OID_RAWSZ + 1)

typedef struct {
	git_oid id;
	unsigned int flags;          /* RG_JS_* it was parsed with */
	unsigned char key[IG_KEY_LEN];
	int readable;
	rg_import_list imports;
	int routes_parsed;
	rg_route_list routes;
} ig_blob;

struct rg_import_cache {
	rg_import_parser *parser;   /* compiled on first use */
	ig_map blobs;
	ig_blob **all;
	size_t nall, all_alloc;
	rg_import_alias *aliases;
	size_t naliases;
	size_t parsed;
};

rg_import_cache *rg_import_cache_new(const rg_import_alias *aliases, size_t naliases)
{
	rg_import_cache *c = rg_calloc(1, sizeof(*c));
	size_t i;

	c->aliases = rg_calloc(naliases + 1, sizeof(*c->aliases));
	for (i = 0; i < naliases; i++) {
		c->aliases[i].from = rg_strdup(aliases[i].from);
		c->aliases[i].to = rg_strdup(aliases[i].to);
	}
	c->naliases = naliases;
	return c;
}

void rg_import_cache_free(rg_import_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nall; i++) {
		rg_import_list_free(&c->all[i]->imports);
		rg_route_list_free(&c->all[i]->routes);
		free(c->all[i]);
	}
	for (i = 0; i < c->naliases; i++) {
		free(c->aliases[i].from);
		free(c->aliases[i].to);
	}
	free(c->aliases);
	free(c->all);
	ig_map_free(&c->blobs);
	rg_import_parser_free(c->parser);
	free(c);
}

size_t rg_import_cache_parsed(const rg_import_cache *c)
{
	return c->parsed;
}

/* The cached entry for id in dialect flags, reading and parsing the blob the first time. */
static int ig_blob_get(ig_blob **out, rg_import_cache *c, rg_ctx *ctx, const git_oid *id,
	unsigned int flags)
{
	unsigned char key[IG_KEY_LEN];
	ig_blob *b;
	git_blob *blob = NULL;
	int r = RG_OK;

	memcpy(key, id->id, GIT_OID_RAWSZ);
	key[GIT_OID_RAWSZ] = (unsigned char)flags;
	if ((b = ig_get(&c->blobs, key, IG_KEY_LEN)) != NULL) {
		*out = b;
		return RG_OK;
	}
	if (!c->parser && (r = rg_import_parser_new(&c->parser)) < 0)
		return r;
	b = rg_calloc(1, sizeof(*b));
	git_oid_cpy(&b->id, id);
	b->flags = flags;
	memcpy(b->key, key, IG_KEY_LEN);
	RG_GROW(c->all, c->all_alloc, c->nall + 1);
	c->all[c->nall++] = b;
	ig_put(&c->blobs, b->key, IG_KEY_LEN, b);
	if (rg_ctx_blob_size(ctx, id) > (int64_t)IG_MAX_BLOB) {
		*out = b; /* too large to be a source file worth parsing: no imports */
		return RG_OK;
	}
	if ((r = rg_ctx_blob(&blob, ctx, id)) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		git_error_clear();
		rg_error_clear();
		*out = b;
		if (ctx->mode == RG_MODE_AUDIT)
			return RG_OK; /* missing object (partial clone): no imports; the audit notes what is missing */
		/*
		 * A check that gates commits fails closed, as for the content rules
		 * (context.c): taken for a file without imports, a router whose blob
		 * a partial clone lacks would hide a dangling import.
		 */
		git_oid_tostr(hex, sizeof(hex), id);
		rg_error_set("object %s, a file the routing check follows, is missing: the repository is damaged "
			"(run 'git fsck'), or a partial clone has not fetched it; fetch the blobs of the commits "
			"checked first, e.g.\n  git rev-list --objects --missing=print BASE..HEAD | sed -n 's/^?//p' | "
			"git cat-file --batch-check >/dev/null", hex);
		return RG_ERROR;
	}
	b->readable = 1;
	c->parsed++;
	r = rg_import_parse(&b->imports, c->parser, git_blob_rawcontent(blob),
		(size_t)git_blob_rawsize(blob), flags);
	git_blob_free(blob);
	*out = b;
	return r;
}

/* ---------------------------------------------------------------- graph */

typedef struct {
	char *path;
	git_tree *tree;    /* NULL: no such directory */
} ig_dir;

struct rg_igraph {
	rg_import_cache *cache;
	rg_ctx *ctx;
	const rg_view *view;
	ig_map files;      /* path -> rg_ifile */
	rg_ifile **all;
	size_t nall, all_alloc;
	ig_map dirs;       /* tree views: directory -> ig_dir */
	ig_dir **dirv;
	size_t ndirs, dirs_alloc;
	rg_buf tmp, base;
};

int rg_igraph_new(rg_igraph **out, rg_import_cache *c, rg_ctx *ctx, const rg_view *view)
{
	rg_igraph *g = rg_calloc(1, sizeof(*g));

	g->cache = c;
	g->ctx = ctx;
	g->view = view;
	*out = g;
	return RG_OK;
}

void rg_igraph_free(rg_igraph *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->nall; i++) {
		free(g->all[i]->path);
		free(g->all[i]->deps);
		free(g->all[i]);
	}
	for (i = 0; i < g->ndirs; i++) {
		/* the view's own root tree is borrowed */
		if (g->dirv[i]->tree && g->dirv[i]->tree != g->view->tree)
			git_tree_free(g->dirv[i]->tree);
		free(g->dirv[i]->path);
		free(g->dirv[i]);
	}
	free(g->all);
	free(g->dirv);
	ig_map_free(&g->files);
	ig_map_free(&g->dirs);
	rg_buf_dispose(&g->tmp);
	rg_buf_dispose(&g->base);
	free(g);
}

const rg_import_alias *rg_igraph_aliases(const rg_igraph *g, size_t *n)
{
	*n = g->cache->naliases;
	return g->cache->aliases;
}

/* The tree of directory dir (n bytes, "" for the root) in a tree view, cached. */
static git_tree *ig_dir_tree(rg_igraph *g, const char *dir, size_t n)
{
	ig_dir *d = ig_get(&g->dirs, dir, n);
	const char *slash;
	git_tree *parent;

	if (d)
		return d->tree;
	d = rg_calloc(1, sizeof(*d));
	d->path = rg_strndup(dir, n);
	if (!n) {
		d->tree = g->view->tree;
	} else {
		slash = memrchr(dir, '/', n);
		parent = ig_dir_tree(g, dir, slash ? (size_t)(slash - dir) : 0);
		if (parent) {
			const char *name = slash ? slash + 1 : dir;
			char *nm = rg_strndup(name, n - (size_t)(name - dir));
			const git_tree_entry *e = git_tree_entry_byname(parent, nm);

			if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
			    git_tree_lookup(&d->tree, g->ctx->repo, git_tree_entry_id(e)) < 0) {
				git_error_clear();
				d->tree = NULL;
			}
			free(nm);
		}
	}
	RG_GROW(g->dirv, g->dirs_alloc, g->ndirs + 1);
	g->dirv[g->ndirs++] = d;
	ig_put(&g->dirs, d->path, n, d);
	return d->tree;
}

/* Is there a blob at path in the view? id set when there is. */
static int ig_lookup(rg_igraph *g, const char *path, git_oid *id)
{
	if (g->view->kind == RG_VIEW_TREE && g->view->tree) {
		const char *slash = strrchr(path, '/');
		git_tree *t = ig_dir_tree(g, path, slash ? (size_t)(slash - path) : 0);
		const git_tree_entry *e = t ? git_tree_entry_byname(t, slash ? slash + 1 : path) : NULL;

		if (!e || !rg_mode_is_blob((uint32_t)git_tree_entry_filemode_raw(e)))
			return 0;
		git_oid_cpy(id, git_tree_entry_id(e));
		return 1;
	} else {
		uint32_t mode;

		return rg_view_lookup(id, &mode, g->view, path) == 0 && rg_mode_is_blob(mode);
	}
}

int rg_igraph_exists(rg_igraph *g, const char *path)
{
	git_oid id;
	rg_ifile *f = ig_get(&g->files, path, strlen(path));

	return f ? f->exists : ig_lookup(g, path, &id);
}

size_t rg_igraph_count(const rg_igraph *g)
{
	return g->nall;
}

rg_ifile *rg_igraph_at(const rg_igraph *g, size_t i)
{
	return i < g->nall ? g->all[i] : NULL;
}

rg_ifile *rg_igraph_file(rg_igraph *g, const char *path)
{
	size_t n = strlen(path);
	rg_ifile *f = ig_get(&g->files, path, n);

	if (f)
		return f;
	f = rg_calloc(1, sizeof(*f));
	f->path = rg_strndup(path, n);
	f->exists = ig_lookup(g, path, &f->id);
	RG_GROW(g->all, g->all_alloc, g->nall + 1);
	g->all[g->nall++] = f;
	ig_put(&g->files, f->path, n, f);
	return f;
}

/* The file spec names from f, or NULL (a package, or nothing in the state). */
static rg_ifile *ig_resolve(rg_igraph *g, const rg_ifile *f, const char *spec)
{
	size_t i, k;
	git_oid id;
	int r;

	/* each path an alias gives, in turn (tsconfig "paths" fallbacks) */
	for (k = 0; (r = rg_import_base_nth(&g->base, f->path, spec, g->cache->aliases,
		g->cache->naliases, k)) != 1; k++) {
		if (r < 0)
			continue;
		for (i = 0; rg_import_candidate(&g->tmp, g->base.ptr, i) == 0; i++) {
			rg_ifile *known;

			if (!g->tmp.len)
				continue;
			known = ig_get(&g->files, g->tmp.ptr, g->tmp.len);
			if (known ? known->exists : ig_lookup(g, g->tmp.ptr, &id))
				return known ? known : rg_igraph_file(g, g->tmp.ptr);
		}
	}
	return NULL;
}

int rg_igraph_load(rg_igraph *g, rg_ifile *f)
{
	ig_blob *b;
	size_t i;
	int r;

	if (f->loaded)
		return RG_OK;
	f->loaded = 1;
	if (!f->exists || !rg_import_is_source(f->path))
		return RG_OK;
	if ((r = ig_blob_get(&b, g->cache, g->ctx, &f->id, rg_import_js_flags(f->path))) < 0)
		return r;
	f->imports = &b->imports;
	f->deps = rg_calloc(b->imports.n + 1, sizeof(*f->deps));
	for (i = 0; i < b->imports.n; i++)
		f->deps[i] = ig_resolve(g, f, b->imports.v[i].spec);
	return RG_OK;
}

int rg_igraph_reach(rg_igraph *g, rg_ifile *const *roots, size_t nroots)
{
	rg_ifile **queue = NULL;
	size_t head = 0, n = 0, alloc = 0, i;
	int r = RG_OK;

	for (i = 0; i < nroots; i++) {
		if (!roots[i]->exists || roots[i]->reachable)
			continue;
		roots[i]->reachable = 1;
		RG_GROW(queue, alloc, n + 1);
		queue[n++] = roots[i];
	}
	while (head < n && r == RG_OK) {
		rg_ifile *f = queue[head++];

		if ((r = rg_igraph_load(g, f)) < 0 || !f->imports)
			continue;
		for (i = 0; i < f->imports->n; i++) {
			rg_ifile *d = f->deps[i];

			if (!d || d->reachable || f->imports->v[i].type_only)
				continue;
			d->reachable = 1;
			d->via = f;
			RG_GROW(queue, alloc, n + 1);
			queue[n++] = d;
		}
	}
	free(queue);
	return r;
}

const rg_route_list *rg_igraph_routes(rg_igraph *g, rg_ifile *f)
{
	ig_blob *b;
	git_blob *blob = NULL;

	if (!f->exists || ig_blob_get(&b, g->cache, g->ctx, &f->id, rg_import_js_flags(f->path)) < 0 ||
	    !b->readable)
		return NULL;
	if (b->routes_parsed)
		return &b->routes;
	if (rg_ctx_blob(&blob, g->ctx, &f->id) < 0)
		return NULL;
	b->routes_parsed = 1;
	if (rg_route_parse(&b->routes, g->cache->parser, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob), b->flags) < 0)
		rg_route_list_free(&b->routes);
	git_blob_free(blob);
	return &b->routes;
}
