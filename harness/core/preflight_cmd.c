// SPDX-License-Identifier: GPL-2.0
/*
 * preflight_cmd.c - the testbed preflight (testbed/preflight.h) for a config:
 * the (system, mode) pairs of its experiments, its generator and routing
 * fixtures, handed to the checks; used by `xdplab run` before the first trial
 * and by `xdplab testbed check CONFIG [--fix]`.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "config.h"
#include "preflight_cmd.h"
#include "sig.h"
#include "remote/remote.h"
#include "testbed/preflight.h"
#include "undo.h"
#include "xl_err.h"

static void pf_input(const struct xl_run_cfg *cfg, const struct xl_testbed *tb,
		     struct xl_pf_input *in)
{
	memset(in, 0, sizeof(*in));
	in->tb = tb;
	in->livefr = !strcmp(cfg->backend, "livefr");
	for (int r = 0; r < XL_NR_ROLES; r++)
		in->elsewhere[r] = xl_hosts_of(&cfg->hosts, r) != NULL;
	for (int e = 0; e < cfg->nexps; e++) {
		in->routes |= cfg->exps[e].routes > 0;
		in->lb |= cfg->exps[e].lb_vips > 0;
		in->rr |= cfg->exps[e].kind == XL_KIND_RR;
		for (int s = 0; s < cfg->exps[e].nsystems; s++)
			xl_pf_add_system(in, cfg->exps[e].sys[s].e, cfg->exps[e].sys[s].mode);
	}
}

int xl_run_preflight(const struct xl_run_cfg *cfg, const struct xl_testbed *tb, bool fix,
		     struct xl_undo_set *keep)
{
	struct xl_pf_input in;
	int n, far, fixed = 0;

	pf_input(cfg, tb, &in);
	n = xl_preflight(&in, fix, XL_PF_PROBLEMS, keep);
	/* Two hosts: the same checks on the other host's ports, by its agent. */
	far = n < 0 ? 0 : xl_remote_preflight(&in, fix, XL_PF_PROBLEMS, &fixed);
	if (far < 0)
		return -1;
	n += far;
	if (n > 0)
		return xl_fail(XL_EXIT_ENV,
			       "testbed check: %d problem%s (above): this testbed cannot measure "
			       "the config's systems; run the fix commands, or add --fix to apply "
			       "them for the run",
			       n, n == 1 ? "" : "s");
	return 0;
}

int xl_cmd_testbed_check(int argc, char **argv)
{
	struct xl_undo_set keep = {};
	struct xl_pf_input in;
	struct xl_run_cfg *cfg;
	struct xl_testbed tb;
	const char *path = NULL;
	bool fix = false;
	int n, rc, fixed;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--fix"))
			fix = true;
		else if (argv[i][0] == '-' || path)
			return xl_fail(XL_EXIT_USAGE, "testbed check: unexpected argument '%s'",
				       argv[i]),
			       XL_EXIT_USAGE;
		else
			path = argv[i];
	}
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return XL_EXIT_FAIL;
	if (xl_config_load(path ? path : "configs/default.ini", cfg) ||
	    (xl_config_drop_on_demand(cfg), xl_config_testbed(cfg, &tb)) || xl_testbed_up(&tb) ||
	    xl_remote_up(cfg, &tb)) {
		xl_remote_down();
		rc = xl_exit_code();
		goto out;
	}
	xl_sig_install();
	pf_input(cfg, &tb, &in);
	n = xl_preflight(&in, fix, XL_PF_ALL, &keep);
	fixed = keep.n;
	if (n >= 0) {
		int far = xl_remote_preflight(&in, fix, XL_PF_ALL, &fixed);

		n = far < 0 ? -1 : n + far;
	}
	/* What --fix changed is put back: the check leaves the machine as it found it. */
	xl_undo_set_run(&keep);
	xl_remote_down();
	xl_testbed_down(&tb);
	rc = n > 0 ? XL_EXIT_ENV : 0;
	if (n > 0)
		xl_fail(XL_EXIT_ENV, "testbed check: %d problem%s", n, n == 1 ? "" : "s");
	else if (n < 0)
		rc = xl_exit_code() ? xl_exit_code() : XL_EXIT_FAIL;
	else
		printf("testbed check: ready%s\n",
		       fixed ? " with the fixes above (restored now; `xdplab run --fix` "
			       "applies them for a run)"
			     : "");
out:
	xl_config_free(cfg);
	free(cfg);
	return rc;
}
