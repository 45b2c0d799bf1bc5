/*
 * audit-content.c: the audit's "content" section: the hooks' line rules
 * (content.*, secrets.*, conflict; content.h) over whole files, every line
 * counting as added. Every file of HEAD's tree is checked; with --history
 * also every other distinct blob the walk met, once, under the first commit
 * and path it met it in (history.h: rg_hist_seen_*), as
 * `git secrets --scan-history` does.
 *
 * The findings are the hooks' own (rg_content_check_files: file:line, rule
 * id, redacted excerpt, repoguard:allow, [secrets] allow, per-rule paths,
 * skip notes); only the remedies are the audit's: at HEAD, commit the fix
 * (and rotate a secret: it is in history); in history, rotate the secret and
 * git filter-repo --replace-text, with the rewrite warning. Findings that
 * only live in history keep their severity for secrets (what leaked must be
 * rotated) and take [audit] history_severity for the other rules.
 *
 * The files go to the hooks' content pool all at once (HEAD's tree, then
 * the history's other blobs): those the working tree vouches for are read
 * and scanned on every core, blobs on this thread (rg_content_check_files).
 *
 * With --history every walked commit's message is checked too, by the
 * built-in secrets (rg_content_check_message), and every annotated tag's
 * of a walked ref: a key pasted into a message is in every clone; the
 * remedy is git filter-repo --replace-message (commit and tag messages).
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/audit.h"
#include "repoguard/content.h"
#include "repoguard/index.h"
#include "repoguard/objparse.h"
#include "repoguard/source.h"

/* Where a finding lives, for its remedy. */
enum { CONTENT_AT_HEAD, CONTENT_IN_HISTORY, CONTENT_IN_MESSAGE };

typedef struct {
	rg_audit *a;
	rg_findings *out;
	uint64_t *at_head;        /* per walked blob (rg_hist_seen_index): in HEAD's tree */
	size_t files, head_found, head_skipped;   /* files scanned; skipped ones are noted, not counted */
	size_t blobs, hist_found, hist_skipped;
	size_t messages, msg_found, msg_missing;  /* commit messages checked, with findings, unreadable */
	size_t tags;                              /* annotated tags' messages checked */
} content_sum;

static int content_is_secret(const char *rule)
{
	return !strncmp(rule, "secrets.", 8);
}

/* The fix of a finding in HEAD's tree: edit the file, commit, rotate a secret. */
static void content_head_fix(rg_buf *fix, const rg_audit *a, const rg_finding *x)
{
	char *m = rg_printf("Remove %s from %s", x->rule, x->path);

	if (a->bare)
		rg_buf_puts(fix, "# in a clone with a work tree:\n");
	rg_buf_printf(fix, "# remove line %d of ", x->line);
	rg_buf_cquote(fix, x->path);
	rg_buf_printf(fix, " (or add a \"repoguard:allow %s\" comment to it), then:\ngit add -- ", x->rule);
	rg_buf_shquote(fix, x->path);
	rg_buf_puts(fix, " && git commit -m ");
	rg_buf_shquote(fix, m);
	if (content_is_secret(x->rule))
		rg_buf_puts(fix, "\n# then rotate the secret: every clone's history has it "
			"(repoguard audit --history lists the other commits that hold it)");
	free(m);
}

/*
 * The fix of a finding in a blob HEAD no longer has, or in a commit's or
 * tag's message: git filter-repo rewrites the text there.
 */
static void content_hist_fix(rg_buf *fix, const rg_finding *x, int in_message)
{
	if (content_is_secret(x->rule))
		rg_buf_puts(fix, "# rotate the secret first: every clone, fork and mirror already has it\n");
	else
		rg_buf_puts(fix, "# HEAD no longer has this version of the file: nothing to fix there\n");
	rg_buf_printf(fix, "git filter-repo %s ../replacements.txt   "
		"# the text to remove, one per line, in a file outside the repository; "
		"rewrites history: read the warning above first", in_message ? "--replace-message" : "--replace-text");
}

