/*
 * utf16.h: UTF-16 text, as Windows tools write it (a BOM first), decoded
 * to UTF-8 so that the line rules can read it.
 */
#ifndef REPOGUARD_UTF16_H
#define REPOGUARD_UTF16_H

#include <stddef.h>
#include "buf.h"

#define RG_UTF16_NONE 0
#define RG_UTF16_LE 1            /* BOM FF FE */
#define RG_UTF16_BE 2            /* BOM FE FF */

/*
 * The byte order the UTF-16 BOM at the start of data names, or
 * RG_UTF16_NONE: no BOM, or UTF-32LE's FF FE 00 00 (not UTF-16).
 */
int rg_utf16_bom(const char *data, size_t len);

/*
 * Append len bytes of UTF-16 in byte order (RG_UTF16_LE or _BE; the BOM
 * already skipped) to out as UTF-8. Never fails: an unpaired surrogate and
 * an odd last byte each become U+FFFD; U+0000 stays a NUL byte.
 */
void rg_utf16_to_utf8(rg_buf *out, const char *data, size_t len, int order);

#endif
