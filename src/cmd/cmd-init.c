/*
 * cmd-init.c: `repoguard init`: write a starter .repoguard.ini that
 * proposes deploy targets from what the repository holds: netlify.toml
 * (and its base directory), a Dockerfile (what it copies), pm2 ecosystem
 * files (what they run), server/, backend/ and api/ folders. Never
 * overwrites an existing file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repoguard/buf.h"
#include "repoguard/cmd.h"
#include "repoguard/deploy.h"
#include "repoguard/rule.h"
#include "repoguard/run.h"

#define INIT_FILE ".repoguard.ini"
#define INIT_MAX_READ (1u << 20)
#define INIT_PATHS_PER_LINE 6
#define INIT_WRAP 78

static int cmd_init(int argc, char **argv);

const rg_cmd_entry rg_cmd_init = {
	"init",
	"repoguard init [--print]",
	"write a starter .repoguard.ini proposing deploy targets",
	"Looks at the work tree (netlify.toml and its [build] base, a Dockerfile and\n"
	"what it copies, pm2 ecosystem files and what they run, server/, backend/ and\n"
	"api/ folders) and writes .repoguard.ini at its root with one commented\n"
	"[deploy.NAME] section per target it finds; when git config repoguard.config\n"
	"(or REPOGUARD_CONFIG) names another file, that file, the one repoguard reads,\n"
	"and it says so. It never overwrites an existing file (exit 2); --print\n"
	"writes the proposal to stdout instead.\n"
	"Exit status: 0 written, 2 the file exists (or usage), 3 repoguard.config is\n"
	"set but empty, 4 repository error.",
	cmd_init,
	0
};

static const struct option init_opts[] = {
	{ "print", no_argument, NULL, 'p' },
	{ NULL, 0, NULL, 0 }
};

static const char *const init_server_dirs[] = { "backend", "server", "api" };
static const char *const init_frontend_dirs[] = { "frontend", "client", "web" };
static const char *const init_pm2_files[] = {
	"ecosystem.config.js", "ecosystem.config.cjs", "ecosystem.config.mjs",
	"ecosystem.config.json", "ecosystem.json", "pm2.json", "pm2.config.js", "process.json"
};

typedef struct {
	char *name;
	char *dir;         /* the folder it owns, or NULL */
	char **paths;      /* patterns, NULL-terminated */
	size_t npaths, paths_alloc;
	rg_buf notes;      /* "; ..." lines */
} init_target;

typedef struct {
	const char *root;  /* work tree, ends in '/' */
	char **entries;    /* top-level names, sorted */
	size_t nentries, entries_alloc;
	init_target *t;
	size_t n, alloc;
	int root_frontend; /* netlify builds from the repository root */
	rg_buf skipped;    /* names no pattern can spell */
} init_scan;

/* ---- the work tree ------------------------------------------------------- */

static int init_stat(const init_scan *s, const char *rel, int want_dir)
{
	char *p = rg_printf("%s%s", s->root, rel);
	struct stat st;
	int r = stat(p, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));

	free(p);
	return r;
}

static int init_read(rg_buf *out, const init_scan *s, const char *rel)
{
	char *p = rg_printf("%s%s", s->root, rel);
	int r = rg_buf_read_file(out, p, INIT_MAX_READ);

	free(p);
	if (r == RG_ENOTFOUND)
		return RG_ENOTFOUND;
	return RG_OK;
}

static int init_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int init_list_root(init_scan *s)
{
	DIR *d = opendir(s->root);
	struct dirent *e;

	if (!d) {
		rg_error_set("cannot read %s: %s", s->root, strerror(errno));
		return RG_ERROR;
	}
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git"))
			continue;
		RG_GROW(s->entries, s->entries_alloc, s->nentries + 1);
		s->entries[s->nentries++] = rg_strdup(e->d_name);
	}
	closedir(d);
	if (s->nentries > 1)
		qsort(s->entries, s->nentries, sizeof(*s->entries), init_cmp);
	return RG_OK;
}

/* ---- targets ------------------------------------------------------------- */

static init_target *init_find(init_scan *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->t[i].name, name))
			return &s->t[i];
	return NULL;
}

static init_target *init_find_dir(init_scan *s, const char *dir)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->t[i].dir && !strcmp(s->t[i].dir, dir))
			return &s->t[i];
	return NULL;
}

