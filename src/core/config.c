/*
 * config.c: rules.ini parsing with inih, with file:line for every value.
 *
 * Debian's inih is built without INI_HANDLER_LINENO, so line numbers come
 * from our own reader fed through ini_parse_stream: the buffer is sized to
 * the longest line, so each reader call is exactly one line. Debian's build
 * also cuts lines at 200 bytes unless its runtime knobs are set; long pcre2
 * patterns need more, so the knobs are set per parse (RG_HAVE_INIH_KNOBS),
 * and a build without them refuses over-long lines instead of truncating.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ini.h>

#include "repoguard/common.h"
#include "repoguard/config.h"
#include "repoguard/finding.h"

#define CONF_MAX_FILE (4u << 20)
/* inih (MAX_SECTION 50) silently cuts longer section names */
#define CONF_MAX_SECTION 49

typedef struct {
	rg_conf *conf;
	const char *text;
	size_t len, pos;
	const char *origin;
	int line;
	int after_key;   /* a key was read since the last [header]: indented lines continue it */
	int cont;        /* the line being parsed continues the previous key */
} conf_parse;

void rg_conf_init(rg_conf *c)
{
	memset(c, 0, sizeof(*c));
}

void rg_conf_free(rg_conf *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].section);
		free(c->v[i].kind);
		free(c->v[i].name);
		free(c->v[i].key);
		free(c->v[i].value);
		free(c->v[i].joined);
	}
	for (i = 0; i < c->nhdr; i++)
		free(c->hdr[i].section);
	free(c->hdr);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c->v);
	rg_buf_dispose(&c->errors);
	free(c->errv);
	free(c->self_path);
	memset(c, 0, sizeof(*c));
}

void rg_conf_new_layer(rg_conf *c)
{
	c->layer++;
}

struct rg_conf_err {
	size_t off, len;     /* in c->errors, the newline included */
	size_t file;         /* the origin's index in c->files + 1; 0: no position */
	int line;
	int seq;
};

static size_t conf_file_rank(const rg_conf *c, const char *file)
{
	size_t i;

	for (i = 0; file && i < c->nfiles; i++)
		if (c->files[i] == file || !strcmp(c->files[i], file))
			return i + 1;
	return file ? c->nfiles + 1 : 0;
}

void rg_conf_error(rg_conf *c, const rg_conf_entry *at, const char *fmt, ...)
{
	va_list ap;
	struct rg_conf_err *e;
	size_t i;

	RG_GROW(c->errv, c->errv_alloc, (size_t)c->nerrors + 1);
	e = &c->errv[c->nerrors];
	e->off = c->errors.len;
	e->file = at ? conf_file_rank(c, at->file) : 0;
	e->line = at ? at->line : 0;
	e->seq = c->nerrors;
	if (at)
		rg_buf_printf(&c->errors, "%s:%d: ", at->file, at->line);
	va_start(ap, fmt);
	rg_buf_vprintf(&c->errors, fmt, ap);
	va_end(ap);
	rg_buf_putc(&c->errors, '\n');
	e->len = c->errors.len - e->off;
	/*
	 * One problem, one line: a value read by two rules (the size limit
	 * reads [size] severity twice) must not be reported twice.
	 */
	for (i = 0; i < (size_t)c->nerrors; i++) {
		if (c->errv[i].len == e->len &&
		    !memcmp(c->errors.ptr + c->errv[i].off, c->errors.ptr + e->off, e->len)) {
			rg_buf_truncate(&c->errors, e->off);
			return;
		}
	}
	c->nerrors++;
}

