/*
 * sections.c: the audit's section table, in report order. A new section is
 * one file (src/audit/audit-NAME.c exporting rg_audit_section_NAME) and one
 * line here.
 */
#include "repoguard/audit.h"

extern const rg_audit_section rg_audit_section_tree;
extern const rg_audit_section rg_audit_section_content;
extern const rg_audit_section rg_audit_section_history;
extern const rg_audit_section rg_audit_section_checkpoints;
extern const rg_audit_section rg_audit_section_deploy;
extern const rg_audit_section rg_audit_section_routing;
extern const rg_audit_section rg_audit_section_config;

const rg_audit_section *const rg_audit_sections[] = {
	&rg_audit_section_tree,
	&rg_audit_section_content,
	&rg_audit_section_history,
	&rg_audit_section_checkpoints,
	&rg_audit_section_deploy,
	&rg_audit_section_routing,
	&rg_audit_section_config,
};

const size_t rg_audit_sections_count = sizeof(rg_audit_sections) / sizeof(rg_audit_sections[0]);
