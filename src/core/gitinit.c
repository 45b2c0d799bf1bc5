/*
 * gitinit.c: libgit2 start-up without parsing the system's CA bundle.
 *
 * Debian's libgit2 1.5 is built with mbedTLS, and git_libgit2_init() parses
 * every certificate of /etc/ssl/certs/ca-certificates.crt up front (about
 * 140 PEM blocks): 4.3 ms of a 15 ms pre-commit run on the benchmark, 59 %
 * of its instructions (callgrind), for TLS that no repoguard command uses.
 * The definition below interposes libmbedx509's: the executable's symbols
 * come first in the dynamic lookup, so libgit2's call lands here. While
 * rg_git_init() runs, the parse is skipped; the CA chain stays empty, so an
 * HTTPS connection would fail verification (fail closed) rather than trust
 * anything. Every other call goes to the real function, so a future command
 * that needs TLS loads certificates with
 * git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, dir).
 * With a libgit2 built against OpenSSL nothing calls this at all.
 *
 * libssh2_init() is skipped the same way: it initialises OpenSSL's libcrypto
 * (its configuration, its tables, and the exit handlers that free them), for
 * the SSH transport that repoguard never uses (checkpoint --push runs git).
 * That was half of git_libgit2_init() (2.5 to 1.25 ms) and 1.5 ms of an
 * empty pre-commit run (16.4 to 14.9 ms, with the exit handlers). A later call, after rg_git_init(), goes to the real function (and
 * libssh2 calls it itself when a session is made); libssh2_exit() does
 * nothing where nothing was initialised.
 *
 * libgit2 also re-hashes every object it reads (strict hash verification):
 * 37 % of the instructions of a pre-commit run whose index has no valid
 * cache-tree, where every tree of HEAD is read. git does not verify hashes
 * on ordinary reads either (fsck does); repoguard only reads, so it turns
 * the check off.
 */
#include <dlfcn.h>
#include <git2.h>

#include "repoguard/common.h"

/* set while rg_git_init runs libgit2's start-up */
static int gitinit_starting;

int libssh2_init(int flags);

int mbedtls_x509_crt_parse_file(void *chain, const char *path);
int mbedtls_x509_crt_parse_path(void *chain, const char *path);

typedef int (*gitinit_parse_fn)(void *chain, const char *path);

static int gitinit_forward(const char *name, void *chain, const char *path)
{
	gitinit_parse_fn real = (gitinit_parse_fn)(uintptr_t)dlsym(RTLD_NEXT, name);

	return real ? real(chain, path) : -1;
}

int mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	if (gitinit_starting)
		return 0;
	return gitinit_forward("mbedtls_x509_crt_parse_file", chain, path);
}

int mbedtls_x509_crt_parse_path(void *chain, const char *path)
{
	if (gitinit_starting)
		return 0;
	return gitinit_forward("mbedtls_x509_crt_parse_path", chain, path);
}

int libssh2_init(int flags)
{
	int (*real)(int);

	if (gitinit_starting)
		return 0;
	real = (int (*)(int))(uintptr_t)dlsym(RTLD_NEXT, "libssh2_init");
	return real ? real(flags) : -1;
}

int rg_git_init(void)
{
	int r;

	gitinit_starting = 1;
	r = git_libgit2_init();
	gitinit_starting = 0;
	if (r >= 0)
		git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	return r;
}
