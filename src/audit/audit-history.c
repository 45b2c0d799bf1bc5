/*
 * audit-history.c: the audit's "history" section (--history): every commit
 * that introduced a blocked path or a secret-looking file, the ref that
 * still reaches it, whether HEAD still has it (or which commit removed it),
 * what stays in history, the largest blobs ever committed, and the one
 * git filter-repo command that removes it all, with its warning.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/audit.h"
#include "repoguard/rule.h"

typedef struct {
	rg_audit *a;
	rg_findings *out;
	rg_buf rewrite;           /* --path arguments for the combined command */
	size_t blocked, secrets, large;
	uint64_t hist_files, hist_bytes;
	int hist_unknown;
} hist_sum;

static int rec_cmp(const void *x, const void *y)
{
	const rg_hist_path *const *a = x, *const *b = y;

	return strcmp((*a)->path, (*b)->path);
}

static int hist_head_is(const rg_audit *a, uint32_t ref)
{
	return ref != RG_HIST_NONE && ref < a->hist.nrefs && !strcmp(a->hist.refs[ref].name, "HEAD");
}

/* The newest commit in HEAD's history that removed the path, or RG_HIST_NONE. */
static uint32_t hist_removed_in(rg_audit *a, const rg_hist_path *p)
{
	uint32_t best = RG_HIST_NONE;
	size_t i;

	if (a->hist.head == RG_HIST_NONE)
		return best;
	for (i = 0; i < p->nremoved; i++) {
		uint32_t c = p->removed[i];

		if ((best == RG_HIST_NONE || c > best) && rg_hist_is_ancestor(&a->hist, c, a->hist.head))
			best = c;
	}
	return best;
}

/*
 * "committed in X by A on D (reachable from R): N files, B bytes" (verb: "committed in",
 * "introduced in", or none). At an edge of the history the repository has (a
 * shallow clone's boundary, a commit whose parents are all missing) the file
 * was there before: the commit and its author are not blamed for adding it.
 */
static void hist_intro(rg_buf *b, rg_audit *a, const rg_hist_event *ev, const char *verb)
{
	const rg_hist_commit *c = &a->hist.commits[ev->commit];

	if (c->flags & RG_HIST_C_EDGE) {
		char hex[GIT_OID_HEXSZ + 1];

		rg_audit_commit_hex(hex, a, ev->commit);
		if (c->flags & RG_HIST_C_SHALLOW)
			rg_buf_printf(b, "present at the edge of the shallow clone (%.10s), where it was "
				"added is not in this clone", hex);
		else
			rg_buf_printf(b, "present at %.10s, whose parent commits are missing: where it "
				"was added is not in this repository", hex);
	} else {
		rg_buf_puts(b, verb);
		rg_audit_commit_desc(b, a, ev->commit);
	}
	rg_buf_puts(b, " (reachable from ");
	rg_audit_ref_name(b, a, a->hist.commits[ev->commit].ref);
	rg_buf_puts(b, "): ");
	rg_audit_files_bytes(b, ev->files, ev->bytes, ev->unknown);
}

/* "; removed in X, still in history: ..." or "; still at HEAD: ..." */
static void hist_state(rg_buf *msg, rg_audit *a, const rg_hist_path *p)
{
	char size[32], count[32];

	if (p->at_head) {
		rg_buf_puts(msg, "; still at HEAD: ");
		rg_audit_files_bytes(msg, p->head.files, p->head.bytes, p->head.unknown);
	} else {
		uint32_t rm = hist_removed_in(a, p);

		if (rm != RG_HIST_NONE) {
			char hex[GIT_OID_HEXSZ + 1];

			rg_audit_commit_hex(hex, a, rm);
			rg_buf_printf(msg, "; removed in %.10s", hex);
		} else if (p->nintro && hist_head_is(a, a->hist.commits[p->intro[0].commit].ref)) {
			rg_buf_puts(msg, "; no longer at HEAD");
		} else {
			rg_buf_puts(msg, "; not in HEAD's history");
		}
	}
	rg_fmt_size(size, sizeof(size), p->hist_bytes);
	rg_fmt_count(count, sizeof(count), p->hist_files);
	rg_buf_printf(msg, ", in history: %s%s in %s file%s", p->hist_unknown ? "at least " : "",
		size, count, p->hist_files == 1 ? "" : "s");
}

