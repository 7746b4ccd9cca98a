// SPDX-License-Identifier: GPL-2.0
/*
 * agent_ops.c - the requests `xdplab agent` answers (agent.h; the list is at
 * the top of agent.c): its generator, its sink and their counters, this
 * host's context and ports.  Each is one function of the table at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include "agent.h"
#include "apps/lb_check.h"
#include "collect/cpustat.h"
#include "collect/latency.h"
#include "collect/sinks.h"
#include "context.h"
#include "netns.h"
#include "util.h"
#include "wire.h"
#include "wire_frames.h"
#include "wire_lbchk.h"
#include "xl_err.h"

#define SINK_RT_PRIO 10

json_object *xl_agent_get(json_object *req, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(req, key, &v);
	return v;
}

const char *xl_agent_str(json_object *req, const char *key)
{
	json_object *v = xl_agent_get(req, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

int xl_agent_ints(json_object *req, const char *key, int *out, int max)
{
	json_object *a = xl_agent_get(req, key);
	int n = a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;

	if (n > max)
		n = max;
	for (int i = 0; i < n; i++)
		out[i] = json_object_get_int(json_object_array_get_idx(a, i));
	return n;
}

static void put_u64(json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_int64((int64_t)v));
}

static int op_hello(struct xl_agent *a, json_object *req, json_object *rep)
{
	char sha[80] = "", addr[64];

	(void)req;
	if (xl_wire_self_sha256(sha, sizeof(sha)))
		sha[0] = 0;
	if (!xl_agent_ssh_addr(addr, sizeof(addr)))
		json_object_object_add(rep, "ssh_addr", json_object_new_string(addr));
	json_object_object_add(rep, "commit", json_object_new_string(xl_wire_commit()));
	json_object_object_add(rep, "sha256", json_object_new_string(sha));
	json_object_object_add(rep, "pid", json_object_new_int(getpid()));
	put_u64(rep, "starttime", xl_proc_starttime(getpid()));
	json_object_object_add(rep, "context", xl_context_new(a->argc, a->argv));
	return 0;
}

static int op_port(struct xl_agent *a, json_object *req, json_object *rep)
{
	const char *ifname = xl_agent_str(req, "ifname");
	unsigned char mac[6];
	char buf[64];
	int idx = xl_ns_ifindex(NULL, ifname);

	(void)a;
	if (idx < 0 || xl_ns_mac(NULL, ifname, mac))
		return xl_fail(XL_EXIT_NOIF, "interface '%s' does not exist", ifname);
	xl_format_mac(mac, buf, sizeof(buf));
	json_object_object_add(rep, "mac", json_object_new_string(buf));
	json_object_object_add(rep, "ifindex", json_object_new_int(idx));
	if (!xl_ns_driver(NULL, ifname, buf, sizeof(buf)))
		json_object_object_add(rep, "driver", json_object_new_string(buf));
	return 0;
}

static void sink_off(struct xl_agent *a)
{
	/* NAPI settings first: a veth without XDP has no NAPI to set them on. */
	xl_undo_set_run(&a->sink_undo);
	xl_xdp_destroy(a->sink);
	a->sink = NULL;
}

static int op_sink(struct xl_agent *a, json_object *req, json_object *rep)
{
	bool latency = json_object_get_boolean(xl_agent_get(req, "latency"));
	struct xl_xdp_opts o = { .mode = XL_MODE_NATIVE };
	int cpus[XL_MAX_CORES], n;
	char path[4096];

	(void)rep;
	sink_off(a);
	snprintf(a->tb.port[XL_ROLE_SINK].ifname, IF_NAMESIZE, "%s", xl_agent_str(req, "ifname"));
	o.ifname = a->tb.port[XL_ROLE_SINK].ifname;
	/* The sink's kind (sinks.h): "" = the plain counting sink. */
	if (xl_sink_prog(xl_agent_str(req, "kind"), latency, &o, path, sizeof(path)))
		return -1;
	a->sink = xl_xdp_attach(&o);
	if (!a->sink)
		return -1;
	/* As on one host: the sink's NAPI on the generator's cores, above the generator. */
	n = xl_agent_ints(req, "cpus", cpus, XL_MAX_CORES);
	if (n > 0)
		xl_testbed_pin_napi(&a->tb, XL_ROLE_SINK, cpus, n, SINK_RT_PRIO, &a->sink_undo);
	return 0;
}

