/*
 * backup-files.c: the files a backup keeps out of the object database
 * (include/repoguard/backup.h): secret and environment files of the work
 * tree that git does not track. A blob is published by any push of a ref
 * that reaches it (git push --mirror pushes refs/repoguard/ too), so these
 * are copied as they are, bytes, symbolic link and permission bits, into
 * $GIT_COMMON_DIR/repoguard/backup-files/<W>/, a directory only its owner
 * can read, which no git command sends anywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include "repoguard/backup.h"
#include "repoguard/common.h"

#define BF_DIR "repoguard/backup-files/"

char *rg_backup_files_dir(git_repository *repo, const git_oid *w)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), w);
	return rg_printf("%s" BF_DIR "%s", git_repository_commondir(repo), hex);
}

/* mkdir -p for the directories of path below base (base exists); 0700. */
static int bf_mkdirs(const char *base, const char *path)
{
	char *full = rg_printf("%s/%s", base, path), *p = full + strlen(base) + 1;
	int r = RG_OK;

	while ((p = strchr(p, '/')) != NULL) {
		*p = '\0';
		if (mkdir(full, 0700) < 0 && errno != EEXIST) {
			rg_error_set("%s: cannot create: %s", full, strerror(errno));
			r = RG_ERROR;
			break;
		}
		*p++ = '/';
	}
	free(full);
	return r;
}

/* Copy one file or symbolic link from to to (which must not exist), with its permission bits. */
static int bf_copy(const char *from, const char *to)
{
	struct stat st;
	char buf[65536];
	int in = -1, out = -1, r = RG_ERROR;
	ssize_t n;

	if (lstat(from, &st) < 0) {
		rg_error_set("%s: cannot read: %s", from, strerror(errno));
		return RG_ERROR;
	}
	if (S_ISLNK(st.st_mode)) {
		ssize_t len = readlink(from, buf, sizeof(buf) - 1);

		if (len < 0 || (buf[len] = '\0', symlink(buf, to) < 0)) {
			rg_error_set("%s: cannot copy the symbolic link: %s", from, strerror(errno));
			return RG_ERROR;
		}
		return RG_OK;
	}
	if (!S_ISREG(st.st_mode)) {
		rg_error_set("%s is neither a file nor a symbolic link", from);
		return RG_ERROR;
	}
	if ((in = open(from, O_RDONLY | O_NOFOLLOW)) < 0 ||
	    (out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600)) < 0) {
		rg_error_set("%s: cannot copy: %s", in < 0 ? from : to, strerror(errno));
		goto out;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		char *p = buf;

		while (n > 0) {
			ssize_t w = write(out, p, (size_t)n);

			if (w < 0) {
				rg_error_set("%s: cannot write: %s", to, strerror(errno));
				goto out;
			}
			p += w;
			n -= w;
		}
	}
	if (n < 0) {
		rg_error_set("%s: cannot read: %s", from, strerror(errno));
		goto out;
	}
	if (fchmod(out, st.st_mode & 07777) < 0) {
		rg_error_set("%s: cannot set its mode: %s", to, strerror(errno));
		goto out;
	}
	r = RG_OK;
out:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0 && r == RG_OK) {
		rg_error_set("%s: cannot write: %s", to, strerror(errno));
		r = RG_ERROR;
	}
	return r;
}

/* rm -rf dir (files, links and directories repoguard wrote) */
static void bf_remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char *sub;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = rg_printf("%s/%s", dir, de->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			bf_remove_tree(sub);
		else
			(void)unlink(sub);
		free(sub);
	}
	closedir(d);
	(void)rmdir(dir);
}

void rg_backup_files_remove(git_repository *repo, const git_oid *w)
{
	char *dir = rg_backup_files_dir(repo, w);

	bf_remove_tree(dir);
	free(dir);
}

/* A staged blob as a file (a symbolic link for a link, 0700 when executable). */
static int bf_write_blob(git_repository *repo, const rg_kept_entry *e, const char *to)
{
	git_blob *blob = NULL;
	const char *p;
	size_t n;
	int fd = -1, r = RG_ERROR;

	if (git_blob_lookup(&blob, repo, &e->id) < 0)
		return rg_error_from_git(e->path);
	p = git_blob_rawcontent(blob);
	n = (size_t)git_blob_rawsize(blob);
	if (e->mode == GIT_FILEMODE_LINK) {
		char *target = rg_strndup(p, n);

		if (symlink(target, to) == 0)
			r = RG_OK;
		else
			rg_error_set("%s: cannot create: %s", to, strerror(errno));
		free(target);
		goto out;
	}
	if ((fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
	               e->mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0700 : 0600)) < 0) {
		rg_error_set("%s: cannot create: %s", to, strerror(errno));
		goto out;
	}
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			rg_error_set("%s: cannot write: %s", to, strerror(errno));
			goto out;
		}
		p += w;
		n -= (size_t)w;
	}
	r = RG_OK;
