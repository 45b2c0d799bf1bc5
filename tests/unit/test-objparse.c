/* test-objparse.c: raw tree and commit parsers and the walker's fast patterns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "repoguard/common.h"
#include "repoguard/glob.h"
#include "repoguard/objparse.h"
#include "../../src/source/fastpat.h"

static size_t tree_add(char *buf, size_t pos, const char *mode, const char *name, unsigned char idbyte)
{
	size_t ml = strlen(mode), nl = strlen(name);

	memcpy(buf + pos, mode, ml);
	buf[pos + ml] = ' ';
	memcpy(buf + pos + ml + 1, name, nl + 1);
	memset(buf + pos + ml + 1 + nl + 1, idbyte, GIT_OID_RAWSZ);
	return pos + ml + 1 + nl + 1 + GIT_OID_RAWSZ;
}

static void test_tree_next(void **state)
{
	char buf[256];
	size_t len = 0, pos = 0;
	rg_tree_ent e;

	(void)state;
	len = tree_add(buf, len, "100644", "a.js", 0xab);
	len = tree_add(buf, len, "40000", "node_modules", 0xcd);
	len = tree_add(buf, len, "160000", "sub", 0xef);
	assert_int_equal(rg_tree_next(&e, buf, len, &pos), 1);
	assert_int_equal(e.mode, 0100644);
	assert_int_equal(e.name_len, 4);
	assert_memory_equal(e.name, "a.js", 4);
	assert_int_equal(e.id[0], 0xab);
	assert_int_equal(rg_tree_next(&e, buf, len, &pos), 1);
	assert_int_equal(RG_MODE_TYPE(e.mode), RG_MODE_TREE);
	assert_int_equal(rg_tree_next(&e, buf, len, &pos), 1);
	assert_int_equal(RG_MODE_TYPE(e.mode), RG_MODE_GITLINK);
	assert_int_equal(rg_tree_next(&e, buf, len, &pos), 0);
	/* the second entry's id cut short */
	pos = 0;
	assert_int_equal(rg_tree_next(&e, buf, len, &pos), 1);
	assert_int_equal(rg_tree_next(&e, buf, pos + 20, &pos), RG_ERROR);
}

static void test_tree_malformed(void **state)
{
	char buf[128];
	size_t len, pos;
	rg_tree_ent e;

	(void)state;
	len = tree_add(buf, 0, "100644", "a/b", 1);    /* a slash in a name */
	pos = 0;
	assert_int_equal(rg_tree_next(&e, buf, len, &pos), RG_ERROR);
	len = tree_add(buf, 0, "100648", "x", 1);      /* not octal */
	pos = 0;
	assert_int_equal(rg_tree_next(&e, buf, len, &pos), RG_ERROR);
	len = tree_add(buf, 0, "100644", "", 1);       /* empty name */
	pos = 0;
	assert_int_equal(rg_tree_next(&e, buf, len, &pos), RG_ERROR);
	memcpy(buf, "100644x", 7);                      /* no space */
	pos = 0;
	assert_int_equal(rg_tree_next(&e, buf, 7, &pos), RG_ERROR);
}

/* Look-ups stop where the name would sort (as a file or as a directory). */
static void test_tree_find(void **state)
{
	char buf[512];
	size_t len = 0, b1, b2;
	rg_tree_ent e;

	(void)state;
	len = tree_add(buf, len, "100644", ".gitattributes", 1);
	len = tree_add(buf, len, "100644", "a", 2);
	b1 = len;
	len = tree_add(buf, len, "100644", "a-b", 3);
	b2 = len;
	len = tree_add(buf, len, "120000", "a.c", 4);
	len = tree_add(buf, len, "40000", "a0", 5);    /* a directory: sorts as "a0/" */
	len = tree_add(buf, len, "160000", "b", 6);
	assert_int_equal(rg_tree_find(&e, buf, len, "a", 1), 1);
	assert_int_equal(e.id[0], 2);
	assert_int_equal(rg_tree_find(&e, buf, len, "a.c", 3), 1);
	assert_int_equal(e.mode, 0120000);
	assert_int_equal(rg_tree_find(&e, buf, len, "a0", 2), 1);
	assert_int_equal(RG_MODE_TYPE(e.mode), RG_MODE_TREE);
	assert_int_equal(rg_tree_find(&e, buf, len, "b", 1), 1);
	assert_int_equal(rg_tree_find(&e, buf, len, ".gitattributes", 14), 1);
	assert_int_equal(rg_tree_find(&e, buf, len, "a-", 2), 0);
	assert_int_equal(rg_tree_find(&e, buf, len, "a/b", 3), 0);
	assert_int_equal(rg_tree_find(&e, buf, len, "c", 1), 0);
	assert_int_equal(rg_tree_find(&e, buf, len, "", 0), 0);
	/* it stops before a malformed tail when the name sorts earlier ... */
	assert_int_equal(rg_tree_find(&e, buf, b2 + 10, "a", 1), 1);
	assert_int_equal(rg_tree_find(&e, buf, b2 + 10, "a-a", 3), 0);
	/* ... and reports it when the scan reaches it */
	assert_int_equal(rg_tree_find(&e, buf, b2 + 10, "b", 1), RG_ERROR);
	/* the prefix skip lands on the last boundary at or before p */
	assert_int_equal(rg_tree_skip(buf, 0), 0);
	assert_int_equal(rg_tree_skip(buf, b1), b1);
	assert_int_equal(rg_tree_skip(buf, b1 + 1), b1);
	assert_int_equal(rg_tree_skip(buf, b2 - 1), b1);
	assert_int_equal(rg_tree_skip(buf, b2), b2);
	assert_int_equal(rg_tree_skip(buf, len), len);
}

