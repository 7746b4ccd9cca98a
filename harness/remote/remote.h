/* SPDX-License-Identifier: GPL-2.0 */
/*
 * remote.h - two-host mode during a run: one ssh session per [host] with its
 * `xdplab agent` (agent.c), opened by the runner once the testbed is up and
 * closed on every way out.  The hooks below are all the runner and a trial
 * need: roles placed on another host, the sink there, its latency histogram.
 * The generator there is the backend "remote" (gen_remote.c), which the
 * runner's config is switched to; it runs the configured backend remotely.
 *
 * Clocks: throughput and CPU are rates over each host's own monotonic clock
 * and need no shared one.  A latency is a sink's clock minus the generator's
 * stamp: with the generator and the sink on one host (the paper's testbed,
 * DUT forwarding back to the generator's host) that is one clock, a round
 * trip; a sink on another host than the generator is measured only with
 * `ptp = 1` (both clocks PTP-synchronised), else the run is refused.
 */
#ifndef XL_REMOTE_H
#define XL_REMOTE_H

#include <stdbool.h>
#include <json-c/json.h>
#include "apps/lb_check.h"
#include "collect/latency.h"
#include "core/config.h"
#include "ssh.h"
#include "testbed/preflight.h"
#include "testbed/testbed.h"

/*
 * Runner, once the testbed is up: connect, check the builds, read the remote
 * ports into tb, refuse what two hosts cannot measure, switch the config's
 * generator backend to "remote".  Nothing without [host] sections.
 */
int xl_remote_up(struct xl_run_cfg *cfg, struct xl_testbed *tb);
/* Runner: "hosts", "latency_clock", "local_roles" and the real generator backend into ctx. */
void xl_remote_context(json_object *ctx);
/* Runner: close every session; the agents undo their work; remote cleanup replayed. */
void xl_remote_down(void);
/* A role placed on another host in this run. */
bool xl_remote_role(enum xl_role r);
/* The session of the host that has role r (the generator backend's), NULL if none. */
struct xl_ssh *xl_remote_session(enum xl_role r);
/* The generator backend the agent runs (the config's). */
const char *xl_remote_backend(void);

/*
 * Trial: the sink on role r's remote port, of kind (collect/sinks.h; NULL =
 * the plain one; latency: its histogram program).
 */
int xl_remote_sink_attach(enum xl_role r, const char *kind, bool latency,
			  const struct xl_testbed *tb);
void xl_remote_sink_detach(void);
int xl_remote_lat_arm(void);
int xl_remote_lat_read(struct xl_lat_result *lr);
/*
 * The testbed preflight on every other host (remote_check.c, run there by
 * agent_check.c) for the checks of in: the problems there (0: none), or -1
 * after one xl_fail() line; *fixed counts the fixes applied there (held until
 * xl_remote_down).  Nothing without [host] sections.
 */
int xl_remote_preflight(const struct xl_pf_input *in, bool fix, enum xl_pf_report report,
			int *fixed);
int xl_remote_check_host(struct xl_ssh *s, const struct xl_host *h, const struct xl_pf_input *in,
			 bool fix, enum xl_pf_report report, int *fixed);

/*
 * kind = rr with the generator on another host (remote_rr.c): before the run,
 * check the DUT's side for the client's address (that host's end of the ssh
 * connection) and note it in ctx ("rr_client"); per trial, start the client
 * there, read its transactions, stop it.  0 or -1 after one xl_fail() line.
 */
int xl_remote_rr_check(const struct xl_testbed *tb, const char *host, const char *client_ip,
		       json_object *ctx);
int xl_remote_rr_start(const struct xl_testbed *tb);
int xl_remote_rr_read(uint64_t *count, uint64_t *stalls);
void xl_remote_rr_stop(void);
/* The remote lb-check sink: empty its maps, read them (0, -ENOENT without a sink, -errno). */
int xl_remote_lbchk_reset(void);
int xl_remote_lbchk_read(struct xl_lbchk_result *r);

#endif