static init_target *init_add(init_scan *s, const char *name, const char *dir)
{
	init_target *t;

	RG_GROW(s->t, s->alloc, s->n + 1);
	t = &s->t[s->n++];
	memset(t, 0, sizeof(*t));
	t->name = rg_strdup(name);
	t->dir = dir ? rg_strdup(dir) : NULL;
	return t;
}

/*
 * Can a name be written as one pattern word of rules.ini? Spaces can (as a
 * class); ';' and '#' start comments, control characters end lines.
 */
static int init_spellable(const char *name)
{
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p; p++)
		if ((*p < ' ' && *p != '\t') || *p == ';' || *p == '#' || *p == 0x7f)
			return 0;
	return *name != '\0';
}

/*
 * A name as a literal pattern: glob characters escaped, blanks as a class,
 * quotes escaped (a pattern word starting or ending with one is an error).
 */
static void init_put_literal(rg_buf *b, const char *s)
{
	if (*s == '!')
		rg_buf_putc(b, '\\');
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			rg_buf_puts(b, "[[:space:]]");
			continue;
		}
		if (strchr("*?[\\\"'", *s))
			rg_buf_putc(b, '\\');
		rg_buf_putc(b, *s);
	}
}

static int init_has_path(const init_target *t, const char *pat)
{
	size_t i;

	for (i = 0; i < t->npaths; i++)
		if (!strcmp(t->paths[i], pat))
			return 1;
	return 0;
}

static void init_add_pattern(init_target *t, const char *pat)
{
	if (init_has_path(t, pat))
		return;
	RG_GROW(t->paths, t->paths_alloc, t->npaths + 2);
	t->paths[t->npaths++] = rg_strdup(pat);
	t->paths[t->npaths] = NULL;
}

/* A path of the repository: "dir/(starstar)" for a folder, "/file" for a file. */
static void init_add_path(init_scan *s, init_target *t, const char *rel)
{
	rg_buf b = RG_BUF_INIT;

	if (!init_spellable(rel)) {
		rg_buf_printf(&s->skipped, "%s'%s'", s->skipped.len ? ", " : "", rel);
		return;
	}
	if (init_stat(s, rel, 1)) {
		init_put_literal(&b, rel);
		rg_buf_puts(&b, "/**");
	} else {
		rg_buf_putc(&b, '/');
		init_put_literal(&b, rel);
	}
	init_add_pattern(t, b.ptr);
	rg_buf_dispose(&b);
}

