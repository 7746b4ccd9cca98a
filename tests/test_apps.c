// SPDX-License-Identifier: GPL-2.0
/*
 * test_apps.c - the §5 application programs checked with BPF_PROG_TEST_RUN
 * on crafted frames, and their user-space helpers: the XDP router (against a
 * FIB built in this test's own namespace: veth ports, addresses, routes,
 * permanent neighbours, for IPv4 and IPv6), the DDoS filter and its rule
 * parser, the load balancer (outer header, inner frame, flow stickiness and
 * spread) with its Maglev table, and the synthetic BGP table (mix, forbidden
 * ranges, destinations) loaded in full into the namespace and routed by the
 * XDP router.  Runs in a private network namespace (unshare), so every
 * device, route and map target vanishes with the process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include "test_common.h"
#include "xdplab.h"
#include "netns.h"
#include "xl_spawn.h"
#include "xl_router.h"
#include "xl_ddos.h"
#include "xl_lb.h"
#include "apps/why.h"
#include "apps/maglev.h"
#include "apps/lb_ctl.h"
#include "apps/ddos_ctl.h"
#include "apps/routes.h"
#include "apps/routes_load.h"
#include "xdp_router.skel.h"
#include "xdp_ddos.skel.h"
#include "xdp_lb.skel.h"

/*
 * The case tables below start each frame from a macro of defaults and override
 * single fields (V4(.ttl = 1)), and leave trailing case fields at zero: both are
 * intended, so the two warnings that flag them are off for this file.
 */
#pragma GCC diagnostic ignored "-Woverride-init"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define BUF 2048

static const uint8_t host_mac[6] = { 2, 0x58, 0x4c, 0xa0, 0, 1 }; /* the sender */
static const uint8_t nh_mac[6] = { 2, 0x58, 0x4c, 0xa0, 0, 2 }; /* IPv4 next hop */
static const uint8_t nh6_mac[6] = { 2, 0x58, 0x4c, 0xa0, 0, 6 }; /* IPv6 next hop */

/* ---- frames ---------------------------------------------------------- */

struct fspec {
	int tags; /* VLAN tags: 0, 1 or 2 */
	int v6;
	uint8_t proto; /* L4 protocol (IPv6: next header) */
	const char *src, *dst;
	uint16_t sport, dport;
	uint8_t ttl;
	uint16_t frag; /* IPv4 frag_off field, host order */
	uint8_t opt_words; /* IPv4 options, in 32-bit words */
	uint16_t id;
	uint8_t tos;
	uint16_t payload; /* bytes after the L4 header */
};

