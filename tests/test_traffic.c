// SPDX-License-Identifier: GPL-2.0
/*
 * test_traffic.c - the test traffic besides xdplab's UDP frame: TCP frames
 * (pkt.c: header, valid checksum at every size and after every stamp) and
 * replayed pcap frames (replay.c: what is read, padded or refused), and the
 * generator program's TCP checksum and replay paths, by BPF_PROG_TEST_RUN.
 * pcap files are written here with libpcap itself, so the reader is checked
 * against the library's own writer.  Runs in a private network namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/tcp.h>
/* libpcap's own struct bpf_insn would clash with the kernel's: its link types only. */
#define PCAP_DONT_INCLUDE_PCAP_BPF_H
#include <pcap/dlt.h>
#include <pcap/pcap.h>
#include "test_common.h"
#include "gen/pkt.h"
#include "gen/replay.h"
#include "xdplab.h"
#include "trafficgen.skel.h"

static char dir[] = "/tmp/xl-traffic-XXXXXX";

static void tcp_spec(struct xl_pkt_spec *spec, unsigned int size)
{
	memset(spec, 0, sizeof(*spec));
	memcpy(spec->src_mac, (uint8_t[]){ 2, 0x58, 0x4c, 0, 0, 1 }, 6);
	memcpy(spec->dst_mac, (uint8_t[]){ 2, 0x58, 0x4c, 0, 0, 2 }, 6);
	inet_pton(AF_INET, "192.0.2.1", &spec->src_ip);
	inet_pton(AF_INET, "198.51.100.2", &spec->dst_ip);
	spec->frame_size = size;
	spec->flows = 4;
	spec->dst_port = 5001;
	spec->proto = XL_PROTO_TCP;
}

/* RFC 1071 over the pseudo-header and the segment: 0 when the checksum is right. */
static uint16_t tcp_verify(const uint8_t *buf)
{
	const struct iphdr *ip = (const void *)(buf + ETH_HLEN);
	size_t seg = ntohs(ip->tot_len) - sizeof(*ip);
	const uint8_t *p = buf + ETH_HLEN + sizeof(*ip);
	uint32_t sum = 0;

	for (int i = 0; i < 8; i += 2)
		sum += (((const uint8_t *)&ip->saddr)[i] << 8) |
		       ((const uint8_t *)&ip->saddr)[i + 1];
	sum += IPPROTO_TCP + seg;
	for (size_t i = 0; i < seg; i += 2)
		sum += (p[i] << 8) | (i + 1 < seg ? p[i + 1] : 0);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static void test_tcp_frame(void)
{
	static const unsigned int sizes[] = { 64, 65, 128, 1500 };
	struct xl_pkt_spec spec;
	uint8_t buf[XL_MAX_FRAME];

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		const struct iphdr *ip = (const void *)(buf + ETH_HLEN);
		const struct tcphdr *tcp = (const void *)(ip + 1);
		size_t len = xl_pkt_len(sizes[s]);

		tcp_spec(&spec, sizes[s]);
		if (!ASSERT_OK(xl_pkt_build(&spec, buf, len), "tcp: frame builds"))
			return;
		ASSERT_EQ(ip->protocol, IPPROTO_TCP, "tcp: IP protocol 6");
		ASSERT_EQ(ntohs(ip->tot_len), len - ETH_HLEN, "tcp: IP length covers the frame");
		ASSERT_EQ(ntohs(tcp->source), XL_UDP_SPORT_BASE, "tcp: source port of flow 0");
		ASSERT_EQ(ntohs(tcp->dest), 5001, "tcp: destination port");
		ASSERT_EQ(tcp->doff, 5, "tcp: 20-byte header");
		ASSERT_EQ(buf[ETH_HLEN + sizeof(*ip) + 13], XL_TCP_FLAGS, "tcp: PSH|ACK");
		ASSERT_EQ(tcp_verify(buf), 0, "tcp: checksum valid as built");
		for (unsigned int i = 1; i < 6; i++) {
			xl_pkt_stamp(buf, i % 4, 3, 1000 * i, 123456789);
			ASSERT_EQ(tcp_verify(buf), 0, "tcp: checksum valid after a stamp");
			ASSERT_EQ(ntohs(tcp->window), 65535, "tcp: no timestamp over the window");
			ASSERT_EQ(ntohs(tcp->source), XL_UDP_SPORT_BASE + i % 4,
				  "tcp: source port of the flow");
		}
	}
	/* The UDP frame stays what it was: checksum 0, timestamp stamped. */
	tcp_spec(&spec, 64);
	spec.proto = XL_PROTO_UDP;
	ASSERT_OK(xl_pkt_build(&spec, buf, 60), "udp: frame builds");
	ASSERT_EQ(buf[ETH_HLEN + 9], IPPROTO_UDP, "udp: IP protocol 17");
	xl_pkt_stamp(buf, 0, 0, 0, 42);
	ASSERT_EQ(*(uint64_t *)(buf + XL_OFF_TSTAMP), 42, "udp: timestamp stamped");
}

