// SPDX-License-Identifier: GPL-2.0
/*
 * results.c - write one run's results directory: CSV rows as trials finish
 * (flushed and fsync'ed once per trial, with context.json), context.json at
 * the start (status "running") and at the end, then an atomic rename from the
 * partial name to results/<timestamp>/ and the results/latest symlink.  The
 * INCOMPLETE marker is there from the start and removed only when the run
 * completes.  If the process dies (SIGKILL), the next xdplab process keeps the
 * directory as results/<timestamp>-killed (undo kind "salvage"); an error in
 * this process keeps it as <timestamp>-failed when a trial had completed, and
 * removes it otherwise.  `run --resume` reopens such a directory in place
 * (xl_results_reopen) and appends to its files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "results.h"
#include "schema.h"
#include "context.h"
#include "undo.h"
#include "util.h"
#include "xl_err.h"

/* An error in this process: keep the completed trials (status "failed"), or remove it. */
static void fail_partial(void *arg)
{
	struct xl_results *r = arg;
	const char *args[] = { r->abs_tmpdir, r->abs_final, "failed", NULL };

	xl_undo_replay("salvage", args);
}

/* fflush and fsync one file of the run; 0 or -errno. */
static int sync_file(FILE *f)
{
	if (!f)
		return 0;
	if (fflush(f) || fsync(fileno(f)))
		return -errno;
	return 0;
}

int xl_results_sync(struct xl_results *r)
{
	int err = sync_file(r->csv);

	for (int i = 0; i < XL_MAX_EXTRA_FILES; i++)
		if (sync_file(r->extra[i]) && !err)
			err = -EIO;
	if (xl_results_checkpoint(r) && !err)
		err = -EIO;
	return err;
}

int xl_results_checkpoint(struct xl_results *r)
{
	char path[600];
	bool added = false;
	int err;

	if (!r->tmpdir[0] || !r->context)
		return 0;
	if (!json_object_object_get_ex(r->context, "status", NULL)) {
		json_object_object_add(r->context, "status", json_object_new_string("running"));
		added = true;
	}
	snprintf(path, sizeof(path), "%s/context.json", r->tmpdir);
	err = xl_json_write(path, r->context);
	if (added)
		json_object_object_del(r->context, "status"); /* the runner sets the final one */
	return err;
}

/* PATH-killed or PATH-failed exists: PATH is the name that run takes back when resumed. */
static bool taken_killed(const char *path)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s-killed", path);
	if (!access(p, F_OK))
		return true;
	snprintf(p, sizeof(p), "%s-failed", path);
	return !access(p, F_OK);
}

/* What a later process needs to know about a directory left incomplete. */
static int write_marker(const char *dir)
{
	static const char text[] =
		"This run did not complete: context.json \"status\" says why, and results.csv\n"
		"holds the trials it completed.  `xdplab run --resume DIR` runs the missing\n"
		"trials with the same config and appends them here.\n";
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/" XL_INCOMPLETE_MARKER, dir);
	return xl_atomic_write(path, text, sizeof(text) - 1);
}

/* Record the partial directory in the cleanup registry (salvaged if this process dies). */
static void record_partial(struct xl_results *r)
{
	char abs[PATH_MAX];

	/* Absolute: another process (after a SIGKILL) replays it from its own cwd. */
	if (!realpath(r->tmpdir, abs))
		snprintf(abs, sizeof(abs), "%s", r->tmpdir);
	snprintf(r->abs_tmpdir, sizeof(r->abs_tmpdir), "%s", abs);
	snprintf(r->abs_final, sizeof(r->abs_final), "%.*s/%s", (int)(strrchr(abs, '/') - abs), abs,
		 strrchr(r->dir, '/') + 1);
	r->undo = xl_undo_add("salvage", r->abs_tmpdir, r->abs_final, NULL);
	/* This process keeps completed trials of a failed run, and removes an empty one. */
	xl_undo_set_fn(r->undo, fail_partial, r);
}

/* Open results.csv and run.log of r->tmpdir (appending: a resumed run continues them). */
static int open_files(struct xl_results *r, json_object *context)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/results.csv", r->tmpdir);
	r->csv = fopen(path, "a");
	snprintf(path, sizeof(path), "%s/run.log", r->tmpdir);
	r->log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (!r->csv || r->log_fd < 0 || write_marker(r->tmpdir)) {
		xl_results_abort(r);
		return xl_fail(XL_EXIT_ENV, "cannot write into %s", r->tmpdir);
	}
	if (ftell(r->csv) == 0)
		fprintf(r->csv, "%s\n", xl_schema_header("results.csv"));
	r->context = json_object_get(context);
	if (sync_file(r->csv) || xl_results_checkpoint(r)) {
		xl_results_abort(r);
		return xl_fail(XL_EXIT_ENV, "cannot write into %s", r->tmpdir);
	}
	return 0;
}