static uint16_t csum16(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/* The checksum an IPv4 header should carry, computed from scratch. */
static uint16_t ipv4_fresh_csum(const uint8_t *iph)
{
	uint8_t h[60];
	size_t len = (iph[0] & 0xf) * 4;

	memcpy(h, iph, len);
	h[10] = h[11] = 0;
	return csum16(h, len);
}

static size_t l4_hdr_len(uint8_t proto)
{
	return proto == IPPROTO_TCP ? 20 : 8; /* UDP, ICMP, and anything else: 8 */
}

/* Ethernet (+ tags) + IP + L4 header + payload pattern; returns the length. */
static size_t build(const struct fspec *s, uint8_t *buf)
{
	size_t off = 12, l3, l4len = l4_hdr_len(s->proto), iplen;
	uint16_t type = htons(s->v6 ? ETH_P_IPV6 : ETH_P_IP);

	memset(buf, 0, BUF);
	memcpy(buf, "\x02\x58\x4c\x00\x00\x10", 6); /* replaced by callers that care */
	memcpy(buf + 6, host_mac, 6);
	for (int t = 0; t < s->tags; t++) {
		uint16_t tpid = htons(t == 0 && s->tags == 2 ? ETH_P_8021AD : ETH_P_8021Q);
		uint16_t tci = htons(100 + t);

		memcpy(buf + off, &tpid, 2);
		memcpy(buf + off + 2, &tci, 2);
		off += 4;
	}
	memcpy(buf + off, &type, 2);
	l3 = off + 2;
	if (s->v6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(buf + l3);

		ip6->version = 6;
		ip6->priority = 0;
		ip6->nexthdr = s->proto;
		ip6->hop_limit = s->ttl;
		ip6->payload_len = htons(l4len + s->payload);
		inet_pton(AF_INET6, s->src, &ip6->saddr);
		inet_pton(AF_INET6, s->dst, &ip6->daddr);
		iplen = sizeof(*ip6);
	} else {
		struct iphdr *ip = (struct iphdr *)(buf + l3);

		iplen = 20 + 4 * s->opt_words;
		ip->version = 4;
		ip->ihl = iplen / 4;
		ip->tos = s->tos;
		ip->tot_len = htons(iplen + l4len + s->payload);
		ip->id = htons(s->id);
		ip->frag_off = htons(s->frag);
		ip->ttl = s->ttl;
		ip->protocol = s->proto;
		inet_pton(AF_INET, s->src, &ip->saddr);
		inet_pton(AF_INET, s->dst, &ip->daddr);
		for (int w = 0; w < s->opt_words; w++)
			buf[l3 + 20 + 4 * w] = 1; /* NOP options */
		ip->check = htons(ipv4_fresh_csum((uint8_t *)ip));
	}
	if (s->proto == IPPROTO_TCP || s->proto == IPPROTO_UDP) {
		uint16_t sp = htons(s->sport), dp = htons(s->dport);

		memcpy(buf + l3 + iplen, &sp, 2);
		memcpy(buf + l3 + iplen + 2, &dp, 2);
	}
	for (size_t i = 0; i < s->payload; i++)
		buf[l3 + iplen + l4len + i] = 0xa0 + i % 31;
	return l3 + iplen + l4len + s->payload;
}

static int run(int prog_fd, const void *in, size_t len, int ifindex, void *out, uint32_t *out_len,
	       uint32_t *retval)
{
	struct xdp_md ctx = { .data_end = len, .ingress_ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = len, .data_out = out,
		    .data_size_out = out ? BUF : 0, .repeat = 1, .ctx_in = ifindex ? &ctx : NULL,
		    .ctx_size_in = ifindex ? sizeof(ctx) : 0);
	int err = bpf_prog_test_run_opts(prog_fd, &o);

	*retval = o.retval;
	if (out_len)
		*out_len = o.data_size_out;
	return err;
}

static uint64_t why(struct bpf_map *m, uint32_t slot)
{
	uint64_t v = 0;

	xl_why_sum(bpf_map__fd(m), slot, &v);
	return v;
}

static uint64_t stat_pkts(struct bpf_map *m, int action)
{
	struct xl_datarec r = {};
	int ncpu = libbpf_num_possible_cpus();
	struct xl_datarec *v = calloc(ncpu, sizeof(*v));
	uint32_t key = action;

	if (v && !bpf_map_lookup_elem(bpf_map__fd(m), &key, v))
		for (int i = 0; i < ncpu; i++)
			r.packets += v[i].packets;
	free(v);
	return r.packets;
}

/* ---- router ---------------------------------------------------------- */

struct topo {
	int in_ifindex, out_ifindex, nomap_ifindex;
	uint8_t in_mac[6], out_mac[6];
};

/*
 * Ports rt-in (ingress), rt-out (egress, in the devmap) and rt-nomap (egress,
 * not in the devmap), each a veth whose peer stays here.  Routes: 203.0.113/24
 * and 2001:db8:99::/48 via rt-out's permanent neighbours; 10.64/10 via a
 * gateway without neighbour entry; 10.127/16 blackholed; 172.16/16 via
 * rt-nomap.  Nothing covers 233.252/16 or 2001:db8:77::/48.  Every IPv4
 * address and route lies in ranges the synthetic BGP table never uses, so
 * that table can be loaded on top without shadowing or being shadowed.
 */
static int setup_topology(struct topo *t)
{
	static const char *const ports[] = { "rt-in", "rt-out", "rt-nomap" };
	int err = 0;

	for (int i = 0; i < 3; i++) {
		char peer[16];

		snprintf(peer, sizeof(peer), "%s-p", ports[i]);
		err |= xl_run("ip", "link", "add", ports[i], "type", "veth", "peer", "name", peer,
			      NULL);
		err |= xl_run("ip", "link", "set", peer, "up", NULL);
	}
	err |= xl_run("ip", "addr", "add", "192.0.2.1/24", "dev", "rt-in", NULL);
	err |= xl_run("ip", "addr", "add", "198.51.100.1/24", "dev", "rt-out", NULL);
	err |= xl_run("ip", "addr", "add", "192.168.7.1/24", "dev", "rt-nomap", NULL);
	err |= xl_run("ip", "-6", "addr", "add", "2001:db8:1::1/64", "dev", "rt-in", "nodad", NULL);
	err |= xl_run("ip", "-6", "addr", "add", "2001:db8:2::1/64", "dev", "rt-out", "nodad",
		      NULL);
	for (int i = 0; i < 3; i++)
		err |= xl_run("ip", "link", "set", ports[i], "up", NULL);
	err |= xl_run("ip", "neigh", "add", "198.51.100.2", "lladdr", "02:58:4c:a0:00:02", "dev",
		      "rt-out", "nud", "permanent", NULL);
	err |= xl_run("ip", "-6", "neigh", "add", "2001:db8:2::2", "lladdr", "02:58:4c:a0:00:06",
		      "dev", "rt-out", "nud", "permanent", NULL);
	err |= xl_run("ip", "neigh", "add", "192.168.7.2", "lladdr", "02:58:4c:a0:00:09", "dev",
		      "rt-nomap", "nud", "permanent", NULL);
	err |= xl_run("ip", "route", "add", "203.0.113.0/24", "via", "198.51.100.2", NULL);
	err |= xl_run("ip", "-6", "route", "add", "2001:db8:99::/48", "via", "2001:db8:2::2", NULL);
	err |= xl_run("ip", "route", "add", "10.64.0.0/10", "via", "198.51.100.3", NULL);
	err |= xl_run("ip", "route", "add", "blackhole", "10.127.0.0/16", NULL);
	err |= xl_run("ip", "route", "add", "172.16.0.0/16", "via", "192.168.7.2", NULL);
	err |= xl_write_file(NULL, "/proc/sys/net/ipv4/ip_forward", "1");
	err |= xl_write_file(NULL, "/proc/sys/net/ipv6/conf/all/forwarding", "1");
	if (err)
		return -EIO;
	t->in_ifindex = xl_ns_ifindex(NULL, "rt-in");
	t->out_ifindex = xl_ns_ifindex(NULL, "rt-out");
	t->nomap_ifindex = xl_ns_ifindex(NULL, "rt-nomap");
	if (t->in_ifindex < 0 || t->out_ifindex < 0 || t->nomap_ifindex < 0)
		return -ENODEV;
	return xl_ns_mac(NULL, "rt-in", t->in_mac) || xl_ns_mac(NULL, "rt-out", t->out_mac) ? -EIO
											    : 0;
}

/* A router test case: frame, expected verdict, and the xl_why slot it must bump. */
struct rt_case {
	const char *name;
	struct fspec f;
	int verdict;
	int why; /* -1: none (forwarded) */
	int cut; /* > 0: truncate the frame to this many bytes */
	int tot_len_extra; /* claim this many more IPv4 bytes than the frame has */
	int version; /* override the IP version nibble (0 = keep) */
};

static struct rt_tally {
	uint64_t pass, redirect;
} tally;

static void check_forwarded(const char *name, const struct fspec *f, const uint8_t *in, size_t len,
			    const uint8_t *out, uint32_t out_len, const struct topo *t)
{
	size_t l3in = 14 + 4 * f->tags, l3out = 14;
	char n[160];

	snprintf(n, sizeof(n), "router %s: length (tag removed)", name);
	ASSERT_EQ(out_len, len - 4 * f->tags, n);
	snprintf(n, sizeof(n), "router %s: destination MAC is the next hop's", name);
	ASSERT_MEMEQ(out, f->v6 ? nh6_mac : nh_mac, 6, n);
	snprintf(n, sizeof(n), "router %s: source MAC is the egress port's", name);
	ASSERT_MEMEQ(out + 6, t->out_mac, 6, n);
	snprintf(n, sizeof(n), "router %s: EtherType of the inner packet, untagged", name);
	ASSERT_MEMEQ(out + 12, in + l3in - 2, 2, n);
	if (f->v6) {
		snprintf(n, sizeof(n), "router %s: hop limit decremented", name);
		ASSERT_EQ(out[l3out + 7], in[l3in + 7] - 1, n);
		snprintf(n, sizeof(n), "router %s: rest of the packet unchanged", name);
		ASSERT_TRUE(!memcmp(out + l3out, in + l3in, 7) &&
				    !memcmp(out + l3out + 8, in + l3in + 8, len - l3in - 8),
			    n);
		return;
	}
	snprintf(n, sizeof(n), "router %s: TTL decremented", name);
	ASSERT_EQ(out[l3out + 8], in[l3in + 8] - 1, n);
	snprintf(n, sizeof(n), "router %s: IPv4 checksum verifies", name);
	ASSERT_EQ(csum16(out + l3out, 20), 0, n);
	snprintf(n, sizeof(n), "router %s: checksum equals a full recomputation", name);
	ASSERT_EQ(ntohs(*(uint16_t *)(out + l3out + 10)), ipv4_fresh_csum(out + l3out), n);
	snprintf(n, sizeof(n), "router %s: rest of the packet unchanged", name);
	ASSERT_TRUE(!memcmp(out + l3out, in + l3in, 8) &&
			    !memcmp(out + l3out + 9, in + l3in + 9, 1) &&
			    !memcmp(out + l3out + 12, in + l3in + 12, len - l3in - 12),
		    n);
}

static void run_rt_case(struct xdp_router *skel, const struct rt_case *c, const struct topo *t)
{
	uint8_t in[BUF], out[BUF];
	uint32_t ret = 0, out_len = 0;
	uint64_t before = c->why >= 0 ? why(skel->maps.xl_why, c->why) : 0;
	size_t len = build(&c->f, in);
	size_t l3 = 14 + 4 * c->f.tags;
	char n[160];

	memcpy(in, t->in_mac, 6);
	if (c->tot_len_extra || c->version) {
		struct iphdr *iph = (struct iphdr *)(in + l3);

		if (c->tot_len_extra)
			iph->tot_len = htons(ntohs(iph->tot_len) + c->tot_len_extra);
		if (c->version)
			iph->version = c->version;
		iph->check = 0;
		iph->check = htons(ipv4_fresh_csum(in + l3));
	}
	if (c->cut)
		len = c->cut;
	snprintf(n, sizeof(n), "router %s: test run", c->name);
	if (!ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_router), in, len, t->in_ifindex, out,
			   &out_len, &ret),
		       n))
		return;
	snprintf(n, sizeof(n), "router %s: verdict %d", c->name, c->verdict);
	ASSERT_EQ(ret, c->verdict, n);
	tally.pass += ret == XDP_PASS;
	tally.redirect += ret == XDP_REDIRECT;
	if (c->why >= 0) {
		snprintf(n, sizeof(n), "router %s: counted under reason %d", c->name, c->why);
		ASSERT_EQ(why(skel->maps.xl_why, c->why), before + 1, n);
	}
	if (ret == XDP_PASS) {
		snprintf(n, sizeof(n), "router %s: passed frame unchanged", c->name);
		ASSERT_TRUE(out_len == len && !memcmp(out, in, len), n);
	} else if (ret == XDP_REDIRECT) {
		check_forwarded(c->name, &c->f, in, len, out, out_len, t);
	}
}

#define V4(...)                                                                                  \
	{                                                                                        \
		.proto = IPPROTO_UDP, .src = "192.0.2.50", .sport = 1000, .dport = 9, .ttl = 64, \
		.payload = 18, __VA_ARGS__                                                       \
	}
#define V6(...)                                                                                    \
	{                                                                                          \
		.v6 = 1, .proto = IPPROTO_UDP, .src = "2001:db8:1::50", .sport = 1000, .dport = 9, \
		.ttl = 64, .payload = 18, __VA_ARGS__                                              \
	}

