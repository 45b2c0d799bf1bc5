/*
 * rule-commit-msg.c: [commit-msg] pattern, checked by `repoguard
 * commit-msg FILE` (the commit-msg hook) against the message as git will
 * record it. The pattern is PCRE2 in UTF mode, matched against the whole
 * cleaned message made UTF-8 (rg_commit_msg_utf8): '^' is its
 * start, '.' stops at the end of the subject line; (?m) makes '^' and '$'
 * match at every line.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pcre2.h>

#include "repoguard/buf.h"
#include "repoguard/cfgenv.h"
#include "repoguard/commitmsg.h"
#include "repoguard/content.h"
#include "repoguard/rule.h"

extern const rg_rule rg_rule_commit_msg;

#define CM_SCISSORS "------------------------ >8 ------------------------\n"

static const char *const cm_keys[] = { "pattern", "message", NULL };
static const rg_section_spec cm_section = { "commit-msg", RG_SEC_PLAIN, cm_keys };
static const rg_section_spec *const cm_sections[] = { &cm_section, NULL };

typedef struct {
	pcre2_code *code;
	pcre2_match_data *md;
	char *pattern, *origin, *message;
	int severity;
} cm_state;

/* Length of text up to the scissors line (git's wt_status_locate_end). */
size_t rg_commit_msg_end(const char *text, size_t len, const char *comment)
{
	rg_buf pat = RG_BUF_INIT;
	const char *p;
	size_t end = len;

	rg_buf_printf(&pat, "\n%s %s", comment, CM_SCISSORS);
	if (len >= pat.len - 1 && !memcmp(text, pat.ptr + 1, pat.len - 1))
		end = 0;
	else if ((p = memmem(text, len, pat.ptr, pat.len)) != NULL)
		end = (size_t)(p - text) + 1;
	rg_buf_dispose(&pat);
	return end;
}

static int cm_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void rg_commit_msg_clean(rg_buf *out, const char *text, size_t len, const char *comment)
{
	size_t clen = comment ? strlen(comment) : 0, i = 0, empties = 0;
	int any = 0;

	if (comment)
		len = rg_commit_msg_end(text, len, comment);
	while (i < len) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i);
		size_t n = nl ? (size_t)(nl - line) : len - i;

		i += n + (nl ? 1 : 0);
		if (clen && n >= clen && !memcmp(line, comment, clen))
			continue;
		while (n > 0 && cm_space(line[n - 1]))
			n--;
		if (!n) {
			empties++;
			continue;
		}
		if (empties && any)
			rg_buf_putc(out, '\n');
		empties = 0;
		rg_buf_put(out, line, n);
		rg_buf_putc(out, '\n');
		any = 1;
	}
	if (!out->ptr)
		rg_buf_puts(out, "");
}

#define CM_AM_MESSAGE "rebase-apply/final-commit"

void rg_commit_msg_fix(rg_buf *fix, const char *file, const char *what)
{
	char *abs = realpath(file, NULL); /* the hint works from any directory */
	const char *path = abs ? abs : file;
	size_t n = strlen(path), k = strlen(CM_AM_MESSAGE);
	rg_buf patch = RG_BUF_INIT;

	if (n >= k && !strcmp(path + n - k, CM_AM_MESSAGE) && (n == k || path[n - k - 1] == '/')) {
		/* git am stopped before applying the patch; --continue commits what the index has */
		rg_buf_puts(fix, "\"${VISUAL:-${EDITOR:-vi}}\" ");
		rg_buf_shquote(fix, path);
		rg_buf_printf(&patch, "%.*spatch", (int)(n - strlen("final-commit")), path);
		rg_buf_puts(fix, " && git apply --index ");
		rg_buf_shquote(fix, rg_buf_cstr(&patch));
		rg_buf_printf(fix, " && git am --continue   # %s, then apply the patch and go on", what);
	} else {
		rg_buf_puts(fix, "git commit -e -F ");
		rg_buf_shquote(fix, path);
		rg_buf_printf(fix, "   # %s and commit again", what);
	}
	rg_buf_dispose(&patch);
	free(abs);
}