int xl_results_open(struct xl_results *r, const char *base, json_object *context)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	memset(r, 0, sizeof(*r));
	r->log_fd = -1;
	if (mkdir(base, 0755) && errno != EEXIST)
		return xl_fail(XL_EXIT_ENV, "cannot create %s: %s", base, strerror(errno));
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(r->dir, sizeof(r->dir), "%s/%s", base, stamp);
	/* Two runs in the same second get distinct names (also with a -killed twin). */
	for (int i = 2; i < 100 && (!access(r->dir, F_OK) || taken_killed(r->dir)); i++)
		snprintf(r->dir, sizeof(r->dir), "%s/%s-%d", base, stamp, i);
	snprintf(r->tmpdir, sizeof(r->tmpdir), "%s/.%s.partial-%d", base, strrchr(r->dir, '/') + 1,
		 (int)getpid());
	if (mkdir(r->tmpdir, 0755))
		return xl_fail(XL_EXIT_ENV, "cannot create %s: %s", r->tmpdir, strerror(errno));
	record_partial(r);
	return open_files(r, context);
}

/* A killed or failed run's name without its suffix: what it is called once complete. */
static void final_name(const char *name, char *out, size_t len)
{
	static const char *const suffixes[] = { "-killed", "-failed" };
	size_t n = strlen(name);

	snprintf(out, len, "%s", name);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = strlen(suffixes[i]);

		if (n > k && n < len && !strcmp(name + n - k, suffixes[i]))
			out[n - k] = 0;
	}
}

int xl_results_reopen(struct xl_results *r, const char *dir, json_object *context)
{
	char parent[PATH_MAX], name[256], final[256];
	const char *slash = strrchr(dir, '/');

	memset(r, 0, sizeof(*r));
	r->log_fd = -1;
	if (!slash || slash == dir)
		return xl_fail(XL_EXIT_USAGE, "cannot resume %s: give its path", dir);
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - dir), dir);
	snprintf(name, sizeof(name), "%s", slash + 1);
	final_name(name, final, sizeof(final));
	snprintf(r->dir, sizeof(r->dir), "%s/%s", parent, final);
	/* The name it had before it was killed is taken by another directory: keep this one's. */
	if (strcmp(final, name) && access(r->dir, F_OK) == 0) {
		snprintf(final, sizeof(final), "%s", name);
		snprintf(r->dir, sizeof(r->dir), "%s/%s", parent, name);
	}
	snprintf(r->tmpdir, sizeof(r->tmpdir), "%s/.%s.partial-%d", parent, final, (int)getpid());
	if (rename(dir, r->tmpdir))
		return xl_fail(XL_EXIT_ENV, "cannot resume %s: %s", dir, strerror(errno));
	record_partial(r);
	return open_files(r, context);
}

/* A text field, quoted as RFC 4180 says when it holds a comma, quote or newline. */
static void put_str(FILE *f, const char *s)
{
	fputc(',', f);
	if (!s)
		return;
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputc('"', f);
}

static int write_row(FILE *f, const struct xl_trial_row *w);

static void put_num(FILE *f, double v, const char *fmt)
{
	fputc(',', f);
	if (!isnan(v))
		fprintf(f, fmt, v);
}

/* A trial's row ends the trial: it and everything the trial wrote reach the disk now. */
int xl_results_append(struct xl_results *r, const struct xl_trial_row *w)
{
	int err = write_row(r->csv, w);

	return xl_results_sync(r) && !err ? -EIO : err;
}

int xl_results_append_to(struct xl_results *r, const char *name, const struct xl_trial_row *w)
{
	FILE *f = xl_results_file(r, name);
	int err = f ? write_row(f, w) : -ENOMEM;

	return f && xl_results_sync(r) && !err ? -EIO : err;
}