static int conf_err_cmp(const void *a, const void *b)
{
	const struct rg_conf_err *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

void rg_conf_errors_sort(rg_conf *c)
{
	rg_buf sorted = RG_BUF_INIT;
	size_t i, off = 0;

	if (c->nerrors < 2)
		return;
	qsort(c->errv, (size_t)c->nerrors, sizeof(*c->errv), conf_err_cmp);
	for (i = 0; i < (size_t)c->nerrors; i++) {
		rg_buf_put(&sorted, c->errors.ptr + c->errv[i].off, c->errv[i].len);
		c->errv[i].off = off;
		off += c->errv[i].len;
	}
	rg_buf_dispose(&c->errors);
	c->errors = sorted;
}

static const char *conf_intern_file(rg_conf *c, const char *origin)
{
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		if (!strcmp(c->files[i], origin))
			return c->files[i];
	RG_GROW(c->files, c->files_alloc, c->nfiles + 1);
	c->files[c->nfiles] = rg_strdup(origin);
	return c->files[c->nfiles++];
}

/* Remove the entries keep() rejects. */
static void conf_filter(rg_conf *c, int (*drop)(const rg_conf_entry *e, const void *arg), const void *arg)
{
	size_t i, o = 0;

	for (i = 0; i < c->n; i++) {
		rg_conf_entry *e = &c->v[i];

		if (drop(e, arg)) {
			free(e->section); free(e->kind); free(e->name);
			free(e->key); free(e->value); free(e->joined);
			continue;
		}
		c->v[o++] = *e;
	}
	c->n = o;
}

/*
 * A later layer replaces what earlier layers set for the same key. Done once
 * a layer is parsed, not at each of its lines: a file of 20,000 "paths ="
 * lines filtered the whole list 20,000 times (a second in every hook).
 * Entries of layer come after every older one, so for an older entry only
 * the entries after it can replace it.
 */
static void conf_drop_replaced(rg_conf *c, int layer)
{
	size_t i, j, o = 0;

	for (i = 0; i < c->n; i++) {
		rg_conf_entry *e = &c->v[i];
		int replaced = 0;

		for (j = i + 1; e->layer < layer && !replaced && j < c->n; j++)
			replaced = c->v[j].layer == layer && !strcmp(c->v[j].section, e->section) &&
				!strcmp(c->v[j].key, e->key);
		if (replaced) {
			free(e->section); free(e->kind); free(e->name);
			free(e->key); free(e->value); free(e->joined);
			continue;
		}
		c->v[o++] = *e;
	}
	c->n = o;
}

static int conf_in_layer(const rg_conf_entry *e, const void *arg)
{
	return e->layer == *(const int *)arg;
}

void rg_conf_drop_layer(rg_conf *c, int layer)
{
	size_t i, o = 0;

	conf_filter(c, conf_in_layer, &layer);
	for (i = 0; i < c->nhdr; i++) {
		if (c->hdr[i].layer == layer) {
			free(c->hdr[i].section);
			continue;
		}
		c->hdr[o++] = c->hdr[i];
	}
	c->nhdr = o;
}

/* [kind] or [kind.name]: neither part empty ("[content.]" names no rule). */
static int conf_valid_name(const char *s)
{
	size_t n = strlen(s);

	/* each part between dots has a name: not [.x], [content.] nor [content..x] */
	if (!n || s[0] == '.' || s[n - 1] == '.' || strstr(s, ".."))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.' || *s == '/'))
			return 0;
	return 1;
}

/* Has the name an empty part: a '.' at its start or end, or ".."? */
static int conf_empty_part(const char *s)
{
	size_t n = strlen(s);

	return n && (s[0] == '.' || s[n - 1] == '.' || strstr(s, "..") != NULL);
}

/*
 * inih (Debian's r55) strips " ; comment" from a value on the key's own line
 * but not from an indented continuation line, so that
 *     paths = a/
 *       b/      ; more
 * gave the patterns "b/", ";", "more". Strip it here the way inih does on
 * the first line: a ';' after whitespace starts a comment.
 */
static void conf_strip_comment(char *v)
{
	char *p, *end;

	for (p = v; *p; p++)
		if (*p == ';' && p > v && (p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
}

static int conf_handler(void *user, const char *section, const char *key, const char *value)
{
	conf_parse *p = user;
	rg_conf *c = p->conf;
	rg_conf_entry *e, at;
	const char *dot;

	at.file = p->origin;
	at.line = p->line;
	if (!*section) {
		rg_conf_error(c, &at, "'%s' is outside any [section]", key);
		return 0;
	}
	if (!conf_valid_name(section) || strlen(section) > CONF_MAX_SECTION)
		return 1; /* reported at its [header] (conf_check_header) */
	RG_GROW(c->v, c->alloc, c->n + 1);
	e = &c->v[c->n++];
	memset(e, 0, sizeof(*e));
	e->section = rg_strdup(section);
	dot = strchr(section, '.');
	e->kind = dot ? rg_strndup(section, (size_t)(dot - section)) : rg_strdup(section);
	e->name = dot ? rg_strdup(dot + 1) : NULL;
	e->key = rg_strdup(key);
	e->value = rg_strdup(value ? value : "");
	conf_strip_comment(e->value);
	e->file = p->origin;
	e->line = p->line;
	e->layer = c->layer;
	e->cont = p->cont;
	return 1;
}

/*
 * A "[section]" line: inih takes the name up to the first ']' and silently
 * drops the rest of the line, so "[block] paths = vendor/" was an empty
 * [block] and "[block]]" was [block]. Only blanks or a comment may follow.
 * The header is recorded (with its position): a section without keys still
 * exists, and an unknown one is reported at its header.
 */
static void conf_check_header(conf_parse *p, const char *line, size_t n, const rg_conf_entry *at)
{
	const char *close = memchr(line, ']', n);
	const char *rest;
	size_t len;
	rg_conf_header *h;
	rg_conf *c = p->conf;

	if (!close) {
		rg_conf_error(c, at, "syntax error: section header without ']'");
		return;
	}
	len = (size_t)(close - line - 1);
	for (rest = close + 1; rest < line + n && (*rest == ' ' || *rest == '\t' || *rest == '\r' || *rest == '\n'); rest++)
		;
	if (rest < line + n && *rest != ';' && *rest != '#') {
		size_t rl = (size_t)(line + n - rest);

		while (rl && (rest[rl - 1] == '\n' || rest[rl - 1] == '\r' || rest[rl - 1] == ' ' || rest[rl - 1] == '\t'))
			rl--;
		rg_conf_error(c, at, "text after the section header [%.*s]: '%.*s'; put each key = value on a line of its own",
			(int)len, line + 1, (int)rl, rest);
	}
	RG_GROW(c->hdr, c->hdr_alloc, c->nhdr + 1);
	h = &c->hdr[c->nhdr++];
	h->section = rg_strndup(line + 1, len);
	h->file = p->origin;
	h->line = p->line;
	h->layer = c->layer;
	if (!conf_valid_name(h->section))
		rg_conf_error(c, at, "invalid section name [%s]: %suse [kind] or [kind.name] (letters, digits, '-', '_', '.', '/')",
			h->section, conf_empty_part(h->section) ? "a part of it between dots is empty; " : "");
	else if (len > CONF_MAX_SECTION)
		rg_conf_error(c, at, "section name [%s] is longer than %d characters; shorten it",
			h->section, CONF_MAX_SECTION);
}

/*
 * inih reports only the first syntax error of a file; check every line here
 * so that each one is named: a section header needs its ']', anything else
 * that is not a comment or an indented continuation needs '=' or ':'.
 */
static void conf_check_syntax(conf_parse *p, const char *line, size_t n)
{
	size_t i = 0, bom = 0;
	rg_conf_entry at;
	const char *cr = memchr(line, '\r', n);

	at.file = p->origin;
	at.line = p->line;
	p->cont = 0;
	/* CR-only (old Mac) line endings: the whole file is one line to inih */
	if (cr && cr + 1 < line + n && cr[1] != '\n')
		rg_conf_error(p->conf, &at, "a carriage return (CR) inside a line: the file has "
			"CR-only line endings; convert them to LF (or CRLF)");
	if (p->line == 1 && n >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3))
		i = bom = 3;
	while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n'))
		i++;
	if (i == n || line[i] == ';' || line[i] == '#')
		return;
	if (i > bom && p->after_key) {
		p->cont = 1;
		return; /* continuation of the previous value (inih's rule) */
	}
	if (line[i] == '[') {
		p->after_key = 0;
		conf_check_header(p, line + i, n - i, &at);
		return;
	}
	p->after_key = 1;
	if (!memchr(line, '=', n) && !memchr(line, ':', n)) {
		if (i > bom) /* inih's bare "syntax error" said nothing of why */
			rg_conf_error(p->conf, &at, "syntax error: an indented line continues the key above it, "
				"and no key precedes it in its section: write 'key = value'");
		else
			rg_conf_error(p->conf, &at, "syntax error: expected 'key = value'");
	}
}

/*
 * An indented line that starts with "name =" is a key, not a continuation of
 * the previous value: `git config -f rules.ini ...` writes every key with a
 * leading tab, and inih would otherwise append "key = value" to the previous
 * key's list. Continuations (paths, patterns) do not start with "word =".
 * Returns how many leading blanks to drop.
 */
static size_t conf_indented_key(const char *line, size_t n)
{
	size_t i = 0, k;

	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == 0 || i == n || !((line[i] >= 'a' && line[i] <= 'z') || (line[i] >= 'A' && line[i] <= 'Z') || line[i] == '_'))
		return 0;
	for (k = i; k < n && ((line[k] >= 'a' && line[k] <= 'z') || (line[k] >= 'A' && line[k] <= 'Z') ||
			(line[k] >= '0' && line[k] <= '9') || line[k] == '_' || line[k] == '-'); k++)
		;
	while (k < n && (line[k] == ' ' || line[k] == '\t'))
		k++;
	return k < n && line[k] == '=' ? i : 0;
}

/*
 * A UTF-8 byte order mark is taken (by inih) only at the start of the file.
 * One that starts a later line (files joined with cat, each saved with its
 * BOM) was "syntax error: expected 'key = value'" or an unknown key whose
 * name began with invisible bytes: say what it is, once, and drop it so that
 * the rest of the line is read as written.
 */
static void conf_drop_bom(conf_parse *p, char *str, size_t *n)
{
	size_t at = p->line == 1 && *n >= 3 && !memcmp(str, "\xEF\xBB\xBF", 3) ? 3 : 0;
	rg_conf_entry where;

	if (*n < at + 3 || memcmp(str + at, "\xEF\xBB\xBF", 3))
		return;
	where.file = p->origin;
	where.line = p->line;
	rg_conf_error(p->conf, &where, "a UTF-8 byte order mark (EF BB BF) stands at the start of this line "
		"(a BOM belongs at most at the start of the file; files joined with cat keep each one's): remove it");
	memmove(str + at, str + at + 3, *n - at - 3 + 1);
	*n -= 3;
}

/* fgets-style reader over memory: one call, one line (see file comment). */
static char *conf_reader(char *str, int num, void *stream)
{
	conf_parse *p = stream;
	size_t n = 0;

	if (p->pos >= p->len || num < 2)
		return NULL;
	while (p->pos < p->len && n + 1 < (size_t)num) {
		char ch = p->text[p->pos++];

		str[n++] = ch == '\0' ? ' ' : ch;
		if (ch == '\n')
			break;
	}
	str[n] = '\0';
	p->line++;
	conf_drop_bom(p, str, &n);
	{
		size_t drop = conf_indented_key(str, n);

		if (drop) {
			memmove(str, str + drop, n - drop + 1);
			n -= drop;
		}
	}
	conf_check_syntax(p, str, n);
	return str;
}

static size_t conf_longest_line(const char *t, size_t len, int *at)
{
	size_t i, start = 0, max = 0;
	int line = 1;

	*at = 1;
	for (i = 0; i <= len; i++) {
		if (i == len || t[i] == '\n') {
			if (i - start > max) {
				max = i - start;
				*at = line;
			}
			start = i + 1;
			line++;
		}
	}
	return max;
}

/*
 * A file that is not text: UTF-16 (Windows PowerShell's '>' writes it) read
 * as bytes was every line "a carriage return inside a line", which sent its
 * author to fix line endings. Said once, at the first NUL byte.
 */
static int conf_not_text(rg_conf *c, const char *text, size_t len, const char *origin)
{
	const char *nul = memchr(text, '\0', len), *s;
	rg_conf_entry at;

	if (!nul)
		return 0;
	at.file = origin;
	at.line = 1;
	if (len >= 2 && ((unsigned char)text[0] == 0xFF || (unsigned char)text[0] == 0xFE) &&
	    (unsigned char)text[1] == ((unsigned char)text[0] ^ 0x01)) {
		rg_conf_error(c, &at, "the file is UTF-16 (its byte order mark is %02X %02X): save it as UTF-8",
			(unsigned char)text[0], (unsigned char)text[1]);
		return 1;
	}
	for (s = text; s < nul; s++)
		at.line += *s == '\n';
	rg_conf_error(c, &at, "a NUL byte: the file is not text; save it as UTF-8");
	return 1;
}

int rg_conf_parse_string(rg_conf *c, const char *text, size_t len, const char *origin)
{
	conf_parse p;
	int r, longest_at;
	size_t longest = conf_longest_line(text, len, &longest_at);
	int before = c->nerrors;

	memset(&p, 0, sizeof(p));
	p.conf = c;
	p.text = text;
	p.len = len;
	p.origin = conf_intern_file(c, origin);
	if (conf_not_text(c, text, len, p.origin))
		return RG_ECONFIG;
#ifdef RG_HAVE_INIH_KNOBS
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_max_line = (int)longest + 4;
	ini_initial_alloc = ini_max_line;
#else
	if (longest + 3 > INI_MAX_LINE) {
		rg_error_set("%s:%d: line is %zu bytes, longer than this build's inih allows (%d); "
			"build against Debian's libinih or shorten the line", origin, longest_at,
			longest, INI_MAX_LINE - 3);
		rg_conf_error(c, NULL, "%s", rg_error_last());
		return RG_ECONFIG;
	}
#endif
	r = ini_parse_stream(conf_reader, &p, conf_handler, &p);
	if (c->layer > 0)
		conf_drop_replaced(c, c->layer);
	if (r == -2) {
		rg_conf_error(c, NULL, "%s: out of memory while parsing", origin);
	} else if (r > 0 && c->nerrors == before) {
		rg_conf_entry at;

		at.file = p.origin;
		at.line = r;
		rg_conf_error(c, &at, "syntax error");
	}
	return c->nerrors > before ? RG_ECONFIG : RG_OK;
}

int rg_conf_parse_file(rg_conf *c, const char *path, const char *origin)
{
	rg_buf b = RG_BUF_INIT;
	int r = rg_buf_read_file(&b, path, CONF_MAX_FILE);

	if (r != 0) {
		if (r == 1)
			rg_conf_error(c, NULL, "%s: larger than 4 MiB, refusing to parse", path);
		else
			rg_conf_error(c, NULL, "%s: cannot read: %s", path, strerror(errno));
		rg_buf_dispose(&b);
		return RG_ECONFIG;
	}
	r = rg_conf_parse_string(c, rg_buf_cstr(&b), b.len, origin ? origin : path);
	rg_buf_dispose(&b);
	return r;
}

static int conf_key_known(const rg_section_spec *s, const char *key)
{
	const char *const *k;

	if (!strcmp(key, "severity"))
		return !(s->forms & RG_SEC_NO_SEVERITY);
	for (k = s->keys; k && *k; k++)
		if (!strcmp(*k, key))
			return 1;
	return 0;
}

static const rg_section_spec *conf_spec(const rg_section_spec *const *specs, size_t nspecs, const char *kind, size_t klen)
{
	size_t j;

	for (j = 0; j < nspecs; j++)
		if (strlen(specs[j]->kind) == klen && !memcmp(specs[j]->kind, kind, klen))
			return specs[j];
	return NULL;
}

/* Was [section] of file reported at its header already (unknown kind, bad name)? */
static int conf_header_reported(const rg_conf *c, const char *section, const char *file)
{
	size_t i;

	for (i = 0; i < c->nhdr; i++)
		if (!strcmp(c->hdr[i].section, section) && c->hdr[i].file == file)
			return 1;
	return 0;
}

void rg_conf_validate(rg_conf *c, const rg_section_spec *const *specs, size_t nspecs)
{
	size_t i;

	/* an unknown section is reported once, at its [header], keys or not */
	for (i = 0; i < c->nhdr; i++) {
		const rg_conf_header *h = &c->hdr[i];
		rg_conf_entry at;

		if (!conf_valid_name(h->section) || strlen(h->section) > CONF_MAX_SECTION ||
		    conf_spec(specs, nspecs, h->section, strcspn(h->section, ".")))
			continue;
		at.file = h->file;
		at.line = h->line;
		rg_conf_error(c, &at, "unknown section [%s]", h->section);
	}
	for (i = 0; i < c->n; i++) {
		const rg_conf_entry *e = &c->v[i];
		const rg_section_spec *s = conf_spec(specs, nspecs, e->kind, strlen(e->kind));

		if (!s) {
			if (!conf_header_reported(c, e->section, e->file))
				rg_conf_error(c, e, "unknown section [%s]", e->section);
			continue;
		}
		if (e->name && !(s->forms & RG_SEC_NAMED)) {
			rg_conf_error(c, e, "section [%s] takes no name: use [%s]", e->section, e->kind);
			continue;
		}
		if (!e->name && !(s->forms & RG_SEC_PLAIN)) {
			rg_conf_error(c, e, "section [%s] needs a name: use [%s.NAME]", e->section, e->kind);
			continue;
		}
		if (!conf_key_known(s, e->key)) {
			const char *hint = "";

			if (!strcmp(e->key, "severity"))
				hint = !strcmp(e->kind, "audit") ? ": the audit's are secret_severity and "
					"history_severity, and each rule's own" :
					": a severity is set in each rule's own section";
			rg_conf_error(c, e, "unknown key '%s' in [%s]%s", e->key, e->section, hint);
		}
	}
}

const rg_conf_entry *rg_conf_get(const rg_conf *c, const char *section, const char *key)
{
	size_t i = c->n;

	while (i-- > 0)
		if (!strcmp(c->v[i].section, section) && !strcmp(c->v[i].key, key))
			return &c->v[i];
	return NULL;
}

int rg_conf_has_section(const rg_conf *c, const char *section)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].section, section))
			return 1;
	for (i = 0; i < c->nhdr; i++)
		if (!strcmp(c->hdr[i].section, section))
			return 1;
	return 0;
}

