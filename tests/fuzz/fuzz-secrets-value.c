/*
 * fuzz-secrets-value.c: the judges of a generic secret's value (code,
 * names, words, placeholders: secrets-code.c and rule-secrets.c). Input:
 * the value's bytes. Invariants: no crash or overread on any bytes; a value
 * read as code holds only an expression's bytes, a name only an
 * identifier's (and separators), a wordy token part only letters and
 * digits, and no name is taken for a secret.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/content.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int only(const char *s, size_t n, const char *extra)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      (c != '\0' && strchr(extra, c))))
			return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: any read past the value is an overread */
	char *s = malloc(size ? size : 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	if (rg_secrets_code_value(s, size) && !only(s, size, "_$.[]-;,(?<>"))
		abort();
	if (rg_secrets_identifier(s, size)) {
		if (!only(s, size, "_$") || !rg_secrets_name(s, size) || rg_secrets_generic_value(s, size, 1))
			abort();
	}
	if (rg_secrets_name(s, size) && (!only(s, size, "_$#:/.-") || rg_secrets_generic_value(s, size, 1)))
		abort();
	if (rg_secrets_wordy(s, size) && !only(s, size, ""))
		abort();
	if (size > 0) {
		(void)rg_secrets_generic_value(s, size, 0);
		(void)rg_secrets_url_value(s, size);
	}
	free(s);
	return 0;
}
