// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_rr.c - the TCP request/response workload (tcp_rr.h): a server thread
 * and a client thread, each in its own namespace and on its own CPU, one
 * byte each way.  Both loops poll with a short timeout so that a stop request
 * is seen within XL_RR_TICK_MS even when the flood has stalled the connection.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include "tcp_rr.h"
#include "netns.h"
#include "util.h"
#include "xl_err.h"

#define XL_RR_TICK_MS 50
#define XL_RR_CONNECT_MS 2000
#define XL_RR_STALL_NS 100000000ull

enum rr_state {
	RR_STARTING,
	RR_READY,
	RR_FAILED
};

struct xl_rr {
	struct xl_rr_cfg cfg;
	pthread_t server, client;
	bool server_started, client_started;
	int lfd, sfd, cfd;
	atomic_bool stop;
	atomic_ullong count, stalls;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum rr_state server_state, client_state;
	char why[128]; /* what failed, for the one-line error */
};

static void set_state(struct xl_rr *rr, enum rr_state *st, enum rr_state v, const char *why)
{
	pthread_mutex_lock(&rr->lock);
	*st = v;
	if (why && !rr->why[0])
		snprintf(rr->why, sizeof(rr->why), "%s: %s", why, strerror(errno));
	pthread_cond_broadcast(&rr->cond);
	pthread_mutex_unlock(&rr->lock);
}

/* Wait until *st leaves RR_STARTING or ms pass; true if it became RR_READY. */
static bool wait_state(struct xl_rr *rr, enum rr_state *st, int ms)
{
	struct timespec ts;
	bool ok;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&rr->lock);
	while (*st == RR_STARTING)
		if (pthread_cond_timedwait(&rr->cond, &rr->lock, &ts) == ETIMEDOUT)
			break;
	ok = *st == RR_READY;
	pthread_mutex_unlock(&rr->lock);
	return ok;
}

static void place(int cpu, int rt_prio)
{
	cpu_set_t set;

	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	if (rt_prio > 0) {
		struct sched_param sp = { .sched_priority = rt_prio };

		pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	}
}

