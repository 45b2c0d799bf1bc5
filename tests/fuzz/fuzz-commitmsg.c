/*
 * fuzz-commitmsg.c: the commit message parser (git's cleanup, scissors,
 * comment prefixes). Input: the first byte picks the comment prefix, the
 * rest is the message file. Invariants: the result has no comment lines,
 * no trailing blanks, no leading, trailing or doubled blank lines, and
 * cleaning it again changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/commitmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const rg_buf *b, const char *comment)
{
	const char *s = rg_buf_cstr(b), *p = s, *end = s + b->len;
	size_t cl = strlen(comment);
	int blank = 0;

	if (b->len && (s[0] == '\n' || s[b->len - 1] != '\n' || (b->len >= 2 && s[b->len - 2] == '\n')))
		abort();
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n >= cl && !memcmp(p, comment, cl))
			abort();
		if (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
			abort();
		if (!n && blank)
			abort(); /* two blank lines in a row */
		blank = !n;
		p += n + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const prefixes[] = { "#", ";", "//", "@" };
	const char *comment;
	rg_buf a = RG_BUF_INIT, b = RG_BUF_INIT;

	if (!size)
		return 0;
	comment = prefixes[data[0] % 4];
	rg_commit_msg_clean(&a, (const char *)data + 1, size - 1, comment);
	check(&a, comment);
	rg_commit_msg_clean(&b, rg_buf_cstr(&a), a.len, comment);
	if (a.len != b.len || memcmp(rg_buf_cstr(&a), rg_buf_cstr(&b), a.len))
		abort();
	rg_commit_msg_exempt(rg_buf_cstr(&a));
	rg_buf_dispose(&a);
	rg_buf_dispose(&b);
	return 0;
}
