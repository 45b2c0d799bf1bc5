/*
 * test-treediff.c: rg_diff_tree_ids / rg_diff_trees against git's own
 * `git diff-tree -r --no-renames` (status, modes, ids and order of every
 * delta) over a generated series of trees: adds, deletes, file <-> directory
 * changes, symlinks, gitlinks, mode-only changes, and names that sort
 * tricky ("a", "a b", "a-b", "a.c", "a/", "a0"). Each tree is written with
 * the real git (update-index --index-info, write-tree) in a temporary
 * repository; consecutive trees, trees far apart and the empty tree are
 * compared, with one shared cache and with a fresh one. Path look-ups in
 * raw trees (rg_treecache_lookup, the range views, starting from the
 * directories the diff has read) against git_tree_entry_bypath.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <git2.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/source.h"
#include "repoguard/treecache.h"

#include "scratch-repo.h"

/* The output of a command run in the repository (exact bytes, NULs kept). */
static void run_out(rg_buf *out, const char *fmt, ...)
{
	va_list ap;
	rg_buf cmd = RG_BUF_INIT;
	FILE *p;

	rg_buf_clear(out);
	rg_buf_printf(&cmd, "cd '%s/repo' && ", scratch_dir);
	va_start(ap, fmt);
	rg_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	p = popen(cmd.ptr, "r");
	assert_non_null(p);
	assert_true(rg_buf_read_stream(out, p, 0) >= 0);
	assert_int_equal(pclose(p), 0);
	rg_buf_dispose(&cmd);
}

/* ---- the generated trees ------------------------------------------------------ */

#define MAXENT 512
#define NTREES 90
#define NBLOBS 3

typedef struct {
	char path[64];
	unsigned mode;
	int content;  /* index into blobs[] */
} gen_ent;

typedef struct {
	gen_ent v[MAXENT];
	size_t n;
	unsigned long rnd;
	char blobs[NBLOBS][GIT_OID_HEXSZ + 1];
	git_oid trees[NTREES];
} gen;

static unsigned gen_rand(gen *g, unsigned n)
{
	g->rnd = g->rnd * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(g->rnd >> 33) % n;
}

/* Is p equal to q, or a directory above or below it? */
static int gen_overlaps(const char *p, const char *q)
{
	size_t lp = strlen(p), lq = strlen(q);

	if (lp == lq)
		return !strcmp(p, q);
	if (lp < lq)
		return !strncmp(p, q, lp) && q[lp] == '/';
	return !strncmp(p, q, lq) && p[lq] == '/';
}

/* Remove what overlaps path; set it (mode != 0) as a new leaf. */
static void gen_set(gen *g, const char *path, unsigned mode, int content)
{
	size_t i = 0, k = 0;

	for (i = 0; i < g->n; i++)
		if (!gen_overlaps(g->v[i].path, path))
			g->v[k++] = g->v[i];
	g->n = k;
	if (!mode || g->n == MAXENT)
		return;
	snprintf(g->v[g->n].path, sizeof(g->v[g->n].path), "%s", path);
	g->v[g->n].mode = mode;
	g->v[g->n].content = content;
	g->n++;
}

static void gen_random_path(gen *g, char *out, size_t outsz)
{
	static const char *const names[] = { "a", "a b", "a-b", "a.c", "a0", "b" };
	unsigned depth = 1 + gen_rand(g, 3), i;
	size_t len = 0;

	out[0] = '\0';
	for (i = 0; i < depth; i++)
		len += (size_t)snprintf(out + len, outsz - len, "%s%s", i ? "/" : "",
			names[gen_rand(g, sizeof(names) / sizeof(names[0]))]);
}

static void gen_step(gen *g)
{
	static const unsigned modes[] = { 0100644, 0100755, 0120000, 0160000 };
	unsigned nops = 1 + gen_rand(g, 4), k;

	for (k = 0; k < nops; k++) {
		char path[64];

		if (gen_rand(g, 3) == 0) /* in the big directory: long common prefixes and tails */
			snprintf(path, sizeof(path), "big/f%03u", gen_rand(g, 150));
		else
			gen_random_path(g, path, sizeof(path));
		if (gen_rand(g, 4) == 0)
			gen_set(g, path, 0, 0); /* delete (and all below) */
		else
			gen_set(g, path, modes[gen_rand(g, 4)], (int)gen_rand(g, NBLOBS));
	}
}

