// SPDX-License-Identifier: GPL-2.0
/*
 * agent.c - `xdplab agent`: the remote side of two-host mode.  xdplab on the
 * DUT's host starts it over ssh and drives it with one JSON request per line
 * on its stdin (wire.h); it answers each on stdout.  It runs the generator
 * (any registered backend) and the sink on this host's ports, and reads their
 * counters and this host's CPU time next to each other.  Everything it
 * changes is in this host's cleanup registry: when its input ends (the
 * connection closed, xdplab killed) or a stop signal arrives, it takes the
 * normal exit path and undoes it all; after a SIGKILL, `xdplab cleanup` here
 * replays its journal.  `xdplab agent --stop PID STARTTIME` is that cleanup
 * as xdplab's undo entry runs it over ssh: end the agent, then replay.
 *
 * Requests (fields besides "op"):
 *   hello                        -> commit, sha256 (of this binary), pid, starttime, context
 *   port      ifname             -> mac, ifindex, driver
 *   sink      ifname latency cpus   attach the sink program (NAPI threads pinned to cpus)
 *   sink-off                        detach it
 *   lat-arm / lat-read           -> the latency histogram (sparse [[bucket, count], ...])
 *   gen-open  backend ifname src_mac dst_mac src_ip dst_ip frame_size flows dst_port
 *             proto rate count cpus stamp backend_opts
 *   start, gen-close, bye
 *   snap                         -> sent done span sink sink_dropped cpu{busy,total,steal}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/mman.h>
#include <linux/bpf.h>
#include "commands.h"
#include "collect/cpustat.h"
#include "collect/latency.h"
#include "context.h"
#include "gen/gen.h"
#include "netns.h"
#include "sig.h"
#include "testbed/testbed.h"
#include "undo.h"
#include "util.h"
#include "wire.h"
#include "xdp_attach.h"
#include "xl_err.h"

#define SINK_RT_PRIO 10

struct agent {
	int argc;
	char **argv;
	struct xl_gen *g;
	struct xl_gen_cfg gc;
	char gen_if[IF_NAMESIZE], backend[32], backend_opts[256];
	struct xl_xdp *sink;
	struct xl_testbed tb; /* the sink's port as a testbed role, for NAPI pinning */
	struct xl_undo_set sink_undo;
	bool bye;
};

static json_object *get(json_object *req, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(req, key, &v);
	return v;
}