/* A "; " comment, wrapped at INIT_WRAP columns. */
static void init_note(init_target *t, const char *fmt, ...) RG_PRINTF(2, 3);
static void init_note(init_target *t, const char *fmt, ...)
{
	va_list ap;
	char *text, *p;

	va_start(ap, fmt);
	text = rg_vprintf(fmt, ap);
	va_end(ap);
	for (p = text; *p;) {
		size_t n = strlen(p), cut = n;

		if (n > INIT_WRAP - 2) {
			for (cut = INIT_WRAP - 2; cut > 0 && p[cut] != ' '; cut--)
				;
			if (!cut)
				cut = strcspn(p, " ");
		}
		rg_buf_printf(&t->notes, "; %.*s\n", (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
	free(text);
}

/* Does any target already list this root entry? */
static int init_claimed(const init_scan *s, const char *entry)
{
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		if (s->t[i].dir && !strcmp(s->t[i].dir, entry))
			return 1;
		for (j = 0; j < s->t[i].npaths; j++) {
			const char *p = s->t[i].paths[j];
			size_t l = strlen(entry);

			if ((p[0] == '/' && !strcmp(p + 1, entry)) ||
			    (!strncmp(p, entry, l) && !strcmp(p + l, "/**")))
				return 1;
		}
	}
	return 0;
}

/* "./backend/index.js" -> "backend" when that is a folder at the root. */
static char *init_first_dir(const init_scan *s, const char *path)
{
	const char *p = path, *slash;
	char *dir;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	slash = strchr(p, '/');
	dir = slash ? rg_strndup(p, (size_t)(slash - p)) : rg_strdup(p);
	if (!*dir || !strcmp(dir, ".") || !strcmp(dir, "..") || !init_stat(s, dir, 1)) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* ---- what is found ------------------------------------------------------- */

static void init_netlify(init_scan *s)
{
	rg_buf text = RG_BUF_INIT;
	char *base = NULL, *b;
	int found = 0, in_subdir = 0;
	size_t i;
	init_target *t;

	if (init_read(&text, s, "netlify.toml") == RG_OK) {
		found = 1;
		rg_netlify_base(&base, text.ptr ? text.ptr : "", text.len);
	} else {
		for (i = 0; i < s->nentries && !found; i++) {
			char *rel = rg_printf("%s/netlify.toml", s->entries[i]);

			if (init_stat(s, rel, 0) && init_spellable(s->entries[i])) {
				found = in_subdir = 1;
				base = rg_strdup(s->entries[i]);
			}
			free(rel);
		}
	}
	rg_buf_dispose(&text);
	if (!found)
		return;
	t = init_add(s, "netlify", NULL);
	for (b = base ? base : (char *)""; *b == '/' || (b[0] == '.' && b[1] == '/');)
		b += *b == '/' ? 1 : 2;
	while (*b && b[strlen(b) - 1] == '/')
		b[strlen(b) - 1] = '\0';
	if (!*b || !strcmp(b, ".")) {
		s->root_frontend = 1;
		init_note(t, "netlify.toml builds from the repository root: the frontend is the "
			"top-level files and the usual frontend folders that no other target claims");
		init_add_pattern(t, "/netlify.toml");
	} else if (in_subdir) {
		t->dir = rg_strdup(b);
		init_note(t, "%s/netlify.toml: Netlify builds from %s/", b, b);
		init_add_path(s, t, b);
	} else {
		t->dir = rg_strdup(b);
		init_note(t, "netlify.toml: Netlify builds from base = \"%s\"", b);
		init_add_path(s, t, b);
		init_add_pattern(t, "/netlify.toml");
	}
	free(base);
}

static void init_server_dir(init_scan *s, const char *dir)
{
	init_target *t;
	size_t i;
	char *rel;

	if (!init_stat(s, dir, 1) || init_find_dir(s, dir) || init_find(s, dir))
		return;
	t = init_add(s, dir, dir);
	init_note(t, "%s/ is a server folder: rename this target after the host it runs on (ec2, ...)", dir);
	rel = rg_printf("%s/Dockerfile", dir);
	if (init_stat(s, rel, 0))
		init_note(t, "built by %s", rel);
	free(rel);
	for (i = 0; i < RG_ARRAY_SIZE(init_pm2_files); i++) {
		rel = rg_printf("%s/%s", dir, init_pm2_files[i]);
		if (init_stat(s, rel, 0))
			init_note(t, "started by pm2 (%s)", rel);
		free(rel);
	}
	init_add_path(s, t, dir);
}

/* A folder a root file points at (a Dockerfile's COPY, a pm2 script): its target. */
static init_target *init_target_for_dir(init_scan *s, const char *dir)
{
	init_target *t = init_find_dir(s, dir);

	if (t || !rg_deploy_name_valid(dir) || init_find(s, dir))
		return t;
	t = init_add(s, dir, dir);
	init_add_path(s, t, dir);
	return t;
}

/* The one server target when it is unambiguous, else NULL. */
static init_target *init_only_server(init_scan *s)
{
	init_target *only = NULL;
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->t[i].name, "netlify"))
			continue;
		if (only)
			return NULL;
		only = &s->t[i];
	}
	return only;
}

static void init_pm2_file(init_scan *s, const char *file)
{
	rg_buf text = RG_BUF_INIT;
	char **vals;
	init_target *t = NULL;
	size_t i;

	if (init_read(&text, s, file) < 0)
		return;
	vals = rg_pm2_paths(text.ptr ? text.ptr : "", text.len);
	rg_buf_dispose(&text);
	for (i = 0; vals[i] && !t; i++) {
		char *dir = init_first_dir(s, vals[i]);

		if (dir)
			t = init_target_for_dir(s, dir);
		free(dir);
	}
	if (t) {
		init_note(t, "started by pm2 from %s", file);
	} else if ((t = init_only_server(s)) != NULL) {
		init_note(t, "%s (pm2) runs no script from a folder: check that it starts %s",
			file, t->name);
	} else {
		t = init_add(s, "pm2", NULL);
		init_note(t, "%s (pm2): add the files its apps run", file);
		for (i = 0; vals[i]; i++)
			if (!strchr(vals[i], '/') && init_stat(s, vals[i], 0))
				init_add_path(s, t, vals[i]);
	}
	init_add_path(s, t, file);
	rg_strv_free(vals);
}

