/*
 * audit-routing.c: the audit's "routing" section: the routing check
 * ([routes], routes.h) over HEAD's whole tree: files reachable from the
 * router that import a path the tree does not have (dangling), and
 * component files no root reaches (unreachable). Left out when the routes
 * rule is off ([routes] without roots=, or severity = off).
 */
#include <string.h>

#include "repoguard/audit.h"
#include "repoguard/routes.h"
#include "repoguard/rule.h"

/* The routes rule's state, as the engine configured it for this run; NULL when it is off. */
static void *routing_state(const rg_ctx *ctx)
{
	size_t i;

	for (i = 0; ctx->rule_state && i < rg_rules_count; i++)
		if (!strcmp(rg_rules[i]->id, "routes"))
			return ctx->rule_state[i];
	return NULL;
}

static void routing_roots(rg_buf *out, rg_conf *conf)
{
	char **w = rg_conf_words(conf, "routes", "roots");
	size_t i;

	for (i = 0; w[i]; i++)
		rg_buf_printf(out, "%s%s", i ? ", " : "", w[i]);
	rg_strv_free(w);
}

static int routing_run(rg_findings *out, rg_audit *a, rg_buf *verdict)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i, dangling = 0, unreachable = 0;
	int components = rg_conf_get(a->ctx->conf, "routes", "components") != NULL;
	int r;

	if (!routing_state(a->ctx))
		return RG_ENOTFOUND;
	if (rg_audit_skipped(a, "routes", "routing")) {
		rg_buf_puts(verdict, "not checked: skipped by REPOGUARD_SKIP");
		return RG_OK;
	}
	if (a->hist.head == RG_HIST_NONE) {
		rg_buf_puts(verdict, "HEAD is unborn: nothing to check");
		return RG_OK;
	}
	rg_audit_commit_hex(hex, a, a->hist.head);
	if (git_commit_lookup(&c, a->ctx->repo, &a->hist.commits[a->hist.head].id) < 0 ||
	    git_commit_tree(&tree, c) < 0) {
		r = rg_error_from_git("cannot read HEAD's tree for the routing check");
		goto out;
	}
	r = rg_routes_check_tree(out, a->ctx, tree, hex);
	if (r < 0)
		goto out;
	rg_buf_printf(verdict, "HEAD %.10s: ", hex);
	if (r == RG_ROUTES_NO_ROOT) {
		rg_buf_puts(verdict, "no root (");
		routing_roots(verdict, a->ctx->conf);
		rg_buf_puts(verdict, ") exists at HEAD: routing not checked");
		r = RG_OK;
		goto out;
	}
	/* a dangling import is named with its line, an unreachable component by its file alone */
	for (i = 0; i < out->n; i++) {
		if (strcmp(out->v[i].rule, "routes"))
			continue;
		if (out->v[i].line)
			dangling++;
		else
			unreachable++;
	}
	if (!components) {
		rg_buf_printf(verdict, "%zu dangling import%s (no components= in [routes]: "
			"reachability not checked)", dangling, dangling == 1 ? "" : "s");
	} else if (!dangling && !unreachable) {
		rg_buf_puts(verdict, "every component is reachable from ");
		routing_roots(verdict, a->ctx->conf);
		rg_buf_puts(verdict, ", no dangling import");
	} else {
		if (dangling)
			rg_buf_printf(verdict, "%zu dangling import%s", dangling, dangling == 1 ? "" : "s");
		if (unreachable)
			rg_buf_printf(verdict, "%s%zu unreachable component%s", dangling ? ", " : "",
				unreachable, unreachable == 1 ? "" : "s");
	}
out:
	git_tree_free(tree);
	git_commit_free(c);
	return r;
}

const rg_audit_section rg_audit_section_routing = { "routing", routing_run };