/* Move the findings of one file (or message) from tmp to the report, with the audit's remedies. */
static void content_take(content_sum *s, rg_findings *tmp, int where)
{
	int in_history = where != CONTENT_AT_HEAD;
	size_t i;

	for (i = 0; i < tmp->n; i++) {
		const rg_finding *x = &tmp->v[i];
		int sev = x->severity;
		rg_buf fix = RG_BUF_INIT, detail = RG_BUF_INIT;
		rg_finding *f;

		if (in_history && !content_is_secret(x->rule) && s->a->history_sev < sev)
			sev = s->a->history_sev;
		if (sev == RG_SEV_OFF)
			continue;
		if (x->detail)
			rg_buf_puts(&detail, x->detail);
		if (where == CONTENT_IN_MESSAGE) {
			rg_buf_printf(&detail, "%s%s", detail.len ? "\n" : "", rg_audit_rewrite_warning);
			content_hist_fix(&fix, x, 1);
		} else if (in_history) {
			rg_buf_printf(&detail, "%sOnly in history: HEAD does not have this version of the file.\n%s",
				detail.len ? "\n" : "", rg_audit_rewrite_warning);
			content_hist_fix(&fix, x, 0);
		} else {
			content_head_fix(&fix, s->a, x);
		}
		f = rg_findings_add(s->out, x->rule, sev, x->commit, x->path, x->line, x->message);
		rg_finding_set_detail(f, detail.len ? detail.ptr : NULL);
		rg_finding_set_fix(f, fix.ptr);
		f->text_id = x->text_id ? rg_strdup(x->text_id) : NULL;
		if (where == CONTENT_IN_MESSAGE)
			s->msg_found++;
		else if (in_history)
			s->hist_found++;
		else
			s->head_found++;
		rg_buf_dispose(&fix);
		rg_buf_dispose(&detail);
	}
	rg_findings_free(tmp);
}

/* Files to check at once: added deltas, and the commit each one's findings name. */
typedef struct {
	rg_changeset cs;
	char **commits;
	size_t acommits;
} content_files;

static void content_files_add(content_files *fs, const char *path, uint32_t mode, const git_oid *id,
	const char *commit)
{
	rg_changeset_add(&fs->cs, RG_DELTA_ADDED, NULL, 0, NULL, path, mode, id);
	RG_GROW(fs->commits, fs->acommits, fs->cs.n);
	fs->commits[fs->cs.n - 1] = commit ? rg_strdup(commit) : NULL;
}

static void content_files_free(content_files *fs)
{
	size_t i;

	for (i = 0; i < fs->cs.n; i++)
		free(fs->commits[i]);
	free(fs->commits);
	rg_changeset_free(&fs->cs);
	memset(fs, 0, sizeof(*fs));
}

/*
 * The files (rg_content_check_files: those the working tree vouches for on
 * every core): their findings go through tmp so that the audit sets their
 * remedies.
 */
static int content_check(content_sum *s, content_files *fs, int in_history)
{
	rg_findings tmp;
	size_t skipped = 0;
	int r;

	rg_findings_init(&tmp);
	r = rg_content_check_files(&tmp, s->a->ctx, fs->cs.v, (const char *const *)fs->commits, fs->cs.n, &skipped);
	if (r >= 0) {
		content_take(s, &tmp, in_history ? CONTENT_IN_HISTORY : CONTENT_AT_HEAD);
		*(in_history ? &s->blobs : &s->files) += fs->cs.n;
		*(in_history ? &s->hist_skipped : &s->head_skipped) += skipped;
	}
	rg_findings_free(&tmp);
	return r < 0 ? r : RG_OK;
}

typedef struct {
	content_sum *s;
	content_files fs;
} content_head_walk;

static int content_head_cb(const rg_hist_entry *e, void *payload)
{
	content_head_walk *w = payload;
	uint32_t i;

	if (e->is_tree || !rg_mode_is_file(e->mode))
		return 0;
	i = rg_hist_seen_index(&w->s->a->hist, e->id);
	if (i != RG_HIST_NONE)
		rg_bit_set(w->s->at_head, i);
	content_files_add(&w->fs, e->path, e->mode, e->id, NULL);
	return 0;
}

/*
 * A file of HEAD's tree whose index entry holds the same blob may be read
 * from the working tree, as the pre-commit hook reads staged files: when
 * the file's stat data still matches the entry (checked at the read, as
 * git does) and no checkin conversion applies (rg_worktree_mark). Reading
 * the file is much cheaper than inflating the blob: bench/audit-tree.sh.
 */
static void content_head_worktree(rg_index *idx, content_sum *s, rg_changeset *cs)
{
	git_repository *repo = s->a->hist.repo;
	char *path;
	size_t i;

	if (git_repository_is_bare(repo) || !(path = rg_index_path(repo)))
		return;
	if (rg_index_open(idx, path, git_repository_path(repo)) == RG_OK) {
		for (i = 0; i < cs->n; i++)
			cs->v[i].wt_entry = rg_index_find(idx, cs->v[i].new_path);
		cs->view.kind = RG_VIEW_INDEX;
		cs->view.index = idx;
		cs->view.repo = repo;
		rg_worktree_mark(s->a->ctx, cs);
	}
	git_error_clear();
	free(path);
}

