/*
 * cfgenv.c: git's command-line configuration as hooks receive it (see
 * cfgenv.h). The parsing follows git's config.c (parse_config_env_list,
 * git_config_parse_parameter, git_config_parse_key) and quote.c
 * (sq_dequote_step), so that a value means here what it means to git.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/cfgenv.h"
#include "repoguard/common.h"
#include "repoguard/glob.h"

#define CFGENV_PARAMS "GIT_CONFIG_PARAMETERS"
#define CFGENV_COUNT "GIT_CONFIG_COUNT"

void rg_cfgenv_init(rg_cfgenv *env)
{
	memset(env, 0, sizeof(*env));
}

void rg_cfgenv_free(rg_cfgenv *env)
{
	size_t i;

	for (i = 0; i < env->n; i++) {
		free(env->v[i].key);
		free(env->v[i].value);
	}
	free(env->v);
	memset(env, 0, sizeof(*env));
}

/* git's isspace (sane_ctype): ASCII space, tab, newline, carriage return only. */
static int cfgenv_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int cfgenv_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int cfgenv_keychar(unsigned char c)
{
	return cfgenv_alpha(c) || (c >= '0' && c <= '9') || c == '-';
}

static char cfgenv_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/*
 * git_config_parse_key: "Section.Sub.Sect.Name" -> "section.Sub.Sect.name".
 * The section and the name are letters, digits and '-' (the name starting
 * with a letter); the subsection is anything but a newline. NULL if invalid.
 */
static char *cfgenv_canon(const char *key)
{
	const char *last = strrchr(key, '.');
	size_t base, i;
	char *out;
	int dot = 0;

	if (!last || last == key || !last[1])
		return NULL;
	base = (size_t)(last - key);
	out = rg_strdup(key);
	for (i = 0; key[i]; i++) {
		unsigned char c = (unsigned char)key[i];

		if (c == '.')
			dot = 1;
		if (!dot || i > base) {
			if (!cfgenv_keychar(c) || (i == base + 1 && !cfgenv_alpha(c))) {
				free(out);
				return NULL;
			}
			out[i] = cfgenv_lower((char)c);
		} else if (c == '\n') {
			free(out);
			return NULL;
		}
	}
	return out;
}

int rg_cfgenv_add(rg_cfgenv *env, const char *key, const char *value)
{
	char *canon = *key ? cfgenv_canon(key) : NULL;

	if (!canon) {
		rg_error_set(*key ? "invalid config key: %s" : "empty config key", key);
		return RG_ERROR;
	}
	RG_GROW(env->v, env->alloc, env->n + 1);
	env->v[env->n].key = canon;
	env->v[env->n].value = value ? rg_strdup(value) : NULL;
	env->n++;
	return RG_OK;
}

/*
 * git's sq_dequote_step: unquote the single-quoted word at arg in place
 * ('a'\''b' is a'b; only \' and \! may stand between quoted parts). *next
 * is where the word ends, NULL at the end of the text. NULL if arg is not
 * a quoted word.
 */
static char *cfgenv_sq_step(char *arg, char **next)
{
	char *dst = arg, *src = arg;

	if (*src != '\'')
		return NULL;
	for (;;) {
		char c = *++src;

		if (!c)
			return NULL;
		if (c != '\'') {
			*dst++ = c;
			continue;
		}
		switch (*++src) {
		case '\0':
			*dst = '\0';
			*next = NULL;
			return arg;
		case '\\':
			if ((src[1] == '\'' || src[1] == '!') && src[2] == '\'') {
				*dst++ = src[1];
				src += 2;
				continue;
			}
			/* fall through */
		default:
			*dst = '\0';
			*next = src;
			return arg;
		}
	}
}

/* An old-style item, 'key=value' ('key' alone: boolean true; 'key=': empty). */
static int cfgenv_add_joined(rg_cfgenv *env, char *text)
{
	char *eq = strchr(text, '='), *key = text, *end;
	const char *value = NULL;

	if (eq) {
		*eq = '\0';
		value = eq + 1;
	}
	while (cfgenv_space(*key))
		key++;
	end = key + strlen(key);
	while (end > key && cfgenv_space(end[-1]))
		*--end = '\0';
	if (!*key) {
		if (eq)
			*eq = '=';
		rg_error_set("bogus config parameter: %s", text);
		return RG_ERROR;
	}
	return rg_cfgenv_add(env, key, value);
}