static int op_sink_off(struct xl_agent *a, json_object *req, json_object *rep)
{
	(void)req;
	(void)rep;
	sink_off(a);
	return 0;
}

/* The load balancer's checking sink: its maps emptied (the interval's start), then read. */
static int op_lbchk_reset(struct xl_agent *a, json_object *req, json_object *rep)
{
	int err;

	(void)req;
	(void)rep;
	if (!a->sink)
		return xl_fail(XL_EXIT_FAIL, "no sink attached");
	err = xl_lbchk_reset(xl_xdp_object(a->sink));
	return err ? xl_fail(XL_EXIT_FAIL, "cannot reset the load-balancer check: %s",
			     strerror(-err))
		   : 0;
}

static int op_lbchk_read(struct xl_agent *a, json_object *req, json_object *rep)
{
	struct xl_lbchk_result r;
	int err;

	(void)req;
	if (!a->sink)
		return xl_fail(XL_EXIT_FAIL, "no sink attached");
	err = xl_lbchk_read(xl_xdp_object(a->sink), &r);
	if (err)
		return xl_fail(XL_EXIT_FAIL, "cannot read the load-balancer check: %s",
			       strerror(-err));
	xl_wire_lbchk_put(rep, &r);
	return 0;
}

static int op_lat_arm(struct xl_agent *a, json_object *req, json_object *rep)
{
	int err;

	(void)req;
	(void)rep;
	if (!a->sink)
		return xl_fail(XL_EXIT_FAIL, "no sink attached");
	err = xl_lat_reset(a->sink);
	if (!err)
		err = xl_lat_enable(a->sink, true);
	return err ? xl_fail(XL_EXIT_FAIL, "cannot arm the latency sink: %s", strerror(-err)) : 0;
}

static int op_lat_read(struct xl_agent *a, json_object *req, json_object *rep)
{
	struct xl_lat_result *lr;
	json_object *hist;
	int err;

	(void)req;
	if (!a->sink)
		return xl_fail(XL_EXIT_FAIL, "no sink attached");
	lr = calloc(1, sizeof(*lr));
	if (!lr)
		return -ENOMEM;
	xl_lat_enable(a->sink, false);
	err = xl_lat_read(a->sink, lr);
	if (err) {
		free(lr);
		return xl_fail(XL_EXIT_FAIL, "cannot read the latency histogram: %s",
			       strerror(-err));
	}
	put_u64(rep, "count", lr->count);
	put_u64(rep, "sum_ns", lr->sum_ns);
	put_u64(rep, "min_ns", lr->min_ns);
	put_u64(rep, "max_ns", lr->max_ns);
	put_u64(rep, "reordered", lr->reordered);
	put_u64(rep, "unstamped", lr->unstamped);
	put_u64(rep, "clock_anomalies", lr->clock_anomalies);
	hist = json_object_new_array();
	for (int b = 0; b < XL_LAT_BUCKETS; b++) {
		json_object *pair;

		if (!lr->hist[b])
			continue;
		pair = json_object_new_array();
		json_object_array_add(pair, json_object_new_int(b));
		json_object_array_add(pair, json_object_new_int64((int64_t)lr->hist[b]));
		json_object_array_add(hist, pair);
	}
	json_object_object_add(rep, "hist", hist);
	free(lr);
	return 0;
}

static void gen_close(struct xl_agent *a)
{
	xl_gen_close(a->g);
	a->g = NULL;
	free(a->dst_addrs);
	free(a->src_addrs);
	a->dst_addrs = a->src_addrs = NULL;
}

