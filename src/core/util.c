/* util.c: memory, error state, sizes and durations. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <git2.h>

#include "repoguard/common.h"

/* per thread: the content scan runs on several (content-scan.c) */
static __thread char rg_errmsg[1024];

static void rg_oom(void)
{
	fputs("repoguard: fatal: out of memory\n", stderr);
	exit(RG_EXIT_INTERNAL);
}

void *rg_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		rg_oom();
	return p;
}

void *rg_calloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		rg_oom();
	return p;
}

void *rg_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		rg_oom();
	return q;
}

char *rg_strdup(const char *s)
{
	return rg_strndup(s, strlen(s));
}

char *rg_strndup(const char *s, size_t n)
{
	char *p = rg_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *rg_vprintf(const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		rg_oom();
	p = rg_malloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *rg_printf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = rg_vprintf(fmt, ap);
	va_end(ap);
	return p;
}

/*
 * Arrays of RG_HUGE / 4 bytes and more are put in whole 2 MiB-aligned pages with
 * transparent huge pages asked for. The first write to a fresh 4 KiB page is
 * a page fault, at about 10 us each on a paravirtualised machine: the change
 * set, the content scan's items and the index entries of a 10,000-file
 * commit were 1,400 faults, 14 ms on the one thread that builds them, where
 * the huge pages are three. Where THP is off, the memory is as malloc's.
 */
#define RG_HUGE ((size_t)2 << 20)

void *rg_alloc_huge(size_t *size)
{
	size_t n = (*size + RG_HUGE - 1) & ~(RG_HUGE - 1);
	void *p;

	if (*size < RG_HUGE / 4)
		return rg_malloc(*size);
	if (posix_memalign(&p, RG_HUGE, n))
		rg_oom();
	madvise(p, n, MADV_HUGEPAGE);
	*size = n;
	return p;
}

void rg_grow(void **arr, size_t *alloc, size_t need, size_t sz)
{
	size_t n, bytes;
	void *p;

	if (need <= *alloc)
		return;
	n = *alloc ? *alloc : 8;
	while (n < need)
		n *= 2;
	bytes = n * sz;
	if (bytes < RG_HUGE / 4) {
		*arr = rg_realloc(*arr, bytes);
		*alloc = n;
		return;
	}
	p = rg_alloc_huge(&bytes);
	if (*alloc)
		memcpy(p, *arr, *alloc * sz);
	free(*arr);
	*arr = p;
	*alloc = bytes / sz;
}

void rg_error_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rg_errmsg, sizeof(rg_errmsg), fmt, ap);
	va_end(ap);
}

const char *rg_error_last(void)
{
	return rg_errmsg[0] ? rg_errmsg : "unknown error";
}

void rg_error_clear(void)
{
	rg_errmsg[0] = '\0';
}

int rg_error_from_git(const char *what)
{
	const git_error *e = git_error_last();

	rg_error_set("%s: %s", what, e && e->message ? e->message : "unknown libgit2 error");
	return RG_ERROR;
}

int rg_error_from_git_index(const char *what)
{
	const git_error *e = git_error_last();

	/* libgit2 1.5 reads no split index (its "link" extension): say what to do */
	if (e && e->message && strstr(e->message, "extension: 'link'")) {
		rg_error_set("%s: the index is a split index (git update-index --split-index, "
			"core.splitIndex), which libgit2 cannot read; run git update-index --no-split-index "
			"(and git config core.splitIndex false), then run again", what);
		return RG_EREFUSED;
	}
	return rg_error_from_git(what);
}

void rg_fmt_size(char *out, size_t outlen, uint64_t bytes)
{
	static const char *units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	size_t u = 0;

	if (bytes < 1024) {
		snprintf(out, outlen, "%" PRIu64 " %s", bytes, bytes == 1 ? "byte" : "bytes");
		return;
	}
	while (v >= 1024.0 && u + 1 < RG_ARRAY_SIZE(units)) {
		v /= 1024.0;
		u++;
	}
	snprintf(out, outlen, "%.1f %s", v, units[u]);
}

void rg_fmt_count(char *out, size_t outlen, uint64_t n)
{
	char tmp[32];
	size_t len, i, o = 0;

	snprintf(tmp, sizeof(tmp), "%" PRIu64, n);
	len = strlen(tmp);
	for (i = 0; i < len && o + 1 < outlen; i++) {
		if (i && (len - i) % 3 == 0 && o + 2 < outlen)
			out[o++] = ',';
		out[o++] = tmp[i];
	}
	out[o] = '\0';
}

