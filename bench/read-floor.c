/*
 * read-floor.c: the least any tool that checks staged content must do on
 * this machine: open, read and close every file named in LIST (one path
 * per line), on one thread per online CPU, and look at each byte once
 * (memchr for a NUL). No matching, no index, no git. bench/content.sh
 * times it next to repoguard and git-secrets.
 *
 * With --uring (built with -DRF_URING -luring), each thread reads its files
 * 32 at a time with io_uring, as repoguard does (src/core/worktree-batch.c):
 * the opens in one submission, then each file's read and close, linked.
 *
 * Usage: read-floor [--uring] LIST
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RF_MAX_THREADS 64

static char **rf_paths;
static size_t rf_n, rf_next;

#ifdef RF_URING
#include <liburing.h>

#define RF_BATCH 32

static void *rf_uring_worker(void *arg)
{
	static __thread char bufs[RF_BATCH][1 << 16];
	size_t *nuls = arg, from, k, n;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int fds[RF_BATCH];

	if (io_uring_queue_init(2 * RF_BATCH, &ring, 0) < 0) {
		perror("io_uring_queue_init");
		exit(1);
	}
	while ((from = __atomic_fetch_add(&rf_next, RF_BATCH, __ATOMIC_RELAXED)) < rf_n) {
		n = rf_n - from < RF_BATCH ? rf_n - from : RF_BATCH;
		for (k = 0; k < n; k++) {
			struct io_uring_sqe *q = io_uring_get_sqe(&ring);

			io_uring_prep_openat(q, AT_FDCWD, rf_paths[from + k], O_RDONLY | O_CLOEXEC, 0);
			io_uring_sqe_set_data64(q, k);
		}
		io_uring_submit_and_wait(&ring, (unsigned)n);
		for (k = 0; k < n; k++) {
			io_uring_wait_cqe(&ring, &cqe);
			fds[cqe->user_data] = cqe->res;
			io_uring_cqe_seen(&ring, cqe);
		}
		for (k = 0; k < n; k++) {
			struct io_uring_sqe *q;

			if (fds[k] < 0)
				continue;
			q = io_uring_get_sqe(&ring);
			io_uring_prep_read(q, fds[k], bufs[k], sizeof(bufs[k]), 0);
			io_uring_sqe_set_data64(q, k);
			q->flags |= IOSQE_IO_HARDLINK;
			q = io_uring_get_sqe(&ring);
			io_uring_prep_close(q, fds[k]);
			io_uring_sqe_set_data64(q, RF_BATCH + k);
		}
		io_uring_submit_and_wait(&ring, 0);
		for (k = 0; k < n; k++) {
			if (fds[k] < 0)
				continue;
			for (int op = 0; op < 2; op++) {
				io_uring_wait_cqe(&ring, &cqe);
				if (cqe->user_data < RF_BATCH && cqe->res > 0)
					*nuls += memchr(bufs[cqe->user_data], 0, (size_t)cqe->res) != NULL;
				io_uring_cqe_seen(&ring, cqe);
			}
		}
	}
	io_uring_queue_exit(&ring);
	return NULL;
}
#endif

static void *rf_worker(void *arg)
{
	static __thread char buf[1 << 16];
	size_t i, *nuls = arg;

	while ((i = __atomic_fetch_add(&rf_next, 1, __ATOMIC_RELAXED)) < rf_n) {
		int fd = open(rf_paths[i], O_RDONLY | O_CLOEXEC);
		ssize_t r;

		if (fd < 0)
			continue;
		while ((r = read(fd, buf, sizeof(buf))) > 0)
			*nuls += memchr(buf, 0, (size_t)r) != NULL;
		close(fd);
	}
	return NULL;
}

static int rf_load(const char *list)
{
	FILE *f = fopen(list, "r");
	char line[4096];
	size_t alloc = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (rf_n == alloc) {
			alloc = alloc ? 2 * alloc : 1024;
			rf_paths = realloc(rf_paths, alloc * sizeof(*rf_paths));
			if (!rf_paths)
				return -1;
		}
		if (!(rf_paths[rf_n++] = strdup(line)))
			return -1;
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t tids[RF_MAX_THREADS];
	size_t nuls[RF_MAX_THREADS] = { 0 }, total = 0, i;
	long nt = sysconf(_SC_NPROCESSORS_ONLN);

	void *(*worker)(void *) = rf_worker;

#ifdef RF_URING
	if (argc == 3 && !strcmp(argv[1], "--uring")) {
		worker = rf_uring_worker;
		argv++;
		argc--;
	}
#endif
	if (argc != 2 || rf_load(argv[1]) < 0) {
		fprintf(stderr, "usage: read-floor [--uring] LIST (one path per line)\n");
		return 2;
	}
	if (nt < 1 || nt > RF_MAX_THREADS)
		nt = nt < 1 ? 1 : RF_MAX_THREADS;
	for (i = 1; i < (size_t)nt; i++)
		if (pthread_create(&tids[i], NULL, worker, &nuls[i]) != 0)
			return 1;
	worker(&nuls[0]);
	for (i = 1; i < (size_t)nt; i++)
		pthread_join(tids[i], NULL);
	for (i = 0; i < (size_t)nt; i++)
		total += nuls[i];
	printf("%zu files, %zu with a NUL byte\n", rf_n, total);
	return 0;
}
