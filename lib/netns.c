// SPDX-License-Identifier: GPL-2.0
/* netns.c - thread-local namespace switching and per-namespace interface queries. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include "netns.h"
#include "xl_spawn.h"

int xl_ns_enter(const char *ns, int *saved)
{
	char path[128];
	int fd, err;

	*saved = -1;
	if (!ns || !*ns)
		return 0;
	*saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*saved < 0)
		return -errno;
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		close(*saved);
		*saved = -1;
		return err;
	}
	err = setns(fd, CLONE_NEWNET) ? -errno : 0;
	close(fd);
	if (err) {
		close(*saved);
		*saved = -1;
	}
	return err;
}

int xl_ns_leave(int saved)
{
	int err;

	if (saved < 0)
		return 0;
	err = setns(saved, CLONE_NEWNET) ? -errno : 0;
	close(saved);
	return err;
}

int xl_ns_exists(const char *ns)
{
	char path[128];

	if (!ns || !*ns)
		return 1;
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	return access(path, F_OK) == 0;
}

/* A datagram socket created inside ns stays bound to ns after we leave. */
static int ns_socket(const char *ns, int domain, int type, int proto)
{
	int saved, fd, err;

	err = xl_ns_enter(ns, &saved);
	if (err)
		return err;
	fd = socket(domain, type | SOCK_CLOEXEC, proto);
	err = fd < 0 ? -errno : fd;
	xl_ns_leave(saved);
	return err;
}

/* One interface ioctl through a socket of namespace ns. */
static int ns_ifreq(const char *ns, const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int fd, ret;

	if (strlen(ifname) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	fd = ns_socket(ns, AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return fd;
	memset(ifr->ifr_name, 0, IFNAMSIZ);
	memcpy(ifr->ifr_name, ifname, strlen(ifname));
	ret = ioctl(fd, req, ifr) ? -errno : 0;
	close(fd);
	return ret;
}

int xl_ns_ifindex(const char *ns, const char *ifname)
{
	struct ifreq ifr = {};
	int err = ns_ifreq(ns, ifname, SIOCGIFINDEX, &ifr);

	if (err == -ENODEV || err == -ENXIO)
		return -ENODEV;
	return err ? err : ifr.ifr_ifindex;
}

int xl_ns_mtu(const char *ns, const char *ifname)
{
	struct ifreq ifr = {};
	int err = ns_ifreq(ns, ifname, SIOCGIFMTU, &ifr);

	return err ? err : ifr.ifr_mtu;
}

int xl_ns_mac(const char *ns, const char *ifname, unsigned char mac[6])
{
	struct ifreq ifr = {};
	int err = ns_ifreq(ns, ifname, SIOCGIFHWADDR, &ifr);

	if (!err)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return err;
}

/* An offload flag through the legacy ethtool get commands: 1 on, 0 off, -errno. */
static int offload_flag(const char *ns, const char *ifname, __u32 cmd)
{
	struct ethtool_value v = { .cmd = cmd };
	struct ifreq ifr = { .ifr_data = (void *)&v };
	int err = ns_ifreq(ns, ifname, SIOCETHTOOL, &ifr);

	return err ? err : !!v.data;
}

int xl_ns_gro(const char *ns, const char *ifname)
{
	return offload_flag(ns, ifname, ETHTOOL_GGRO);
}

int xl_ns_rp_filter(const char *ns, const char *ifname)
{
	const char *devs[] = { "all", ifname };
	int eff = -1;

	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		char path[160], v[32];

		snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/rp_filter", devs[i]);
		if (!xl_read_file(ns, path, v, sizeof(v)) && v[0] && atoi(v) > eff)
			eff = atoi(v);
	}
	return eff;
}

int xl_ns_tso(const char *ns, const char *ifname)
{
	return offload_flag(ns, ifname, ETHTOOL_GTSO);
}

int xl_ns_set_gro(const char *ns, const char *ifname, bool on)
{
	struct ethtool_value v = { .cmd = ETHTOOL_SGRO, .data = on };
	struct ifreq ifr = { .ifr_data = (void *)&v };

	return ns_ifreq(ns, ifname, SIOCETHTOOL, &ifr);
}

int xl_ns_driver(const char *ns, const char *ifname, char *buf, int len)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = { .ifr_data = (void *)&info };
	int err = ns_ifreq(ns, ifname, SIOCETHTOOL, &ifr);

	if (!err)
		snprintf(buf, len, "%s", info.driver);
	return err;
}

/* IF_OPER_UP of RFC 2863, from <linux/if.h>, which cannot be included next to <net/if.h>. */
#define XL_OPER_UP 6

/* One RTM_GETLINK of ifindex in ns: its statistics and/or its state (either may be NULL). */
static int link_query(const char *ns, int ifindex, struct rtnl_link_stats64 *st,
		      struct xl_link_state *ls)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		.nh.nlmsg_type = RTM_GETLINK,
		.nh.nlmsg_flags = NLM_F_REQUEST,
		.ifi.ifi_family = AF_UNSPEC,
		.ifi.ifi_index = ifindex,
	};
	char buf[16384];
	struct nlmsghdr *nh;
	int fd, len, ret = -ENOENT;

	fd = ns_socket(ns, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (fd < 0)
		return fd;
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0) {
		ret = -errno;
		goto out;
	}
	len = recv(fd, buf, sizeof(buf), 0);
	if (len < 0) {
		ret = -errno;
		goto out;
	}
	for (nh = (void *)buf; NLMSG_OK(nh, (unsigned int)len); nh = NLMSG_NEXT(nh, len)) {
		struct ifinfomsg *ifi = NLMSG_DATA(nh);
		struct rtattr *rta;
		int alen;

		if (nh->nlmsg_type == NLMSG_ERROR) {
			ret = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			break;
		}
		if (nh->nlmsg_type != RTM_NEWLINK)
			continue;
		alen = IFLA_PAYLOAD(nh);
		if (ls)
			ls->admin_up = ifi->ifi_flags & IFF_UP;
		for (rta = IFLA_RTA(ifi); RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen)) {
			if (st && rta->rta_type == IFLA_STATS64)
				memcpy(st, RTA_DATA(rta), sizeof(*st));
			else if (ls && rta->rta_type == IFLA_OPERSTATE)
				ls->up = *(__u8 *)RTA_DATA(rta) == XL_OPER_UP;
			else if (ls && rta->rta_type == IFLA_CARRIER_CHANGES)
				ls->carrier_changes = *(__u32 *)RTA_DATA(rta);
		}
		ret = 0;
		break;
	}
out:
	close(fd);
	return ret;
}

int xl_ns_link_stats(const char *ns, int ifindex, struct rtnl_link_stats64 *st)
{
	return link_query(ns, ifindex, st, NULL);
}

int xl_ns_link_state(const char *ns, int ifindex, struct xl_link_state *ls)
{
	memset(ls, 0, sizeof(*ls));
	return link_query(ns, ifindex, NULL, ls);
}
