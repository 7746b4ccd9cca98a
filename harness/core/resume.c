// SPDX-License-Identifier: GPL-2.0
/*
 * resume.c - `xdplab run --resume DIR` (resume.h): the checks that DIR can be
 * finished by this build on this machine, the recorded rows handed back to
 * the replayed run in place of measurements, and the recorded rates it keeps.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "resume.h"
#include "resume_csv.h"
#include "schema.h"
#include "trial.h"
#include "context.h"
#include "undo.h"
#include "util.h"
#include "xl_err.h"

struct xl_resume {
	char dir[PATH_MAX];
	json_object *ctx; /* context.json as recorded */
	const char *config_path, *config_text; /* into ctx */
	char **cmd;
	int ncmd;
	struct xl_csv results, calib, latency;
};

const char *xl_resume_dir(const struct xl_resume *rs)
{
	return rs->dir;
}

const char *xl_resume_config_path(const struct xl_resume *rs)
{
	return rs->config_path;
}

const char *xl_resume_config_text(const struct xl_resume *rs)
{
	return rs->config_text;
}

char **xl_resume_command(struct xl_resume *rs, int *argc)
{
	*argc = rs->ncmd;
	return rs->cmd;
}

int xl_resume_rows(const struct xl_resume *rs)
{
	return rs ? rs->results.nrows : 0;
}

void xl_resume_free(struct xl_resume *rs)
{
	if (!rs)
		return;
	for (int i = 0; i < rs->ncmd; i++)
		free(rs->cmd[i]);
	free(rs->cmd);
	xl_csv_free(&rs->results);
	xl_csv_free(&rs->calib);
	xl_csv_free(&rs->latency);
	json_object_put(rs->ctx);
	free(rs);
}

static const char *ctx_str(json_object *ctx, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(ctx, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

/* A path DIR given as .<stamp>.partial-<pid> of a dead run: salvaged as <stamp>-killed. */
static void salvaged_name(const char *dir, char *out, size_t len)
{
	const char *slash = strrchr(dir, '/'), *base = slash ? slash + 1 : dir;
	const char *p = strstr(base, ".partial-");

	out[0] = 0;
	if (base[0] == '.' && p)
		snprintf(out, len, "%.*s%.*s-killed", (int)(base - dir), dir, (int)(p - base - 1),
			 base + 1);
}

/* Is this build on this machine the one that made the run?  0 or -1 after xl_fail(). */
static int same_build(const struct xl_resume *rs, const char *shown)
{
	json_object *now = xl_context_new(0, NULL);
	static const char *const keys[] = { "git_commit", "kernel" };
	int err = 0;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && !err; i++) {
		const char *was = ctx_str(rs->ctx, keys[i]), *is = ctx_str(now, keys[i]);

		if (!was || !is || strcmp(was, is))
			err = xl_fail(XL_EXIT_ENV,
				      "cannot resume %s: it ran with %s %s, this is %s", shown,
				      keys[i], was ? was : "(none)", is ? is : "(none)");
	}
	json_object_put(now);
	return err;
}

/* The recorded command, kept as argv for the option parser. */
static int load_command(struct xl_resume *rs, const char *shown)
{
	json_object *cmd;
	int n;

	if (!json_object_object_get_ex(rs->ctx, "command", &cmd) ||
	    !json_object_is_type(cmd, json_type_array) || !(n = json_object_array_length(cmd)))
		return xl_fail(XL_EXIT_USAGE, "cannot resume %s: context.json records no command",
			       shown);
	if (strcmp(json_object_get_string(json_object_array_get_idx(cmd, 0)), "run"))
		return xl_fail(XL_EXIT_USAGE,
			       "cannot resume %s: it was made by `xdplab %s`; only runs of "
			       "`xdplab run` can be resumed",
			       shown, json_object_get_string(json_object_array_get_idx(cmd, 0)));
	rs->cmd = calloc(n + 1, sizeof(*rs->cmd));
	if (!rs->cmd)
		return -ENOMEM;
	for (rs->ncmd = 0; rs->ncmd < n; rs->ncmd++)
		rs->cmd[rs->ncmd] =
			strdup(json_object_get_string(json_object_array_get_idx(cmd, rs->ncmd)));
	return 0;
}

/* A CONFIG named with --resume must be the config the run recorded. */
static int same_config(const struct xl_resume *rs, const char *config, const char *shown)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f, *m;
	char buf[4096];
	size_t n;
	int differ;

	if (!config)
		return 0;
	f = fopen(config, "r");
	if (!f)
		return xl_fail(XL_EXIT_CONFIG, "cannot read config %s: %s", config,
			       strerror(errno));
	m = open_memstream(&text, &len);
	while (m && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, m);
	if (m)
		fclose(m);
	fclose(f);
	differ = !text || strcmp(text, rs->config_text);
	free(text);
	if (differ)
		return xl_fail(XL_EXIT_CONFIG,
			       "cannot resume %s with %s: it is not the config the run recorded "
			       "(context.json config_text); leave CONFIG out to use that one",
			       shown, config);
	return 0;
}

