/* parallel.c: items shared out to threads (see include/repoguard/parallel.h). */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "repoguard/common.h"
#include "repoguard/parallel.h"

typedef struct {
	void (*fn)(void *arg, size_t worker, size_t item);
	void *arg;
	size_t n;
	size_t next;                 /* the next item to take (atomic) */
} par_job;

typedef struct {
	par_job *job;
	size_t worker;
} par_thread;

static void *par_worker(void *arg)
{
	par_thread *t = arg;
	par_job *job = t->job;
	size_t i;

	while ((i = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED)) < job->n)
		job->fn(job->arg, t->worker, i);
	return NULL;
}

size_t rg_parallel_threads(size_t n)
{
	static long cpus; /* sysconf reads /sys each time: once per process */
	const char *e = getenv("REPOGUARD_THREADS");
	long k;

	if (e && *e) {
		k = strtol(e, NULL, 10);
	} else {
		if (!cpus)
			cpus = sysconf(_SC_NPROCESSORS_ONLN);
		k = cpus;
	}
	if (k < 1)
		k = 1;
	if (k > RG_PARALLEL_MAX)
		k = RG_PARALLEL_MAX;
	return n && (size_t)k > n ? n : (size_t)k;
}

void rg_parallel_run(size_t nthreads, size_t n, void (*fn)(void *arg, size_t worker, size_t item), void *arg)
{
	pthread_t tids[RG_PARALLEL_MAX];
	par_thread th[RG_PARALLEL_MAX];
	par_job job = { fn, arg, n, 0 };
	size_t started = 0, i;

	if (nthreads > RG_PARALLEL_MAX)
		nthreads = RG_PARALLEL_MAX;
	for (i = 0; i < RG_PARALLEL_MAX; i++) {
		th[i].job = &job;
		th[i].worker = i;
	}
	for (i = 1; i < nthreads; i++)
		if (pthread_create(&tids[started], NULL, par_worker, &th[started + 1]) == 0)
			started++;
	par_worker(&th[0]); /* this thread is one of them */
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
}