/* One item at *cur: 'key'='value', 'key'= (boolean true) or 'key=value'; *cur moves past it. */
static int cfgenv_item(rg_cfgenv *env, char **cur)
{
	char *key = cfgenv_sq_step(*cur, cur), *value = NULL;

	if (!key)
		return RG_ENOTFOUND;
	if (!*cur || cfgenv_space(**cur))
		return cfgenv_add_joined(env, key);
	if (**cur != '=')
		return RG_ENOTFOUND;
	(*cur)++;
	if (**cur == '\'') {
		value = cfgenv_sq_step(*cur, cur);
		if (!value || (*cur && !cfgenv_space(**cur)))
			return RG_ENOTFOUND;
	} else if (**cur && !cfgenv_space(**cur)) {
		return RG_ENOTFOUND;
	}
	return rg_cfgenv_add(env, key, value);
}

int rg_cfgenv_parse(rg_cfgenv *env, const char *text)
{
	char *copy = rg_strdup(text), *cur = copy;
	int r = RG_OK;

	while (cur && *cur) {
		r = cfgenv_item(env, &cur);
		if (r == RG_ENOTFOUND)
			rg_error_set("bogus format in %s", CFGENV_PARAMS);
		if (r < 0) {
			r = RG_ERROR;
			break;
		}
		while (cur && cfgenv_space(*cur))
			cur++;
	}
	free(copy);
	return r;
}

/* GIT_CONFIG_COUNT and its GIT_CONFIG_KEY_<n> / GIT_CONFIG_VALUE_<n>. */
static int cfgenv_load_count(rg_cfgenv *env)
{
	const char *count = getenv(CFGENV_COUNT);
	unsigned long n, i;
	char *end;

	if (!count)
		return RG_OK;
	n = strtoul(count, &end, 10);
	if (*end || n > INT_MAX) {
		rg_error_set("%s in %s", *end ? "bogus count" : "too many entries", CFGENV_COUNT);
		return RG_ERROR;
	}
	for (i = 0; i < n; i++) {
		char *kname = rg_printf("GIT_CONFIG_KEY_%lu", i), *vname = rg_printf("GIT_CONFIG_VALUE_%lu", i);
		const char *key = getenv(kname), *value = getenv(vname);
		int r = RG_OK;

		if (!key || !value) {
			rg_error_set("missing config %s %s", key ? "value" : "key", key ? vname : kname);
			r = RG_ERROR;
		}
		free(kname);
		free(vname);
		if (r == RG_OK)
			r = rg_cfgenv_add(env, key, value);
		if (r < 0)
			return r;
	}
	return RG_OK;
}

int rg_cfgenv_load(rg_cfgenv *env)
{
	const char *params = getenv(CFGENV_PARAMS);
	int r = cfgenv_load_count(env);

	if (r < 0)
		return r;
	return params ? rg_cfgenv_parse(env, params) : RG_OK;
}

const rg_cfgenv_entry *rg_cfgenv_get(const rg_cfgenv *env, const char *key)
{
	char *canon = cfgenv_canon(key);
	const rg_cfgenv_entry *found = NULL;
	size_t i;

	for (i = env->n; canon && i > 0 && !found; i--)
		if (!strcmp(env->v[i - 1].key, canon))
			found = &env->v[i - 1];
	free(canon);
	return found;
}

/*
 * The environment's entry for key: 1 with *value its string (NULL for a key
 * given alone), or 0. A malformed environment counts up to the bad item.
 */
static int cfgenv_lookup(char **value, const char *key)
{
	rg_cfgenv env;
	const rg_cfgenv_entry *e;
	int found = 0;

	*value = NULL;
	rg_cfgenv_init(&env);
	if (rg_cfgenv_load(&env) < 0)
		rg_error_clear(); /* git itself refuses to run with one: no hook sees it */
	if ((e = rg_cfgenv_get(&env, key)) != NULL) {
		found = 1;
		*value = e->value ? rg_strdup(e->value) : NULL;
	}
	rg_cfgenv_free(&env);
	return found;
}

/* The environment's string value of key, or NULL. */
static char *cfgenv_value(const char *key)
{
	char *v;

	cfgenv_lookup(&v, key);
	return v;
}

/*
 * [includeIf "hasconfig:remote.*.url:GLOB"] (git 2.36): libgit2 1.5 keeps
 * its path entry and reads nothing. Here such an include's file is read
 * where it stands when a remote.*.url of the configuration (or of `git -c`)
 * matches GLOB as git matches it (wildmatch, WM_PATHNAME). Its path is
 * absolute, "~/" (HOME), or relative to the global or XDG file that holds
 * it (git's files for per-remote settings); a relative path in another
 * file is not resolved (libgit2 gives no entry's file) and is skipped.
 */
