// SPDX-License-Identifier: GPL-2.0
/*
 * test_progs.c - every XDP program checked with BPF_PROG_TEST_RUN on fixture
 * frames: verdict, output bytes, redirect target, per-action counters, and
 * short or foreign frames.  Also the frame template (pkt.c) and the generator
 * program's per-frame rewriting.  Runs in a private network namespace
 * (unshare), so the devmap target and everything else vanish with the process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include "test_common.h"
#include "gen/pkt.h"
#include "xdplab.h"
#include "xdp_attach.h"
#include "lat_hist.h"
#include "xdp_bench.skel.h"
#include "trafficgen.skel.h"

static uint8_t frame[XL_MAX_FRAME];
static size_t frame_len;

static void make_frame(unsigned int size)
{
	struct xl_pkt_spec spec = {
		.src_mac = { 2, 0x58, 0x4c, 0, 0, 1 },
		.dst_mac = { 2, 0x58, 0x4c, 0, 0, 2 },
		.frame_size = size,
		.flows = 1,
	};

	inet_pton(AF_INET, "192.0.2.1", &spec.src_ip);
	inet_pton(AF_INET, "198.51.100.2", &spec.dst_ip);
	frame_len = xl_pkt_len(size);
	xl_pkt_build(&spec, frame, frame_len);
}

static int run(int prog_fd, const void *in, size_t len, void *out, uint32_t *out_len,
	       uint32_t *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = len, .data_out = out,
		    .data_size_out = out ? XL_MAX_FRAME : 0, .repeat = 1);
	int err = bpf_prog_test_run_opts(prog_fd, &o);

	*retval = o.retval;
	if (out_len)
		*out_len = o.data_size_out;
	return err;
}

static uint64_t stat_pkts(struct bpf_map *m, int action, uint64_t *bytes)
{
	struct xl_datarec r = {};

	xl_percpu_datarec_sum(bpf_map__fd(m), action, &r);
	if (bytes)
		*bytes = r.bytes;
	return r.packets;
}

static void test_pkt_template(void)
{
	struct iphdr *ip;
	struct udphdr *udp;
	uint32_t sum = 0;
	uint16_t *w;
	uint8_t buf[XL_MAX_FRAME];
	struct xl_pkt_spec spec = { .frame_size = 63, .flows = 1 };

	make_frame(64);
	ASSERT_EQ(frame_len, 60, "pkt: 64-byte frame is 60 bytes without FCS");
	ip = (struct iphdr *)(frame + ETH_HLEN);
	udp = (struct udphdr *)(ip + 1);
	for (w = (uint16_t *)ip; w < (uint16_t *)(ip + 1); w++)
		sum += *w;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	ASSERT_EQ(sum, 0xffff, "pkt: IPv4 header checksum verifies");
	ASSERT_EQ(ntohs(ip->tot_len), 60 - ETH_HLEN, "pkt: IP total length");
	ASSERT_EQ(ntohs(udp->len), 60 - ETH_HLEN - 20, "pkt: UDP length");
	ASSERT_EQ(ntohs(udp->dest), XL_UDP_DPORT, "pkt: UDP destination port");
	ASSERT_EQ(ntohs(*(uint16_t *)(frame + XL_OFF_MAGIC)), XL_MAGIC, "pkt: magic in payload");
	ASSERT_NEQ(xl_pkt_build(&spec, buf, 59), 0, "pkt: 63-byte frame rejected");
	spec.frame_size = 1501;
	ASSERT_NEQ(xl_pkt_build(&spec, buf, 1497), 0, "pkt: 1501-byte frame rejected");
	spec.frame_size = 1500;
	ASSERT_OK(xl_pkt_build(&spec, buf, 1496), "pkt: 1500-byte frame accepted");
	spec.flows = 0;
	ASSERT_NEQ(xl_pkt_build(&spec, buf, 1496), 0, "pkt: zero flows rejected");
}

static void test_bench_progs(void)
{
	struct xdp_bench *skel = xdp_bench__open_and_load();
	uint8_t out[XL_MAX_FRAME], tiny[20];
	uint32_t ret, out_len, key = 0, ifindex;
	uint64_t bytes;

	if (!ASSERT_TRUE(skel != NULL, "progs: xdp_bench loads"))
		return;
	make_frame(64);
	/* A frame cut short inside the IP header (the kernel refuses test runs under 14 bytes). */
	memcpy(tiny, frame, sizeof(tiny));

	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_drop), frame, frame_len, NULL, NULL, &ret),
		  "drop: test run");
	ASSERT_EQ(ret, XDP_DROP, "drop: verdict XDP_DROP");
	ASSERT_EQ(stat_pkts(skel->maps.xl_stats, XDP_DROP, &bytes), 1, "drop: counted one packet");
	ASSERT_EQ(bytes, frame_len, "drop: counted its bytes");
	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_drop), tiny, sizeof(tiny), NULL, NULL, &ret),
		  "drop: truncated frame test run");
	ASSERT_EQ(ret, XDP_DROP, "drop: truncated frame dropped, not aborted");

	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_pass), frame, frame_len, out, &out_len, &ret),
		  "pass: test run");
	ASSERT_EQ(ret, XDP_PASS, "pass: verdict XDP_PASS");
	ASSERT_MEMEQ(out, frame, frame_len, "pass: frame unchanged");
	ASSERT_EQ(stat_pkts(skel->maps.xl_stats, XDP_PASS, NULL), 1, "pass: counted");

	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_tx), frame, frame_len, out, &out_len, &ret),
		  "tx: test run");
	ASSERT_EQ(ret, XDP_TX, "tx: verdict XDP_TX");
	ASSERT_EQ(out_len, frame_len, "tx: length unchanged");
	ASSERT_MEMEQ(out, frame + 6, 6, "tx: new destination is the old source");
	ASSERT_MEMEQ(out + 6, frame, 6, "tx: new source is the old destination");
	ASSERT_MEMEQ(out + 12, frame + 12, frame_len - 12, "tx: rest of the frame unchanged");
	ASSERT_EQ(stat_pkts(skel->maps.xl_stats, XDP_TX, NULL), 1, "tx: counted under XDP_TX");
	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_tx), tiny, sizeof(tiny), out, &out_len, &ret),
		  "tx: truncated frame test run");
	ASSERT_EQ(ret, XDP_TX, "tx: truncated frame still bounced (it has an Ethernet header)");
	ASSERT_EQ(out_len, sizeof(tiny), "tx: truncated frame keeps its length");

	/* Redirect: an empty devmap aborts (visible misconfiguration)... */
	ASSERT_OK(
		run(bpf_program__fd(skel->progs.xdp_redirect), frame, frame_len, NULL, NULL, &ret),
		"redirect: test run, empty devmap");
	ASSERT_EQ(ret, XDP_ABORTED, "redirect: empty devmap gives XDP_ABORTED");
	ASSERT_EQ(stat_pkts(skel->maps.xl_stats, XDP_ABORTED, NULL), 1, "redirect: abort counted");
	/* ...and with the egress port set (this namespace's lo), the verdict is REDIRECT. */
	ifindex = 1;
	ASSERT_OK(bpf_map_update_elem(bpf_map__fd(skel->maps.xl_tx_port), &key, &ifindex, 0),
		  "redirect: set egress port");
	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_redirect), frame, frame_len, out, &out_len,
		      &ret),
		  "redirect: test run");
	ASSERT_EQ(ret, XDP_REDIRECT, "redirect: verdict XDP_REDIRECT");
	ASSERT_MEMEQ(out, frame + 6, 6, "redirect: MACs swapped");
	ifindex = 0;
	bpf_map_lookup_elem(bpf_map__fd(skel->maps.xl_tx_port), &key, &ifindex);
	ASSERT_EQ(ifindex, 1, "redirect: devmap holds the egress ifindex");
	ASSERT_EQ(stat_pkts(skel->maps.xl_stats, XDP_REDIRECT, NULL), 1, "redirect: counted");

	/* Sink: xdplab frames dropped and counted; anything else passed. */
	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_sink), frame, frame_len, NULL, NULL, &ret),
		  "sink: test run");
	ASSERT_EQ(ret, XDP_DROP, "sink: xdplab frame dropped");
	memcpy(out, frame, frame_len);
	out[XL_OFF_MAGIC] ^= 0xff;
	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_sink), out, frame_len, NULL, NULL, &ret),
		  "sink: foreign frame test run");
	ASSERT_EQ(ret, XDP_PASS, "sink: foreign frame passed");
	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_sink), tiny, sizeof(tiny), NULL, NULL, &ret),
		  "sink: truncated frame test run");
	ASSERT_EQ(ret, XDP_PASS, "sink: truncated frame passed, not aborted");
	xdp_bench__destroy(skel);
}

