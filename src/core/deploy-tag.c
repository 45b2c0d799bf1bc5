/*
 * deploy-tag.c: deploy tags (refs/tags/deploy/TARGET/STAMP).
 *
 * The stamp is the UTC time of the deploy, YYYYMMDDTHHMMSSZ, so that tags
 * sort by name in time order; a second deploy within the same second gets
 * "-2", "-3", ... Creating the ref without force is atomic (a lock file),
 * so two concurrent deploy-record runs can never take the same name.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/deploy.h"

#define STAMP_LEN 16
#define STAMP_MAX_SEQ 100000ul
#define RECORD_MAX_LOCKED 64u

/* ---- stamps ------------------------------------------------------------- */

static int stamp_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int rg_deploy_stamp_parse(rg_deploy_stamp *out, const char *s)
{
	const char *p;
	unsigned long seq = 0;

	if (strlen(s) < STAMP_LEN || !stamp_digits(s, 8) || s[8] != 'T' ||
	    !stamp_digits(s + 9, 6) || s[15] != 'Z')
		return RG_ERROR;
	p = s + STAMP_LEN;
	if (*p) {
		/* "-N": N >= 2, no leading zero, bounded */
		if (*p++ != '-' || *p < '1' || *p > '9' || strlen(p) > 6 || !stamp_digits(p, strlen(p)))
			return RG_ERROR;
		seq = strtoul(p, NULL, 10);
		if (seq < 2)
			return RG_ERROR;
	}
	memcpy(out->time, s, STAMP_LEN);
	out->time[STAMP_LEN] = '\0';
	out->seq = seq ? seq : 1;
	return RG_OK;
}

int rg_deploy_stamp_cmp(const rg_deploy_stamp *a, const rg_deploy_stamp *b)
{
	int c = strcmp(a->time, b->time);

	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void rg_deploy_stamp_format(rg_buf *out, int64_t when, unsigned long seq)
{
	time_t t = (time_t)when;
	struct tm tm;
	char s[32];

	if (!gmtime_r(&t, &tm) || strftime(s, sizeof(s), "%Y%m%dT%H%M%SZ", &tm) != STAMP_LEN)
		memcpy(s, "19700101T000000Z", STAMP_LEN + 1);
	rg_buf_puts(out, s);
	if (seq > 1)
		rg_buf_printf(out, "-%lu", seq);
}

/* ---- finding the last deploy ---------------------------------------------- */

typedef struct {
	size_t prefix_len;
	rg_deploy_stamp best;
	char *best_ref;
} last_walk;

static int last_cb(const char *name, void *payload)
{
	last_walk *w = payload;
	rg_deploy_stamp s;

	if (strlen(name) <= w->prefix_len || rg_deploy_stamp_parse(&s, name + w->prefix_len) < 0)
		return 0;
	if (!w->best_ref || rg_deploy_stamp_cmp(&s, &w->best) > 0) {
		free(w->best_ref);
		w->best_ref = rg_strdup(name);
		w->best = s;
	}
	return 0;
}

/* The newest stamped tag of target (full ref name), or NULL. */
static int last_find(char **ref, rg_deploy_stamp *stamp, git_repository *repo, const char *target)
{
	last_walk w;
	char *glob = rg_printf(RG_DEPLOY_TAG_DIR "%s/*", target);
	int r;

	memset(&w, 0, sizeof(w));
	w.prefix_len = strlen(glob) - 1;
	r = git_reference_foreach_glob(repo, glob, last_cb, &w);
	free(glob);
	if (r < 0) {
		free(w.best_ref);
		return rg_error_from_git("cannot list the deploy tags");
	}
	*ref = w.best_ref;
	if (stamp && w.best_ref)
		*stamp = w.best;
	return RG_OK;
}

int rg_deploy_last(git_oid *commit, char **tag, git_repository *repo, const char *target)
{
	git_reference *ref = NULL;
	git_object *obj = NULL;
	char *name = NULL;
	int r = last_find(&name, NULL, repo, target);

	*tag = NULL;
	if (r < 0)
		return r;
	if (!name)
		return RG_ENOTFOUND;
	if (git_reference_lookup(&ref, repo, name) == 0 && git_reference_peel(&obj, ref, GIT_OBJECT_ANY) == 0 &&
	    git_object_type(obj) != GIT_OBJECT_COMMIT) {
		/* present, but no deploy: git tag -f puts it back on the commit that was deployed */
		rg_error_set("%s points at a %s, not at a commit; tag the deployed commit instead: "
			"git tag -f %s COMMIT", name + strlen("refs/tags/"),
			git_object_type2string(git_object_type(obj)), name + strlen("refs/tags/"));
		r = RG_ERROR;
		goto out;
	}
	git_object_free(obj);
	obj = NULL;
	if (!ref || git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) < 0) {
		rg_error_set("%s: cannot read the commit it tags: %s (fetch it: git fetch origin "
			"'refs/tags/deploy/*:refs/tags/deploy/*', or git fetch --unshallow)",
			name + strlen("refs/tags/"),
			git_error_last() ? git_error_last()->message : "not found");
		git_error_clear();
		r = RG_ERROR;
		goto out;
	}
	git_oid_cpy(commit, git_object_id(obj));
	*tag = rg_strdup(name + strlen("refs/tags/"));
out:
	git_object_free(obj);
	git_reference_free(ref);
	free(name);
	return r;
}

/*
 * Is this name taken? It exists, or another run is creating it right now
 * (git's lock file on it: libgit2 fails with GIT_ELOCKED, never waits).
 * A lock that stays (a crashed git, a packed-refs rewrite) is an error
 * after RECORD_MAX_LOCKED names.
 */
static int record_taken(int r, unsigned *locked)
{
	if (r == GIT_EEXISTS)
		return 1;
	if (r != GIT_ELOCKED || ++*locked > RECORD_MAX_LOCKED)
		return 0;
	git_error_clear();
	return 1;
}

int rg_deploy_record(char **tag, git_repository *repo, const char *target,
	const git_oid *commit, int64_t now)
{
	rg_deploy_stamp newest, cur;
	rg_buf name = RG_BUF_INIT;
	char *last = NULL;
	unsigned long seq;
	unsigned locked = 0;
	int r = last_find(&last, &newest, repo, target);

	*tag = NULL;
	if (r < 0)
		return r;
	rg_deploy_stamp_format(&name, now, 1);
	rg_deploy_stamp_parse(&cur, name.ptr);
	seq = 1;
	/* never sort before the last deploy, even with a clock that went back */
	if (last && strcmp(newest.time, cur.time) >= 0) {
		memcpy(cur.time, newest.time, sizeof(cur.time));
		seq = newest.seq + 1;
	}
	free(last);
	for (r = GIT_EEXISTS; record_taken(r, &locked) && seq < STAMP_MAX_SEQ; seq++) {
		git_reference *ref = NULL;

		rg_buf_clear(&name);
		rg_buf_printf(&name, RG_DEPLOY_TAG_DIR "%s/%s", target, cur.time);
		if (seq > 1)
			rg_buf_printf(&name, "-%lu", seq);
		r = git_reference_create(&ref, repo, name.ptr, commit, 0, "repoguard deploy-record");
		git_reference_free(ref);
	}
	if (r < 0) {
		r = rg_error_from_git(name.ptr);
		goto out;
	}
	*tag = rg_strdup(name.ptr + strlen("refs/tags/"));
out:
	rg_buf_dispose(&name);
	return r;
}
