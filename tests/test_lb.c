// SPDX-License-Identifier: GPL-2.0
/*
 * test_lb.c - the load-balancer experiment's pieces: the address plan
 * (ranges, distinctness, determinism, bad arguments), the plan written into
 * the XDP load balancer and checked with BPF_PROG_TEST_RUN (each frame on the
 * real the Maglev table names, the spread of 1,000 sources over 100 reals),
 * the checking sink fed the balancer's own output and crafted frames (well
 * formed, malformed, moved flow, plain DNAT'd UDP, other, full flow map), the
 * nftables baseline (checked, applied, listed, deleted; with iproute2 also a
 * functional DNAT run through veths into the checking sink) and the ipvsadm
 * commands.  Runs in a private network namespace (unshare), so the nft table,
 * veths and XDP attachments vanish with the process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <sys/socket.h>
#include "test_common.h"
#include "xdplab.h"
#include "xl_spawn.h"
#include "xdp_attach.h"
#include "xl_lb.h"
#include "xl_lbcheck.h"
#include "gen/pkt.h"
#include "apps/maglev.h"
#include "apps/lb_ctl.h"
#include "apps/lb_plan.h"
#include "apps/lb_linux.h"
#include "apps/lb_check.h"
#include "xdp_lb.skel.h"
#include "xdp_lb_check.skel.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define NVIPS 6
#define NREALS 100
#define NSRCS 1000
#define SEED 2018
#define FRAME 128 /* room for a 64-byte frame plus the outer header */

static const uint8_t host_mac[6] = { 2, 0x58, 0x4c, 0xc0, 0, 1 };
static const uint8_t lb_mac[6] = { 2, 0x58, 0x4c, 0xc0, 0, 2 };
static const uint8_t nh_mac[6] = { 2, 0x58, 0x4c, 0xc0, 0, 3 };

static struct xl_lb_plan plan;
static struct xdp_lb *lb;
static struct xdp_lb_check *chk;
static uint32_t *tables[NVIPS]; /* each VIP's Maglev table: index into its reals */

/* xdp_lb's output for source i to VIP i % NVIPS, fed to the checker later. */
static uint8_t outs[NSRCS][FRAME];
static uint32_t out_lens[NSRCS];
static int have_outs;

static uint16_t csum16(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons(~s & 0xffff);
}

/* Recompute the checksum of the IPv4 header at frame offset 14. */
static void fix_ip_csum(uint8_t *f)
{
	struct iphdr *iph = (struct iphdr *)(f + 14);

	iph->check = 0;
	iph->check = csum16(iph, iph->ihl * 4);
}

static int run(int prog_fd, const void *in, size_t len, void *out, uint32_t *out_len,
	       uint32_t *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = len, .data_out = out,
		    .data_size_out = out ? FRAME : 0, .repeat = 1);
	int err = bpf_prog_test_run_opts(prog_fd, &o);

	*retval = o.retval;
	if (out_len)
		*out_len = o.data_size_out;
	return err;
}

/* The generator's 64-byte UDP frame from src to vip:80 (network order). */
static size_t gen_frame(uint8_t *buf, uint32_t src, uint32_t vip)
{
	struct xl_pkt_spec s = {
		.frame_size = 64, .flows = 1, .dst_port = XL_LB_PLAN_PORT, .proto = XL_PROTO_UDP
	};

	memcpy(s.src_mac, host_mac, 6);
	memcpy(s.dst_mac, lb_mac, 6);
	s.src_ip.s_addr = src;
	s.dst_ip.s_addr = vip;
	memset(buf, 0, FRAME);
	return xl_pkt_build(&s, buf, xl_pkt_len(64)) ? 0 : xl_pkt_len(64);
}

