/* SPDX-License-Identifier: GPL-2.0 */
/*
 * preflight.h - everything a measurement needs from a testbed, checked before
 * the first trial (`xdplab testbed check CONFIG`, and the start of `xdplab run`).
 * Checks are a table (preflight.c): each looks at one role's port, is needed by
 * the systems of the config that depend on it, and names what is missing in one
 * line together with the command that fixes it.  With fix set, the fixes that
 * are commands are applied, each recorded in the cleanup registry with its
 * inverse (kept in the caller's set), and the checks run again.
 */
#ifndef XL_PREFLIGHT_H
#define XL_PREFLIGHT_H

#include <stdbool.h>
#include "testbed.h"
#include "undo.h"
#include "systems/catalog.h"

struct xl_pf_sys {
	const struct xl_sys_entry *e;
	enum xl_sys_mode mode;
};

#define XL_PF_MAX_SYS 64

struct xl_pf_input {
	const struct xl_testbed *tb; /* up: ports resolved */
	struct xl_pf_sys sys[XL_PF_MAX_SYS]; /* every (system, mode) of the run, once */
	int nsys;
	bool livefr; /* the generator is the live-frames backend */
	bool routes; /* an experiment loads routes via the sink's address (fixtures) */
	bool lb; /* an experiment routes the load balancer's ranges via the generator's */
	bool rr; /* an experiment runs the TCP request/response workload (kind = rr) */
	bool elsewhere[XL_NR_ROLES]; /* two-host mode: ports on another host, not checked here */
	/*
	 * Optional: where each printed line goes instead (tag "ok", "warn", "FAIL",
	 * "fixed"; msg without the tag): the agent of another host sends them back.
	 */
	void (*line)(void *ctx, const char *tag, const char *msg);
	void *line_ctx;
};

/* Add a (system, mode) pair unless it is there already. */
void xl_pf_add_system(struct xl_pf_input *in, const struct xl_sys_entry *e, enum xl_sys_mode m);

enum xl_pf_report {
	XL_PF_PROBLEMS, /* problems only, to stderr ("xdplab: preflight: ...") */
	XL_PF_ALL, /* every check, one line each, to stdout */
};

/* One line of a check as xl_preflight prints it; host: "" or "host NAME: " (another host's). */
void xl_pf_print(enum xl_pf_report report, const char *tag, const char *host, const char *msg);

/*
 * Run the checks.  Returns the number of problems that stop a measurement
 * (0: the testbed can measure every system), or -errno if a check could not run.
 * fix: apply the fixes that are commands, undo entries kept in keep.
 */
int xl_preflight(const struct xl_pf_input *in, bool fix, enum xl_pf_report report,
		 struct xl_undo_set *keep);

#endif
