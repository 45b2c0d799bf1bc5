/*
 * hook.c: running as an installed git hook.
 *
 * `repoguard install` links hooks/NAME to the repoguard binary, so the hook
 * is compiled code with no interpreter on the path. A hook that was there
 * before is kept as pre-repoguard/NAME (in the hooks directory) and run
 * after repoguard's own check passes, with the same arguments and the same
 * standard input. It keeps its file name because many hooks (husky 4,
 * generated dispatchers) act on `basename "$0"`. Older versions kept it as
 * NAME.pre-repoguard; that is still run when there is no pre-repoguard/NAME.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "repoguard/buf.h"
#include "repoguard/cmd.h"
#include "hook.h"

#define HOOK_CHAIN_DIR "pre-repoguard"
#define HOOK_CHAIN_SUFFIX ".pre-repoguard" /* the layout before HOOK_CHAIN_DIR */

/*
 * The chained hook for the hook run as self (git's path to it), in out:
 * DIR/pre-repoguard/NAME, else the older DIR/NAME.pre-repoguard. 0 when
 * there is an executable one.
 */
static int hook_chained_path(rg_buf *out, const char *self)
{
	const char *base = strrchr(self, '/');
	struct stat st;

	if (base)
		rg_buf_printf(out, "%.*s/%s/%s", (int)(base - self), self, HOOK_CHAIN_DIR, base + 1);
	else
		rg_buf_printf(out, "%s/%s", HOOK_CHAIN_DIR, self);
	if (stat(out->ptr, &st) == 0 && (st.st_mode & S_IXUSR))
		return 0;
	rg_buf_clear(out);
	rg_buf_printf(out, "%s%s", self, HOOK_CHAIN_SUFFIX);
	if (stat(out->ptr, &st) == 0 && (st.st_mode & S_IXUSR))
		return 0;
	return -1;
}

/*
 * Run the replaced hook with our argv and the saved stdin. A hook without a
 * "#!" line (execv: ENOEXEC) is run through /bin/sh, as git runs hooks: it
 * worked before install, so it must after.
 */
static int hook_chain(const char *path, int argc, char **argv, const rg_buf *in)
{
	int fds[2] = { -1, -1 }, status;
	pid_t pid;
	char **args = rg_calloc((size_t)argc + 2, sizeof(*args)); /* "/bin/sh", path, argv[1..] */
	int i;

	args[0] = (char *)"/bin/sh";
	args[1] = (char *)path;
	for (i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	if (in && pipe(fds) < 0) {
		free(args);
		rg_die_msg("cannot run %s: %s", path, strerror(errno));
		return RG_EXIT_INTERNAL;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (in) {
			dup2(fds[0], 0);
			close(fds[0]);
			close(fds[1]);
		}
		execv(path, args + 1);
		if (errno == ENOEXEC)
			execv(args[0], args);
		fprintf(stderr, "repoguard: error: cannot run the chained hook %s: %s\n", path, strerror(errno));
		_exit(126);
	}
	free(args);
	if (pid < 0) {
		rg_die_msg("cannot fork: %s", strerror(errno));
		return RG_EXIT_INTERNAL;
	}
	if (in) {
		size_t off = 0;

		close(fds[0]);
		signal(SIGPIPE, SIG_IGN);
		while (off < in->len) {
			ssize_t w = write(fds[1], in->ptr + off, in->len - off);

			if (w <= 0)
				break;
			off += (size_t)w;
		}
		close(fds[1]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return RG_EXIT_INTERNAL;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/*
 * git runs hooks at the top of the work tree but tells them, in GIT_PREFIX,
 * the directory the command was started in ("web/src/"): git commit for
 * pre-commit, git push for pre-push. The fix commands name paths from the
 * top: run from that directory, `git rm --cached -- web/src/x` fails and the
 * .gitignore line lands in the wrong file. Say where to run them.
 */
void rg_hook_prefix_note(rg_findings *f)
{
	const char *p = getenv("GIT_PREFIX");
	rg_buf up = RG_BUF_INIT;
	size_t i;
	int fix = 0;

	for (i = 0; i < f->n && !fix; i++)
		fix = f->v[i].fix != NULL;
	if (!fix || !p || !*p)
		return;
	for (; *p; p++)
		if (*p == '/' || !p[1])
			rg_buf_puts(&up, "../");
	rg_findings_info(f, "the fix commands name paths from the top of the work tree, not from the "
		"directory git was started in: run them there (cd %s)", up.ptr);
	rg_buf_dispose(&up);
}

int rg_hook_main(const rg_cmd_entry *e, int argc, char **argv)
{
	rg_buf in = RG_BUF_INIT, chained = RG_BUF_INIT;
	int r;

	if (e->flags & RG_CMD_STDIN) {
		if (rg_buf_read_stream(&in, stdin, 0) < 0) {
			rg_die_msg("cannot read the hook's standard input");
			r = RG_EXIT_INTERNAL;
			goto out;
		}
		rg_hook_stdin = fmemopen(in.len ? in.ptr : (char *)"", in.len, "r");
		if (!rg_hook_stdin) {
			r = RG_EXIT_INTERNAL;
			goto out;
		}
	}
	{
		char **args = rg_calloc((size_t)argc + 1, sizeof(*args));
		int i;

		args[0] = rg_printf("repoguard %s", e->name);
		for (i = 1; i < argc; i++)
			args[i] = argv[i];
		r = e->exec(argc, args);
		free(args[0]);
		free(args);
	}
	if (rg_hook_stdin != stdin)
		fclose(rg_hook_stdin);
	rg_hook_stdin = stdin;
	if (r == 0 && hook_chained_path(&chained, argv[0]) == 0)
		r = hook_chain(chained.ptr, argc, argv, (e->flags & RG_CMD_STDIN) ? &in : NULL);
out:
	rg_buf_dispose(&in);
	rg_buf_dispose(&chained);
	return r;
}
