// SPDX-License-Identifier: GPL-2.0
/*
 * gen_pktgen.c - generator backend "pktgen": a user-installed pktgen-dpdk
 * (backend option pktgen=PATH, from `pktgen = PATH` in [run]) started like
 * every DPDK process of xdplab (proc.h: in the generator's namespace, EAL
 * arguments of eal.h, recorded in the cleanup registry) and driven through
 * its command socket (-g, a Lua prompt on TCP inside that namespace): frame
 * size, rate, count, addresses and payload pattern are Lua calls, and so are
 * start and stop.  pktgen paces as a share of the link speed, so a target in
 * pps becomes a percentage here, and the pace pktgen computed from it is read
 * back and checked.  Exact sent counters come from DPDK's telemetry socket
 * (/ethdev/stats of pktgen's port), because pktgen's own Lua statistics are
 * refreshed only once a second; for count-limited runs a small monitor thread
 * on the generator CPU notes when the first and the last frame left, so the
 * runner's pacing check sees the rate pktgen held (active_span).
 *
 * Several flows use pktgen's range mode (the UDP source port steps through
 * them).  What pktgen cannot send as xdplab does is refused in one line: TCP,
 * pcap replay, destination address lists and latency stamps.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "eal.h"
#include "netns.h"
#include "opts.h"
#include "proc.h"
#include "telemetry.h"
#include "gen/gen.h"
#include "systems/system.h"
#include "util.h"
#include "xdplab.h"
#include "xl_err.h"

#define PG_START_TIMEOUT_MS 60000 /* its mbuf pools take a few seconds to fill */
#define PG_CMD_TIMEOUT_MS 5000
#define PG_FIRST_FRAME_MS 10000
#define PG_DEFAULT_MEM_MB 2048 /* five pools of 24576 mbufs of 10 KB per port */
#define PG_WIRE_EXTRA 20 /* preamble and inter-frame gap, as pktgen counts them */
#define PG_MIN_PCT 0.01 /* pktgen's lowest rate setting */
#define PG_PACE_TOL 0.01 /* pace pktgen computed vs. the target */
#define PG_POLL_NS 200000ull /* the monitor's poll step near the first and last frame */
/*
 * pktgen fills frames with a 16-byte user pattern counted from the frame's
 * first byte.  Bytes 10 and 11 of the pattern land at offset 42 of every
 * frame, where the sink looks for XL_MAGIC ("XL"); the 10 bytes before them
 * only keep the C string long enough (they fall into the headers, and into the
 * unused time stamp and sequence fields).
 */
#define PG_PATTERN   \
	"xdplab-pkt" \
	"XL"

struct pg_gen {
	struct xl_dpdk_opts opts;
	struct xl_dpdk_proc proc;
	char path[PATH_MAX];
	char version[64];
	char desc[PATH_MAX + 96]; /* describe() */
	bool spawned;
	int lua; /* pktgen's command socket */
	int tele; /* DPDK telemetry of the pktgen process */
	char rbuf[16384];
	size_t rlen;
	uint64_t base; /* opackets when started */
	bool started, stopped;
	/* Monitor of a count-limited run. */
	pthread_t mon;
	bool mon_on;
	atomic_bool mon_stop, done;
	_Atomic uint64_t first_ns, last_ns;
	double rate_pps;
	uint64_t count;
	int cpus[XL_MAX_THREADS];
	int ncpus;
};