static const struct rt_case rt_cases[] = {
	{ "ipv4 forwarded", V4(.dst = "203.0.113.7"), XDP_REDIRECT, -1 },
	{ "ipv4 tcp forwarded", V4(.dst = "203.0.113.8", .proto = IPPROTO_TCP), XDP_REDIRECT, -1 },
	{ "ipv4 ttl 2 forwarded", V4(.dst = "203.0.113.7", .ttl = 2), XDP_REDIRECT, -1 },
	{ "ipv4 first fragment forwarded", V4(.dst = "203.0.113.7", .frag = 0x2000), XDP_REDIRECT,
	  -1 },
	{ "ipv4 later fragment forwarded", V4(.dst = "203.0.113.7", .frag = 0x00b9), XDP_REDIRECT,
	  -1 },
	{ "ipv4 vlan-tagged forwarded untagged", V4(.dst = "203.0.113.9", .tags = 1), XDP_REDIRECT,
	  -1 },
	{ "ipv4 no route", V4(.dst = "233.252.0.1"), XDP_PASS,
	  XL_RT_FIB + BPF_FIB_LKUP_RET_NOT_FWDED },
	{ "ipv4 no neighbour", V4(.dst = "10.64.1.1"), XDP_PASS,
	  XL_RT_FIB + BPF_FIB_LKUP_RET_NO_NEIGH },
	{ "ipv4 blackhole", V4(.dst = "10.127.0.1"), XDP_PASS,
	  XL_RT_FIB + BPF_FIB_LKUP_RET_BLACKHOLE },
	{ "ipv4 to the router itself", V4(.dst = "198.51.100.1"), XDP_PASS,
	  XL_RT_FIB + BPF_FIB_LKUP_RET_NOT_FWDED },
	{ "ipv4 egress port not in devmap", V4(.dst = "172.16.0.1"), XDP_PASS, XL_RT_NO_PORT },
	{ "ipv4 ttl 1", V4(.dst = "203.0.113.7", .ttl = 1), XDP_PASS, XL_RT_TTL },
	{ "ipv4 ttl 0", V4(.dst = "203.0.113.7", .ttl = 0), XDP_PASS, XL_RT_TTL },
	{ "ipv4 options", V4(.dst = "203.0.113.7", .opt_words = 2), XDP_PASS, XL_RT_IP_OPTIONS },
	{ "ipv4 header cut short", V4(.dst = "203.0.113.7"), XDP_PASS, XL_RT_MALFORMED, .cut = 24 },
	{ "ipv4 vlan tag cut short", V4(.dst = "203.0.113.7", .tags = 1), XDP_PASS, XL_RT_MALFORMED,
	  .cut = 16 },
	{ "ipv4 total length past the frame", V4(.dst = "203.0.113.7"), XDP_PASS, XL_RT_MALFORMED,
	  .tot_len_extra = 1 },
	{ "ipv4 bad version", V4(.dst = "203.0.113.7"), XDP_PASS, XL_RT_MALFORMED, .version = 5 },
	{ "double-tagged frame", V4(.dst = "203.0.113.7", .tags = 2), XDP_PASS, XL_RT_NOT_IP },
	{ "ipv6 forwarded", V6(.dst = "2001:db8:99::7"), XDP_REDIRECT, -1 },
	{ "ipv6 vlan-tagged forwarded untagged", V6(.dst = "2001:db8:99::8", .tags = 1),
	  XDP_REDIRECT, -1 },
	{ "ipv6 hop limit 1", V6(.dst = "2001:db8:99::7", .ttl = 1), XDP_PASS, XL_RT_TTL },
	{ "ipv6 no route", V6(.dst = "2001:db8:77::1"), XDP_PASS,
	  XL_RT_FIB + BPF_FIB_LKUP_RET_NOT_FWDED },
	{ "ipv6 hop-by-hop header", V6(.dst = "2001:db8:99::7", .proto = 0), XDP_PASS,
	  XL_RT_V6_SCOPE },
	{ "ipv6 link-local destination", V6(.dst = "fe80::1"), XDP_PASS, XL_RT_V6_SCOPE },
	{ "ipv6 header cut short", V6(.dst = "2001:db8:99::7"), XDP_PASS, XL_RT_MALFORMED,
	  .cut = 40 },
};

static void test_router_arp(struct xdp_router *skel, const struct topo *t)
{
	uint8_t arp[42] = { 0 };
	uint32_t ret;

	memcpy(arp, t->in_mac, 6);
	memcpy(arp + 6, host_mac, 6);
	arp[12] = 0x08, arp[13] = 0x06;
	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_router), arp, sizeof(arp), t->in_ifindex,
		      NULL, NULL, &ret),
		  "router arp: test run");
	ASSERT_EQ(ret, XDP_PASS, "router arp: passed to the stack");
	tally.pass += ret == XDP_PASS;
}

/*
 * RFC 1624 update over many headers, including ones whose old or new
 * checksum is 0x0000 (the ones-complement corner that RFC 1624 fixed in
 * RFC 1141's equation): the result must be exactly what a fresh computation
 * gives, and it must verify.
 */
static void test_router_csum_sweep(struct xdp_router *skel, const struct topo *t)
{
	struct fspec f = V4(.dst = "203.0.113.7");
	uint8_t in[BUF], out[BUF];
	int bad = 0, runs = 0, corner0 = 0, corner_old = 0;
	uint32_t ret, out_len;
	uint64_t rng = 12345;

	for (int i = 0; i < 3000; i++) {
		size_t len;

		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		f.id = rng >> 48;
		f.ttl = 2 + (rng >> 40) % 254;
		f.tos = rng >> 32;
		len = build(&f, in);
		memcpy(in, t->in_mac, 6);
		if (i >= 2990) {
			/* Pick the id that makes the new (i < 2995) or the old checksum 0x0000. */
			for (uint32_t id = 0; id < 65536; id++) {
				uint8_t h[20];

				f.id = id;
				len = build(&f, in);
				memcpy(h, in + 14, 20);
				h[8] -= i < 2995;
				if (ipv4_fresh_csum(h) == 0) {
					corner0 += i < 2995;
					corner_old += i >= 2995;
					break;
				}
			}
			memcpy(in, t->in_mac, 6);
		}
		if (run(bpf_program__fd(skel->progs.xdp_router), in, len, t->in_ifindex, out,
			&out_len, &ret) ||
		    ret != XDP_REDIRECT) {
			bad++;
			continue;
		}
		runs++;
		bad += ntohs(*(uint16_t *)(out + 24)) != ipv4_fresh_csum(out + 14) ||
		       csum16(out + 14, 20) != 0;
	}
	tally.redirect += runs;
	ASSERT_EQ(runs, 3000, "router csum: 3000 random headers forwarded");
	ASSERT_EQ(corner0, 5, "router csum: headers whose new checksum is 0x0000 included");
	ASSERT_EQ(corner_old, 5, "router csum: headers whose old checksum is 0x0000 included");
	ASSERT_EQ(bad, 0, "router csum: incremental update equals full recomputation");
}

static void test_router(struct topo *t)
{
	struct xdp_router *skel = xdp_router__open_and_load();
	uint32_t ifindex;

	if (!ASSERT_TRUE(skel != NULL, "router: loads"))
		return;
	ifindex = t->out_ifindex;
	if (!ASSERT_OK(
		    bpf_map_update_elem(bpf_map__fd(skel->maps.xl_rt_ports), &ifindex, &ifindex, 0),
		    "router: egress port in the devmap"))
		goto out;
	memset(&tally, 0, sizeof(tally));
	for (size_t i = 0; i < sizeof(rt_cases) / sizeof(rt_cases[0]); i++)
		run_rt_case(skel, &rt_cases[i], t);
	test_router_arp(skel, t);
	test_router_csum_sweep(skel, t);
	ASSERT_EQ(stat_pkts(skel->maps.xl_stats, XDP_REDIRECT), tally.redirect,
		  "router: every redirect counted in xl_stats");
	ASSERT_EQ(stat_pkts(skel->maps.xl_stats, XDP_PASS), tally.pass,
		  "router: every pass counted in xl_stats");
	ASSERT_EQ(stat_pkts(skel->maps.xl_stats, XDP_ABORTED) +
			  stat_pkts(skel->maps.xl_stats, XDP_DROP),
		  0, "router: nothing aborted or dropped");
out:
	xdp_router__destroy(skel);
}