/* The real the plan's Maglev table names for a frame to VIP v. */
static uint32_t expected_real(uint32_t v, const uint8_t *frame)
{
	const struct iphdr *iph = (const struct iphdr *)(frame + 14);
	uint32_t ports;

	memcpy(&ports, frame + 14 + iph->ihl * 4, 4);
	return plan
		.reals[v * plan.nreals + tables[v][xl_lb_slot(xl_lb_flow_hash(
						 iph->saddr, iph->daddr, ports, iph->protocol))]];
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Number of equal neighbours in a sorted copy of a[0..n). */
static uint32_t dups(const uint32_t *a, uint32_t n)
{
	uint32_t *s = malloc(n * sizeof(*s)), d = 0;

	if (!s)
		return UINT32_MAX;
	memcpy(s, a, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_u32);
	for (uint32_t i = 1; i < n; i++)
		d += s[i] == s[i - 1];
	free(s);
	return d;
}

/* ---- plan ------------------------------------------------------------ */

static void test_lb_plan(void)
{
	struct xl_lb_plan p, q;
	uint32_t bad_real = 0, bad_src = 0;

	if (!ASSERT_OK(xl_lb_plan_make(&p, NVIPS, NREALS, NSRCS, SEED), "plan: 6 x 100, 1000"))
		return;
	ASSERT_TRUE(p.nvips == NVIPS && p.nreals == NREALS && p.nsrcs == NSRCS,
		    "plan: sizes as asked");
	ASSERT_TRUE(p.proto == IPPROTO_UDP && p.port == htons(XL_LB_PLAN_PORT),
		    "plan: udp port 80");
	for (uint32_t v = 0; v < NVIPS; v++)
		ASSERT_EQ(ntohl(p.vip[v]), 0xcb00710au + v, "plan: VIP 203.0.113.10 + i");
	for (uint32_t r = 0; r < NVIPS * NREALS; r++) {
		uint32_t a = ntohl(p.reals[r]);

		bad_real += (a >> 16) != 0xc613 || (a & 0xff) == 0 || (a & 0xff) == 255;
	}
	for (uint32_t i = 0; i < NSRCS; i++)
		bad_src += (ntohl(p.srcs[i]) >> 16) != 0xc612;
	ASSERT_EQ(bad_real, 0, "plan: reals in 198.19.0.0/16, never .0 or .255");
	ASSERT_EQ(bad_src, 0, "plan: sources in 198.18.0.0/16");
	ASSERT_EQ(dups(p.reals, NVIPS * NREALS), 0, "plan: reals distinct");
	ASSERT_EQ(dups(p.srcs, NSRCS), 0, "plan: sources distinct");

	ASSERT_OK(xl_lb_plan_make(&q, NVIPS, NREALS, NSRCS, SEED), "plan: again, same seed");
	ASSERT_TRUE(q.reals && !memcmp(p.reals, q.reals, NVIPS * NREALS * 4) &&
			    !memcmp(p.srcs, q.srcs, NSRCS * 4),
		    "plan: same seed, same plan");
	xl_lb_plan_free(&q);
	ASSERT_OK(xl_lb_plan_make(&q, NVIPS, NREALS, NSRCS, SEED + 1), "plan: another seed");
	ASSERT_TRUE(q.srcs && memcmp(p.srcs, q.srcs, NSRCS * 4),
		    "plan: another seed, other sources");
	xl_lb_plan_free(&q);
	xl_lb_plan_free(&p);
	ASSERT_TRUE(!p.reals && !p.srcs && !p.nvips, "plan: freed and cleared");

	/* The largest plans: every source and real still distinct. */
	ASSERT_OK(xl_lb_plan_make(&q, XL_LB_MAX_VIPS, XL_LB_MAX_REALS / XL_LB_MAX_VIPS,
				  XL_LB_PLAN_MAX_SRCS, 1),
		  "plan: largest accepted");
	if (q.reals) {
		ASSERT_EQ(dups(q.reals, XL_LB_MAX_REALS), 0, "plan: 4096 reals distinct");
		ASSERT_EQ(dups(q.srcs, XL_LB_PLAN_MAX_SRCS), 0, "plan: 65000 sources distinct");
	}
	xl_lb_plan_free(&q);
}

static void test_lb_plan_bad_args(void)
{
	static const struct {
		const char *name;
		uint32_t nvips, nreals, nsrcs;
	} cases[] = {
		{ "no VIP", 0, 10, 10 },
		{ "33 VIPs", XL_LB_MAX_VIPS + 1, 1, 10 },
		{ "no real", 1, 0, 10 },
		{ "4097 reals", 1, XL_LB_MAX_REALS + 1, 10 },
		{ "32 x 129 reals", XL_LB_MAX_VIPS, XL_LB_MAX_REALS / XL_LB_MAX_VIPS + 1, 10 },
		{ "product overflowing 32 bits", 2, 0x80000000u, 10 },
		{ "no source", 1, 1, 0 },
		{ "65001 sources", 1, 1, XL_LB_PLAN_MAX_SRCS + 1 },
	};
	struct xl_lb_plan p;
	char n[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(n, sizeof(n), "plan: %s refused", cases[i].name);
		ASSERT_EQ(xl_lb_plan_make(&p, cases[i].nvips, cases[i].nreals, cases[i].nsrcs, 1),
			  -EINVAL, n);
		snprintf(n, sizeof(n), "plan: %s leaves nothing allocated", cases[i].name);
		ASSERT_TRUE(!p.reals && !p.srcs, n);
	}
}

/* ---- plan in the XDP load balancer ------------------------------------ */

static int lb_load(void)
{
	struct xl_lb_ctl ctl = { .src_addr = htonl(0xc000020a) }; /* 192.0.2.10 */
	struct xl_lb_maps m;
	int err;

	memcpy(ctl.dst_mac, nh_mac, 6);
	memcpy(ctl.src_mac, lb_mac, 6);
	lb = xdp_lb__open_and_load();
	if (!lb)
		return -errno;
	err = xl_lb_maps_find(lb->obj, &m);
	err = err ?: xl_lb_plan_apply(&m, &plan, &ctl);
	for (uint32_t v = 0; v < NVIPS && !err; v++) {
		tables[v] = calloc(XL_LB_RING_SIZE, sizeof(uint32_t));
		err = tables[v] ? xl_maglev_build(plan.reals + v * NREALS, NREALS, XL_LB_RING_SIZE,
						  tables[v])
				: -ENOMEM;
	}
	return err;
}

/* Every source to its VIP (i % 6): encapsulated toward the real the plan's table names. */
static void test_lb_plan_apply(void)
{
	uint32_t lost = 0, wrong = 0, bad_len = 0, per_vip[NVIPS] = { 0 };
	uint8_t in[FRAME];

	if (!ASSERT_OK(lb_load(), "lb plan: xdp_lb loaded and the plan applied"))
		return;
	for (uint32_t i = 0; i < NSRCS; i++) {
		uint32_t v = i % NVIPS, ret, real;
		size_t len = gen_frame(in, plan.srcs[i], plan.vip[v]);

		if (!len ||
		    run(bpf_program__fd(lb->progs.xdp_lb), in, len, outs[i], &out_lens[i], &ret) ||
		    ret != XDP_TX) {
			lost++;
			continue;
		}
		bad_len += out_lens[i] != len + 20;
		memcpy(&real, outs[i] + 30, 4);
		wrong += real != expected_real(v, in);
		per_vip[v]++;
	}
	ASSERT_EQ(lost, 0, "lb plan: every source's frame to its VIP encapsulated (XDP_TX)");
	ASSERT_EQ(bad_len, 0, "lb plan: each frame grew by one IPv4 header");
	ASSERT_EQ(wrong, 0, "lb plan: each outer destination is the plan's Maglev choice");
	for (uint32_t v = 0; v < NVIPS; v++)
		ASSERT_GT(per_vip[v], 0, "lb plan: every VIP served");
	have_outs = !lost;
}

/* 1,000 sources to VIP 0: every one of its 100 reals gets flows. */
static void test_lb_plan_spread(void)
{
	uint32_t hits[NREALS] = { 0 }, lost = 0, foreign = 0, empty = 0, min = UINT32_MAX, max = 0;
	uint8_t in[FRAME], out[FRAME];

	if (!lb) {
		TEST_SKIP("xdp_lb did not load");
		return;
	}
	for (uint32_t i = 0; i < NSRCS; i++) {
		size_t len = gen_frame(in, plan.srcs[i], plan.vip[0]);
		uint32_t ret, real, j;

		if (run(bpf_program__fd(lb->progs.xdp_lb), in, len, out, NULL, &ret) ||
		    ret != XDP_TX) {
			lost++;
			continue;
		}
		memcpy(&real, out + 30, 4);
		for (j = 0; j < NREALS && plan.reals[j] != real; j++)
			;
		if (j < NREALS)
			hits[j]++;
		else
			foreign++;
	}
	for (uint32_t j = 0; j < NREALS; j++) {
		empty += !hits[j];
		min = hits[j] < min ? hits[j] : min;
		max = hits[j] > max ? hits[j] : max;
	}
	ASSERT_EQ(lost, 0, "lb spread: all 1000 sources encapsulated");
	ASSERT_EQ(foreign, 0, "lb spread: only VIP 0's reals chosen");
	ASSERT_EQ(empty, 0, "lb spread: each of the 100 reals gets flows");
	printf("INFO lb spread: 1000 sources over 100 reals: min %u, max %u flows per real\n", min,
	       max);
}

/* ---- checking sink ------------------------------------------------------ */

static int chk_feed(const void *frame, size_t len, uint32_t *ret)
{
	return run(bpf_program__fd(chk->progs.xdp_lb_check), frame, len, NULL, NULL, ret);
}

static uint64_t chk_dropped(void)
{
	int ncpu = libbpf_num_possible_cpus();
	struct xl_datarec rec[ncpu > 0 ? ncpu : 1];
	uint32_t key = XDP_DROP;
	uint64_t sum = 0;

	if (ncpu <= 0 || bpf_map_lookup_elem(bpf_map__fd(chk->maps.xl_stats), &key, rec))
		return UINT64_MAX;
	for (int c = 0; c < ncpu; c++)
		sum += rec[c].packets;
	return sum;
}

struct real_count {
	uint32_t real[NVIPS * NREALS];
	uint64_t frames[NVIPS * NREALS];
	uint32_t n, unknown;
	uint64_t total;
};

static int count_real(uint32_t real, uint64_t frames, void *ctx)
{
	struct real_count *rc = ctx;

	rc->total += frames;
	for (uint32_t i = 0; i < rc->n; i++)
		if (rc->real[i] == real) {
			rc->frames[i] += frames;
			return 0;
		}
	if (rc->n == NVIPS * NREALS) {
		rc->unknown++;
		return 0;
	}
	rc->real[rc->n] = real;
	rc->frames[rc->n++] = frames;
	return 0;
}

/* The expected spread of outs[] over reals, computed here: count, min, max, median. */
static void expected_spread(struct real_count *e, uint32_t *min, uint32_t *max, double *median)
{
	uint32_t per[NVIPS * NREALS];

	memset(e, 0, sizeof(*e));
	for (uint32_t i = 0; i < NSRCS; i++) {
		uint32_t real;

		memcpy(&real, outs[i] + 30, 4);
		count_real(real, 1, e);
	}
	for (uint32_t i = 0; i < e->n; i++)
		per[i] = e->frames[i];
	qsort(per, e->n, sizeof(*per), cmp_u32);
	*min = per[0];
	*max = per[e->n - 1];
	*median = e->n % 2 ? per[e->n / 2] : (per[e->n / 2 - 1] + per[e->n / 2]) / 2.0;
}

/* xdp_lb's own output: all well formed, each flow on one real, spread as computed here. */
static void test_lbchk_balanced(void)
{
	static struct real_count e, got;
	struct xl_lbchk_result r;
	uint32_t min, max, bad_ret = 0, mismatch = 0;
	double median;

	chk = xdp_lb_check__open_and_load();
	if (!ASSERT_TRUE(chk != NULL, "lbchk: xdp_lb_check loads"))
		return;
	if (!have_outs) {
		TEST_SKIP("no xdp_lb output to check");
		return;
	}
	expected_spread(&e, &min, &max, &median);
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < NSRCS; i++) {
			uint32_t ret;

			if (chk_feed(outs[i], out_lens[i], &ret) || ret != XDP_DROP)
				bad_ret++;
		}
		if (!ASSERT_OK(xl_lbchk_read(chk->obj, &r), "lbchk: read"))
			return;
		ASSERT_EQ(bad_ret, 0, "lbchk: every frame dropped (XDP_DROP)");
		ASSERT_EQ(chk_dropped(), (pass + 1) * NSRCS,
			  "lbchk: every frame in xl_stats[DROP]");
		ASSERT_EQ(r.ipip, (pass + 1) * NSRCS, "lbchk: every frame well-formed IPIP");
		ASSERT_TRUE(!r.malformed && !r.plain && !r.other && !r.untracked,
			    "lbchk: nothing malformed, plain, other or untracked");
		ASSERT_EQ(r.moved, 0, "lbchk: no flow moved (also when seen twice)");
		ASSERT_EQ(r.flows, NSRCS, "lbchk: one flow per source");
	}
	ASSERT_EQ(r.reals_hit, e.n, "lbchk: reals hit as computed here");
	ASSERT_TRUE(r.flows_per_real_min == min && r.flows_per_real_max == max &&
			    r.flows_per_real_median == median,
		    "lbchk: flows per real min/max/median as computed here");
	printf("INFO lbchk: %u flows over %u reals: min %u, median %.1f, max %u\n", r.flows,
	       r.reals_hit, r.flows_per_real_min, r.flows_per_real_median, r.flows_per_real_max);

	ASSERT_OK(xl_lbchk_foreach_real(chk->obj, count_real, &got), "lbchk: foreach real");
	ASSERT_TRUE(got.n == e.n && !got.unknown, "lbchk: the same reals counted");
	ASSERT_EQ(got.total, 2 * NSRCS, "lbchk: frames per real add up");
	for (uint32_t i = 0; i < e.n; i++) {
		uint32_t j;

		for (j = 0; j < got.n && got.real[j] != e.real[i]; j++)
			;
		mismatch += j == got.n || got.frames[j] != 2 * e.frames[i];
	}
	ASSERT_EQ(mismatch, 0, "lbchk: each real's frame count as computed here");

	ASSERT_OK(xl_lbchk_reset(chk->obj), "lbchk: reset");
	memset(&got, 0, sizeof(got));
	ASSERT_OK(xl_lbchk_read(chk->obj, &r), "lbchk: read after reset");
	ASSERT_TRUE(!r.ipip && !r.flows && !r.reals_hit && !r.flows_per_real_max,
		    "lbchk: reset empties counters and flows");
	xl_lbchk_foreach_real(chk->obj, count_real, &got);
	ASSERT_EQ(got.n, 0, "lbchk: reset empties the per-real counts");
}

