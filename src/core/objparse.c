/* objparse.c: raw tree and commit-header parsers (see objparse.h). */
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/objparse.h"

int rg_tree_next(rg_tree_ent *e, const char *data, size_t len, size_t *pos)
{
	size_t p = *pos, start;
	uint32_t mode = 0;
	const char *nul;

	if (p >= len)
		return 0;
	start = p;
	while (p < len && data[p] >= '0' && data[p] <= '7' && p - start < 7)
		mode = (mode << 3) | (uint32_t)(data[p++] - '0');
	if (p == start || p >= len || data[p] != ' ')
		return RG_ERROR;
	p++;
	nul = memchr(data + p, '\0', len - p);
	if (!nul || nul == data + p || len - (size_t)(nul - data) - 1 < GIT_OID_RAWSZ)
		return RG_ERROR;
	e->mode = mode;
	e->name = data + p;
	e->name_len = (size_t)(nul - (data + p));
	if (memchr(e->name, '/', e->name_len))
		return RG_ERROR;
	e->id = (const unsigned char *)nul + 1;
	*pos = (size_t)(nul - data) + 1 + GIT_OID_RAWSZ;
	return 1;
}

int rg_tree_find(rg_tree_ent *e, const char *data, size_t len, const char *name, size_t name_len)
{
	const unsigned char *d = (const unsigned char *)data, *k = (const unsigned char *)name;
	size_t pos = 0;

	while (pos < len) {
		size_t p = pos, i = 0;
		const unsigned char *nul;

		while (p < len && d[p] != ' ')
			p++;
		for (p++; p < len && i < name_len && d[p] == k[i]; p++)
			i++;
		if (p >= len)
			return RG_ERROR;
		if (i == name_len && !d[p]) {
			size_t at = pos;

			return rg_tree_next(e, data, len, &at) == 1 ? 1 : RG_ERROR;
		}
		if (i < name_len && d[p] && d[p] > k[i])
			return 0; /* sorts after name, as a file and as a directory */
		nul = memchr(d + p, '\0', len - p);
		if (!nul || (size_t)(nul - d) + 1 + GIT_OID_RAWSZ > len)
			return RG_ERROR;
		pos = (size_t)(nul - d) + 1 + GIT_OID_RAWSZ;
	}
	return 0;
}

size_t rg_tree_skip(const char *data, size_t p)
{
	size_t pos = 0;

	for (;;) {
		const char *nul = memchr(data + pos, '\0', p - pos);
		size_t end;

		if (!nul)
			return pos;
		end = (size_t)(nul - data) + 1 + GIT_OID_RAWSZ;
		if (end > p)
			return pos;
		pos = end;
	}
}

static int commit_hex(git_oid *out, const char *s, size_t avail)
{
	if (avail < GIT_OID_HEXSZ)
		return RG_ERROR;
	return git_oid_fromstrn(out, s, GIT_OID_HEXSZ) < 0 ? RG_ERROR : RG_OK;
}

/* Committer time: the second-to-last field of "committer NAME <EMAIL> TIME TZ". */
static int64_t commit_time(const char *line, size_t len)
{
	const char *gt = NULL, *p;
	int64_t t = 0;

	for (p = line; p < line + len; p++)
		if (*p == '>')
			gt = p;
	if (!gt)
		return 0;
	for (p = gt + 1; p < line + len && *p == ' '; p++)
		;
	for (; p < line + len && *p >= '0' && *p <= '9'; p++) {
		if (t > (INT64_MAX - 9) / 10)
			return 0;
		t = t * 10 + (*p - '0');
	}
	return t;
}

int rg_commit_parse(rg_commit_hdr *out, const char *data, size_t len)
{
	size_t pos = 0, alloc = 0;
	int have_tree = 0;

	memset(out, 0, sizeof(*out));
	out->message = len;
	while (pos < len) {
		const char *line = data + pos, *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;

		if (ll == 0) { /* end of the header */
			out->message = pos + 1 < len ? pos + 1 : len;
			break;
		}
		if (ll > 5 && !memcmp(line, "tree ", 5) && !have_tree) {
			if (commit_hex(&out->tree, line + 5, ll - 5) < 0)
				goto bad;
			have_tree = 1;
		} else if (ll > 7 && !memcmp(line, "parent ", 7)) {
			RG_GROW(out->parents, alloc, out->nparents + 1);
			if (commit_hex(&out->parents[out->nparents], line + 7, ll - 7) < 0)
				goto bad;
			out->nparents++;
		} else if (ll > 10 && !memcmp(line, "committer ", 10)) {
			out->time = commit_time(line, ll);
		}
		pos += ll + 1;
	}
	if (have_tree)
		return RG_OK;
bad:
	rg_commit_hdr_free(out);
	return RG_ERROR;
}

void rg_commit_hdr_free(rg_commit_hdr *c)
{
	free(c->parents);
	memset(c, 0, sizeof(*c));
}

static int oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

int rg_oid_in_sorted(const git_oid *v, size_t n, const git_oid *id)
{
	return v && n && bsearch(id, v, n, sizeof(*v), oid_cmp) != NULL;
}
