/* rules.c: the rule table. A new rule is one file and one line here. */
#include "repoguard/rule.h"

extern const rg_rule rg_rule_block;
extern const rg_rule rg_rule_size;
extern const rg_rule rg_rule_lfs;
extern const rg_rule rg_rule_bulk;
extern const rg_rule rg_rule_protect;
extern const rg_rule rg_rule_deploy;
extern const rg_rule rg_rule_cochange;
extern const rg_rule rg_rule_routes;
extern const rg_rule rg_rule_branch;
extern const rg_rule rg_rule_checkpoint;

const rg_rule *const rg_rules[] = {
	&rg_rule_block,
	&rg_rule_size,
	&rg_rule_lfs,
	&rg_rule_bulk,
	&rg_rule_protect,
	&rg_rule_deploy,
	&rg_rule_cochange,
	&rg_rule_routes,
	&rg_rule_branch,
	&rg_rule_checkpoint,
};

const size_t rg_rules_count = sizeof(rg_rules) / sizeof(rg_rules[0]);
