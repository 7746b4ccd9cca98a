// SPDX-License-Identifier: GPL-2.0
/*
 * run_cmd.c - `xdplab run [CONFIG]`: parse options and the config, run the
 * experiments, then print the human summary (summary.c).  Files are the
 * results; the table is for people.  `run --resume DIR` parses the command
 * DIR recorded with the same option table and runs it again (resume.h).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "config.h"
#include "resume.h"
#include "runner.h"
#include "sig.h"
#include "summary.h"
#include "systems/system.h"
#include "util.h"
#include "xl_err.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xdplab run [CONFIG] [options]     (default CONFIG: configs/default.ini)\n"
		"  -n, --trials N        trials per system (overrides the config)\n"
		"  -t, --duration SEC    measured seconds per trial\n"
		"  -w, --warmup SEC      discarded seconds before each measurement\n"
		"  -o, --only EXP,...    run only these experiments of the config\n"
		"  -r, --results DIR     parent of the results directory (default: results)\n"
		"  -R, --resume DIR      finish the killed, failed or interrupted run in DIR: only\n"
		"                        its missing trials, with its recorded config and options\n"
		"  -s, --strict          exit 9 if any trial was invalid\n"
		"  -F, --fix             apply the testbed check's fixes for the run (restored\n"
		"                        at the end); without it a testbed that cannot measure\n"
		"                        a system stops the run (exit 7) with the fix commands\n"
		"  -q, --quiet           no progress on the terminal\n"
		"Results: DIR/<timestamp>/{results.csv,context.json,run.log}, DIR/latest -> newest.\n");
	{
		struct xl_catalog c = {};

		if (!xl_catalog_load_builtin(&c) && !xl_catalog_finish(&c))
			xl_catalog_print(&c, f);
		xl_catalog_free(&c);
	}
	xl_print_exit_codes(f);
}

/*
 * Load ro->config_path, keep the experiments asked for, apply the command-line
 * overrides, run, print the summary; returns the command's exit code.  Shared
 * by `run` and `ab`.
 */
int xl_run_config(struct xl_runner_opts *ro, const char *only, double trials, double duration,
		  double warmup, bool strict)
{
	struct xl_run_cfg *cfg;
	struct xl_run_summary sum;
	int err, invalid = 0;

	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return XL_EXIT_FAIL;
	err = ro->config_text ? xl_config_load_buf(ro->config_path, ro->config_text,
						   strlen(ro->config_text), cfg)
			      : xl_config_load(ro->config_path, cfg);
	if (!err)
		err = only ? xl_config_only(cfg, only) : (xl_config_drop_on_demand(cfg), 0);
	if (err) {
		xl_config_free(cfg);
		free(cfg);
		return xl_exit_code();
	}
	/* Command-line overrides apply to every experiment. */
	for (int i = 0; i < cfg->nexps; i++) {
		if (trials)
			cfg->exps[i].trials = trials;
		if (duration)
			cfg->exps[i].duration_s = duration;
		if (warmup >= 0)
			cfg->exps[i].warmup_s = warmup > 0 ? warmup : 1e-9;
	}
	xl_sig_install();
	err = xl_runner_run(cfg, ro, &sum);
	if (sum.nrows)
		xl_summary_print(&sum);
	for (int i = 0; i < sum.nrows; i++)
		invalid += !sum.rows[i].row.valid;
	if (sum.dir[0])
		printf("\nresults: %s%s\n", sum.dir, sum.interrupted ? " (interrupted)" : "");
	free(sum.rows);
	xl_config_free(cfg);
	free(cfg);
	if (sum.interrupted) {
		xl_fail(XL_EXIT_INTR, "interrupted; completed trials were kept");
		return XL_EXIT_INTR;
	}
	if (err)
		return xl_exit_code() ? xl_exit_code() : XL_EXIT_FAIL;
	if (invalid)
		xl_warn("%d trial%s invalid (see invalid_reason in results.csv)", invalid,
			invalid == 1 ? " was" : "s were");
	return strict && invalid ? XL_EXIT_INVALID : 0;
}

/* The options of one `run` command line. */
struct run_args {
	const char *only, *results, *config, *resume;
	double trials, duration, warmup;
	bool strict, quiet, help, fix;
};

