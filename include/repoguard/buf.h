/* buf.h: a growable byte buffer, always NUL-terminated. */
#ifndef REPOGUARD_BUF_H
#define REPOGUARD_BUF_H

#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include "common.h"

typedef struct {
	char *ptr;
	size_t len;
	size_t alloc;
} rg_buf;

#define RG_BUF_INIT { NULL, 0, 0 }

void rg_buf_grow(rg_buf *b, size_t extra);
void rg_buf_put(rg_buf *b, const char *data, size_t len);
void rg_buf_puts(rg_buf *b, const char *s);
void rg_buf_putc(rg_buf *b, char c);
void rg_buf_printf(rg_buf *b, const char *fmt, ...) RG_PRINTF(2, 3);
void rg_buf_vprintf(rg_buf *b, const char *fmt, va_list ap);
void rg_buf_clear(rg_buf *b);
void rg_buf_truncate(rg_buf *b, size_t len);
/* Return the string and reset the buffer (caller frees). */
char *rg_buf_detach(rg_buf *b);
void rg_buf_dispose(rg_buf *b);
/*
 * Append what f holds, up to max bytes (0: no limit). Returns 0, 1 when the
 * input was longer than max (the rest is not read), or RG_ERROR on a read error.
 */
int rg_buf_read_stream(rg_buf *b, FILE *f, size_t max);
/* Append the file at path, as rg_buf_read_stream; RG_ENOTFOUND when it cannot be opened (errno kept). */
int rg_buf_read_file(rg_buf *b, const char *path, size_t max);
const char *rg_buf_cstr(const rg_buf *b);

/*
 * Shell-quote s for a copy-pasteable command: as is when plain, else '...' with
 * '\'' escapes; a string holding control characters (C0, DEL, C1) or bytes that are
 * not UTF-8 is quoted $'...' (bash, zsh, ksh93) with \n, \t and \NNN octal escapes, so
 * nothing raw reaches the terminal and the command still works when pasted.
 */
void rg_buf_shquote(rg_buf *b, const char *s);
/*
 * The length of the character at p (NUL-terminated): a valid UTF-8 sequence,
 * else one byte. *unsafe when it must not reach a terminal raw, as
 * rg_buf_shquote decides: a control character (C0, DEL, C1 U+0080..U+009F)
 * or a byte that is not part of valid UTF-8 (a lone 0x9B, 8-bit CSI).
 */
size_t rg_utf8_char(const char *p, int *unsafe);
/*
 * n bytes of s with every byte rg_utf8_char calls unsafe written as \ooo
 * (a tab kept when keep_tab): nothing from a repository reaches a terminal
 * as an escape sequence.
 */
void rg_buf_put_escaped(rg_buf *b, const char *s, size_t n, int keep_tab);
/* s with every byte that is not part of valid UTF-8 replaced by U+FFFD. */
void rg_buf_put_utf8(rg_buf *b, const char *s);
/* Is s (NUL-terminated) valid UTF-8 throughout? */
int rg_utf8_valid(const char *s);
/* base64 (RFC 4648, standard alphabet, padded) of n bytes at p. */
void rg_buf_base64(rg_buf *b, const void *p, size_t n);
/* JSON string literal including quotes; invalid UTF-8 becomes U+FFFD, control characters \u escapes. */
void rg_buf_json_str(rg_buf *b, const char *s);
/* C-quote a path the way git does (core.quotePath) when needed. */
void rg_buf_cquote(rg_buf *b, const char *s);
/*
 * Append the C-quoted string at s (it starts with '"') unquoted, as git's
 * unquote_c_style: \\ \" \a \b \f \n \r \t \v and three octal digits.
 * *end: just past the closing quote. RG_ERROR, b's new bytes dropped, when
 * s is not one such string.
 */
int rg_buf_unquote_c(rg_buf *b, const char *s, const char **end);

#endif