static void init_dockerfile(init_scan *s)
{
	rg_buf text = RG_BUF_INIT;
	char **src;
	init_target *t = NULL;
	int whole = 0;
	size_t i;

	if (init_read(&text, s, "Dockerfile") < 0)
		return;
	src = rg_dockerfile_sources(text.ptr ? text.ptr : "", text.len);
	rg_buf_dispose(&text);
	for (i = 0; src[i]; i++) {
		char *dir = strcmp(src[i], ".") ? init_first_dir(s, src[i]) : NULL;

		whole |= !strcmp(src[i], ".");
		if (dir && !t && init_find_dir(s, dir))
			t = init_find_dir(s, dir);
		free(dir);
	}
	if (!t && !whole)
		t = init_only_server(s);
	if (!t) {
		t = init_add(s, "docker", NULL);
		init_note(t, "the Dockerfile at the root: rename this target after the host that runs "
			"the image");
	}
	if (whole) {
		init_note(t, "the Dockerfile copies the whole build context (COPY .): every path ships "
			"in the image");
		init_add_pattern(t, "**");
	} else {
		init_note(t, "built by the Dockerfile at the root, with what it copies");
	}
	for (i = 0; src[i]; i++)
		if (strcmp(src[i], ".") && !strpbrk(src[i], "*?[") && !strstr(src[i], "..") &&
		    (init_stat(s, src[i], 0) || init_stat(s, src[i], 1)))
			init_add_path(s, t, src[i]);
	init_add_path(s, t, "Dockerfile");
	if (init_stat(s, ".dockerignore", 0))
		init_add_path(s, t, ".dockerignore");
	rg_strv_free(src);
}

static int init_meta_entry(const char *e)
{
	static const char *const skip[] = { "node_modules", "dist", "build", "docs", "LICENSE",
		"LICENCE", "README", "CHANGELOG", "CONTRIBUTING" };
	size_t i;

	if (e[0] == '.')
		return 1;
	for (i = 0; i < RG_ARRAY_SIZE(skip); i++)
		if (rg_str_startswith(e, skip[i]))
			return 1;
	return 0;
}

/* Folders a frontend at the root is made of; other folders are left to the user. */
static int init_frontend_folder(const char *e)
{
	static const char *const dirs[] = { "src", "public", "static", "assets", "app", "pages",
		"components", "styles", "layouts", "lib", "hooks", "utils", "types", "locales",
		"i18n", "images", "img", "fonts", "css", "scss", "js" };
	size_t i;

	for (i = 0; i < RG_ARRAY_SIZE(dirs); i++)
		if (!strcmp(e, dirs[i]))
			return 1;
	return 0;
}

static void init_root_frontend(init_scan *s)
{
	init_target *t = init_find(s, "netlify");
	rg_buf left = RG_BUF_INIT;
	size_t i;

	if (!t || !s->root_frontend)
		return;
	for (i = 0; i < s->nentries; i++) {
		const char *e = s->entries[i];
		int dir = init_stat(s, e, 1);

		if (init_meta_entry(e) || init_claimed(s, e) || (!dir && !init_stat(s, e, 0)))
			continue;
		if (dir && !init_frontend_folder(e)) {
			rg_buf_printf(&left, "%s%s/", left.len ? ", " : "", e);
			continue;
		}
		init_add_path(s, t, e);
	}
	if (left.len)
		init_note(t, "not assigned to any target: %s (add each to the target that ships it)",
			left.ptr);
	rg_buf_dispose(&left);
}

static void init_frontends(init_scan *s)
{
	size_t i;

	if (init_find(s, "netlify"))
		return;
	for (i = 0; i < RG_ARRAY_SIZE(init_frontend_dirs); i++) {
		const char *d = init_frontend_dirs[i];
		init_target *t;

		if (!init_stat(s, d, 1) || init_find_dir(s, d) || init_find(s, d))
			continue;
		t = init_add(s, d, d);
		init_note(t, "%s/ looks like a frontend (no netlify.toml found): rename this target "
			"after the host that serves it", d);
		init_add_path(s, t, d);
	}
}

