/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_rr.h - a TCP request/response workload (netperf's TCP_RR): one
 * connection, one byte each way, the next request sent as soon as the
 * response arrives, so the transaction rate is the inverse of the round trip
 * through both stacks.  The paper's DDoS experiment (§5.2, Fig. 7) measures
 * it on the DUT while a UDP flood arrives on the same RX queue.
 *
 * Both ends are threads of the calling process: the server inside the DUT's
 * namespace on the DUT's CPU (where the flood is processed, as on the paper's
 * one-queue DUT), the client inside the generator's namespace on a generator
 * CPU at real-time priority, so that the generator thread sharing that core
 * never delays a request (the client's own cost is not what is measured).
 * The transaction counter is read next to a monotonic timestamp, like every
 * other counter of a trial.  Why not sockperf: its results come as console
 * text (or a per-message log) to be parsed, and its processes cannot be
 * placed per thread into two namespaces with one pinning each.
 */
#ifndef XL_TCP_RR_H
#define XL_TCP_RR_H

#include <stdint.h>
#include <netinet/in.h>

/* netperf's port: the paper's TCP_RR ran against netserver. */
#define XL_RR_PORT 12865
/*
 * The client's own address and the return link (fixtures.c): the server's
 * answers come back over a veth pair of their own (rr-dut -> rr-gen), because
 * a DPDK generator's AF_XDP socket takes every frame that arrives on the
 * generator port.  Requests still share dut-in's RX queue with the flood.
 */
#define XL_RR_CLIENT_ADDR "192.0.2.10"
#define XL_RR_LINK_GEN "rr-gen"
#define XL_RR_LINK_DUT "rr-dut"

/* Which ends this process runs: both, or one (two-host mode: the client beside the generator). */
enum xl_rr_part {
	XL_RR_BOTH,
	XL_RR_SERVER,
	XL_RR_CLIENT
};

struct xl_rr_cfg {
	enum xl_rr_part part;
	const char *server_ns, *client_ns; /* network namespaces (NULL = the current one) */
	struct in_addr server_ip; /* where the server listens and the client connects */
	struct in_addr client_ip; /* the client's source address (0: the kernel's choice) */
	int server_cpu, client_cpu; /* -1 = no pinning */
	int client_rt_prio; /* SCHED_FIFO priority of the client, 0 = normal */
};

struct xl_rr;

/*
 * Start the server, connect the client and run transactions until
 * xl_rr_stop(); NULL and xl_fail() if the server cannot listen or the
 * client cannot connect within 2 s.  With part, only that end: a server
 * waits for its one client (until stopped), a client connects to a server
 * elsewhere.  The counters are the client's (0 at a server alone).
 */
struct xl_rr *xl_rr_start(const struct xl_rr_cfg *cfg);
/* Transactions completed so far (monotonic). */
uint64_t xl_rr_count(const struct xl_rr *rr);
/* Transactions that took longer than 100 ms (a retransmission timeout on the way). */
uint64_t xl_rr_stalls(const struct xl_rr *rr);
/* Stop both threads, close everything, free; NULL is fine. */
void xl_rr_stop(struct xl_rr *rr);

#endif
