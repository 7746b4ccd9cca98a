// SPDX-License-Identifier: GPL-2.0
/*
 * gen_cmd.c - `xdplab gen`: send xdplab test frames out of one interface with
 * any generator backend, print the offered rate each second, and report the
 * achieved rate against the target at the end.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "commands.h"
#include "gen.h"
#include "sig.h"
#include "util.h"
#include "xdplab.h"
#include "xl_err.h"

static void usage(FILE *f)
{
	char names[128];

	xl_gen_list(names, sizeof(names));
	fprintf(f,
		"usage: xdplab gen --dev IF --dst-mac MAC [options]\n"
		"  -d, --dev IF         generator port\n"
		"  -n, --ns NS          its network namespace\n"
		"  -b, --backend NAME   %s (default auto: livefr, else dpdk)\n"
		"      --opts K=V,...   backend options\n"
		"  -D, --dst-mac MAC    destination MAC (the DUT port)\n"
		"  -S, --src-mac MAC    source MAC (default 02:58:4c:00:00:01)\n"
		"      --src-ip IP      default 192.0.2.1\n"
		"      --dst-ip IP      default 198.51.100.2\n"
		"  -s, --size BYTES     frame size incl. FCS, 64..1500 (default 64)\n"
		"  -f, --flows N        UDP source ports varied over N flows (default 1)\n"
		"  -r, --rate PPS       target rate; 0 = maximum (default)\n"
		"  -t, --duration SEC   default 5\n"
		"  -k, --count N        send exactly N frames, then stop\n"
		"  -c, --cpus LIST      one generator thread per CPU (default 0)\n"
		"      --timestamp      stamp send time in each frame (latency trials)\n"
		"      --probe          only check that the backend can run here (exit 0, or 7 and why)\n",
		names);
}

int xl_cmd_gen(int argc, char **argv)
{
	enum {
		OPT_SRC_IP = 256,
		OPT_DST_IP,
		OPT_TS,
		OPT_PROBE,
		OPT_OPTS
	};
	static const struct option opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "ns", required_argument, NULL, 'n' },
		{ "backend", required_argument, NULL, 'b' },
		{ "opts", required_argument, NULL, OPT_OPTS },
		{ "dst-mac", required_argument, NULL, 'D' },
		{ "src-mac", required_argument, NULL, 'S' },
		{ "src-ip", required_argument, NULL, OPT_SRC_IP },
		{ "dst-ip", required_argument, NULL, OPT_DST_IP },
		{ "size", required_argument, NULL, 's' },
		{ "flows", required_argument, NULL, 'f' },
		{ "rate", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'k' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "timestamp", no_argument, NULL, OPT_TS },
		{ "probe", no_argument, NULL, OPT_PROBE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL },
	};
	struct xl_gen_cfg cfg = {
		.pkt = { .src_mac = { 2, 0x58, 0x4c, 0, 0, 1 }, .frame_size = 64, .flows = 1 },
		.nthreads = 1,
	};
	const char *backend = XL_GEN_AUTO;
	double duration = 5, v;
	bool have_dst = false, probe = false;
	uint64_t t0, tprev, prev = 0, cur = 0;
	struct xl_gen *g;
	long n;
	int opt, ret = 0;
	char why[160];

	inet_pton(AF_INET, "192.0.2.1", &cfg.pkt.src_ip);
	inet_pton(AF_INET, "198.51.100.2", &cfg.pkt.dst_ip);
	while ((opt = getopt_long(argc, argv, "d:n:b:D:S:s:f:r:t:k:c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': cfg.ifname = optarg; break;
		case 'n': cfg.ns = optarg; break;
		case 'b': backend = optarg; break;
		case OPT_OPTS: cfg.backend_opts = optarg; break;
		case 'D':
			if (xl_parse_mac(optarg, cfg.pkt.dst_mac))
				goto bad;
			have_dst = true;
			break;
		case 'S':
			if (xl_parse_mac(optarg, cfg.pkt.src_mac))
				goto bad;
			break;
		case OPT_SRC_IP:
			if (inet_pton(AF_INET, optarg, &cfg.pkt.src_ip) != 1)
				goto bad;
			break;
		case OPT_DST_IP:
			if (inet_pton(AF_INET, optarg, &cfg.pkt.dst_ip) != 1)
				goto bad;
			break;
		case 's':
			if (xl_parse_int(optarg, XL_MIN_FRAME, XL_MAX_FRAME, &n))
				goto bad;
			cfg.pkt.frame_size = n;
			break;
		case 'f':
			if (xl_parse_int(optarg, 1, 50000, &n))
				goto bad;
			cfg.pkt.flows = n;
			break;
		case 'r':
			if (xl_parse_double(optarg, 0, 1e9, &cfg.rate_pps))
				goto bad;
			break;
		case 't':
			if (xl_parse_double(optarg, 0.01, 1e7, &duration))
				goto bad;
			break;
		case 'k':
			if (xl_parse_double(optarg, 1, 1e15, &v))
				goto bad;
			cfg.count = v;
			break;
		case 'c':
			cfg.nthreads = xl_parse_cpu_list(optarg, cfg.cpus, XL_MAX_THREADS);
			if (cfg.nthreads < 0)
				goto bad;
			break;
		case OPT_TS: cfg.stamp_time = true; break;
		case OPT_PROBE: probe = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return XL_EXIT_USAGE;
		}
	}
	/* --probe: can the backend run on this kernel?  Nothing is sent. */
	if (probe) {
		char why[256] = "";
		const char *name = xl_gen_resolve(backend, why, sizeof(why));

		if (!name || xl_gen_probe(name, why, sizeof(why))) {
			fprintf(stderr, "xdplab: %s: %s\n", backend, why);
			return XL_EXIT_ENV;
		}
		printf("%s\n", name);
		return 0;
	}
	if (!cfg.ifname || !have_dst) {
		usage(stderr);
		return xl_fail(XL_EXIT_USAGE, "--dev and --dst-mac are required"), XL_EXIT_USAGE;
	}
	xl_sig_install();
	g = xl_gen_open(backend, &cfg);
	if (!g)
		return xl_exit_code() ? xl_exit_code() : XL_EXIT_FAIL;
	if (g->ops->start(g)) {
		xl_gen_close(g);
		return xl_exit_code();
	}
	t0 = tprev = xl_now_ns();
	while (!xl_sig_stopped() && (xl_now_ns() - t0) / 1e9 < duration && !g->ops->done(g)) {
		uint64_t t;

		xl_sig_sleep(1.0);
		if (xl_gen_sent(g, &cur)) {
			ret = xl_exit_code();
			break;
		}
		if (xl_gen_lost(g, why, sizeof(why))) {
			xl_fail(XL_EXIT_FAIL, "%s", why);
			ret = XL_EXIT_FAIL;
			break;
		}
		t = xl_now_ns();
		printf("%7.1fs  offered %.3f Mpps\n", (t - t0) / 1e9,
		       (cur - prev) / ((t - tprev) / 1e9) / 1e6);
		fflush(stdout);
		prev = cur;
		tprev = t;
	}
	g->ops->stop(g);
	if (!ret && xl_gen_lost(g, why, sizeof(why))) {
		xl_fail(XL_EXIT_FAIL, "%s", why);
		ret = XL_EXIT_FAIL;
	}
	if (!ret && !xl_gen_sent(g, &cur)) {
		double secs = (xl_now_ns() - t0) / 1e9;

		printf("sent %llu frames in %.2fs: %.3f Mpps", (unsigned long long)cur, secs,
		       cur / secs / 1e6);
		if (cfg.rate_pps > 0)
			printf(" (target %.3f Mpps, %+.1f%%)", cfg.rate_pps / 1e6,
			       100.0 * (cur / secs - cfg.rate_pps) / cfg.rate_pps);
		printf("\n");
	}
	xl_gen_close(g);
	return ret;
bad:
	xl_fail(XL_EXIT_USAGE, "bad value for -%c: '%s' (see xdplab gen --help)", opt, optarg);
	return XL_EXIT_USAGE;
}