/* The next entry of from's (section, key), or NULL. */
static rg_conf_entry *conf_next_same(rg_conf *c, rg_conf_entry *from)
{
	size_t i;

	for (i = (size_t)(from - c->v) + 1; i < c->n; i++)
		if (!strcmp(c->v[i].section, from->section) && !strcmp(c->v[i].key, from->key))
			return &c->v[i];
	return NULL;
}

static rg_conf_entry *conf_first(rg_conf *c, const char *section, const char *key)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].section, section) && !strcmp(c->v[i].key, key))
			return &c->v[i];
	return NULL;
}

/* Record the error about a second line for key once, at that line. */
static void conf_second_line(rg_conf *c, rg_conf_entry *first, rg_conf_entry *e)
{
	if (e->reported)
		return;
	e->reported = 1;
	if (e->cont)
		rg_conf_error(c, e, "[%s] %s takes one value; this line continues it (line %d): "
			"write it on one line", e->section, e->key, first->line);
	else
		rg_conf_error(c, e, "[%s] sets %s twice (first at line %d): keep one", e->section,
			e->key, first->line);
}

const rg_conf_entry *rg_conf_get_single(rg_conf *c, const char *section, const char *key)
{
	rg_conf_entry *found = conf_first(c, section, key), *second = found ? conf_next_same(c, found) : NULL;

	if (second) {
		rg_conf_error(c, second, "[%s] has a second %s (first at line %d): join them with '|'",
			section, key, found->line);
		return NULL;
	}
	return found;
}