/* ---- the file ------------------------------------------------------------ */

static void init_emit_target(rg_buf *b, const init_target *t)
{
	size_t i;

	rg_buf_printf(b, "\n[deploy.%s]\n%s", t->name, rg_buf_cstr(&t->notes));
	for (i = 0; i < t->npaths; i++) {
		if (i % INIT_PATHS_PER_LINE == 0)
			rg_buf_puts(b, i ? "\npaths = " : "paths = ");
		else
			rg_buf_putc(b, ' ');
		rg_buf_puts(b, t->paths[i]);
	}
	rg_buf_printf(b, "\n; pushes to these branches or remotes deploy %s (pre-push checks them):\n"
		"; branches = deploy/%s\n; remotes = %s\n", t->name, t->name, t->name);
}

static void init_emit(rg_buf *b, const init_scan *s, const char *name)
{
	size_t i, used = 0;

	rg_buf_printf(b, "; %s: written by `repoguard init` as a proposal from the files found\n", name);
	rg_buf_puts(b,
		"; in this repository. Review it before relying on it.\n"
		";\n"
		"; [deploy.NAME] is one place the repository is deployed to; paths are the files\n"
		"; that ship there (whitespace-separated patterns: \"dir/**\" is everything below\n"
		"; dir/, \"/file\" a file at the root, \"!pattern\" subtracts; a key may repeat to\n"
		"; add more). A path may belong to several targets (a shared lockfile). NAME is\n"
		"; part of the deploy tags (deploy/NAME/...), so name targets after their hosts.\n"
		";\n"
		";   before a deploy:  repoguard deploy-check NAME\n"
		";   after a deploy:   repoguard deploy-record NAME\n"
		";   in CI:            repoguard affected\n");
	for (i = 0; i < s->n; i++) {
		if (!s->t[i].npaths)
			continue;
		init_emit_target(b, &s->t[i]);
		used++;
	}
	if (!used)
		rg_buf_puts(b, "\n; No deploy target found (no netlify.toml, Dockerfile, pm2 ecosystem "
			"file,\n; server/, backend/ or api/ folder). An example:\n"
			"; [deploy.netlify]\n; paths = src/** public/** /index.html /package.json\n"
			"; [deploy.ec2]\n; paths = backend/**\n; branches = deploy/ec2\n");
	if (s->skipped.len)
		rg_buf_printf(b, "\n; Not listed (a name with ';', '#' or a control character "
			"cannot be a pattern word): %s\n", s->skipped.ptr);
	rg_buf_puts(b, "\n[deploy]\n; a changed path that belongs to no target: off | warn | error\n"
		"unmapped = warn\n");
}

/*
 * The proposal must load: a file init writes is never a configuration error.
 * Loaded as the hooks load it, which configures every rule, the deploy rule
 * too (rg_deploy_conf_load): each problem is reported once, as they report it.
 */
static int init_validate(const rg_buf *b, const char *name)
{
	rg_conf c;
	int r = RG_OK;

	rg_conf_init(&c);
	if (rg_conf_load_text(&c, b->ptr, b->len, name) < 0) {
		rg_error_set("the proposal does not load (a bug in init): %s", rg_buf_cstr(&c.errors));
		r = RG_ERROR;
	}
	rg_conf_free(&c);
	return r;
}

static int init_write(const char *path, const rg_buf *b)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	size_t off = 0;

	if (fd < 0 && errno == EEXIST) {
		rg_die_msg("%s exists already; init never overwrites it. To see what it would "
			"propose: repoguard init --print", path);
		return RG_EXIT_USAGE;
	}
	if (fd < 0 && errno == ENOENT) {
		rg_die_msg("cannot create %s: its directory does not exist; create it, or point "
			"repoguard.config elsewhere", path);
		return RG_EXIT_INTERNAL;
	}
	if (fd < 0) {
		rg_die_msg("cannot create %s: %s", path, strerror(errno));
		return RG_EXIT_INTERNAL;
	}
	while (off < b->len) {
		ssize_t w = write(fd, b->ptr + off, b->len - off);

		if (w <= 0) {
			rg_die_msg("cannot write %s: %s", path, strerror(errno));
			close(fd);
			return RG_EXIT_INTERNAL;
		}
		off += (size_t)w;
	}
	if (close(fd) < 0) {
		rg_die_msg("cannot write %s: %s", path, strerror(errno));
		return RG_EXIT_INTERNAL;
	}
	return 0;
}

