// SPDX-License-Identifier: GPL-2.0
/*
 * gen_remote.c - the generator backend "remote": the generator runs on the
 * host that has the generator role (remote.h), driven through its agent.
 * Each counter read is one "snap" request that also brings that host's sink
 * counters and CPU time, read there next to each other, so one snapshot edge
 * costs one round trip; the trial's interval is timed by this host's clock
 * (a round trip of under a millisecond on a LAN against seconds of interval).
 * A capture to replay and the per-frame address lists are sent before the
 * generator opens.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "gen/gen.h"
#include "remote.h"
#include "wire_frames.h"
#include "systems/system.h"
#include "xl_err.h"

#define SNAP_MS 10000
#define OPEN_MS 60000 /* a DPDK generator starts its EAL first */

struct remote_gen {
	struct xl_ssh *s;
	bool opened;
	uint64_t sent;
	bool done;
	double span;
	struct xl_gen_far far;
};

static int call_ms(struct remote_gen *p, json_object *req, json_object **out, int ms)
{
	json_object *rep = xl_ssh_call(p->s, req, ms);

	json_object_put(req);
	if (!rep)
		return -EIO;
	if (out)
		*out = rep;
	else
		json_object_put(rep);
	return 0;
}

static int call(struct remote_gen *p, json_object *req, json_object **out)
{
	return call_ms(p, req, out, SNAP_MS);
}

/* Addresses in network order, as JSON numbers (the wire's 1 MiB line bounds the count). */
static json_object *addrs_json(const uint32_t *addrs, unsigned int n)
{
	json_object *a = json_object_new_array();

	for (unsigned int i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int64(addrs[i]));
	return a;
}

static int remote_open(struct xl_gen *g)
{
	const struct xl_gen_cfg *c = &g->cfg;
	struct remote_gen *p = calloc(1, sizeof(*p));
	json_object *req;
	char mac[24];

	if (!p)
		return -ENOMEM;
	g->priv = p;
	p->s = xl_remote_session(XL_ROLE_GEN);
	if (!p->s)
		return xl_fail(XL_EXIT_USAGE,
			       "backend remote: no [host] with the generator role in this run");
	if (c->ns)
		return xl_fail(XL_EXIT_USAGE,
			       "backend remote: a namespace is not implemented remotely");
	if (c->naddrs > XL_REMOTE_MAX_ADDRS || c->nsrcs > XL_REMOTE_MAX_ADDRS)
		return xl_fail(XL_EXIT_USAGE, "backend remote: at most %d addresses per list",
			       XL_REMOTE_MAX_ADDRS);
	/* A capture goes first, in requests the wire's line holds (wire_frames.h). */
	for (unsigned int i = 0; c->frames && i < c->frames->n; i += XL_WIRE_FRAMES_PER_REQ)
		if (call_ms(p, xl_wire_frames_req(c->frames, i), NULL, OPEN_MS))
			return -1;
	req = xl_wire_req("gen-open");
	json_object_object_add(req, "backend", json_object_new_string(xl_remote_backend()));
	json_object_object_add(req, "backend_opts",
			       json_object_new_string(c->backend_opts ? c->backend_opts : ""));
	json_object_object_add(req, "ifname", json_object_new_string(c->ifname));
	xl_format_mac(c->pkt.src_mac, mac, sizeof(mac));
	json_object_object_add(req, "src_mac", json_object_new_string(mac));
	xl_format_mac(c->pkt.dst_mac, mac, sizeof(mac));
	json_object_object_add(req, "dst_mac", json_object_new_string(mac));
	json_object_object_add(req, "src_ip", json_object_new_string(inet_ntoa(c->pkt.src_ip)));
	json_object_object_add(req, "dst_ip", json_object_new_string(inet_ntoa(c->pkt.dst_ip)));
	json_object_object_add(req, "frame_size", json_object_new_int(c->pkt.frame_size));
	json_object_object_add(req, "flows", json_object_new_int(c->pkt.flows));
	json_object_object_add(req, "dst_port", json_object_new_int(c->pkt.dst_port));
	json_object_object_add(req, "proto", json_object_new_string(xl_proto_name(c->pkt.proto)));
	json_object_object_add(req, "rate", json_object_new_double(c->rate_pps));
	json_object_object_add(req, "count", json_object_new_int64((int64_t)c->count));
	json_object_object_add(req, "stamp", json_object_new_boolean(c->stamp_time));
	json_object_object_add(req, "cpus", xl_wire_ints(c->cpus, c->nthreads));
	if (c->naddrs)
		json_object_object_add(req, "dst_addrs", addrs_json(c->dst_addrs, c->naddrs));
	if (c->nsrcs)
		json_object_object_add(req, "src_addrs", addrs_json(c->src_addrs, c->nsrcs));
	if (c->frames)
		json_object_object_add(req, "nframes", json_object_new_int(c->frames->n));
	if (call_ms(p, req, NULL, OPEN_MS))
		return -1;
	p->opened = true;
	return 0;
}