/* A list of IPv4 addresses (network order) of a request, or none: 0, or -1 if malformed. */
static int get_addrs(json_object *req, const char *key, uint32_t **out, unsigned int *n)
{
	json_object *a = xl_agent_get(req, key);
	size_t len;

	*n = 0;
	if (!a)
		return 0;
	len = json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
	if (!len || len > XL_REMOTE_MAX_ADDRS)
		return xl_fail(XL_EXIT_USAGE, "gen-open: %s must list 1..%d addresses", key,
			       XL_REMOTE_MAX_ADDRS);
	*out = calloc(len, sizeof(**out));
	if (!*out)
		return xl_fail(XL_EXIT_FAIL, "gen-open: out of memory");
	for (size_t i = 0; i < len; i++) {
		int64_t v = json_object_get_int64(json_object_array_get_idx(a, i));

		if (v < 0 || v > UINT32_MAX)
			return xl_fail(XL_EXIT_USAGE, "gen-open: %s[%zu] is not an address", key,
				       i);
		(*out)[i] = (uint32_t)v;
	}
	*n = len;
	return 0;
}

static int op_gen_open(struct xl_agent *a, json_object *req, json_object *rep)
{
	struct xl_gen_cfg *c = &a->gc;
	json_object *v;

	(void)rep;
	gen_close(a);
	memset(c, 0, sizeof(*c));
	snprintf(a->gen_if, sizeof(a->gen_if), "%s", xl_agent_str(req, "ifname"));
	snprintf(a->backend, sizeof(a->backend), "%s", xl_agent_str(req, "backend"));
	snprintf(a->backend_opts, sizeof(a->backend_opts), "%s", xl_agent_str(req, "backend_opts"));
	c->ifname = a->gen_if;
	c->backend_opts = a->backend_opts[0] ? a->backend_opts : NULL;
	if (xl_parse_mac(xl_agent_str(req, "src_mac"), c->pkt.src_mac) ||
	    xl_parse_mac(xl_agent_str(req, "dst_mac"), c->pkt.dst_mac) ||
	    !inet_pton(AF_INET, xl_agent_str(req, "src_ip"), &c->pkt.src_ip) ||
	    !inet_pton(AF_INET, xl_agent_str(req, "dst_ip"), &c->pkt.dst_ip) ||
	    xl_proto_parse(xl_agent_str(req, "proto"), &c->pkt.proto))
		return xl_fail(XL_EXIT_USAGE, "gen-open: bad address or protocol");
	c->pkt.frame_size = json_object_get_int(xl_agent_get(req, "frame_size"));
	c->pkt.flows = json_object_get_int(xl_agent_get(req, "flows"));
	c->pkt.dst_port = json_object_get_int(xl_agent_get(req, "dst_port"));
	c->rate_pps = json_object_get_double(xl_agent_get(req, "rate"));
	v = xl_agent_get(req, "count");
	c->count = v ? (uint64_t)json_object_get_int64(v) : 0;
	c->stamp_time = json_object_get_boolean(xl_agent_get(req, "stamp"));
	c->nthreads = xl_agent_ints(req, "cpus", c->cpus, XL_MAX_THREADS);
	if (get_addrs(req, "dst_addrs", &a->dst_addrs, &c->naddrs) ||
	    get_addrs(req, "src_addrs", &a->src_addrs, &c->nsrcs))
		return -1;
	c->dst_addrs = a->dst_addrs;
	c->src_addrs = a->src_addrs;
	v = xl_agent_get(req, "nframes");
	if (v && json_object_get_int(v) > 0) {
		if ((unsigned int)json_object_get_int(v) != a->frames.n)
			return xl_fail(XL_EXIT_USAGE, "gen-open: %d frames to replay, %u received",
				       json_object_get_int(v), a->frames.n);
		c->frames = &a->frames;
	}
	a->g = xl_gen_open(a->backend, c);
	return a->g ? 0 : -1;
}

/* Frames of a capture to replay, in order, before the gen-open that sends them. */
static int op_gen_frames(struct xl_agent *a, json_object *req, json_object *rep)
{
	(void)rep;
	return xl_wire_frames_take(req, &a->frames);
}