const rg_conf_entry *rg_conf_get_one(rg_conf *c, const char *section, const char *key)
{
	rg_conf_entry *first = conf_first(c, section, key), *e, *last = first;

	for (e = first; e && (e = conf_next_same(c, e)) != NULL;) {
		conf_second_line(c, first, e);
		last = e;
	}
	return last;
}

/*
 * A message may read on over indented lines, which are joined with a space;
 * a repeated key is still an error.
 */
const char *rg_conf_str(rg_conf *c, const char *section, const char *key, const char *def)
{
	rg_conf_entry *first = conf_first(c, section, key), *e, *head;
	rg_buf b = RG_BUF_INIT;

	if (!first)
		return def;
	head = first;
	for (e = first; (e = conf_next_same(c, e)) != NULL;) {
		if (!e->cont) {
			conf_second_line(c, first, e);
			head = e;
		}
	}
	if (head->joined)
		return head->joined;
	rg_buf_puts(&b, head->value);
	for (e = head; (e = conf_next_same(c, e)) != NULL && e->cont;) {
		if (*e->value)
			rg_buf_printf(&b, "%s%s", b.len ? " " : "", e->value);
	}
	if (!b.len) {
		rg_buf_dispose(&b);
		return head->value;
	}
	head->joined = rg_buf_detach(&b);
	return head->joined;
}

