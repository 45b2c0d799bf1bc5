/*
 * content-renames.c: the file an added file was renamed from, so that only
 * the lines a rename changes count as added (as in `git diff --cached` and
 * `git log -p`, which detect renames by default). Exact renames come from
 * the sources (RG_DELTA_RENAMED); this pairs the rest as git's inexact
 * rename detection does: an added and a deleted regular file at least 50 %
 * similar, the most similar pairs first, each file in one pair at most,
 * and nothing tried when there are more than 1000 x 1000 candidate pairs
 * (git's diff.renameLimit). Similarity is libgit2's hashsig, the measure
 * its own git_diff_find_similar uses.
 */
#include <stdlib.h>
#include <string.h>
#include <git2/sys/hashsig.h>

#include "repoguard/content.h"

#define CR_MIN_SCORE 50
#define CR_LIMIT 1000

typedef struct {
	size_t delta;
	git_hashsig *sig;
} cr_side;

typedef struct {
	int score;
	size_t add, del;         /* indexes into the cr_side arrays */
} cr_pair;

/* The signature of one side of a delta, or NULL (missing, too big, binary, too small to tell). */
static git_hashsig *cr_sig(rg_ctx *ctx, rg_delta *d, int new_side, uint64_t max)
{
	rg_blobdata b;
	rg_buf dec = RG_BUF_INIT;
	git_hashsig *sig = NULL;
	const char *text;
	size_t len;

	if (rg_ctx_delta_read(&b, ctx, d, new_side, max) != RG_OK) {
		rg_error_clear(); /* no pairing: the file is checked whole, and its read fails there */
		return NULL;
	}
	/* compared as the scan reads them: a UTF-16 file as its text */
	text = b.data;
	len = b.len;
	rg_content_decode(&dec, &text, &len);
	if (!rg_content_is_binary(text, len) &&
	    git_hashsig_create(&sig, text, len, GIT_HASHSIG_SMART_WHITESPACE | GIT_HASHSIG_ALLOW_SMALL_FILES) < 0)
		sig = NULL;
	rg_buf_dispose(&dec);
	rg_blobdata_free(&b);
	return sig;
}

static size_t cr_collect(cr_side **out, const rg_changeset *cs, int added)
{
	size_t i, n = 0;

	*out = rg_calloc(cs->n ? cs->n : 1, sizeof(**out));
	for (i = 0; i < cs->n; i++) {
		rg_delta *d = &cs->v[i];

		if (added ? d->status != RG_DELTA_ADDED || !rg_mode_is_file(d->new_mode) :
		    d->status != RG_DELTA_DELETED || !rg_mode_is_file(d->old_mode))
			continue;
		(*out)[n].delta = i;
		(*out)[n++].sig = NULL;
	}
	return n;
}

static void cr_sign(cr_side *v, size_t n, rg_ctx *ctx, const rg_changeset *cs, int new_side, uint64_t max)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i].sig = cr_sig(ctx, &cs->v[v[i].delta], new_side, max);
}

static void cr_free(cr_side *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		git_hashsig_free(v[i].sig);
	free(v);
}

/* Most similar first; ties in change-set order, so that the pairing is stable. */
static int cr_pair_cmp(const void *a, const void *b)
{
	const cr_pair *x = a, *y = b;

	if (x->score != y->score)
		return y->score - x->score;
	if (x->add != y->add)
		return x->add < y->add ? -1 : 1;
	return x->del < y->del ? -1 : x->del > y->del;
}

static size_t cr_score(cr_pair **out, const cr_side *add, size_t nadd, const cr_side *del, size_t ndel)
{
	size_t i, j, n = 0, alloc = 0;
	int s;

	*out = NULL;
	for (i = 0; i < nadd; i++)
		for (j = 0; j < ndel && add[i].sig; j++) {
			if (!del[j].sig || (s = git_hashsig_compare(add[i].sig, del[j].sig)) < CR_MIN_SCORE)
				continue;
			RG_GROW(*out, alloc, n + 1);
			(*out)[n].score = s;
			(*out)[n].add = i;
			(*out)[n++].del = j;
		}
	if (n) /* qsort(NULL, 0, ...) is undefined */
		qsort(*out, n, sizeof(**out), cr_pair_cmp);
	return n;
}

int rg_content_rename_sources(rg_delta **src, rg_ctx *ctx, const rg_changeset *cs, uint64_t max)
{
	cr_side *add = NULL, *del = NULL;
	cr_pair *pairs = NULL;
	unsigned char *taken_add = NULL, *taken_del = NULL;
	size_t nadd, ndel, npairs, k;

	memset(src, 0, cs->n * sizeof(*src));
	nadd = cr_collect(&add, cs, 1);
	ndel = cr_collect(&del, cs, 0);
	if (!nadd || !ndel || (double)nadd * (double)ndel > (double)CR_LIMIT * CR_LIMIT)
		goto out;
	cr_sign(add, nadd, ctx, cs, 1, max);
	cr_sign(del, ndel, ctx, cs, 0, max);
	npairs = cr_score(&pairs, add, nadd, del, ndel);
	taken_add = rg_calloc(nadd, 1);
	taken_del = rg_calloc(ndel, 1);
	for (k = 0; k < npairs; k++) {
		const cr_pair *p = &pairs[k];

		if (taken_add[p->add] || taken_del[p->del])
			continue;
		taken_add[p->add] = taken_del[p->del] = 1;
		src[add[p->add].delta] = &cs->v[del[p->del].delta];
	}
out:
	free(pairs);
	free(taken_add);
	free(taken_del);
	cr_free(add, nadd);
	cr_free(del, ndel);
	return RG_OK;
}
