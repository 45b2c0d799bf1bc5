/*
 * test-index.c: the fast index reader on index files made by git (the fuzz
 * seeds in tests/fuzz/corpus/fuzz-index/), split-index merging, and corrupt
 * input that must be refused, never read past.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/index.h"

#define SEEDS "tests/fuzz/corpus/fuzz-index/"

static void slurp(rg_buf *b, const char *name)
{
	FILE *f = fopen(name, "rb");
	char chunk[4096];
	size_t n;

	if (!f)
		fail_msg("cannot open %s (run from the source tree)", name);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rg_buf_put(b, chunk, n);
	fclose(f);
}

static void paths(rg_buf *out, const rg_index *idx)
{
	size_t i;

	rg_buf_clear(out);
	for (i = 0; i < idx->n; i++)
		rg_buf_printf(out, "%s:%d%s ", idx->entries[i].path, idx->entries[i].stage,
			idx->entries[i].intent_to_add ? "+ita" : "");
}

static void test_v2_with_cache_tree(void **state)
{
	rg_buf b = RG_BUF_INIT, p = RG_BUF_INIT;
	rg_index idx;

	(void)state;
	memset(&idx, 0, sizeof(idx));
	slurp(&b, SEEDS "v2-cache-tree");
	assert_int_equal(rg_index_parse(&idx, b.ptr, b.len), RG_OK);
	paths(&p, &idx);
	assert_string_equal(p.ptr, "README:0 node_modules/x/i.js:0 sp ace:0 src/a.ts:0 src/deep/b.ts:0 ");
	assert_non_null(idx.tree);
	assert_int_equal(idx.tree->entry_count, 5);
	assert_non_null(rg_index_find(&idx, "src/a.ts"));
	assert_null(rg_index_find(&idx, "src/a"));
	assert_null(rg_index_find(&idx, "src"));
	rg_index_free(&idx);
	rg_buf_dispose(&b);
	rg_buf_dispose(&p);
}

static void test_v4_equals_v3(void **state)
{
	rg_buf b3 = RG_BUF_INIT, b4 = RG_BUF_INIT;
	rg_index i3, i4;
	size_t i;

	(void)state;
	memset(&i3, 0, sizeof(i3));
	memset(&i4, 0, sizeof(i4));
	slurp(&b3, SEEDS "v3-ita-invalid-tree");
	slurp(&b4, SEEDS "v4");
	assert_int_equal(rg_index_parse(&i3, b3.ptr, b3.len), RG_OK);
	assert_int_equal(rg_index_parse(&i4, b4.ptr, b4.len), RG_OK);
	assert_int_equal(i3.n, i4.n);
	for (i = 0; i < i3.n; i++) {
		assert_string_equal(i3.entries[i].path, i4.entries[i].path);
		assert_int_equal(i3.entries[i].path_len, i4.entries[i].path_len);
		assert_true(git_oid_equal(&i3.entries[i].id, &i4.entries[i].id));
		assert_int_equal(i3.entries[i].intent_to_add, i4.entries[i].intent_to_add);
	}
	assert_non_null(rg_index_find(&i4, "new.txt"));
	assert_true(rg_index_find(&i4, "new.txt")->intent_to_add);
	assert_int_equal(i4.tree->entry_count, -1); /* invalidated by the add */
	rg_index_free(&i3);
	rg_index_free(&i4);
	rg_buf_dispose(&b3);
	rg_buf_dispose(&b4);
}

static void test_conflict_stages(void **state)
{
	rg_buf b = RG_BUF_INIT, p = RG_BUF_INIT;
	rg_index idx;

	(void)state;
	memset(&idx, 0, sizeof(idx));
	slurp(&b, SEEDS "conflict");
	assert_int_equal(rg_index_parse(&idx, b.ptr, b.len), RG_OK);
	paths(&p, &idx);
	assert_non_null(strstr(p.ptr, "README:1 README:2 README:3 "));
	assert_null(rg_index_find(&idx, "README")); /* no stage 0 */
	rg_index_free(&idx);
	rg_buf_dispose(&b);
	rg_buf_dispose(&p);
}

