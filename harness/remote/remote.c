// SPDX-License-Identifier: GPL-2.0
/*
 * remote.c - the sessions of a two-host run (remote.h): connect and check
 * each host's xdplab build, read its ports, record a remote cleanup in the
 * cleanup registry, refuse what two hosts cannot measure, and the sink and
 * latency calls a trial makes on the generator's host.
 *
 * The build check: the agent reports its git commit and the SHA-256 of its
 * binary.  The commit must be this binary's; a "-dirty" commit (uncommitted
 * changes) must also match byte for byte.  xdplab does not copy itself: the
 * remote host builds the same commit (README, "Two hosts").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "remote.h"
#include "undo.h"
#include "util.h"
#include "xl_err.h"

#define HELLO_MS 30000
#define CALL_MS 10000

static struct {
	const struct xl_hosts *hosts;
	struct xl_ssh s[XL_MAX_HOSTS];
	bool open[XL_MAX_HOSTS];
	int cleanup_undo[XL_MAX_HOSTS];
	char backend[XL_NAME_LEN];
	char ssh_addr[XL_MAX_HOSTS][64]; /* each host's end of its ssh connection (its hello) */
	const struct xl_testbed *tb;
	json_object *ctx, *hosts_json, *clocks; /* for context.json */
} R;

static int host_index(enum xl_role r)
{
	for (int i = 0; R.hosts && i < R.hosts->n; i++)
		if (R.hosts->host[i].role[r])
			return i;
	return -1;
}

bool xl_remote_role(enum xl_role r)
{
	return host_index(r) >= 0;
}

struct xl_ssh *xl_remote_session(enum xl_role r)
{
	int i = host_index(r);

	return i >= 0 && R.open[i] ? &R.s[i] : NULL;
}

const char *xl_remote_backend(void)
{
	return R.backend;
}

static const char *rep_str(json_object *rep, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(rep, key, &v) ? json_object_get_string(v) : "";
}

static const char *remote_xdplab(const struct xl_host *h, char *buf, size_t len)
{
	ssize_t n;

	if (h->xdplab[0])
		return h->xdplab;
	/* Default: the same path as here (one checkout at the same place on both hosts). */
	n = readlink("/proc/self/exe", buf, len - 1);
	if (n <= 0)
		return "xdplab";
	buf[n] = 0;
	return buf;
}

static int check_build(const struct xl_host *h, json_object *hello, json_object *hj)
{
	const char *commit = rep_str(hello, "commit"), *sha = rep_str(hello, "sha256");
	char here[80] = "";
	bool dirty = strstr(xl_wire_commit(), "-dirty") != NULL;

	xl_wire_self_sha256(here, sizeof(here));
	json_object_object_add(hj, "git_commit", json_object_new_string(commit));
	json_object_object_add(hj, "xdplab_sha256", json_object_new_string(sha));
	json_object_object_add(hj, "same_binary", json_object_new_boolean(!strcmp(sha, here)));
	if (strcmp(commit, xl_wire_commit()))
		return xl_fail(XL_EXIT_ENV,
			       "host %s: its xdplab is commit %s, this one %s: build the same "
			       "commit there (or point xdplab = at it)",
			       h->name, commit, xl_wire_commit());
	if (dirty && strcmp(sha, here))
		return xl_fail(XL_EXIT_ENV,
			       "host %s: commit %s has uncommitted changes and the binaries "
			       "differ (SHA-256): copy this build there",
			       h->name, xl_wire_commit());
	return 0;
}

/*
 * The remote cleanup, in this process's registry: `xdplab agent --stop` over
 * ssh ends the agent (if the connection's end did not) and replays its journal
 * there.  Run at the normal end, by the signal path, or by the next xdplab
 * after a SIGKILL here.
 */
static int record_cleanup(const struct xl_host *h, const char *xdplab, json_object *hello)
{
	struct xl_ssh_argv a;
	const char *args[XL_UNDO_MAX_ARGS + 1];
	char pid[24], start[24];
	int n = 0;

	snprintf(pid, sizeof(pid), "%s", rep_str(hello, "pid"));
	snprintf(start, sizeof(start), "%s", rep_str(hello, "starttime"));
	xl_host_ssh_argv(h, &a);
	args[n++] = "-";
	for (int i = 0; i < a.n && n < XL_UNDO_MAX_ARGS - 5; i++)
		args[n++] = a.argv[i];
	args[n++] = xdplab;
	args[n++] = "agent";
	args[n++] = "--stop";
	args[n++] = pid;
	args[n++] = start;
	args[n] = NULL;
	return xl_undo_push("cmd", args);
}

