/*
 * history.h: the history walker behind `repoguard audit`.
 *
 * It walks the commits reachable from the refs (or HEAD's tree alone) and
 * reads every distinct tree once and every distinct blob's size once, from
 * the object header, never its content: the same work as
 * `git rev-list --objects --all | git cat-file --batch-check`. Along the way it
 * keeps, per distinct tree, its recursive file count and size and a small
 * "skeleton" of what is interesting inside it (blocked directories, files
 * that look like secrets). Comparing a commit's skeleton with its parents'
 * tells which commits introduced and removed each blocked path, without a
 * diff per commit. Missing objects (shallow, partial or damaged
 * repositories) are counted and reported, never fatal.
 */
#ifndef REPOGUARD_HISTORY_H
#define REPOGUARD_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>
#include "buf.h"
#include "glob.h"

#define RG_HIST_NONE UINT32_MAX

enum { RG_HIST_BLOCK = 1, RG_HIST_SECRET = 2 };

typedef struct {
	const rg_patlist *block;  /* top-most matches are reported per directory */
	const rg_patlist *secret; /* files that look like secrets (outside blocked dirs) */
	int history;              /* walk the history; else HEAD's tree only */
	int all_refs;             /* with history: every ref (git rev-list --all), else HEAD */
	size_t largest;           /* how many of the largest blobs to keep */
	int progress;             /* progress line on stderr (the caller checks isatty) */
	/*
	 * With history, optional: the class of a blob's path, where paths that
	 * a check of the blob's content judges alike share one (the content
	 * rules' path lists: audit-content.c). The walk then keeps, per blob,
	 * each class it was met under and where first (rg_hist_seen_sight),
	 * also inside a tree met again unchanged under another path (a moved
	 * directory). Called once per distinct path.
	 */
	uint32_t (*blob_class)(void *payload, const char *path);
	void *blob_class_payload;
} rg_hist_opts;

typedef struct {
	git_oid id;
	uint32_t parents;         /* first index in rg_hist.parent_ix */
	uint32_t nparents;        /* parents present in the repository */
	uint32_t ref;             /* first ref (in rg_hist.refs order) reaching it */
	uint32_t root;            /* tree node of its root tree, RG_HIST_NONE if missing */
	git_oid tree;
	int64_t time;             /* committer time */
	uint32_t flags;           /* RG_HIST_C_* */
} rg_hist_commit;

#define RG_HIST_C_SHALLOW 1       /* listed in the shallow file: parents cut off */
#define RG_HIST_C_MISSING_PARENT 2 /* a parent object is missing */
/*
 * An edge of the history this repository has: the commit has parents, and
 * none of them is here (a shallow clone's boundary, or every parent missing).
 * What it holds was not introduced there: where it was added is not here.
 */
#define RG_HIST_C_EDGE 4

typedef struct {
	char *name;               /* "HEAD", "refs/heads/main", ... */
	uint32_t commit;
} rg_hist_ref;

typedef struct {
	uint32_t commit;
	uint64_t files, bytes;
	int unknown;              /* some sizes unknown (missing objects) */
} rg_hist_event;

typedef struct {
	char *path;
	int kind;                 /* RG_HIST_BLOCK or RG_HIST_SECRET */
	int is_dir;
	const rg_pattern *by;
	rg_hist_event *intro;     /* commits that introduced it (absent from every parent) */
	size_t nintro, intro_alloc;
	uint32_t *removed;        /* commits that removed it (present in every parent) */
	size_t nremoved, removed_alloc;
	uint64_t hist_files, hist_bytes; /* distinct blobs first committed under it */
	int hist_unknown;
	int at_head;
	rg_hist_event head;       /* files and bytes at HEAD */
	uint32_t *tips;           /* refs (other than HEAD) whose tip still has it */
	size_t ntips, tips_alloc;
} rg_hist_path;

typedef struct {
	git_oid id;
	uint64_t size;
	uint32_t commit;          /* first commit (oldest first) that has it */
	char *path;
} rg_hist_blob;