static int check_dir(struct xl_resume *rs, const char *shown)
{
	char path[PATH_MAX + 32];
	const char *status, *header;
	int err;

	snprintf(path, sizeof(path), "%s/context.json", rs->dir);
	rs->ctx = json_object_from_file(path);
	err = rs->ctx ? xl_csv_load(rs->dir, "results.csv", &rs->results) : -ENOENT;
	if (err || !rs->results.cols)
		return xl_fail(XL_EXIT_USAGE,
			       "cannot resume %s: not a results directory (no readable "
			       "context.json and results.csv)",
			       shown);
	status = ctx_str(rs->ctx, "status");
	if (status && !strcmp(status, "complete"))
		return xl_fail(XL_EXIT_USAGE, "cannot resume %s: the run is complete", shown);
	err = load_command(rs, shown);
	if (err)
		return err;
	rs->config_path = ctx_str(rs->ctx, "config_path");
	rs->config_text = ctx_str(rs->ctx, "config_text");
	if (!rs->config_path || !rs->config_text)
		return xl_fail(XL_EXIT_USAGE,
			       "cannot resume %s: context.json holds no verbatim config", shown);
	if (same_build(rs, shown))
		return -1;
	/* The same build writes the same columns; a different header is not this build's file. */
	header = xl_schema_header("results.csv");
	for (int i = 0, off = 0; i < rs->results.ncols; i++) {
		size_t k = strlen(rs->results.cols[i]);

		if (strncmp(header + off, rs->results.cols[i], k) ||
		    (header[off + k] != ',' && header[off + k] != 0) ||
		    (i == rs->results.ncols - 1 && header[off + k]))
			return xl_fail(XL_EXIT_ENV,
				       "cannot resume %s: its results.csv has other columns than "
				       "this build writes",
				       shown);
		off += k + 1;
	}
	return 0;
}

int xl_resume_open(const char *dir, const char *config, struct xl_resume **out)
{
	struct xl_resume *rs = calloc(1, sizeof(*rs));
	char other[PATH_MAX];
	const char *cwd;
	int err, dropped;

	*out = NULL;
	if (!rs)
		return -ENOMEM;
	/* The journals of dead runs first: a killed run's directory gets its final name. */
	xl_undo_sweep(false);
	salvaged_name(dir, other, sizeof(other));
	if (!realpath(dir, rs->dir) && !(other[0] && realpath(other, rs->dir))) {
		err = xl_fail(XL_EXIT_USAGE, "cannot resume %s: %s", dir, strerror(errno));
		goto fail;
	}
	if (strstr(rs->dir, ".partial-")) {
		err = xl_fail(XL_EXIT_USAGE,
			      "cannot resume %s: a running xdplab process is writing it", dir);
		goto fail;
	}
	err = check_dir(rs, dir);
	if (!err)
		err = same_config(rs, config, dir);
	if (err)
		goto fail;
	/* Relative paths of the config (obj =, pcap =) mean what they meant for the run. */
	cwd = ctx_str(rs->ctx, "cwd");
	if (cwd && chdir(cwd)) {
		err = xl_fail(XL_EXIT_ENV, "cannot resume %s: cannot enter %s, where it ran: %s",
			      dir, cwd, strerror(errno));
		goto fail;
	}
	err = xl_csv_prune(rs->dir, &rs->results, &dropped);
	if (err) {
		err = xl_fail(XL_EXIT_FAIL, "cannot resume %s: %s", dir, strerror(-err));
		goto fail;
	}
	if (dropped)
		xl_info("resume: %d row%s of trials that did not complete dropped", dropped,
			dropped == 1 ? "" : "s");
	xl_csv_load(rs->dir, "calibration.csv", &rs->calib);
	xl_csv_load(rs->dir, "latency.csv", &rs->latency);
	xl_info("resuming %s: %d trial%s completed, the missing ones are measured now", rs->dir,
		rs->results.nrows, rs->results.nrows == 1 ? "" : "s");
	*out = rs;
	return 0;
fail:
	xl_resume_free(rs);
	return err < 0 ? err : -1;
}