static int op_start(struct xl_agent *a, json_object *req, json_object *rep)
{
	(void)req;
	(void)rep;
	if (!a->g)
		return xl_fail(XL_EXIT_FAIL, "no generator open");
	return a->g->ops->start(a->g);
}

/* The generator's and the sink's counters and this host's CPU time, read together. */
static int op_snap(struct xl_agent *a, json_object *req, json_object *rep)
{
	struct xl_datarec rec[XL_NR_ACTIONS];
	struct xl_cpu_sample cpu;
	struct rtnl_link_stats64 st;
	json_object *c;
	uint64_t sent = 0;
	int cpus[XL_MAX_CORES], n = xl_agent_ints(req, "cpus", cpus, XL_MAX_CORES);

	put_u64(rep, "t_ns", xl_now_ns());
	if (a->g) {
		if (xl_gen_sent(a->g, &sent))
			return -1;
		put_u64(rep, "sent", sent);
		json_object_object_add(rep, "done", json_object_new_boolean(a->g->ops->done(a->g)));
		if (a->g->ops->active_span)
			json_object_object_add(
				rep, "span", json_object_new_double(a->g->ops->active_span(a->g)));
	}
	if (a->sink) {
		if (xl_xdp_read_stats(a->sink, rec))
			return xl_fail(XL_EXIT_FAIL, "cannot read sink counters");
		put_u64(rep, "sink", rec[XDP_DROP].packets);
		if (!xl_ns_link_stats(NULL, xl_ns_ifindex(NULL, a->tb.port[XL_ROLE_SINK].ifname),
				      &st))
			put_u64(rep, "sink_dropped", st.rx_dropped);
	}
	if (n > 0 && !xl_cpu_read_set(cpus, n, &cpu)) {
		c = json_object_new_object();
		put_u64(c, "busy", cpu.busy_ticks);
		put_u64(c, "total", cpu.total_ticks);
		put_u64(c, "steal", cpu.steal_ticks);
		put_u64(c, "softirq", cpu.softirq_ticks);
		json_object_object_add(rep, "cpu", c);
	}
	return 0;
}

static int op_gen_close(struct xl_agent *a, json_object *req, json_object *rep)
{
	(void)req;
	(void)rep;
	gen_close(a);
	return 0;
}

static int op_rr_stop(struct xl_agent *a, json_object *req, json_object *rep)
{
	(void)req;
	(void)rep;
	xl_agent_rr_stop(a);
	return 0;
}

static int op_bye(struct xl_agent *a, json_object *req, json_object *rep)
{
	(void)req;
	(void)rep;
	a->bye = true;
	return 0;
}

static const struct {
	const char *op;
	int (*fn)(struct xl_agent *a, json_object *req, json_object *rep);
} ops[] = {
	{ "hello", op_hello },
	{ "port", op_port },
	{ "sink", op_sink },
	{ "sink-off", op_sink_off },
	{ "lat-arm", op_lat_arm },
	{ "lat-read", op_lat_read },
	{ "gen-frames", op_gen_frames },
	{ "gen-open", op_gen_open },
	{ "start", op_start },
	{ "snap", op_snap },
	{ "gen-close", op_gen_close },
	{ "lbchk-reset", op_lbchk_reset },
	{ "lbchk-read", op_lbchk_read },
	{ "rr-start", xl_agent_rr_start },
	{ "rr-read", xl_agent_rr_read },
	{ "rr-stop", op_rr_stop },
	{ "check", xl_agent_check },
	{ "bye", op_bye },
};

int xl_agent_op(struct xl_agent *a, const char *op, json_object *req, json_object *rep)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(ops[i].op, op))
			return ops[i].fn(a, req, rep);
	return -ENOSYS;
}

void xl_agent_release(struct xl_agent *a)
{
	xl_agent_rr_stop(a);
	gen_close(a);
	xl_frames_free(&a->frames);
	sink_off(a);
	/* Last: the preflight's fixes held for the whole session. */
	xl_undo_set_run(&a->check_undo);
}