/* Split "pktgen=PATH,rest": PATH into path, the DPDK options (opts.h) into rest. */
static int split_opts(const char *s, char *path, size_t plen, char *rest, size_t rlen, char *err,
		      size_t errlen)
{
	char buf[512], *save = NULL, *kv;
	size_t off = 0;

	path[0] = rest[0] = 0;
	if (s && strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "pktgen backend options too long");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", s ? s : "");
	for (kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		if (!strncmp(kv, "pktgen=", 7)) {
			snprintf(path, plen, "%s", kv + 7);
			continue;
		}
		off += snprintf(rest + off, rlen > off ? rlen - off : 0, "%s%s", off ? "," : "",
				kv);
	}
	if (!path[0]) {
		snprintf(err, errlen,
			 "the pktgen backend needs the program: pktgen = /path/to/pktgen in [run] "
			 "(or --opts pktgen=PATH)");
		return -1;
	}
	if (path[0] != '/') {
		snprintf(err, errlen, "pktgen path '%.200s' must be absolute", path);
		return -1;
	}
	if (access(path, X_OK)) {
		snprintf(err, errlen, "pktgen '%.200s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static bool has_key(const char *s, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = s; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == '=')
			return true;
	return false;
}

static int pktgen_check(const char *backend_opts, char *err, size_t errlen)
{
	char path[PATH_MAX], rest[512];

	return split_opts(backend_opts, path, sizeof(path), rest, sizeof(rest), err, errlen);
}

static int pg_failed(struct pg_gen *p, const char *when)
{
	char why[256];

	xl_dpdk_log_error(&p->proc, why, sizeof(why));
	return xl_fail(XL_EXIT_DPDK, "pktgen %s: %s", when, why);
}

/*
 * One Lua statement on the command socket.  pktgen's prompt evaluates a line
 * and writes nothing back by itself (print() goes to its console), and an
 * error escaping a statement can abort it: every statement runs under pcall
 * and ends with a marker line saying how it went.  out gets what it wrote.
 */
static int lua_cmd(struct pg_gen *p, char *out, size_t outlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int lua_cmd(struct pg_gen *p, char *out, size_t outlen, const char *fmt, ...)
{
	static const char ok[] = "\n@xl-ok\n", bad[] = "\n@xl-err ";
	char body[512], line[1024];
	uint64_t end = xl_now_ns() + PG_CMD_TIMEOUT_MS * 1000000ull;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(body))
		return -E2BIG;
	n = snprintf(line, sizeof(line),
		     "local ok, e = pcall(function() %s end) io.write(ok and '\\n@xl-ok\\n' or "
		     "('\\n@xl-err ' .. (tostring(e):gsub('\\n', ' ')) .. '\\n')) io.flush()\n",
		     body);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -E2BIG;
	if (send(p->lua, line, n, MSG_NOSIGNAL) != n)
		return xl_fail(XL_EXIT_DPDK, "pktgen command socket: %s", strerror(errno));
	p->rlen = 0;
	for (;;) {
		struct pollfd pfd = { .fd = p->lua, .events = POLLIN };
		char *m;
		ssize_t r;
		int64_t left = (int64_t)(end - xl_now_ns()) / 1000000;

		p->rbuf[p->rlen] = 0;
		m = strstr(p->rbuf, ok);
		if (m) {
			*m = 0;
			if (out)
				snprintf(out, outlen, "%s", p->rbuf);
			return 0;
		}
		m = strstr(p->rbuf, bad);
		if (m && strchr(m + strlen(bad), '\n')) {
			m += strlen(bad);
			m[strcspn(m, "\n")] = 0;
			return xl_fail(XL_EXIT_DPDK, "pktgen refused '%.80s': %s", body, m);
		}
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return xl_fail(XL_EXIT_DPDK, "pktgen did not answer '%.80s' within %d s",
				       body, PG_CMD_TIMEOUT_MS / 1000);
		if (p->rlen >= sizeof(p->rbuf) - 1)
			return xl_fail(XL_EXIT_DPDK, "pktgen's answer to '%.80s' is too long",
				       body);
		r = recv(p->lua, p->rbuf + p->rlen, sizeof(p->rbuf) - 1 - p->rlen, 0);
		if (r <= 0)
			return pg_failed(p, "closed its command socket");
		p->rlen += r;
	}
}

/* A number pktgen wrote (one Lua expression). */
static int lua_num(struct pg_gen *p, const char *expr, double *v)
{
	char out[128], *end;

	if (lua_cmd(p, out, sizeof(out), "io.write(tostring(%s))", expr))
		return -1;
	*v = strtod(out, &end);
	if (end == out)
		return xl_fail(XL_EXIT_DPDK, "pktgen wrote '%.40s' for %s", out, expr);
	return 0;
}

/* A TCP port free in the namespace for pktgen's command socket (-g). */
static int free_port(const char *ns)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int fd, saved, port = -1;

	if (xl_ns_enter(ns, &saved))
		return -ENOENT;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	xl_ns_leave(saved);
	if (fd < 0)
		return -errno;
	if (!bind(fd, (struct sockaddr *)&sa, sizeof(sa)) &&
	    !getsockname(fd, (struct sockaddr *)&sa, &len))
		port = ntohs(sa.sin_port);
	else
		port = -errno;
	close(fd);
	return port;
}

/* Connect to the command socket once pktgen listens (it does after its ports are up). */
static int connect_lua(struct pg_gen *p, const char *ns, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	for (int ms = 0; ms < PG_START_TIMEOUT_MS; ms += 20) {
		int fd, saved, err;

		if (!xl_dpdk_alive(&p->proc))
			return pg_failed(p, "failed to start");
		if (xl_ns_enter(ns, &saved))
			return xl_fail(XL_EXIT_NOIF, "network namespace '%s' is gone", ns);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		xl_ns_leave(saved);
		if (fd < 0)
			return xl_fail(XL_EXIT_DPDK, "socket: %s", strerror(errno));
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
			p->lua = fd;
			return 0;
		}
		err = errno;
		close(fd);
		if (err == ENETUNREACH)
			return xl_fail(XL_EXIT_DPDK,
				       "cannot reach pktgen's command socket in namespace %s: %s "
				       "(is its loopback up?)",
				       ns, strerror(err));
		usleep(20000);
	}
	return xl_fail(XL_EXIT_DPDK, "pktgen did not open its command socket within %d s",
		       PG_START_TIMEOUT_MS / 1000);
}

