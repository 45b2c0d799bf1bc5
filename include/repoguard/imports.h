/*
 * imports.h: JavaScript / TypeScript import parsing and the import graph
 * the routing check walks.
 *
 * Parsing is two steps. A small lexer masks the source: comments, and the
 * contents of string, template and regular-expression literals, become
 * spaces (newlines are kept, so offsets and line numbers do not move). pcre2
 * patterns then run over the masked text, so that only real code can match,
 * and the specifier is read back from the original text at the offsets of
 * the (masked) string the pattern matched. Recognised:
 *   import x from 'p'   import {a, type B} from "p"   import * as n from 'p'
 *   import type {T} from 'p'   (type_only)     import 'p'   (side effect)
 *   export {a} from 'p'   export * from 'p'   export type {T} from 'p'
 *   import('p')   React.lazy(() => import('p'))   require('p')
 *   import x = require('p')
 * A template specifier with a substitution (`./pages/${name}`) cannot be
 * resolved and is skipped.
 */
#ifndef REPOGUARD_IMPORTS_H
#define REPOGUARD_IMPORTS_H

#include <stddef.h>
#include <git2.h>
#include "buf.h"
#include "change.h"

struct rg_ctx;

enum rg_import_kind {
	RG_IMPORT_FROM = 1,    /* import ... from 'p' */
	RG_IMPORT_EXPORT,      /* export ... from 'p' */
	RG_IMPORT_SIDE,        /* import 'p' */
	RG_IMPORT_DYNAMIC,     /* import('p') */
	RG_IMPORT_REQUIRE      /* require('p') */
};

typedef struct {
	char *spec;       /* as written, NUL-terminated */
	int line;         /* 1-based line of the specifier */
	int kind;         /* enum rg_import_kind */
	int type_only;    /* import type / export type: erased at compile time */
} rg_import;

typedef struct {
	rg_import *v;
	size_t n, alloc;
} rg_import_list;

/* A route a router file declares: <Route path="/pulse" element={<Feed />} />, { path, element }. */
typedef struct {
	char *path;       /* "/pulse" */
	char *target;     /* "Feed", or NULL when none was found near it */
	int line;
} rg_route;

typedef struct {
	rg_route *v;
	size_t n, alloc;
} rg_route_list;

/* The compiled patterns (pcre2, JIT when available) and one match-data block. */
typedef struct rg_import_parser rg_import_parser;

int rg_import_parser_new(rg_import_parser **out);
void rg_import_parser_free(rg_import_parser *p);

/*
 * The dialect of a source file, for the lexer. RG_JS_JSX: JSX elements are
 * recognised where an expression starts (.jsx .tsx, and .js .mjs .cjs, where
 * React projects write JSX too); their text children are not lexed as code.
 * Without it (.ts .mts .cts, where `<T>x` is a type assertion) '<' is always
 * an operator.
 */
#define RG_JS_JSX 1u

/* The RG_JS_* flags for a source file named path. */
unsigned int rg_import_js_flags(const char *path);

/* Mask comments and literal contents of src into out (len bytes, no NUL added). */
void rg_js_mask(char *out, const char *src, size_t len, unsigned int flags);

/* Append the imports of text (a file of dialect flags, RG_JS_*) to out. */
int rg_import_parse(rg_import_list *out, rg_import_parser *p, const char *text, size_t len,
	unsigned int flags);
void rg_import_list_free(rg_import_list *l);

/* Append the routes text (a file of dialect flags, RG_JS_*) declares to out. */
int rg_route_parse(rg_route_list *out, rg_import_parser *p, const char *text, size_t len,
	unsigned int flags);
void rg_route_list_free(rg_route_list *l);

/* Can a file with this name hold imports (.js .jsx .ts .tsx .mjs .cjs .mts .cts)? */
int rg_import_is_source(const char *path);

