// SPDX-License-Identifier: GPL-2.0
/*
 * rtquery.c - one rtnetlink request and its one answer per question (see
 * rtquery.h).  The socket is opened inside the namespace, so the answer is
 * that namespace's, whichever namespace the thread returns to.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include "rtquery.h"
#include "netns.h"

struct rt_req {
	struct nlmsghdr n;
	union {
		struct rtmsg r;
		struct ndmsg nd;
	};
	char attrs[32];
};

static void add_attr(struct rt_req *q, unsigned short type, const void *data, int len)
{
	struct rtattr *a = (struct rtattr *)((char *)q + NLMSG_ALIGN(q->n.nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	q->n.nlmsg_len = NLMSG_ALIGN(q->n.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Send q in namespace ns and receive the one answer into buf; its header or NULL (*err). */
static struct nlmsghdr *ask(const char *ns, struct rt_req *q, char *buf, int len, int *err)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	int fd, saved, n;

	*err = xl_ns_enter(ns, &saved);
	if (*err)
		return NULL;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	*err = fd < 0 ? -errno : 0;
	xl_ns_leave(saved);
	if (fd < 0)
		return NULL;
	n = send(fd, q, q->n.nlmsg_len, 0) < 0 ? -1 : recv(fd, buf, len, 0);
	*err = n < 0 ? -errno : 0;
	close(fd);
	if (n < 0)
		return NULL;
	if (!NLMSG_OK(h, (unsigned int)n)) {
		*err = -EIO;
		return NULL;
	}
	if (h->nlmsg_type == NLMSG_ERROR) {
		*err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
		if (!*err)
			*err = -EIO;
		return NULL;
	}
	return h;
}

int xl_rt_route_get(const char *ns, struct in_addr dst, struct xl_rt_route *out)
{
	struct rt_req q = { .n = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg)),
				   .nlmsg_type = RTM_GETROUTE,
				   .nlmsg_flags = NLM_F_REQUEST },
			    .r = { .rtm_family = AF_INET, .rtm_dst_len = 32 } };
	char buf[4096];
	struct nlmsghdr *h;
	struct rtmsg *r;
	struct rtattr *a;
	int err, len;

	add_attr(&q, RTA_DST, &dst, sizeof(dst));
	h = ask(ns, &q, buf, sizeof(buf), &err);
	if (!h)
		return err;
	r = NLMSG_DATA(h);
	if (r->rtm_type != RTN_UNICAST && r->rtm_type != RTN_LOCAL)
		return -ENETUNREACH;
	memset(out, 0, sizeof(*out));
	out->local = r->rtm_type == RTN_LOCAL;
	len = RTM_PAYLOAD(h);
	for (a = RTM_RTA(r); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == RTA_OIF)
			memcpy(&out->oif, RTA_DATA(a), sizeof(out->oif));
		else if (a->rta_type == RTA_GATEWAY)
			memcpy(&out->gw, RTA_DATA(a), sizeof(out->gw));
	}
	return 0;
}

int xl_rt_neigh_get(const char *ns, int ifindex, struct in_addr dst, uint8_t mac[6],
		    uint16_t *state)
{
	struct rt_req q = { .n = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ndmsg)),
				   .nlmsg_type = RTM_GETNEIGH,
				   .nlmsg_flags = NLM_F_REQUEST },
			    .nd = { .ndm_family = AF_INET, .ndm_ifindex = ifindex } };
	char buf[1024];
	struct nlmsghdr *h;
	struct ndmsg *nd;
	struct rtattr *a;
	int err, len;

	add_attr(&q, NDA_DST, &dst, sizeof(dst));
	h = ask(ns, &q, buf, sizeof(buf), &err);
	if (!h)
		return err;
	nd = NLMSG_DATA(h);
	*state = nd->ndm_state;
	memset(mac, 0, 6);
	len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*nd));
	for (a = (struct rtattr *)((char *)nd + NLMSG_ALIGN(sizeof(*nd))); RTA_OK(a, len);
	     a = RTA_NEXT(a, len))
		if (a->rta_type == NDA_LLADDR && RTA_PAYLOAD(a) == 6)
			memcpy(mac, RTA_DATA(a), 6);
	return 0;
}
