// SPDX-License-Identifier: GPL-2.0
/*
 * dpdkgen_main.c - xdplab-dpdkgen, the DPDK side of the "dpdk" generator
 * backend (gen_dpdk.c starts it; nobody else should).  It is a separate
 * process because EAL initialises once per process, takes over lcores and
 * signals, and must run inside the generator's network namespace for the
 * af_xdp/af_packet PMD to find the interface.
 *
 * Usage: xdplab-dpdkgen EAL-ARGS -- SHM-FILE.  Everything else (frame, rate,
 * count, threads) comes from the shared block (dpdkgen_shm.h).  One sending
 * lcore per generator thread, lcore i on TX queue i, the main lcore being
 * thread 0.  Each lcore builds its frames with pkt.c exactly like xdp_gen
 * (flow = a wrap-around counter over cfg flows, per-thread sequence number,
 * generator id = thread index, CLOCK_MONOTONIC time when asked), hands them to
 * rte_eth_tx_burst and counts what the PMD accepted.  Pacing compares the TSC
 * with the number of frames due; time lost to a stall is not repaid as a burst.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_pause.h>
#include "dpdkgen_shm.h"
#include "gen/pkt.h"
#include "xdplab.h"

#define RING_SIZE 2048
#define MAX_BURST 512
/* Pacing: at most one burst per PACE_NS; a stall longer than MAX_BACKLOG_NS is skipped. */
#define PACE_NS 20000
#define MAX_BACKLOG_NS 5000000

static volatile sig_atomic_t got_signal;
static struct xl_dg_shm *shm;
static uint8_t frame[XL_MAX_FRAME];
static size_t frame_len;
static uint16_t port_id;
static struct rte_mempool *pool;
static uint32_t cur_run;

/* Per-thread generator state, kept across runs like xdp_gen's per-CPU map. */
static struct {
	uint32_t seq;
	uint32_t flow;
} tstate[XL_MAX_THREADS];

static void on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (shm) {
		vsnprintf(shm->error, sizeof(shm->error), fmt, ap);
		atomic_store(&shm->state, XL_DG_FAILED);
	} else {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
	return 1;
}

