/*
 * worktree-batch.c: staged files read many at once (see
 * include/repoguard/worktree.h).
 *
 * Each file rg_worktree_read reads costs four system calls (openat, fstat,
 * read, close). On bench/content.sh (10,000 files) they were most of the
 * kernel's share of a pre-commit, and this machine's system calls are dear.
 * Here 32 files are opened in one io_uring submission, each is fstat'd,
 * then read and closed (linked, in that order) in a second submission:
 * 0.194 s to 0.170 s. fstat stays a system call: io_uring runs a statx in
 * a kernel worker thread, and one context switch per file made a one-thread
 * scan 0.31 s to 0.41 s. The checks are rg_worktree_read's own
 * (rg_worktree_check, _settle): a file whose read or stat is not what the
 * plain path would have seen is left to it. liburing is optional: without
 * it (or where the kernel refuses io_uring, as some container sandboxes
 * do) every file is read one by one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repoguard/common.h"
#include "repoguard/index.h"
#include "repoguard/worktree.h"

#ifdef RG_HAVE_LIBURING
#include <liburing.h>

/* Larger files are read one by one: a batch holds at most 32 MiB. */
#define WB_MAX_FILE (1u << 20)
/* Buffers are kept from one fill to the next (malloc gave each batch fresh pages: 16,000 page faults a scan); larger ones are not. */
#define WB_KEEP (256u << 10)
#define WB_OPS 2                 /* read, close */

typedef struct {
	const rg_delta *d;
	int fd;
	int rc;                      /* rg_worktree_read's result, when done */
	int done, taken;
	char *buf;                   /* the batch's mem[i], when read */
	size_t want;                 /* bytes asked for: one more than the index says */
	int read_res;
	struct stat st;
} wb_slot;

struct rg_wtbatch {
	struct io_uring ring;
	wb_slot slot[RG_READ_AHEAD_MAX];
	size_t n;
	int dirfd;                   /* the fill's: the working tree's */
	uint64_t max;
	char *mem[RG_READ_AHEAD_MAX];    /* slot i's buffer, cap[i] bytes */
	size_t cap[RG_READ_AHEAD_MAX];
	int dead;                    /* the ring failed once: every file one by one */
};

rg_wtbatch *rg_wtbatch_new(void)
{
	const char *e = getenv("REPOGUARD_IO_URING");
	rg_wtbatch *b;

	if (e && !strcmp(e, "0"))
		return NULL;
	b = rg_calloc(1, sizeof(*b));
	if (io_uring_queue_init(RG_READ_AHEAD_MAX * WB_OPS, &b->ring, 0) < 0) {
		free(b);
		return NULL;
	}
	return b;
}

static void wb_clear(rg_wtbatch *b, size_t keep)
{
	size_t i;

	for (i = 0; i < RG_READ_AHEAD_MAX; i++)
		if (b->cap[i] > keep) {
			free(b->mem[i]);
			b->mem[i] = NULL;
			b->cap[i] = 0;
		}
	b->n = 0;
}

/* Slot i's buffer, of at least n bytes. */
static char *wb_mem(rg_wtbatch *b, size_t i, size_t n)
{
	if (b->cap[i] < n) {
		free(b->mem[i]);
		b->mem[i] = rg_malloc(n);
		b->cap[i] = n;
	}
	return b->mem[i];
}

void rg_wtbatch_free(rg_wtbatch *b)
{
	if (!b)
		return;
	wb_clear(b, 0);
	if (!b->dead)
		io_uring_queue_exit(&b->ring);
	free(b);
}

/*
 * Submit what is queued and wait for want completions; -1 when the kernel
 * refused (nothing was submitted then: io_uring_enter consumes no entry
 * when it fails).
 */
static int wb_submit(rg_wtbatch *b, unsigned want)
{
	for (;;) {
		int r = io_uring_submit_and_wait(&b->ring, want);

		if (r >= 0 || (r == -EINTR && !io_uring_sq_ready(&b->ring)))
			return 0;
		if (r != -EINTR)
			return -1;
	}
}

/* The next completion: its user data (below limit, as every one asked) and result; -1 when the ring fails. */
static int wb_reap(uint64_t *data, int *res, rg_wtbatch *b, uint64_t limit)
{
	struct io_uring_cqe *cqe = NULL;
	int r;

	while ((r = io_uring_wait_cqe(&b->ring, &cqe)) == -EINTR)
		;
	if (r < 0 || !cqe)
		return -1;
	*data = cqe->user_data;
	*res = cqe->res;
	io_uring_cqe_seen(&b->ring, cqe);
	return *data < limit ? 0 : -1;
}

/*
 * The ring failed: files opened and not yet handed to a close are closed
 * here, and the ring is given up (a file whose open the ring did but did
 * not report stays open: the kernel's failure, never seen, costs a
 * descriptor).
 */
static void wb_abandon(rg_wtbatch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (b->slot[i].fd >= 0)
			close(b->slot[i].fd);
		b->slot[i].fd = -1;
	}
	wb_clear(b, 0);
	io_uring_queue_exit(&b->ring);
	b->dead = 1;
}

