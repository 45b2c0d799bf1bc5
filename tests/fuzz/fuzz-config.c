/*
 * fuzz-config.c: rules.ini parsing (inih and our line reader), layering on
 * the built-in defaults, validation against every rule's keys, configuring
 * every rule, and running the rules on a small synthetic change set (so
 * that the patterns the input configures are matched against paths).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>

#include "repoguard/buf.h"
#include "repoguard/change.h"
#include "repoguard/config.h"
#include "repoguard/context.h"
#include "repoguard/rule.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	git_libgit2_init();
	return 0;
}

static void fake_changeset(rg_changeset *cs)
{
	static const char *const added[] = {
		"node_modules/a.js", "web/node_modules/x/y.js", ".vite/deps/c.js", "src/app.ts",
		"docs/node_modules.md", "a b/c d.txt", "dist/bundle.js", "x.psd",
	};
	git_oid id;
	size_t i;

	memset(&id, 0x11, sizeof(id));
	rg_changeset_init(cs);
	for (i = 0; i < sizeof(added) / sizeof(added[0]); i++)
		rg_changeset_add(cs, RG_DELTA_ADDED, NULL, 0, NULL, added[i], 0100644, &id);
	rg_changeset_add(cs, RG_DELTA_DELETED, "src/billing.ts", 0100644, &id, NULL, 0, NULL);
	rg_changeset_add(cs, RG_DELTA_DELETED, "migrations/001.sql", 0100644, &id, NULL, 0, NULL);
	rg_changeset_add(cs, RG_DELTA_MODIFIED, "README", 0100644, &id, "README", 0100755, &id);
	rg_changeset_add(cs, RG_DELTA_ADDED, NULL, 0, NULL, "sub/node_modules", 0160000, &id);
	rg_changeset_sort(cs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_conf conf;
	rg_ctx ctx;
	rg_buf dump = RG_BUF_INIT;
	rg_findings out;
	rg_changeset cs;

	if (size > 65536)
		return 0;
	rg_conf_init(&conf);
	rg_conf_parse_string(&conf, rg_default_rules, strlen(rg_default_rules), "rules.ini (built-in)");
	rg_conf_new_layer(&conf);
	rg_conf_parse_string(&conf, (const char *)data, size, "fuzz.ini");
	rg_rules_validate(&conf);
	rg_conf_dump(&dump, &conf, 1);
	(void)rg_conf_bool(&conf, "repoguard", "defaults", 1);
	rg_ctx_init(&ctx, NULL, &conf, RG_MODE_PRE_COMMIT, "fuzz");
	if (rg_engine_configure(&ctx) == RG_OK) {
		rg_findings_init(&out);
		fake_changeset(&cs);
		rg_engine_check(&out, &ctx, &cs);
		rg_engine_finish(&out, &ctx);
		rg_changeset_free(&cs);
		rg_findings_free(&out);
	}
	rg_engine_free(&ctx);
	rg_ctx_free(&ctx);
	rg_buf_dispose(&dump);
	rg_conf_free(&conf);
	return 0;
}