/* Write the current state as a tree with git; its id into *out. */
static void gen_write(gen *g, git_oid *out)
{
	rg_buf info = RG_BUF_INIT, path = RG_BUF_INIT, hex = RG_BUF_INIT;
	FILE *f;
	size_t i;

	for (i = 0; i < g->n; i++)
		rg_buf_printf(&info, "%06o %s\t%s\n", g->v[i].mode, g->blobs[g->v[i].content], g->v[i].path);
	rg_buf_printf(&path, "%s/info", scratch_dir);
	f = fopen(path.ptr, "w");
	assert_non_null(f);
	fwrite(info.ptr ? info.ptr : "", 1, info.len, f);
	fclose(f);
	run_out(&hex, "rm -f ../idx && GIT_INDEX_FILE=../idx git update-index --add --index-info <../info"
		" && GIT_INDEX_FILE=../idx git write-tree");
	assert_true(hex.len >= GIT_OID_HEXSZ);
	assert_int_equal(git_oid_fromstrn(out, hex.ptr, GIT_OID_HEXSZ), 0);
	rg_buf_dispose(&info);
	rg_buf_dispose(&path);
	rg_buf_dispose(&hex);
}

static void gen_all(gen *g)
{
	rg_buf out = RG_BUF_INIT;
	size_t i;

	memset(g, 0, sizeof(*g));
	g->rnd = 42;
	for (i = 0; i < NBLOBS; i++) {
		run_out(&out, "printf 'content %d\\n' | git hash-object -w --stdin", (int)i);
		assert_true(out.len >= GIT_OID_HEXSZ);
		memcpy(g->blobs[i], out.ptr, GIT_OID_HEXSZ);
	}
	/* the names that sort tricky, all present at once */
	gen_set(g, "a/b", 0100644, 0);
	gen_set(g, "a b", 0100644, 0);
	gen_set(g, "a-b", 0100644, 1);
	gen_set(g, "a.c", 0120000, 1);
	gen_set(g, "a0", 0100755, 2);
	for (i = 0; i < 150; i += 2) {
		char path[64];

		snprintf(path, sizeof(path), "big/f%03u", (unsigned)i);
		gen_set(g, path, 0100644, (int)(i % NBLOBS));
	}
	gen_write(g, &g->trees[0]);
	for (i = 1; i < NTREES; i++) {
		gen_step(g);
		gen_write(g, &g->trees[i]);
	}
	rg_buf_dispose(&out);
}

/* ---- the comparison ------------------------------------------------------------ */

static const char empty_tree[] = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/* rg's deltas in `git diff-tree -r -z --no-abbrev` form. */
static void render(rg_buf *out, const rg_changeset *cs)
{
	size_t i;

	rg_buf_clear(out);
	for (i = 0; i < cs->n; i++) {
		const rg_delta *d = &cs->v[i];
		char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];

		git_oid_tostr(a, sizeof(a), &d->old_id);
		git_oid_tostr(b, sizeof(b), &d->new_id);
		rg_buf_printf(out, ":%06o %06o %s %s %c", d->old_mode, d->new_mode, a, b, (char)d->status);
		rg_buf_putc(out, '\0');
		rg_buf_puts(out, d->new_path ? d->new_path : d->old_path);
		rg_buf_putc(out, '\0');
	}
}

typedef struct {
	int statuses[256];
	int file_dir;   /* deltas that delete a path and add below it */
	size_t total;
} seen;

static void note(seen *s, const rg_changeset *cs)
{
	size_t i, j;

	for (i = 0; i < cs->n; i++) {
		s->statuses[(unsigned char)cs->v[i].status]++;
		s->total++;
		for (j = 0; j < cs->n; j++) {
			const char *o = cs->v[i].old_path, *nw = cs->v[j].new_path;

			if (cs->v[i].status == RG_DELTA_DELETED && nw && !strncmp(o, nw, strlen(o)) &&
			    nw[strlen(o)] == '/')
				s->file_dir++;
		}
	}
}