static void hist_detail(rg_buf *d, rg_audit *a, const rg_hist_path *p)
{
	size_t i;

	rg_buf_printf(d, "matches '%s' (", p->by->orig);
	rg_audit_origin(d, p->by);
	rg_buf_puts(d, ").");
	if (p->nintro > 1) {
		rg_buf_printf(d, "\nintroduced %zu times:", p->nintro);
		for (i = 0; i < p->nintro && i < 10; i++) {
			rg_buf_puts(d, "\n  ");
			hist_intro(d, a, &p->intro[i], "");
		}
		if (p->nintro > 10)
			rg_buf_printf(d, "\n  and %zu more", p->nintro - 10);
	}
	if (p->ntips && !p->at_head) {
		rg_buf_puts(d, "\nstill at the tip of: ");
		for (i = 0; i < p->ntips && i < 10; i++) {
			if (i)
				rg_buf_puts(d, ", ");
			rg_audit_ref_name(d, a, p->tips[i]);
		}
		if (p->ntips > 10)
			rg_buf_printf(d, " and %zu more refs", p->ntips - 10);
	}
	rg_buf_printf(d, "\n%s", rg_audit_rewrite_warning);
}

/* " --path=PATH": one word, so that a path starting with '-' is not taken for an option */
static void hist_filter_path(rg_buf *b, const char *path, int is_dir)
{
	char *p = rg_printf("%s%s", path, is_dir ? "/" : "");

	rg_buf_puts(b, " --path=");
	rg_buf_shquote(b, p);
	free(p);
}

static void hist_one(hist_sum *s, const rg_hist_path *p)
{
	rg_audit *a = s->a;
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int secret = p->kind == RG_HIST_SECRET, sev;
	rg_finding *f;

	hist_intro(&msg, a, &p->intro[0], secret ? "committed in " : "introduced in ");
	if (p->nintro > 1)
		rg_buf_printf(&msg, " and %zu more time%s", p->nintro - 1, p->nintro == 2 ? "" : "s");
	hist_state(&msg, a, p);
	hist_detail(&detail, a, p);
	if (secret)
		rg_buf_puts(&fix, "# rotate every credential it ever held: every clone has it\n");
	if (p->at_head) {
		rg_buf_printf(&fix, "git rm %s--cached --quiet -- ", p->is_dir ? "-r " : "");
		rg_buf_shquote(&fix, p->path);
		rg_buf_puts(&fix, " && git commit -m ");
		{
			char *m = rg_printf("Stop tracking %s%s", p->path, p->is_dir ? "/" : "");

			rg_buf_shquote(&fix, m);
			free(m);
		}
	}
	rg_fix_gitignore_matched(&fix, p->by, p->path, !p->is_dir && (p->by->flags & RG_PAT_DIRONLY));
	rg_buf_puts(&fix, "\ngit filter-repo --invert-paths");
	hist_filter_path(&fix, p->path, p->is_dir);
	rg_buf_puts(&fix, "   # rewrites history: read the warning above first");
	hist_filter_path(&s->rewrite, p->path, p->is_dir);
	if (secret)
		sev = a->secret_sev;
	else
		sev = p->at_head ? a->block_sev : a->history_sev;
	rg_audit_commit_hex(hex, a, p->intro[0].commit);
	f = rg_findings_add(s->out, secret ? "history.secret-file" : "history.block", sev, hex,
		p->path, 0, msg.ptr);
	f->is_dir = p->is_dir;
	rg_finding_set_detail(f, detail.ptr);
	rg_finding_set_fix(f, fix.ptr);
	if (secret)
		s->secrets++;
	else
		s->blocked++;
	s->hist_files += p->hist_files;
	s->hist_bytes += p->hist_bytes;
	s->hist_unknown |= p->hist_unknown;
	rg_buf_dispose(&msg);
	rg_buf_dispose(&detail);
	rg_buf_dispose(&fix);
}

