/*
 * audit-content.c: the audit's "content" section: the hooks' line rules
 * (content.*, secrets.*, conflict; content.h) over whole files, every line
 * counting as added. Every file of HEAD's tree is checked; with --history
 * also every other distinct blob the walk met, under the first commit and
 * path it met it in (history.h: rg_hist_seen_*), as
 * `git secrets --scan-history` does.
 *
 * A blob is judged at every path it was committed at where the verdict can
 * differ: the walk keeps, per blob, each class of path it was met under
 * (rg_content_path_class: the specs that apply there by [secrets] allow,
 * [conflict] allow, [content.NAME] paths, and what validators see of a
 * path), with the commit and path of its first sight in that class. A blob
 * met under another class is checked again there, for the specs that class
 * adds only (rg_content_judged), from the same read: a key committed under
 * tests/fixtures/ (allowed) and copied into src/ is found at src/, in the
 * commit that put it there; a key HEAD keeps under tests/fixtures/ is found
 * at the older paths it had outside. Most blobs have one class: one read,
 * one scan.
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
enum { CONTENT_AT_HEAD, CONTENT_IN_HISTORY, CONTENT_IN_HISTORY_HEAD_ELSEWHERE, CONTENT_IN_MESSAGE };

/* A class of path a blob of HEAD's tree has there (rg_content_path_class), in a list per blob. */
typedef struct {
	uint32_t cls;
	uint32_t next;            /* index in content_sum.head_cls, RG_HIST_NONE */
} content_cls;