#define CFG_HASCONFIG "includeif.hasconfig:remote.*.url:"

typedef struct {
	char **urls;
	size_t n, alloc;
	int includes;            /* hasconfig includes seen */
} cfg_remotes;

static int cfg_is_remote_url(const char *name)
{
	size_t len = strlen(name);

	return !strncmp(name, "remote.", 7) && len > 11 && !strcmp(name + len - 4, ".url");
}

static int cfg_is_hasconfig(const char *name)
{
	size_t len = strlen(name), plen = strlen(CFG_HASCONFIG);

	return len > plen + 5 && !strncmp(name, CFG_HASCONFIG, plen) && !strcmp(name + len - 5, ".path");
}

static void cfg_remotes_add(cfg_remotes *r, const char *url)
{
	RG_GROW(r->urls, r->alloc, r->n + 1);
	r->urls[r->n++] = rg_strdup(url);
}

static void cfg_remotes_free(cfg_remotes *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->urls[i]);
	free(r->urls);
}

/* The file a matching hasconfig include names, or NULL (no match, or a path not resolved). */
static char *cfg_hasconfig_file(const git_config_entry *e, const cfg_remotes *r)
{
	size_t plen = strlen(CFG_HASCONFIG), i;
	char *glob = rg_strndup(e->name + plen, strlen(e->name) - plen - 5), *out = NULL;
	const char *home = getenv("HOME");
	int match = 0;
	git_buf dir = GIT_BUF_INIT;

	for (i = 0; i < r->n && !match; i++)
		match = rg_wildmatch(glob, r->urls[i], RG_WM_PATHNAME) == 0;
	free(glob);
	if (!match || !e->value || !*e->value)
		return NULL;
	if (e->value[0] == '/')
		return rg_strdup(e->value);
	if (e->value[0] == '~' && e->value[1] == '/')
		return home ? rg_printf("%s%s", home, e->value + 1) : NULL;
	if (e->include_depth)
		return NULL;
	if (e->level == GIT_CONFIG_LEVEL_GLOBAL && getenv("GIT_CONFIG_GLOBAL") && *getenv("GIT_CONFIG_GLOBAL")) {
		const char *g = getenv("GIT_CONFIG_GLOBAL"), *slash = strrchr(g, '/');

		return slash ? rg_printf("%.*s/%s", (int)(slash - g), g, e->value) : rg_strdup(e->value);
	}
	if ((e->level == GIT_CONFIG_LEVEL_GLOBAL && git_config_find_global(&dir) == 0) ||
	    (e->level == GIT_CONFIG_LEVEL_XDG && git_config_find_xdg(&dir) == 0)) {
		char *slash = strrchr(dir.ptr, '/');

		if (slash)
			out = rg_printf("%.*s/%s", (int)(slash - dir.ptr), dir.ptr, e->value);
	}
	git_error_clear();
	git_buf_dispose(&dir);
	return out;
}

typedef struct {
	const char *key;         /* canonical, or NULL: match says */
	int (*match)(const char *name);
	int found;
	char *value;             /* the last one (NULL: the key alone, boolean true) */
} cfg_last;

static void cfg_last_take(cfg_last *l, const git_config_entry *e)
{
	if (l->key ? strcmp(e->name, l->key) != 0 : !l->match(e->name))
		return;
	free(l->value);
	l->value = e->value ? rg_strdup(e->value) : NULL;
	l->found = 1;
}