static void test_proto_names(void)
{
	enum xl_proto p;

	ASSERT_OK(xl_proto_parse("tcp", &p), "proto: tcp parses");
	ASSERT_EQ(p, XL_PROTO_TCP, "proto: tcp");
	ASSERT_OK(xl_proto_parse("udp", &p), "proto: udp parses");
	ASSERT_EQ(p, XL_PROTO_UDP, "proto: udp");
	ASSERT_EQ(xl_proto_parse("sctp", &p), -EINVAL, "proto: sctp refused");
	ASSERT_EQ(strcmp(xl_proto_name(XL_PROTO_TCP), "tcp"), 0, "proto: name of tcp");
}

/* Write a pcap with libpcap: frames of the given lengths (caplen = len unless cut). */
static int write_pcap(const char *path, int dlt, const unsigned int *lens, int n, int cut)
{
	pcap_t *p = pcap_open_dead(dlt, 65535);
	uint8_t data[2048];
	pcap_dumper_t *d;

	if (!p)
		return -1;
	d = pcap_dump_open(p, path);
	if (!d) {
		pcap_close(p);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct pcap_pkthdr h = { .caplen = lens[i], .len = lens[i] };

		for (unsigned int b = 0; b < lens[i]; b++)
			data[b] = (uint8_t)(i * 31 + b);
		if (i == cut)
			h.caplen = lens[i] / 2;
		pcap_dump((u_char *)d, &h, data);
	}
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}

static void test_pcap_load(void)
{
	static const unsigned int lens[] = { 42, 60, 1514, 200 };
	struct xl_frames fr;
	char path[64], err[512];

	snprintf(path, sizeof(path), "%s/ok.pcap", dir);
	if (!ASSERT_OK(write_pcap(path, DLT_EN10MB, lens, 4, -1), "pcap: written by libpcap"))
		return;
	if (!ASSERT_OK(xl_frames_load(path, &fr, err, sizeof(err)), "pcap: loads"))
		return;
	ASSERT_EQ(fr.n, 4, "pcap: four frames");
	ASSERT_EQ(fr.f[0].len, XL_PAYLOAD_END, "pcap: a 42-byte frame padded to 60");
	ASSERT_EQ(fr.f[0].data[50], 0, "pcap: padding is zeros");
	ASSERT_EQ(fr.f[0].data[41], (uint8_t)41, "pcap: the frame's bytes kept");
	ASSERT_EQ(fr.f[2].len, 1514, "pcap: a full-size frame kept whole");
	ASSERT_EQ(fr.f[3].data[199], (uint8_t)(3 * 31 + 199), "pcap: last byte of frame 4");
	ASSERT_EQ(fr.padded, 1, "pcap: one frame padded");
	ASSERT_EQ(fr.min_len, 60, "pcap: shortest");
	ASSERT_EQ(fr.max_len, 1514, "pcap: longest");
	ASSERT_NEAR(fr.mean_len, (60 + 60 + 1514 + 200) / 4.0, 1e-9, "pcap: mean length");
	ASSERT_EQ(strlen(fr.sha256), 64, "pcap: SHA-256 recorded");
	ASSERT_EQ(fr.path[0], '/', "pcap: absolute path recorded");
	xl_frames_set_macs(&fr, (uint8_t[]){ 1, 2, 3, 4, 5, 6 },
			   (uint8_t[]){ 7, 8, 9, 10, 11, 12 });
	ASSERT_EQ(fr.f[3].data[5], 6, "pcap: destination MAC rewritten");
	ASSERT_EQ(fr.f[3].data[11], 12, "pcap: source MAC rewritten");
	ASSERT_EQ(fr.f[3].data[12], (uint8_t)(3 * 31 + 12), "pcap: the rest untouched");
	xl_frames_free(&fr);
}