typedef struct {
	rg_audit *a;
	rg_findings *out;
	uint64_t *at_head;        /* per walked blob (rg_hist_seen_index): in HEAD's tree */
	int classes;              /* the walk kept blob classes (rg_audit_content_classes) */
	uint32_t *head_first;     /* with classes, per walked blob: its first class at HEAD (head_cls) */
	content_cls *head_cls;
	size_t nhead_cls, head_cls_alloc;
	size_t files, head_found, head_skipped;   /* files scanned; skipped ones are noted, not counted */
	size_t blobs, hist_found, hist_skipped;
	size_t again;                             /* of blobs: a blob checked again under another class */
	size_t messages, msg_found, msg_missing;  /* commit messages checked, with findings, unreadable */
	size_t tags;                              /* annotated tags' messages checked */
	rg_view attrs;                            /* HEAD's tree: its .gitattributes apply (conflict-marker-size) */
	int marker_size;                          /* a .gitattributes of HEAD's tree mentions conflict-marker-size */
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
static void content_hist_fix(rg_buf *fix, const rg_finding *x, int in_message, int head_elsewhere)
{
	if (content_is_secret(x->rule))
		rg_buf_puts(fix, "# rotate the secret first: every clone, fork and mirror already has it\n");
	else if (head_elsewhere)
		rg_buf_puts(fix, "# HEAD has this version of the file only where the rule does not apply: nothing to fix there\n");
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
			content_hist_fix(&fix, x, 1, 0);
		} else if (where == CONTENT_IN_HISTORY_HEAD_ELSEWHERE) {
			rg_buf_printf(&detail, "%sIn history at this path: HEAD has this version of the file only at paths where\n"
				"the rule does not apply (allowed there, or outside its paths).\n%s", detail.len ? "\n" : "",
				rg_audit_rewrite_warning);
			content_hist_fix(&fix, x, 0, 1);
		} else if (in_history) {
			rg_buf_printf(&detail, "%sOnly in history: HEAD does not have this version of the file.\n%s",
				detail.len ? "\n" : "", rg_audit_rewrite_warning);
			content_hist_fix(&fix, x, 0, 0);
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

/*
 * Files to check at once: added deltas, the commit each one's findings name,
 * and the classes its blob was checked under already (rg_content_judged).
 */
typedef struct {
	rg_changeset cs;
	char **commits;
	size_t acommits;
	rg_content_judged *judged;
	size_t ajudged;
	size_t again;             /* files that check a blob again under another class */
} content_files;

static void content_files_add(content_files *fs, const char *path, uint32_t mode, const git_oid *id,
	const char *commit, const uint32_t *judged, size_t njudged)
{
	uint32_t *copy = NULL;

	rg_changeset_add(&fs->cs, RG_DELTA_ADDED, NULL, 0, NULL, path, mode, id);
	RG_GROW(fs->commits, fs->acommits, fs->cs.n);
	fs->commits[fs->cs.n - 1] = commit ? rg_strdup(commit) : NULL;
	RG_GROW(fs->judged, fs->ajudged, fs->cs.n);
	if (njudged) {
		copy = rg_malloc(njudged * sizeof(*copy));
		memcpy(copy, judged, njudged * sizeof(*copy));
		fs->again++;
	}
	fs->judged[fs->cs.n - 1].v = copy;
	fs->judged[fs->cs.n - 1].n = njudged;
}

static void content_files_free(content_files *fs)
{
	size_t i;

	for (i = 0; i < fs->cs.n; i++) {
		free(fs->commits[i]);
		free((uint32_t *)fs->judged[i].v);
	}
	free(fs->commits);
	free(fs->judged);
	rg_changeset_free(&fs->cs);
	memset(fs, 0, sizeof(*fs));
}

static void content_files_reset(content_files *fs)
{
	content_files_free(fs);
	rg_changeset_init(&fs->cs);
}

/*
 * The files (rg_content_check_files: those the working tree vouches for on
 * every core): their findings go through tmp so that the audit sets their
 * remedies.
 */
static int content_check(content_sum *s, content_files *fs, int where)
{
	int in_history = where != CONTENT_AT_HEAD;
	rg_findings tmp;
	size_t skipped = 0;
	int r;

	rg_findings_init(&tmp);
	r = rg_content_check_files(&tmp, s->a->ctx, fs->cs.v, (const char *const *)fs->commits, fs->judged,
		fs->cs.n, s->attrs.tree && s->marker_size ? &s->attrs : NULL, &skipped);
	if (r >= 0) {
		content_take(s, &tmp, where);
		*(in_history ? &s->blobs : &s->files) += fs->cs.n;
		*(in_history ? &s->hist_skipped : &s->head_skipped) += skipped;
		if (in_history)
			s->again += fs->again;
	}
	rg_findings_free(&tmp);
	return r < 0 ? r : RG_OK;
}

typedef struct {
	content_sum *s;
	content_files fs;
} content_head_walk;

/* Blob i is at HEAD under a path of class cls: its history is checked for the other classes only. */
static void content_head_class(content_sum *s, uint32_t i, uint32_t cls)
{
	uint32_t k;

	for (k = s->head_first[i]; k != RG_HIST_NONE; k = s->head_cls[k].next)
		if (s->head_cls[k].cls == cls)
			return;
	RG_GROW(s->head_cls, s->head_cls_alloc, s->nhead_cls + 1);
	s->head_cls[s->nhead_cls].cls = cls;
	s->head_cls[s->nhead_cls].next = s->head_first[i];
	s->head_first[i] = (uint32_t)s->nhead_cls++;
}

static int content_is_attributes(const char *path)
{
	const char *base = strrchr(path, '/');

	return !strcmp(base ? base + 1 : path, ".gitattributes");
}

/* Does blob id hold word? */
static int content_mentions(rg_audit *a, const git_oid *id, const char *word)
{
	git_blob *blob = NULL;
	int found = 0;

	if (git_blob_lookup(&blob, a->ctx->repo, id) == 0) {
		found = memmem(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), word, strlen(word)) != NULL;
		git_blob_free(blob);
	}
	git_error_clear();
	return found;
}

static int content_head_cb(const rg_hist_entry *e, void *payload)
{
	content_head_walk *w = payload;
	uint32_t i;

	if (e->is_tree || !rg_mode_is_file(e->mode))
		return 0;
	if (!w->s->marker_size && content_is_attributes(e->path))
		w->s->marker_size = content_mentions(w->s->a, e->id, "conflict-marker-size");
	i = rg_hist_seen_index(&w->s->a->hist, e->id);
	if (i != RG_HIST_NONE) {
		rg_bit_set(w->s->at_head, i);
		if (w->s->classes)
			content_head_class(w->s, i, rg_content_path_class(w->s->a->ctx, e->path));
	}
	content_files_add(&w->fs, e->path, e->mode, e->id, NULL, NULL, 0);
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
		r = content_check(s, &w.fs, CONTENT_AT_HEAD);
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

/* A batch of the history's blobs, checked and emptied. */
static int content_flush(content_sum *s, content_files *fs, int where)
{
	int r = fs->cs.n ? content_check(s, fs, where) : RG_OK;

	content_files_reset(fs);
	return r;
}

/*
 * Blob i under each class of path it was met under that adds specs to
 * those it was checked under already (HEAD's, then its earlier sights'):
 * a file for each, one after the other (the pool reads the blob once).
 * A blob not at HEAD is checked at its first path whatever applies there,
 * as before (a path where no rule applies counts as skipped). judged: scratch.
 */
static void content_blob_sights(content_sum *s, content_files *fs, size_t i, uint32_t **judged, size_t *ajudged,
	rg_buf *path)
{
	rg_audit *a = s->a;
	size_t nj = 0, k;
	uint32_t c, cls;
	rg_hist_seen b;
	char hex[GIT_OID_HEXSZ + 1];

	for (c = s->head_first[i]; c != RG_HIST_NONE; c = s->head_cls[c].next) {
		RG_GROW(*judged, *ajudged, nj + 1);
		(*judged)[nj++] = s->head_cls[c].cls;
	}
	for (k = 0; rg_hist_seen_sight(&b, &cls, path, &a->hist, i, k) == RG_OK; k++) {
		if (!rg_mode_is_file(b.mode) || (nj && !rg_content_class_adds(a->ctx, cls, *judged, nj)))
			continue;
		rg_audit_commit_hex(hex, a, b.commit);
		content_files_add(fs, path->ptr, b.mode, b.id, hex, *judged, nj);
		RG_GROW(*judged, *ajudged, nj + 1);
		(*judged)[nj++] = cls;
	}
}

/*
 * Every distinct blob of the history that HEAD's tree does not hold, oldest
 * first; with blob classes also each blob (HEAD's too) under the paths
 * where other rules apply than at its first path, or at HEAD's paths of it.
 */
static int content_history(content_sum *s)
{
	rg_audit *a = s->a;
	size_t n = rg_hist_seen_count(&a->hist), i, ajudged = 0;
	uint32_t *judged = NULL;
	rg_buf path = RG_BUF_INIT;
	content_files fs;
	rg_hist_seen b;
	char hex[GIT_OID_HEXSZ + 1];
	int r = RG_OK;

	memset(&fs, 0, sizeof(fs));
	rg_changeset_init(&fs.cs);
	for (i = 0; i < n && r >= 0; i++) {
		if (s->classes && rg_bit_test(s->at_head, i)) {
			/* checked at HEAD: here only where other rules apply; its findings say HEAD has it elsewhere */
			content_files one;

			memset(&one, 0, sizeof(one));
			rg_changeset_init(&one.cs);
			content_blob_sights(s, &one, i, &judged, &ajudged, &path);
			if (one.cs.n) {
				r = content_flush(s, &fs, CONTENT_IN_HISTORY);
				if (r >= 0)
					r = content_flush(s, &one, CONTENT_IN_HISTORY_HEAD_ELSEWHERE);
			}
			content_files_free(&one);
			continue;
		}
		if (rg_bit_test(s->at_head, i))
			continue;
		if (s->classes) {
			content_blob_sights(s, &fs, i, &judged, &ajudged, &path);
		} else {
			rg_hist_seen_get(&b, &path, &a->hist, i);
			if (!rg_mode_is_file(b.mode))
				continue;
			rg_audit_commit_hex(hex, a, b.commit);
			content_files_add(&fs, path.ptr, b.mode, b.id, hex, NULL, 0);
		}
		if (fs.cs.n >= CONTENT_HISTORY_BATCH)
			r = content_flush(s, &fs, CONTENT_IN_HISTORY);
	}
	if (r >= 0)
		r = content_flush(s, &fs, CONTENT_IN_HISTORY);
	content_files_free(&fs);
	free(judged);
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
	if (s->again) /* "3 other blobs checked, clean (1 of them again at a path ...)" */
		rg_buf_printf(v, " (%zu of them again at a path where other rules apply)", s->again);
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
	s.classes = a->history && a->hist.o.blob_class != NULL;
	/*
	 * Every file, HEAD's and history's, takes the attributes of HEAD's
	 * tree (the hooks take those of the commit they check), when one of
	 * its .gitattributes files mentions conflict-marker-size (the walk of
	 * HEAD's tree finds out before the first file is checked); else only
	 * info/attributes and the global and system files are read, without a
	 * look in the tree for each directory's .gitattributes.
	 */
	s.attrs.kind = RG_VIEW_TREE;
	if (git_tree_lookup(&s.attrs.tree, a->ctx->repo, &a->hist.commits[a->hist.head].tree) < 0)
		git_error_clear(); /* the history section reports a missing tree */
	if (s.classes) {
		size_t i, n = rg_hist_seen_count(&a->hist);

		s.head_first = rg_malloc((n + 1) * sizeof(*s.head_first));
		for (i = 0; i < n; i++)
			s.head_first[i] = RG_HIST_NONE;
	}
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
	git_tree_free(s.attrs.tree);
	free(s.at_head);
	free(s.head_first);
	free(s.head_cls);
	return r < 0 ? r : RG_OK;
}

static uint32_t content_class_of(void *payload, const char *path)
{
	return rg_content_path_class(payload, path);
}

void rg_audit_content_classes(rg_audit *a, rg_hist_opts *o)
{
	if (a->history && rg_content_active(a->ctx) && rg_content_path_classes(a->ctx)) {
		o->blob_class = content_class_of;
		o->blob_class_payload = a->ctx;
	}
}

const rg_audit_section rg_audit_section_content = { "content", content_run };