static void hist_paths(hist_sum *s, int kind)
{
	const rg_hist *h = &s->a->hist;
	const rg_hist_path **v = rg_calloc(h->npaths + 1, sizeof(*v));
	size_t n = 0, i;

	if (kind == RG_HIST_SECRET && s->a->secret_sev == RG_SEV_OFF) {
		free((void *)v);
		return;
	}
	/* REPOGUARD_SKIP=block (or secret-file) skips them in history as at HEAD */
	if (kind == RG_HIST_BLOCK ? s->a->block.n && rg_audit_skipped(s->a, "history.block", "block") :
	    s->a->secret.n && rg_audit_skipped(s->a, "history.secret-file", "secret-file")) {
		free((void *)v);
		return;
	}
	for (i = 0; i < h->npaths; i++)
		if (h->paths[i].kind == kind && h->paths[i].nintro)
			v[n++] = &h->paths[i];
	qsort(v, n, sizeof(*v), rec_cmp);
	for (i = 0; i < n; i++)
		hist_one(s, v[i]);
	free((void *)v);
}

/* Is the blob still at its path in HEAD's tree? */
static int hist_blob_at_head(rg_audit *a, const rg_hist_blob *b)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int r = 0;

	if (a->hist.head == RG_HIST_NONE)
		return 0;
	if (git_tree_lookup(&tree, a->ctx->repo, &a->hist.commits[a->hist.head].tree) == 0 &&
	    git_tree_entry_bypath(&e, tree, b->path) == 0)
		r = git_oid_equal(git_tree_entry_id(e), &b->id);
	git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(tree);
	return r;
}

static void hist_largest(hist_sum *s)
{
	rg_audit *a = s->a;
	size_t i;
	/* a skipped size check lists the largest blobs without verdict; history.largest skips the list */
	int size_on = a->max_file_size && !rg_audit_skipped(a, "history.size", "size");

	if (a->hist.nlargest && rg_audit_skipped(a, "history.largest", NULL))
		return;
	for (i = 0; i < a->hist.nlargest; i++) {
		const rg_hist_blob *b = &a->hist.largest[i];
		int over = size_on && b->size > a->max_file_size, head = hist_blob_at_head(a, b);
		char size[32], max[32], hex[GIT_OID_HEXSZ + 1], bid[GIT_OID_HEXSZ + 1];
		rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT;
		rg_finding *f;

		rg_fmt_size(size, sizeof(size), b->size);
		rg_fmt_size(max, sizeof(max), a->max_file_size);
		git_oid_tostr(bid, sizeof(bid), &b->id);
		rg_buf_printf(&msg, "%s blob %.10s, number %zu by size%s%s%s; %s", size, bid, i + 1,
			over ? ", over the " : "", over ? max : "", over ? " limit" : "",
			head ? "still at HEAD" : "not at HEAD under this name");
		if (over) {
			rg_buf_puts(&fix, "git filter-repo --invert-paths");
			hist_filter_path(&fix, b->path, 0);
			rg_buf_puts(&fix, "   # rewrites history");
			/* --include takes comma-separated patterns: a path with ',' or glob characters has no exact spelling there */
			if (!strpbrk(b->path, ",*?[\\")) {
				rg_buf_puts(&fix, "\n# or move it to Git LFS: git lfs migrate import --everything --include=");
				rg_buf_shquote(&fix, b->path);
			}
			hist_filter_path(&s->rewrite, b->path, 0);
			s->large++;
		}
		rg_audit_commit_hex(hex, a, b->commit);
		f = rg_findings_add(s->out, over ? "history.size" : "history.largest",
			over ? a->history_sev : RG_SEV_NOTE, hex, b->path, 0, msg.ptr);
		if (over) {
			rg_finding_set_detail(f, rg_audit_rewrite_warning);
			rg_finding_set_fix(f, fix.ptr);
		}
		rg_buf_dispose(&msg);
		rg_buf_dispose(&fix);
	}
}

static void hist_rewrite(hist_sum *s)
{
	rg_buf fix = RG_BUF_INIT;
	rg_finding *f;

	if (!s->rewrite.len)
		return;
	rg_buf_puts(&fix, "git clone --mirror <url> audit.git && cd audit.git\ngit filter-repo --invert-paths");
	rg_buf_put(&fix, s->rewrite.ptr, s->rewrite.len);
	rg_buf_puts(&fix, "\ngit push --force --mirror <url>   # after everyone has agreed");
	f = rg_findings_add(s->out, "history.rewrite", RG_SEV_NOTE, NULL, NULL, 0,
		"one rewrite removes everything above from every branch and tag");
	rg_finding_set_detail(f, rg_audit_rewrite_warning);
	rg_finding_set_fix(f, fix.ptr);
	rg_buf_dispose(&fix);
}