static int tele_u64(int fd, const char *cmd, const char *key, uint64_t *v)
{
	json_object *obj, *f;
	int err = xl_dpdk_tele_cmd(fd, cmd, &obj);

	if (err)
		return err;
	if (!json_object_object_get_ex(obj, key, &f)) {
		json_object_put(obj);
		return -ENOENT;
	}
	*v = json_object_get_uint64(f);
	json_object_put(obj);
	return 0;
}

/*
 * Several flows: pktgen's range mode, every field fixed (start = min = max,
 * step 0) but the UDP source port, which steps by one through the flows and
 * wraps, as xdplab's own generators count their flows.
 */
static int range_mode(struct pg_gen *p, const struct xl_pkt_spec *s, const char *dmac,
		      const char *smac, const char *dip, const char *sip)
{
	static const char *const ends[] = { "start", "min", "max" };
	unsigned int dport = s->dst_port ? s->dst_port : XL_UDP_DPORT;

	for (int i = 0; i < 3; i++) {
		const char *e = ends[i];

		if (lua_cmd(p, NULL, 0, "pktgen.range.dst_mac('0', '%s', '%s')", e, dmac) ||
		    lua_cmd(p, NULL, 0, "pktgen.range.src_mac('0', '%s', '%s')", e, smac) ||
		    lua_cmd(p, NULL, 0, "pktgen.range.dst_ip('0', '%s', '%s')", e, dip) ||
		    lua_cmd(p, NULL, 0, "pktgen.range.src_ip('0', '%s', '%s')", e, sip) ||
		    lua_cmd(p, NULL, 0, "pktgen.range.dst_port('0', '%s', %u)", e, dport) ||
		    lua_cmd(p, NULL, 0, "pktgen.range.ttl('0', '%s', 64)", e) ||
		    lua_cmd(p, NULL, 0, "pktgen.range.pkt_size('0', '%s', %u)", e, s->frame_size) ||
		    lua_cmd(p, NULL, 0, "pktgen.range.src_port('0', '%s', %u)", e,
			    XL_UDP_SPORT_BASE + (i == 2 ? s->flows - 1 : 0)))
			return -1;
	}
	return lua_cmd(p, NULL, 0, "pktgen.range.dst_mac('0', 'inc', '00:00:00:00:00:00')") ||
			       lua_cmd(p, NULL, 0,
				       "pktgen.range.src_mac('0', 'inc', '00:00:00:00:00:00')") ||
			       lua_cmd(p, NULL, 0, "pktgen.range.dst_ip('0', 'inc', '0.0.0.0')") ||
			       lua_cmd(p, NULL, 0, "pktgen.range.src_ip('0', 'inc', '0.0.0.0')") ||
			       lua_cmd(p, NULL, 0, "pktgen.range.dst_port('0', 'inc', 0)") ||
			       lua_cmd(p, NULL, 0, "pktgen.range.ttl('0', 'inc', 0)") ||
			       lua_cmd(p, NULL, 0, "pktgen.range.pkt_size('0', 'inc', 0)") ||
			       lua_cmd(p, NULL, 0, "pktgen.range.src_port('0', 'inc', 1)") ||
			       lua_cmd(p, NULL, 0, "pktgen.range.ip_proto('0', 'udp')") ||
			       lua_cmd(p, NULL, 0, "pktgen.set_range('0', 'on')")
		       ? -1
		       : 0;
}

