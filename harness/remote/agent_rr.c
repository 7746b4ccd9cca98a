// SPDX-License-Identifier: GPL-2.0
/*
 * agent_rr.c - the request/response workload's client on the generator's
 * host (agent requests rr-start, rr-read, rr-stop; apps/tcp_rr.h).  Its
 * requests leave by the generator port, so they share dut-in's RX queue with
 * the flood, as on one host; its source address is this host's end of the
 * ssh connection, so the server's answers come back the way the DUT host
 * reaches this one (its management network), which is the return link of
 * two hosts: a DPDK generator may own the generator port's receive side.
 *
 * What the client needs here is set for the workload's life and undone with
 * it: a host route and a permanent neighbour entry for the DUT's address out
 * of the generator port, and loose reverse-path filtering on the port the
 * answers arrive by (they come from the DUT's address, which is routed out
 * of the generator port: strict filtering would drop them).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <net/if.h>
#include "agent.h"
#include "netns.h"
#include "testbed/rtquery.h"
#include "undo.h"
#include "util.h"
#include "xl_err.h"
#include "xl_spawn.h"

#define RR_RT_PRIO 10

/* SSH_CONNECTION: "CLIENT_IP CLIENT_PORT SERVER_IP SERVER_PORT"; field 0 or 2 as IPv4. */
static int ssh_addr(int field, struct in_addr *a)
{
	const char *v = getenv("SSH_CONNECTION");
	char buf[256], *save = NULL, *tok;
	int i = 0;

	if (!v)
		return -ENOENT;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save), i++)
		if (i == field)
			return inet_pton(AF_INET, tok, a) == 1 ? 0 : -EAFNOSUPPORT;
	return -EINVAL;
}

int xl_agent_ssh_addr(char *buf, size_t len)
{
	struct in_addr a;
	int err = ssh_addr(2, &a);

	if (!err)
		inet_ntop(AF_INET, &a, buf, len);
	return err;
}

/* Loose reverse-path filtering on ifindex, if it is strict there; 0 or -1. */
static int loose_rp_filter(struct xl_agent *a, int ifindex)
{
	char ifname[IF_NAMESIZE], dev[160], old[32];
	int rp;

	if (!if_indextoname(ifindex, ifname))
		return xl_fail(XL_EXIT_ENV, "rr-start: no interface %d", ifindex);
	snprintf(dev, sizeof(dev), "/proc/sys/net/ipv4/conf/%s/rp_filter", ifname);
	rp = xl_ns_rp_filter(NULL, ifname);
	if (rp < 0 || xl_read_file(NULL, dev, old, sizeof(old)))
		return xl_fail(XL_EXIT_ENV, "rr-start: cannot read %s's rp_filter", ifname);
	/* The effective value is the larger of all's and the port's: 2 (loose) wins over 1. */
	if (rp != 1)
		return 0;
	if (xl_write_file(NULL, dev, "2"))
		return xl_fail(XL_EXIT_ENV, "rr-start: cannot set %s's rp_filter", ifname);
	xl_undo_keep(&a->rr_undo, xl_undo_add("sysctl", "-", dev, old, NULL));
	return 0;
}

/* A host route and a permanent neighbour entry for the DUT's address out of the generator port. */
static int path_to_dut(struct xl_agent *a, const char *ifname, struct in_addr dut,
		       const unsigned char mac[6])
{
	int idx = xl_ns_ifindex(NULL, ifname);
	char addr[INET_ADDRSTRLEN], host[32], macs[24];
	struct xl_rt_route rt;
	uint8_t have[6];
	uint16_t nud = 0;

	if (idx < 0)
		return xl_fail(XL_EXIT_NOIF, "interface '%s' does not exist", ifname);
	inet_ntop(AF_INET, &dut, addr, sizeof(addr));
	snprintf(host, sizeof(host), "%s/32", addr);
	xl_format_mac(mac, macs, sizeof(macs));
	if (xl_rt_route_get(NULL, dut, &rt) || rt.oif != idx) {
		if (xl_run("ip", "route", "add", host, "dev", ifname, "proto", "static", NULL))
			return xl_fail(XL_EXIT_ENV, "rr-start: cannot route %s out of %s", addr,
				       ifname);
		xl_undo_keep(&a->rr_undo, xl_undo_add("cmd", "-", "ip", "route", "del", host, "dev",
						      ifname, "proto", "static", NULL));
	}
	if (!xl_rt_neigh_get(NULL, idx, dut, have, &nud) && nud & NUD_PERMANENT &&
	    !memcmp(have, mac, 6))
		return 0;
	if (xl_run("ip", "neigh", "replace", addr, "lladdr", macs, "dev", ifname, "nud",
		   "permanent", NULL))
		return xl_fail(XL_EXIT_ENV, "rr-start: cannot add a neighbour entry for %s on %s",
			       addr, ifname);
	xl_undo_keep(&a->rr_undo,
		     xl_undo_add("cmd", "-", "ip", "neigh", "del", addr, "dev", ifname, NULL));
	return 0;
}

void xl_agent_rr_stop(struct xl_agent *a)
{
	xl_rr_stop(a->rr);
	a->rr = NULL;
	xl_undo_set_run(&a->rr_undo);
}

int xl_agent_rr_start(struct xl_agent *a, json_object *req, json_object *rep)
{
	struct xl_rr_cfg c = { .part = XL_RR_CLIENT,
			       .server_cpu = -1,
			       .client_cpu = -1,
			       .client_rt_prio = RR_RT_PRIO };
	const char *ifname = xl_agent_str(req, "ifname");
	struct in_addr peer;
	struct xl_rt_route back;
	unsigned char mac[6];
	char me[INET_ADDRSTRLEN];
	json_object *v;
	int err;

	xl_agent_rr_stop(a);
	if (!inet_pton(AF_INET, xl_agent_str(req, "server_ip"), &c.server_ip) ||
	    xl_parse_mac(xl_agent_str(req, "dut_mac"), mac))
		return xl_fail(XL_EXIT_USAGE, "rr-start: bad address");
	v = xl_agent_get(req, "cpu");
	if (v)
		c.client_cpu = json_object_get_int(v);
	err = ssh_addr(2, &c.client_ip);
	if (!err)
		err = ssh_addr(0, &peer);
	if (err)
		return xl_fail(XL_EXIT_ENV,
			       "rr-start: the TCP client's address is this host's end of the "
			       "ssh connection, and SSH_CONNECTION has no IPv4 one");
	/* The answers arrive by the port this host reaches the DUT's host through. */
	if (xl_rt_route_get(NULL, peer, &back))
		return xl_fail(XL_EXIT_ENV, "rr-start: no route back to the DUT's host");
	if (path_to_dut(a, ifname, c.server_ip, mac) || loose_rp_filter(a, back.oif)) {
		xl_undo_set_run(&a->rr_undo);
		return -1;
	}
	a->rr = xl_rr_start(&c);
	if (!a->rr) {
		xl_undo_set_run(&a->rr_undo);
		return -1;
	}
	inet_ntop(AF_INET, &c.client_ip, me, sizeof(me));
	json_object_object_add(rep, "client_ip", json_object_new_string(me));
	return 0;
}

int xl_agent_rr_read(struct xl_agent *a, json_object *req, json_object *rep)
{
	(void)req;
	if (!a->rr)
		return xl_fail(XL_EXIT_FAIL, "no request/response client running");
	json_object_object_add(rep, "count", json_object_new_int64((int64_t)xl_rr_count(a->rr)));
	json_object_object_add(rep, "stalls", json_object_new_int64((int64_t)xl_rr_stalls(a->rr)));
	return 0;
}