static int remote_start(struct xl_gen *g)
{
	struct remote_gen *p = g->priv;

	return call(p, xl_wire_req("start"), NULL) ? -1 : 0;
}

static uint64_t u64(json_object *rep, const char *key, bool *has)
{
	json_object *v;

	if (!json_object_object_get_ex(rep, key, &v)) {
		if (has)
			*has = false;
		return 0;
	}
	if (has)
		*has = true;
	return (uint64_t)json_object_get_int64(v);
}

static int snap(struct xl_gen *g)
{
	struct remote_gen *p = g->priv;
	json_object *req = xl_wire_req("snap"), *rep, *v, *cpu;
	bool has;

	json_object_object_add(req, "cpus", xl_wire_ints(g->cfg.cpus, g->cfg.nthreads));
	if (call(p, req, &rep))
		return -EIO;
	p->sent = u64(rep, "sent", &has);
	if (!has) {
		json_object_put(rep);
		return xl_fail(XL_EXIT_FAIL, "backend remote: the generator is not running");
	}
	p->done = json_object_object_get_ex(rep, "done", &v) && json_object_get_boolean(v);
	p->span = json_object_object_get_ex(rep, "span", &v) ? json_object_get_double(v) : 0;
	p->far.sink = u64(rep, "sink", &p->far.has_sink);
	p->far.sink_dropped = u64(rep, "sink_dropped", NULL);
	p->far.has_cpu = json_object_object_get_ex(rep, "cpu", &cpu);
	if (p->far.has_cpu) {
		p->far.cpu_busy = u64(cpu, "busy", NULL);
		p->far.cpu_total = u64(cpu, "total", NULL);
		p->far.cpu_steal = u64(cpu, "steal", NULL);
	}
	json_object_put(rep);
	return 0;
}

static int remote_sent(struct xl_gen *g, uint64_t *frames)
{
	int err = snap(g);

	if (!err)
		*frames = ((struct remote_gen *)g->priv)->sent;
	return err;
}

static bool remote_done(struct xl_gen *g)
{
	struct remote_gen *p = g->priv;

	/* Only a count-limited generator ends by itself: ask then, not otherwise. */
	if (!g->cfg.count || p->done)
		return p->done;
	return !snap(g) && p->done;
}

static double remote_span(struct xl_gen *g)
{
	return ((struct remote_gen *)g->priv)->span;
}

static int remote_far(struct xl_gen *g, struct xl_gen_far *far)
{
	*far = ((struct remote_gen *)g->priv)->far;
	return 0;
}

static void remote_stop(struct xl_gen *g)
{
	(void)g; /* gen-close stops it */
}

static void remote_close(struct xl_gen *g)
{
	struct remote_gen *p = g->priv;

	if (p && p->opened)
		call(p, xl_wire_req("gen-close"), NULL);
	free(p);
	g->priv = NULL;
}

static const struct xl_gen_ops remote_ops = {
	.name = "remote",
	.what = "the configured backend on the generator's [host], over ssh (two-host mode)",
	.open = remote_open,
	.start = remote_start,
	.sent = remote_sent,
	.done = remote_done,
	.active_span = remote_span,
	.far = remote_far,
	.stop = remote_stop,
	.close = remote_close,
};

XL_CONSTRUCTOR(remote_gen_register)
{
	xl_gen_register(&remote_ops);
}
