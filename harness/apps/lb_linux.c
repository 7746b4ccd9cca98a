// SPDX-License-Identifier: GPL-2.0
/*
 * lb_linux.c - the Linux-stack baseline of the load-balancer plan as text:
 * the nftables DNAT ruleset, and ipvsadm commands built from templates (one
 * per command kind) whose "@" words are replaced by the plan's values.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "lb_linux.h"

/* The plan's protocol as nft's keyword and ipvsadm's service flag; NULL if neither. */
static const struct proto_name {
	uint8_t proto;
	const char *nft, *ipvs;
} protos[] = {
	{ IPPROTO_UDP, "udp", "-u" },
	{ IPPROTO_TCP, "tcp", "-t" },
};

static const struct proto_name *proto_find(uint8_t proto)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].proto == proto)
			return &protos[i];
	return NULL;
}

static int plan_ok(const struct xl_lb_plan *p)
{
	return p->nvips && p->nvips <= XL_LB_MAX_VIPS && p->nreals && p->reals &&
	       proto_find(p->proto);
}

static const char *addr_str(uint32_t addr, char *buf)
{
	return inet_ntop(AF_INET, &addr, buf, INET_ADDRSTRLEN);
}

int xl_lb_nft_ruleset(const struct xl_lb_plan *p, char **text)
{
	const struct proto_name *pn = proto_find(p->proto);
	char a[INET_ADDRSTRLEN];
	size_t size = 0;
	FILE *f;

	*text = NULL;
	if (!plan_ok(p))
		return -EINVAL;
	f = open_memstream(text, &size);
	if (!f)
		return -ENOMEM;
	fprintf(f, "table ip %s {\n\tchain prerouting {\n", XL_LB_NFT_TABLE);
	fprintf(f, "\t\ttype nat hook prerouting priority dstnat; policy accept;\n");
	for (uint32_t v = 0; v < p->nvips; v++) {
		fprintf(f,
			"\t\tip daddr %s %s dport %u dnat to jhash ip saddr mod %u seed 0x%x map {",
			addr_str(p->vip[v], a), pn->nft, ntohs(p->port), p->nreals, XL_LB_NFT_SEED);
		for (uint32_t j = 0; j < p->nreals; j++)
			fprintf(f, "%s %u : %s", j ? "," : "", j,
				addr_str(p->reals[v * p->nreals + j], a));
		fprintf(f, " }\n");
	}
	fprintf(f, "\t}\n}\n");
	if (fclose(f) || !*text) {
		free(*text);
		*text = NULL;
		return -ENOMEM;
	}
	return 0;
}

int xl_lb_have_ipvs(void)
{
	return access("/proc/net/ip_vs", F_OK) == 0;
}

/* Command templates: "@proto", "@vip" and "@real" are replaced. */
static const char *const ipvs_add_vip[] = { "ipvsadm", "-A", "@proto", "@vip", "-s", "sh", NULL };
static const char *const ipvs_add_real[] = { "ipvsadm", "-a",	 "@proto", "@vip",
					     "-r",	"@real", "-i",	   NULL };
static const char *const ipvs_del_vip[] = { "ipvsadm", "-D", "@proto", "@vip", NULL };

/* One argv from a template; NULL (errno ENOMEM) on failure. */
static char **expand(const char *const *tpl, const char *proto, const char *vip, const char *real)
{
	size_t n = 0;
	char **argv;

	while (tpl[n])
		n++;
	argv = calloc(n + 1, sizeof(*argv));
	if (!argv)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *w = tpl[i];

		if (!strcmp(w, "@proto"))
			w = proto;
		else if (!strcmp(w, "@vip"))
			w = vip;
		else if (!strcmp(w, "@real"))
			w = real;
		argv[i] = strdup(w);
		if (!argv[i]) {
			while (i--)
				free(argv[i]);
			free(argv);
			errno = ENOMEM;
			return NULL;
		}
	}
	return argv;
}

int xl_lb_ipvs_cmds(const struct xl_lb_plan *p, bool inverse, char ****cmds, int *n)
{
	const struct proto_name *pn = proto_find(p->proto);
	uint32_t max = inverse ? p->nvips : p->nvips * (1 + p->nreals);
	char a[INET_ADDRSTRLEN], vip[INET_ADDRSTRLEN + 8], real[INET_ADDRSTRLEN + 8];
	char ***c;
	int k = 0;

	*cmds = NULL;
	*n = 0;
	if (!plan_ok(p))
		return -EINVAL;
	c = calloc(max, sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (uint32_t v = 0; v < p->nvips; v++) {
		snprintf(vip, sizeof(vip), "%s:%u", addr_str(p->vip[v], a), ntohs(p->port));
		c[k] = expand(inverse ? ipvs_del_vip : ipvs_add_vip, pn->ipvs, vip, NULL);
		if (!c[k++])
			goto nomem;
		for (uint32_t j = 0; j < p->nreals && !inverse; j++) {
			snprintf(real, sizeof(real), "%s:%u",
				 addr_str(p->reals[v * p->nreals + j], a), ntohs(p->port));
			c[k] = expand(ipvs_add_real, pn->ipvs, vip, real);
			if (!c[k++])
				goto nomem;
		}
	}
	*cmds = c;
	*n = k;
	return k;
nomem:
	xl_lb_cmds_free(c, k);
	return -ENOMEM;
}

void xl_lb_cmds_free(char ***cmds, int n)
{
	if (!cmds)
		return;
	for (int i = 0; i < n; i++) {
		for (char **w = cmds[i]; w && *w; w++)
			free(*w);
		free(cmds[i]);
	}
	free(cmds);
}
