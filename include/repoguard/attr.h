/*
 * attr.h: a gitattributes file parser and matcher (the subset repoguard
 * needs: "pattern attr -attr !attr attr=value" lines, last match wins).
 * Patterns use repoguard's glob dialect (glob.h), relative to the directory
 * of the .gitattributes file. Not supported, as in git's rules for
 * attributes files: negative patterns ("!pattern", ignored), and here also
 * quoted patterns (ignored) and macros defined in another file: a macro
 * ("[attr]name attrs", and git's built-in "binary") is expanded in the file
 * that defines it.
 */
#ifndef REPOGUARD_ATTR_H
#define REPOGUARD_ATTR_H

#include <stddef.h>
#include "glob.h"

typedef struct {
	rg_patlist pat;       /* one pattern per line, same index as attrs */
	char **attrs;         /* the rest of each line */
} rg_attr_file;

/* Parse gitattributes text; origin names it in patterns. Never fails. */
rg_attr_file *rg_attr_parse(const char *text, size_t len, const char *origin);
void rg_attr_file_free(rg_attr_file *f);

/*
 * The value of attribute name for rel (a path relative to the file's
 * directory) after applying f on top of cur: "set", "unset", the value
 * (copied into buf), NULL when unspecified (or "!name"), or cur when f does
 * not mention name for rel.
 */
const char *rg_attr_lookup(const rg_attr_file *f, const char *rel, const char *name,
	char *buf, size_t buflen, const char *cur);

#endif
