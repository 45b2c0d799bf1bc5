/*
 * content-ignore.c: texts a line rule no longer reports ([secrets] ignore).
 *
 * A secret found in history stays there after it is rotated, and a
 * rewrite of every clone is not always worth it: the team rotates it and
 * lists its id. The id is the git blob id of the masked text, so the rules
 * file never holds the secret, anyone can compute it with git hash-object,
 * and it matches the text wherever it is (any commit, path or line).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/content.h"

#define CI_MIN_DIGITS 12

static int ci_hex_ok(const char *w, size_t n)
{
	size_t i;

	if (n < CI_MIN_DIGITS || n > GIT_OID_HEXSZ)
		return 0;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)w[i]))
			return 0;
	return 1;
}

static void ci_add(rg_content_ignore *ig, const char *w, size_t n)
{
	char *h = rg_strndup(w, n), *p;

	for (p = h; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	ig->hex = rg_realloc(ig->hex, (ig->n + 1) * sizeof(*ig->hex));
	ig->hex[ig->n++] = h;
}

/*
 * A word that is no id, as the error names it: masked as an excerpt is.
 * The secret itself listed in place of its id is a plausible slip, and the
 * error is printed by every hook, CI's log too.
 */
static void ci_bad_word(rg_conf *conf, const rg_conf_entry *e, const char *w, size_t n)
{
	rg_buf word = RG_BUF_INIT, masked = RG_BUF_INIT;

	rg_buf_put(&word, w, n);
	rg_content_mask_value(&masked, rg_buf_cstr(&word));
	if (strcmp(rg_buf_cstr(&masked), rg_buf_cstr(&word)))
		rg_conf_error(conf, e,
			"[%s] ignore: '%s' is a secret, not its id: take it out of this file and list what "
			"printf %%s SECRET | git hash-object --stdin prints (a finding prints it too)",
			e->section, rg_buf_cstr(&masked));
	else
		rg_conf_error(conf, e,
			"[%s] ignore: '%s' is not a text's id (%d to %d hexadecimal digits, as a finding "
			"prints it; printf %%s TEXT | git hash-object --stdin computes it)",
			e->section, rg_buf_cstr(&word), CI_MIN_DIGITS, GIT_OID_HEXSZ);
	rg_buf_dispose(&masked);
	rg_buf_dispose(&word);
}

/* The words of one entry's value; a bad one is an error at its line. */
static void ci_entry(rg_content_ignore *ig, rg_conf *conf, const rg_conf_entry *e)
{
	const char *p = e->value, *w;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return;
		for (w = p; *p && *p != ' ' && *p != '\t'; p++)
			;
		if (ci_hex_ok(w, (size_t)(p - w)))
			ci_add(ig, w, (size_t)(p - w));
		else
			ci_bad_word(conf, e, w, (size_t)(p - w));
	}
}

void rg_content_ignore_load(rg_content_ignore *out, rg_conf *conf, const char *section)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->section = section;
	for (i = 0; i < conf->n; i++)
		if (!strcmp(conf->v[i].section, section) && !strcmp(conf->v[i].key, "ignore"))
			ci_entry(out, conf, &conf->v[i]);
}

void rg_content_ignore_free(rg_content_ignore *ig)
{
	size_t i;

	for (i = 0; i < ig->n; i++)
		free(ig->hex[i]);
	free(ig->hex);
	memset(ig, 0, sizeof(*ig));
}

void rg_content_text_id(char hex[GIT_OID_HEXSZ + 1], const char *text, size_t len)
{
	git_oid id;

	if (git_odb_hash(&id, text, len, GIT_OBJECT_BLOB) < 0) { /* only on a hashing failure */
		memset(hex, '0', GIT_OID_HEXSZ);
		hex[GIT_OID_HEXSZ] = '\0';
		return;
	}
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &id);
}

int rg_content_ignored(const rg_content_ignore *ig, const char *hex)
{
	size_t i;

	for (i = 0; ig && i < ig->n; i++)
		if (!strncmp(hex, ig->hex[i], strlen(ig->hex[i])))
			return 1;
	return 0;
}