/* Does a line of text start with prefix? */
static int cm_has_line(const char *text, size_t len, const char *prefix)
{
	size_t n = strlen(prefix), i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);

		if (len - i >= n && !memcmp(text + i, prefix, n))
			return 1;
		if (!nl)
			break;
		i = (size_t)(nl - text) + 1;
	}
	return 0;
}

/*
 * A line starting with "C " that names C quoted, as the instructions of
 * git's template do in every language ("Lines starting with ';' will be
 * ignored", "Zeilen, die mit ';' beginnen, werden ignoriert").
 */
static int cm_names_itself(const char *text, size_t len, char c)
{
	char quoted[4] = { '\'', c, '\'', '\0' };
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - text) - i : len - i;

		if (n > 2 && text[i] == c && text[i + 1] == ' ' && memmem(text + i, n, quoted, 3))
			return 1;
		i += n + 1;
	}
	return 0;
}

/*
 * core.commentChar=auto: git picks one of these; find the one its template
 * lines use: its English instructions, the scissors line, or, in another
 * language, the instruction that names the character.
 */
static char *cm_auto_comment(const char *text, size_t len)
{
	static const char cands[] = "#;@!$%^&|:";
	static const char *const marks[] = { " Please enter the commit message", " " CM_SCISSORS };
	size_t i, k;

	for (i = 0; cands[i]; i++)
		for (k = 0; k < RG_ARRAY_SIZE(marks); k++) {
			char *line = rg_printf("%c%s", cands[i], marks[k]);
			int found = cm_has_line(text, len, line);

			free(line);
			if (found)
				return rg_printf("%c", cands[i]);
		}
	for (i = 0; cands[i]; i++)
		if (cm_names_itself(text, len, cands[i]))
			return rg_printf("%c", cands[i]);
	return rg_strdup("#");
}

/*
 * Does the git that runs the hook know core.commentString (git 2.45 and
 * later)? An older git keeps the lines it would mark, so the hook must see
 * them too. Asked of `git version` once, and only when the key is set.
 */
static int cm_git_has_comment_string(void)
{
	static int known = -1;
	FILE *p;
	int major = 0, minor = 0;

	if (known >= 0)
		return known;
	known = 1; /* a git that cannot be asked: take the setting as written */
	if ((p = popen("git version 2>/dev/null", "r")) != NULL) {
		if (fscanf(p, "git version %d.%d", &major, &minor) == 2)
			known = major > 2 || (major == 2 && minor >= 45);
		pclose(p);
	}
	return known;
}

static int cm_comment_key(const char *name)
{
	return !strcasecmp(name, "core.commentchar") ||
		(!strcasecmp(name, "core.commentstring") && cm_git_has_comment_string());
}

/* The last value of a key that match accepts: repo's configuration, then `git -c` (cfgenv.h). */
static char *cm_config_last(git_repository *repo, int (*match)(const char *name))
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	char *value = NULL;
	rg_cfgenv env;
	size_t i;

	/* not git_config_iterator_glob_new: libgit2 1.5's PCRE2 regexec leaks a match block per entry */
	if (repo) {
		if (git_repository_config_snapshot(&cfg, repo) == 0 &&
		    rg_git_config_hasconfig_last(&value, cfg, NULL, match) >= 0) {
			/* read with the files of [includeIf "hasconfig:..."] */
		} else if (cfg && git_config_iterator_new(&it, cfg) == 0) {
			while (git_config_next(&e, it) == 0) {
				if (!match(e->name))
					continue;
				free(value);
				value = rg_strdup(e->value ? e->value : "");
			}
		}
		git_config_iterator_free(it);
		git_config_free(cfg);
		git_error_clear();
	}
	rg_cfgenv_init(&env);
	if (rg_cfgenv_load(&env) < 0)
		rg_error_clear(); /* git refuses to run with a malformed one: no hook sees it */
	for (i = 0; i < env.n; i++) {
		if (!match(env.v[i].key) || !env.v[i].value)
			continue;
		free(value);
		value = rg_strdup(env.v[i].value);
	}
	rg_cfgenv_free(&env);
	return value;
}

char *rg_commit_msg_comment(git_repository *repo, const char *text, size_t len)
{
	char *value = cm_config_last(repo, cm_comment_key);

	if (value && !strcasecmp(value, "auto")) {
		free(value);
		return cm_auto_comment(text, len);
	}
	if (!value || !*value) {
		free(value);
		return rg_strdup("#");
	}
	return value;
}