/* Diff old..new (NULL: the empty tree) both ways and compare with git. */
static void compare(git_repository *repo, rg_treecache *tc, const git_oid *old, const git_oid *new,
	seen *s)
{
	rg_buf want = RG_BUF_INIT, got = RG_BUF_INIT;
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];
	rg_changeset cs;

	snprintf(a, sizeof(a), "%s", empty_tree);
	snprintf(b, sizeof(b), "%s", empty_tree);
	if (old)
		git_oid_tostr(a, sizeof(a), old);
	if (new)
		git_oid_tostr(b, sizeof(b), new);
	run_out(&want, "git diff-tree -r -z --no-renames --no-abbrev %s %s", a, b);
	rg_changeset_init(&cs);
	assert_int_equal(rg_diff_tree_ids(&cs, tc, "", old, new), 0);
	render(&got, &cs);
	if (got.len != want.len || (got.len && memcmp(got.ptr, want.ptr, got.len))) {
		size_t i;

		for (i = 0; i < got.len; i++)
			if (!got.ptr[i])
				got.ptr[i] = '|';
		for (i = 0; i < want.len; i++)
			if (!want.ptr[i])
				want.ptr[i] = '|';
		print_error("%s..%s\n got: %s\nwant: %s\n", a, b, got.ptr ? got.ptr : "",
			want.ptr ? want.ptr : "");
		fail();
	}
	note(s, &cs);
	rg_changeset_free(&cs);

	/* the git_tree interface, with its own cache each time */
	if (old && new) {
		git_tree *ta = NULL, *tb = NULL;

		assert_int_equal(git_tree_lookup(&ta, repo, old), 0);
		assert_int_equal(git_tree_lookup(&tb, repo, new), 0);
		rg_changeset_init(&cs);
		assert_int_equal(rg_diff_trees(&cs, repo, ta, tb), 0);
		render(&got, &cs);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.ptr, want.ptr, got.len);
		rg_changeset_free(&cs);
		git_tree_free(ta);
		git_tree_free(tb);
	}
	rg_buf_dispose(&want);
	rg_buf_dispose(&got);
}

static void test_against_git(void **state)
{
	static gen g;
	seen s;
	git_repository *repo = NULL;
	rg_treecache *tc = NULL;
	rg_buf path = RG_BUF_INIT;
	size_t i;

	(void)state;
	memset(&s, 0, sizeof(s));
	gen_all(&g);
	rg_buf_printf(&path, "%s/repo", scratch_dir);
	assert_int_equal(git_repository_open(&repo, path.ptr), 0);
	assert_int_equal(rg_treecache_new(&tc, repo), 0);
	compare(repo, tc, NULL, &g.trees[0], &s);
	compare(repo, tc, &g.trees[0], NULL, &s);
	for (i = 1; i < NTREES; i++) {
		compare(repo, tc, &g.trees[i - 1], &g.trees[i], &s);
		compare(repo, tc, &g.trees[i], &g.trees[i - 1], &s);
	}
	for (i = 0; i + 7 < NTREES; i += 3)
		compare(repo, tc, &g.trees[i], &g.trees[NTREES - 1 - i], &s);
	/* every kind of change was exercised */
	assert_true(s.statuses['A'] > 0);
	assert_true(s.statuses['D'] > 0);
	assert_true(s.statuses['M'] > 0);
	assert_true(s.statuses['T'] > 0);
	assert_true(s.file_dir > 0);
	rg_treecache_free(tc);
	git_repository_free(repo);
	rg_buf_dispose(&path);
}

