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
 *   hello                        -> commit, sha256 (of this binary), pid, starttime, context,
 *                                   ssh_addr (this host's IPv4 end of the ssh connection)
 *   port      ifname             -> mac, ifindex, driver
 *   sink      ifname kind latency cpus   attach the sink program of kind (collect/sinks.h;
 *                                   NAPI threads pinned to cpus)
 *   sink-off                        detach it
 *   lat-arm / lat-read           -> the latency histogram (sparse [[bucket, count], ...])
 *   gen-open  backend ifname src_mac dst_mac src_ip dst_ip frame_size flows dst_port
 *             proto rate count cpus stamp backend_opts
 *             dst_addrs src_addrs (per-frame address lists)
 *   start, gen-close, bye
 *   lbchk-reset / lbchk-read     -> the load balancer's check (a sink of kind lb-check)
 *   rr-start  server_ip dut_mac ifname cpu -> client_ip   the TCP request/response
 *             client beside the generator (agent_rr.c); rr-read -> count stalls; rr-stop
 *   check     roles ports cores gen_cpus dut_cpus systems livefr routes lb rr fix all
 *                                -> problems lines   the preflight of this host's ports
 *                                   (agent_check.c); its fixes held until the session ends
 *   snap                         -> sent done span sink sink_dropped cpu{busy,total,steal}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "agent.h"
#include "commands.h"
#include "sig.h"
#include "undo.h"
#include "util.h"
#include "wire.h"
#include "xl_err.h"

/*
 * One request.  Its xl_fail() line is caught (stderr is a memfd meanwhile)
 * to become the reply's "error"; everything printed still reaches stderr.
 */
static json_object *handle(struct xl_agent *a, json_object *req)
{
	json_object *rep = json_object_new_object();
	const char *op = xl_agent_str(req, "op");
	int err = -ENOSYS, saved = dup(2), mfd = memfd_create("xl-agent-err", MFD_CLOEXEC);
	char msg[1024] = "";

	xl_reset_error();
	fflush(stderr);
	if (mfd >= 0)
		dup2(mfd, 2);
	err = xl_agent_op(a, op, req, rep);
	if (err == -ENOSYS)
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
	struct xl_agent a = { .argc = argc, .argv = argv };
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
	xl_agent_release(&a);
	xl_wire_free(&in);
	return 0;
}
