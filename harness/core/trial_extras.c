// SPDX-License-Identifier: GPL-2.0
/*
 * trial_extras.c - programs.csv and profile.csv rows of a trial (trial_extras.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "trial_extras.h"
#include "collect/progstat.h"
#include "gen/pkt.h"
#include "xdp_attach.h"
#include "xl_err.h"

/* Runs per BPF_PROG_TEST_RUN call: ~1-20 ms per call for programs of 1-20 ns. */
#define XL_TEST_RUN_REPEAT 1000000
/* A replay's program run time: the mean over its first frames, the runs shared among them. */
#define XL_TEST_RUN_FRAMES 16

/*
 * The program's metrics on the frames the generator sends: the generated frame,
 * or the mean of each replayed frame's (the static fields are the same for all).
 */
static int measure_frames(const struct xl_trial *m, int fd, struct xl_progstat *st)
{
	unsigned int n = m->frames ? m->frames->n : 0;
	struct xl_pkt_spec spec;
	uint8_t frame[XL_MAX_FRAME];
	struct xl_progstat one;
	int err;

	if (!n) {
		xl_trial_pkt_spec(m, &spec);
		err = xl_pkt_build(&spec, frame, xl_pkt_len(m->frame_size));
		return err
			       ?: xl_progstat_measure(fd, frame, xl_pkt_len(m->frame_size),
						      XL_TEST_RUN_REPEAT, st);
	}
	if (n > XL_TEST_RUN_FRAMES)
		n = XL_TEST_RUN_FRAMES;
	for (unsigned int i = 0; i < n; i++) {
		const struct xl_replay_frame *fr = &m->frames->f[i];

		err = xl_progstat_measure(fd, fr->data, fr->len, XL_TEST_RUN_REPEAT / n, &one);
		if (err)
			return err;
		if (!i) {
			*st = one;
			st->ns_median = st->ns_min = st->ns_max = 0;
		}
		st->ns_median += one.ns_median / n;
		st->ns_min += one.ns_min / n;
		st->ns_max += one.ns_max / n;
	}
	return 0;
}

int xl_trial_program_row(const struct xl_trial *m, struct xl_system *sys)
{
	struct xl_progstat st;
	FILE *f;
	int err;

	err = measure_frames(m, xl_xdp_prog_fd(sys->xdp), &st);
	if (err) {
		xl_warn("%s: no BPF_PROG_TEST_RUN metrics: %s", m->sys->name, strerror(-err));
		return err;
	}
	f = xl_results_file(m->res, "programs.csv");
	if (!f)
		return -ENOMEM;
	fprintf(f, "%s,%s,%s,%u,%u,%u,%u,%u,%u,%u,%.1f,%.1f,%.1f,%u\n", m->sys->name,
		xl_sys_mode_name(m->mode), st.name, st.verified_insns, st.xlated_bytes,
		st.jited_bytes, st.maps, m->frame_size, st.repeat, st.calls, st.ns_median,
		st.ns_min, st.ns_max, st.retval);
	return fflush(f) ? -errno : 0;
}

int xl_trial_profile_start(const struct xl_trial *m, struct xl_trial_profile *p)
{
	char path[600];

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "%s/.perf-%s-%d.data", m->res->tmpdir, m->sys->name, m->trial);
	return xl_profile_start(&p->perf, m->tb->dut_cpus, m->tb->cores, path);
}

static void keep_symbol(void *ctx, const char *sym, double share)
{
	struct xl_trial_profile *p = ctx;

	if (p->n >= (int)(sizeof(p->share) / sizeof(p->share[0])))
		return;
	/* Commas and quotes cannot reach the CSV. */
	snprintf(p->sym[p->n], sizeof(p->sym[0]), "%s", sym);
	for (char *c = p->sym[p->n]; *c; c++)
		if (*c == ',' || *c == '"')
			*c = ';';
	p->share[p->n++] = share;
}

int xl_trial_profile_write(const struct xl_trial *m, struct xl_trial_profile *p,
			   const struct xl_trial_row *row)
{
	int err = xl_profile_stop(&p->perf, keep_symbol, p);
	FILE *f;

	if (err)
		return err;
	f = xl_results_file(m->res, "profile.csv");
	if (!f)
		return -ENOMEM;
	for (int i = 0; i < p->n; i++) {
		/* Samples cover the whole core, idle too: a symbol's cost per packet. */
		double ns =
			row->dut_cpu_pct > 0 ? p->share[i] / row->dut_cpu_pct * row->ns_per_pkt : 0;

		fprintf(f, "%s,%s,%s,%d,%s,%.2f,%.2f\n", m->exp_name, m->sys->name,
			xl_sys_mode_name(m->mode), m->trial, p->sym[i], p->share[i], ns);
	}
	return fflush(f) ? -errno : 0;
}
