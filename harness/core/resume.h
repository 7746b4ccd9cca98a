/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resume.h - `xdplab run --resume DIR`: finish a run that was killed, failed
 * or interrupted.  The run is replayed as it was: the verbatim config and the
 * command-line options recorded in DIR/context.json, the same loops in the
 * same order (nothing in a run is random but the fixtures, whose seed is
 * fixed).  A measurement whose identity (file, experiment, system, mode,
 * target rate, trial) has a row in DIR is not measured again: its recorded
 * row is handed back (xl_resume_take), so every decision the run makes from
 * its trials (capacities, probes, an NDR search) comes out as before.  An
 * equal-load experiment whose common rate was recorded keeps that rate
 * (context.json "load"), and the generator's recorded ceiling is kept, so
 * new trials run at exactly the rate of the recorded ones.  Only the missing
 * trials are measured and appended to DIR's files.
 *
 * DIR is refused (one line, exit code below) when it is not a results
 * directory of `xdplab run` (2), is complete (2), belongs to a running xdplab
 * (2), was made by another build or kernel (7), or when a CONFIG given with
 * --resume is not the one recorded (3).
 */
#ifndef XL_RESUME_H
#define XL_RESUME_H

#include <stdbool.h>
#include <json-c/json.h>

struct xl_resume;
struct xl_trial;
struct xl_row_store;

/*
 * Check that dir can be resumed here (config: a CONFIG named on the command
 * line, or NULL) and load what it recorded; rows of the per-trial files that
 * belong to no completed trial are dropped.  0 or -1 after xl_fail().
 */
int xl_resume_open(const char *dir, const char *config, struct xl_resume **out);
void xl_resume_free(struct xl_resume *rs);

/* What the run recorded: absolute directory, config path and text, command. */
const char *xl_resume_dir(const struct xl_resume *rs);
const char *xl_resume_config_path(const struct xl_resume *rs);
const char *xl_resume_config_text(const struct xl_resume *rs);
/* The recorded command (argv of `run`), NULL-terminated; argc in *argc. */
char **xl_resume_command(struct xl_resume *rs, int *argc);
/* Completed rows of results.csv. */
int xl_resume_rows(const struct xl_resume *rs);

/*
 * The recorded context.json to continue (status removed), with this attempt
 * appended to its "resumed" list; a new reference.
 */
json_object *xl_resume_context(struct xl_resume *rs, int argc, char **argv,
			       const char *testbed_prefix);

/*
 * A measurement the resumed run completed: fill st with its recorded row and
 * return true (file: NULL for results.csv, or "calibration.csv").  rs NULL: false.
 */
bool xl_resume_take(struct xl_resume *rs, const struct xl_trial *m, const char *file,
		    struct xl_row_store *st);
/* The common rate recorded for experiment exp, if any, replaces *rate (and *bound). */
void xl_resume_rate(const struct xl_resume *rs, const char *exp, double *rate, bool *bound);
/* The recorded generator ceiling, if any, replaces *pps. */
/* The generator's ceilings the resumed run recorded (unchanged when it has none). */
void xl_resume_ceiling(const struct xl_resume *rs, double *pps, double *one_copy_pps);

#endif
