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

/*
 * The steps of rg_worktree_read, for readers of many files at once
 * (worktree-batch.c): open with RG_WORKTREE_OPEN_FLAGS relative to the
 * directory rg_worktree_dirfd gives (-1: d's file is never read); check the
 * open file's stat (0: read st_size bytes, RG_READ_TOO_BIG, -1); take the
 * bytes read (buf: len + 1 bytes; owned: out frees it, else buf must
 * outlive out) and settle them (0; RG_READ_TOO_BIG or -1, read the blob,
 * with out freed).
 */
#define RG_WORKTREE_OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
struct stat;
int rg_worktree_dirfd(rg_ctx *ctx, const rg_delta *d);
int rg_worktree_check(const rg_delta *d, const struct stat *st, uint64_t max);
void rg_worktree_take(rg_blobdata *out, char *buf, size_t len, int owned);
int rg_worktree_settle(rg_blobdata *out, const rg_delta *d, uint64_t max);

/*
 * Many files read at once (rg_ctx_read_ahead): io_uring opens, stats,
 * reads and closes a batch of them in two system calls where the kernel
 * allows it (rg_wtbatch_new returns NULL where it does not, or with
 * REPOGUARD_IO_URING=0). A fill reads RG_READ_AHEAD_MAX files at most.
 */
rg_wtbatch *rg_wtbatch_new(void);
void rg_wtbatch_free(rg_wtbatch *b);
/* Read the new sides of d[0..n) as rg_worktree_read would (max likewise), for rg_wtbatch_take. */
void rg_wtbatch_fill(rg_wtbatch *b, rg_ctx *ctx, rg_delta *const *d, size_t n, uint64_t max);
/*
 * d's result from the last fill: 1 with *rc as rg_worktree_read returns it
 * (and out when 0, whose bytes are the batch's: out is freed before the
 * next fill); 0 when none.
 */
int rg_wtbatch_take(rg_blobdata *out, int *rc, rg_wtbatch *b, const rg_delta *d);

#endif