int rg_conf_bool(rg_conf *c, const char *section, const char *key, int def)
{
	static const char *yes[] = { "true", "yes", "on", "1" };
	static const char *no[] = { "false", "no", "off", "0" };
	const rg_conf_entry *e = rg_conf_get_one(c, section, key);
	size_t i;

	if (!e)
		return def;
	for (i = 0; i < RG_ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(e->value, yes[i]))
			return 1;
		if (!strcasecmp(e->value, no[i]))
			return 0;
	}
	rg_conf_error(c, e, "'%s' for %s is not a boolean (true/false)", e->value, key);
	return def;
}

uint64_t rg_conf_size(rg_conf *c, const char *section, const char *key, uint64_t def)
{
	const rg_conf_entry *e = rg_conf_get_one(c, section, key);
	uint64_t v;

	if (!e)
		return def;
	if (rg_parse_size(&v, e->value) < 0) {
		rg_conf_error(c, e, "'%s' for %s is not a size (e.g. 5M, 512K, 1G, 1048576)", e->value, key);
		return def;
	}
	return v;
}

const char *rg_conf_entry_repo_file(const rg_conf *c, const rg_conf_entry *e)
{
	/* layer 0 is the built-in rules; the repository's file is the layer over them */
	return e && e->layer > 0 && c->self_path ? c->self_path : NULL;
}