static void test_pcap_refused(void)
{
	static const unsigned int lens[] = { 60, 60 }, big[] = { 60, 1515 };
	struct xl_frames fr;
	char path[64], err[512];
	unsigned int *many;

	snprintf(path, sizeof(path), "%s/none.pcap", dir);
	ASSERT_EQ(xl_frames_load(path, &fr, err, sizeof(err)), -1, "pcap: missing file refused");
	ASSERT_TRUE(strstr(err, "none.pcap") != NULL, "pcap: the error names the file");

	snprintf(path, sizeof(path), "%s/raw.pcap", dir);
	write_pcap(path, DLT_RAW, lens, 2, -1);
	ASSERT_EQ(xl_frames_load(path, &fr, err, sizeof(err)), -1, "pcap: raw IP refused");
	ASSERT_TRUE(strstr(err, "not Ethernet") != NULL, "pcap: says why (link type)");

	snprintf(path, sizeof(path), "%s/cut.pcap", dir);
	write_pcap(path, DLT_EN10MB, lens, 2, 1);
	ASSERT_EQ(xl_frames_load(path, &fr, err, sizeof(err)), -1, "pcap: truncated frame refused");
	ASSERT_TRUE(strstr(err, "frame 2 truncated") != NULL, "pcap: names the frame");

	snprintf(path, sizeof(path), "%s/big.pcap", dir);
	write_pcap(path, DLT_EN10MB, big, 2, -1);
	ASSERT_EQ(xl_frames_load(path, &fr, err, sizeof(err)), -1, "pcap: 1515 bytes refused");

	snprintf(path, sizeof(path), "%s/empty.pcap", dir);
	write_pcap(path, DLT_EN10MB, lens, 0, -1);
	ASSERT_EQ(xl_frames_load(path, &fr, err, sizeof(err)), -1, "pcap: no frames refused");
	ASSERT_TRUE(strstr(err, "no frames") != NULL, "pcap: says it is empty");

	many = calloc(XL_REPLAY_MAX_FRAMES + 1, sizeof(*many));
	if (!ASSERT_TRUE(many != NULL, "pcap: memory"))
		return;
	for (int i = 0; i <= XL_REPLAY_MAX_FRAMES; i++)
		many[i] = 60;
	snprintf(path, sizeof(path), "%s/many.pcap", dir);
	write_pcap(path, DLT_EN10MB, many, XL_REPLAY_MAX_FRAMES + 1, -1);
	ASSERT_EQ(xl_frames_load(path, &fr, err, sizeof(err)), -1, "pcap: too many frames refused");
	ASSERT_TRUE(fr.f == NULL, "pcap: nothing kept on error");
	free(many);

	snprintf(path, sizeof(path), "%s/text.pcap", dir);
	FILE *f = fopen(path, "w");

	if (f) {
		fputs("not a capture\n", f);
		fclose(f);
	}
	ASSERT_EQ(xl_frames_load(path, &fr, err, sizeof(err)), -1, "pcap: a text file refused");
}

static int run(int fd, const void *in, size_t len, void *out, uint32_t *out_len, uint32_t *ret)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = len, .data_out = out,
		    .data_size_out = 2048, .repeat = 1);
	int err = bpf_prog_test_run_opts(fd, &o);

	*ret = o.retval;
	*out_len = o.data_size_out;
	return err;
}