/*
 * The repository path an import names before extension search: relative
 * specifiers against the importing file's directory, aliased ones with the
 * alias expanded ("@/" -> "src/"), normalised ("a/./b/../c" -> "a/c"), with
 * any "?query" or "#hash" dropped (a leading '#' is a subpath import
 * such as "#/x", not a hash). RG_ENOTFOUND for bare package imports
 * and for paths that leave the repository.
 */
typedef struct {
	char *from;       /* "@/" */
	char *to;         /* "src/" */
} rg_import_alias;

int rg_import_base(rg_buf *out, const char *importer, const char *spec,
	const rg_import_alias *aliases, size_t naliases);

/*
 * The same for the k-th alias that applies to spec: a prefix may be given
 * several paths, tried in turn as TypeScript tries the fallbacks of one
 * tsconfig "paths" key (@/=src/ @/=generated/); longer prefixes first, then
 * in configuration order. k = 0 is rg_import_base. Returns 1 when there is
 * no k-th base (a relative or package specifier has one at most), 2 (for
 * rg_import_base too) for a base from the alias with the empty prefix
 * ([routes] base_url), which names a package when nothing exists there.
 */
int rg_import_base_nth(rg_buf *out, const char *importer, const char *spec,
	const rg_import_alias *aliases, size_t naliases, size_t k);

/*
 * The i-th path tried for base, in resolution order: base itself, base with
 * .tsx .ts .jsx .js, a .js/.jsx specifier's TypeScript twin (.ts/.tsx), .mjs
 * .cjs .mts .cts .json, then base/index with each of those extensions.
 * Returns 0 while i is valid, else RG_ENOTFOUND.
 */
int rg_import_candidate(rg_buf *out, const char *base, size_t i);

/*
 * The import graph over one state (an index or a tree). Files are looked up
 * in that state only, never in the working tree. Parsed imports are cached
 * by blob id in an rg_import_cache that lives for the whole run, so a blob
 * is parsed at most once however many change sets see it.
 */
typedef struct rg_import_cache rg_import_cache;

rg_import_cache *rg_import_cache_new(const rg_import_alias *aliases, size_t naliases);
void rg_import_cache_free(rg_import_cache *c);
/* How many blobs were parsed (for tests and benchmarks). */
size_t rg_import_cache_parsed(const rg_import_cache *c);

typedef struct rg_ifile {
	char *path;
	git_oid id;
	int exists;                   /* a blob at path in the state */
	int loaded;                   /* imports parsed and resolved */
	int reachable;                /* set by rg_igraph_reach */
	const rg_import_list *imports;/* after loading; NULL for non-source files */
	struct rg_ifile **deps;       /* per import: the file it resolves to, or NULL */
	struct rg_ifile *via;         /* who reached it first (rg_igraph_reach) */
} rg_ifile;

typedef struct rg_igraph rg_igraph;

int rg_igraph_new(rg_igraph **out, rg_import_cache *c, struct rg_ctx *ctx, const rg_view *view);
void rg_igraph_free(rg_igraph *g);
/* The file at path (created on first use; check ->exists). */
rg_ifile *rg_igraph_file(rg_igraph *g, const char *path);
/* Parse f's blob (cached) and resolve each import to a file of the state. */
int rg_igraph_load(rg_igraph *g, rg_ifile *f);
/* Mark everything reachable from roots through runtime imports (not type_only). */
int rg_igraph_reach(rg_igraph *g, rg_ifile *const *roots, size_t nroots);
/* Routes declared in f (a router file); NULL when it cannot be read. */
const rg_route_list *rg_igraph_routes(rg_igraph *g, rg_ifile *f);
/* Does a file exist in the state? (no node is created) */
int rg_igraph_exists(rg_igraph *g, const char *path);
/* Every file the graph knows, in the order it met them. */
size_t rg_igraph_count(const rg_igraph *g);
rg_ifile *rg_igraph_at(const rg_igraph *g, size_t i);
const rg_import_alias *rg_igraph_aliases(const rg_igraph *g, size_t *n);

#endif
