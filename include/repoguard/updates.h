/*
 * updates.h: ref updates for the range modes (pre-push, pre-receive, ci).
 *
 * git tells a pre-push hook "<local ref> <local oid> <remote ref> <remote oid>"
 * and a pre-receive hook "<old oid> <new oid> <ref>", one line per ref; a zero
 * oid means the ref is created (old) or deleted (new). The parsers fill
 * ctx->updates; rg_updates_classify marks non-fast-forward updates; and
 * rg_source_updates feeds the engine every commit that the receiving side
 * does not have yet, each once, oldest first.
 */
#ifndef REPOGUARD_UPDATES_H
#define REPOGUARD_UPDATES_H

#include <stddef.h>
#include <stdio.h>
#include <git2.h>
#include "context.h"
#include "source.h"

/* Parse pre-push stdin into ctx->updates. RG_EUSAGE naming the line when malformed. */
int rg_updates_parse_push(rg_ctx *ctx, const char *text, size_t len);
/* Parse pre-receive stdin into ctx->updates. RG_EUSAGE naming the line when malformed. */
int rg_updates_parse_receive(rg_ctx *ctx, const char *text, size_t len);

/* Read a hook's whole standard input and parse it (receive: pre-receive lines, else pre-push). */
int rg_updates_read(rg_ctx *ctx, FILE *in, int receive);

/* Set u->forced for every update whose old tip is not an ancestor of the new. */
int rg_updates_classify(rg_ctx *ctx);

int rg_update_is_delete(const rg_update *u);
int rg_update_is_create(const rg_update *u);

/*
 * The commits the refs under prefix point at (peeled; NULL or "" for every
 * ref), appended to *ids. Refs that do not peel to a commit are skipped.
 */
int rg_refs_commits(git_oid **ids, size_t *n, size_t *alloc, git_repository *repo, const char *prefix);

/*
 * Every commit of every non-deleting update in ctx->updates that is not
 * reachable from hide[] (what the receiving side has), each against its first
 * parent, oldest first, each commit once (a commit reachable from two pushed
 * refs is checked with the first). An update pointing at a tag of a tree or a
 * blob is checked as that tree or blob added. The pushed tips are walked
 * together, once, however many refs the push has.
 */
int rg_source_updates(rg_ctx *ctx, const git_oid *hide, size_t nhide,
	rg_source_cb cb, void *payload);

/*
 * The net change of a fast-forward update (not created, deleted or forced):
 * the old tip's tree against the new tip's (tags peeled), as one change set
 * (no renames; commit: the new tip; ref: u->ref; view: the new tip's tree),
 * given to cb. For rules that judge what a ref loses as a whole rather than
 * commit by commit (a merge made with -s ours drops what the other side had,
 * though no commit's own diff deletes it), from their finish step. Nothing
 * when the tips are not both commits in this repository or have one tree.
 */
int rg_update_net(rg_ctx *ctx, const rg_update *u, rg_source_cb cb, void *payload);

#endif
