/*
 * scratch-repo.h: a throwaway repository for unit tests that build their
 * fixtures with the real git. Include once in a test file (the functions are
 * static), then pass scratch_setup / scratch_teardown to
 * cmocka_run_group_tests. The repository is scratch_dir + "/repo", with its
 * own HOME and no system configuration.
 */
#ifndef REPOGUARD_TEST_SCRATCH_REPO_H
#define REPOGUARD_TEST_SCRATCH_REPO_H

#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <git2.h>

#include "repoguard/buf.h"

static char scratch_dir[] = "/tmp/repoguard-unit.XXXXXX";

/* Run a shell command in the repository; the test fails unless it exits 0. */
static void scratch_sh(const char *fmt, ...)
{
	va_list ap;
	rg_buf cmd = RG_BUF_INIT;

	rg_buf_printf(&cmd, "cd '%s/repo' && { ", scratch_dir);
	va_start(ap, fmt);
	rg_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	rg_buf_puts(&cmd, "; } >/dev/null 2>&1");
	assert_int_equal(system(cmd.ptr), 0);
	rg_buf_dispose(&cmd);
}

static int scratch_setup(void **state)
{
	rg_buf p = RG_BUF_INIT;

	(void)state;
	if (!mkdtemp(scratch_dir))
		return -1;
	rg_buf_printf(&p, "%s/.home", scratch_dir);
	setenv("HOME", p.ptr, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "A", 1);
	setenv("GIT_AUTHOR_EMAIL", "a@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "C", 1);
	setenv("GIT_COMMITTER_EMAIL", "c@example.com", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_INDEX_FILE");
	git_libgit2_init();
	rg_buf_clear(&p);
	rg_buf_printf(&p, "%s/repo", scratch_dir);
	if (mkdir(p.ptr, 0700) < 0)
		return -1;
	rg_buf_dispose(&p);
	scratch_sh("git init -q -b main .");
	return 0;
}

static int scratch_teardown(void **state)
{
	rg_buf cmd = RG_BUF_INIT;

	(void)state;
	rg_buf_printf(&cmd, "rm -rf '%s'", scratch_dir);
	(void)!system(cmd.ptr);
	rg_buf_dispose(&cmd);
	git_libgit2_shutdown();
	return 0;
}

#endif