/* The DIRECT variant (main table only) forwards what the default one forwards. */
static void test_router_direct(const struct topo *t)
{
	struct xdp_router *skel = xdp_router__open();
	struct fspec f = V4(.dst = "203.0.113.7");
	uint8_t in[BUF], out[BUF];
	uint32_t ret, out_len, ifindex = t->out_ifindex;
	size_t len;

	if (!ASSERT_TRUE(skel != NULL, "router direct: open"))
		return;
	skel->rodata->cfg_fib_direct = 1;
	if (!ASSERT_OK(xdp_router__load(skel), "router direct: loads with cfg_fib_direct=1"))
		goto out;
	bpf_map_update_elem(bpf_map__fd(skel->maps.xl_rt_ports), &ifindex, &ifindex, 0);
	len = build(&f, in);
	memcpy(in, t->in_mac, 6);
	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_router), in, len, t->in_ifindex, out,
		      &out_len, &ret),
		  "router direct: test run");
	ASSERT_EQ(ret, XDP_REDIRECT, "router direct: forwarded");
	ASSERT_MEMEQ(out, nh_mac, 6, "router direct: next hop MAC");
out:
	xdp_router__destroy(skel);
}

/* ---- DDoS filter ----------------------------------------------------- */

struct dd_case {
	const char *name;
	struct fspec f;
	int verdict;
	int why; /* -1: none */
	int cut;
};

#define D4(...)                                                                                  \
	{                                                                                        \
		.proto = IPPROTO_UDP, .src = "192.0.2.50", .dst = "198.51.100.1", .sport = 4000, \
		.ttl = 64, .payload = 18, __VA_ARGS__                                            \
	}

static const char *const dd_rules[] = { "udp:53", "icmp", "203.0.113.0/24", "198.51.100.128/25",
					"tcp:22" };

static const struct dd_case dd_cases[] = {
	{ "udp to a blocked port", D4(.dport = 53), XDP_DROP, XL_DDOS_HIT_L4 },
	{ "udp to another port", D4(.dport = 54), XDP_PASS, -1 },
	{ "tcp to the udp-blocked port", D4(.proto = IPPROTO_TCP, .dport = 53), XDP_PASS, -1 },
	{ "tcp to a blocked port", D4(.proto = IPPROTO_TCP, .dport = 22), XDP_DROP,
	  XL_DDOS_HIT_L4 },
	{ "icmp (protocol-wide rule)", D4(.proto = IPPROTO_ICMP), XDP_DROP, XL_DDOS_HIT_L4 },
	{ "vlan-tagged udp to a blocked port", D4(.dport = 53, .tags = 1), XDP_DROP,
	  XL_DDOS_HIT_L4 },
	{ "ipv4 options, udp to a blocked port", D4(.dport = 53, .opt_words = 3), XDP_DROP,
	  XL_DDOS_HIT_L4 },
	{ "first fragment to a blocked port", D4(.dport = 53, .frag = 0x2000), XDP_DROP,
	  XL_DDOS_HIT_L4 },
	/* Its payload holds "port 53" where ports would be: it must not be read as L4. */
	{ "later fragment (no ports) passes", D4(.dport = 53, .frag = 0x0010), XDP_PASS, -1 },
	{ "source in a blocked /24", D4(.src = "203.0.113.9", .dport = 80), XDP_DROP,
	  XL_DDOS_HIT_SRC },
	{ "source next to the blocked /24", D4(.src = "203.0.114.1", .dport = 80), XDP_PASS, -1 },
	{ "source in a blocked /25", D4(.src = "198.51.100.200", .dport = 80), XDP_DROP,
	  XL_DDOS_HIT_SRC },
	{ "source below the blocked /25", D4(.src = "198.51.100.127", .dport = 80), XDP_PASS, -1 },
	{ "ipv6 udp to a blocked port",
	  { .v6 = 1,
	    .proto = IPPROTO_UDP,
	    .src = "2001:db8::1",
	    .dst = "2001:db8::2",
	    .dport = 53,
	    .ttl = 64 },
	  XDP_DROP,
	  XL_DDOS_HIT_L4 },
	{ "ipv6 udp to another port",
	  { .v6 = 1,
	    .proto = IPPROTO_UDP,
	    .src = "2001:db8::1",
	    .dst = "2001:db8::2",
	    .dport = 80,
	    .ttl = 64 },
	  XDP_PASS,
	  -1 },
	{ "udp ports cut off", D4(.dport = 80), XDP_DROP, XL_DDOS_MALFORMED, .cut = 36 },
	{ "ip header cut off", D4(.dport = 80), XDP_DROP, XL_DDOS_MALFORMED, .cut = 30 },
	{ "ipv6 header cut off",
	  { .v6 = 1,
	    .proto = IPPROTO_UDP,
	    .src = "2001:db8::1",
	    .dst = "2001:db8::2",
	    .dport = 80,
	    .ttl = 64 },
	  XDP_DROP,
	  XL_DDOS_MALFORMED,
	  .cut = 50 },
};

static int dd_run(struct xdp_ddos *skel, const struct dd_case *c, uint64_t *drops, uint64_t *passes)
{
	uint8_t in[BUF], out[BUF];
	uint32_t ret = 0, out_len;
	size_t len = build(&c->f, in);
	uint64_t before = c->why >= 0 ? why(skel->maps.xl_why, c->why) : 0;
	char n[160];

	if (c->f.frag & 0x1fff) /* later fragment: its payload mimics UDP to port 53 */
		in[14 + 20 + 2] = 0, in[14 + 20 + 3] = 53;
	if (c->cut)
		len = c->cut;
	snprintf(n, sizeof(n), "ddos %s: test run", c->name);
	if (!ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_ddos), in, len, 0, out, &out_len, &ret),
		       n))
		return -1;
	snprintf(n, sizeof(n), "ddos %s: verdict %d", c->name, c->verdict);
	ASSERT_EQ(ret, c->verdict, n);
	*drops += ret == XDP_DROP;
	*passes += ret == XDP_PASS;
	if (c->why >= 0) {
		snprintf(n, sizeof(n), "ddos %s: counted under reason %d", c->name, c->why);
		ASSERT_EQ(why(skel->maps.xl_why, c->why), before + 1, n);
	}
	if (ret == XDP_PASS) {
		snprintf(n, sizeof(n), "ddos %s: passed frame unchanged", c->name);
		ASSERT_TRUE(out_len == len && !memcmp(out, in, len), n);
	}
	return ret;
}

static struct xdp_ddos *ddos_load(uint32_t match_l4, uint32_t match_src, uint32_t drop_frags)
{
	struct xdp_ddos *skel = xdp_ddos__open();
	struct xl_ddos_maps m;
	int err = 0;

	if (!skel)
		return NULL;
	skel->rodata->cfg_match_l4 = match_l4;
	skel->rodata->cfg_match_src = match_src;
	skel->rodata->cfg_drop_frags = drop_frags;
	if (xdp_ddos__load(skel) || xl_ddos_maps_find(skel->obj, &m)) {
		xdp_ddos__destroy(skel);
		return NULL;
	}
	for (size_t i = 0; i < sizeof(dd_rules) / sizeof(dd_rules[0]); i++)
		err |= xl_ddos_rule_add(&m, dd_rules[i]);
	if (err) {
		xdp_ddos__destroy(skel);
		return NULL;
	}
	return skel;
}

static void test_ddos(void)
{
	struct xdp_ddos *skel = ddos_load(1, 1, 0);
	uint64_t drops = 0, passes = 0;
	uint8_t arp[42] = { [12] = 0x08, [13] = 0x06 };
	uint32_t ret;

	if (!ASSERT_TRUE(skel != NULL, "ddos: loads and takes the rules"))
		return;
	for (size_t i = 0; i < sizeof(dd_cases) / sizeof(dd_cases[0]); i++)
		dd_run(skel, &dd_cases[i], &drops, &passes);
	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_ddos), arp, sizeof(arp), 0, NULL, NULL, &ret),
		  "ddos arp: test run");
	ASSERT_EQ(ret, XDP_PASS, "ddos arp: non-IP passes");
	passes++;
	ASSERT_EQ(stat_pkts(skel->maps.xl_stats, XDP_DROP), drops, "ddos: every drop counted");
	ASSERT_EQ(stat_pkts(skel->maps.xl_stats, XDP_PASS), passes, "ddos: every pass counted");
	xdp_ddos__destroy(skel);
}