/* Everything pktgen has to know about the frames, then the pace and the count. */
static int configure(struct pg_gen *p, const struct xl_gen_cfg *c)
{
	const struct xl_pkt_spec *s = &c->pkt;
	char dmac[24], smac[24], dip[INET_ADDRSTRLEN], sip[INET_ADDRSTRLEN];
	uint64_t speed = 0;
	double pct, pps, size;

	xl_format_mac(s->dst_mac, dmac, sizeof(dmac));
	xl_format_mac(s->src_mac, smac, sizeof(smac));
	inet_ntop(AF_INET, &s->dst_ip, dip, sizeof(dip));
	inet_ntop(AF_INET, &s->src_ip, sip, sizeof(sip));
	/* The console screen would otherwise be redrawn into the log four times a second. */
	if (lua_cmd(p, NULL, 0, "pktgen.screen('off')") ||
	    lua_cmd(p, p->version, sizeof(p->version), "io.write(pktgen.info.Pktgen_Version)") ||
	    lua_cmd(p, NULL, 0, "pktgen.set_proto('0', 'udp')") ||
	    lua_cmd(p, NULL, 0, "pktgen.set_mac('0', 'dst', '%s')", dmac) ||
	    lua_cmd(p, NULL, 0, "pktgen.set_mac('0', 'src', '%s')", smac) ||
	    lua_cmd(p, NULL, 0, "pktgen.set_ipaddr('0', 'dst', '%s')", dip) ||
	    lua_cmd(p, NULL, 0, "pktgen.set_ipaddr('0', 'src', '%s/24')", sip) ||
	    lua_cmd(p, NULL, 0, "pktgen.set('0', 'sport', %d)", XL_UDP_SPORT_BASE) ||
	    lua_cmd(p, NULL, 0, "pktgen.set('0', 'dport', %u)",
		    s->dst_port ? s->dst_port : XL_UDP_DPORT) ||
	    lua_cmd(p, NULL, 0, "pktgen.set('0', 'ttl', 64)") ||
	    lua_cmd(p, NULL, 0, "pktgen.pattern('0', 'user')") ||
	    lua_cmd(p, NULL, 0, "pktgen.userPattern('0', '%s')", PG_PATTERN) ||
	    lua_cmd(p, NULL, 0, "pktgen.set('0', 'size', %u)", s->frame_size))
		return -1;
	if (s->flows > 1 && range_mode(p, s, dmac, smac, dip, sip))
		return -1;
	if (lua_num(p, "pktgen.portInfo('0')[0].info.pkt_size", &size))
		return -1;
	if ((unsigned int)size != s->frame_size)
		return xl_fail(XL_EXIT_DPDK, "pktgen set frame size %.0f, not %u", size,
			       s->frame_size);
	if (tele_u64(p->tele, "/ethdev/link_status,0", "speed", &speed) || !speed)
		return xl_fail(XL_EXIT_DPDK,
			       "pktgen's port reports no link speed, and pktgen paces as a share "
			       "of it");
	/* pktgen: pps = link bits/s / ((size + 20) * 8) * pct / 100. */
	pct = c->rate_pps > 0
		      ? c->rate_pps * (s->frame_size + PG_WIRE_EXTRA) * 8 * 100 / (speed * 1e6)
		      : 100;
	/*
	 * Above the line rate pktgen sends as fast as it can (the runner's paced
	 * ceiling asks for 1e9 pps); the pacing check of the trial says by how
	 * much it fell short.
	 */
	if (pct > 100) {
		xl_debug("pktgen: %.0f pps is %.0f%% of the %llu Mb/s port: sending at 100%%",
			 c->rate_pps, pct, (unsigned long long)speed);
		pct = 100;
	}
	if (pct < PG_MIN_PCT)
		return xl_fail(XL_EXIT_DPDK,
			       "pktgen paces no lower than %.2f%% of its port's %llu Mb/s: %.0f "
			       "pps is below that",
			       PG_MIN_PCT, (unsigned long long)speed, c->rate_pps);
	if (lua_cmd(p, NULL, 0, "pktgen.set('0', 'rate', %.8f)", pct) ||
	    lua_num(p, "pktgen.portInfo('0')[0].info.tx_debug.tx_pps", &pps))
		return -1;
	if (c->rate_pps > 0 && pct < 100 &&
	    (pps < c->rate_pps * (1 - PG_PACE_TOL) || pps > c->rate_pps * (1 + PG_PACE_TOL)))
		return xl_fail(XL_EXIT_DPDK, "pktgen paces at %.0f pps for a target of %.0f", pps,
			       c->rate_pps);
	if (c->count > UINT32_MAX)
		return xl_fail(XL_EXIT_USAGE, "pktgen counts at most %u frames per run",
			       UINT32_MAX);
	if (lua_cmd(p, NULL, 0, "pktgen.set('0', 'count', %llu)", (unsigned long long)c->count))
		return -1;
	xl_debug("%s up (%s): %llu Mb/s port, rate %.6f%% = %.0f pps, count %llu", p->version,
		 p->proc.prefix, (unsigned long long)speed, pct, pps, (unsigned long long)c->count);
	return 0;
}

