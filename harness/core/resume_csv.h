/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resume_csv.h - reading a results directory's CSV files back for `run
 * --resume` (resume.h), and dropping the rows no completed trial owns.
 */
#ifndef XL_RESUME_CSV_H
#define XL_RESUME_CSV_H

#include <stdbool.h>

struct xl_csv_row {
	char **f;
	int nf;
	bool used; /* handed back to the resumed run */
};

struct xl_csv {
	char **cols;
	int ncols;
	struct xl_csv_row *rows;
	int nrows, cap;
};

/* Load dir/name (complete lines only); 0, -ENOENT or -errno. */
int xl_csv_load(const char *dir, const char *name, struct xl_csv *t);
void xl_csv_free(struct xl_csv *t);
/* Column index of name, or -1. */
int xl_csv_col(const struct xl_csv *t, const char *name);
/* Field name of row r ("" when the column or field is missing). */
const char *xl_csv_get(const struct xl_csv *t, const struct xl_csv_row *r, const char *name);
/*
 * Rewrite the run's CSV files in dir: cut a last line without its newline,
 * drop the rows of per-trial files whose trial has no row in results (and
 * every row of ndr.csv); *dropped counts the rows dropped.  0 or -errno.
 */
int xl_csv_prune(const char *dir, const struct xl_csv *results, int *dropped);

#endif