/* The `const volatile` stages: each switch changes exactly its own decisions. */
static void test_ddos_variants(void)
{
	struct dd_case frag = { "fragment, cfg_drop_frags", D4(.dport = 80, .frag = 0x2000),
				XDP_DROP, XL_DDOS_FRAGMENT };
	struct dd_case clean = { "clean udp, cfg_drop_frags", D4(.dport = 80), XDP_PASS, -1 };
	struct dd_case port_off = { "blocked port, l4 stage off", D4(.dport = 53), XDP_PASS, -1 };
	struct dd_case src_on = { "blocked source, l4 stage off",
				  D4(.src = "203.0.113.9", .dport = 53), XDP_DROP,
				  XL_DDOS_HIT_SRC };
	struct dd_case src_off = { "blocked source, src stage off",
				   D4(.src = "203.0.113.9", .dport = 80), XDP_PASS, -1 };
	struct xdp_ddos *skel;
	uint64_t d = 0, p = 0;

	skel = ddos_load(1, 1, 1);
	if (ASSERT_TRUE(skel != NULL, "ddos: loads with cfg_drop_frags=1")) {
		dd_run(skel, &frag, &d, &p);
		dd_run(skel, &clean, &d, &p);
		xdp_ddos__destroy(skel);
	}
	skel = ddos_load(0, 1, 0);
	if (ASSERT_TRUE(skel != NULL, "ddos: loads with cfg_match_l4=0")) {
		dd_run(skel, &port_off, &d, &p);
		dd_run(skel, &src_on, &d, &p);
		xdp_ddos__destroy(skel);
	}
	skel = ddos_load(1, 0, 0);
	if (ASSERT_TRUE(skel != NULL, "ddos: loads with cfg_match_src=0")) {
		dd_run(skel, &src_off, &d, &p);
		xdp_ddos__destroy(skel);
	}
}

static void test_ddos_rule_parser(void)
{
	static const char *const bad[] = { "udp",	  "icmp:5", "10.1.2.3/8", "300.1.1.1/8",
					   "10.0.0.0/33", "udp:0",  "udp:70000",  "foo:1",
					   "tcp:80x",	  "/8",	    "",		  "256" };
	struct xl_ddos_l4_key l4;
	struct xl_ddos_src_key src;
	int is_src;
	char n[96];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(n, sizeof(n), "ddos rule \"%s\" rejected", bad[i]);
		ASSERT_EQ(xl_ddos_rule_parse(bad[i], &l4, &src, &is_src), -EINVAL, n);
	}
	ASSERT_TRUE(!xl_ddos_rule_parse("17:123", &l4, &src, &is_src) && !is_src &&
			    l4.proto == IPPROTO_UDP && l4.dport == htons(123) && !l4.pad,
		    "ddos rule \"17:123\" is UDP port 123");
	ASSERT_TRUE(!xl_ddos_rule_parse("gre", &l4, &src, &is_src) && !is_src && l4.proto == 47 &&
			    l4.dport == 0,
		    "ddos rule \"gre\" is protocol 47, any port");
	ASSERT_TRUE(!xl_ddos_rule_parse("0.0.0.0/0", &l4, &src, &is_src) && is_src &&
			    src.prefixlen == 0,
		    "ddos rule \"0.0.0.0/0\" is the empty prefix");
	ASSERT_TRUE(!xl_ddos_rule_parse("192.0.2.7/32", &l4, &src, &is_src) && is_src &&
			    src.prefixlen == 32 && src.addr == htonl(0xc0000207),
		    "ddos rule \"192.0.2.7/32\" is one host");
}

/* ---- load balancer --------------------------------------------------- */

#define LB_REALS 100
#define LB_ADDR "192.0.2.10"

static const uint8_t lb_mac[6] = { 2, 0x58, 0x4c, 0xb0, 0, 1 };

struct lb {
	struct xdp_lb *skel;
	struct xl_lb_maps m;
	uint32_t real_addr[LB_REALS];
	uint32_t table[XL_LB_RING_SIZE]; /* the user-space prediction: index into real_addr */
};

/* Reals 198.18.1.0 + i, ids 0..99, all behind TCP VIP 203.0.113.10:80 (ring 0). */
static int lb_setup(struct lb *lb, uint32_t redirect)
{
	struct xl_lb_vip_key vip = { .port = htons(80), .proto = IPPROTO_TCP };
	struct xl_lb_ctl ctl = {};
	uint32_t ids[LB_REALS];
	int err;

	lb->skel = xdp_lb__open();
	if (!lb->skel)
		return -errno;
	lb->skel->rodata->cfg_redirect = redirect;
	err = xdp_lb__load(lb->skel);
	err = err ?: xl_lb_maps_find(lb->skel->obj, &lb->m);
	if (err)
		return err;
	memcpy(ctl.dst_mac, nh_mac, 6);
	memcpy(ctl.src_mac, lb_mac, 6);
	inet_pton(AF_INET, LB_ADDR, &ctl.src_addr);
	err = xl_lb_set_ctl(&lb->m, &ctl);
	for (uint32_t i = 0; i < LB_REALS && !err; i++) {
		ids[i] = i;
		lb->real_addr[i] = htonl(0xc6120100 + i);
		err = xl_lb_set_real(&lb->m, i, lb->real_addr[i]);
	}
	inet_pton(AF_INET, "203.0.113.10", &vip.addr);
	err = err ?: xl_lb_set_vip(&lb->m, &vip, 0, ids, LB_REALS);
	return err ?: xl_maglev_build(lb->real_addr, LB_REALS, XL_LB_RING_SIZE, lb->table);
}

/* The real the LB must pick for a frame, computed here from the shared hash. */
static uint32_t lb_expected(const struct lb *lb, const uint8_t *frame)
{
	const struct iphdr *iph = (const struct iphdr *)(frame + 14);
	uint32_t ports;

	memcpy(&ports, frame + 14 + iph->ihl * 4, 4);
	return lb->real_addr[lb->table[xl_lb_slot(
		xl_lb_flow_hash(iph->saddr, iph->daddr, ports, iph->protocol))]];
}

#define L4(...)                                                                                   \
	{                                                                                         \
		.proto = IPPROTO_TCP, .src = "192.0.2.77", .dst = "203.0.113.10", .sport = 40000, \
		.dport = 80, .ttl = 64, .payload = 26, __VA_ARGS__                                \
	}

static void test_lb_encap(struct lb *lb, const char *what, const struct fspec *f)
{
	uint8_t in[BUF], out[BUF];
	uint32_t ret, out_len, daddr, saddr;
	size_t len = build(f, in);
	const struct iphdr *inner = (const struct iphdr *)(in + 14);
	const struct iphdr *outer = (const struct iphdr *)(out + 14);
	char n[160];

	memcpy(in, lb_mac, 6);
	snprintf(n, sizeof(n), "lb %s: test run", what);
	if (!ASSERT_OK(
		    run(bpf_program__fd(lb->skel->progs.xdp_lb), in, len, 0, out, &out_len, &ret),
		    n))
		return;
	snprintf(n, sizeof(n), "lb %s: verdict XDP_TX", what);
	if (!ASSERT_EQ(ret, XDP_TX, n))
		return;
	snprintf(n, sizeof(n), "lb %s: frame grew by one IPv4 header", what);
	ASSERT_EQ(out_len, len + 20, n);
	snprintf(n, sizeof(n), "lb %s: Ethernet to the next hop from the LB, IPv4", what);
	ASSERT_TRUE(!memcmp(out, nh_mac, 6) && !memcmp(out + 6, lb_mac, 6) && out[12] == 8 &&
			    out[13] == 0,
		    n);
	snprintf(n, sizeof(n), "lb %s: outer version 4, ihl 5, protocol 4 (IPIP), ttl 64", what);
	ASSERT_TRUE(outer->version == 4 && outer->ihl == 5 && outer->protocol == IPPROTO_IPIP &&
			    outer->ttl == XL_LB_OUTER_TTL,
		    n);
	snprintf(n, sizeof(n), "lb %s: outer total length = inner + 20", what);
	ASSERT_EQ(ntohs(outer->tot_len), ntohs(inner->tot_len) + 20, n);
	snprintf(n, sizeof(n), "lb %s: outer checksum verifies", what);
	ASSERT_EQ(csum16(outer, 20), 0, n);
	snprintf(n, sizeof(n), "lb %s: outer tos and DF copied from the inner header", what);
	ASSERT_TRUE(outer->tos == inner->tos &&
			    outer->frag_off == (inner->frag_off & htons(0x4000)),
		    n);
	inet_pton(AF_INET, LB_ADDR, &saddr);
	snprintf(n, sizeof(n), "lb %s: outer source is the LB", what);
	ASSERT_EQ(outer->saddr, saddr, n);
	daddr = lb_expected(lb, in);
	snprintf(n, sizeof(n), "lb %s: outer destination is the real the Maglev table names", what);
	ASSERT_EQ(outer->daddr, daddr, n);
	snprintf(n, sizeof(n), "lb %s: inner packet unchanged", what);
	ASSERT_MEMEQ(out + 34, in + 14, len - 14, n);
}