out:
	if (fd >= 0 && close(fd) < 0 && r == RG_OK) {
		rg_error_set("%s: cannot write: %s", to, strerror(errno));
		r = RG_ERROR;
	}
	git_blob_free(blob);
	return r;
}

int rg_backup_files_save(git_repository *repo, const git_oid *w, const rg_snapshot *s)
{
	const char *wd = git_repository_workdir(repo);
	char *dir = rg_backup_files_dir(repo, w), *tmp = rg_printf("%s.tmp", dir);
	size_t i;
	int r = RG_OK;

	if (!s->nsecrets && !s->nstaged)
		goto out;
	bf_remove_tree(tmp); /* a crashed run's leftovers */
	if ((r = bf_mkdirs(git_repository_commondir(repo), BF_DIR "x")) < 0)
		goto out;
	if (mkdir(tmp, 0700) < 0) {
		rg_error_set("%s: cannot create: %s", tmp, strerror(errno));
		r = RG_ERROR;
		goto out;
	}
	for (i = 0; i < s->nsecrets && r == RG_OK; i++) {
		char *from = rg_printf("%s%s", wd, s->secrets[i]);
		char *rel = rg_printf("work/%s", s->secrets[i]), *to = rg_printf("%s/%s", tmp, rel);

		if ((r = bf_mkdirs(tmp, rel)) == RG_OK)
			r = bf_copy(from, to);
		free(from);
		free(rel);
		free(to);
	}
	for (i = 0; i < s->nstaged && r == RG_OK; i++) {
		char *rel = rg_printf("index/%s", s->staged[i].path), *to = rg_printf("%s/%s", tmp, rel);

		if ((r = bf_mkdirs(tmp, rel)) == RG_OK)
			r = bf_write_blob(repo, &s->staged[i], to);
		free(rel);
		free(to);
	}
	/* complete or not there: a directory by W's name always holds all of them */
	if (r == RG_OK && rename(tmp, dir) < 0) {
		rg_error_set("%s: cannot create: %s", dir, strerror(errno));
		r = RG_ERROR;
	}
	if (r < 0)
		bf_remove_tree(tmp);
out:
	free(tmp);
	free(dir);
	return r;
}

static int bf_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct {
	char **v;
	size_t n, alloc;
} bf_list;

/* every entry that is not a directory */
static int bf_list_cb(const char *rel, const char *name, const struct stat *st, void *payload)
{
	bf_list *l = payload;

	RG_UNUSED(name);
	if (!st || !S_ISDIR(st->st_mode)) {
		RG_GROW(l->v, l->alloc, l->n + 1);
		l->v[l->n++] = rg_strdup(rel);
	}
	return RG_OK;
}

int rg_backup_files_list(char ***out, size_t *n, git_repository *repo, const git_oid *w, int index)
{
	char *dir = rg_backup_files_dir(repo, w), *sub = rg_printf("%s/%s", dir, index ? "index" : "work");
	bf_list l = { NULL, 0, 0 };
	struct stat st;
	int r = RG_OK;

	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		rg_error_set("%s: cannot read: %s", dir, strerror(errno ? errno : ENOTDIR));
		r = RG_ERROR;
	} else if (lstat(sub, &st) == 0) {
		r = rg_dirwalk(sub, NULL, RG_DIRWALK_NAME_FULL, bf_list_cb, &l);
	}
	if (r == RG_OK && l.n)
		qsort(l.v, l.n, sizeof(*l.v), bf_cmp_str);
	*out = l.v;
	*n = l.n;
	free(sub);
	free(dir);
	return r;
}