/* Every file of HEAD's tree. */
static int content_head(content_sum *s)
{
	content_head_walk w;
	rg_index idx;
	int r;

	memset(&w, 0, sizeof(w));
	memset(&idx, 0, sizeof(idx));
	rg_changeset_init(&w.fs.cs);
	w.s = s;
	r = rg_hist_walk_commit_tree(&s->a->hist, s->a->hist.head, content_head_cb, &w);
	if (r >= 0) {
		content_head_worktree(&idx, s, &w.fs.cs);
		r = content_check(s, &w.fs, 0);
	}
	content_files_free(&w.fs);
	rg_index_free(&idx);
	return r;
}

/*
 * Blobs of history at a time: they are read on one thread, so a larger
 * batch only holds more paths (all 64,240 of bench/audit.sh's at once were
 * 22 MiB more at the peak, for no speed).
 */
#define CONTENT_HISTORY_BATCH 1024

/* Every distinct blob of the history that HEAD's tree does not hold, oldest first. */
static int content_history(content_sum *s)
{
	rg_audit *a = s->a;
	size_t n = rg_hist_seen_count(&a->hist), i;
	rg_buf path = RG_BUF_INIT;
	content_files fs;
	rg_hist_seen b;
	char hex[GIT_OID_HEXSZ + 1];
	int r = RG_OK;

	memset(&fs, 0, sizeof(fs));
	rg_changeset_init(&fs.cs);
	for (i = 0; i < n && r >= 0; i++) {
		if (rg_bit_test(s->at_head, i))
			continue;
		rg_hist_seen_get(&b, &path, &a->hist, i);
		if (!rg_mode_is_file(b.mode))
			continue;
		rg_audit_commit_hex(hex, a, b.commit);
		content_files_add(&fs, path.ptr, b.mode, b.id, hex);
		if (fs.cs.n == CONTENT_HISTORY_BATCH) {
			r = content_check(s, &fs, 1);
			content_files_free(&fs);
			rg_changeset_init(&fs.cs);
		}
	}
	if (r >= 0 && fs.cs.n)
		r = content_check(s, &fs, 1);
	content_files_free(&fs);
	rg_buf_dispose(&path);
	return r;
}

/* One commit's message, read raw: as it is recorded, whatever the encoding. */
static int content_message(content_sum *s, uint32_t i)
{
	rg_audit *a = s->a;
	git_odb_object *obj = NULL;
	rg_commit_hdr h;
	rg_findings tmp;
	char hex[GIT_OID_HEXSZ + 1];
	const char *data;
	size_t len;

	if (git_odb_read(&obj, a->hist.odb, &a->hist.commits[i].id) < 0) {
		git_error_clear(); /* the history section reports missing objects */
		s->msg_missing++;
		return RG_OK;
	}
	data = git_odb_object_data(obj);
	len = git_odb_object_size(obj);
	if (rg_commit_parse(&h, data, len) == 0) {
		rg_audit_commit_hex(hex, a, i);
		rg_findings_init(&tmp);
		rg_content_check_message(&tmp, a->ctx, hex, a->hist.commits[i].nparents == 0 &&
			!(a->hist.commits[i].flags & RG_HIST_C_EDGE), NULL, data + h.message, len - h.message);
		content_take(s, &tmp, CONTENT_IN_MESSAGE);
		rg_findings_free(&tmp);
		s->messages++;
		rg_commit_hdr_free(&h);
	}
	git_odb_object_free(obj);
	return RG_OK;
}

/* Every walked commit's message, oldest first. */
static int content_messages(content_sum *s)
{
	size_t i;
	int r = RG_OK;

	for (i = 0; i < s->a->hist.ncommits && r >= 0; i++)
		r = content_message(s, (uint32_t)i);
	return r;
}

typedef struct {
	content_sum *s;
	const char *tag;          /* its name: "v1.0" */
} content_tag_ctx;

static int content_tag_message(const char *msg, void *payload)
{
	content_tag_ctx *t = payload;
	rg_findings tmp;

	rg_findings_init(&tmp);
	rg_content_check_tag_message(&tmp, t->s->a->ctx, t->tag, msg, strlen(msg));
	content_take(t->s, &tmp, CONTENT_IN_MESSAGE);
	rg_findings_free(&tmp);
	t->s->tags++;
	return 0;
}

