/*
 * uring-fail.c: an LD_PRELOAD shim for t0830 that makes liburing's
 * io_uring_submit_and_wait fail (-EBUSY) from its Nth call on
 * (URING_FAIL_AT, 1-based; unset: never), so that the batched reads'
 * fallback to one-by-one reads can be tested on a kernel that never fails.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>

struct io_uring;

int io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr);

int io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr)
{
	static int calls;
	static int (*real)(struct io_uring *, unsigned);
	const char *at = getenv("URING_FAIL_AT");

	if (at && ++calls >= atoi(at))
		return -EBUSY;
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "io_uring_submit_and_wait");
	return real ? real(ring, wait_nr) : -ENOSYS;
}
