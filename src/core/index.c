/*
 * index.c: read-only parser of git's index file. See include/repoguard/index.h
 * for why repoguard reads the index itself instead of through libgit2.
 * Format: Documentation/gitformat-index.txt in git.git.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repoguard/common.h"
#include "repoguard/index.h"

#define IDX_HDR 12
#define IDX_OID 20
#define IDX_STAT 40
#define IDX_FLAG_EXTENDED 0x4000
#define IDX_FLAG_STAGE 0x3000
#define IDX_XFLAG_SKIP_WORKTREE 0x4000
#define IDX_XFLAG_INTENT_TO_ADD 0x2000

static uint32_t be32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint16_t be16(const unsigned char *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static int idx_corrupt(const char *what)
{
	rg_error_set("index file is corrupt: %s", what);
	return RG_ERROR;
}

/* git's offset varint (index v4 prefix compression). */
static int idx_varint(size_t *out, const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;
	size_t v;

	if (p >= end)
		return RG_ERROR;
	v = *p & 0x7f;
	while (*p++ & 0x80) {
		if (p >= end || v > (SIZE_MAX >> 8))
			return RG_ERROR;
		v = ((v + 1) << 7) | (*p & 0x7f);
	}
	*out = v;
	*pp = p;
	return RG_OK;
}

static void cache_tree_free(rg_cache_tree *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nsub; i++)
		cache_tree_free(t->sub[i]);
	free(t->sub);
	free(t->name);
	free(t);
}

static int idx_atoi(long *out, const unsigned char **pp, const unsigned char *end, char stop)
{
	const unsigned char *p = *pp;
	long v = 0;
	int neg = 0, digits = 0;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	while (p < end && *p >= '0' && *p <= '9' && digits < 10) {
		v = v * 10 + (*p++ - '0');
		digits++;
	}
	if (!digits || p >= end || *p != stop)
		return RG_ERROR;
	*out = neg ? -v : v;
	*pp = p + 1;
	return RG_OK;
}

/* TREE extension: path NUL entry_count SP subtrees LF [oid], preorder. */
static int cache_tree_read(rg_cache_tree **out, const unsigned char **pp,
	const unsigned char *end, int depth)
{
	const unsigned char *p = *pp, *name;
	rg_cache_tree *t;
	long count, nsub, i;

	if (depth > 4096)
		return RG_ERROR;
	name = p;
	while (p < end && *p)
		p++;
	if (p >= end)
		return RG_ERROR;
	p++;
	if (idx_atoi(&count, &p, end, ' ') < 0 || idx_atoi(&nsub, &p, end, '\n') < 0)
		return RG_ERROR;
	if (nsub < 0 || nsub > (long)(end - p))
		return RG_ERROR;
	t = rg_calloc(1, sizeof(*t));
	t->name = rg_strdup((const char *)name);
	t->entry_count = count < 0 ? -1 : (int)count;
	if (count >= 0) {
		if (end - p < IDX_OID) {
			cache_tree_free(t);
			return RG_ERROR;
		}
		git_oid_fromraw(&t->id, p);
		p += IDX_OID;
	}
	t->sub = rg_calloc((size_t)nsub ? (size_t)nsub : 1, sizeof(*t->sub));
	for (i = 0; i < nsub; i++) {
		if (cache_tree_read(&t->sub[i], &p, end, depth + 1) < 0) {
			cache_tree_free(t);
			return RG_ERROR;
		}
		t->nsub++;
	}
	*out = t;
	*pp = p;
	return RG_OK;
}