/* Crafted frames, each changing one counter (mutations of outs[0], xdp_lb's output). */
static size_t mk_broken_csum(uint8_t *f)
{
	f[24] ^= 0x01;
	return out_lens[0];
}

static size_t mk_outer_len_short(uint8_t *f)
{
	struct iphdr *o = (struct iphdr *)(f + 14);

	o->tot_len = htons(ntohs(o->tot_len) - 1);
	fix_ip_csum(f);
	return out_lens[0];
}

static size_t mk_trailing_bytes(uint8_t *f)
{
	(void)f;
	return out_lens[0] + 4; /* beyond the 46-byte minimum: not Ethernet padding */
}

static size_t mk_outer_ihl6(uint8_t *f)
{
	f[14] = 0x46;
	fix_ip_csum(f);
	return out_lens[0];
}

static size_t mk_inner_icmp(uint8_t *f)
{
	f[34 + 9] = IPPROTO_ICMP;
	return out_lens[0];
}

static size_t mk_cut_inner(uint8_t *f)
{
	(void)f;
	return 14 + 20 + 16; /* inside the inner IPv4 header */
}

static size_t mk_inner_later_fragment(uint8_t *f)
{
	f[34 + 6] = 0x00, f[34 + 7] = 0x10; /* offset 128 bytes: no ports */
	return out_lens[0];
}

