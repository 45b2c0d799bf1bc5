/*
 * read-floor.c: the least any tool that checks staged content must do on
 * this machine: open, read and close every file named in LIST (one path
 * per line), on one thread per online CPU, and look at each byte once
 * (memchr for a NUL). No matching, no index, no git. bench/content.sh
 * times it next to repoguard and git-secrets.
 *
 * Usage: read-floor LIST
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

	if (argc != 2 || rf_load(argv[1]) < 0) {
		fprintf(stderr, "usage: read-floor LIST (one path per line)\n");
		return 2;
	}
	if (nt < 1 || nt > RF_MAX_THREADS)
		nt = nt < 1 ? 1 : RF_MAX_THREADS;
	for (i = 1; i < (size_t)nt; i++)
		if (pthread_create(&tids[i], NULL, rf_worker, &nuls[i]) != 0)
			return 1;
	rf_worker(&nuls[0]);
	for (i = 1; i < (size_t)nt; i++)
		pthread_join(tids[i], NULL);
	for (i = 0; i < (size_t)nt; i++)
		total += nuls[i];
	printf("%zu files, %zu with a NUL byte\n", rf_n, total);
	return 0;
}