static void test_lb_verdict(struct lb *lb, const char *what, const struct fspec *f, int verdict,
			    int reason, int cut)
{
	uint8_t in[BUF], out[BUF];
	uint32_t ret, out_len;
	size_t len = build(f, in);
	uint64_t before = why(lb->skel->maps.xl_why, reason);
	char n[160];

	memcpy(in, lb_mac, 6);
	if (cut)
		len = cut;
	snprintf(n, sizeof(n), "lb %s: test run", what);
	if (!ASSERT_OK(
		    run(bpf_program__fd(lb->skel->progs.xdp_lb), in, len, 0, out, &out_len, &ret),
		    n))
		return;
	snprintf(n, sizeof(n), "lb %s: verdict %d", what, verdict);
	ASSERT_EQ(ret, verdict, n);
	snprintf(n, sizeof(n), "lb %s: counted under reason %d", what, reason);
	ASSERT_EQ(why(lb->skel->maps.xl_why, reason), before + 1, n);
	if (verdict == XDP_PASS) {
		snprintf(n, sizeof(n), "lb %s: passed frame unchanged", what);
		ASSERT_TRUE(out_len == len && !memcmp(out, in, len), n);
	}
}

/*
 * 1,000 flows from random sources over 100 reals.  The table is balanced to
 * +-1 slot, so each real should get Binomial(1000, 1/100) flows: mean 10.
 * Two bounds that a uniform hash fails with small, known probability:
 * chi-square with 99 degrees of freedom below 148.2 (its 0.1% upper quantile),
 * and no real without a flow (P = 100 e^-10 = 0.45%).  A hash that ignores the
 * source address puts all flows on one real and fails both by far.  The draw
 * is seeded, so the test is deterministic; the bounds say why it should pass.
 */
static void test_lb_spread(struct lb *lb)
{
	struct fspec f = L4();
	uint8_t in[BUF], out[BUF];
	uint32_t ret, out_len, hits[LB_REALS] = { 0 }, wrong = 0, lost = 0, empty = 0;
	uint64_t rng = 2018;
	double chi2 = 0;

	for (int i = 0; i < 1000; i++) {
		size_t len = build(&f, in);
		uint32_t src, dst;
		int r;

		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		src = htonl(0x0b000000 | (uint32_t)(rng >> 40)); /* 11.x.y.z */
		memcpy(in + 26, &src, 4);
		in[24] = in[25] = 0;
		*(uint16_t *)(in + 24) = htons(ipv4_fresh_csum(in + 14));
		memcpy(in, lb_mac, 6);
		if (run(bpf_program__fd(lb->skel->progs.xdp_lb), in, len, 0, out, &out_len, &ret) ||
		    ret != XDP_TX) {
			lost++;
			continue;
		}
		memcpy(&dst, out + 30, 4);
		wrong += dst != lb_expected(lb, in);
		r = ntohl(dst) - 0xc6120100;
		if (r >= 0 && r < LB_REALS)
			hits[r]++;
		else
			wrong++;
	}
	for (int r = 0; r < LB_REALS; r++) {
		chi2 += (hits[r] - 10.0) * (hits[r] - 10.0) / 10.0;
		empty += !hits[r];
	}
	ASSERT_EQ(lost, 0, "lb spread: all 1000 flows encapsulated");
	ASSERT_EQ(wrong, 0, "lb spread: every flow on the real user space predicts");
	ASSERT_EQ(empty, 0, "lb spread: every real gets flows");
	ASSERT_TRUE(chi2 < 148.2, "lb spread: chi-square(99) below its 0.1% quantile 148.2");
	printf("INFO lb spread: chi-square %.1f over 100 reals\n", chi2);
}

static void test_lb(void)
{
	static struct lb lb;
	struct fspec f = L4(), g;
	uint8_t in[BUF], out[BUF];
	uint32_t ret, out_len, first = 0, same = 0, one = 0;
	int err = lb_setup(&lb, 0);
	size_t len;

	if (!ASSERT_OK(err, "lb: loads and takes a VIP with 100 reals"))
		goto out;
	test_lb_encap(&lb, "tcp vip", &f);
	g = (struct fspec)L4(.tos = 0x28, .frag = 0x4000, .opt_words = 1, .sport = 40001);
	test_lb_encap(&lb, "tcp vip, DF, tos and ip options", &g);

	/* Stickiness: the same 5-tuple ten times, one real. */
	for (int i = 0; i < 10; i++) {
		uint32_t d;

		len = build(&f, in);
		memcpy(in, lb_mac, 6);
		if (run(bpf_program__fd(lb.skel->progs.xdp_lb), in, len, 0, out, &out_len, &ret) ||
		    ret != XDP_TX)
			continue;
		memcpy(&d, out + 30, 4);
		if (!i)
			first = d;
		same += d == first;
	}
	ASSERT_EQ(same, 10, "lb: one 5-tuple always lands on the same real");

	test_lb_spread(&lb);

	g = (struct fspec)L4(.dport = 81);
	test_lb_verdict(&lb, "other port of the VIP address", &g, XDP_PASS, XL_LB_NOT_VIP, 0);
	g = (struct fspec)L4(.proto = IPPROTO_UDP);
	test_lb_verdict(&lb, "udp to the tcp VIP", &g, XDP_PASS, XL_LB_NOT_VIP, 0);
	g = (struct fspec)L4(.dst = "203.0.113.11");
	test_lb_verdict(&lb, "another address", &g, XDP_PASS, XL_LB_NOT_VIP, 0);
	g = (struct fspec)L4(.proto = IPPROTO_ICMP);
	test_lb_verdict(&lb, "icmp to the VIP", &g, XDP_PASS, XL_LB_NOT_PARSED, 0);
	g = (struct fspec)L4(.tags = 1);
	test_lb_verdict(&lb, "vlan-tagged (not handled)", &g, XDP_PASS, XL_LB_NOT_PARSED, 0);
	g = (struct fspec)L4(.v6 = 1, .src = "2001:db8::1", .dst = "2001:db8::2");
	test_lb_verdict(&lb, "ipv6", &g, XDP_PASS, XL_LB_NOT_PARSED, 0);
	test_lb_verdict(&lb, "ports cut off", &f, XDP_PASS, XL_LB_NOT_PARSED, 36);
	g = (struct fspec)L4(.frag = 0x2000);
	test_lb_verdict(&lb, "fragment to the VIP", &g, XDP_PASS, XL_LB_FRAGMENT, 0);
	g = (struct fspec)L4(.payload = 1481 - 40);
	test_lb_verdict(&lb, "1481-byte packet (1501 encapsulated)", &g, XDP_DROP, XL_LB_TOO_BIG,
			0);
	g = (struct fspec)L4(.payload = 1480 - 40);
	test_lb_encap(&lb, "1480-byte packet (1500 encapsulated)", &g);

	/* A VIP whose only real is then cleared drops, visibly. */
	{
		struct xl_lb_vip_key vip = { .port = htons(53), .proto = IPPROTO_UDP };
		uint32_t id = LB_REALS, unset = LB_REALS + 1;

		inet_pton(AF_INET, "203.0.113.12", &vip.addr);
		ASSERT_EQ(xl_lb_set_vip(&lb.m, &vip, 1, &unset, 1), -ENOENT,
			  "lb: a VIP over an unset real is refused");
		ASSERT_OK(xl_lb_set_real(&lb.m, id, htonl(0xc6120200)), "lb: set real 100");
		ASSERT_OK(xl_lb_set_vip(&lb.m, &vip, 1, &id, 1), "lb: udp VIP over one real");
		g = (struct fspec)L4(.proto = IPPROTO_UDP, .dst = "203.0.113.12", .dport = 53);
		len = build(&g, in);
		memcpy(in, lb_mac, 6);
		run(bpf_program__fd(lb.skel->progs.xdp_lb), in, len, 0, out, &out_len, &ret);
		memcpy(&one, out + 30, 4);
		ASSERT_TRUE(ret == XDP_TX && one == htonl(0xc6120200),
			    "lb: udp VIP goes to its one real");
		xl_lb_set_real(&lb.m, id, 0);
		test_lb_verdict(&lb, "ring slot naming a cleared real", &g, XDP_DROP, XL_LB_NO_REAL,
				0);
		ASSERT_OK(xl_lb_del_vip(&lb.m, &vip), "lb: VIP deleted");
		test_lb_verdict(&lb, "deleted VIP", &g, XDP_PASS, XL_LB_NOT_VIP, 0);
	}
out:
	xdp_lb__destroy(lb.skel);
	lb.skel = NULL;
}