static size_t mk_other_real(uint8_t *f)
{
	struct iphdr *o = (struct iphdr *)(f + 14);

	o->daddr = o->daddr == plan.reals[0] ? plan.reals[1] : plan.reals[0];
	fix_ip_csum(f);
	return out_lens[0];
}

static size_t mk_unchanged(uint8_t *f)
{
	(void)f;
	return out_lens[0];
}

/* As the Linux baseline leaves it: the source's frame with the VIP replaced by a real. */
static size_t mk_plain(uint8_t *f)
{
	size_t len = gen_frame(f, plan.srcs[0], plan.reals[7]);

	return len;
}

static size_t mk_plain_other_real(uint8_t *f)
{
	return gen_frame(f, plan.srcs[0], plan.reals[8]);
}

static size_t mk_arp(uint8_t *f)
{
	memset(f, 0, 60);
	memset(f, 0xff, 6);
	memcpy(f + 6, host_mac, 6);
	f[12] = 0x08, f[13] = 0x06;
	return 60;
}

static size_t mk_ipv6(uint8_t *f)
{
	memset(f, 0, 80);
	memcpy(f + 6, host_mac, 6);
	f[12] = 0x86, f[13] = 0xdd, f[14] = 0x60, f[20] = IPPROTO_UDP;
	return 80;
}

