/*
 * report-util.h: what the reporters share
 * (internal to src/report/).
 */
#ifndef REPOGUARD_REPORT_UTIL_H
#define REPOGUARD_REPORT_UTIL_H

#include "repoguard/buf.h"
#include "repoguard/finding.h"

/* Files that stand in for findings that are not about one file. */
#define RG_REPORT_DIR_FILE ".gitignore"      /* a directory: where it gets ignored */
/*
 * A SARIF result needs a file (code scanning refuses a whole upload with a
 * result that has none): one with neither a path nor an anchor points at the
 * file where a repository's own rules go.
 */
#define RG_REPORT_NOPATH_FILE ".repoguard.ini"

/*
 * The file an annotation or a SARIF result points at: the finding's path,
 * .gitignore for a directory; with no path its anchor (the repository's rules
 * file at the line that set the rule, or a file the finding counts); NULL
 * when there is none of these. A directory is not a file. *line is the
 * finding's (or the anchor's) line, else 1.
 */
const char *rg_report_file(const rg_finding *x, int *line);

/* "what: message (commit abc123def456)" with the path C-quoted, one line. */
void rg_report_headline(rg_buf *b, const rg_finding *x);

/*
 * The text report's location: "commit:path/:line", each part when known, the
 * path C-quoted (no control byte raw); empty when the finding has neither.
 */
void rg_report_location(rg_buf *b, const rg_finding *x);

#endif