int rg_backup_files_staged(git_oid *id, uint32_t *mode, git_repository *repo, const git_oid *w,
	const char *path, int write)
{
	char *dir = rg_backup_files_dir(repo, w), *full = rg_printf("%s/index/%s", dir, path);
	rg_buf content = RG_BUF_INIT;
	struct stat st;
	int r = RG_ERROR;

	if (lstat(full, &st) < 0) {
		rg_error_set("%s: cannot read: %s", full, strerror(errno));
	} else if (S_ISLNK(st.st_mode)) {
		char buf[4096];
		ssize_t len = readlink(full, buf, sizeof(buf));

		if (len < 0) {
			rg_error_set("%s: cannot read: %s", full, strerror(errno));
		} else {
			rg_buf_put(&content, buf, (size_t)len);
			*mode = GIT_FILEMODE_LINK;
			r = RG_OK;
		}
	} else if (rg_buf_read_file(&content, full, 0) == RG_OK) {
		*mode = (st.st_mode & S_IXUSR) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
		r = RG_OK;
	} else {
		rg_error_set("%s: cannot read: %s", full, strerror(errno));
	}
	if (r == RG_OK && (write ? git_blob_create_from_buffer(id, repo, content.ptr ? content.ptr : "", content.len) :
	                           git_odb_hash(id, content.ptr ? content.ptr : "", content.len, GIT_OBJECT_BLOB)) < 0)
		r = rg_error_from_git(path);
	rg_buf_dispose(&content);
	free(full);
	free(dir);
	return r;
}

int rg_backup_files_put(git_repository *repo, const git_oid *w, char **paths, size_t n)
{
	const char *wd = git_repository_workdir(repo);
	char *dir = rg_backup_files_dir(repo, w);
	size_t i;
	int r = RG_OK;

	for (i = 0; i < n && r == RG_OK; i++) {
		char *from = rg_printf("%s/work/%s", dir, paths[i]), *to = rg_printf("%s%s", wd, paths[i]);
		struct stat st;

		/* whatever stands there is saved in the backup taken before the restore */
		if (lstat(to, &st) == 0 && !S_ISDIR(st.st_mode) && unlink(to) < 0) {
			rg_error_set("%s: cannot replace: %s", paths[i], strerror(errno));
			r = RG_ERROR;
		}
		if (r == RG_OK && (r = bf_mkdirs(wd, paths[i])) == RG_OK)
			r = bf_copy(from, to);
		free(from);
		free(to);
	}
	free(dir);
	return r;
}

/* Same type, bytes (or link target) and permission bits? */
int rg_backup_files_same(git_repository *repo, const git_oid *w, const char *path)
{
	char *dir = rg_backup_files_dir(repo, w);
	char *a = rg_printf("%s/work/%s", dir, path), *b = rg_printf("%s%s", git_repository_workdir(repo), path);
	struct stat sa, sb;
	int same = 0;

	if (lstat(a, &sa) == 0 && lstat(b, &sb) == 0 && (sa.st_mode & S_IFMT) == (sb.st_mode & S_IFMT) &&
	    sa.st_size == sb.st_size && (S_ISLNK(sa.st_mode) || sa.st_mode == sb.st_mode)) {
		char ba[65536], bb[65536];

		if (S_ISLNK(sa.st_mode)) {
			ssize_t la = readlink(a, ba, sizeof(ba)), lb = readlink(b, bb, sizeof(bb));

			same = la >= 0 && la == lb && !memcmp(ba, bb, (size_t)la);
		} else {
			FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");

			same = fa && fb;
			while (same) {
				size_t na = fread(ba, 1, sizeof(ba), fa), nb = fread(bb, 1, sizeof(bb), fb);

				same = na == nb && !memcmp(ba, bb, na);
				if (na < sizeof(ba))
					break;
			}
			if (fa)
				fclose(fa);
			if (fb)
				fclose(fb);
		}
	}
	free(a);
	free(b);
	free(dir);
	return same;
}

void rg_secret_paths_load(rg_secret_paths *out, rg_conf *conf)
{
	memset(out, 0, sizeof(*out));
	rg_conf_patterns(&out->lists[0], conf, "envfile", "paths");
	rg_conf_patterns(&out->lists[1], conf, "audit", "secret_paths");
	rg_patlist_casefold(&out->lists[0]);
	rg_patlist_casefold(&out->lists[1]);
}

void rg_secret_paths_free(rg_secret_paths *p)
{
	rg_patlist_free(&p->lists[0]);
	rg_patlist_free(&p->lists[1]);
}

int rg_secret_paths_match(const rg_secret_paths *p, const char *path)
{
	return p && (rg_patlist_match(&p->lists[0], path, 0, NULL, NULL) ||
		rg_patlist_match(&p->lists[1], path, 0, NULL, NULL));
}