static size_t mk_tcp_plain(uint8_t *f)
{
	size_t len = gen_frame(f, plan.srcs[1], plan.reals[7]);

	f[14 + 9] = IPPROTO_TCP;
	return len;
}

struct chk_case {
	const char *name;
	size_t (*make)(uint8_t *f); /* the frame (starting as outs[0]) and its length */
	uint64_t ipip, plain, other, malformed, moved;
	uint32_t new_flows;
};

static void test_lbchk_cases(void)
{
	static const struct chk_case cases[] = {
		{ "broken outer checksum", mk_broken_csum, .malformed = 1 },
		{ "outer length one short", mk_outer_len_short, .malformed = 1 },
		{ "4 bytes beyond the outer length", mk_trailing_bytes, .malformed = 1 },
		{ "outer ihl 6", mk_outer_ihl6, .malformed = 1 },
		{ "inner icmp", mk_inner_icmp, .malformed = 1 },
		{ "cut inside the inner header", mk_cut_inner, .malformed = 1 },
		{ "inner later fragment", mk_inner_later_fragment, .malformed = 1 },
		{ "a flow's first frame", mk_unchanged, .ipip = 1, .new_flows = 1 },
		{ "the flow again, same real", mk_unchanged, .ipip = 1 },
		{ "the flow again, another real", mk_other_real, .ipip = 1, .moved = 1 },
		{ "plain DNAT'd udp", mk_plain, .plain = 1, .new_flows = 1 },
		{ "plain udp flow again, another real", mk_plain_other_real, .plain = 1,
		  .moved = 1 },
		{ "plain tcp", mk_tcp_plain, .other = 1 },
		{ "arp", mk_arp, .other = 1 },
		{ "ipv6", mk_ipv6, .other = 1 },
	};
	struct xl_lbchk_result a, b;
	uint8_t f[FRAME];
	char n[160];

	if (!chk || !have_outs) {
		TEST_SKIP("no checker or no xdp_lb output");
		return;
	}
	if (!ASSERT_OK(xl_lbchk_reset(chk->obj), "lbchk cases: reset"))
		return;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct chk_case *c = &cases[i];
		uint64_t drops = chk_dropped();
		uint32_t ret;
		size_t len;

		memcpy(f, outs[0], FRAME);
		len = c->make(f);
		xl_lbchk_read(chk->obj, &a);
		snprintf(n, sizeof(n), "lbchk %s: test run, XDP_DROP", c->name);
		if (!ASSERT_TRUE(!chk_feed(f, len, &ret) && ret == XDP_DROP, n))
			continue;
		xl_lbchk_read(chk->obj, &b);
		snprintf(n, sizeof(n), "lbchk %s: counted in xl_stats[DROP]", c->name);
		ASSERT_EQ(chk_dropped(), drops + 1, n);
		snprintf(n, sizeof(n),
			 "lbchk %s: classified (ipip %d plain %d other %d malformed %d)", c->name,
			 (int)c->ipip, (int)c->plain, (int)c->other, (int)c->malformed);
		ASSERT_TRUE(b.ipip - a.ipip == c->ipip && b.plain - a.plain == c->plain &&
				    b.other - a.other == c->other &&
				    b.malformed - a.malformed == c->malformed,
			    n);
		snprintf(n, sizeof(n), "lbchk %s: moved +%d", c->name, (int)c->moved);
		ASSERT_EQ(b.moved - a.moved, c->moved, n);
		snprintf(n, sizeof(n), "lbchk %s: new flows %u", c->name, c->new_flows);
		ASSERT_EQ(b.flows - a.flows, c->new_flows, n);
	}
}

/* A full flow map: the next new flow is counted untracked, and still dropped. */
static void test_lbchk_full(void)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	static struct xl_lbchk_flow keys[XL_LBCHK_FLOWS];
	static uint32_t vals[XL_LBCHK_FLOWS];
	uint32_t count = XL_LBCHK_FLOWS, ret;
	struct xl_lbchk_result r;

	if (!chk || !have_outs) {
		TEST_SKIP("no checker or no xdp_lb output");
		return;
	}
	xl_lbchk_reset(chk->obj);
	for (uint32_t i = 0; i < XL_LBCHK_FLOWS; i++) {
		keys[i] = (struct xl_lbchk_flow){ .saddr = htonl(0x0a000000 + i), .sport = 1 };
		vals[i] = plan.reals[0];
	}
	if (!ASSERT_OK(bpf_map_update_batch(bpf_map__fd(chk->maps.xl_lbchk_flows), keys, vals,
					    &count, &opts),
		       "lbchk full: 65536 flows written"))
		return;
	ASSERT_TRUE(!chk_feed(outs[0], out_lens[0], &ret) && ret == XDP_DROP,
		    "lbchk full: a new flow dropped");
	ASSERT_OK(xl_lbchk_read(chk->obj, &r), "lbchk full: read");
	ASSERT_TRUE(r.untracked == 1 && r.ipip == 1 && r.flows == XL_LBCHK_FLOWS,
		    "lbchk full: counted ipip and untracked");
	ASSERT_TRUE(r.reals_hit == 1 && r.flows_per_real_max == XL_LBCHK_FLOWS,
		    "lbchk full: all 65536 flows on one real");
	ASSERT_OK(xl_lbchk_reset(chk->obj), "lbchk full: reset");
	ASSERT_OK(xl_lbchk_read(chk->obj, &r), "lbchk full: read after reset");
	ASSERT_TRUE(!r.flows && !r.untracked, "lbchk full: reset empties 65536 flows");
}