/* What pktgen cannot send the way the other backends do: one line, before starting it. */
static int refuse(const struct xl_gen_cfg *c)
{
	if (!c->ns || !*c->ns)
		return xl_fail(
			XL_EXIT_USAGE,
			"the pktgen backend needs the generator port in a network namespace: "
			"pktgen's command socket listens on all addresses of the namespace it runs in");
	if (c->pkt.proto != XL_PROTO_UDP)
		return xl_fail(XL_EXIT_USAGE, "the pktgen backend sends UDP only");
	if (c->frames || c->naddrs)
		return xl_fail(XL_EXIT_USAGE,
			       "the pktgen backend sends one frame template (no pcap replay or "
			       "destination lists)");
	if (c->stamp_time)
		return xl_fail(XL_EXIT_USAGE,
			       "the pktgen backend cannot stamp send times (latency trials)");
	if (c->pkt.frame_size < XL_MIN_FRAME || c->pkt.frame_size > XL_MAX_FRAME)
		return xl_fail(XL_EXIT_USAGE, "frame size must be %d..%d bytes", XL_MIN_FRAME,
			       XL_MAX_FRAME);
	for (int i = 0; i < c->nthreads; i++)
		if (c->cpus[i] < 0 || c->cpus[i] >= sysconf(_SC_NPROCESSORS_ONLN))
			return xl_fail(XL_EXIT_USAGE, "generator CPU %d is not online", c->cpus[i]);
	return 0;
}

static int pktgen_open(struct xl_gen *g)
{
	struct xl_gen_cfg *c = &g->cfg;
	struct pg_gen *p = calloc(1, sizeof(*p));
	char rest[512], err[320], vdev[160], store[1024], gopt[48], map[48], tver[64];
	const char *argv[64];
	int lcpus[XL_MAX_THREADS + 1], argc = 0, port, e;

	if (!p)
		return -ENOMEM;
	g->priv = p;
	p->lua = p->tele = -1;
	p->proc.stdin_fd = -1;
	if (split_opts(c->backend_opts, p->path, sizeof(p->path), rest, sizeof(rest), err,
		       sizeof(err)))
		return xl_fail(XL_EXIT_ENV, "%s", err);
	if (refuse(c) || xl_dpdk_opts_parse(rest, &p->opts))
		return -EINVAL;
	/* pktgen's own defaults: an af_packet port (its 10 KB mbufs are no AF_XDP umem), 2 GB. */
	if (!has_key(rest, "vdev") && !has_key(rest, "pci"))
		p->opts.kind = XL_DPDK_AF_PACKET;
	if (!has_key(rest, "mem"))
		p->opts.mem_mb = PG_DEFAULT_MEM_MB;
	if (!has_key(rest, "huge"))
		p->opts.huge = false;
	if (p->opts.kind == XL_DPDK_PCI && p->opts.npci != 1)
		return xl_fail(XL_EXIT_DPDK, "the pktgen backend takes one pci= device");
	if (xl_dpdk_check_ports(&p->opts, c->ns, &c->ifname, 1))
		return -ENODEV;
	port = free_port(c->ns);
	if (port < 0)
		return xl_fail(XL_EXIT_DPDK, "no free TCP port for pktgen in namespace %s: %s",
			       c->ns, strerror(-port));
	xl_dpdk_proc_init(&p->proc, "pktgen", &p->opts);
	p->proc.tty_stdin = true; /* pktgen's console insists on a terminal */
	p->proc.grace_ms = 300; /* nothing ends pktgen but a signal */

	/* lcore 0 (main, console and timers) shares the first generator CPU. */
	lcpus[0] = c->cpus[0];
	memcpy(lcpus + 1, c->cpus, sizeof(int) * c->nthreads);
	argv[argc++] = p->path;
	if (xl_dpdk_eal_args(&p->proc, &p->opts, lcpus, c->nthreads + 1, argv, &argc, 50, store,
			     sizeof(store)))
		return xl_fail(XL_EXIT_DPDK, "too many DPDK arguments");
	xl_dpdk_vdev_arg(&p->opts, 0, c->ifname, c->nthreads, vdev, sizeof(vdev));
	if (vdev[0]) {
		argv[argc++] = "--vdev";
		argv[argc++] = vdev;
	}
	snprintf(gopt, sizeof(gopt), "localhost:%d", port);
	if (c->nthreads == 1)
		snprintf(map, sizeof(map), "1.0");
	else
		snprintf(map, sizeof(map), "[1-%d].0", c->nthreads);
	argv[argc++] = "--";
	argv[argc++] = "-g";
	argv[argc++] = gopt;
	argv[argc++] = "-m";
	argv[argc++] = map;
	argv[argc] = NULL;
	e = xl_dpdk_spawn(&p->proc, &p->opts, p->opts.kind == XL_DPDK_PCI ? NULL : c->ns, lcpus,
			  c->nthreads + 1, argv);
	if (e)
		return e;
	p->spawned = true;
	if (connect_lua(p, c->ns, port))
		return -1;
	p->tele = xl_dpdk_tele_open(p->proc.prefix, tver, sizeof(tver));
	if (p->tele < 0)
		return xl_fail(XL_EXIT_DPDK, "cannot reach pktgen's DPDK telemetry: %s",
			       strerror(-p->tele));
	p->rate_pps = c->rate_pps;
	p->count = c->count;
	p->ncpus = c->nthreads;
	memcpy(p->cpus, c->cpus, sizeof(int) * c->nthreads);
	return configure(p, c);
}