static int write_row(FILE *f, const struct xl_trial_row *w)
{

	/* Free-text fields never contain commas or quotes (checked where they are made). */
	fprintf(f, "%s,%s,%s,%u,%u,%d,%d,%d,%s", w->experiment, w->system, w->mode, w->frame_size,
		w->flows, w->cores, w->trial, w->valid ? 1 : 0,
		w->invalid_reason ? w->invalid_reason : "");
	put_num(f, w->target_pps, "%.0f");
	put_num(f, w->offered_pps, "%.1f");
	put_num(f, w->dut_pps, "%.1f");
	put_num(f, w->sink_pps, "%.1f");
	put_num(f, w->loss_pct, "%.4f");
	put_num(f, w->dut_cpu_pct, "%.2f");
	put_num(f, w->ns_per_pkt, "%.2f");
	put_num(f, w->gen_cpu_pct, "%.2f");
	put_num(f, w->steal_pct, "%.2f");
	put_num(f, w->duration_s, "%.4f");
	fprintf(f, ",%llu,%llu,", (unsigned long long)w->offered_pkts,
		(unsigned long long)w->dut_pkts);
	if (!isnan(w->sink_pps))
		fprintf(f, "%llu", (unsigned long long)w->sink_pkts);
	fprintf(f, ",%llu", (unsigned long long)w->dut_rx_dropped);
	put_num(f, w->dut_task_ns_per_pkt, "%.3f");
	put_str(f, w->status);
	put_str(f, w->invalid_detail);
	fprintf(f, ",%llu", (unsigned long long)w->sink_rx_dropped);
	for (int a = 0; a < 5; a++)
		if (w->has_act)
			fprintf(f, ",%llu", (unsigned long long)w->act[a]);
		else
			fprintf(f, ",");
	put_str(f, w->act_from);
	put_num(f, w->rr_tps, "%.1f");
	if (isnan(w->rr_tps))
		fprintf(f, ",");
	else
		fprintf(f, ",%llu", (unsigned long long)w->rr_stalls);
	if (w->has_lb)
		fprintf(f, ",%u,%u,%u,%.1f,%u,%llu,%llu,%llu,%llu", w->lb_flows, w->lb_reals_hit,
			w->lb_fpr_min, w->lb_fpr_median, w->lb_fpr_max,
			(unsigned long long)w->lb_moved, (unsigned long long)w->lb_malformed,
			(unsigned long long)w->lb_ipip, (unsigned long long)w->lb_plain);
	else
		fprintf(f, ",,,,,,,,,");
	if (w->gen_copies)
		fprintf(f, ",%u", w->gen_copies);
	else
		fprintf(f, ",");
	fprintf(f, "\n");
	return fflush(f) ? -errno : 0;
}

FILE *xl_results_file(struct xl_results *r, const char *name)
{
	const char *header = xl_schema_header(name);
	char path[600];
	int i;

	for (i = 0; i < XL_MAX_EXTRA_FILES && r->extra[i]; i++)
		if (!strcmp(r->extra_name[i], name))
			return r->extra[i];
	if (i == XL_MAX_EXTRA_FILES || !header)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", r->tmpdir, name);
	/* Appending: a resumed run continues the file its first run began. */
	r->extra[i] = fopen(path, "a");
	if (!r->extra[i])
		return NULL;
	snprintf(r->extra_name[i], sizeof(r->extra_name[i]), "%s", name);
	if (ftell(r->extra[i]) == 0)
		fprintf(r->extra[i], "%s\n", header);
	return r->extra[i];
}

static int close_extra(struct xl_results *r)
{
	int err = 0;

	for (int i = 0; i < XL_MAX_EXTRA_FILES; i++) {
		if (r->extra[i] && fclose(r->extra[i]))
			err = -errno;
		r->extra[i] = NULL;
	}
	return err;
}

int xl_results_commit(struct xl_results *r)
{
	char path[600], link[600];
	const char *slash;
	json_object *st;
	int err;

	snprintf(path, sizeof(path), "%s/context.json", r->tmpdir);
	err = xl_json_write(path, r->context);
	/* Only a complete run loses its marker; an interrupted one can be resumed. */
	if (!err && json_object_object_get_ex(r->context, "status", &st) &&
	    !strcmp(json_object_get_string(st), "complete")) {
		snprintf(path, sizeof(path), "%s/" XL_INCOMPLETE_MARKER, r->tmpdir);
		if (unlink(path) && errno != ENOENT)
			err = -errno;
	}
	if (sync_file(r->csv) && !err)
		err = -EIO;
	for (int i = 0; i < XL_MAX_EXTRA_FILES; i++)
		if (sync_file(r->extra[i]) && !err)
			err = -EIO;
	if (fclose(r->csv) && !err)
		err = -errno;
	r->csv = NULL;
	if (close_extra(r) && !err)
		err = -EIO;
	if (r->log_fd >= 0)
		close(r->log_fd);
	r->log_fd = -1;
	if (!err && rename(r->tmpdir, r->dir))
		err = -errno;
	if (!err) {
		xl_undo_drop(r->undo); /* the directory is the run's result now */
		r->undo = 0;
	}
	if (err) {
		xl_results_abort(r);
		return xl_fail(XL_EXIT_FAIL, "cannot finish %s: %s", r->dir, strerror(-err));
	}
	/* results/latest -> <timestamp> (relative, so the tree can be moved). */
	slash = strrchr(r->dir, '/');
	snprintf(link, sizeof(link), "%.*s/latest.tmp", (int)(slash - r->dir), r->dir);
	unlink(link);
	if (symlink(slash + 1, link) == 0) {
		snprintf(path, sizeof(path), "%.*s/latest", (int)(slash - r->dir), r->dir);
		rename(link, path);
	}
	json_object_put(r->context);
	r->context = NULL;
	return 0;
}

void xl_results_abort(struct xl_results *r)
{
	if (r->csv)
		fclose(r->csv);
	r->csv = NULL;
	close_extra(r);
	if (r->log_fd >= 0)
		close(r->log_fd);
	r->log_fd = -1;
	if (r->undo > 0)
		xl_undo_run(r->undo);
	r->undo = 0;
	r->tmpdir[0] = 0;
	json_object_put(r->context);
	r->context = NULL;
}