/* ---- Linux baseline ---------------------------------------------------- */

static int write_tmp(const char *text, char *path, size_t len)
{
	int fd;

	snprintf(path, len, "/tmp/xl-test-lb-%d.nft", getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return -EIO;
	}
	return close(fd) ? -errno : 0;
}

/* Count the lines of a command's output containing needle (-1 if it cannot run). */
static int count_lines(const char *cmd, const char *needle)
{
	char line[8192];
	int n = 0;
	FILE *f = popen(cmd, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	return pclose(f) ? -1 : n;
}

static void test_lb_nft(void)
{
	const char *const lines[] = {
		"table ip " XL_LB_NFT_TABLE, "type nat hook prerouting priority dstnat",
		"ip daddr 203.0.113.10 udp dport 80 dnat to jhash ip saddr mod "
		"100 seed 0x584c4221 map { 0 : 198.19.0.1, 1 : 198.19.0.2,",
		"ip daddr 203.0.113.15 udp dport 80 dnat to jhash ip saddr mod "
		"100",
		" 99 : 198.19.2.92 }"
	};
	struct xl_lb_plan bad = plan;
	char *text = NULL, *none = NULL, path[64];

	ASSERT_OK(xl_lb_nft_ruleset(&plan, &text), "nft: ruleset made");
	if (!text)
		return;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		ASSERT_TRUE(strstr(text, lines[i]) != NULL, lines[i]);
	bad.proto = IPPROTO_ICMP;
	ASSERT_EQ(xl_lb_nft_ruleset(&bad, &none), -EINVAL, "nft: icmp plan refused");
	ASSERT_TRUE(!none, "nft: no text on error");
	if (!xl_have_tool("nft")) {
		TEST_SKIP("nft not installed (apt-get install nftables)");
		free(text);
		return;
	}
	if (!ASSERT_OK(write_tmp(text, path, sizeof(path)), "nft: ruleset file written"))
		goto out;
	ASSERT_EQ(xl_run("nft", "-c", "-f", path, NULL), 0, "nft: nft -c accepts the ruleset");
	ASSERT_EQ(xl_run("nft", "-f", path, NULL), 0, "nft: applied in the private namespace");
	ASSERT_EQ(count_lines("nft list table ip " XL_LB_NFT_TABLE, "dnat to jhash"), NVIPS,
		  "nft: listed with one DNAT rule per VIP");
	ASSERT_EQ(xl_run("nft", "delete", "table", "ip", XL_LB_NFT_TABLE, NULL), 0,
		  "nft: table deleted");
	ASSERT_NEQ(xl_run("nft", "list", "table", "ip", XL_LB_NFT_TABLE, NULL), 0,
		   "nft: table gone");
	unlink(path);
out:
	free(text);
}

/*
 * The nft baseline on the wire: frames from the plan's sources to the VIPs
 * enter veth lbA, are DNAT'd and forwarded back out of lbA toward the reals'
 * next hop lbB, where xdp_lb_check counts them.  Each source sends two flows
 * (source ports 10000 and 10001): both must land on one real of its VIP, the
 * same one, since the hash is of the source address only.
 */
#define DNAT_SRCS 120
#define LB_A_MAC "02:58:4c:c0:00:0a"
#define LB_B_MAC "02:58:4c:c0:00:0b"

static int dnat_topology(void)
{
	static const char *const sysctls[][2] = {
		{ "/proc/sys/net/ipv6/conf/lbA/disable_ipv6", "1" }, /* no ND or MLD frames */
		{ "/proc/sys/net/ipv6/conf/lbB/disable_ipv6", "1" },
		{ "/proc/sys/net/ipv4/ip_forward", "1" },
		{ "/proc/sys/net/ipv4/conf/all/rp_filter", "0" },
		{ "/proc/sys/net/ipv4/conf/lbA/rp_filter", "0" },
		{ "/proc/sys/net/ipv4/conf/all/send_redirects", "0" },
		{ "/proc/sys/net/ipv4/conf/lbA/send_redirects", "0" },
	};
	int err = xl_run("ip", "link", "add", "lbA", "address", LB_A_MAC, "type", "veth", "peer",
			 "name", "lbB", "address", LB_B_MAC, NULL);

	for (size_t i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]) && !err; i++)
		err = xl_write_file(NULL, sysctls[i][0], sysctls[i][1]);
	err = err ?: xl_run("ip", "addr", "add", "10.99.0.1/24", "dev", "lbA", NULL);
	err = err ?: xl_run("ip", "link", "set", "lbA", "up", NULL);
	err = err ?: xl_run("ip", "link", "set", "lbB", "up", NULL);
	err = err
		      ?: xl_run("ip", "neigh", "add", "10.99.0.2", "lladdr", LB_B_MAC, "dev", "lbA",
				"nud", "permanent", NULL);
	return err ?: xl_run("ip", "route", "add", "198.19.0.0/16", "via", "10.99.0.2", NULL);
}

