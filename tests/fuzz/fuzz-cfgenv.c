/*
 * fuzz-cfgenv.c: the GIT_CONFIG_PARAMETERS parser (git -c, --config-env).
 * Invariants: every key is canonical (looking it up finds it); a text that
 * parses, written back as git writes it ('key'='value', quotes as '\''
 * and '!' as '\!'), parses to the same entries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/cfgenv.h"
#include "repoguard/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* git's sq_quote_buf */
static void sq_quote(rg_buf *b, const char *s)
{
	rg_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'' || *s == '!') {
			rg_buf_puts(b, "'\\");
			rg_buf_putc(b, *s);
			rg_buf_putc(b, '\'');
		} else {
			rg_buf_putc(b, *s);
		}
	}
	rg_buf_putc(b, '\'');
}

static void requote(rg_buf *b, const rg_cfgenv *env)
{
	size_t i;

	for (i = 0; i < env->n; i++) {
		if (i)
			rg_buf_putc(b, ' ');
		sq_quote(b, env->v[i].key);
		rg_buf_putc(b, '=');
		if (env->v[i].value)
			sq_quote(b, env->v[i].value);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	rg_cfgenv a, b;
	rg_buf q = RG_BUF_INIT;
	size_t i;
	int r;

	if (size > 65536 || memchr(data, 0, size))
		return 0;
	text = rg_strndup((const char *)data, size);
	rg_cfgenv_init(&a);
	rg_cfgenv_init(&b);
	r = rg_cfgenv_parse(&a, text);
	for (i = 0; i < a.n; i++) {
		const rg_cfgenv_entry *e = rg_cfgenv_get(&a, a.v[i].key);

		if (!e || strcmp(e->key, a.v[i].key))
			abort();
	}
	if (r == RG_OK) {
		requote(&q, &a);
		if (rg_cfgenv_parse(&b, rg_buf_cstr(&q)) != RG_OK || b.n != a.n)
			abort();
		for (i = 0; i < a.n; i++) {
			if (strcmp(a.v[i].key, b.v[i].key) || !a.v[i].value != !b.v[i].value ||
			    (a.v[i].value && strcmp(a.v[i].value, b.v[i].value)))
				abort();
		}
	}
	rg_buf_dispose(&q);
	rg_cfgenv_free(&a);
	rg_cfgenv_free(&b);
	free(text);
	return 0;
}