static void test_drop_read_variant(void)
{
	struct xdp_bench *skel = xdp_bench__open();
	uint32_t ret;

	if (!ASSERT_TRUE(skel != NULL, "drop-read: open"))
		return;
	skel->rodata->cfg_read_data = 1;
	if (!ASSERT_OK(xdp_bench__load(skel), "drop-read: loads with cfg_read_data=1"))
		goto out;
	make_frame(64);
	ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_drop), frame, frame_len, NULL, NULL, &ret),
		  "drop-read: test run");
	ASSERT_EQ(ret, XDP_DROP, "drop-read: verdict XDP_DROP");
	ASSERT_EQ(stat_pkts(skel->maps.xl_stats, XDP_DROP, NULL), 1, "drop-read: counted");
out:
	xdp_bench__destroy(skel);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void test_generator_prog(bool stamp)
{
	struct trafficgen *skel = trafficgen__open();
	uint8_t in[XL_MAX_FRAME], out[XL_MAX_FRAME];
	uint32_t ret, out_len;
	uint64_t t0, t1, ts;

	if (!ASSERT_TRUE(skel != NULL, "gen: open"))
		return;
	make_frame(128);
	skel->rodata->cfg_ifindex = 1;
	skel->rodata->cfg_flows = 3;
	skel->rodata->cfg_gen_id = 7;
	skel->rodata->cfg_stamp_time = stamp;
	memcpy((void *)skel->rodata->cfg_tmpl, frame, XL_TMPL_WORDS * 8);
	if (!ASSERT_OK(trafficgen__load(skel), "gen: loads"))
		goto out;
	/* Feed a frame as a DUT would hand it back: MACs swapped, TTL changed. */
	memcpy(in, frame, frame_len);
	memcpy(in, frame + 6, 6);
	memcpy(in + 6, frame, 6);
	in[ETH_HLEN + 8] = 1;
	for (int i = 0; i < 4; i++) {
		uint16_t sport, gen;
		uint32_t seq;

		t0 = mono_ns();
		ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_gen), in, frame_len, out, &out_len,
			      &ret),
			  "gen: test run");
		t1 = mono_ns();
		ASSERT_EQ(ret, XDP_REDIRECT, "gen: verdict XDP_REDIRECT");
		ASSERT_MEMEQ(out, frame, XL_OFF_UDP_SPORT,
			     "gen: headers rewritten from the template");
		memcpy(&sport, out + XL_OFF_UDP_SPORT, 2);
		memcpy(&gen, out + XL_OFF_GEN, 2);
		memcpy(&seq, out + XL_OFF_SEQ, 4);
		memcpy(&ts, out + XL_OFF_TSTAMP, 8);
		ASSERT_EQ(ntohs(sport), XL_UDP_SPORT_BASE + i % 3,
			  "gen: source port cycles over flows");
		ASSERT_EQ(gen, 7, "gen: generator id stamped");
		ASSERT_EQ(seq, i, "gen: sequence number increments");
		ASSERT_EQ(ntohs(*(uint16_t *)(out + XL_OFF_MAGIC)), XL_MAGIC, "gen: magic kept");
		if (stamp) {
			ASSERT_GE(ts, t0,
				  "gen: timestamp not before the run (CLOCK_MONOTONIC domain)");
			ASSERT_LE(ts, t1, "gen: timestamp not after the run");
		} else {
			ASSERT_EQ(ts, 0, "gen: no timestamp outside latency trials");
		}
	}