/* Each flow's real, from the checker's flow map: for source index i, port p. */
static int dnat_reals(struct bpf_object *obj, uint32_t reals[DNAT_SRCS][2])
{
	int fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "xl_lbchk_flows")), n = 0;
	struct xl_lbchk_flow k, next, *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		uint32_t real, i, port;

		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(fd, &k, &real))
			continue;
		for (i = 0; i < DNAT_SRCS && plan.srcs[i] != k.saddr; i++)
			;
		port = ntohs(k.sport) - XL_UDP_SPORT_BASE; /* wraps for lower ports */
		if (i < DNAT_SRCS && port < 2) {
			reals[i][port] = real;
			n++;
		}
	}
	return n;
}

static void test_lb_nft_dnat(void)
{
	static uint32_t reals[DNAT_SRCS][2];
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	uint32_t split = 0, foreign = 0;
	struct xl_lbchk_result r = {};
	struct xl_datarec stats[XL_NR_ACTIONS], before[XL_NR_ACTIONS] = {};
	struct xl_xdp_opts o = { .ifname = "lbB", .mode = XL_MODE_NATIVE, .prog = "xdp_lb_check" };
	char *text = NULL, path[64], obj_path[PATH_MAX + 32], exe[PATH_MAX] = "";
	struct bpf_object *obj;
	struct xl_xdp *x = NULL;
	uint8_t f[FRAME];
	int sock = -1, sent = 0;

	/* Where the harness finds built-in objects: beside the binary (build/). */
	if (readlink("/proc/self/exe", exe, sizeof(exe) - 1) < 0 || !strrchr(exe, '/'))
		exe[0] = 0;
	else
		*strrchr(exe, '/') = 0;
	snprintf(obj_path, sizeof(obj_path), "%s/../xdp_lb_check.bpf.o", exe);
	o.obj_path = obj_path;
	if (access(obj_path, R_OK)) {
		TEST_SKIP("build/xdp_lb_check.bpf.o not found beside the test");
		return;
	}
	if (!xl_have_tool("nft") || !xl_have_tool("ip")) {
		TEST_SKIP("nft or ip not installed");
		return;
	}
	if (!ASSERT_OK(dnat_topology(), "nft dnat: veth pair, route to the reals, forwarding"))
		goto out;
	x = xl_xdp_attach(&o);
	if (!ASSERT_TRUE(x != NULL, "nft dnat: xdp_lb_check.bpf.o attached to lbB (native)"))
		goto out;
	obj = xl_xdp_object(x);
	ASSERT_OK(xl_lb_nft_ruleset(&plan, &text), "nft dnat: ruleset");
	if (!text || !ASSERT_OK(write_tmp(text, path, sizeof(path)), "nft dnat: ruleset file") ||
	    !ASSERT_EQ(xl_run("nft", "-f", path, NULL), 0, "nft dnat: ruleset applied"))
		goto out;
	unlink(path);
	xl_lbchk_reset(obj);
	xl_xdp_read_stats(x, before);
	sock = socket(AF_PACKET, SOCK_RAW, 0);
	if (!ASSERT_TRUE(sock >= 0, "nft dnat: packet socket"))
		goto out;
	to.sll_ifindex = if_nametoindex("lbB");
	xl_parse_mac(LB_A_MAC, to.sll_addr);
	for (int i = 0; i < DNAT_SRCS; i++) {
		for (int port = 0; port < 2; port++) {
			size_t len = gen_frame(f, plan.srcs[i], plan.vip[i % NVIPS]);

			xl_parse_mac(LB_A_MAC, f);
			xl_parse_mac(LB_B_MAC, f + 6);
			*(uint16_t *)(f + 34) = htons(XL_UDP_SPORT_BASE + port);
			f[40] = f[41] = 0; /* no UDP checksum */
			sent += sendto(sock, f, len, 0, (struct sockaddr *)&to, sizeof(to)) ==
				(ssize_t)len;
		}
	}
	ASSERT_EQ(sent, 2 * DNAT_SRCS, "nft dnat: frames sent into lbA");
	for (int t = 0; t < 200 && r.plain < (uint64_t)sent; t++) {
		usleep(10000);
		xl_lbchk_read(obj, &r);
	}
	ASSERT_EQ(r.plain, sent, "nft dnat: every frame arrives DNAT'd (plain udp to a real)");
	ASSERT_TRUE(!r.ipip && !r.malformed && !r.moved, "nft dnat: no ipip, malformed or moved");
	ASSERT_EQ(dnat_reals(obj, reals), 2 * DNAT_SRCS, "nft dnat: two flows tracked per source");
	for (int i = 0; i < DNAT_SRCS; i++) {
		uint32_t v = i % NVIPS, j;

		split += reals[i][0] != reals[i][1];
		for (j = 0; j < NREALS && plan.reals[v * NREALS + j] != reals[i][0]; j++)
			;
		foreign += j == NREALS;
	}
	ASSERT_EQ(xl_xdp_read_stats(x, stats), 0, "nft dnat: sink's xl_stats read");
	ASSERT_EQ(stats[XDP_DROP].packets - before[XDP_DROP].packets,
		  r.ipip + r.plain + r.other + r.malformed,
		  "nft dnat: xl_stats[DROP] counts every classified frame");
	ASSERT_EQ(split, 0, "nft dnat: a source's two flows land on the same real");
	ASSERT_EQ(foreign, 0, "nft dnat: each source lands on a real of its own VIP");
	printf("INFO nft dnat: %u flows over %u reals: min %u, max %u flows per real\n", r.flows,
	       r.reals_hit, r.flows_per_real_min, r.flows_per_real_max);
out:
	if (sock >= 0)
		close(sock);
	free(text);
	xl_xdp_destroy(x);
	xl_run("nft", "delete", "table", "ip", XL_LB_NFT_TABLE, NULL);
	xl_run("ip", "link", "del", "lbA", NULL);
}