static int idx_extensions(rg_index *idx, const unsigned char *p, const unsigned char *end)
{
	while (end - p >= 8) {
		const unsigned char *sig = p;
		uint32_t sz = be32(p + 4);

		p += 8;
		if ((size_t)(end - p) < sz)
			return idx_corrupt("extension runs past the end");
		if (!memcmp(sig, "TREE", 4)) {
			const unsigned char *q = p;

			if (sz && cache_tree_read(&idx->tree, &q, p + sz, 0) < 0) {
				/* an unreadable cache tree only costs speed */
				cache_tree_free(idx->tree);
				idx->tree = NULL;
			}
		} else if (!memcmp(sig, "link", 4) || !memcmp(sig, "sdir", 4)) {
			rg_error_set("index uses %s, not supported by the fast reader",
				sig[0] == 'l' ? "a split index" : "a sparse index");
			return RG_EUNSUPPORTED;
		} else if (sig[0] >= 'A' && sig[0] <= 'Z') {
			/* optional extension (uppercase): ignored */
		} else {
			rg_error_set("index has unknown required extension");
			return RG_EUNSUPPORTED;
		}
		p += sz;
	}
	return RG_OK;
}

typedef struct {
	char *pool;
	size_t len, alloc;
	size_t prev_off, prev_len;
} idx_v4;

static int idx_entry(rg_index_entry *e, size_t *pool_off, const unsigned char **pp,
	const unsigned char *start, const unsigned char *end, uint32_t version, idx_v4 *v4)
{
	const unsigned char *p = *pp, *name;
	uint16_t flags, xflags = 0;
	size_t fixed = IDX_STAT + IDX_OID + 2, namelen;

	if ((size_t)(end - p) < fixed)
		return idx_corrupt("truncated entry");
	e->mode = be32(p + 24);
	e->size = be32(p + 36);
	git_oid_fromraw(&e->id, p + IDX_STAT);
	flags = be16(p + IDX_STAT + IDX_OID);
	p += fixed;
	if (flags & IDX_FLAG_EXTENDED) {
		if (version < 3 || end - p < 2)
			return idx_corrupt("bad extended flags");
		xflags = be16(p);
		p += 2;
	}
	e->stage = (flags & IDX_FLAG_STAGE) >> 12;
	e->intent_to_add = !!(xflags & IDX_XFLAG_INTENT_TO_ADD);
	e->skip_worktree = !!(xflags & IDX_XFLAG_SKIP_WORKTREE);
	if (version == 4) {
		size_t strip, suffix;

		if (idx_varint(&strip, &p, end) < 0 || strip > v4->prev_len)
			return idx_corrupt("bad path prefix");
		name = p;
		while (p < end && *p)
			p++;
		if (p >= end)
			return idx_corrupt("unterminated path");
		suffix = (size_t)(p - name);
		namelen = v4->prev_len - strip + suffix;
		RG_GROW(v4->pool, v4->alloc, v4->len + namelen + 1);
		memmove(v4->pool + v4->len, v4->pool + v4->prev_off, v4->prev_len - strip);
		memcpy(v4->pool + v4->len + v4->prev_len - strip, name, suffix);
		v4->pool[v4->len + namelen] = '\0';
		*pool_off = v4->len;
		v4->prev_off = v4->len;
		v4->prev_len = namelen;
		v4->len += namelen + 1;
		p++;
	} else {
		const unsigned char *estart = *pp;
		size_t entlen;

		name = p;
		while (p < end && *p)
			p++;
		if (p >= end)
			return idx_corrupt("unterminated path");
		namelen = (size_t)(p - name);
		/* entries are padded with 1-8 NULs to a multiple of 8 */
		entlen = (size_t)(p - estart);
		entlen = (entlen + 8) & ~(size_t)7;
		if ((size_t)(end - estart) < entlen)
			return idx_corrupt("truncated entry padding");
		p = estart + entlen;
		e->path = (const char *)name;
		*pool_off = SIZE_MAX;
	}
	(void)start;
	e->path_len = namelen;
	if (namelen == 0)
		return idx_corrupt("empty path");
	if ((e->mode & 0170000) == 0040000) {
		rg_error_set("index has sparse directory entries");
		return RG_EUNSUPPORTED;
	}
	*pp = p;
	return RG_OK;
}