/* cfg_redirect: an empty egress slot aborts (visible), a set one redirects. */
static void test_lb_redirect(void)
{
	static struct lb lb;
	struct fspec f = L4();
	uint8_t in[BUF], out[BUF];
	uint32_t ret, out_len, key = 0, lo = 1;
	size_t len;

	if (!ASSERT_OK(lb_setup(&lb, 1), "lb redirect: loads with cfg_redirect=1"))
		goto out;
	len = build(&f, in);
	memcpy(in, lb_mac, 6);
	run(bpf_program__fd(lb.skel->progs.xdp_lb), in, len, 0, out, &out_len, &ret);
	ASSERT_EQ(ret, XDP_ABORTED, "lb redirect: empty egress slot aborts");
	bpf_map_update_elem(bpf_map__fd(lb.skel->maps.xl_lb_tx_port), &key, &lo, 0);
	run(bpf_program__fd(lb.skel->progs.xdp_lb), in, len, 0, out, &out_len, &ret);
	ASSERT_EQ(ret, XDP_REDIRECT, "lb redirect: verdict XDP_REDIRECT with the slot set");
	ASSERT_EQ(out_len, len + 20, "lb redirect: encapsulated");
out:
	xdp_lb__destroy(lb.skel);
}

/* ---- Maglev ---------------------------------------------------------- */

static void count_slots(const uint32_t *table, uint32_t m, uint32_t n, uint32_t *cnt)
{
	memset(cnt, 0, n * sizeof(*cnt));
	for (uint32_t s = 0; s < m; s++)
		if (table[s] < n)
			cnt[table[s]]++;
}

static void test_maglev(void)
{
	enum {
		M = XL_LB_RING_SIZE,
		N = 100
	};
	static uint32_t a[M], b[M];
	uint32_t keys[N], fewer[N - 1], cnt[N], lo = UINT32_MAX, hi = 0, worst_moved = 0, bad = 0;
	uint32_t small[7], tiny[13];

	for (uint32_t i = 0; i < N; i++)
		keys[i] = htonl(0xc6120100 + i);
	ASSERT_TRUE(xl_is_prime(65537) && xl_is_prime(13) && !xl_is_prime(65535) && !xl_is_prime(1),
		    "maglev: primality");
	ASSERT_EQ(xl_maglev_build(keys, N, 65536, a), -EINVAL, "maglev: non-prime size refused");
	ASSERT_EQ(xl_maglev_build(keys, N, 97, a), -EINVAL, "maglev: size <= reals refused");
	ASSERT_EQ(xl_maglev_build(keys, 0, M, a), -EINVAL, "maglev: no reals refused");
	memcpy(fewer, keys, sizeof(fewer));
	fewer[5] = fewer[6];
	ASSERT_EQ(xl_maglev_build(fewer, N - 1, M, a), -EINVAL, "maglev: duplicate keys refused");

	/* Balance: floor(M/N) or ceil(M/N) slots each, the fill's guarantee. */
	if (!ASSERT_OK(xl_maglev_build(keys, N, M, a), "maglev: 100 reals, 65537 slots"))
		return;
	count_slots(a, M, N, cnt);
	for (uint32_t i = 0; i < N; i++) {
		lo = cnt[i] < lo ? cnt[i] : lo;
		hi = cnt[i] > hi ? cnt[i] : hi;
	}
	ASSERT_TRUE(lo >= M / N && hi <= M / N + 1, "maglev: each real has 655 or 656 slots");
	for (uint32_t i = 0; i < 7; i++)
		small[i] = i + 1;
	ASSERT_OK(xl_maglev_build(small, 7, 13, tiny), "maglev: 7 reals, 13 slots");
	count_slots(tiny, 13, 7, cnt);
	for (uint32_t i = 0; i < 7; i++)
		bad += cnt[i] < 1 || cnt[i] > 2;
	ASSERT_EQ(bad, 0, "maglev: small table also within floor/ceil");
	ASSERT_OK(xl_maglev_build(keys, N, M, b), "maglev: rebuilt");
	ASSERT_MEMEQ(a, b, sizeof(a), "maglev: deterministic");

	/*
	 * Minimal disruption: remove one real (ten different ones in turn).  Its
	 * own ~M/N slots must move; the survivors' slots may move too, as freed
	 * slots are claimed earlier in the fill (measured: about 0.6 M/N).  Bound:
	 * at most M/N survivor slots move, i.e. no more than the removed real's own
	 * share.  A hash-mod-N table would move ~99% of all slots.
	 */
	for (uint32_t gone = 0; gone < N; gone += 11) {
		uint32_t j = 0, moved = 0, lo2 = UINT32_MAX, hi2 = 0;

		for (uint32_t i = 0; i < N; i++)
			if (i != gone)
				fewer[j++] = keys[i];
		if (xl_maglev_build(fewer, N - 1, M, b)) {
			bad++;
			continue;
		}
		for (uint32_t s = 0; s < M; s++)
			moved += a[s] != gone && keys[a[s]] != fewer[b[s]];
		worst_moved = moved > worst_moved ? moved : worst_moved;
		count_slots(b, M, N - 1, cnt);
		for (uint32_t i = 0; i < N - 1; i++) {
			lo2 = cnt[i] < lo2 ? cnt[i] : lo2;
			hi2 = cnt[i] > hi2 ? cnt[i] : hi2;
		}
		bad += lo2 < M / (N - 1) || hi2 > M / (N - 1) + 1;
	}
	ASSERT_EQ(bad, 0, "maglev: 99 reals stay balanced after a removal");
	ASSERT_LE(worst_moved, M / N, "maglev: removing a real moves at most M/N other slots");
	printf("INFO maglev: at most %u of %u survivor slots moved (M/N = %u)\n", worst_moved, M,
	       M / N);
}

/* ---- routes ---------------------------------------------------------- */

static int route_cmp(const void *a, const void *b)
{
	const struct xl_route *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->len - (int)y->len;
}

static bool table_has(const struct xl_route_table *t, uint32_t addr, uint8_t len)
{
	struct xl_route key = { .addr = addr, .len = len };

	return bsearch(&key, t->r, t->n, sizeof(key), route_cmp) != NULL;
}

/* Forbidden ranges written as first..last, independent of routes.c's masks. */
static const struct {
	uint32_t first, last;
} no_go[] = {
	{ 0x00000000, 0x00ffffff }, { 0x0a000000, 0x0affffff }, { 0x7f000000, 0x7fffffff },
	{ 0xa9fe0000, 0xa9feffff }, { 0xac100000, 0xac1fffff }, { 0xc0a80000, 0xc0a8ffff },
	{ 0xc0000200, 0xc00002ff }, { 0xc6336400, 0xc63364ff }, { 0xcb007100, 0xcb0071ff },
	{ 0xe0000000, 0xffffffff },
};

