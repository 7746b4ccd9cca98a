// SPDX-License-Identifier: GPL-2.0
/*
 * stack_lb.c - the Linux-stack load balancer of a stack system (setting
 * lb = auto | nft | ipvs), built from the experiment's plan (apps/lb_plan.h)
 * in the DUT's namespace and recorded for undo.  The paper's baseline is
 * IPVS (source hashing, tunnel mode); a kernel without IPVS gets the
 * nftables stand-in instead: DNAT of each VIP to one of its reals by a hash
 * of the client's address (apps/lb_linux.h says how that differs).  auto
 * picks IPVS when the kernel has it and ipvsadm is installed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "stack_lb.h"
#include "apps/lb_linux.h"
#include "undo.h"
#include "xl_err.h"
#include "xl_spawn.h"

#define XL_IPVSADM "/usr/sbin/ipvsadm"

static int lb_nft(struct xl_system *s, const char *ns)
{
	char path[] = "/tmp/xdplab-lb-XXXXXX", *text = NULL;
	const char *argv[] = { "nft", "-f", path, NULL };
	int fd, err;

	err = xl_lb_nft_ruleset(s->lb, &text);
	if (err)
		return xl_fail(XL_EXIT_FAIL, "[system %s]: cannot build the nftables ruleset: %s",
			       s->e->name, strerror(-err));
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		err = -errno;
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		free(text);
		return xl_fail(XL_EXIT_ENV, "cannot write the nftables ruleset: %s",
			       strerror(-err));
	}
	close(fd);
	free(text);
	err = xl_spawn_ns(ns, argv) ? -EIO : 0;
	unlink(path);
	if (err)
		return xl_fail(XL_EXIT_ENV,
			       "[system %s]: nft -f refused the load balancer's "
			       "ruleset in %s (see run.log)",
			       s->e->name, ns ? ns : "root");
	xl_system_keep(s, xl_undo_add("cmd", ns ? ns : "-", "nft", "delete", "table", "ip",
				      XL_LB_NFT_TABLE, NULL));
	return 0;
}

static int lb_ipvs(struct xl_system *s, const char *ns)
{
	char ***cmds = NULL, ***inv = NULL;
	int n = 0, ninv = 0, err;

	err = xl_lb_ipvs_cmds(s->lb, false, &cmds, &n);
	err = err ?: xl_lb_ipvs_cmds(s->lb, true, &inv, &ninv);
	for (int i = 0; !err && i < ninv; i++) {
		const char *undo[16] = { ns ? ns : "-" };
		int k = 1;

		for (int j = 0; inv[i][j] && k < 15; j++)
			undo[k++] = inv[i][j];
		undo[k] = NULL;
		/* The inverse first: a half-applied set-up is undone all the same. */
		xl_system_keep(s, xl_undo_push("cmd", undo));
	}
	for (int i = 0; !err && i < n; i++)
		err = xl_spawn_ns(ns, (const char *const *)cmds[i]) ? -EIO : 0;
	xl_lb_cmds_free(cmds, n);
	xl_lb_cmds_free(inv, ninv);
	if (err)
		return xl_fail(XL_EXIT_ENV, "[system %s]: ipvsadm failed in %s (see run.log)",
			       s->e->name, ns ? ns : "root");
	return 0;
}

int xl_stack_lb_check(const struct xl_sys_entry *e)
{
	const char *v = xl_setting(e, "lb");

	if (v && strcmp(v, "auto") && strcmp(v, "nft") && strcmp(v, "ipvs"))
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [system %s] lb: want auto, nft or ipvs, not '%s'", e->source,
			       e->name, v);
	return 0;
}

int xl_stack_lb_apply(struct xl_system *s, const char **used)
{
	const char *v = xl_setting(s->e, "lb"), *ns = xl_port_ns(s->tb, XL_ROLE_DUT_IN);
	bool ipvs;

	*used = NULL;
	if (!v)
		return 0;
	if (!s->lb)
		return xl_fail(XL_EXIT_CONFIG,
			       "[system %s]: lb = %s needs an experiment with "
			       "lb_vips, lb_reals and src_addrs",
			       s->e->name, v);
	ipvs = !strcmp(v, "ipvs") ||
	       (!strcmp(v, "auto") && xl_lb_have_ipvs() == 1 && !access(XL_IPVSADM, X_OK));
	if (ipvs && xl_lb_have_ipvs() != 1)
		return xl_fail(XL_EXIT_ENV,
			       "[system %s]: lb = ipvs, but this kernel has no IPVS "
			       "(CONFIG_IP_VS)",
			       s->e->name);
	*used = ipvs ? "IPVS: source hashing, tunnel mode (ipvsadm)"
		     : "nftables: DNAT to a real by jhash of the client address (no IPVS here)";
	return ipvs ? lb_ipvs(s, ns) : lb_nft(s, ns);
}