static void test_commit_parse(void **state)
{
	static const char c[] =
		"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
		"parent 1111111111111111111111111111111111111111\n"
		"parent 2222222222222222222222222222222222222222\n"
		"author A U Thor <a@example.com> 1700000000 +0100\n"
		"committer C O Mitter <c@example.com> 1767225600 +0000\n"
		"\n"
		"tree ffffffffffffffffffffffffffffffffffffffff in the message\n";
	rg_commit_hdr h;
	char hex[GIT_OID_HEXSZ + 1];

	(void)state;
	assert_int_equal(rg_commit_parse(&h, c, sizeof(c) - 1), RG_OK);
	git_oid_tostr(hex, sizeof(hex), &h.tree);
	assert_string_equal(hex, "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
	assert_int_equal(h.nparents, 2);
	git_oid_tostr(hex, sizeof(hex), &h.parents[1]);
	assert_string_equal(hex, "2222222222222222222222222222222222222222");
	assert_int_equal(h.time, 1767225600);
	assert_string_equal(c + h.message, "tree ffffffffffffffffffffffffffffffffffffffff in the message\n");
	rg_commit_hdr_free(&h);
	/* no message, a header that does not end in a blank line, an empty message */
	assert_int_equal(rg_commit_parse(&h, "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n", 46), RG_OK);
	assert_int_equal(h.message, 46);
	rg_commit_hdr_free(&h);
	assert_int_equal(rg_commit_parse(&h, "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\n", 47), RG_OK);
	assert_int_equal(h.message, 47);
	rg_commit_hdr_free(&h);
	assert_int_equal(rg_commit_parse(&h, "parent 1111\n\n", 13), RG_ERROR);
	assert_int_equal(rg_commit_parse(&h, "tree zz\n", 8), RG_ERROR);
}

static void test_oid_in_sorted(void **state)
{
	git_oid v[2], id;

	(void)state;
	git_oid_fromstr(&v[0], "1111111111111111111111111111111111111111");
	git_oid_fromstr(&v[1], "2222222222222222222222222222222222222222");
	assert_true(rg_oid_in_sorted(v, 2, &v[1]));
	git_oid_fromstr(&id, "3333333333333333333333333333333333333333");
	assert_false(rg_oid_in_sorted(v, 2, &id));
	assert_false(rg_oid_in_sorted(NULL, 0, &id));
}

/* The compiled matcher must decide exactly as rg_patlist_match1. */
static void test_fastpat_equivalence(void **state)
{
	static const char *const lists[] = {
		"node_modules/ .vite/",
		".env .env.* !.env.example *.pem id_rsa *.key",
		"/dist/ build/out **/cache/ src/**/gen/ *.min.js [a-c]*.log !keep.log",
		"* !*.txt",
	};
	static const char *const paths[] = {
		"node_modules", "a/node_modules", "node_modules.md", "my_node_modules", ".vite",
		"x/.vite", ".env", ".env.local", ".env.example", "a/.env.example", "certs/server.pem",
		"pem", "id_rsa", "id_rsa.pub", "dist", "web/dist", "build/out", "x/build/out",
		"cache", "a/b/cache", "src/x/gen", "src/gen", "app.min.js", "b.log", "keep.log",
		"d.log", "notes.txt", "a/notes.txt", "k.key",
	};
	size_t li, pi;

	(void)state;
	for (li = 0; li < RG_ARRAY_SIZE(lists); li++) {
		rg_patlist l = { NULL, 0, 0 };
		rg_fastpats f;

		assert_int_equal(rg_patlist_add_words(&l, lists[li], "t", 1), RG_OK);
		rg_fastpats_init(&f, &l);
		for (pi = 0; pi < RG_ARRAY_SIZE(paths); pi++) {
			int isdir;

			for (isdir = 0; isdir < 2; isdir++) {
				const char *p = paths[pi], *base = strrchr(p, '/');
				const rg_pattern *by = NULL;
				size_t which = 0;
				int want = rg_patlist_match1(&l, p, isdir, &by);
				int got;

				base = base ? base + 1 : p;
				got = rg_fastpats_match1(&f, p, strlen(p), base, strlen(base), isdir, &which);
				if (want != got)
					fail_msg("list '%s', path '%s' (dir %d): want %d, got %d",
						lists[li], p, isdir, want, got);
				if (want >= 0)
					assert_ptr_equal(by, f.v[which].p);
			}
		}
		assert_int_equal(f.path_dependent, li == 2);
		rg_fastpats_free(&f);
		rg_patlist_free(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_next),
		cmocka_unit_test(test_tree_malformed),
		cmocka_unit_test(test_tree_find),
		cmocka_unit_test(test_commit_parse),
		cmocka_unit_test(test_oid_in_sorted),
		cmocka_unit_test(test_fastpat_equivalence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