/* xdp_gen with cfg_tcp_sum: every frame it writes has a valid TCP checksum. */
static void test_generator_tcp(void)
{
	struct trafficgen *skel = trafficgen__open();
	uint8_t frame[XL_MAX_FRAME], out[2048];
	struct xl_pkt_spec spec;
	uint32_t ret, out_len;
	size_t len;

	if (!ASSERT_TRUE(skel != NULL, "gen tcp: open"))
		return;
	tcp_spec(&spec, 64);
	len = xl_pkt_len(64);
	xl_pkt_build(&spec, frame, len);
	skel->rodata->cfg_ifindex = 1;
	skel->rodata->cfg_flows = 3;
	skel->rodata->cfg_gen_id = 5;
	skel->rodata->cfg_tcp_sum = xl_pkt_tcp_base_sum(frame, len, false);
	memcpy((void *)skel->rodata->cfg_tmpl, frame, XL_TMPL_WORDS * 8);
	if (!ASSERT_OK(trafficgen__load(skel), "gen tcp: loads"))
		goto out;
	/* Fed back as a DUT might leave it: the checksum field scribbled over. */
	frame[XL_OFF_TCP_CSUM] ^= 0xff;
	for (int i = 0; i < 5; i++) {
		ASSERT_OK(
			run(bpf_program__fd(skel->progs.xdp_gen), frame, len, out, &out_len, &ret),
			"gen tcp: test run");
		ASSERT_EQ(ret, XDP_REDIRECT, "gen tcp: redirected");
		ASSERT_EQ(out[ETH_HLEN + 9], IPPROTO_TCP, "gen tcp: still TCP");
		ASSERT_EQ(ntohs(*(uint16_t *)(out + XL_OFF_UDP_SPORT)), XL_UDP_SPORT_BASE + i % 3,
			  "gen tcp: source port cycles");
		ASSERT_EQ(*(uint32_t *)(out + XL_OFF_SEQ), i, "gen tcp: sequence number");
		ASSERT_EQ(*(uint16_t *)(out + XL_OFF_GEN), 5, "gen tcp: generator id");
		ASSERT_EQ(tcp_verify(out), 0, "gen tcp: checksum valid");
	}
out:
	trafficgen__destroy(skel);
}