/* The messages of the annotated tag (and the tags it wraps) a walked tag ref points at. */
static void content_tag(content_sum *s, const char *name)
{
	content_tag_ctx t = { s, name + strlen("refs/tags/") };
	git_reference *ref = NULL;

	if (git_reference_lookup(&ref, s->a->hist.repo, name) == 0 && git_reference_type(ref) == GIT_REFERENCE_DIRECT)
		rg_tag_messages(s->a->hist.repo, git_reference_target(ref), content_tag_message, &t);
	git_error_clear(); /* the history section reports what is missing */
	git_reference_free(ref);
}

/* Every walked tag ref's annotated tag messages. */
static void content_tags(content_sum *s)
{
	size_t i;

	for (i = 0; i < s->a->hist.nrefs; i++)
		if (rg_str_startswith(s->a->hist.refs[i].name, "refs/tags/"))
			content_tag(s, s->a->hist.refs[i].name);
}

/* "N files checked (M skipped), clean": seen counts the skipped ones too */
static void content_count(rg_buf *v, size_t seen, size_t skipped, const char *noun, size_t found,
	int incomplete)
{
	char count[32];

	rg_fmt_count(count, sizeof(count), seen - skipped);
	rg_buf_printf(v, "%s %s%s checked, ", count, noun, seen - skipped == 1 ? "" : "s");
	if (skipped) {
		rg_fmt_count(count, sizeof(count), skipped);
		rg_buf_printf(v, "%s skipped, ", count);
	}
	if (found)
		rg_buf_printf(v, "%zu finding%s", found, found == 1 ? "" : "s");
	else
		rg_buf_puts(v, incomplete ? "nothing found" : "clean");
}

static void content_verdict(rg_buf *v, const content_sum *s, const rg_audit *a)
{
	char hex[GIT_OID_HEXSZ + 1];

	rg_audit_commit_hex(hex, a, a->hist.head);
	rg_buf_printf(v, "HEAD %.10s: ", hex);
	/* not "clean" when a missing tree's files could not be read */
	content_count(v, s->files, s->head_skipped, "file", s->head_found, a->hist.tree_missing != NULL);
	if (a->hist.tree_missing)
		rg_buf_puts(v, ", but a tree of HEAD is missing");
	if (!a->history) {
		rg_buf_puts(v, "; history not checked (repoguard audit --history checks every blob ever committed)");
		return;
	}
	rg_buf_puts(v, "; history: ");
	content_count(v, s->blobs, s->hist_skipped, "other blob", s->hist_found, 0);
	rg_buf_puts(v, "; ");
	if (s->tags) { /* "N commit messages and M tag messages checked, ..." */
		char count[32];

		rg_fmt_count(count, sizeof(count), s->messages);
		rg_buf_printf(v, "%s commit message%s and ", count, s->messages == 1 ? "" : "s");
		content_count(v, s->tags, 0, "tag message", s->msg_found, 0);
	} else {
		content_count(v, s->messages, 0, "commit message", s->msg_found, 0);
	}
	if (s->msg_missing)
		rg_buf_printf(v, " (%zu unreadable: see the history section)", s->msg_missing);
}

static int content_run(rg_findings *out, rg_audit *a, rg_buf *verdict)
{
	content_sum s;
	rg_buf skipped = RG_BUF_INIT;
	int r;

	/* the line rules REPOGUARD_SKIP skips whole (single ids are noted by rg_content_notes) */
	rg_content_skipped_rules(&skipped, a->ctx);
	if (skipped.len)
		rg_buf_put(&a->skipped, skipped.ptr, skipped.len);
	rg_buf_dispose(&skipped);
	if (!rg_content_active(a->ctx)) {
		if (!a->skipped.len)
			return RG_ENOTFOUND;
		rg_buf_puts(verdict, "not checked: every content rule is skipped by REPOGUARD_SKIP");
		return RG_OK;
	}
	if (a->hist.head == RG_HIST_NONE) {
		rg_buf_puts(verdict, "HEAD is unborn: nothing committed yet");
		return RG_OK;
	}
	memset(&s, 0, sizeof(s));
	s.a = a;
	s.out = out;
	s.at_head = rg_calloc(RG_BITS_WORDS(rg_hist_seen_count(&a->hist)) + 1, sizeof(uint64_t));
	r = content_head(&s);
	if (r >= 0 && a->history)
		r = content_history(&s);
	if (r >= 0 && a->history)
		r = content_messages(&s);
	if (r >= 0 && a->history)
		content_tags(&s);
	if (r >= 0) {
		rg_content_notes(out, a->ctx);
		content_verdict(verdict, &s, a);
	}
	free(s.at_head);
	return r < 0 ? r : RG_OK;
}

const rg_audit_section rg_audit_section_content = { "content", content_run };
