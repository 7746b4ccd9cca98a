// SPDX-License-Identifier: GPL-2.0
/*
 * resume_csv.c - the CSV files of a results directory as `run --resume` reads
 * them (resume_csv.h): a header and rows of fields, RFC 4180 quoting as
 * results.c writes it.  A last line without its newline is a row the killed
 * process was writing: it is not a row, and is cut off the file.  Rows of the
 * per-trial files that belong to no row of results.csv (the process died
 * between writing them and the trial's results row) are dropped, so that the
 * trial measured again does not appear twice.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "resume_csv.h"
#include "util.h"

/* Split one line (no newline) into fields; returns the count or -ENOMEM. */
static int split(const char *line, char ***out)
{
	char **f = NULL, *cur = malloc(strlen(line) + 1);
	int n = 0, cap = 0;
	const char *p = line;

	if (!cur)
		return -ENOMEM;
	for (;;) {
		size_t k = 0;

		if (*p == '"') {
			for (p++; *p; p++) {
				if (*p == '"' && p[1] == '"')
					cur[k++] = *++p;
				else if (*p == '"')
					break;
				else
					cur[k++] = *p;
			}
			if (*p == '"')
				p++;
		}
		while (*p && *p != ',')
			cur[k++] = *p++;
		cur[k] = 0;
		if (n == cap) {
			char **nf = realloc(f, (cap = cap ? 2 * cap : 16) * sizeof(*f));

			if (!nf)
				goto nomem;
			f = nf;
		}
		if (!(f[n++] = strdup(cur)))
			goto nomem;
		if (*p != ',')
			break;
		p++;
	}
	free(cur);
	*out = f;
	return n;
nomem:
	while (n > 0)
		free(f[--n]);
	free(f);
	free(cur);
	return -ENOMEM;
}

static void free_fields(char **f, int n)
{
	for (int i = 0; i < n; i++)
		free(f[i]);
	free(f);
}

void xl_csv_free(struct xl_csv *t)
{
	free_fields(t->cols, t->ncols);
	for (int i = 0; i < t->nrows; i++)
		free_fields(t->rows[i].f, t->rows[i].nf);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

int xl_csv_col(const struct xl_csv *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

const char *xl_csv_get(const struct xl_csv *t, const struct xl_csv_row *r, const char *name)
{
	int c = xl_csv_col(t, name);

	return c >= 0 && c < r->nf ? r->f[c] : "";
}

/* Read dir/name: complete lines only.  -ENOENT if the file is not there. */
static int read_lines(const char *dir, const char *name, char **text, size_t *len, bool *cut)
{
	char path[PATH_MAX];
	FILE *f, *m;
	char buf[4096];
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	*text = NULL;
	m = open_memstream(text, len);
	if (!m) {
		fclose(f);
		return -ENOMEM;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, m);
	fclose(f);
	fclose(m);
	/* A last line without its newline was being written when the process died. */
	*cut = false;
	while (*len && (*text)[*len - 1] != '\n') {
		(*len)--;
		*cut = true;
	}
	(*text)[*len] = 0;
	return 0;
}

int xl_csv_load(const char *dir, const char *name, struct xl_csv *t)
{
	char *text, *line, *save = NULL;
	size_t len;
	bool cut;
	int err;

	memset(t, 0, sizeof(*t));
	err = read_lines(dir, name, &text, &len, &cut);
	if (err)
		return err;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char **f;
		int n = split(line, &f);

		if (n < 0) {
			err = n;
			break;
		}
		if (!t->cols) {
			t->cols = f;
			t->ncols = n;
			continue;
		}
		if (t->nrows == t->cap) {
			struct xl_csv_row *nr =
				realloc(t->rows, (t->cap = t->cap ? 2 * t->cap : 64) * sizeof(*nr));

			if (!nr) {
				free_fields(f, n);
				err = -ENOMEM;
				break;
			}
			t->rows = nr;
		}
		t->rows[t->nrows++] = (struct xl_csv_row){ .f = f, .nf = n };
	}
	free(text);
	if (err)
		xl_csv_free(t);
	return err;
}

/* Does row r of t match some row of results on every key column? */
static bool has_trial(const struct xl_csv *t, const struct xl_csv_row *r,
		      const struct xl_csv *results, const char *const *keys)
{
	for (int i = 0; i < results->nrows; i++) {
		bool same = true;

		for (int k = 0; keys[k] && same; k++)
			same = !strcmp(xl_csv_get(t, r, keys[k]),
				       xl_csv_get(results, &results->rows[i], keys[k]));
		if (same)
			return true;
	}
	return false;
}

/*
 * The files of a run and which of their rows a resume keeps: all (results.csv,
 * calibration.csv: written when a trial ends), those of a completed trial
 * (written by the trial before its results row), or none (ndr.csv: each
 * search is replayed from its trials and writes its row again).
 */
#define ALL ((const char *const[]){ "", NULL })
#define NONE ((const char *const[]){ NULL })
static const struct {
	const char *name;
	const char *const *keys; /* columns that name the trial */
} files[] = {
	{ "results.csv", ALL },
	{ "calibration.csv", ALL },
	{ "latency.csv",
	  (const char *const[]){ "experiment", "system", "mode", "target_pps", "trial", NULL } },
	{ "latency_hist.csv",
	  (const char *const[]){ "experiment", "system", "mode", "target_pps", "trial", NULL } },
	{ "profile.csv", (const char *const[]){ "experiment", "system", "mode", "trial", NULL } },
	/* Written in the first trial of a system and mode: kept when that trial completed. */
	{ "programs.csv", (const char *const[]){ "system", "mode", NULL } },
	{ "ndr.csv", NONE },
};

int xl_csv_prune(const char *dir, const struct xl_csv *results, int *dropped)
{
	*dropped = 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *text, *line, *save = NULL, path[PATH_MAX];
		bool all = files[i].keys[0] && !files[i].keys[0][0], cut, changed;
		struct xl_csv t = {};
		FILE *m;
		char *out = NULL;
		size_t len, olen;
		int err = read_lines(dir, files[i].name, &text, &len, &cut);

		if (err == -ENOENT)
			continue;
		if (err)
			return err;
		changed = cut;
		m = open_memstream(&out, &olen);
		for (line = strtok_r(text, "\n", &save); m && line;
		     line = strtok_r(NULL, "\n", &save)) {
			struct xl_csv_row r = {};
			bool keep = true;

			if (t.cols) {
				r.nf = split(line, &r.f);
				keep = all || (files[i].keys[0] && r.nf > 0 &&
					       has_trial(&t, &r, results, files[i].keys));
				if (r.nf > 0)
					free_fields(r.f, r.nf);
			} else if ((t.ncols = split(line, &t.cols)) < 0) {
				t.cols = NULL;
				t.ncols = 0;
			}
			if (keep) {
				fprintf(m, "%s\n", line);
			} else {
				(*dropped)++;
				changed = true;
			}
		}
		if (m)
			fclose(m);
		free(text);
		xl_csv_free(&t);
		if (!out)
			return -ENOMEM;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		err = changed ? xl_atomic_write(path, out, olen) : 0;
		free(out);
		if (err)
			return err;
	}
	return 0;
}
