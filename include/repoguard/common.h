/*
 * common.h: exit statuses, error codes and small utilities shared by
 * every module of repoguard.
 */
#ifndef REPOGUARD_COMMON_H
#define REPOGUARD_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#define RG_VERSION "0.1.0"

/* Process exit statuses: one class each, documented in README and man page. */
enum rg_exit {
	RG_EXIT_OK = 0,        /* nothing found (or only warnings) */
	RG_EXIT_VIOLATION = 1, /* an error-level rule failed */
	RG_EXIT_USAGE = 2,     /* bad command line */
	RG_EXIT_CONFIG = 3,    /* rules could not be loaded: fail closed */
	RG_EXIT_INTERNAL = 4   /* repository or system error */
};

/* Function return codes (libgit2 style: 0 ok, negative error). */
enum rg_error {
	RG_OK = 0,
	RG_ERROR = -1,       /* generic / internal, message in rg_error_last() */
	RG_ENOTFOUND = -3,
	RG_EUNSUPPORTED = -4, /* a format feature we leave to libgit2 */
	RG_ECONFIG = -20,    /* configuration error */
	RG_EUSAGE = -21      /* usage error */
};

/* Returned when a command refuses to act (nothing was changed); the message says why. */
#define RG_EREFUSED (-30)

#define RG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define RG_UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define RG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define RG_PRINTF(f, a)
#endif

/* Memory: abort with a message on exhaustion, never return NULL. */
void *rg_malloc(size_t n);
void *rg_calloc(size_t n, size_t sz);
void *rg_realloc(void *p, size_t n);
char *rg_strdup(const char *s);
char *rg_strndup(const char *s, size_t n);
char *rg_printf(const char *fmt, ...) RG_PRINTF(1, 2);

struct stat;
/*
 * Every entry below base/rel (rel NULL: base itself), depth first: cb gets its
 * path relative to base, its name and its lstat (NULL when lstat failed); a
 * directory's entries follow when cb returns RG_OK. A directory that cannot be
 * read is an error naming rel (with RG_DIRWALK_NAME_FULL, or rel NULL: the
 * whole path); cb's error stops the walk and is returned.
 */
#define RG_DIRWALK_NAME_FULL 1
typedef int (*rg_dirwalk_cb)(const char *rel, const char *name, const struct stat *st, void *payload);
int rg_dirwalk(const char *base, const char *rel, unsigned int flags, rg_dirwalk_cb cb, void *payload);
char *rg_vprintf(const char *fmt, va_list ap);

/*
 * At least *size bytes; a large block (512 KiB and more) is rounded up to whole
 * 2 MiB pages, aligned, with transparent huge pages asked for, and *size set
 * to what it holds. Freed with free().
 */
void *rg_alloc_huge(size_t *size);
/* Grow *arr to hold at least need elements of size sz (large arrays: rg_alloc_huge). */
void rg_grow(void **arr, size_t *alloc, size_t need, size_t sz);
/* The test is inline: the literal scan grows its hit list once per hit (1.4 % of a scan as calls). */
#define RG_GROW(arr, alloc, need) \
	((need) > (alloc) ? rg_grow((void **)&(arr), &(alloc), (need), sizeof(*(arr))) : (void)0)

/* Last error message, set by the failing function (like git_error_last). */
void rg_error_set(const char *fmt, ...) RG_PRINTF(1, 2);
const char *rg_error_last(void);
void rg_error_clear(void);
/* Copy libgit2's last error into ours, with a prefix; returns RG_ERROR. */
int rg_error_from_git(const char *what);
/* The same after reading the index failed; a split index is RG_EREFUSED, naming the way out. */
int rg_error_from_git_index(const char *what);

/* Human sizes: "49.5 MB", "5 MiB"-style parse. */
void rg_fmt_size(char *out, size_t outlen, uint64_t bytes);
int rg_parse_size(uint64_t *out, const char *s);
/* Thousands separators: 80,000 */
void rg_fmt_count(char *out, size_t outlen, uint64_t n);
/* Durations "4h", "30m", "1d", "90s", "2w"; seconds out. */
int rg_parse_duration(int64_t *out, const char *s);
void rg_fmt_duration(char *out, size_t outlen, int64_t secs);

/* git_libgit2_init() without loading TLS certificates (see src/core/gitinit.c). */
int rg_git_init(void);

int rg_str_endswith(const char *s, const char *suffix);
int rg_str_startswith(const char *s, const char *prefix);
/* Is the environment variable name set to turn something on: not empty, not "0"? */
int rg_env_flag(const char *name);
/*
 * path relative to base, both resolved with realpath(3): "" when they are
 * the same directory, "a/b" below it, NULL when path is not within base (or
 * either cannot be resolved). Allocated.
 */
char *rg_path_below(const char *base, const char *path);

#endif