/* rg_treecache_lookup finds what git_tree_entry_bypath finds, and nothing else. */
static void lookup_one(git_repository *repo, rg_treecache *tc, const git_oid *root, const char *path)
{
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_oid id;
	uint32_t mode = 0;
	int want, got;

	assert_int_equal(git_tree_lookup(&t, repo, root), 0);
	want = git_tree_entry_bypath(&e, t, path);
	got = rg_treecache_lookup(&id, &mode, tc, root, path);
	if ((want == 0) != (got == 0)) {
		print_error("%s: git %d, rg %d\n", path, want, got);
		fail();
	}
	if (want == 0) {
		assert_true(git_oid_equal(&id, git_tree_entry_id(e)));
		assert_int_equal(mode, git_tree_entry_filemode_raw(e));
	} else {
		assert_int_equal(got, RG_ENOTFOUND);
	}
	git_tree_entry_free(e);
	git_tree_free(t);
	git_error_clear();
}

static void test_lookup(void **state)
{
	static const char *const names[] = { "a", "a b", "a-b", "a.c", "a0", "b", "zz" };
	const size_t nn = sizeof(names) / sizeof(names[0]);
	static gen g;
	git_repository *repo = NULL;
	rg_treecache *tc = NULL;
	rg_buf path = RG_BUF_INIT;
	size_t t, i, j, k;

	(void)state;
	gen_all(&g);
	rg_buf_printf(&path, "%s/repo", scratch_dir);
	assert_int_equal(git_repository_open(&repo, path.ptr), 0);
	assert_int_equal(rg_treecache_new(&tc, repo), 0);
	for (t = 0; t < NTREES; t += 4) {
		rg_changeset cs;

		/* the diff into tree t fills the directory memo the look-ups start from */
		rg_changeset_init(&cs);
		assert_int_equal(rg_diff_tree_ids(&cs, tc, "", t ? &g.trees[t - 1] : NULL, &g.trees[t]), 0);
		rg_changeset_free(&cs);
		if (t) /* under another root than the memo's */
			lookup_one(repo, tc, &g.trees[t - 1], "a/b");
		for (i = 0; i < nn; i++) {
			rg_buf_clear(&path);
			rg_buf_printf(&path, "%s", names[i]);
			lookup_one(repo, tc, &g.trees[t], path.ptr);
			rg_buf_putc(&path, '/');
			lookup_one(repo, tc, &g.trees[t], path.ptr);   /* "a/": a directory only */
			for (j = 0; j < nn; j++) {
				rg_buf_clear(&path);
				rg_buf_printf(&path, "%s/%s", names[i], names[j]);
				lookup_one(repo, tc, &g.trees[t], path.ptr);
				for (k = 0; k < nn; k++) {
					rg_buf_clear(&path);
					rg_buf_printf(&path, "%s/%s/%s", names[i], names[j], names[k]);
					lookup_one(repo, tc, &g.trees[t], path.ptr);
				}
			}
		}
		lookup_one(repo, tc, &g.trees[t], "a//b");
		lookup_one(repo, tc, &g.trees[t], "");
	}
	rg_treecache_free(tc);
	git_repository_free(repo);
	rg_buf_dispose(&path);
}

/* A missing subtree is an error naming its path, not an empty directory. */
static void test_missing_tree(void **state)
{
	git_repository *repo = NULL;
	rg_treecache *tc = NULL;
	rg_buf path = RG_BUF_INIT, hex = RG_BUF_INIT;
	git_oid t;
	rg_changeset cs;

	(void)state;
	run_out(&hex, "printf '040000 tree 1111111111111111111111111111111111111111\\tgone\\n'"
		" | git mktree --missing");
	assert_int_equal(git_oid_fromstrn(&t, hex.ptr, GIT_OID_HEXSZ), 0);
	rg_buf_printf(&path, "%s/repo", scratch_dir);
	assert_int_equal(git_repository_open(&repo, path.ptr), 0);
	assert_int_equal(rg_treecache_new(&tc, repo), 0);
	rg_changeset_init(&cs);
	assert_true(rg_diff_tree_ids(&cs, tc, "", NULL, &t) < 0);
	assert_non_null(strstr(rg_error_last(), "gone/"));
	rg_changeset_free(&cs);
	rg_treecache_free(tc);
	git_repository_free(repo);
	rg_buf_dispose(&path);
	rg_buf_dispose(&hex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_git),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_missing_tree),
	};

	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