static int wb_open_all(rg_wtbatch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		struct io_uring_sqe *q = io_uring_get_sqe(&b->ring);

		io_uring_prep_openat(q, b->dirfd, b->slot[i].d->new_path, RG_WORKTREE_OPEN_FLAGS, 0);
		io_uring_sqe_set_data64(q, i);
	}
	if (wb_submit(b, (unsigned)b->n) < 0)
		return -1;
	for (i = 0; i < b->n; i++) {
		uint64_t k;
		int res;

		if (wb_reap(&k, &res, b, b->n) < 0)
			return -1;
		b->slot[k].fd = res;
	}
	return 0;
}

/*
 * Each open file's stat, then its read and close (the close whatever the
 * read does); a file the stat rules out (rg_worktree_check) is only closed.
 */
static int wb_read_all(rg_wtbatch *b)
{
	unsigned ops = 0, i;

	for (i = 0; i < b->n; i++) {
		wb_slot *s = &b->slot[i];
		struct io_uring_sqe *q;
		int stat_res;

		if (s->fd < 0)
			continue;
		if ((stat_res = fstat(s->fd, &s->st)) == 0 && (s->rc = rg_worktree_check(s->d, &s->st, b->max)) != 0) {
			s->done = 1;
		} else if (stat_res == 0) {
			s->buf = wb_mem(b, i, s->want + 1);
			q = io_uring_get_sqe(&b->ring);
			io_uring_prep_read(q, s->fd, s->buf, (unsigned)s->want, 0);
			io_uring_sqe_set_data64(q, (uint64_t)i * WB_OPS);
			q->flags |= IOSQE_IO_HARDLINK;
			ops++;
		}
		q = io_uring_get_sqe(&b->ring);
		io_uring_prep_close(q, s->fd);
		io_uring_sqe_set_data64(q, (uint64_t)i * WB_OPS + 1);
		ops++;
	}
	if (ops && wb_submit(b, ops) < 0)
		return -1;
	for (i = 0; i < b->n; i++)
		b->slot[i].fd = -1; /* closed by the ring */
	for (i = 0; i < ops; i++) {
		uint64_t k;
		int res;

		if (wb_reap(&k, &res, b, (uint64_t)b->n * WB_OPS) < 0)
			return -1;
		if (k % WB_OPS == 0)
			b->slot[k / WB_OPS].read_res = res;
	}
	return 0;
}

/* What rg_worktree_read would have made of a slot read; not done when only it can tell. */
static void wb_settle(wb_slot *s)
{
	if (s->done || !s->buf)
		return; /* ruled out by its stat; or not opened, or no stat: the plain path tries again */
	s->done = s->read_res >= 0 && (uint64_t)s->read_res == (uint64_t)s->st.st_size;
}

void rg_wtbatch_fill(rg_wtbatch *b, rg_ctx *ctx, rg_delta *const *d, size_t n, uint64_t max)
{
	size_t i;

	if (!b || b->dead)
		return;
	wb_clear(b, WB_KEEP);
	b->max = max;
	for (i = 0; i < n && b->n < RG_READ_AHEAD_MAX; i++) {
		const rg_index_entry *e = d[i]->wt_entry;
		int dirfd = rg_worktree_dirfd(ctx, d[i]);
		wb_slot *s;

		if (dirfd < 0 || e->size > WB_MAX_FILE || e->size > max)
			continue; /* never from the file, or the plain path's to measure */
		b->dirfd = dirfd; /* the same for every file: the context's working tree */
		s = &b->slot[b->n++];
		memset(s, 0, sizeof(*s));
		s->d = d[i];
		s->fd = -1;
		s->want = (size_t)e->size + 1; /* a longer file reads more than the index says */
	}
	if (b->n < 2) {
		b->n = 0; /* one file: the plain path costs no more */
		return;
	}
	if (wb_open_all(b) < 0 || wb_read_all(b) < 0) {
		wb_abandon(b);
		return;
	}
	for (i = 0; i < b->n; i++)
		wb_settle(&b->slot[i]);
}

int rg_wtbatch_take(rg_blobdata *out, int *rc, rg_wtbatch *b, const rg_delta *d)
{
	size_t i;

	for (i = 0; b && i < b->n; i++) {
		wb_slot *s = &b->slot[i];

		if (s->d != d || !s->done || s->taken)
			continue;
		s->taken = 1;
		memset(out, 0, sizeof(*out));
		*rc = s->rc;
		if (s->rc == 0) {
			rg_worktree_take(out, s->buf, (size_t)s->read_res, 0);
			*rc = rg_worktree_settle(out, d, b->max);
		}
		return 1;
	}
	return 0;
}

#else /* !RG_HAVE_LIBURING: every file one by one */

rg_wtbatch *rg_wtbatch_new(void)
{
	return NULL;
}

void rg_wtbatch_free(rg_wtbatch *b)
{
	RG_UNUSED(b);
}

void rg_wtbatch_fill(rg_wtbatch *b, rg_ctx *ctx, rg_delta *const *d, size_t n, uint64_t max)
{
	RG_UNUSED(b);
	RG_UNUSED(ctx);
	RG_UNUSED(d);
	RG_UNUSED(n);
	RG_UNUSED(max);
}

int rg_wtbatch_take(rg_blobdata *out, int *rc, rg_wtbatch *b, const rg_delta *d)
{
	RG_UNUSED(out);
	RG_UNUSED(rc);
	RG_UNUSED(b);
	RG_UNUSED(d);
	return 0;
}

#endif
