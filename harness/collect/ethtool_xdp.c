// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool_xdp.c - driver XDP counters through the legacy ethtool ioctl
 * (GDRVINFO for the driver and the number of statistics, GSTRINGS for their
 * names, GSTATS for their values) on a socket created inside the port's
 * namespace; no `ethtool` output is parsed.  Which statistics are XDP
 * verdicts differs per driver, so each driver is one table entry.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/bpf.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include "collect/ethtool_xdp.h"
#include "netns.h"

enum ctr {
	C_PACKETS,
	C_BYTES,
	C_DROP,
	C_TX,
	C_TX_ERR,
	C_REDIRECT,
	C_ERRORS,
	C_NR
};

/* Per-queue statistics named "<prefix><queue>_<name>". */
static const struct xdp_driver {
	const char *driver;
	const char *prefix;
	const char *names[C_NR];
} drivers[] = {
	/*
	 * drivers/net/veth.c, checked on 6.18: xdp_drops counts XDP_DROP,
	 * XDP_ABORTED and unknown verdicts; xdp_redirect the frames handed
	 * to the target; XDP_TX frames are counted when the queue to the peer
	 * is flushed, as xdp_tx (sent) or xdp_tx_errors (the peer had no XDP
	 * program nor GRO to take them); drops counts the XDP_TX and
	 * XDP_REDIRECT verdicts that failed at once (for a redirect: the target
	 * cannot take XDP frames).  xdp_bytes is the frame length for frames
	 * that came as XDP frames, without the Ethernet header for skbs.
	 */
	{ "veth",
	  "rx_queue_",
	  { [C_PACKETS] = "xdp_packets",
	    [C_BYTES] = "xdp_bytes",
	    [C_DROP] = "xdp_drops",
	    [C_TX] = "xdp_tx",
	    [C_TX_ERR] = "xdp_tx_errors",
	    [C_REDIRECT] = "xdp_redirect",
	    [C_ERRORS] = "drops" } },
};

static const struct xdp_driver *find_driver(const char *name)
{
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (!strcmp(drivers[i].driver, name))
			return &drivers[i];
	return NULL;
}

static int ethtool_ioctl(int fd, const char *ifname, void *cmd)
{
	struct ifreq ifr = {};

	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
}

/* Counter and queue of one statistic name, or -1 if it is none of the driver's. */
static int classify(const struct xdp_driver *d, const char *name, unsigned int *queue)
{
	size_t plen = strlen(d->prefix);
	char *end;

	if (strncmp(name, d->prefix, plen))
		return -1;
	*queue = strtoul(name + plen, &end, 10);
	if (end == name + plen || *end != '_')
		return -1;
	for (int c = 0; c < C_NR; c++)
		if (d->names[c] && !strcmp(end + 1, d->names[c]))
			return c;
	return -1;
}

static int read_stats(int fd, const char *ifname, const struct xdp_driver *d, __u32 n,
		      struct xl_ethtool_xdp *out)
{
	/*
	 * GSTATS writes as many values as the driver has now, not as many as
	 * asked for: room for twice n survives queues added in between.
	 */
	struct ethtool_gstrings *names = calloc(1, sizeof(*names) + 2 * n * ETH_GSTRING_LEN);
	struct ethtool_stats *vals = calloc(1, sizeof(*vals) + 2 * n * sizeof(__u64));
	__u64 v[C_NR] = {}, handled;
	unsigned int mask = 0, queues = 0;
	int err = -ENOMEM;

	if (!names || !vals)
		goto out;
	names->cmd = ETHTOOL_GSTRINGS;
	names->string_set = ETH_SS_STATS;
	names->len = n;
	err = ethtool_ioctl(fd, ifname, names);
	if (err)
		goto out;
	vals->cmd = ETHTOOL_GSTATS;
	vals->n_stats = n;
	err = ethtool_ioctl(fd, ifname, vals);
	if (err)
		goto out;
	/* The set changed between the two calls: names and values do not match. */
	err = -EAGAIN;
	if (names->len != n || vals->n_stats != n)
		goto out;
	for (__u32 i = 0; i < n; i++) {
		char name[ETH_GSTRING_LEN + 1] = {};
		unsigned int q;
		int c;

		memcpy(name, names->data + i * ETH_GSTRING_LEN, ETH_GSTRING_LEN);
		c = classify(d, name, &q);
		if (c < 0)
			continue;
		v[c] += vals->data[i];
		mask |= 1u << c;
		if (c == C_PACKETS && q + 1 > queues)
			queues = q + 1;
	}
	err = -EOPNOTSUPP;
	if (!(mask & (1u << C_PACKETS)) || !(mask & (1u << C_DROP)))
		goto out;
	out->packets = v[C_PACKETS];
	out->bytes = v[C_BYTES];
	out->errors = v[C_ERRORS];
	out->queues = queues;
	out->act[XDP_DROP].packets = v[C_DROP];
	out->act[XDP_TX].packets = v[C_TX] + v[C_TX_ERR];
	out->act[XDP_REDIRECT].packets = v[C_REDIRECT];
	/* Counters are read one by one while frames arrive: never below zero. */
	handled = v[C_DROP] + v[C_TX] + v[C_TX_ERR] + v[C_REDIRECT] + v[C_ERRORS];
	out->act[XDP_PASS].packets = v[C_PACKETS] > handled ? v[C_PACKETS] - handled : 0;
	err = 0;
out:
	free(names);
	free(vals);
	return err;
}

int xl_ethtool_xdp_read(const char *ns, const char *ifname, struct xl_ethtool_xdp *out)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	const struct xdp_driver *d;
	int fd, saved, err;

	memset(out, 0, sizeof(*out));
	if (strlen(ifname) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	/* A socket keeps the namespace it was created in after the thread leaves. */
	err = xl_ns_enter(ns, &saved);
	if (err)
		return err;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	err = fd < 0 ? -errno : 0;
	xl_ns_leave(saved);
	if (err)
		return err;
	err = ethtool_ioctl(fd, ifname, &info);
	if (err)
		goto out;
	snprintf(out->driver, sizeof(out->driver), "%s", info.driver);
	d = find_driver(info.driver);
	err = d && info.n_stats ? read_stats(fd, ifname, d, info.n_stats, out) : -EOPNOTSUPP;
out:
	close(fd);
	return err;
}