static int cm_cleanup_key(const char *name)
{
	return !strcasecmp(name, "commit.cleanup");
}

int rg_commit_msg_keeps_comments(git_repository *repo)
{
	char *v = cm_config_last(repo, cm_cleanup_key);
	int keeps = v && (!strcmp(v, "verbatim") || !strcmp(v, "whitespace") || !strcmp(v, "scissors"));

	free(v);
	return keeps;
}

/* Append len bytes of in, in encoding enc, as UTF-8 (glibc's iconv); RG_ERROR when it cannot. */
static int cm_iconv(rg_buf *out, const char *enc, const char *in, size_t len)
{
	iconv_t cd = iconv_open("UTF-8", enc);
	char *ip = (char *)in;
	size_t il = len, start = out->len;
	int r = RG_OK;

	if (cd == (iconv_t)-1)
		return RG_ERROR;
	while (il > 0) {
		char *op;
		size_t ol;

		rg_buf_grow(out, il * 2 + 16);
		op = out->ptr + out->len;
		ol = out->alloc - out->len - 1;
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != E2BIG)
			r = RG_ERROR;
		out->len = (size_t)(op - out->ptr);
		out->ptr[out->len] = '\0';
		if (r < 0)
			break;
	}
	iconv_close(cd);
	if (r < 0)
		rg_buf_truncate(out, start);
	return r;
}

static int cm_is_utf8_name(const char *enc)
{
	return !strcasecmp(enc, "utf-8") || !strcasecmp(enc, "utf8");
}

void rg_commit_msg_utf8(rg_buf *out, git_repository *repo, const char *msg)
{
	git_config *cfg = NULL;
	char *enc = NULL;
	rg_buf conv = RG_BUF_INIT;

	if (repo && git_repository_config_snapshot(&cfg, repo) < 0)
		git_error_clear();
	if (rg_git_config_string(&enc, cfg, "i18n.commitencoding") == 0 && *enc && !cm_is_utf8_name(enc) &&
	    cm_iconv(&conv, enc, msg, strlen(msg)) == 0)
		msg = rg_buf_cstr(&conv);
	rg_buf_put_utf8(out, msg);
	rg_buf_dispose(&conv);
	git_config_free(cfg);
	free(enc);
}

int rg_commit_msg_exempt(const char *msg)
{
	/* git's fmt-merge-msg titles (one source or several), its revert subjects (git 2.43 and later
	 * name the revert of a revert "Reapply"), the autosquash prefixes, and GitHub's merge */
	static const char *const prefixes[] = {
		"Merge branch ", "Merge branches ", "Merge remote-tracking branch ", "Merge remote-tracking branches ",
		"Merge tag ", "Merge tags ", "Merge commit ", "Merge commits ", "Merge pull request ",
		"Revert \"", "Reapply \"", "fixup! ", "squash! ", "amend! ", NULL
	};
	const char *const *p;

	for (p = prefixes; *p; p++)
		if (rg_str_startswith(msg, *p))
			return 1;
	return 0;
}

static void cm_free(void *state)
{
	cm_state *s = state;

	pcre2_match_data_free(s->md);
	pcre2_code_free(s->code);
	free(s->pattern);
	free(s->origin);
	free(s->message);
	free(s);
}