json_object *xl_resume_context(struct xl_resume *rs, int argc, char **argv,
			       const char *testbed_prefix)
{
	json_object *ctx = NULL, *list, *entry, *cmd;
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;

	/* A copy: the recorded rates stay as recorded while the run adds its own. */
	if (json_object_deep_copy(rs->ctx, &ctx, NULL))
		return NULL;
	entry = json_object_new_object();
	cmd = json_object_new_array();
	json_object_object_del(ctx, "status");
	json_object_object_del(ctx, "status_detail");
	if (!json_object_object_get_ex(ctx, "resumed", &list)) {
		list = json_object_new_array();
		json_object_object_add(ctx, "resumed", list);
	}
	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(entry, "started_utc", json_object_new_string(buf));
	for (int i = 0; i < argc; i++)
		json_object_array_add(cmd, json_object_new_string(argv[i]));
	json_object_object_add(entry, "command", cmd);
	json_object_object_add(entry, "testbed_prefix", json_object_new_string(testbed_prefix));
	json_object_object_add(entry, "trials_kept", json_object_new_int(rs->results.nrows));
	json_object_array_add(list, entry);
	return ctx;
}

static double num(const struct xl_csv *t, const struct xl_csv_row *r, const char *col)
{
	const char *s = xl_csv_get(t, r, col);

	return *s ? strtod(s, NULL) : NAN;
}

static unsigned long long count(const struct xl_csv *t, const struct xl_csv_row *r, const char *col)
{
	return strtoull(xl_csv_get(t, r, col), NULL, 10);
}

/* The latency summary of a recorded latency trial, for the terminal table. */
static void fill_latency(struct xl_resume *rs, const struct xl_csv_row *r, struct xl_row_store *st)
{
	const struct xl_csv *l = &rs->latency, *t = &rs->results;
	static const char *const keys[] = { "experiment", "system", "mode", "target_pps", "trial" };

	for (int i = 0; i < l->nrows; i++) {
		bool same = true;

		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]) && same; k++)
			same = !strcmp(xl_csv_get(l, &l->rows[i], keys[k]),
				       xl_csv_get(t, r, keys[k]));
		if (!same)
			continue;
		st->latency = true;
		st->lat_min_us = num(l, &l->rows[i], "min_ns") / 1e3;
		st->lat_avg_us = num(l, &l->rows[i], "avg_ns") / 1e3;
		st->lat_p99_us = num(l, &l->rows[i], "p99_ns") / 1e3;
		st->lat_max_us = num(l, &l->rows[i], "max_ns") / 1e3;
		st->lat_under10 = num(l, &l->rows[i], "share_under_10us");
		return;
	}
}