static bool should_stop(void)
{
	return got_signal || atomic_load_explicit(&shm->exit_req, memory_order_relaxed) ||
	       atomic_load_explicit(&shm->stop_seq, memory_order_relaxed) == cur_run;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	/* The clock bpf_ktime_get_ns() reads (ktime_get_mono_fast_ns). */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int sender(void *arg)
{
	unsigned int idx = rte_lcore_index(rte_lcore_id()), n = shm->nthreads;
	struct xl_dg_thread *t = &shm->th[idx];
	uint32_t flows = shm->pkt.flows, burst = shm->burst, min_batch = 1;
	uint64_t quota = 0, done = 0, total = atomic_load(&t->sent);
	double rate = shm->rate_pps / n, cyc = 0;
	uint64_t t0, backlog = 0;
	struct rte_mbuf *m[MAX_BURST];
	bool stamp = shm->stamp_time;

	(void)arg;
	atomic_store(&t->first_ns, 0);
	atomic_store(&t->last_ns, 0);
	if (shm->count)
		quota = shm->count / n + (idx < shm->count % n);
	if (rate > 0) {
		cyc = (double)rte_get_tsc_hz() / rate;
		/* One tx_burst (one kick syscall with af_xdp) per PACE_NS at most. */
		min_batch = RTE_MAX(1.0, RTE_MIN((double)burst, rate * PACE_NS / 1e9));
		/* Falling behind by more than this is a stall: skip it, do not burst. */
		backlog = RTE_MAX(4.0 * burst, rate * MAX_BACKLOG_NS / 1e9);
	}
	t0 = rte_rdtsc();
	while (!should_stop()) {
		uint32_t want = burst, flow0 = tstate[idx].flow, flow = flow0;
		uint16_t nb;

		if (rate > 0) {
			uint64_t now = rte_rdtsc(), due = (uint64_t)((now - t0) / cyc);

			if (due < done + min_batch) {
				rte_pause();
				continue;
			}
			if (due - done > backlog) {
				t0 = now - (uint64_t)((done + min_batch) * cyc);
				due = done + min_batch;
			}
			if (due - done < want)
				want = due - done;
		}
		if (quota) {
			if (done >= quota)
				break;
			if (quota - done < want)
				want = quota - done;
		}
		if (rte_pktmbuf_alloc_bulk(pool, m, want))
			continue; /* completions not reaped yet: the PMD returns mbufs on tx */
		for (uint32_t i = 0; i < want; i++) {
			uint8_t *d = rte_pktmbuf_mtod(m[i], uint8_t *);

			if (shm->nframes) { /* a capture, as recorded */
				const struct xl_replay_frame *f =
					&shm->frames[(tstate[idx].seq + i) % shm->nframes];

				rte_memcpy(d, f->data, f->len);
				m[i]->data_len = f->len;
				m[i]->pkt_len = f->len;
				continue;
			}

			rte_memcpy(d, frame, frame_len);
			m[i]->data_len = frame_len;
			m[i]->pkt_len = frame_len;
			/* Addresses by sequence number: a rejected tail reuses them, like its flows. */
			if (shm->naddrs || shm->nsrcs)
				xl_pkt_set_addrs(
					d,
					shm->nsrcs ? shm->srcs[(tstate[idx].seq + i) % shm->nsrcs]
						   : 0,
					shm->naddrs
						? shm->addrs[(tstate[idx].seq + i) % shm->naddrs]
						: 0);
			xl_pkt_stamp(d, flow, idx, tstate[idx].seq + i, stamp ? mono_ns() : 0);
			flow = flow + 1 >= flows ? 0 : flow + 1;
		}
		nb = rte_eth_tx_burst(port_id, idx, m, want);
		if (nb < want) {
			/* Only the accepted prefix consumed sequence numbers and flows. */
			rte_pktmbuf_free_bulk(m + nb, want - nb);
			flow = (flow0 + nb) % flows;
		}
		if (nb) {
			uint64_t now_ns = mono_ns();

			if (!atomic_load_explicit(&t->first_ns, memory_order_relaxed))
				atomic_store_explicit(&t->first_ns, now_ns, memory_order_relaxed);
			atomic_store_explicit(&t->last_ns, now_ns, memory_order_relaxed);
		}
		tstate[idx].flow = flow;
		tstate[idx].seq += nb;
		done += nb;
		total += nb;
		atomic_store_explicit(&t->sent, total, memory_order_release);
	}
	atomic_store(&t->finished_seq, cur_run);
	return 0;
}

static int map_shm(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (shm == MAP_FAILED) {
		shm = NULL;
		return -errno;
	}
	if (shm->magic != XL_DG_MAGIC || shm->version != XL_DG_VERSION) {
		munmap(shm, sizeof(*shm));
		shm = NULL;
		return -EPROTO;
	}
	return 0;
}

static int setup_port(void)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t nq = shm->nthreads, rxd = RING_SIZE, txd = RING_SIZE;
	int socket, err;

	if (rte_eth_dev_count_avail() != 1)
		return fail("DPDK sees %u ports, expected 1 (the PMD could not open the port?)",
			    rte_eth_dev_count_avail());
	RTE_ETH_FOREACH_DEV(port_id)
	break;
	err = rte_eth_dev_info_get(port_id, &info);
	if (err)
		return fail("rte_eth_dev_info_get: %s", rte_strerror(-err));
	snprintf(shm->port_info, sizeof(shm->port_info), "%s", info.driver_name);
	if (info.max_tx_queues < nq || info.max_rx_queues < nq)
		return fail("port %s has %u TX queues, %u threads need as many", info.driver_name,
			    info.max_tx_queues, nq);
	socket = rte_eth_dev_socket_id(port_id);
	if (socket < 0)
		socket = 0;
	pool = rte_pktmbuf_pool_create("xl_gen", shm->nb_mbufs, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       socket);
	if (!pool)
		return fail("cannot create a pool of %u mbufs: %s (raise DPDK mem=)", shm->nb_mbufs,
			    rte_strerror(rte_errno));
	memset(&conf, 0, sizeof(conf));
	err = rte_eth_dev_configure(port_id, nq, nq, &conf);
	if (err)
		return fail("rte_eth_dev_configure: %s", rte_strerror(-err));
	rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &rxd, &txd);
	for (uint16_t q = 0; q < nq; q++) {
		/* af_xdp creates its socket (and so its TX ring) in the RX queue set-up. */
		err = rte_eth_rx_queue_setup(port_id, q, rxd, socket, NULL, pool);
		if (err)
			return fail("RX queue %u set-up: %s", q, rte_strerror(-err));
		err = rte_eth_tx_queue_setup(port_id, q, txd, socket, NULL);
		if (err)
			return fail("TX queue %u set-up: %s", q, rte_strerror(-err));
	}
	err = rte_eth_dev_start(port_id);
	if (err)
		return fail("rte_eth_dev_start: %s", rte_strerror(-err));
	return 0;
}

