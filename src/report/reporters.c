/* reporters.c: the reporter table. A new format is one file and one line here. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repoguard/report.h"

extern const rg_reporter rg_report_text;
extern const rg_reporter rg_report_json;
extern const rg_reporter rg_report_sarif;
extern const rg_reporter rg_report_github;

static const rg_reporter *const reporters[] = {
	&rg_report_text,
	&rg_report_json,
	&rg_report_sarif,
	&rg_report_github,
};

const rg_reporter *rg_reporter_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++)
		if (!strcmp(reporters[i]->name, name))
			return reporters[i];
	return NULL;
}

const char *rg_reporter_names(void)
{
	static char names[128];
	size_t i, o = 0;

	if (names[0])
		return names;
	for (i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++) {
		size_t n = strlen(reporters[i]->name);

		if (o + n + 3 >= sizeof(names))
			break;
		if (i) {
			memcpy(names + o, ", ", 2);
			o += 2;
		}
		memcpy(names + o, reporters[i]->name, n);
		o += n;
	}
	names[o] = '\0';
	return names;
}

int rg_report_want_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc && *nc)
		return 0;
	if (term && !strcmp(term, "dumb"))
		return 0;
	return isatty(fileno(f));
}