const char *rg_conf_repo_anchor(int *line, const rg_conf *c, const char *section, const char *key)
{
	const rg_conf_entry *e = key ? rg_conf_get(c, section, key) : NULL;
	size_t i;

	*line = 0;
	if (rg_conf_entry_repo_file(c, e)) {
		*line = e->line;
		return c->self_path;
	}
	for (i = 0; c->self_path && i < c->nhdr; i++)
		if (c->hdr[i].layer > 0 && !strcmp(c->hdr[i].section, section)) {
			*line = c->hdr[i].line;
			return c->self_path;
		}
	return NULL;
}

int64_t rg_conf_int(rg_conf *c, const char *section, const char *key, int64_t def)
{
	const rg_conf_entry *e = rg_conf_get_one(c, section, key);
	char *end;
	long long v;

	if (!e)
		return def;
	errno = 0;
	v = strtoll(e->value, &end, 10);
	if (errno || end == e->value || *end || v < 0) {
		rg_conf_error(c, e, "'%s' for %s is not a non-negative integer", e->value, key);
		return def;
	}
	return v;
}

int64_t rg_conf_duration(rg_conf *c, const char *section, const char *key, int64_t def)
{
	const rg_conf_entry *e = rg_conf_get_one(c, section, key);
	int64_t v;

	if (!e)
		return def;
	if (rg_parse_duration(&v, e->value) < 0) {
		rg_conf_error(c, e, "'%s' for %s is not a duration (e.g. 30m, 4h, 1d)", e->value, key);
		return def;
	}
	return v;
}

/*
 * Quotes are not syntax in this file: paths = "dist/" is a pattern for a
 * name that starts and ends with '"', which blocks nothing, silently (and
 * replaces the built-in list). Nor does '#' start a comment after a value:
 * "dist/ # build output" made patterns of "#", "build" and "output", which
 * block honest files (a pattern starting with '#' is written "\#", as in
 * .gitignore). Such a word is an error naming the key.
 */
static int conf_word_syntax(rg_conf *c, const rg_conf_entry *e, const char *w, size_t n)
{
	if (n && w[0] == '#') {
		rg_conf_error(c, e, "%s: '#' starts a comment only on a line of its own; after a value "
			"write ' ;' (a pattern starting with '#' is written '\\#')", e->key);
		return 1;
	}
	if (!n || !(w[0] == '"' || w[0] == '\'' ||
		    ((w[n - 1] == '"' || w[n - 1] == '\'') && !(n > 1 && w[n - 2] == '\\'))))
		return 0; /* \" is a quote in a name, as in .gitignore */
	rg_conf_error(c, e, "%s: %.*s is quoted, but quotes are part of a pattern here: write it without them "
		"(patterns are separated by blanks; match a blank inside one with [[:space:]], a quote "
		"in a name with \\\")", e->key, (int)n, w);
	return 1;
}

static void conf_words_syntax(rg_conf *c, const rg_conf_entry *e)
{
	const char *s = e->value;

	while (*s) {
		size_t n;

		while (*s == ' ' || *s == '\t')
			s++;
		n = strcspn(s, " \t");
		conf_word_syntax(c, e, s, n);
		if (*s == '#')
			break; /* the rest is the comment */
		s += n;
	}
}