static int read_ports(int hi, struct xl_testbed *tb, json_object *hj)
{
	json_object *ports = json_object_new_object();

	json_object_object_add(hj, "ports", ports);
	for (int r = 0; r < XL_NR_ROLES; r++) {
		json_object *req, *rep, *p;

		if (!R.hosts->host[hi].role[r])
			continue;
		req = xl_wire_req("port");
		json_object_object_add(req, "ifname", json_object_new_string(tb->port[r].ifname));
		rep = xl_ssh_call(&R.s[hi], req, CALL_MS);
		json_object_put(req);
		if (!rep)
			return -1;
		if (xl_parse_mac(rep_str(rep, "mac"), tb->port[r].mac)) {
			json_object_put(rep);
			return xl_fail(XL_EXIT_FAIL, "host %s: bad answer to 'port'",
				       R.hosts->host[hi].name);
		}
		p = json_object_new_object();
		json_object_object_add(p, "ifname", json_object_new_string(tb->port[r].ifname));
		json_object_object_add(p, "mac", json_object_new_string(rep_str(rep, "mac")));
		json_object_object_add(p, "driver", json_object_new_string(rep_str(rep, "driver")));
		json_object_object_add(ports, xl_role_name(r), p);
		tb->ifindex[r] = -1; /* an index there means nothing here */
		json_object_put(rep);
	}
	return 0;
}

static enum xl_role sink_role_of(enum xl_counts c)
{
	return c == XL_COUNTS_BACK ? XL_ROLE_GEN
	       : c == XL_COUNTS_IN ? XL_ROLE_DUT_IN
				   : XL_ROLE_SINK;
}

/*
 * What two hosts cannot measure is refused before the run; clocks gets, per
 * latency experiment and system, how its latency is measured.
 */
static int check_experiments(const struct xl_run_cfg *cfg, json_object *clocks)
{
	int g = host_index(XL_ROLE_GEN);

	for (int e = 0; e < cfg->nexps; e++) {
		const struct xl_exp_cfg *x = &cfg->exps[e];
		json_object *ej;

		if (x->kind != XL_KIND_LATENCY)
			continue;
		ej = json_object_new_object();
		json_object_object_add(clocks, x->name, ej);
		for (int k = 0; k < x->nsystems; k++) {
			int s = host_index(sink_role_of(x->sys[k].e->counts));
			const char *how = "round-trip: the generator's and the sink's host "
					  "are one, one clock";

			if (s != g) {
				if (!R.hosts->host[g >= 0 ? g : s].ptp)
					return xl_fail(
						XL_EXIT_CONFIG,
						"[experiment %s] %s: its sink is on another "
						"host than the generator, a one-way latency "
						"across two clocks; set ptp = 1 in [host] if "
						"both are PTP-synchronised",
						x->name, x->sys[k].e->name);
				how = "one-way: generator and sink on two hosts whose clocks "
				      "PTP synchronises (ptp = 1)";
			}
			json_object_object_add(ej, x->sys[k].e->name, json_object_new_string(how));
		}
	}
	return 0;
}

static int open_host(int hi, struct xl_testbed *tb, json_object *hosts)
{
	const struct xl_host *h = &R.hosts->host[hi];
	char path[PATH_MAX];
	const char *xdplab = remote_xdplab(h, path, sizeof(path));
	const char *words[] = { xdplab, "agent", NULL };
	json_object *hello, *req, *hj = xl_host_json(h), *ctx;

	if (!xl_host_word_ok(xdplab))
		return xl_fail(XL_EXIT_CONFIG,
			       "[host %s] this binary's path '%s' cannot go to the remote shell "
			       "as it is: set xdplab = PATH",
			       h->name, xdplab);

	json_object_object_add(hosts, h->name, hj);
	json_object_object_add(hj, "xdplab", json_object_new_string(xdplab));
	if (xl_ssh_open(&R.s[hi], h, words))
		return -1;
	R.open[hi] = true;
	req = xl_wire_req("hello");
	hello = xl_ssh_call(&R.s[hi], req, HELLO_MS);
	json_object_put(req);
	if (!hello)
		return -1;
	R.cleanup_undo[hi] = record_cleanup(h, xdplab, hello);
	snprintf(R.ssh_addr[hi], sizeof(R.ssh_addr[hi]), "%s", rep_str(hello, "ssh_addr"));
	if (json_object_object_get_ex(hello, "context", &ctx))
		json_object_object_add(hj, "context", json_object_get(ctx));
	if (check_build(h, hello, hj)) {
		json_object_put(hello);
		return -1;
	}
	json_object_put(hello);
	return read_ports(hi, tb, hj);
}

