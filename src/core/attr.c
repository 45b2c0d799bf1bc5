/* attr.c: gitattributes parsing and matching (see include/repoguard/attr.h). */
#include <stdlib.h>
#include <string.h>

#include "repoguard/attr.h"
#include "repoguard/buf.h"
#include "repoguard/common.h"

/* "[attr]name attrs" definitions read so far in one file, and git's built-in binary. */
typedef struct {
	struct attr_macro { char *name, *attrs; } *v;
	size_t n, alloc;
} attr_macros;

static void attr_macro_define(attr_macros *m, const char *def)
{
	size_t nl = strcspn(def, " \t\r");
	const char *rest = def + nl;

	if (!nl)
		return;
	RG_GROW(m->v, m->alloc, m->n + 1);
	m->v[m->n].name = rg_strndup(def, nl);
	m->v[m->n++].attrs = rg_strdup(rest + strspn(rest, " \t"));
}

/* attrs with each macro set by name followed by what it sets, as git expands it. */
static char *attr_expand(const attr_macros *m, const char *attrs)
{
	rg_buf out = RG_BUF_INIT;
	const char *s = attrs;

	while (*(s += strspn(s, " \t\r"))) {
		size_t tl = strcspn(s, " \t\r"), k;

		rg_buf_printf(&out, "%s%.*s", out.len ? " " : "", (int)tl, s);
		for (k = 0; k < m->n; k++)
			if (strlen(m->v[k].name) == tl && !strncmp(s, m->v[k].name, tl) && *m->v[k].attrs)
				rg_buf_printf(&out, " %s", m->v[k].attrs);
		s += tl;
	}
	return rg_buf_detach(&out);
}

static void attr_macros_free(attr_macros *m)
{
	size_t k;

	for (k = 0; k < m->n; k++) {
		free(m->v[k].name);
		free(m->v[k].attrs);
	}
	free(m->v);
}

/*
 * Macros ([attr]name ...) are expanded where the same file (or git's
 * built-in binary) defines them: "*.txt up" with "[attr]up filter=up" above
 * it sets filter. A macro defined in another file is not (see attr.h).
 */
rg_attr_file *rg_attr_parse(const char *text, size_t len, const char *origin)
{
	rg_attr_file *f = rg_calloc(1, sizeof(*f));
	attr_macros macros;
	size_t alloc = 0, pos = 0;
	int lineno = 0;

	memset(&macros, 0, sizeof(macros));
	attr_macro_define(&macros, "binary -diff -merge -text");

	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		char *buf = rg_strndup(line, ll), *p = buf, *pat;

		pos += ll + (nl ? 1 : 0);
		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (rg_str_startswith(p, "[attr]"))
			attr_macro_define(&macros, p + strlen("[attr]"));
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
			f->attrs[f->pat.n - 1] = attr_expand(&macros, p);
		}
		free(buf);
	}
	attr_macros_free(&macros);
	return f;
}

void rg_attr_file_free(rg_attr_file *f)
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
		if (*s == '-') {
			unset = 1;
			s++;
		} else if (*s == '!') {
			neg = 1;
			s++;
		}
		if ((size_t)(e - s) >= nl && !strncmp(s, name, nl) && (s + nl == e || s[nl] == '=')) {
			mentioned = 1;
			if (unset) {
				found = "unset";
			} else if (neg) {
				found = NULL;
			} else if (s + nl == e) {
				found = "set";
			} else {
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

const char *rg_attr_lookup(const rg_attr_file *f, const char *rel, const char *name,
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
