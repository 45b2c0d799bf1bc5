/*
 * glob.h: repoguard's one glob dialect, used by every rule.
 *
 * Patterns are gitignore patterns with git's wildmatch semantics:
 *   - a pattern with no '/' (other than a trailing one) matches a file or
 *     directory name at any depth: "node_modules/", "*.pem";
 *   - a pattern with a '/' at the start or in the middle is anchored at the
 *     repository root: "/dist/", "src/(starstar)/x.ts";
 *   - a trailing '/' matches directories only (everything below them);
 *   - '*' and '?' do not cross '/'; a "(starstar)" component (two '*') does:
 *     "a/(starstar)/b", "(starstar)/x", "x/(starstar)" (written with two stars);
 *   - "[a-z]", "[!a-z]" and "[[:alpha:]]" classes, '\' escapes;
 *   - a leading '!' re-includes what an earlier pattern matched; as in
 *     gitignore, nothing below a matched directory can be re-included.
 */
#ifndef REPOGUARD_GLOB_H
#define REPOGUARD_GLOB_H

#include <stddef.h>

#define RG_WM_PATHNAME 1
#define RG_WM_CASEFOLD 2

/* 0 on match, non-zero otherwise (fnmatch convention). */
int rg_wildmatch(const char *pattern, const char *text, unsigned flags);
/* Backtracking steps before a match switches to its memo (tests set 0). */
extern unsigned long rg_wildmatch_steps;

#define RG_PAT_NEGATE   1u
#define RG_PAT_DIRONLY  2u
#define RG_PAT_BASENAME 4u   /* no slash: match the last component */
#define RG_PAT_CASEFOLD 8u   /* compare ignoring ASCII case (rg_patlist_casefold) */

typedef struct {
	char *pattern;   /* normalised for rg_wildmatch */
	char *orig;      /* as written */
	unsigned flags;
	const char *file; /* origin, not owned */
	int line;
} rg_pattern;

typedef struct {
	rg_pattern *v;
	size_t n;
	size_t alloc;
} rg_patlist;

/* Parse one pattern; returns RG_ERROR (with rg_error_last()) when invalid. */
int rg_patlist_add(rg_patlist *l, const char *pat, const char *file, int line);
/* A glob a matcher can use: '[' closed, no trailing '\\'. RG_ERROR (message set) if not. */
int rg_glob_check(const char *pat);
/* Add every whitespace-separated word of s. */
int rg_patlist_add_words(rg_patlist *l, const char *s, const char *file, int line);
void rg_patlist_free(rg_patlist *l);
/* Make every pattern of the list compare ignoring ASCII case. */
void rg_patlist_casefold(rg_patlist *l);
void rg_patlist_copy(rg_patlist *dst, const rg_patlist *src);

/*
 * Does path (or, when isdir, the directory path) match the list? Leading
 * directories are considered as git does for .gitignore: if a parent
 * directory matches, the path matches, and *dirlen is set to the length of
 * that directory's path (else to strlen(path)). *by, when not NULL, is set to
 * the deciding pattern. Returns 1 on match, 0 otherwise.
 */
int rg_patlist_match(const rg_patlist *l, const char *path, int isdir,
	size_t *dirlen, const rg_pattern **by);

/* Only the path itself, without the parent directory walk; -1 undecided. */
int rg_patlist_match1(const rg_patlist *l, const char *path, int isdir,
	const rg_pattern **by);

/* Can the pattern ever match something below dir? Used to prune walks. */
int rg_pattern_is_literal(const char *s);

#endif