/*
 * With the generator elsewhere, gen_cpus are that host's: xdplab and its tools
 * stay on every CPU here but the DUT's (the runner had used gen_cpus).
 */
static void keep_off_dut(const struct xl_testbed *tb)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int c = 0; c < online && c < CPU_SETSIZE; c++)
		CPU_SET(c, &set);
	for (int i = 0; i < tb->cores; i++)
		CPU_CLR(tb->dut_cpus[i], &set);
	if (CPU_COUNT(&set) && sched_setaffinity(0, sizeof(set), &set))
		xl_warn("cannot keep xdplab off the DUT cores: %s", strerror(errno));
}

int xl_remote_up(struct xl_run_cfg *cfg, struct xl_testbed *tb)
{
	json_object *me;
	bool rr = false;
	int g;

	if (!cfg->hosts.n)
		return 0;
	R.hosts = &cfg->hosts;
	R.tb = tb;
	R.ctx = json_object_new_object();
	R.clocks = json_object_new_object();
	if (check_experiments(cfg, R.clocks))
		return -1;
	R.hosts_json = json_object_new_object();
	/* This host (the DUT's): its context block is context.json's top level. */
	me = json_object_new_array();
	for (int r = 0; r < XL_NR_ROLES; r++)
		if (host_index(r) < 0)
			json_object_array_add(me, json_object_new_string(xl_role_name(r)));
	json_object_object_add(R.ctx, "local_roles", me);
	for (int i = 0; i < R.hosts->n; i++)
		if (open_host(i, tb, R.hosts_json))
			return -1;
	g = host_index(XL_ROLE_GEN);
	for (int e = 0; e < cfg->nexps; e++)
		rr |= cfg->exps[e].kind == XL_KIND_RR;
	/* The rr client runs beside the remote generator: its path is checked once. */
	if (g >= 0 && rr && xl_remote_rr_check(tb, R.hosts->host[g].name, R.ssh_addr[g], R.ctx))
		return -1;
	if (g >= 0) {
		snprintf(R.backend, sizeof(R.backend), "%s", cfg->backend);
		snprintf(cfg->backend, sizeof(cfg->backend), "remote");
	}
	return 0;
}

void xl_remote_context(json_object *ctx)
{
	if (!R.hosts)
		return;
	json_object_object_add(ctx, "hosts", json_object_get(R.hosts_json));
	json_object_object_add(ctx, "latency_clock", json_object_get(R.clocks));
	json_object_object_foreach(R.ctx, k, v) json_object_object_add(ctx, k, json_object_get(v));
	if (R.backend[0]) {
		/* The backend the generator's host runs, not the one that talks to it. */
		json_object_object_add(ctx, "generator_backend", json_object_new_string(R.backend));
		keep_off_dut(R.tb);
	}
}

int xl_remote_preflight(const struct xl_pf_input *in, bool fix, enum xl_pf_report report,
			int *fixed)
{
	int total = 0;

	for (int i = 0; R.hosts && i < R.hosts->n; i++) {
		int n = R.open[i] ? xl_remote_check_host(&R.s[i], &R.hosts->host[i], in, fix,
							 report, fixed)
				  : 0;

		if (n < 0)
			return n;
		total += n;
	}
	return total;
}

void xl_remote_down(void)
{
	xl_remote_rr_stop();
	xl_remote_sink_detach();
	for (int i = 0; R.hosts && i < R.hosts->n; i++) {
		if (R.open[i])
			xl_ssh_close(&R.s[i]);
		R.open[i] = false;
		if (R.cleanup_undo[i] > 0)
			xl_undo_run(R.cleanup_undo[i]);
		R.cleanup_undo[i] = 0;
	}
	json_object_put(R.ctx);
	json_object_put(R.hosts_json);
	json_object_put(R.clocks);
	R.ctx = R.hosts_json = R.clocks = NULL;
	R.backend[0] = 0;
	R.hosts = NULL;
}
