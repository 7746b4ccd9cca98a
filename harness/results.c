// SPDX-License-Identifier: GPL-2.0
/*
 * results.c - write one run's results directory: CSV rows as trials finish,
 * context.json at the end, then an atomic rename from the partial name to
 * results/<timestamp>/ and the results/latest symlink.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "results.h"
#include "context.h"
#include "util.h"
#include "xl_err.h"

const char *const xl_result_columns[] = {
	"experiment", "system",		"mode",
	"frame_size", "flows",		"cores",
	"trial",      "valid",		"invalid_reason",
	"target_pps", "offered_pps",	"dut_pps",
	"sink_pps",   "loss_pct",	"dut_cpu_pct",
	"ns_per_pkt", "gen_cpu_pct",	"steal_pct",
	"duration_s", "offered_pkts",	"dut_pkts",
	"sink_pkts",  "dut_rx_dropped", "dut_task_ns_per_pkt",
	NULL,
};

static void rm_tree(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[1024];

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR)
			rm_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* Partial directories of runs that died (kill -9) are removed on the next start. */
static void sweep_partials(const char *base)
{
	struct dirent *de;
	DIR *d = opendir(base);

	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *p = strstr(de->d_name, ".partial-");
		char path[1024];
		long pid;

		if (de->d_name[0] != '.' || !p)
			continue;
		pid = strtol(p + 9, NULL, 10);
		if (pid == getpid() || xl_pid_is_xdplab(pid))
			continue;
		snprintf(path, sizeof(path), "%s/%s", base, de->d_name);
		rm_tree(path);
	}
	closedir(d);
}

int xl_results_open(struct xl_results *r, const char *base, json_object *context)
{
	char stamp[32], path[600];
	time_t now = time(NULL);
	struct tm tm;

	memset(r, 0, sizeof(*r));
	r->log_fd = -1;
	if (mkdir(base, 0755) && errno != EEXIST)
		return xl_fail(XL_EXIT_ENV, "cannot create %s: %s", base, strerror(errno));
	sweep_partials(base);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(r->dir, sizeof(r->dir), "%s/%s", base, stamp);
	/* Two runs in the same second get distinct names. */
	for (int i = 2; access(r->dir, F_OK) == 0 && i < 100; i++)
		snprintf(r->dir, sizeof(r->dir), "%s/%s-%d", base, stamp, i);
	snprintf(r->tmpdir, sizeof(r->tmpdir), "%s/.%s.partial-%d", base, stamp, (int)getpid());
	if (mkdir(r->tmpdir, 0755))
		return xl_fail(XL_EXIT_ENV, "cannot create %s: %s", r->tmpdir, strerror(errno));
	snprintf(path, sizeof(path), "%s/results.csv", r->tmpdir);
	r->csv = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/run.log", r->tmpdir);
	r->log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (!r->csv || r->log_fd < 0) {
		xl_results_abort(r);
		return xl_fail(XL_EXIT_ENV, "cannot write into %s", r->tmpdir);
	}
	for (int i = 0; xl_result_columns[i]; i++)
		fprintf(r->csv, "%s%s", i ? "," : "", xl_result_columns[i]);
	fputc('\n', r->csv);
	fflush(r->csv);
	r->context = json_object_get(context);
	return 0;
}

static void put_num(FILE *f, double v, const char *fmt)
{
	fputc(',', f);
	if (!isnan(v))
		fprintf(f, fmt, v);
}

int xl_results_append(struct xl_results *r, const struct xl_trial_row *w)
{
	FILE *f = r->csv;

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
	fputc('\n', f);
	return fflush(f) ? -errno : 0;
}

FILE *xl_results_file(struct xl_results *r, const char *name, const char *header)
{
	char path[600];
	int i;

	for (i = 0; i < XL_MAX_EXTRA_FILES && r->extra[i]; i++)
		if (!strcmp(r->extra_name[i], name))
			return r->extra[i];
	if (i == XL_MAX_EXTRA_FILES)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", r->tmpdir, name);
	r->extra[i] = fopen(path, "w");
	if (!r->extra[i])
		return NULL;
	snprintf(r->extra_name[i], sizeof(r->extra_name[i]), "%s", name);
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
	int err;

	snprintf(path, sizeof(path), "%s/context.json", r->tmpdir);
	err = xl_json_write(path, r->context);
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
	if (r->tmpdir[0])
		rm_tree(r->tmpdir);
	r->tmpdir[0] = 0;
	json_object_put(r->context);
	r->context = NULL;
}