/* Wait for fd to become ready for events, checking the stop flag every tick. */
static int wait_fd(struct xl_rr *rr, int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	while (!atomic_load(&rr->stop)) {
		int n = poll(&p, 1, XL_RR_TICK_MS);

		if (n > 0)
			return p.revents & (POLLERR | POLLHUP | POLLNVAL) && !(p.revents & events)
				       ? -EPIPE
				       : 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
	return -EINTR;
}

/* One byte in or out; -EINTR when stopped, -EPIPE when the peer is gone. */
static int xfer(struct xl_rr *rr, int fd, bool out)
{
	char c = 'x';

	for (;;) {
		ssize_t n;
		int err = wait_fd(rr, fd, out ? POLLOUT : POLLIN);

		if (err)
			return err;
		n = out ? send(fd, &c, 1, MSG_DONTWAIT | MSG_NOSIGNAL)
			: recv(fd, &c, 1, MSG_DONTWAIT);
		if (n == 1)
			return 0;
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return -EPIPE;
	}
}

static void *server_fn(void *arg)
{
	struct xl_rr *rr = arg;
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(XL_RR_PORT),
				  .sin_addr = rr->cfg.server_ip };
	int one = 1, saved = -1;

	if (xl_ns_enter(rr->cfg.server_ns, &saved)) {
		set_state(rr, &rr->server_state, RR_FAILED, "server namespace");
		return NULL;
	}
	place(rr->cfg.server_cpu, 0);
	rr->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (rr->lfd < 0 || setsockopt(rr->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(rr->lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(rr->lfd, 1)) {
		set_state(rr, &rr->server_state, RR_FAILED, "server listen");
		return NULL;
	}
	set_state(rr, &rr->server_state, RR_READY, NULL);
	if (wait_fd(rr, rr->lfd, POLLIN))
		return NULL;
	rr->sfd = accept4(rr->lfd, NULL, NULL, SOCK_CLOEXEC);
	if (rr->sfd < 0)
		return NULL;
	setsockopt(rr->sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	while (!xfer(rr, rr->sfd, false) && !xfer(rr, rr->sfd, true))
		;
	return NULL;
}

static int connect_client(struct xl_rr *rr)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(XL_RR_PORT),
				  .sin_addr = rr->cfg.server_ip };
	struct pollfd p = { .events = POLLOUT };
	int one = 1, err = 0;
	socklen_t len = sizeof(err);

	struct sockaddr_in me = { .sin_family = AF_INET, .sin_addr = rr->cfg.client_ip };

	rr->cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (rr->cfd < 0)
		return -1;
	setsockopt(rr->cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (me.sin_addr.s_addr && bind(rr->cfd, (struct sockaddr *)&me, sizeof(me)))
		return -1;
	if (connect(rr->cfd, (struct sockaddr *)&sa, sizeof(sa)) && errno != EINPROGRESS)
		return -1;
	p.fd = rr->cfd;
	if (poll(&p, 1, XL_RR_CONNECT_MS) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (getsockopt(rr->cfd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		errno = err ? err : errno;
		return -1;
	}
	return 0;
}

static void *client_fn(void *arg)
{
	struct xl_rr *rr = arg;
	int saved = -1;

	if (xl_ns_enter(rr->cfg.client_ns, &saved)) {
		set_state(rr, &rr->client_state, RR_FAILED, "client namespace");
		return NULL;
	}
	place(rr->cfg.client_cpu, rr->cfg.client_rt_prio);
	if (connect_client(rr)) {
		set_state(rr, &rr->client_state, RR_FAILED, "client connect");
		return NULL;
	}
	set_state(rr, &rr->client_state, RR_READY, NULL);
	for (;;) {
		uint64_t t0 = xl_now_ns();

		if (xfer(rr, rr->cfd, true) || xfer(rr, rr->cfd, false))
			break;
		if (xl_now_ns() - t0 > XL_RR_STALL_NS)
			atomic_fetch_add(&rr->stalls, 1);
		atomic_fetch_add(&rr->count, 1);
	}
	return NULL;
}

struct xl_rr *xl_rr_start(const struct xl_rr_cfg *cfg)
{
	struct xl_rr *rr = calloc(1, sizeof(*rr));
	char addr[INET_ADDRSTRLEN];

	if (!rr) {
		xl_fail(XL_EXIT_FAIL, "out of memory");
		return NULL;
	}
	rr->cfg = *cfg;
	rr->lfd = rr->sfd = rr->cfd = -1;
	pthread_mutex_init(&rr->lock, NULL);
	pthread_cond_init(&rr->cond, NULL);
	inet_ntop(AF_INET, &cfg->server_ip, addr, sizeof(addr));
	if (cfg->part != XL_RR_CLIENT) {
		rr->server_started = !pthread_create(&rr->server, NULL, server_fn, rr);
		if (!rr->server_started || !wait_state(rr, &rr->server_state, XL_RR_CONNECT_MS))
			goto fail;
	}
	if (cfg->part != XL_RR_SERVER) {
		rr->client_started = !pthread_create(&rr->client, NULL, client_fn, rr);
		if (!rr->client_started || !wait_state(rr, &rr->client_state, 2 * XL_RR_CONNECT_MS))
			goto fail;
	}
	return rr;
fail:
	xl_fail(XL_EXIT_FAIL, "TCP request/response to %s:%d: %s", addr, XL_RR_PORT,
		rr->why[0] ? rr->why : "timed out");
	xl_rr_stop(rr);
	return NULL;
}

uint64_t xl_rr_count(const struct xl_rr *rr)
{
	return atomic_load(&((struct xl_rr *)rr)->count);
}

uint64_t xl_rr_stalls(const struct xl_rr *rr)
{
	return atomic_load(&((struct xl_rr *)rr)->stalls);
}

void xl_rr_stop(struct xl_rr *rr)
{
	int fds[3];

	if (!rr)
		return;
	atomic_store(&rr->stop, true);
	if (rr->client_started)
		pthread_join(rr->client, NULL);
	if (rr->server_started)
		pthread_join(rr->server, NULL);
	fds[0] = rr->lfd;
	fds[1] = rr->sfd;
	fds[2] = rr->cfd;
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	pthread_cond_destroy(&rr->cond);
	pthread_mutex_destroy(&rr->lock);
	free(rr);
}