void rg_conf_patterns(rg_patlist *out, rg_conf *c, const char *section, const char *key)
{
	const rg_conf_entry *last = NULL;
	size_t i, first = out->n, positive = 0;

	for (i = 0; i < c->n; i++) {
		const rg_conf_entry *e = &c->v[i];

		if (strcmp(e->section, section) || strcmp(e->key, key))
			continue;
		conf_words_syntax(c, e); /* an error, but the words still count: nothing cascades */
		if (rg_patlist_add_words(out, e->value, e->file, e->line) < 0)
			rg_conf_error(c, e, "%s", rg_error_last());
		last = e;
	}
	for (i = first; i < out->n; i++)
		positive += !(out->v[i].flags & RG_PAT_NEGATE);
	/* a !pattern takes back what an earlier one matched: alone, it matches nothing (gitignore) */
	if (out->n > first && !positive)
		rg_conf_error(c, last, "%s= in [%s] has only !patterns, which match nothing (name the paths "
			"first, then subtract: %s = src/** !src/vendor/**)", key, section, key);
}

static char **conf_words(rg_conf *c, const char *section, const char *key, int globs);

char **rg_conf_words(rg_conf *c, const char *section, const char *key)
{
	return conf_words(c, section, key, 0);
}

char **rg_conf_globs(rg_conf *c, const char *section, const char *key)
{
	return conf_words(c, section, key, 1);
}

static char **conf_words(rg_conf *c, const char *section, const char *key, int globs)
{
	char **v = NULL;
	size_t n = 0, alloc = 0, i;

	for (i = 0; i < c->n; i++) {
		const char *s = c->v[i].value;

		if (strcmp(c->v[i].section, section) || strcmp(c->v[i].key, key))
			continue;
		while (*s) {
			const char *e;

			while (*s == ' ' || *s == '\t')
				s++;
			if (!*s)
				break;
			for (e = s; *e && *e != ' ' && *e != '\t'; e++)
				;
			RG_GROW(v, alloc, n + 2);
			v[n++] = rg_strndup(s, (size_t)(e - s));
			if (globs && !conf_word_syntax(c, &c->v[i], s, (size_t)(e - s)) && rg_glob_check(v[n - 1]) < 0)
				rg_conf_error(c, &c->v[i], "%s: %s", key, rg_error_last());
			s = e;
		}
	}
	RG_GROW(v, alloc, n + 1);
	v[n] = NULL;
	return v;
}

void rg_strv_free(char **v)
{
	char **p;

	for (p = v; p && *p; p++)
		free(*p);
	free(v);
}

int rg_conf_severity(rg_conf *c, const char *section, int def)
{
	const rg_conf_entry *e = rg_conf_get_one(c, section, "severity");
	int sev;

	if (!e)
		return def;
	if (rg_severity_parse(&sev, e->value) < 0) {
		rg_conf_error(c, e, "'%s' is not a severity (error, warn, off)", e->value);
		return def;
	}
	return sev;
}

const rg_conf_entry *rg_conf_section_at(rg_conf_entry *at, const rg_conf *c, const char *section)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].section, section))
			return &c->v[i];
	for (i = 0; i < c->nhdr; i++) {
		if (strcmp(c->hdr[i].section, section))
			continue;
		memset(at, 0, sizeof(*at));
		at->file = c->hdr[i].file;
		at->line = c->hdr[i].line;
		at->layer = c->hdr[i].layer;
		return at;
	}
	return NULL;
}

/* Add section to v unless it is there. */
static void conf_sections_add(char ***v, size_t *n, size_t *alloc, const char *section)
{
	size_t j;

	for (j = 0; j < *n; j++)
		if (!strcmp((*v)[j], section))
			return;
	RG_GROW(*v, *alloc, *n + 2);
	(*v)[(*n)++] = rg_strdup(section);
}

char **rg_conf_sections(const rg_conf *c, const char *kind, int named)
{
	char **v = NULL;
	size_t n = 0, alloc = 0, i, klen = strlen(kind);

	for (i = 0; i < c->n; i++) {
		const rg_conf_entry *e = &c->v[i];

		if (strcmp(e->kind, kind) || (named ? !e->name : !!e->name))
			continue;
		conf_sections_add(&v, &n, &alloc, e->section);
	}
	/* sections written without keys ("[deploy.web]" alone is a target, to be checked) */
	for (i = 0; i < c->nhdr; i++) {
		const char *s = c->hdr[i].section;

		if (!conf_valid_name(s) || strlen(s) > CONF_MAX_SECTION ||
		    strncmp(s, kind, klen) || s[klen] != (named ? '.' : '\0'))
			continue;
		conf_sections_add(&v, &n, &alloc, s);
	}
	RG_GROW(v, alloc, n + 1);
	v[n] = NULL;
	return v;
}