/* RFC 1071 over the IPv4 header: 0 when its checksum is right. */
static uint16_t ip_verify(const uint8_t *buf)
{
	uint32_t sum = 0;

	for (int i = ETH_HLEN; i < ETH_HLEN + 20; i += 2)
		sum += (buf[i] << 8) | buf[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* xdp_gen with cfg_naddrs: the destinations in turn, IPv4 (and TCP) checksums right. */
static void test_generator_addrs(bool tcp)
{
	static const char *const addrs[] = { "10.1.2.3", "172.16.99.1", "203.0.113.77" };
	struct trafficgen *skel = trafficgen__open();
	uint8_t frame[XL_MAX_FRAME], out[2048];
	struct xl_pkt_spec spec;
	uint32_t ret, out_len, a[3];
	size_t len = xl_pkt_len(64);

	if (!ASSERT_TRUE(skel != NULL, "gen addrs: open"))
		return;
	tcp_spec(&spec, 64);
	spec.proto = tcp ? XL_PROTO_TCP : XL_PROTO_UDP;
	xl_pkt_build(&spec, frame, len);
	for (int i = 0; i < 3; i++)
		inet_pton(AF_INET, addrs[i], &a[i]);
	skel->rodata->cfg_ifindex = 1;
	skel->rodata->cfg_flows = 2;
	skel->rodata->cfg_naddrs = 3;
	/* What livefr sets; ip_verify and tcp_verify check the result independently. */
	skel->rodata->cfg_ip_sum = xl_pkt_ip_base_sum(frame, false);
	if (tcp)
		skel->rodata->cfg_tcp_sum = xl_pkt_tcp_base_sum(frame, len, true);
	memcpy((void *)skel->rodata->cfg_tmpl, frame, XL_TMPL_WORDS * 8);
	if (!ASSERT_OK(bpf_map__set_max_entries(skel->maps.xl_gen_addrs, 3), "gen addrs: sized") ||
	    !ASSERT_OK(trafficgen__load(skel), "gen addrs: loads"))
		goto out;
	for (__u32 i = 0; i < 3; i++)
		bpf_map_update_elem(bpf_map__fd(skel->maps.xl_gen_addrs), &i, &a[i], 0);
	for (int i = 0; i < 7; i++) {
		uint32_t daddr;

		ASSERT_OK(
			run(bpf_program__fd(skel->progs.xdp_gen), frame, len, out, &out_len, &ret),
			"gen addrs: test run");
		memcpy(&daddr, out + XL_OFF_IP_DADDR, 4);
		ASSERT_EQ(daddr, a[i % 3], "gen addrs: destinations in turn");
		ASSERT_EQ(ip_verify(out), 0, "gen addrs: IPv4 checksum valid");
		if (tcp)
			ASSERT_EQ(tcp_verify(out), 0, "gen addrs: TCP checksum valid");
		ASSERT_EQ(ntohs(*(uint16_t *)(out + XL_OFF_UDP_SPORT)), XL_UDP_SPORT_BASE + i % 2,
			  "gen addrs: flows cycle on their own");
	}
out:
	trafficgen__destroy(skel);
}

/* xdp_gen with cfg_replay: the frames of the map, in turn, each at its own length. */
static void test_generator_replay(void)
{
	static const unsigned int lens[] = { 60, 1514, 99 };
	struct trafficgen *skel = trafficgen__open();
	static struct xl_replay_frame fr[3];
	uint8_t in[1514], out[2048];
	uint32_t ret, out_len;
	int err;

	if (!ASSERT_TRUE(skel != NULL, "replay: open"))
		return;
	for (int i = 0; i < 3; i++) {
		fr[i].len = lens[i];
		for (unsigned int b = 0; b < lens[i]; b++)
			fr[i].data[b] = (uint8_t)(7 * i + b);
	}
	skel->rodata->cfg_ifindex = 1;
	skel->rodata->cfg_flows = 3;
	skel->rodata->cfg_replay = 3;
	err = bpf_map__set_max_entries(skel->maps.xl_replay, 3);
	if (!ASSERT_OK(err, "replay: map sized") ||
	    !ASSERT_OK(trafficgen__load(skel), "replay: loads"))
		goto out;
	for (__u32 i = 0; i < 3; i++)
		ASSERT_OK(bpf_map_update_elem(bpf_map__fd(skel->maps.xl_replay), &i, &fr[i], 0),
			  "replay: frame stored");
	memset(in, 0xee, sizeof(in));
	for (int i = 0; i < 7; i++) {
		const struct xl_replay_frame *want = &fr[i % 3];

		ASSERT_OK(run(bpf_program__fd(skel->progs.xdp_gen), in, sizeof(in), out, &out_len,
			      &ret),
			  "replay: test run");
		ASSERT_EQ(ret, XDP_REDIRECT, "replay: redirected");
		ASSERT_EQ(out_len, want->len, "replay: the frame's own length");
		ASSERT_MEMEQ(out, want->data, want->len, "replay: the frame's bytes, in turn");
	}
out:
	trafficgen__destroy(skel);
}

int main(void)
{
	if (unshare(CLONE_NEWNET)) {
		printf("FAIL setup: unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 1;
	}
	if (!mkdtemp(dir)) {
		printf("FAIL setup: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	RUN_TEST(test_tcp_frame);
	RUN_TEST(test_proto_names);
	RUN_TEST(test_pcap_load);
	RUN_TEST(test_pcap_refused);
	RUN_TEST(test_generator_tcp);
	RUN_TEST(test_generator_replay);
	RUN_CASE("test_generator_addrs", test_generator_addrs(false));
	RUN_CASE("test_generator_addrs_tcp", test_generator_addrs(true));
	{
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			printf("  note: could not remove %s\n", dir);
	}
	return xl_test_failed;
}