static int cm_configure(void **state, rg_conf *conf)
{
	const rg_conf_entry *e = rg_conf_get_single(conf, "commit-msg", "pattern");
	const char *msg = rg_conf_str(conf, "commit-msg", "message", NULL);
	int sev = rg_conf_severity(conf, "commit-msg", RG_SEV_ERROR), err;
	PCRE2_SIZE off;
	cm_state *s;

	if (!e && msg && *msg) {
		/* a message for a pattern that is not there: the writer meant messages to be checked */
		rg_conf_error(conf, rg_conf_get(conf, "commit-msg", "message"), "[commit-msg] has message= but "
			"no pattern=, so no message is checked: add the pattern messages must match "
			"(pattern = ^(feat|fix|docs)(\\(.+\\))?: .+), or remove message=");
		return RG_ECONFIG;
	}
	if (!e || !*e->value || sev == RG_SEV_OFF)
		return RG_OK;
	s = rg_calloc(1, sizeof(*s));
	s->code = pcre2_compile((PCRE2_SPTR)e->value, PCRE2_ZERO_TERMINATED,
		PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C, &err, &off, NULL);
	if (!s->code) {
		PCRE2_UCHAR m[256];

		pcre2_get_error_message(err, m, sizeof(m));
		rg_conf_error(conf, e, "[commit-msg] invalid pattern: %s at offset %zu", (const char *)m, (size_t)off);
		free(s);
		return RG_ECONFIG;
	}
	pcre2_jit_compile(s->code, PCRE2_JIT_COMPLETE);
	s->md = pcre2_match_data_create_from_pattern(s->code, NULL);
	s->pattern = rg_strdup(e->value);
	s->origin = rg_printf("%s:%d", e->file, e->line);
	s->message = msg && *msg ? rg_strdup(msg) : NULL;
	s->severity = sev;
	*state = s;
	return RG_OK;
}

static cm_state *cm_state_of(const rg_ctx *ctx)
{
	size_t i;

	for (i = 0; ctx->rule_state && i < rg_rules_count; i++)
		if (rg_rules[i] == &rg_rule_commit_msg)
			return ctx->rule_state[i];
	return NULL;
}

int rg_commit_msg_check(rg_findings *out, rg_ctx *ctx, const char *msg, const char *file)
{
	cm_state *s = cm_state_of(ctx);
	rg_buf detail = RG_BUF_INIT, fix = RG_BUF_INIT;
	size_t subject = strcspn(msg, "\n");
	const char *body;
	rg_finding *f;
	int rc;

	if (!s || !(rg_rule_commit_msg.modes & ctx->mode) || rg_ctx_skipped(ctx, rg_rule_commit_msg.id))
		return RG_OK;
	if (rg_str_startswith(msg, "amend! ") && (body = strstr(msg, "\n\n")) != NULL) {
		/* git commit --fixup=amend: the body is the message rebase --autosquash gives the
		 * amended commit, and no hook sees it there: it is the message to check */
		body += strspn(body, "\n");
		if (*body) {
			msg = body;
			subject = strcspn(msg, "\n");
		}
	}
	if (rg_commit_msg_exempt(msg)) {
		rg_findings_info(out, "commit-msg: a message git writes itself (merge, revert, fixup) is not checked");
		return RG_OK;
	}
	rc = pcre2_match(s->code, (PCRE2_SPTR)msg, strlen(msg), 0, 0, s->md, NULL);
	if (rc >= 0)
		return RG_OK;
	if (rc != PCRE2_ERROR_NOMATCH) {
		PCRE2_UCHAR m[256];

		pcre2_get_error_message(rc, m, sizeof(m));
		rg_error_set("[commit-msg] pattern (%s): %s", s->origin, (const char *)m);
		return RG_ERROR;
	}
	if (s->message) {
		rg_content_mask_value(&detail, s->message);
		rg_buf_putc(&detail, '\n');
	}
	rg_buf_puts(&detail, "subject: ");
	rg_content_mask(&detail, ctx, msg, subject); /* a key pasted into a message is never printed */
	rg_buf_puts(&detail, "\npattern: ");
	rg_content_mask_value(&detail, s->pattern);
	rg_buf_printf(&detail, " (%s)", s->origin);
	if (file)
		rg_commit_msg_fix(&fix, file, "edit the message you wrote");
	f = rg_findings_add(out, "commit-msg", s->severity, NULL, NULL, 0,
		*msg ? "commit message does not match the required pattern" : "empty commit message");
	rg_finding_set_detail(f, detail.ptr);
	rg_finding_set_fix(f, fix.len ? fix.ptr : NULL);
	rg_buf_dispose(&detail);
	rg_buf_dispose(&fix);
	return RG_OK;
}

const rg_rule rg_rule_commit_msg = {
	.id = "commit-msg",
	.summary = "commit messages must match [commit-msg] pattern",
	.sections = cm_sections,
	.modes = RG_MODE_COMMIT_MSG,
	.configure = cm_configure,
	.free_state = cm_free,
};