/* Add section to done unless it is there: 1 when it was not (the dump writes it now). */
static int conf_dump_first(const char ***done, size_t *ndone, size_t *alloc, const char *section)
{
	size_t k;

	for (k = 0; k < *ndone; k++)
		if (!strcmp((*done)[k], section))
			return 0;
	RG_GROW(*done, *alloc, *ndone + 1);
	(*done)[(*ndone)++] = section;
	return 1;
}

/*
 * What 0 means for the limits where it is not a plain number: `repoguard
 * config` says so next to the value. A limit of 0 files added or 0 bytes
 * would block every commit that adds a file (every non-empty file), which
 * nobody means, so there it turns the rule off; 0 deletions is a policy
 * (this repository never loses a file), as it always was.
 */
static const struct {
	const char *kind, *key, *meaning;
} conf_zero_meanings[] = {
	{ "bulk", "max_added_files", "0: the rule is off, no limit on added files" },
	{ "size", "max_file_size", "0: the rule is off, no size limit" },
	{ "block", "max_file_size", "0: the size rule is off, no size limit" },
	{ "protect", "max_deleted_files", "0: no file may be deleted; for no limit, leave the key out" },
	{ "content", "max_file_size", "0: no size limit, every file is checked whatever its size" },
};

/* Is a size or count value zero ("0", "000", "0M")? */
static int conf_value_zero(const char *v)
{
	size_t n = strspn(v, "0");

	return n > 0 && (!v[n] || (strchr("KkMmGg", v[n]) && !v[n + 1]));
}

static const char *conf_zero_meaning(const rg_conf_entry *e)
{
	size_t i;

	if (e->cont || !e->value || !conf_value_zero(e->value))
		return NULL;
	for (i = 0; i < sizeof(conf_zero_meanings) / sizeof(conf_zero_meanings[0]); i++)
		if (!strcmp(e->kind, conf_zero_meanings[i].kind) && !strcmp(e->key, conf_zero_meanings[i].key))
			return conf_zero_meanings[i].meaning;
	return NULL;
}

/*
 * The size limit has two keys (rg_size_limit): [block] max_file_size, set in
 * a later layer than [size]'s, replaces it, and in one file [size] wins. The
 * one that does not count is dumped with the one that does, so the dump does
 * not show the built-in 5M as the limit in force.
 */
static const rg_conf_entry *conf_size_replaced_by(const rg_conf *c, const rg_conf_entry *e)
{
	const rg_conf_entry *b, *z;

	if (e->cont || strcmp(e->key, "max_file_size") ||
	    (strcmp(e->section, "size") && strcmp(e->section, "block")))
		return NULL;
	b = rg_conf_get(c, "block", "max_file_size");
	z = rg_conf_get(c, "size", "max_file_size");
	if (!b || !z)
		return NULL;
	if (b->layer > z->layer)
		return e->section[0] == 's' ? b : NULL;
	return e->section[0] == 'b' ? z : NULL;
}

void rg_conf_dump(rg_buf *out, const rg_conf *c, int with_origin)
{
	const char **done = NULL;
	size_t ndone = 0, alloc = 0, i, j;

	for (i = 0; i < c->n; i++) {
		if (!conf_dump_first(&done, &ndone, &alloc, c->v[i].section))
			continue;
		rg_buf_printf(out, "%s[%s]\n", ndone > 1 ? "\n" : "", c->v[i].section);
		for (j = i; j < c->n; j++) {
			const rg_conf_entry *e = &c->v[j];

			if (strcmp(e->section, c->v[i].section))
				continue;
			/* a continuation line as written: it reads on from the key above */
			if (e->cont)
				rg_buf_printf(out, "  %s", e->value);
			else
				rg_buf_printf(out, "%s = %s", e->key, e->value);
			if (with_origin)
				rg_buf_printf(out, "\t; %s:%d", e->file, e->line);
			if (conf_size_replaced_by(c, e)) {
				const rg_conf_entry *by = conf_size_replaced_by(c, e);

				rg_buf_printf(out, with_origin ? " (not in effect: [%s] max_file_size = %s, %s:%d, is)" :
					"\t; not in effect: [%s] max_file_size = %s is", by->section, by->value,
					by->file, by->line);
			} else if (conf_zero_meaning(e)) {
				rg_buf_printf(out, with_origin ? " (%s)" : "\t; %s", conf_zero_meaning(e));
			}
			rg_buf_putc(out, '\n');
		}
	}
	/* sections written without keys ("[lfs]": the rule on at its defaults) */
	for (i = 0; i < c->nhdr; i++) {
		if (!conf_dump_first(&done, &ndone, &alloc, c->hdr[i].section))
			continue;
		rg_buf_printf(out, "%s[%s]", ndone > 1 ? "\n" : "", c->hdr[i].section);
		if (with_origin)
			rg_buf_printf(out, "\t; %s:%d", c->hdr[i].file, c->hdr[i].line);
		rg_buf_putc(out, '\n');
	}
	free(done);
}