/* front and shared index as git wrote them: README deleted, b.ts replaced, q added */
static void test_split_merge(void **state)
{
	rg_buf b = RG_BUF_INIT, p = RG_BUF_INIT, old = RG_BUF_INIT;
	rg_index front, before, *base = calloc(1, sizeof(*base));
	const char *sep;
	size_t flen;

	(void)state;
	memset(&front, 0, sizeof(front));
	memset(&before, 0, sizeof(before));
	slurp(&b, SEEDS "split-front-base");
	slurp(&old, SEEDS "v2-cache-tree");
	assert_int_equal(rg_index_parse(&before, old.ptr, old.len), RG_OK);
	sep = memmem(b.ptr, b.len, "\0RGBASE\0", 8);
	assert_non_null(sep);
	flen = (size_t)(sep - b.ptr);
	assert_int_equal(rg_index_parse(&front, b.ptr, flen), RG_OK);
	assert_true(front.split);
	assert_int_equal(rg_index_parse(base, sep + 8, b.len - flen - 8), RG_OK);
	assert_false(base->split);
	assert_true(git_oid_equal(&base->checksum, &front.base_id));
	assert_int_equal(rg_index_merge_base(&front, base), RG_OK);
	paths(&p, &front);
	assert_string_equal(p.ptr, "new.txt:0+ita node_modules/x/i.js:0 q:0 sp ace:0 src/a.ts:0 src/deep/b.ts:0 ");
	/* b.ts comes from the front's replacement entry, not the shared index */
	assert_false(git_oid_equal(&rg_index_find(&front, "src/deep/b.ts")->id,
		&rg_index_find(&before, "src/deep/b.ts")->id));
	assert_true(git_oid_equal(&rg_index_find(&front, "sp ace")->id,
		&rg_index_find(&before, "sp ace")->id));
	rg_index_free(&front); /* frees base too: the merge took it */
	rg_index_free(&before);
	rg_buf_dispose(&b);
	rg_buf_dispose(&p);
	rg_buf_dispose(&old);
}

/* A sparse index: "b/" is one entry, a directory with its tree id. */
static void test_sparse_directory_entries(void **state)
{
	rg_buf b = RG_BUF_INIT, p = RG_BUF_INIT;
	rg_index idx;
	const rg_index_entry *e;

	(void)state;
	memset(&idx, 0, sizeof(idx));
	slurp(&b, SEEDS "sparse");
	assert_int_equal(rg_index_parse(&idx, b.ptr, b.len), RG_OK);
	paths(&p, &idx);
	assert_non_null(strstr(p.ptr, "b/:0 "));
	e = rg_index_find(&idx, "b/");
	assert_non_null(e);
	assert_int_equal(e->mode, 040000);
	assert_true(e->skip_worktree);
	rg_index_free(&idx);
	rg_buf_dispose(&b);
	rg_buf_dispose(&p);
}

/* Every prefix and a few byte flips of a real index: an error or a result, never a crash. */
static void test_corrupt_input(void **state)
{
	rg_buf b = RG_BUF_INIT;
	rg_index idx;
	size_t len, i;
	char *copy;

	(void)state;
	slurp(&b, SEEDS "v2-cache-tree");
	for (len = 0; len < b.len; len++) {
		copy = rg_malloc(len + 1);
		memcpy(copy, b.ptr, len);
		memset(&idx, 0, sizeof(idx));
		(void)rg_index_parse(&idx, copy, len);
		rg_index_free(&idx);
		free(copy);
	}
	copy = rg_malloc(b.len);
	for (i = 12; i < b.len - 20; i += 7) {
		memcpy(copy, b.ptr, b.len);
		copy[i] ^= 0x5a;
		memset(&idx, 0, sizeof(idx));
		(void)rg_index_parse(&idx, copy, b.len);
		rg_index_free(&idx);
	}
	/* entry count larger than the file */
	memcpy(copy, b.ptr, b.len);
	copy[8] = 0x7f;
	memset(&idx, 0, sizeof(idx));
	assert_true(rg_index_parse(&idx, copy, b.len) < 0);
	rg_index_free(&idx);
	/* a name length that does not match the flags */
	memcpy(copy, b.ptr, b.len);
	copy[12 + 40 + 20 + 1] = 5;
	memset(&idx, 0, sizeof(idx));
	assert_true(rg_index_parse(&idx, copy, b.len) < 0);
	assert_non_null(strstr(rg_error_last(), "path length"));
	rg_index_free(&idx);
	free(copy);
	rg_buf_dispose(&b);
}