static void test_routes_table(struct xl_route_table *t)
{
	struct xl_route_table again = {}, other = {}, huge = {};
	size_t count[33] = { 0 }, ppm = 0, forb = 0, unsorted = 0, hostbits = 0, off_mix = 0;
	uint32_t dests[XL_ROUTES_DESTS], dests2[XL_ROUTES_DESTS];
	size_t uncovered = 0;

	for (size_t i = 0; i < xl_bgp_mix_len; i++)
		ppm += xl_bgp_mix[i].ppm;
	ASSERT_EQ(ppm, 1000000, "routes: mix shares sum to 1");
	if (!ASSERT_OK(xl_routes_generate(XL_ROUTES_PAPER, 1, t), "routes: generate 752,138"))
		return;
	ASSERT_EQ(t->n, XL_ROUTES_PAPER, "routes: count");
	for (size_t i = 0; i < t->n; i++) {
		uint32_t a = t->r[i].addr, len = t->r[i].len;
		uint32_t last = a | (len ? ~0u >> len : ~0u);

		count[len]++;
		unsorted += i && route_cmp(&t->r[i - 1], &t->r[i]) >= 0;
		hostbits += (a & (len ? ~0u >> len : ~0u)) != 0;
		for (size_t f = 0; f < sizeof(no_go) / sizeof(no_go[0]); f++)
			forb += a <= no_go[f].last && last >= no_go[f].first;
	}
	ASSERT_EQ(unsorted, 0, "routes: sorted, so no prefix appears twice");
	ASSERT_EQ(hostbits, 0, "routes: host bits are zero");
	ASSERT_EQ(forb, 0, "routes: none overlaps a reserved/documentation/multicast range");
	for (size_t i = 0; i < xl_bgp_mix_len; i++) {
		uint8_t len = xl_bgp_mix[i].len;
		double share = (double)count[len] / t->n, want = xl_bgp_mix[i].ppm / 1e6;

		off_mix += count[len] != xl_routes_target(t->n, len) || fabs(share - want) > 1e-4;
		count[len] = 0;
	}
	for (int l = 0; l <= 32; l++)
		off_mix += count[l]; /* lengths outside the mix */
	ASSERT_EQ(off_mix, 0, "routes: every length within 0.01% of its share, none other");
	ASSERT_TRUE(xl_routes_target(t->n, 24) > 0.55 * t->n &&
			    xl_routes_target(t->n, 24) < 0.65 * t->n,
		    "routes: /24s are about 60% (2018 table)");

	ASSERT_OK(xl_routes_generate(XL_ROUTES_PAPER, 1, &again), "routes: generate again");
	ASSERT_TRUE(again.n == t->n && !memcmp(again.r, t->r, t->n * sizeof(*t->r)),
		    "routes: same seed, same table");
	ASSERT_OK(xl_routes_generate(XL_ROUTES_PAPER, 2, &other), "routes: other seed");
	ASSERT_TRUE(other.n == t->n && memcmp(other.r, t->r, t->n * sizeof(*t->r)),
		    "routes: other seed, other table");
	xl_routes_free(&again);
	xl_routes_free(&other);
	ASSERT_EQ(xl_routes_generate(12000000, 1, &huge), -ENOSPC,
		  "routes: a mix that cannot fit (240 /8s) is refused");

	if (!ASSERT_OK(xl_routes_pick_dests(t, XL_ROUTES_DESTS, 7, dests),
		       "routes: pick 4000 dests"))
		return;
	for (size_t i = 0; i < XL_ROUTES_DESTS; i++) {
		bool covered = false;

		for (uint8_t l = 8; l <= 24 && !covered; l++)
			covered = table_has(t, dests[i] & (~0u << (32 - l)), l);
		uncovered += !covered;
	}
	ASSERT_EQ(uncovered, 0, "routes: every destination is covered by a route");
	xl_routes_pick_dests(t, XL_ROUTES_DESTS, 7, dests2);
	ASSERT_MEMEQ(dests, dests2, sizeof(dests), "routes: destinations deterministic");
	ASSERT_EQ(xl_routes_pick_dests(t, t->n + 1, 7, dests2), -EINVAL,
		  "routes: more destinations than routes refused");
}

static void test_routes_batch_file(void)
{
	struct xl_route r[2] = { { 0x01020300, 24 }, { 0x0b000000, 8 } };
	struct xl_route_table t = { r, 2 };
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!ASSERT_TRUE(f != NULL, "routes batch: memstream"))
		return;
	ASSERT_OK(xl_routes_write_batch(f, &t, "198.51.100.2", "rt-out"), "routes batch: written");
	fclose(f);
	ASSERT_TRUE(text && !strcmp(text, "route add 1.2.3.0/24 via 198.51.100.2 dev rt-out proto "
					  "249\nroute add 11.0.0.0/8 via 198.51.100.2 dev rt-out "
					  "proto 249\n"),
		    "routes batch: one `ip -batch` line per route");
	free(text);
}

/*
 * The full table in this namespace, routed by the XDP router: every picked
 * destination goes to the table's next hop; after removal, none does.
 */
static void test_routes_loaded(const struct xl_route_table *t, const struct topo *tp)
{
	struct xl_route one[1] = { { 0x01000000, 24 } };
	struct xl_route_table small = { one, 1 };
	struct xdp_router *skel = xdp_router__open_and_load();
	uint32_t dests[XL_ROUTES_DESTS], ifindex = tp->out_ifindex, ret, out_len;
	uint8_t in[BUF], out[BUF];
	struct fspec f = V4(.dst = "0.0.0.0");
	size_t fwd = 0, passed = 0, len;
	int err;

	if (!ASSERT_TRUE(skel != NULL, "routes loaded: router loads"))
		return;
	bpf_map_update_elem(bpf_map__fd(skel->maps.xl_rt_ports), &ifindex, &ifindex, 0);
	ASSERT_EQ(xl_routes_load(NULL, &small, "not-an-address", NULL), -EINVAL,
		  "routes load: bad gateway refused");
	ASSERT_EQ(xl_routes_load(NULL, &small, "100.100.100.100", NULL), -ENETUNREACH,
		  "routes load: unreachable gateway refused");
	err = xl_routes_load(NULL, t, "198.51.100.2", "rt-out");
	if (!ASSERT_OK(err, "routes load: 752,138 routes added"))
		goto out;
	ASSERT_EQ(xl_routes_load(NULL, t, "198.51.100.2", "rt-out"), -EEXIST,
		  "routes load: loading twice stops at an existing route");
	xl_routes_pick_dests(t, XL_ROUTES_DESTS, 7, dests);
	len = build(&f, in);
	memcpy(in, tp->in_mac, 6);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < XL_ROUTES_DESTS; i++) {
			uint32_t d = htonl(dests[i]);

			memcpy(in + 30, &d, 4);
			in[24] = in[25] = 0;
			*(uint16_t *)(in + 24) = htons(ipv4_fresh_csum(in + 14));
			if (run(bpf_program__fd(skel->progs.xdp_router), in, len, tp->in_ifindex,
				out, &out_len, &ret))
				continue;
			fwd += ret == XDP_REDIRECT && !memcmp(out, nh_mac, 6);
			passed += ret == XDP_PASS;
		}
		if (pass == 0) {
			ASSERT_EQ(fwd, XL_ROUTES_DESTS,
				  "routes loaded: all 4000 destinations forwarded to the next hop");
			ASSERT_OK(xl_routes_unload(NULL), "routes unload: flushed");
			fwd = passed = 0;
		}
	}
	ASSERT_EQ(passed, XL_ROUTES_DESTS,
		  "routes unloaded: all 4000 destinations left to the stack");
	ASSERT_EQ(why(skel->maps.xl_why, XL_RT_FIB + BPF_FIB_LKUP_RET_NOT_FWDED), XL_ROUTES_DESTS,
		  "routes unloaded: because no route matches any more");
out:
	xl_routes_unload(NULL);
	xdp_router__destroy(skel);
}

int main(void)
{
	static struct xl_route_table table;
	struct topo topo = {};
	bool have_ip = xl_have_tool("ip");

	if (unshare(CLONE_NEWNET)) {
		printf("FAIL setup: unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 1;
	}
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	xl_run("ip", "link", "set", "lo", "up", NULL);

	RUN_TEST(test_ddos);
	RUN_TEST(test_ddos_variants);
	RUN_TEST(test_ddos_rule_parser);
	RUN_TEST(test_maglev);
	RUN_TEST(test_lb);
	RUN_TEST(test_lb_redirect);
	RUN_TEST(test_routes_batch_file);
	RUN_CASE("test_routes_table", test_routes_table(&table));
	if (!have_ip) {
		printf("SKIP router: iproute2 (ip) not installed\n");
	} else {
		int up = -1;

		RUN_CASE("router: namespace topology",
			 up = ASSERT_OK(setup_topology(&topo), "router: namespace topology") ? 0
											     : -1);
		if (!up) {
			RUN_CASE("test_router", test_router(&topo));
			RUN_CASE("test_router_direct", test_router_direct(&topo));
			if (table.n)
				RUN_CASE("test_routes_loaded", test_routes_loaded(&table, &topo));
		}
	}
	xl_routes_free(&table);
	return xl_test_failed;
}
