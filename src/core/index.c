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
#define IDX_FLAG_VALID 0x8000
#define IDX_FLAG_EXTENDED 0x4000
#define IDX_FLAG_STAGE 0x3000
#define IDX_NAMEMASK 0x0fff
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

/* A large array in huge pages (rg_alloc_huge): 100,000 entries were 1,700 page faults. */
static void *idx_big_alloc(size_t n)
{
	return rg_alloc_huge(&n);
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
	t->namelen = strlen(t->name);
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

/*
 * "link" (split index): the shared index's id, then two EWAH bitmaps over
 * its entries (deleted, replaced), or nothing when there are none. The
 * bitmaps are only checked for shape here and decoded by the merge, which
 * knows how many entries they may name.
 */
static int ewah_skip(const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;
	uint32_t words;

	if (end - p < 8)
		return RG_ERROR;
	words = be32(p + 4);
	if ((size_t)(end - p - 8) / 8 < words || (size_t)(end - p - 8) - (size_t)words * 8 < 4)
		return RG_ERROR;
	*pp = p + 8 + (size_t)words * 8 + 4;
	return RG_OK;
}

static int idx_link(rg_index *idx, const unsigned char *p, uint32_t sz)
{
	const unsigned char *end = p + sz;

	if (sz < IDX_OID)
		return idx_corrupt("link extension too short");
	git_oid_fromraw(&idx->base_id, p);
	p += IDX_OID;
	idx->split = 1;
	if (p == end)
		return RG_OK;
	idx->del_bitmap = p;
	if (ewah_skip(&p, end) < 0)
		return idx_corrupt("bad delete bitmap in link extension");
	idx->del_len = (size_t)(p - idx->del_bitmap);
	idx->rep_bitmap = p;
	if (ewah_skip(&p, end) < 0)
		return idx_corrupt("bad replace bitmap in link extension");
	idx->rep_len = (size_t)(p - idx->rep_bitmap);
	if (p != end)
		return idx_corrupt("garbage at the end of the link extension");
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

			cache_tree_free(idx->tree);
			idx->tree = NULL;
			if (sz && cache_tree_read(&idx->tree, &q, p + sz, 0) < 0) {
				/* an unreadable cache tree only costs speed */
				cache_tree_free(idx->tree);
				idx->tree = NULL;
			}
		} else if (!memcmp(sig, "link", 4)) {
			if (idx->split || idx_link(idx, p, sz) < 0)
				return idx->split ? idx_corrupt("two link extensions") : RG_ERROR;
		} else if (!memcmp(sig, "sdir", 4)) {
			/* sparse index: its directory entries are walked as trees */
		} else if (sig[0] >= 'A' && sig[0] <= 'Z') {
			/* optional extension (uppercase): ignored */
		} else {
			rg_error_set("index has unknown required extension '%.4s'", (const char *)sig);
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

/* v4: strip N bytes from the previous path, append the NUL-terminated suffix. */
static int idx_name_v4(size_t *pool_off, size_t *namelen, const unsigned char **pp,
	const unsigned char *end, idx_v4 *v4)
{
	const unsigned char *p = *pp, *nul;
	size_t strip, suffix, keep;

	if (idx_varint(&strip, &p, end) < 0 || strip > v4->prev_len)
		return idx_corrupt("bad path prefix");
	nul = p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
	if (!nul)
		return idx_corrupt("unterminated path");
	suffix = (size_t)(nul - p);
	keep = v4->prev_len - strip;
	RG_GROW(v4->pool, v4->alloc, v4->len + keep + suffix + 1);
	memmove(v4->pool + v4->len, v4->pool + v4->prev_off, keep);
	memcpy(v4->pool + v4->len + keep, p, suffix);
	v4->pool[v4->len + keep + suffix] = '\0';
	*pool_off = v4->len;
	*namelen = keep + suffix;
	v4->prev_off = v4->len;
	v4->prev_len = keep + suffix;
	v4->len += keep + suffix + 1;
	*pp = nul + 1;
	return RG_OK;
}

/* v2, v3: the name length is in the flags (0xFFF: longer); NUL padding to 8. */
static int idx_name_v2(rg_index_entry *e, const unsigned char **pp, const unsigned char *estart,
	const unsigned char *end, uint16_t flags)
{
	const unsigned char *name = *pp, *nul;
	size_t namelen = flags & IDX_NAMEMASK, entlen;

	nul = memchr(name, 0, (size_t)(end - name));
	if (!nul)
		return idx_corrupt("unterminated path");
	if (namelen < IDX_NAMEMASK ? (size_t)(nul - name) != namelen : (size_t)(nul - name) < namelen)
		return idx_corrupt("path length does not match its flags");
	namelen = (size_t)(nul - name);
	entlen = (size_t)(nul - estart);
	entlen = (entlen + 8) & ~(size_t)7;
	if ((size_t)(end - estart) < entlen)
		return idx_corrupt("truncated entry padding");
	e->path = (const char *)name;
	e->path_len = namelen;
	*pp = estart + entlen;
	return RG_OK;
}

static int idx_entry(rg_index_entry *e, size_t *pool_off, const unsigned char **pp,
	const unsigned char *end, uint32_t version, idx_v4 *v4)
{
	const unsigned char *p = *pp;
	uint16_t flags, xflags = 0;
	size_t fixed = IDX_STAT + IDX_OID + 2;
	int r;

	if ((size_t)(end - p) < fixed)
		return idx_corrupt("truncated entry");
	e->stat = p;
	e->mode = be32(p + 24);
	e->size = be32(p + 36);
	memcpy(e->id.id, p + IDX_STAT, IDX_OID);
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
	e->assume_valid = !!(flags & IDX_FLAG_VALID);
	if (version == 4) {
		r = idx_name_v4(pool_off, &e->path_len, &p, end, v4);
	} else {
		r = idx_name_v2(e, &p, *pp, end, flags);
		*pool_off = SIZE_MAX;
	}
	if (r < 0)
		return r;
	if ((e->mode & 0170000) == 0040000) {
		const char *name = version == 4 ? v4->pool + *pool_off : e->path;

		/* a sparse index's directory: "dir/", skip-worktree, a tree id */
		if (!e->skip_worktree || !e->path_len || name[e->path_len - 1] != '/')
			return idx_corrupt("directory entry that is not a sparse directory");
	}
	*pp = p;
	return RG_OK;
}

/* git's order: by path bytes, then by stage. */
static int idx_entry_cmp(const rg_index_entry *a, const rg_index_entry *b)
{
	size_t n = a->path_len < b->path_len ? a->path_len : b->path_len;
	int c = memcmp(a->path, b->path, n);

	if (c)
		return c;
	if (a->path_len != b->path_len)
		return a->path_len < b->path_len ? -1 : 1;
	return a->stage < b->stage ? -1 : a->stage > b->stage;
}

static int idx_check_sorted(const rg_index *idx)
{
	size_t i;

	for (i = 0; i < idx->n; i++) {
		if (idx->entries[i].path_len == 0)
			return idx_corrupt("empty path");
		if (i && idx_entry_cmp(&idx->entries[i - 1], &idx->entries[i]) >= 0)
			return idx_corrupt("entries are not sorted");
	}
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
	git_oid_fromraw(&idx->checksum, end);
	if (count > (size_t)(end - base) / (IDX_STAT + IDX_OID + 2))
		return idx_corrupt("entry count larger than the file");
	idx->entries = idx_big_alloc((count ? count : 1) * sizeof(*idx->entries));
	if (version == 4)
		offs = rg_malloc((count ? count : 1) * sizeof(*offs));
	p = base + IDX_HDR;
	for (i = 0; i < count; i++) {
		size_t off;

		r = idx_entry(&idx->entries[i], &off, &p, end, version, &v4);
		if (r < 0)
			goto out;
		if (offs)
			offs[i] = off;
		idx->n++;
	}
	if (version == 4) {
		idx->pathpool = v4.pool ? v4.pool : rg_strdup("");
		v4.pool = NULL;
		for (i = 0; i < count; i++)
			idx->entries[i].path = idx->pathpool + offs[i];
	}
	r = idx_extensions(idx, p, end);
	if (r == RG_OK && !idx->split)
		r = idx_check_sorted(idx); /* a split index's front is checked once merged */
out:
	free(v4.pool);
	free(offs);
	return r;
}

/* Call fn for every set bit of an EWAH bitmap (git's ewah_each_bit), below limit. */
static int ewah_each(const unsigned char *p, size_t len, size_t limit,
	int (*fn)(size_t pos, void *payload), void *payload)
{
	size_t words, w = 0, pos = 0, k;
	int r;

	if (!p)
		return RG_OK;
	words = be32(p + 4);
	p += 8;
	RG_UNUSED(len);
	while (w < words) {
		uint64_t rlw = ((uint64_t)be32(p + w * 8) << 32) | be32(p + w * 8 + 4);
		uint64_t run = (rlw >> 1) & 0xffffffffu, lit = rlw >> 33;

		if (run > (limit + 63) / 64 || pos > limit)
			return idx_corrupt("split index bitmap names more entries than the shared index has");
		for (k = 0; (rlw & 1) && k < run * 64; k++)
			if ((r = fn(pos + k, payload)) < 0)
				return r;
		pos += (size_t)run * 64;
		w++;
		if (lit > words - w)
			return idx_corrupt("split index bitmap runs past its end");
		for (k = 0; k < lit; k++, w++, pos += 64) {
			uint64_t word = ((uint64_t)be32(p + w * 8) << 32) | be32(p + w * 8 + 4);
			unsigned b;

			for (b = 0; word && b < 64; b++)
				if ((word >> b) & 1) {
					if ((r = fn(pos + b, payload)) < 0)
						return r;
				}
		}
	}
	return RG_OK;
}

typedef struct {
	rg_index_entry *v;     /* the base's entries, replaced in place */
	unsigned char *gone;   /* per base entry: deleted */
	size_t n;
	const rg_index *front;
	size_t nrep;
} idx_merge;

static int idx_merge_replace(size_t pos, void *payload)
{
	idx_merge *m = payload;
	rg_index_entry *dst;
	const rg_index_entry *src;

	if (pos >= m->n)
		return idx_corrupt("split index replaces an entry the shared index does not have");
	if (m->nrep >= m->front->n)
		return idx_corrupt("split index has too few replacement entries");
	src = &m->front->entries[m->nrep++];
	if (src->path_len != 0)
		return idx_corrupt("split index replacement entry has a name");
	dst = &m->v[pos];
	dst->mode = src->mode;
	dst->size = src->size;
	git_oid_cpy(&dst->id, &src->id);
	dst->stage = src->stage;
	dst->intent_to_add = src->intent_to_add;
	dst->skip_worktree = src->skip_worktree;
	dst->assume_valid = src->assume_valid;
	dst->stat = src->stat;
	return RG_OK;
}

static int idx_merge_delete(size_t pos, void *payload)
{
	idx_merge *m = payload;

	if (pos >= m->n)
		return idx_corrupt("split index deletes an entry the shared index does not have");
	m->gone[pos] = 1;
	return RG_OK;
}

/* Sorted merge of the base's kept entries and the front's additions. */
static rg_index_entry *idx_merge_add(size_t *out_n, const idx_merge *m)
{
	const rg_index *f = m->front;
	rg_index_entry *out = idx_big_alloc((m->n + f->n + 1) * sizeof(*out));
	size_t b = 0, a = m->nrep, n = 0;

	while (b < m->n || a < f->n) {
		int c;

		if (b < m->n && m->gone[b]) {
			b++;
			continue;
		}
		c = b >= m->n ? 1 : a >= f->n ? -1 : idx_entry_cmp(&m->v[b], &f->entries[a]);
		if (c < 0) {
			out[n++] = m->v[b++];
		} else {
			if (c == 0)
				b++; /* the front's entry replaces the base's */
			out[n++] = f->entries[a++];
		}
	}
	*out_n = n;
	return out;
}

int rg_index_merge_base(rg_index *idx, rg_index *base)
{
	idx_merge m;
	size_t n, i;
	int r;

	idx->base = base;
	if (!idx->split || base->split)
		return idx_corrupt(base->split ? "shared index is itself split" : "not a split index");
	memset(&m, 0, sizeof(m));
	m.n = base->n;
	m.front = idx;
	m.v = base->entries;
	m.gone = rg_calloc(base->n + 1, 1);
	r = ewah_each(idx->rep_bitmap, idx->rep_len, m.n, idx_merge_replace, &m);
	if (r == RG_OK)
		r = ewah_each(idx->del_bitmap, idx->del_len, m.n, idx_merge_delete, &m);
	for (i = m.nrep; r == RG_OK && i < idx->n; i++)
		if (idx->entries[i].path_len == 0)
			r = idx_corrupt("split index has an unused replacement entry");
	if (r == RG_OK) {
		rg_index_entry *merged = idx_merge_add(&n, &m);

		free(idx->entries);
		idx->entries = merged;
		idx->n = n;
		idx->split = 0;
		r = idx_check_sorted(idx);
	}
	free(m.gone);
	return r;
}

static int idx_map(rg_index *idx, const char *path)
{
	struct stat st;
	void *map;
	int fd;

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
	idx->has_mtime = 1;
	idx->mtime_sec = (int64_t)st.st_mtim.tv_sec;
	idx->mtime_nsec = st.st_mtim.tv_nsec;
	idx->file_dev = (uint64_t)st.st_dev;
	idx->file_ino = (uint64_t)st.st_ino;
	idx->file_size = (uint64_t)st.st_size;
	idx->ctime_sec = (int64_t)st.st_ctim.tv_sec;
	idx->ctime_nsec = st.st_ctim.tv_nsec;
	return RG_OK;
}

static int idx_open_file(rg_index *idx, const char *path, const char *gitdir, int follow);

/* git looks for sharedindex.<id> in the git dir, then beside the index file. */
static int idx_open_base(rg_index *idx, const char *path, const char *gitdir)
{
	char hex[GIT_OID_HEXSZ + 1], *base_path = NULL;
	const char *slash = strrchr(path, '/');
	rg_index *base = rg_calloc(1, sizeof(*base));
	int r = RG_ENOTFOUND;

	git_oid_tostr(hex, sizeof(hex), &idx->base_id);
	if (gitdir) {
		size_t gl = strlen(gitdir);

		base_path = rg_printf("%s%ssharedindex.%s", gitdir,
			gl && gitdir[gl - 1] == '/' ? "" : "/", hex);
		r = idx_open_file(base, base_path, NULL, 0);
	}
	if (r == RG_ENOTFOUND) {
		free(base_path);
		base_path = rg_printf("%.*ssharedindex.%s", slash ? (int)(slash - path + 1) : 0, path, hex);
		r = idx_open_file(base, base_path, NULL, 0);
	}
	if (r == RG_ENOTFOUND)
		rg_error_set("split index: shared index %s not found", base_path);
	else if (r == RG_OK && !git_oid_equal(&base->checksum, &idx->base_id))
		r = idx_corrupt("shared index checksum does not match the link extension");
	free(base_path);
	if (r < 0) {
		rg_index_free(base);
		free(base);
		return r == RG_ENOTFOUND ? RG_ERROR : r;
	}
	return rg_index_merge_base(idx, base);
}

/* follow: merge a split index with its shared index (which must not be split). */
static int idx_open_file(rg_index *idx, const char *path, const char *gitdir, int follow)
{
	int r;

	memset(idx, 0, sizeof(*idx));
	if ((r = idx_map(idx, path)) < 0)
		return r;
	r = rg_index_parse(idx, idx->map, idx->map_len);
	if (r == RG_OK && idx->split)
		r = follow ? idx_open_base(idx, path, gitdir) : idx_corrupt("shared index is itself split");
	if (r < 0) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", rg_error_last());
		rg_index_free(idx);
		if (strncmp(msg, path, strlen(path)))
			rg_error_set("%s: %s", path, msg);
		else
			rg_error_set("%s", msg);
	}
	return r;
}

/*
 * The index rg_index_keep kept. Without it, a repository with no rules file
 * in its working tree had its index parsed twice a pre-commit run: 100,000
 * entries are some 10 ms.
 */
static struct {
	rg_index idx;
	char *path;
} idx_kept;

static int idx_same_file(const rg_index *idx, const struct stat *st)
{
	return idx->has_mtime && idx->file_dev == (uint64_t)st->st_dev && idx->file_ino == (uint64_t)st->st_ino &&
		idx->file_size == (uint64_t)st->st_size && idx->mtime_sec == (int64_t)st->st_mtim.tv_sec &&
		idx->mtime_nsec == st->st_mtim.tv_nsec && idx->ctime_sec == (int64_t)st->st_ctim.tv_sec &&
		idx->ctime_nsec == st->st_ctim.tv_nsec;
}

static void idx_kept_drop(void)
{
	rg_index_free(&idx_kept.idx);
	free(idx_kept.path);
	idx_kept.path = NULL;
}

void rg_index_keep(rg_index *idx, const char *path)
{
	idx_kept_drop();
	if (!idx->has_mtime) {
		rg_index_free(idx);
		return;
	}
	idx_kept.idx = *idx;
	idx_kept.path = rg_strdup(path);
	memset(idx, 0, sizeof(*idx));
}

int rg_index_open(rg_index *idx, const char *path, const char *gitdir)
{
	struct stat st;

	if (idx_kept.path && !strcmp(idx_kept.path, path) && stat(path, &st) == 0 &&
	    idx_same_file(&idx_kept.idx, &st)) {
		*idx = idx_kept.idx;
		memset(&idx_kept.idx, 0, sizeof(idx_kept.idx));
		idx_kept_drop();
		return RG_OK;
	}
	idx_kept_drop();
	return idx_open_file(idx, path, gitdir, 1);
}

void rg_index_free(rg_index *idx)
{
	if (idx->map)
		munmap(idx->map, idx->map_len);
	free(idx->entries);
	free(idx->pathpool);
	cache_tree_free(idx->tree);
	if (idx->base) {
		rg_index_free(idx->base);
		free(idx->base);
	}
	memset(idx, 0, sizeof(*idx));
}

/* Seconds match; nanoseconds too when the index recorded them (git built with USE_NSEC). */
static int idx_time_matches(const unsigned char *p, const struct timespec *t)
{
	uint32_t ns = be32(p + 4);

	return be32(p) == (uint32_t)t->tv_sec && (ns == 0 || ns == (uint32_t)t->tv_nsec);
}

int rg_index_has_stat(const rg_index_entry *e)
{
	return e->stat && (be32(e->stat) || be32(e->stat + 8) || be32(e->stat + 20));
}

int rg_index_stat_matches(const rg_index *idx, const rg_index_entry *e, const struct stat *st)
{
	const unsigned char *p = e->stat;

	if (!p || !idx->has_mtime || e->assume_valid || e->skip_worktree || e->intent_to_add || e->stage ||
	    (e->mode != 0100644 && e->mode != 0100755) || !S_ISREG(st->st_mode))
		return 0;
	if (!idx_time_matches(p, &st->st_ctim) || !idx_time_matches(p + 8, &st->st_mtim) ||
	    be32(p + 20) != (uint32_t)st->st_ino || be32(p + 28) != (uint32_t)st->st_uid ||
	    be32(p + 32) != (uint32_t)st->st_gid || be32(p + 36) != (uint32_t)st->st_size)
		return 0;
	return !rg_index_entry_racy(idx, e);
}

int rg_index_entry_racy(const rg_index *idx, const rg_index_entry *e)
{
	const unsigned char *p = e->stat;
	uint32_t msec, mnsec;

	/*
	 * racily clean (git's is_racy_timestamp): staged in the same tick the
	 * file was last written; without nanoseconds, the same second
	 */
	msec = be32(p + 8);
	mnsec = be32(p + 12);
	return (int64_t)msec > idx->mtime_sec ||
		((int64_t)msec == idx->mtime_sec && (mnsec == 0 || (long)mnsec >= idx->mtime_nsec));
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

int rg_git_index_skips_worktree(git_index *index, const char *path)
{
	const git_index_entry *e = index && path ? git_index_get_bypath(index, path, 0) : NULL;

	return e && (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE);
}
