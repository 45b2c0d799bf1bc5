/*
 * parallel.h: items shared out to threads, each taking the next one not yet
 * taken. The content scan reads and matches staged files this way, and the
 * size check stats them.
 */
#ifndef REPOGUARD_PARALLEL_H
#define REPOGUARD_PARALLEL_H

#include <stddef.h>

#define RG_PARALLEL_MAX 8    /* threads, at most */

/*
 * Threads for n items: REPOGUARD_THREADS when set, else one per online CPU;
 * at least 1, at most RG_PARALLEL_MAX and n.
 */
size_t rg_parallel_threads(size_t n);

/*
 * Call fn(arg, worker, item) for every item < n, on nthreads threads (the
 * calling thread is worker 0); returns once every call has. A thread that
 * cannot be started leaves its share to the others.
 */
void rg_parallel_run(size_t nthreads, size_t n, void (*fn)(void *arg, size_t worker, size_t item), void *arg);

#endif
