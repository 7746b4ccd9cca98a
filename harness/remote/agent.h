/* SPDX-License-Identifier: GPL-2.0 */
/*
 * agent.h - the state of `xdplab agent` (agent.c) and its requests
 * (agent_ops.c): the generator and the sink it runs on this host.
 */
#ifndef XL_AGENT_H
#define XL_AGENT_H

#include <stdbool.h>
#include <net/if.h>
#include <json-c/json.h>
#include "apps/tcp_rr.h"
#include "gen/gen.h"
#include "gen/replay.h"
#include "testbed/testbed.h"
#include "undo.h"
#include "xdp_attach.h"

struct xl_agent {
	int argc;
	char **argv;
	struct xl_gen *g;
	struct xl_gen_cfg gc;
	char gen_if[IF_NAMESIZE], backend[32], backend_opts[256];
	uint32_t *dst_addrs, *src_addrs; /* the open generator's address lists, or NULL */
	struct xl_frames frames; /* a capture sent by gen-frames (wire_frames.h), n 0 = none */
	struct xl_xdp *sink;
	struct xl_testbed tb; /* the sink's port as a testbed role, for NAPI pinning */
	struct xl_undo_set sink_undo;
	struct xl_rr *rr; /* the request/response workload's client (agent_rr.c), or NULL */
	struct xl_undo_set rr_undo; /* the client's route, neighbour and rp_filter */
	struct xl_undo_set check_undo; /* the preflight's fixes on this host (agent_check.c) */
	bool bye;
};

/*
 * Carry out request op: fields of req in, fields of rep out; 0 or -1/-errno
 * after one xl_fail() line.  -ENOSYS: no such request.
 */
int xl_agent_op(struct xl_agent *a, const char *op, json_object *req, json_object *rep);
/* Stop the generator and remove the sink (every path out of the agent). */
void xl_agent_release(struct xl_agent *a);
/* A request's field, NULL if absent. */
json_object *xl_agent_get(json_object *req, const char *key);
/* A request's string field, "" if absent. */
const char *xl_agent_str(json_object *req, const char *key);
/* A request's list of ints (CPUs, roles) into out[max]: how many (0 if absent; at most max). */
int xl_agent_ints(json_object *req, const char *key, int *out, int max);

/* agent_rr.c: the request/response client beside the generator (requests rr-*). */
int xl_agent_rr_start(struct xl_agent *a, json_object *req, json_object *rep);
int xl_agent_rr_read(struct xl_agent *a, json_object *req, json_object *rep);
void xl_agent_rr_stop(struct xl_agent *a);
/* agent_check.c: the testbed preflight of this host's ports (request check). */
int xl_agent_check(struct xl_agent *a, json_object *req, json_object *rep);
/* This host's IPv4 address of the ssh connection the agent runs under: 0 or -errno. */
int xl_agent_ssh_addr(char *buf, size_t len);

#endif