static void init_scan_all(init_scan *s)
{
	size_t i;

	init_netlify(s);
	for (i = 0; i < RG_ARRAY_SIZE(init_server_dirs); i++)
		init_server_dir(s, init_server_dirs[i]);
	for (i = 0; i < RG_ARRAY_SIZE(init_pm2_files); i++)
		if (init_stat(s, init_pm2_files[i], 0))
			init_pm2_file(s, init_pm2_files[i]);
	if (init_stat(s, "Dockerfile", 0))
		init_dockerfile(s);
	init_frontends(s);
	init_root_frontend(s);
}

static void init_free(init_scan *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->t[i].name);
		free(s->t[i].dir);
		rg_strv_free(s->t[i].paths);
		rg_buf_dispose(&s->t[i].notes);
	}
	free(s->t);
	for (i = 0; i < s->nentries; i++)
		free(s->entries[i]);
	free(s->entries);
	rg_buf_dispose(&s->skipped);
}

static void init_summary(const init_scan *s, const char *path, const char *why)
{
	size_t i, k = 0;

	printf("repoguard: wrote %s", path);
	if (why)
		printf(" (the configuration file %s names, which repoguard reads instead of .repoguard.ini)", why);
	for (i = 0; i < s->n; i++)
		if (s->t[i].npaths)
			printf("%s%s", k++ ? ", " : " with deploy targets ", s->t[i].name);
	printf("%s\nReview it, then before a deploy: repoguard deploy-check TARGET --since REV\n",
		k ? "" : " (no deploy target found: see the example in it)");
}

static int cmd_init(int argc, char **argv)
{
	git_repository *repo = NULL;
	init_scan s;
	rg_buf out = RG_BUF_INIT;
	char *path = NULL;
	const char *why = NULL, *shown;
	rg_run_opts ro;
	int c, print = 0, r = RG_EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p", init_opts, NULL)) != -1) {
		if (c != 'p')
			return rg_cmd_usage(&rg_cmd_init, NULL);
		print = 1;
	}
	if (optind < argc)
		return rg_cmd_usage(&rg_cmd_init, "unexpected argument '%s'", argv[optind]);
	memset(&s, 0, sizeof(s));
	if (rg_repo_open(&repo) < 0 || !git_repository_workdir(repo)) {
		rg_die_msg("%s", repo ? "init needs a work tree; this repository is bare" : rg_error_last());
		git_repository_free(repo);
		return repo ? RG_EXIT_USAGE : RG_EXIT_INTERNAL; /* bare: as rollback says it */
	}
	s.root = git_repository_workdir(repo);
	memset(&ro, 0, sizeof(ro));
	/* the file the configuration is read from: repoguard.config or REPOGUARD_CONFIG may name another */
	path = rg_conf_repo_path(repo, &ro, &why);
	if (path && !*path) {
		rg_die_msg("%s is set but empty: name the rules file, or unset it", why);
		r = RG_EXIT_CONFIG;
		goto out;
	}
	if (!path)
		path = rg_printf("%s%s", s.root, INIT_FILE);
	shown = rg_str_startswith(path, s.root) ? path + strlen(s.root) : path;
	if (init_list_root(&s) < 0) {
		rg_die_msg("%s", rg_error_last());
		r = RG_EXIT_INTERNAL;
		goto out;
	}
	init_scan_all(&s);
	init_emit(&out, &s, shown);
	if (init_validate(&out, shown) < 0) {
		rg_die_msg("%s", rg_error_last());
		r = RG_EXIT_INTERNAL;
		goto out;
	}
	if (print) {
		fputs(out.ptr, stdout);
		goto out;
	}
	r = init_write(path, &out);
	if (r == 0)
		init_summary(&s, shown, why);
out:
	free(path);
	rg_buf_dispose(&out);
	init_free(&s);
	git_repository_free(repo);
	return r;
}