static const char *get_str(json_object *req, const char *key)
{
	json_object *v = get(req, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

static int get_cpus(json_object *req, int *cpus, int max)
{
	json_object *a = get(req, "cpus");
	int n = a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;

	if (n > max)
		n = max;
	for (int i = 0; i < n; i++)
		cpus[i] = json_object_get_int(json_object_array_get_idx(a, i));
	return n;
}

static void put_u64(json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_int64((int64_t)v));
}

static int op_hello(struct agent *a, json_object *req, json_object *rep)
{
	char sha[80] = "";

	(void)req;
	if (xl_sha256_file("/proc/self/exe", sha, sizeof(sha)))
		sha[0] = 0;
	json_object_object_add(rep, "commit", json_object_new_string(xl_wire_commit()));
	json_object_object_add(rep, "sha256", json_object_new_string(sha));
	json_object_object_add(rep, "pid", json_object_new_int(getpid()));
	put_u64(rep, "starttime", xl_proc_starttime(getpid()));
	json_object_object_add(rep, "context", xl_context_new(a->argc, a->argv));
	return 0;
}

static int op_port(struct agent *a, json_object *req, json_object *rep)
{
	const char *ifname = get_str(req, "ifname");
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

static void sink_off(struct agent *a)
{
	/* NAPI settings first: a veth without XDP has no NAPI to set them on. */
	xl_undo_set_run(&a->sink_undo);
	xl_xdp_destroy(a->sink);
	a->sink = NULL;
}

static int op_sink(struct agent *a, json_object *req, json_object *rep)
{
	bool latency = json_object_get_boolean(get(req, "latency"));
	struct xl_xdp_opts o = { .mode = XL_MODE_NATIVE };
	int cpus[XL_MAX_CORES], n;

	(void)rep;
	sink_off(a);
	snprintf(a->tb.port[XL_ROLE_SINK].ifname, IF_NAMESIZE, "%s", get_str(req, "ifname"));
	o.ifname = a->tb.port[XL_ROLE_SINK].ifname;
	o.prog = latency ? "sink-latency" : "sink";
	a->sink = xl_xdp_attach(&o);
	if (!a->sink)
		return -1;
	/* As on one host: the sink's NAPI on the generator's cores, above the generator. */
	n = get_cpus(req, cpus, XL_MAX_CORES);
	if (n > 0)
		xl_testbed_pin_napi(&a->tb, XL_ROLE_SINK, cpus, n, SINK_RT_PRIO, &a->sink_undo);
	return 0;
}

static int op_sink_off(struct agent *a, json_object *req, json_object *rep)
{
	(void)req;
	(void)rep;
	sink_off(a);
	return 0;
}

static int op_lat_arm(struct agent *a, json_object *req, json_object *rep)
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

static int op_lat_read(struct agent *a, json_object *req, json_object *rep)
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

static void gen_close(struct agent *a)
{
	xl_gen_close(a->g);
	a->g = NULL;
}

static int op_gen_open(struct agent *a, json_object *req, json_object *rep)
{
	struct xl_gen_cfg *c = &a->gc;
	json_object *v;

	(void)rep;
	gen_close(a);
	memset(c, 0, sizeof(*c));
	snprintf(a->gen_if, sizeof(a->gen_if), "%s", get_str(req, "ifname"));
	snprintf(a->backend, sizeof(a->backend), "%s", get_str(req, "backend"));
	snprintf(a->backend_opts, sizeof(a->backend_opts), "%s", get_str(req, "backend_opts"));
	c->ifname = a->gen_if;
	c->backend_opts = a->backend_opts[0] ? a->backend_opts : NULL;
	if (xl_parse_mac(get_str(req, "src_mac"), c->pkt.src_mac) ||
	    xl_parse_mac(get_str(req, "dst_mac"), c->pkt.dst_mac) ||
	    !inet_pton(AF_INET, get_str(req, "src_ip"), &c->pkt.src_ip) ||
	    !inet_pton(AF_INET, get_str(req, "dst_ip"), &c->pkt.dst_ip) ||
	    xl_proto_parse(get_str(req, "proto"), &c->pkt.proto))
		return xl_fail(XL_EXIT_USAGE, "gen-open: bad address or protocol");
	c->pkt.frame_size = json_object_get_int(get(req, "frame_size"));
	c->pkt.flows = json_object_get_int(get(req, "flows"));
	c->pkt.dst_port = json_object_get_int(get(req, "dst_port"));
	c->rate_pps = json_object_get_double(get(req, "rate"));
	v = get(req, "count");
	c->count = v ? (uint64_t)json_object_get_int64(v) : 0;
	c->stamp_time = json_object_get_boolean(get(req, "stamp"));
	c->nthreads = get_cpus(req, c->cpus, XL_MAX_THREADS);
	a->g = xl_gen_open(a->backend, c);
	return a->g ? 0 : -1;
}

static int op_start(struct agent *a, json_object *req, json_object *rep)
{
	(void)req;
	(void)rep;
	if (!a->g)
		return xl_fail(XL_EXIT_FAIL, "no generator open");
	return a->g->ops->start(a->g);
}

/* The generator's and the sink's counters and this host's CPU time, read together. */
static int op_snap(struct agent *a, json_object *req, json_object *rep)
{
	struct xl_datarec rec[XL_NR_ACTIONS];
	struct xl_cpu_sample cpu;
	struct rtnl_link_stats64 st;
	json_object *c;
	uint64_t sent = 0;
	int cpus[XL_MAX_CORES], n = get_cpus(req, cpus, XL_MAX_CORES);

	put_u64(rep, "t_ns", xl_now_ns());
	if (a->g) {
		if (a->g->ops->sent(a->g, &sent))
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

static int op_gen_close(struct agent *a, json_object *req, json_object *rep)
{
	(void)req;
	(void)rep;
	gen_close(a);
	return 0;
}

static int op_bye(struct agent *a, json_object *req, json_object *rep)
{
	(void)req;
	(void)rep;
	a->bye = true;
	return 0;
}

static const struct {
	const char *op;
	int (*fn)(struct agent *a, json_object *req, json_object *rep);
} ops[] = {
	{ "hello", op_hello },	       { "port", op_port },	  { "sink", op_sink },
	{ "sink-off", op_sink_off },   { "lat-arm", op_lat_arm }, { "lat-read", op_lat_read },
	{ "gen-open", op_gen_open },   { "start", op_start },	  { "snap", op_snap },
	{ "gen-close", op_gen_close }, { "bye", op_bye },
};

/*
 * One request.  Its xl_fail() line is caught (stderr is a memfd meanwhile)
 * to become the reply's "error"; everything printed still reaches stderr.
 */
static json_object *handle(struct agent *a, json_object *req)
{
	json_object *rep = json_object_new_object();
	const char *op = get_str(req, "op");
	int err = -ENOSYS, saved = dup(2), mfd = memfd_create("xl-agent-err", MFD_CLOEXEC);
	char msg[1024] = "";
	size_t i;

	xl_reset_error();
	fflush(stderr);
	if (mfd >= 0)
		dup2(mfd, 2);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(ops[i].op, op))
			break;
	if (i < sizeof(ops) / sizeof(ops[0]))
		err = ops[i].fn(a, req, rep);
	else
		xl_fail(XL_EXIT_USAGE, "unknown request '%s'", op);
	fflush(stderr);
	if (mfd >= 0) {
		char buf[4096];
		ssize_t n = pread(mfd, buf, sizeof(buf) - 1, 0);
		char *p;

		dup2(saved, 2);
		if (n > 0) {
			buf[n] = 0;
			if (write(2, buf, n) < 0)
				n = 0;
			p = strstr(buf, "xdplab: ");
			if (p) {
				snprintf(msg, sizeof(msg), "%s", p + 8);
				msg[strcspn(msg, "\n")] = 0;
			}
		}
		close(mfd);
	}
	if (saved >= 0)
		close(saved);
	json_object_object_add(rep, "ok", json_object_new_boolean(err == 0));
	if (err) {
		if (!msg[0])
			snprintf(msg, sizeof(msg), "%s failed: %s", op,
				 err < -1 ? strerror(-err) : "see the remote log");
		json_object_object_add(rep, "error", json_object_new_string(msg));
		json_object_object_add(
			rep, "exit",
			json_object_new_int(xl_exit_code() ? xl_exit_code() : XL_EXIT_FAIL));
	}
	return rep;
}

/* --stop PID STARTTIME: end that agent if it still runs, then replay dead journals. */
static int stop_agent(const char *pid_s, const char *start_s)
{
	long pid;
	unsigned long long start = strtoull(start_s, NULL, 10);
	int n;

	if (xl_parse_int(pid_s, 2, 1L << 30, &pid))
		return xl_fail(XL_EXIT_USAGE, "agent --stop: bad pid '%s'", pid_s), XL_EXIT_USAGE;
	if (start && xl_proc_starttime(pid) == start) {
		kill(pid, SIGTERM);
		for (int ms = 0; ms < 10000 && xl_proc_starttime(pid) == start; ms += 20)
			usleep(20000);
		if (xl_proc_starttime(pid) == start)
			kill(pid, SIGKILL);
		for (int ms = 0; ms < 2000 && xl_proc_starttime(pid) == start; ms += 20)
			usleep(20000);
	}
	n = xl_undo_sweep(false);
	printf("undid %d recorded change%s\n", n, n == 1 ? "" : "s");
	return 0;
}

int xl_cmd_agent(int argc, char **argv)
{
	struct agent a = { .argc = argc, .argv = argv };
	struct xl_wire in;
	json_object *req, *rep;
	int rc;

	if (argc == 4 && !strcmp(argv[1], "--stop"))
		return stop_agent(argv[2], argv[3]);
	if (argc != 1) {
		printf("usage: xdplab agent [--stop PID STARTTIME]\n"
		       "  the remote side of two-host mode, started by xdplab over ssh: JSON\n"
		       "  requests on stdin, one JSON reply per line on stdout (README, 'Two hosts');\n"
		       "  --stop ends an agent and undoes what it left\n");
		return strcmp(argv[argc - 1], "--help") ? XL_EXIT_USAGE : 0;
	}
	xl_sig_install();
	signal(SIGPIPE, SIG_IGN);
	a.tb.lock_fd = -1;
	a.tb.cores = 1;
	xl_wire_init(&in, 0);
	while (!a.bye && !xl_sig_stopped()) {
		rc = xl_wire_read(&in, 200, &req);
		if (rc == 0)
			continue;
		if (rc < 0)
			break; /* the connection ended: clean up and go */
		rep = handle(&a, req);
		json_object_put(req);
		rc = xl_wire_write(1, rep);
		json_object_put(rep);
		if (rc)
			break;
	}
	gen_close(&a);
	sink_off(&a);
	xl_wire_free(&in);
	return 0;
}