/* Parse "5M", "5MiB", "512k", "1G", "100" (bytes). Binary multiples. */
int rg_parse_size(uint64_t *out, const char *s)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	if (!s || !*s || *s == '-')
		return RG_ERROR;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return RG_ERROR;
	switch (*end) {
	case '\0': break;
	case 'b': case 'B': end++; break;
	case 'k': case 'K': mult = 1024ULL; end++; break;
	case 'm': case 'M': mult = 1024ULL * 1024; end++; break;
	case 'g': case 'G': mult = 1024ULL * 1024 * 1024; end++; break;
	default: return RG_ERROR;
	}
	if (mult > 1 && (*end == 'i' || *end == 'I'))
		end++;
	if (mult > 1 && (*end == 'b' || *end == 'B'))
		end++;
	if (*end)
		return RG_ERROR;
	if (v > UINT64_MAX / mult)
		return RG_ERROR;
	*out = (uint64_t)v * mult;
	return RG_OK;
}

int rg_parse_duration(int64_t *out, const char *s)
{
	char *end;
	long long v;
	int64_t mult;

	if (!s || !*s || *s == '-')
		return RG_ERROR;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || v <= 0)
		return RG_ERROR;
	switch (*end) {
	case 's': mult = 1; break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	case 'w': mult = 7 * 86400; break;
	default: return RG_ERROR;
	}
	if (end[1] != '\0' || v > INT64_MAX / mult)
		return RG_ERROR;
	*out = (int64_t)v * mult;
	return RG_OK;
}

void rg_fmt_duration(char *out, size_t outlen, int64_t secs)
{
	const char *sign = secs < 0 ? "-" : "";

	if (secs < 0)
		secs = -secs;
	if (secs < 60)
		snprintf(out, outlen, "%s%" PRId64 "s", sign, secs);
	else if (secs < 3600)
		snprintf(out, outlen, "%s%" PRId64 "m", sign, secs / 60);
	else if (secs < 86400)
		snprintf(out, outlen, "%s%" PRId64 "h%02" PRId64 "m", sign, secs / 3600, (secs % 3600) / 60);
	else
		snprintf(out, outlen, "%s%" PRId64 "d%02" PRId64 "h", sign, secs / 86400, (secs % 86400) / 3600);
}

int rg_str_endswith(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

int rg_env_flag(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0") != 0;
}

int rg_str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *rg_path_below(const char *base, const char *path)
{
	char *b = base ? realpath(base, NULL) : NULL, *p = path ? realpath(path, NULL) : NULL, *rel = NULL;
	size_t n = b ? strlen(b) : 0;

	if (b && p && !strncmp(p, b, n)) {
		if (n && b[n - 1] == '/')
			rel = rg_strdup(p + n);        /* base is "/" */
		else if (p[n] == '\0' || p[n] == '/')
			rel = rg_strdup(p + n + (p[n] == '/'));
	}
	free(b);
	free(p);
	return rel;
}

/* base and rel joined with one slash (libgit2's work tree paths end in one) */
static char *dirwalk_join(const char *base, const char *rel)
{
	size_t n = strlen(base);

	if (!rel)
		return rg_strdup(base);
	return rg_printf(n && base[n - 1] == '/' ? "%s%s" : "%s/%s", base, rel);
}

int rg_dirwalk(const char *base, const char *rel, unsigned int flags, rg_dirwalk_cb cb, void *payload)
{
	char *full = dirwalk_join(base, rel);
	DIR *d = opendir(full);
	struct dirent *de;
	int r = RG_OK;

	if (!d) {
		rg_error_set("%s: cannot read: %s", rel && !(flags & RG_DIRWALK_NAME_FULL) ? rel : full,
			strerror(errno));
		free(full);
		return RG_ERROR;
	}
	while (r == RG_OK && (de = readdir(d)) != NULL) {
		char *sub, *subfull;
		struct stat st;
		int have;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = rel ? rg_printf("%s/%s", rel, de->d_name) : rg_strdup(de->d_name);
		subfull = dirwalk_join(base, sub);
		have = lstat(subfull, &st) == 0;
		r = cb(sub, de->d_name, have ? &st : NULL, payload);
		if (r == RG_OK && have && S_ISDIR(st.st_mode))
			r = rg_dirwalk(base, sub, flags, cb, payload);
		free(sub);
		free(subfull);
	}
	closedir(d);
	free(full);
	return r;
}
