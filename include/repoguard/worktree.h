/*
 * worktree.h: the context's working tree reads (src/core/worktree.c), used
 * by context.c; rules go through rg_ctx_delta_read and rg_ctx_delta_size.
 */
#ifndef REPOGUARD_WORKTREE_H
#define REPOGUARD_WORKTREE_H

#include "context.h"

/* Size of the new side from its working tree file; -1 when the file does not vouch for it. */
int64_t rg_worktree_size(rg_ctx *ctx, const rg_delta *d);
/* 0 with out filled from the file, RG_READ_TOO_BIG, or -1: read the blob instead. */
int rg_worktree_read(rg_blobdata *out, rg_ctx *ctx, const rg_delta *d, uint64_t max);
void rg_worktree_free(rg_ctx *ctx);

#endif