static void hist_incomplete(rg_findings *out, const rg_audit *a)
{
	const rg_hist_stats *st = &a->hist.st;
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT;
	rg_finding *f;

	if (st->shallow)
		rg_buf_printf(&msg, "%sshallow clone: history before %zu commit%s is not here",
			msg.len ? "; " : "", st->shallow, st->shallow == 1 ? "" : "s");
	if (st->missing_commits)
		rg_buf_printf(&msg, "%s%zu commit%s missing", msg.len ? "; " : "",
			st->missing_commits, st->missing_commits == 1 ? "" : "s");
	if (st->missing_trees)
		rg_buf_printf(&msg, "%s%zu tree%s missing (unreachable content)", msg.len ? "; " : "",
			st->missing_trees, st->missing_trees == 1 ? "" : "s");
	if (st->missing_blobs)
		rg_buf_printf(&msg, "%s%zu blob%s missing: size unknown", msg.len ? "; " : "",
			st->missing_blobs, st->missing_blobs == 1 ? "" : "s");
	if (st->bad_trees)
		rg_buf_printf(&msg, "%s%zu tree%s malformed or too deep", msg.len ? "; " : "",
			st->bad_trees, st->bad_trees == 1 ? "" : "s");
	if (!msg.len)
		return;
	rg_buf_puts(&detail, "The audit covers the objects this repository has; counts and sizes "
		"are lower bounds. A partial or shallow clone, or a mirror without large blobs, lacks "
		"objects: audit a full clone for the complete picture.");
	f = rg_findings_add(out, "history.incomplete", RG_SEV_WARN, NULL, NULL, 0, msg.ptr);
	rg_finding_set_detail(f, detail.ptr);
	rg_finding_set_fix(f, "git fetch --unshallow   # shallow clones\n"
		"git fetch --refetch   # partial clones (git 2.36 or later)");
	rg_buf_dispose(&msg);
	rg_buf_dispose(&detail);
}

static void hist_verdict(rg_buf *v, const hist_sum *s, const rg_audit *a)
{
	char count[32], size[32];

	rg_fmt_count(count, sizeof(count), a->hist.ncommits);
	rg_buf_printf(v, "%s commit%s on %zu ref%s: ", count, a->hist.ncommits == 1 ? "" : "s",
		a->hist.nrefs, a->hist.nrefs == 1 ? "" : "s");
	if (!s->blocked && !s->secrets && !s->large) {
		rg_buf_puts(v, "no blocked path, secret-looking file or blob over the limit was ever committed");
		return;
	}
	rg_buf_printf(v, "%zu blocked path%s, %zu secret-looking file%s, %zu blob%s over the limit",
		s->blocked, s->blocked == 1 ? "" : "s", s->secrets, s->secrets == 1 ? "" : "s",
		s->large, s->large == 1 ? "" : "s");
	rg_fmt_size(size, sizeof(size), s->hist_bytes);
	rg_fmt_count(count, sizeof(count), s->hist_files);
	rg_buf_printf(v, "; %s%s in %s file%s under them in history", s->hist_unknown ? "at least " : "",
		size, count, s->hist_files == 1 ? "" : "s");
}

static int hist_run(rg_findings *out, rg_audit *a, rg_buf *verdict)
{
	hist_sum s;

	if (!a->history) {
		rg_buf_puts(verdict, "not walked (repoguard audit --history walks every commit of every ref)");
		hist_incomplete(out, a);
		return RG_OK;
	}
	memset(&s, 0, sizeof(s));
	s.a = a;
	s.out = out;
	hist_paths(&s, RG_HIST_BLOCK);
	hist_paths(&s, RG_HIST_SECRET);
	hist_largest(&s);
	hist_rewrite(&s);
	hist_incomplete(out, a);
	hist_verdict(verdict, &s, a);
	rg_buf_dispose(&s.rewrite);
	return RG_OK;
}

const rg_audit_section rg_audit_section_history = { "history", hist_run };