/* The recorded row r of t as the trial computed it (strings point into t). */
static void fill_row(const struct xl_csv *t, const struct xl_csv_row *r, struct xl_row_store *st)
{
	static const char *const act[] = { "xdp_aborted", "xdp_drop", "xdp_pass", "xdp_tx",
					   "xdp_redirect" };
	struct xl_trial_row *w = &st->row;
	double final;

	memset(st, 0, sizeof(*st));
	w->experiment = xl_csv_get(t, r, "experiment");
	w->system = xl_csv_get(t, r, "system");
	w->mode = xl_csv_get(t, r, "mode");
	w->frame_size = count(t, r, "frame_size");
	w->flows = count(t, r, "flows");
	w->cores = count(t, r, "cores");
	w->trial = count(t, r, "trial");
	w->valid = count(t, r, "valid");
	w->invalid_reason = xl_csv_get(t, r, "invalid_reason");
	w->target_pps = num(t, r, "target_pps");
	w->offered_pps = num(t, r, "offered_pps");
	w->dut_pps = num(t, r, "dut_pps");
	w->sink_pps = num(t, r, "sink_pps");
	w->dut_cpu_pct = num(t, r, "dut_cpu_pct");
	w->ns_per_pkt = num(t, r, "ns_per_pkt");
	w->gen_cpu_pct = num(t, r, "gen_cpu_pct");
	w->steal_pct = num(t, r, "steal_pct");
	w->duration_s = num(t, r, "duration_s");
	w->offered_pkts = count(t, r, "offered_pkts");
	w->dut_pkts = count(t, r, "dut_pkts");
	w->sink_pkts = count(t, r, "sink_pkts");
	w->dut_rx_dropped = count(t, r, "dut_rx_dropped");
	w->dut_task_ns_per_pkt = num(t, r, "dut_task_ns_per_pkt");
	w->status = xl_csv_get(t, r, "status");
	w->invalid_detail = xl_csv_get(t, r, "invalid_detail");
	w->sink_rx_dropped = count(t, r, "sink_rx_dropped");
	w->has_act = *xl_csv_get(t, r, act[0]) != 0;
	for (int a = 0; a < 5; a++)
		w->act[a] = count(t, r, act[a]);
	w->act_from = xl_csv_get(t, r, "actions_from");
	w->gen_copies = count(t, r, "gen_copies");
	/* The loss exactly as the trial computed it (the column is rounded), from the counts. */
	final = *xl_csv_get(t, r, "sink_pkts") ? w->sink_pkts : w->dut_pkts;
	w->loss_pct = w->offered_pkts ? 100.0 * (w->offered_pkts - final) / w->offered_pkts
				      : num(t, r, "loss_pct");
	snprintf(st->detail, sizeof(st->detail), "%s", w->invalid_detail);
}

bool xl_resume_take(struct xl_resume *rs, const struct xl_trial *m, const char *file,
		    struct xl_row_store *st)
{
	struct xl_csv *t;
	const char *mode;

	if (!rs)
		return false;
	t = file ? &rs->calib : &rs->results;
	if (file && strcmp(file, "calibration.csv"))
		return false;
	mode = xl_sys_mode_name(m->mode);
	for (int i = 0; i < t->nrows; i++) {
		struct xl_csv_row *r = &t->rows[i];
		double rate = num(t, r, "target_pps");

		if (r->used || count(t, r, "trial") != (unsigned long long)m->trial ||
		    strcmp(xl_csv_get(t, r, "experiment"), m->exp_name) ||
		    strcmp(xl_csv_get(t, r, "system"), m->sys->name) ||
		    strcmp(xl_csv_get(t, r, "mode"), mode) ||
		    !(fabs(rate - m->rate) < 1 + 1e-6 * m->rate))
			continue;
		r->used = true;
		fill_row(t, r, st);
		if (!file)
			fill_latency(rs, r, st);
		return true;
	}
	return false;
}

/* experiment exp's object in the recorded context.json "load", or NULL. */
static json_object *load_note(const struct xl_resume *rs, const char *exp)
{
	json_object *load, *note;

	if (!rs || !json_object_object_get_ex(rs->ctx, "load", &load) ||
	    !json_object_object_get_ex(load, exp, &note))
		return NULL;
	return note;
}

void xl_resume_rate(const struct xl_resume *rs, const char *exp, double *rate, bool *bound)
{
	json_object *note = load_note(rs, exp), *v;

	if (!note || !json_object_object_get_ex(note, "common_pps", &v))
		return;
	*rate = json_object_get_double(v);
	if (json_object_object_get_ex(note, "ceiling_bound", &v))
		*bound = json_object_get_boolean(v);
	xl_info("[experiment %s]: the common rate recorded by the resumed run, %.0f pps", exp,
		*rate);
}

void xl_resume_ceiling(const struct xl_resume *rs, double *pps, double *one_copy_pps)
{
	json_object *v, *relay;

	if (rs && json_object_object_get_ex(rs->ctx, "generator_ceiling_pps", &v) &&
	    json_object_get_double(v) > 0)
		*pps = json_object_get_double(v);
	if (rs && json_object_object_get_ex(rs->ctx, "generator_relay", &relay) &&
	    json_object_object_get_ex(relay, "one_copy_ceiling_pps", &v) &&
	    json_object_get_double(v) > 0)
		*one_copy_pps = json_object_get_double(v);
}
