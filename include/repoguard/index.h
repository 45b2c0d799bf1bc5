/*
 * index.h: a read-only parser of git's index file (versions 2 to 4).
 *
 * libgit2 1.5 verifies the index checksum on every load and builds its own
 * in-memory structures: 92 ms for a 100,000-file index, against git's 27 ms
 * for the whole `git diff --cached`. git itself skips the checksum on read
 * and uses the cache-tree extension (TREE) to skip unchanged subtrees; this
 * reader does the same, which is what keeps the pre-commit hook within
 * git's own time. It also reads split indexes (core.splitIndex: the "link"
 * extension and $GIT_DIR/sharedindex.<id>), which libgit2 1.5 cannot read
 * at all. Anything else it does not understand (sparse directory entries,
 * unknown required extensions, SHA-256) makes it return RG_EUNSUPPORTED so
 * that the caller can fall back to libgit2.
 */
#ifndef REPOGUARD_INDEX_H
#define REPOGUARD_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>

typedef struct rg_index_entry {
	const char *path;  /* NUL-terminated */
	size_t path_len;
	uint32_t mode;
	uint32_t size;     /* stat size of the working file, not the blob */
	git_oid id;
	int stage;         /* 0, or 1-3 for conflicts */
	int intent_to_add; /* `git add -N`: not part of the next commit */
	int skip_worktree;
	int assume_valid;  /* `update-index --assume-unchanged`: git does not stat it */
	/*
	 * The entry's 40 bytes of stat data in the index image (ctime, mtime,
	 * dev, ino, mode, uid, gid, size; big-endian), for rg_index_stat_matches.
	 */
	const unsigned char *stat;
} rg_index_entry;

typedef struct rg_cache_tree {
	char *name;                 /* component name, "" for the root */
	size_t namelen;
	int entry_count;            /* -1: invalid */
	git_oid id;
	struct rg_cache_tree **sub;
	size_t nsub;
} rg_cache_tree;

typedef struct rg_index {
	void *map;
	size_t map_len;
	rg_index_entry *entries;
	size_t n;
	char *pathpool;            /* v4 paths */
	rg_cache_tree *tree;       /* NULL without a TREE extension */
	git_oid checksum;          /* the trailing hash (not verified, as git) */
	/* the index file's mtime (rg_index_open only; has_mtime 0 otherwise) */
	int has_mtime;
	int64_t mtime_sec;
	long mtime_nsec;
	/* the rest of the file's identity, for rg_index_keep (rg_index_open only) */
	uint64_t file_dev, file_ino, file_size;
	int64_t ctime_sec;
	long ctime_nsec;
	/* split index: entries are the front file's until rg_index_merge_base() */
	int split;
	git_oid base_id;           /* the shared index's checksum */
	const unsigned char *del_bitmap, *rep_bitmap; /* EWAH, inside the map */
	size_t del_len, rep_len;
	struct rg_index *base;     /* the merged shared index (owned) */
} rg_index;

/*
 * Parse data (a complete index file image); the index keeps pointers into it.
 * A split index parses to its front entries with idx->split set: merge it
 * with its shared index before use.
 */
int rg_index_parse(rg_index *idx, const void *data, size_t len);
/*
 * Apply a split index's front entries (replacements, deletions, additions)
 * to base, its parsed shared index, as git's merge_base_index does. idx
 * takes ownership of base, also on error (rg_index_free(idx) frees it), and
 * base's own entries are rewritten by the merge.
 */
int rg_index_merge_base(rg_index *idx, rg_index *base);
/*
 * mmap and parse path; RG_ENOTFOUND when the file does not exist. A split
 * index's shared index is looked for in gitdir (may be NULL), then next to
 * path, as git does.
 */
int rg_index_open(rg_index *idx, const char *path, const char *gitdir);
void rg_index_free(rg_index *idx);
/*
 * Keep idx (from rg_index_open of path; taken over, idx is emptied) for the
 * next rg_index_open of the same path, which gets it when the file is still
 * the one parsed (device, inode, size, mtime and ctime). One is kept; the
 * process's main thread only. The configuration looks a staged rules file up
 * in the index, and the index source then reads the same file whole.
 */
void rg_index_keep(rg_index *idx, const char *path);

/*
 * Does the file described by st still hold what e was staged from? As git's
 * ie_match_stat with its default settings (core.trustctime, core.checkStat
 * default): mtime, ctime, inode, owner and size must match (nanoseconds when
 * the index has them), the entry must be a regular file that git stats (not
 * assume-unchanged, not skip-worktree, not intent-to-add), and it must not
 * be racily clean: an entry whose mtime is not older than the index file
 * itself may have been modified in the same tick it was staged, so it is
 * never vouched for. st is a struct stat, passed opaquely.
 */
struct stat;
int rg_index_stat_matches(const rg_index *idx, const rg_index_entry *e, const struct stat *st);
/* Is e (which has stat data) racily clean? Then no stat of its file can vouch for it. */
int rg_index_entry_racy(const rg_index *idx, const rg_index_entry *e);
/* Does the entry carry stat data at all (update-index --cacheinfo and read-tree leave it zero)? */
int rg_index_has_stat(const rg_index_entry *e);

/* First entry with path >= key (binary search). */
size_t rg_index_lower_bound(const rg_index *idx, const char *key, size_t keylen);
/* Entry for path at stage 0, or NULL. */
const rg_index_entry *rg_index_find(const rg_index *idx, const char *path);

/*
 * In libgit2's index of the repository: is path left out of the working
 * tree by a sparse checkout (skip-worktree)? Absent on purpose, not
 * deleted; libgit2 1.5's status does not know the flag and reports it
 * deleted.
 */
int rg_git_index_skips_worktree(git_index *index, const char *path);

#endif
