/*
 * attr.h: gitattributes files, parsed and evaluated as git does
 * (gitattributes(5), git's attr.c):
 *   - "pattern attr -attr !attr attr=value" lines; a pattern may be
 *     C-quoted ("Design Assets/x.psd"); a UTF-8 byte order mark before the
 *     first line is skipped; negative patterns ("!pattern") are ignored;
 *   - files are stacked system, global, the tree's from the root down to
 *     the path's own directory, then $GIT_DIR/info/attributes: the last
 *     matching line of the highest file decides each attribute;
 *   - macros ("[attr]name attrs", and git's built-in "binary") may be
 *     defined in the root .gitattributes, info/attributes and the global
 *     and system files, and apply in every file; a set macro sets what it
 *     stands for unless a higher line decided that already.
 * Patterns use repoguard's glob dialect (glob.h), relative to the directory
 * of their file.
 */
#ifndef REPOGUARD_ATTR_H
#define REPOGUARD_ATTR_H

#include <stddef.h>
#include "glob.h"

struct rg_attr_macro;

typedef struct {
	rg_patlist pat;       /* one pattern per line, same index as attrs */
	char **attrs;         /* the rest of each line */
	struct rg_attr_macro *macros; /* "[attr]" lines, in file order */
	size_t nmacros, macros_alloc;
} rg_attr_file;

/* Parse gitattributes text; origin names it in patterns. Never fails. */
rg_attr_file *rg_attr_parse(const char *text, size_t len, const char *origin);
void rg_attr_file_free(rg_attr_file *f);
/* Match the file's patterns ignoring ASCII case (core.ignorecase). */
void rg_attr_casefold(rg_attr_file *f);
/* The attributes file at path (NULL: none, or unreadable), its patterns casefolded when asked. */
rg_attr_file *rg_attr_read(const char *path, const char *origin, int casefold);

/* One directory's .gitattributes: the directory is the first len bytes of the path (with its '/'). */
typedef struct {
	size_t len;
	rg_attr_file *file;   /* NULL: none there */
} rg_attr_level;

/* The files git consults for one path, each may be NULL. */
typedef struct {
	const rg_attr_file *system, *global;
	const rg_attr_level *tree;  /* root first; tree[0] (len 0) may define macros */
	size_t ntree;
	const rg_attr_file *info;
} rg_attr_stack;

/*
 * The value of attribute name for path: "set", "unset", the value (copied
 * into buf, cut to buflen - 1 bytes), or NULL when unspecified or "!name".
 */
const char *rg_attr_get(const rg_attr_stack *s, const char *path, const char *name,
	char *buf, size_t buflen);

/* Does any file of the stack apply? */
int rg_attr_stack_any(const rg_attr_stack *s);

#endif