out:
	trafficgen__destroy(skel);
}

/* The latency sink, with a fixed "now", places frames of known age in known buckets. */
static void test_latency_sink(void)
{
	static const uint64_t ages[] = { 0,	49,	5000,	 9999,	    10000,
					 99999, 100000, 1000000, 2000000000 };
	const uint64_t now = 5000000000ull;
	struct xdp_bench *skel = xdp_bench__open();
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals = calloc(ncpu, sizeof(uint64_t));
	struct xl_lat_state *st = calloc(ncpu, sizeof(*st));
	uint32_t ret, key = 0, on = 1, seq;
	uint64_t total = 0, ts;
	char name[96];

	if (!ASSERT_TRUE(skel && vals && st, "latency: open"))
		goto out;
	skel->rodata->cfg_latency = 1;
	skel->rodata->cfg_test_now = now;
	if (!ASSERT_OK(xdp_bench__load(skel), "latency: sink loads"))
		goto out;
	make_frame(64);
	/* Not armed yet: nothing recorded. */
	memcpy(&ts, &now, 8);
	memcpy(frame + XL_OFF_TSTAMP, &ts, 8);
	run(bpf_program__fd(skel->progs.xdp_sink), frame, frame_len, NULL, NULL, &ret);
	bpf_map_update_elem(bpf_map__fd(skel->maps.xl_lat_ctl), &key, &on, 0);
	for (size_t i = 0; i < sizeof(ages) / sizeof(ages[0]); i++) {
		uint32_t b = xl_lat_bucket(ages[i]);
		uint64_t sum = 0;

		ts = now - ages[i];
		seq = i;
		memcpy(frame + XL_OFF_TSTAMP, &ts, 8);
		memcpy(frame + XL_OFF_SEQ, &seq, 4);
		run(bpf_program__fd(skel->progs.xdp_sink), frame, frame_len, NULL, NULL, &ret);
		bpf_map_lookup_elem(bpf_map__fd(skel->maps.xl_lat_hist), &b, vals);
		for (int c = 0; c < ncpu; c++)
			sum += vals[c];
		snprintf(name, sizeof(name), "latency: age %llu ns lands in bucket %u",
			 (unsigned long long)ages[i], b);
		/* 9999 and 5000 share no bucket with others; 0 and 49 share bucket 0. */
		ASSERT_EQ(sum, ages[i] == 49 ? 2 : 1, name);
	}
	/* A frame from the future is an anomaly, and an older sequence number a reordering. */
	ts = now + 1000;
	memcpy(frame + XL_OFF_TSTAMP, &ts, 8);
	run(bpf_program__fd(skel->progs.xdp_sink), frame, frame_len, NULL, NULL, &ret);
	ts = now - 1000;
	seq = 2;
	memcpy(frame + XL_OFF_TSTAMP, &ts, 8);
	memcpy(frame + XL_OFF_SEQ, &seq, 4);
	run(bpf_program__fd(skel->progs.xdp_sink), frame, frame_len, NULL, NULL, &ret);
	/* The newest sequence number again is a relay copy (relay.h), not a reordering. */
	seq = sizeof(ages) / sizeof(ages[0]) - 1;
	memcpy(frame + XL_OFF_SEQ, &seq, 4);
	run(bpf_program__fd(skel->progs.xdp_sink), frame, frame_len, NULL, NULL, &ret);
	ASSERT_EQ(ret, XDP_DROP, "latency: sink still drops its frames");
	bpf_map_lookup_elem(bpf_map__fd(skel->maps.xl_lat_state), &key, st);
	for (int c = 0; c < ncpu; c++)
		total += st[c].count;
	ASSERT_EQ(total, 11, "latency: armed frames counted (not the one before arming)");
	for (int c = 0; c < ncpu; c++) {
		if (!st[c].count)
			continue;
		ASSERT_EQ(st[c].min_ns, 0, "latency: exact minimum");
		ASSERT_EQ(st[c].max_ns, 2000000000ull, "latency: exact maximum");
		ASSERT_EQ(st[c].clock_anomalies, 1, "latency: future timestamp flagged");
		ASSERT_EQ(st[c].reordered, 1,
			  "latency: older sequence number counted as reordered, a copy not");
	}
out:
	free(vals);
	free(st);
	xdp_bench__destroy(skel);
}

int main(void)
{
	if (unshare(CLONE_NEWNET)) {
		printf("FAIL setup: unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 1;
	}
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	RUN_TEST(test_pkt_template);
	RUN_TEST(test_bench_progs);
	RUN_TEST(test_drop_read_variant);
	RUN_CASE("test_generator_prog", test_generator_prog(false));
	RUN_CASE("test_generator_prog_stamped", test_generator_prog(true));
	RUN_TEST(test_latency_sink);
	return xl_test_failed;
}
