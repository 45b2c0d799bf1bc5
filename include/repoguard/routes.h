/*
 * routes.h: the routing check ([routes] in rules.ini) for callers other
 * than the rule engine, e.g. `repoguard audit` checking the tree at HEAD.
 */
#ifndef REPOGUARD_ROUTES_H
#define REPOGUARD_ROUTES_H

#include <git2.h>
#include "context.h"
#include "finding.h"

/*
 * Check a whole tree: every file reachable from the roots that imports a
 * path not in the tree (dangling), and every component file (components=,
 * minus exclude=) that no root reaches (unreachable). Uses the routes rule's
 * state in ctx->rule_state when the engine configured it (sharing its parse
 * cache), else reads [routes] from ctx->conf. commit_hex labels the
 * findings (may be NULL). Does nothing when [routes] has no roots.
 * Returns RG_OK, RG_ROUTES_NO_ROOT when none of the roots is in the tree
 * (nothing checked), or an error.
 */
#define RG_ROUTES_NO_ROOT 1
int rg_routes_check_tree(rg_findings *out, rg_ctx *ctx, git_tree *tree, const char *commit_hex);

#endif