/* xdplab closed our stdin: it is gone or wants us to exit. */
static bool parent_gone(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };

	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLIN | POLLERR));
}

static void serve(void)
{
	uint32_t last = atomic_load(&shm->done_seq);

	atomic_store(&shm->state, XL_DG_READY);
	while (!got_signal && !atomic_load(&shm->exit_req) && !parent_gone()) {
		uint32_t s = atomic_load(&shm->start_seq);

		if (s == last) {
			usleep(200);
			continue;
		}
		cur_run = s;
		atomic_store(&shm->state, XL_DG_RUNNING);
		atomic_store(&shm->run_seq, s);
		rte_eal_mp_remote_launch(sender, NULL, CALL_MAIN);
		rte_eal_mp_wait_lcore();
		atomic_store(&shm->done_seq, s);
		atomic_store(&shm->state, XL_DG_READY);
		last = s;
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int sep = -1, ret, err;
	bool port_up = false;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			sep = i;
			break;
		}
	if (sep < 0 || sep + 2 != argc)
		return fail(
			"usage: xdplab-dpdkgen EAL-ARGS -- SHM-FILE (started by xdplab gen -b dpdk)");
	err = map_shm(argv[sep + 1]);
	if (err)
		return fail("cannot map %s: %s", argv[sep + 1], strerror(-err));
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ret = rte_eal_init(sep, argv);
	if (ret < 0)
		return fail("EAL initialisation failed: %s", rte_strerror(rte_errno));
	if (rte_lcore_count() != shm->nthreads) {
		fail("%u lcores for %u threads", rte_lcore_count(), shm->nthreads);
		goto out;
	}
	frame_len = xl_pkt_len(shm->pkt.frame_size);
	if (xl_pkt_build(&shm->pkt, frame, frame_len)) {
		fail("bad frame settings (size %u, flows %u)", shm->pkt.frame_size, shm->pkt.flows);
		goto out;
	}
	if (shm->burst < 1 || shm->burst > MAX_BURST)
		shm->burst = 32;
	shm->tsc_hz = rte_get_tsc_hz();
	if (setup_port())
		goto out;
	port_up = true;
	serve();
out:
	if (port_up) {
		rte_eth_dev_stop(port_id);
		rte_eth_dev_close(port_id);
	}
	rte_mempool_free(pool);
	rte_eal_cleanup();
	if (atomic_load(&shm->state) != XL_DG_FAILED) {
		atomic_store(&shm->state, XL_DG_EXITED);
		return 0;
	}
	return 1;
}
