/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fixtures.h - what an experiment sets up on the testbed for all of its
 * systems, before its first trial and taken down after its last: a routing
 * table in the DUT's namespace (routes = N: 1 = one default route, more = a
 * synthetic table of N prefixes with the BGP prefix-length mix, apps/routes.h)
 * and dst_addrs destinations that the table covers, which the generator
 * writes into its frames one per frame in turn.  The table's load time and memory go to context.json ("load").
 * A crash is covered by the undo journal: the routes are flushed by protocol.
 */
#ifndef XL_FIXTURES_H
#define XL_FIXTURES_H

#include "runner.h"

/* Seed of the synthetic table and of the destinations picked from it. */
#define XL_ROUTES_SEED 20181204

int xl_fixture_setup(struct xl_run *run, const struct xl_exp_cfg *x);
void xl_fixture_teardown(struct xl_run *run, const struct xl_exp_cfg *x);

#endif