static void test_lb_ipvs(void)
{
	struct xl_lb_plan bad = plan;
	int n = -1, m = -1, adds = 0, reals = 0, bad_real = 0;
	char ***cmds = NULL, ***inv = NULL;

	ASSERT_EQ(xl_lb_ipvs_cmds(&plan, false, &cmds, &n), NVIPS + NVIPS * NREALS,
		  "ipvs: count = nvips + nvips * nreals");
	ASSERT_EQ(n, NVIPS + NVIPS * NREALS, "ipvs: *n is the count");
	for (int i = 0; cmds && i < n; i++) {
		char **a = cmds[i];

		if (!strcmp(a[1], "-A")) {
			adds += !strcmp(a[0], "ipvsadm") && !strcmp(a[2], "-u") &&
				!strcmp(a[4], "-s") && !strcmp(a[5], "sh") && !a[6];
		} else if (!strcmp(a[1], "-a")) {
			reals += !strcmp(a[2], "-u") && !strcmp(a[4], "-r") &&
				 !strcmp(a[6], "-i") && !a[7];
			bad_real += strncmp(a[5], "198.19.", 7) || !strstr(a[5], ":80");
		}
	}
	ASSERT_EQ(adds, NVIPS, "ipvs: one `-A -u VIP:80 -s sh` per VIP");
	ASSERT_EQ(reals, NVIPS * NREALS, "ipvs: one `-a -u VIP:80 -r REAL:80 -i` per real");
	ASSERT_EQ(bad_real, 0, "ipvs: reals given as REAL:80");
	if (cmds) {
		ASSERT_TRUE(!strcmp(cmds[0][3], "203.0.113.10:80") &&
				    !strcmp(cmds[1][5], "198.19.0.1:80") &&
				    !strcmp(cmds[1][3], "203.0.113.10:80") &&
				    !strcmp(cmds[NREALS + 1][3], "203.0.113.11:80"),
			    "ipvs: each VIP followed by its own reals");
	}
	ASSERT_EQ(xl_lb_ipvs_cmds(&plan, true, &inv, &m), NVIPS, "ipvs: inverse, one per VIP");
	for (int i = 0; inv && i < m; i++)
		ASSERT_TRUE(!strcmp(inv[i][1], "-D") && !strcmp(inv[i][2], "-u") && !inv[i][4],
			    "ipvs: inverse is `-D -u VIP:80`");
	xl_lb_cmds_free(cmds, n);
	xl_lb_cmds_free(inv, m);
	bad.proto = IPPROTO_TCP;
	ASSERT_EQ(xl_lb_ipvs_cmds(&bad, true, &inv, &m), NVIPS, "ipvs: tcp plan");
	ASSERT_TRUE(inv && !strcmp(inv[0][2], "-t"), "ipvs: tcp plan uses -t");
	xl_lb_cmds_free(inv, m);
	bad.proto = IPPROTO_ICMP;
	ASSERT_EQ(xl_lb_ipvs_cmds(&bad, false, &inv, &m), -EINVAL, "ipvs: icmp plan refused");
	ASSERT_TRUE(!inv && !m, "ipvs: nothing returned on error");
	printf("INFO ipvs: kernel has IPVS: %d\n", xl_lb_have_ipvs());
	ASSERT_TRUE(xl_lb_have_ipvs() == !access("/proc/net/ip_vs", F_OK),
		    "ipvs: probe follows /proc/net/ip_vs");
}

int main(void)
{
	if (unshare(CLONE_NEWNET)) {
		printf("FAIL setup: unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 1;
	}
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	xl_run("ip", "link", "set", "lo", "up", NULL);
	RUN_TEST(test_lb_plan);
	RUN_TEST(test_lb_plan_bad_args);
	if (xl_lb_plan_make(&plan, NVIPS, NREALS, NSRCS, SEED)) {
		printf("FAIL setup: plan\n");
		return 1;
	}
	RUN_TEST(test_lb_plan_apply);
	RUN_TEST(test_lb_plan_spread);
	RUN_TEST(test_lbchk_balanced);
	RUN_TEST(test_lbchk_cases);
	RUN_TEST(test_lbchk_full);
	RUN_TEST(test_lb_nft);
	RUN_TEST(test_lb_nft_dnat);
	RUN_TEST(test_lb_ipvs);
	xdp_lb_check__destroy(chk);
	xdp_lb__destroy(lb);
	for (int v = 0; v < NVIPS; v++)
		free(tables[v]);
	xl_lb_plan_free(&plan);
	return xl_test_failed;
}
