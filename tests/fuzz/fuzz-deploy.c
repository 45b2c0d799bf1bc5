/*
 * fuzz-deploy.c: [deploy.NAME] configuration, path ownership and deploy tag
 * stamps. The input is an INI text; its lines are also used as paths to
 * map and as stamps to parse.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/config.h"
#include "repoguard/deploy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_lines(rg_deploy_map *m, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = strndup(p, n);
		rg_deploy_stamp st;

		if (line && *line) {
			rg_deploy_map_add(m, 'M', NULL, line);
			if (rg_deploy_stamp_parse(&st, line) == 0)
				(void)rg_deploy_stamp_cmp(&st, &st);
		}
		free(line);
		p += n + (p[n] == '\n');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = strndup((const char *)data, size);
	rg_conf c;
	rg_deploy_conf dc;
	rg_deploy_map m;
	rg_buf b = RG_BUF_INIT;
	int *which;

	if (!text)
		return 0;
	rg_conf_init(&c);
	rg_conf_parse_string(&c, text, strlen(text), "fuzz.ini");
	rg_deploy_conf_load(&dc, &c);
	rg_deploy_map_init(&m);
	fuzz_lines(&m, text);
	rg_deploy_map_finish(&m, &dc);
	which = calloc(dc.n ? dc.n : 1, sizeof(*which));
	if (which) {
		which[0] = 1;
		if (rg_deploy_judge(&m, which) == RG_DEPLOY_MISMATCH)
			rg_deploy_describe_owners(&b, &m, &dc, which);
		if (dc.n) {
			rg_deploy_list(&b, &m, &m.per[0], 5, "  ");
			(void)rg_deploy_pushes_to(&dc.v[0], text, text, NULL);
		}
		free(which);
	}
	rg_buf_dispose(&b);
	rg_deploy_map_free(&m);
	rg_deploy_conf_free(&dc);
	rg_conf_free(&c);
	free(text);
	return 0;
}