int rg_index_parse(rg_index *idx, const void *data, size_t len)
{
	const unsigned char *base = data, *p, *end;
	uint32_t version, count, i;
	size_t *offs = NULL;
	idx_v4 v4;
	int r = RG_OK;

	memset(&v4, 0, sizeof(v4));
	if (len < IDX_HDR + IDX_OID || memcmp(base, "DIRC", 4))
		return idx_corrupt("bad signature");
	version = be32(base + 4);
	if (version < 2 || version > 4) {
		rg_error_set("index version %u is not supported by the fast reader", version);
		return RG_EUNSUPPORTED;
	}
	count = be32(base + 8);
	end = base + len - IDX_OID; /* trailing checksum, not verified (as git) */
	if (count > (size_t)(end - base) / (IDX_STAT + IDX_OID + 2))
		return idx_corrupt("entry count larger than the file");
	idx->entries = rg_calloc(count ? count : 1, sizeof(*idx->entries));
	offs = rg_malloc((count ? count : 1) * sizeof(*offs));
	p = base + IDX_HDR;
	for (i = 0; i < count; i++) {
		r = idx_entry(&idx->entries[i], &offs[i], &p, base, end, version, &v4);
		if (r < 0)
			goto out;
		idx->n++;
	}
	if (version == 4) {
		idx->pathpool = v4.pool ? v4.pool : rg_strdup("");
		v4.pool = NULL;
		for (i = 0; i < count; i++)
			idx->entries[i].path = idx->pathpool + offs[i];
	}
	for (i = 1; i < count; i++) {
		const rg_index_entry *a = &idx->entries[i - 1], *b = &idx->entries[i];
		int c = strcmp(a->path, b->path);

		if (c > 0 || (c == 0 && a->stage >= b->stage)) {
			r = idx_corrupt("entries are not sorted");
			goto out;
		}
	}
	r = idx_extensions(idx, p, end);
out:
	free(v4.pool);
	free(offs);
	return r;
}

int rg_index_open(rg_index *idx, const char *path)
{
	struct stat st;
	void *map;
	int fd, r;

	memset(idx, 0, sizeof(*idx));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return RG_ENOTFOUND;
		rg_error_set("cannot open index '%s': %s", path, strerror(errno));
		return RG_ERROR;
	}
	if (fstat(fd, &st) < 0 || st.st_size <= 0) {
		close(fd);
		rg_error_set("cannot read index '%s'", path);
		return RG_ERROR;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		rg_error_set("cannot map index '%s': %s", path, strerror(errno));
		return RG_ERROR;
	}
	idx->map = map;
	idx->map_len = (size_t)st.st_size;
	r = rg_index_parse(idx, map, idx->map_len);
	if (r < 0) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", rg_error_last());
		rg_index_free(idx);
		rg_error_set("%s: %s", path, msg);
	}
	return r;
}

void rg_index_free(rg_index *idx)
{
	if (idx->map)
		munmap(idx->map, idx->map_len);
	free(idx->entries);
	free(idx->pathpool);
	cache_tree_free(idx->tree);
	memset(idx, 0, sizeof(*idx));
}

size_t rg_index_lower_bound(const rg_index *idx, const char *key, size_t keylen)
{
	size_t lo = 0, hi = idx->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const rg_index_entry *e = &idx->entries[mid];
		size_t n = e->path_len < keylen ? e->path_len : keylen;
		int c = memcmp(e->path, key, n);

		if (c == 0)
			c = e->path_len < keylen ? -1 : (e->path_len > keylen ? 1 : 0);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const rg_index_entry *rg_index_find(const rg_index *idx, const char *path)
{
	size_t len = strlen(path), i = rg_index_lower_bound(idx, path, len);

	for (; i < idx->n; i++) {
		const rg_index_entry *e = &idx->entries[i];

		if (e->path_len != len || memcmp(e->path, path, len))
			return NULL;
		if (e->stage == 0)
			return e;
	}
	return NULL;
}
