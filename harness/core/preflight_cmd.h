/* SPDX-License-Identifier: GPL-2.0 */
/*
 * preflight_cmd.h - the testbed preflight of a config (testbed/preflight.h):
 * at the start of `xdplab run`, and as `xdplab testbed check CONFIG [--fix]`.
 */
#ifndef XL_PREFLIGHT_CMD_H
#define XL_PREFLIGHT_CMD_H

#include <stdbool.h>
#include "config.h"
#include "undo.h"

/*
 * Check the testbed (up) for cfg's systems; problems are printed one line each.
 * fix: apply the fixes that are commands, their undo entries kept in keep.
 * 0, or xl_fail(XL_EXIT_ENV) when a system cannot be measured.
 */
int xl_run_preflight(const struct xl_run_cfg *cfg, const struct xl_testbed *tb, bool fix,
		     struct xl_undo_set *keep);
/* `xdplab testbed check [CONFIG] [--fix]` (argv[1] is "check"). */
int xl_cmd_testbed_check(int argc, char **argv);

#endif