static int read_sent(int fd, uint64_t *v)
{
	return tele_u64(fd, "/ethdev/stats,0", "opackets", v);
}

/*
 * Count-limited runs: note when the first and the last frame left, each to
 * within a poll step.  It sleeps through the middle of the run, and runs on
 * the generator CPUs, so the DUT's CPUs never see it.
 */
static void *monitor(void *arg)
{
	struct pg_gen *p = arg;
	uint64_t prev_t = xl_now_ns(), v;
	cpu_set_t set;
	int fd = xl_dpdk_tele_open(p->proc.prefix, NULL, 0);

	CPU_ZERO(&set);
	for (int i = 0; i < p->ncpus; i++)
		CPU_SET(p->cpus[i], &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (fd < 0)
		return NULL;
	while (!atomic_load(&p->mon_stop)) {
		uint64_t now, wait_ns = PG_POLL_NS;

		if (read_sent(fd, &v))
			break;
		now = xl_now_ns();
		v -= p->base;
		if (v && !atomic_load(&p->first_ns))
			atomic_store(&p->first_ns, (prev_t + now) / 2);
		if (v >= p->count) {
			atomic_store(&p->last_ns, (prev_t + now) / 2);
			atomic_store(&p->done, true);
			break;
		}
		/* Far from the end: sleep until shortly before it, in steps of at most 20 ms. */
		if (v && p->rate_pps > 0) {
			double left = (p->count - v) / p->rate_pps;

			if (left > 0.01)
				wait_ns = left > 0.03 ? 20000000ull
						      : (uint64_t)((left - 0.005) * 1e9);
		}
		prev_t = now;
		nanosleep(&(struct timespec){ .tv_sec = wait_ns / 1000000000ull,
					      .tv_nsec = wait_ns % 1000000000ull },
			  NULL);
	}
	close(fd);
	return NULL;
}

/*
 * pktgen keeps one send deadline, advanced by a fixed step per burst: every
 * burst it owes since it fell behind goes out back to back.  It fell a second
 * behind while it rewrote its pool at start, which would become a second at
 * full speed right at the start of the trial.  Setting its cycle count to 0
 * makes its send loop take the pace afresh from the rate and restart the
 * deadline from now.
 */
static int restart_pace(struct pg_gen *p)
{
	return lua_cmd(p, NULL, 0, "pktgen.set('0', 'cycles', 0)");
}

static int pktgen_start(struct xl_gen *g)
{
	struct pg_gen *p = g->priv;

	if (read_sent(p->tele, &p->base))
		return pg_failed(p, "lost its telemetry");
	atomic_store(&p->done, false);
	atomic_store(&p->first_ns, 0);
	atomic_store(&p->last_ns, 0);
	atomic_store(&p->mon_stop, false);
	if (p->count && !pthread_create(&p->mon, NULL, monitor, p))
		p->mon_on = true;
	if (lua_cmd(p, NULL, 0, "pktgen.start('0')"))
		return -1;
	p->started = true;
	/*
	 * pktgen first rewrites every mbuf of its pool with the frame (about a
	 * second here): started means the first frame has left.
	 */
	for (int ms = 0; ms < PG_FIRST_FRAME_MS; ms++) {
		uint64_t v;

		if (read_sent(p->tele, &v))
			return pg_failed(p, "failed");
		if (v > p->base)
			return restart_pace(p);
		usleep(1000);
	}
	return xl_fail(XL_EXIT_DPDK, "pktgen sent nothing within %d s of its start",
		       PG_FIRST_FRAME_MS / 1000);
}

static int pktgen_sent(struct xl_gen *g, uint64_t *frames)
{
	struct pg_gen *p = g->priv;
	uint64_t v;

	*frames = 0;
	if (!p->started)
		return 0;
	if (read_sent(p->tele, &v) || v < p->base)
		return pg_failed(p, "failed");
	*frames = v - p->base;
	return 0;
}

static bool pktgen_done(struct xl_gen *g)
{
	struct pg_gen *p = g->priv;

	return p->started && p->count && atomic_load(&p->done);
}

static double pktgen_active_span(struct xl_gen *g)
{
	struct pg_gen *p = g->priv;
	uint64_t a = atomic_load(&p->first_ns), b = atomic_load(&p->last_ns);

	return atomic_load(&p->done) && b > a ? (b - a) / 1e9 : 0;
}

static void stop_monitor(struct pg_gen *p)
{
	if (!p->mon_on)
		return;
	atomic_store(&p->mon_stop, true);
	pthread_join(p->mon, NULL);
	p->mon_on = false;
}

static void pktgen_stop(struct xl_gen *g)
{
	struct pg_gen *p = g->priv;

	if (!p || !p->started || p->stopped)
		return;
	p->stopped = true;
	stop_monitor(p);
	if (xl_dpdk_alive(&p->proc))
		lua_cmd(p, NULL, 0, "pktgen.stop('0')");
}

static void pktgen_close(struct xl_gen *g)
{
	struct pg_gen *p = g->priv;
	int status;

	if (!p)
		return;
	stop_monitor(p);
	if (p->lua >= 0)
		close(p->lua);
	if (p->tele >= 0)
		close(p->tele);
	/* pktgen.quit() from the socket aborts it: it ends by SIGTERM after the grace time. */
	status = xl_dpdk_reap(&p->proc, p->spawned ? p->proc.grace_ms : 0);
	if (status > 0 && status != 128 + 15)
		xl_debug("pktgen exited with status %d", status);
	free(p);
	g->priv = NULL;
}

static const char *pktgen_describe(struct xl_gen *g)
{
	struct pg_gen *p = g->priv;

	/* Its own words: "Pktgen 23.06.1". */
	snprintf(p->desc, sizeof(p->desc), "%s (%s)",
		 p->version[0] ? p->version : "pktgen-dpdk, version unknown", p->path);
	return p->desc;
}

/*
 * pktgen receives and counts on its port whatever the vdev; a sink beside it
 * has not been tried, so the port stays its own.
 */
static bool pktgen_owns_port(const char *backend_opts)
{
	(void)backend_opts;
	return true;
}

static const struct xl_gen_ops pktgen_gen_ops = {
	.name = "pktgen",
	.owns_port = pktgen_owns_port,
	.run_key = "pktgen",
	.check = pktgen_check,
	.what = "a user-installed pktgen-dpdk (pktgen = PATH), driven through its Lua command "
		"socket; port from --opts vdev=af_packet (default)|af_xdp or pci=DBDF",
	.open = pktgen_open,
	.start = pktgen_start,
	.sent = pktgen_sent,
	.done = pktgen_done,
	.active_span = pktgen_active_span,
	.describe = pktgen_describe,
	.stop = pktgen_stop,
	.close = pktgen_close,
};

XL_CONSTRUCTOR(register_pktgen_gen)
{
	xl_gen_register(&pktgen_gen_ops);
}
