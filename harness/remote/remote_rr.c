// SPDX-License-Identifier: GPL-2.0
/*
 * remote_rr.c - the request/response workload across two hosts (remote.h):
 * the server stays on the DUT (trial.c), the client runs beside the remote
 * generator (agent_rr.c).  Its source address is the generator host's end of
 * the ssh connection, so the DUT answers over the way it reaches that host;
 * before the run, the DUT's reverse-path filter on dut-in is checked against
 * that address (the requests arrive on dut-in from an address routed
 * elsewhere: strict filtering would drop them).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "remote.h"
#include "gen/pkt.h"
#include "netns.h"
#include "testbed/rtquery.h"
#include "xl_err.h"

#define CALL_MS 10000

static struct xl_ssh *rr_s; /* the session whose agent runs the client; NULL = none */

int xl_remote_rr_check(const struct xl_testbed *tb, const char *host, const char *client_ip,
		       json_object *ctx)
{
	const char *ns = xl_port_ns(tb, XL_ROLE_DUT_IN), *dev = tb->port[XL_ROLE_DUT_IN].ifname;
	struct xl_rt_route rt;
	struct in_addr c;
	json_object *o;

	if (!client_ip || inet_pton(AF_INET, client_ip, &c) != 1)
		return xl_fail(XL_EXIT_ENV,
			       "host %s: kind = rr: the TCP client's address is that host's end "
			       "of the ssh connection, and it has no IPv4 one (ssh over IPv6?)",
			       host);
	if (xl_ns_rp_filter(ns, dev) == 1 &&
	    (xl_rt_route_get(ns, c, &rt) || rt.oif != xl_ns_ifindex(ns, dev)))
		return xl_fail(XL_EXIT_ENV,
			       "host %s: kind = rr: rp_filter=1 on %s drops the TCP client's "
			       "requests (from %s, the generator host's ssh address, routed out "
			       "of another port); fix: %s%s%ssysctl -w "
			       "net.ipv4.conf.%s.rp_filter=2",
			       host, dev, client_ip, ns ? "ip netns exec " : "", ns ? ns : "",
			       ns ? " " : "", dev);
	o = json_object_new_object();
	json_object_object_add(o, "host", json_object_new_string(host));
	json_object_object_add(o, "client_ip", json_object_new_string(client_ip));
	json_object_object_add(
		o, "path",
		json_object_new_string("requests out of the generator port to the DUT's address "
				       "on dut-in; answers back over the DUT host's route to the "
				       "generator host's ssh address"));
	json_object_object_add(ctx, "rr_client", o);
	return 0;
}

int xl_remote_rr_start(const struct xl_testbed *tb)
{
	struct xl_ssh *s = xl_remote_session(XL_ROLE_GEN);
	char ip[INET_ADDRSTRLEN], mac[24];
	json_object *req;

	if (!s)
		return xl_fail(XL_EXIT_FAIL, "no session with the generator's host");
	inet_ntop(AF_INET, &tb->port[XL_ROLE_DUT_IN].ip, ip, sizeof(ip));
	xl_format_mac(tb->port[XL_ROLE_DUT_IN].mac, mac, sizeof(mac));
	req = xl_wire_req("rr-start");
	json_object_object_add(req, "server_ip", json_object_new_string(ip));
	json_object_object_add(req, "dut_mac", json_object_new_string(mac));
	json_object_object_add(req, "ifname", json_object_new_string(tb->port[XL_ROLE_GEN].ifname));
	json_object_object_add(req, "cpu", json_object_new_int(tb->gen_cpus[0]));
	if (xl_ssh_call_put(s, req, CALL_MS))
		return -1;
	rr_s = s;
	return 0;
}

int xl_remote_rr_read(uint64_t *count, uint64_t *stalls)
{
	json_object *rep, *v;

	if (!rr_s)
		return -ENOENT;
	rep = xl_ssh_ask(rr_s, "rr-read", CALL_MS);
	if (!rep)
		return -EIO;
	*count = json_object_object_get_ex(rep, "count", &v) ? json_object_get_int64(v) : 0;
	*stalls = json_object_object_get_ex(rep, "stalls", &v) ? json_object_get_int64(v) : 0;
	json_object_put(rep);
	return 0;
}

void xl_remote_rr_stop(void)
{
	/* A failure is reported; the agent also stops the client when the session ends. */
	if (rr_s && rr_s->to_fd >= 0)
		xl_ssh_call_put(rr_s, xl_wire_req("rr-stop"), CALL_MS);
	rr_s = NULL;
}