/* A split index whose bitmap names entries the shared index does not have. */
static void test_split_bitmap_out_of_range(void **state)
{
	rg_buf b = RG_BUF_INIT, small = RG_BUF_INIT;
	rg_index front, *base = calloc(1, sizeof(*base));
	const char *sep;
	size_t flen;

	(void)state;
	memset(&front, 0, sizeof(front));
	slurp(&b, SEEDS "split-front-base");
	sep = memmem(b.ptr, b.len, "\0RGBASE\0", 8);
	flen = (size_t)(sep - b.ptr);
	assert_int_equal(rg_index_parse(&front, b.ptr, flen), RG_OK);
	/* the shared index cut to its first entry (README: 72 bytes), checksum zeroed */
	rg_buf_put(&small, sep + 8, 12 + 72);
	small.ptr[11] = 1;
	rg_buf_put(&small, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20);
	assert_int_equal(rg_index_parse(base, small.ptr, small.len), RG_OK);
	assert_int_equal(base->n, 1);
	assert_true(rg_index_merge_base(&front, base) < 0);
	assert_non_null(strstr(rg_error_last(), "shared index does not have"));
	rg_index_free(&front);
	rg_buf_dispose(&b);
	rg_buf_dispose(&small);
}

/* A temporary copy of a seed, named into out (a mkstemp template). */
static void seed_copy(char *out, const char *seed)
{
	rg_buf b = RG_BUF_INIT;
	int fd = mkstemp(out);

	slurp(&b, seed);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b.ptr, b.len), (ssize_t)b.len);
	close(fd);
	rg_buf_dispose(&b);
}

/* rg_index_keep: the next open of the same unchanged file gets the parse kept; a changed file is parsed again. */
static void test_keep_for_next_open(void **state)
{
	char path[] = "/tmp/rg-test-index-XXXXXX", other[] = "/tmp/rg-test-index-XXXXXX";
	struct timespec times[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	rg_index idx;
	void *map;

	(void)state;
	seed_copy(path, SEEDS "v2-cache-tree");
	seed_copy(other, SEEDS "v2-cache-tree");
	assert_int_equal(rg_index_open(&idx, path, NULL), RG_OK);
	map = idx.map;
	rg_index_keep(&idx, path);
	assert_null(idx.map); /* taken over */
	assert_int_equal(rg_index_open(&idx, path, NULL), RG_OK);
	assert_ptr_equal(idx.map, map);
	assert_int_equal(idx.n, 5);
	assert_non_null(rg_index_find(&idx, "src/a.ts"));

	/* the same bytes, but a new mtime: not the file that was parsed */
	rg_index_keep(&idx, path);
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
	assert_int_equal(rg_index_open(&idx, path, NULL), RG_OK);
	assert_int_equal(idx.mtime_sec, 1000000000);
	assert_int_equal(idx.n, 5);

	/* another path: parsed, and the kept one let go */
	rg_index_keep(&idx, path);
	assert_int_equal(rg_index_open(&idx, other, NULL), RG_OK);
	assert_int_equal(idx.n, 5);
	rg_index_free(&idx);
	assert_int_equal(rg_index_open(&idx, path, NULL), RG_OK);
	assert_int_equal(idx.mtime_sec, 1000000000);
	rg_index_free(&idx);
	unlink(path);
	unlink(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_with_cache_tree),
		cmocka_unit_test(test_v4_equals_v3),
		cmocka_unit_test(test_conflict_stages),
		cmocka_unit_test(test_split_merge),
		cmocka_unit_test(test_sparse_directory_entries),
		cmocka_unit_test(test_corrupt_input),
		cmocka_unit_test(test_split_bitmap_out_of_range),
		cmocka_unit_test(test_keep_for_next_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
