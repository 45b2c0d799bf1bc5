/*
 * fuzz-checkpoint-conf.c: the [checkpoint] section (every, tags, name, on)
 * through the INI parser, then the tag name it makes and the glob match.
 */
#include <stddef.h>
#include <stdint.h>
#include <git2.h>

#include "repoguard/checkpoint.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	git_libgit2_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_conf c;
	rg_ckpt_conf k;

	rg_conf_init(&c);
	rg_conf_parse_string(&c, (const char *)data, size, "fuzz.ini");
	if (rg_ckpt_conf_load(&k, &c) == RG_OK) {
		rg_buf name = RG_BUF_INIT, pats = RG_BUF_INIT;

		if (rg_ckpt_format_name(&name, &k, (int64_t)size * 86399) == RG_OK)
			(void)rg_ckpt_name_matches(&k, name.ptr);
		rg_ckpt_patterns_str(&pats, &k);
		rg_buf_dispose(&name);
		rg_buf_dispose(&pats);
	}
	rg_ckpt_conf_free(&k);
	rg_conf_free(&c);
	return 0;
}
