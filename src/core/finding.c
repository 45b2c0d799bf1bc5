/* finding.c: the findings list shared by rules and reporters. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/finding.h"

void rg_findings_init(rg_findings *f)
{
	memset(f, 0, sizeof(*f));
}

static void finding_dispose(rg_finding *x)
{
	free(x->rule); free(x->commit); free(x->path);
	free(x->message); free(x->detail); free(x->fix); free(x->key);
	free(x->text_id); free(x->anchor);
}

void rg_findings_free(rg_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		finding_dispose(&f->v[i]);
	for (i = 0; i < f->ninfos; i++)
		free(f->infos[i]);
	free(f->infos);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static char *dup_or_null(const char *s)
{
	return s ? rg_strdup(s) : NULL;
}

rg_finding *rg_findings_add(rg_findings *f, const char *rule, int severity,
	const char *commit, const char *path, int line, const char *message)
{
	rg_finding *x;

	RG_GROW(f->v, f->alloc, f->n + 1);
	x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	x->rule = rg_strdup(rule);
	x->severity = severity;
	x->commit = dup_or_null(commit);
	x->path = dup_or_null(path);
	x->line = line;
	x->message = rg_strdup(message);
	return x;
}

void rg_findings_take(rg_findings *dst, rg_findings *src)
{
	size_t i;

	if (src->n) {
		RG_GROW(dst->v, dst->alloc, dst->n + src->n);
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
		dst->n += src->n;
	}
	for (i = 0; i < src->ninfos; i++) {
		RG_GROW(dst->infos, dst->infos_alloc, dst->ninfos + 1);
		dst->infos[dst->ninfos++] = src->infos[i];
	}
	dst->notes += src->notes;
	free(src->v);
	free(src->infos);
	memset(src, 0, sizeof(*src));
}

static int str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Equal as a reader sees them: rule, severity, commit, path, line, message. */
static int finding_same(const rg_finding *a, const rg_finding *b)
{
	return a->severity == b->severity && a->line == b->line && a->is_dir == b->is_dir &&
		!strcmp(a->rule, b->rule) && !strcmp(a->message, b->message) &&
		str_eq(a->commit, b->commit) && str_eq(a->path, b->path);
}

static uint32_t finding_hash_str(uint32_t h, const char *s)
{
	/* FNV-1a; NULL and "" hash alike, finding_same tells them apart */
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (h ^ 0xffu) * 16777619u;
}

static uint32_t finding_hash(const rg_finding *x)
{
	uint32_t h = 2166136261u;

	h = finding_hash_str(h, x->rule);
	h = finding_hash_str(h, x->commit);
	h = finding_hash_str(h, x->path);
	h = finding_hash_str(h, x->message);
	return (h ^ (uint32_t)x->line ^ ((uint32_t)x->severity << 24)) * 16777619u;
}

typedef struct {
	uint32_t hash;
	size_t i;
} finding_slot;

static int finding_slot_cmp(const void *a, const void *b)
{
	const finding_slot *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void rg_findings_dedupe(rg_findings *f, size_t from)
{
	finding_slot *slots;
	unsigned char *drop;
	size_t i, j, k;

	if (from == 0 || from >= f->n)
		return;
	slots = rg_calloc(f->n, sizeof(*slots));
	drop = rg_calloc(f->n, 1);
	for (i = 0; i < f->n; i++) {
		slots[i].hash = finding_hash(&f->v[i]);
		slots[i].i = i;
	}
	qsort(slots, f->n, sizeof(*slots), finding_slot_cmp);
	/* in each run of equal hashes (sorted by index), a new finding equal to an old one goes */
	for (i = 0; i < f->n; i = j) {
		for (j = i + 1; j < f->n && slots[j].hash == slots[i].hash; j++)
			;
		for (k = i; k < j; k++) {
			size_t m;

			if (slots[k].i < from)
				continue;
			for (m = i; m < j && slots[m].i < from && !drop[slots[k].i]; m++)
				if (finding_same(&f->v[slots[m].i], &f->v[slots[k].i]))
					drop[slots[k].i] = 1;
		}
	}
	for (i = j = 0; i < f->n; i++) {
		if (drop[i])
			finding_dispose(&f->v[i]);
		else
			f->v[j++] = f->v[i];
	}
	f->n = j;
	free(slots);
	free(drop);
}

void rg_finding_set_detail(rg_finding *x, const char *s)
{
	free(x->detail);
	x->detail = dup_or_null(s);
}

void rg_finding_set_fix(rg_finding *x, const char *s)
{
	free(x->fix);
	x->fix = dup_or_null(s);
}

void rg_finding_set_anchor(rg_finding *x, const char *file, int line)
{
	free(x->anchor);
	x->anchor = dup_or_null(file);
	x->anchor_line = file ? line : 0;
}

void rg_findings_info(rg_findings *f, const char *fmt, ...)
{
	va_list ap;

	RG_GROW(f->infos, f->infos_alloc, f->ninfos + 1);
	va_start(ap, fmt);
	f->infos[f->ninfos++] = rg_vprintf(fmt, ap);
	va_end(ap);
}

size_t rg_findings_count(const rg_findings *f, int severity)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		if (f->v[i].severity == severity)
			n++;
	return n;
}

const char *rg_severity_name(int sev)
{
	switch (sev) {
	case RG_SEV_ERROR: return "error";
	case RG_SEV_WARN: return "warning";
	case RG_SEV_NOTE: return "note";
	default: return "off";
	}
}

int rg_severity_parse(int *out, const char *s)
{
	if (!strcasecmp(s, "error"))
		*out = RG_SEV_ERROR;
	else if (!strcasecmp(s, "warn") || !strcasecmp(s, "warning"))
		*out = RG_SEV_WARN;
	else if (!strcasecmp(s, "off") || !strcasecmp(s, "none"))
		*out = RG_SEV_OFF;
	else
		return RG_ERROR;
	return RG_OK;
}