int rg_git_config_hasconfig_last(char **value, git_config *cfg, const char *key,
	int (*match)(const char *name))
{
	cfg_remotes r = { NULL, 0, 0, 0 };
	cfg_last l = { NULL, NULL, 0, NULL };
	git_config_iterator *it = NULL;
	git_config_entry *e;
	rg_cfgenv env;
	char *canon = key ? cfgenv_canon(key) : NULL;
	size_t i;
	int matched = 0;

	*value = NULL;
	if (key ? !canon : !match)
		return -1;
	/* not git_config_iterator_glob_new: libgit2 1.5's PCRE2 regexec leaks a match block per entry */
	if (git_config_iterator_new(&it, cfg) == 0) {
		while (git_config_next(&e, it) == 0) {
			if (cfg_is_remote_url(e->name) && e->value)
				cfg_remotes_add(&r, e->value);
			else if (cfg_is_hasconfig(e->name))
				r.includes++;
		}
	}
	git_config_iterator_free(it);
	it = NULL;
	if (!r.includes)
		goto out;
	rg_cfgenv_init(&env);
	if (rg_cfgenv_load(&env) < 0)
		rg_error_clear();
	for (i = 0; i < env.n; i++)
		if (cfg_is_remote_url(env.v[i].key) && env.v[i].value)
			cfg_remotes_add(&r, env.v[i].value);
	rg_cfgenv_free(&env);
	l.key = canon;
	l.match = match;
	if (git_config_iterator_new(&it, cfg) == 0) {
		while (git_config_next(&e, it) == 0) {
			git_config *inc = NULL;
			git_config_iterator *iit = NULL;
			git_config_entry *ie;
			char *file;

			cfg_last_take(&l, e);
			if (!cfg_is_hasconfig(e->name) || (file = cfg_hasconfig_file(e, &r)) == NULL)
				continue;
			matched = 1;
			/* a missing file is no error, as in git */
			if (git_config_new(&inc) == 0 &&
			    git_config_add_file_ondisk(inc, file, GIT_CONFIG_LEVEL_APP, NULL, 0) == 0 &&
			    git_config_iterator_new(&iit, inc) == 0)
				while (git_config_next(&ie, iit) == 0)
					cfg_last_take(&l, ie);
			git_config_iterator_free(iit);
			git_config_free(inc);
			free(file);
		}
	}
	git_config_iterator_free(it);
out:
	git_error_clear();
	cfg_remotes_free(&r);
	free(canon);
	if (!matched) {
		free(l.value);
		return -1;
	}
	*value = l.value;
	return l.found;
}

int rg_git_config_string(char **out, git_config *cfg, const char *key)
{
	git_buf v = GIT_BUF_INIT;
	char *s = NULL;
	int found;

	*out = cfgenv_value(key);
	if (!*out && cfg && (found = rg_git_config_hasconfig_last(&s, cfg, key, NULL)) >= 0) {
		*out = found ? (s ? s : rg_strdup("")) : NULL;
	} else if (!*out && cfg) {
		if (git_config_get_string_buf(&v, cfg, key) == 0)
			*out = rg_strdup(v.ptr);
		git_error_clear();
		git_buf_dispose(&v);
	}
	return *out ? RG_OK : RG_ENOTFOUND;
}

int rg_git_config_path(char **out, git_config *cfg, const char *key)
{
	git_buf v = GIT_BUF_INIT;
	const char *home = getenv("HOME");
	char *s = cfgenv_value(key);
	int found;

	*out = NULL;
	if (s && home && (!strcmp(s, "~") || rg_str_startswith(s, "~/"))) {
		*out = rg_printf("%s%s", home, s + 1);
		free(s);
	} else if (s) {
		*out = s;
	} else if (cfg && (found = rg_git_config_hasconfig_last(&s, cfg, key, NULL)) >= 0) {
		if (found && s && git_config_parse_path(&v, s) == 0)
			*out = rg_strdup(v.ptr);
		else if (found)
			*out = rg_strdup("");
		free(s);
		git_error_clear();
		git_buf_dispose(&v);
	} else if (cfg) {
		if (git_config_get_path(&v, cfg, key) == 0)
			*out = rg_strdup(v.ptr);
		git_error_clear();
		git_buf_dispose(&v);
	}
	return *out ? RG_OK : RG_ENOTFOUND;
}

int rg_git_config_bool(int *out, git_config *cfg, const char *key, int dflt)
{
	char *s = NULL;
	int v = dflt, r = RG_OK, found;

	if (cfgenv_lookup(&s, key)) {
		if (!s)
			v = 1; /* "git -c core.fileMode": true, as git reads it */
		else if (git_config_parse_bool(&v, s) < 0)
			r = RG_ENOTFOUND;
		free(s);
	} else if (cfg && (found = rg_git_config_hasconfig_last(&s, cfg, key, NULL)) >= 0) {
		if (!found || (s && git_config_parse_bool(&v, s) < 0))
			r = RG_ENOTFOUND;
		else if (!s)
			v = 1;
		free(s);
	} else if (!cfg || git_config_get_bool(&v, cfg, key) < 0) {
		r = RG_ENOTFOUND;
	}
	git_error_clear();
	*out = r == RG_OK ? v : dflt;
	return r;
}