/* Parse argv (argv[0] = "run"); 0, or the exit code after an error line. */
static int parse_args(int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
		{ "trials", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 't' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "only", required_argument, NULL, 'o' },
		{ "results", required_argument, NULL, 'r' },
		{ "resume", required_argument, NULL, 'R' },
		{ "strict", no_argument, NULL, 's' },
		{ "fix", no_argument, NULL, 'F' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL },
	};
	double v;
	int opt;

	*a = (struct run_args){ .results = "results", .warmup = -1 };
	optind = 0;
	while ((opt = getopt_long(argc, argv, "n:t:w:o:r:R:sFqh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (xl_parse_double(optarg, 1, 1000, &a->trials) ||
			    a->trials != (int)a->trials)
				goto bad;
			break;
		case 't':
			if (xl_parse_double(optarg, 0.1, 3600, &a->duration))
				goto bad;
			break;
		case 'w':
			if (xl_parse_double(optarg, 0, 600, &v))
				goto bad;
			a->warmup = v;
			break;
		case 'o': a->only = optarg; break;
		case 'r': a->results = optarg; break;
		case 'R': a->resume = optarg; break;
		case 's': a->strict = true; break;
		case 'F': a->fix = true; break;
		case 'q': a->quiet = true; break;
		case 'h': a->help = true; return 0;
		default: usage(stderr); return XL_EXIT_USAGE;
		}
	}
	if (optind < argc)
		a->config = argv[optind++];
	if (optind < argc)
		return xl_fail(XL_EXIT_USAGE, "unexpected argument '%s'", argv[optind]),
		       XL_EXIT_USAGE;
	return 0;
bad:
	xl_fail(XL_EXIT_USAGE, "bad value for --%s: '%s'",
		opt == 'n'   ? "trials"
		: opt == 't' ? "duration"
			     : "warmup",
		optarg);
	return XL_EXIT_USAGE;
}

/*
 * `run --resume DIR [CONFIG] [-q] [-s]`: the run recorded in DIR, with the
 * options it was started with (its recorded command), finished in DIR.
 */
static int resume_run(int argc, char **argv, const struct run_args *now)
{
	struct xl_runner_opts ro = { .argc = argc, .argv = argv, .quiet = now->quiet };
	struct run_args was;
	struct xl_resume *rs;
	char **cmd, **copy;
	int ncmd, rc;

	if (now->only || now->trials || now->duration || now->warmup >= 0 ||
	    strcmp(now->results, "results"))
		return xl_fail(XL_EXIT_USAGE, "--resume takes the run's own options: only "
					      "CONFIG, --quiet and --strict go with it"),
		       XL_EXIT_USAGE;
	if (xl_resume_open(now->resume, now->config, &rs))
		return xl_exit_code() ? xl_exit_code() : XL_EXIT_FAIL;
	/* getopt permutes its argv: parse a copy of the recorded command. */
	cmd = xl_resume_command(rs, &ncmd);
	copy = calloc(ncmd + 1, sizeof(*copy));
	if (!copy) {
		xl_resume_free(rs);
		return XL_EXIT_FAIL;
	}
	memcpy(copy, cmd, ncmd * sizeof(*copy));
	rc = parse_args(ncmd, copy, &was);
	if (!rc && (was.help || was.resume)) {
		xl_fail(XL_EXIT_USAGE, "cannot resume %s: its command is not a run", now->resume);
		rc = XL_EXIT_USAGE;
	}
	if (!rc) {
		ro.config_path = xl_resume_config_path(rs);
		ro.config_text = xl_resume_config_text(rs);
		ro.results_base = xl_resume_dir(rs);
		ro.resume = rs;
		rc = xl_run_config(&ro, was.only, was.trials, was.duration, was.warmup,
				   now->strict);
	}
	free(copy);
	xl_resume_free(rs);
	return rc;
}

int xl_cmd_run(int argc, char **argv)
{
	struct xl_runner_opts ro = { .argc = argc, .argv = argv };
	struct run_args a;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc;
	if (a.help) {
		usage(stdout);
		return 0;
	}
	if (a.resume)
		return resume_run(argc, argv, &a);
	ro.config_path = a.config ? a.config : "configs/default.ini";
	ro.results_base = a.results;
	ro.quiet = a.quiet;
	ro.fix = a.fix;
	return xl_run_config(&ro, a.only, a.trials, a.duration, a.warmup, a.strict);
}