typedef struct {
	size_t commits, trees, blobs, entries;
	uint64_t blob_bytes;
	size_t missing_commits, missing_trees, missing_blobs, bad_trees;
	size_t shallow;           /* commits whose parents the shallow file cuts off */
	size_t skipped_refs;      /* refs that do not point at a commit */
} rg_hist_stats;

struct rg_hist_walk;

typedef struct rg_hist {
	git_repository *repo;
	git_odb *odb;
	rg_hist_opts o;
	rg_hist_commit *commits;  /* in topological order: parents first */
	size_t ncommits;
	uint32_t *parent_ix;
	rg_hist_ref *refs;        /* HEAD first, then branches, remotes, tags, others */
	size_t nrefs;
	uint32_t head;            /* HEAD's commit, RG_HIST_NONE when unborn */
	rg_hist_path *paths;
	size_t npaths;
	rg_hist_blob *largest;    /* sorted, largest first */
	size_t nlargest;
	size_t *block_hits, *secret_hits; /* per pattern: paths it decided (first sight) */
	rg_hist_stats st;
	double seconds;
	char *tree_missing;       /* rg_hist_walk_commit_tree met a missing tree: "ID (PATH)", the first */
	struct rg_hist_walk *w;
} rg_hist;

int rg_hist_run(rg_hist *h, git_repository *repo, git_odb *odb, const rg_hist_opts *o);
void rg_hist_free(rg_hist *h);

/* One entry met by rg_hist_walk_commit_tree. */
typedef struct {
	const char *path;
	uint32_t mode;
	const git_oid *id;
	int is_tree;
	uint64_t size;            /* blobs: size; trees: the largest blob below */
	int size_known;           /* nothing missing (below) */
	int has_attrs;            /* trees: a .gitattributes file at or below */
} rg_hist_entry;

/*
 * Walk the tree of a commit (HEAD's, typically) entry by entry. cb returns 0
 * to go on, 1 to skip a directory's content, < 0 to stop (returned). The
 * sizes and flags of trees let callers skip what cannot hold what they
 * look for (a file over a limit, a .gitattributes file).
 */
typedef int (*rg_hist_tree_cb)(const rg_hist_entry *e, void *payload);
int rg_hist_walk_commit_tree(rg_hist *h, uint32_t commit, rg_hist_tree_cb cb, void *payload);

/* A distinct blob the walk met, where it first met it. */
typedef struct {
	const git_oid *id;
	uint32_t mode;            /* its mode there: 0100644, 0100755 or 0120000 (a symlink) */
	uint32_t commit;          /* the first commit (parents first) that has it */
	uint64_t size;
	int size_known;           /* 0: the object is missing */
} rg_hist_seen;

/*
 * Every distinct blob the walk met (HEAD's tree alone, or every commit's
 * with history), in the order it met them: oldest commits first.
 */
size_t rg_hist_seen_count(const rg_hist *h);
/* Blob i; path is set to the path it was first met under. */
void rg_hist_seen_get(rg_hist_seen *out, rg_buf *path, const rg_hist *h, size_t i);
/*
 * With rg_hist_opts.blob_class: sight k of blob i (k = 0 is the first,
 * rg_hist_seen_get's), each under another class, in the order the walk
 * met them (oldest commits first): 0 with out, *cls and path set, or
 * RG_ENOTFOUND past the last.
 */
int rg_hist_seen_sight(rg_hist_seen *out, uint32_t *cls, rg_buf *path, const rg_hist *h, size_t i, size_t k);
/* The index of a blob the walk met, or RG_HIST_NONE. */
uint32_t rg_hist_seen_index(const rg_hist *h, const git_oid *id);

/* Is commit a reachable from commit b (a == b counts)? Walks b's ancestry. */
int rg_hist_is_ancestor(rg_hist *h, uint32_t a, uint32_t b);

/* Does the tree of commit have the path? 1 yes, 0 no, < 0 error. */
int rg_hist_commit_has_path(rg_hist *h, uint32_t commit, const char *path);

#endif
