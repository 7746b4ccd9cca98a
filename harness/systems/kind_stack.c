// SPDX-License-Identifier: GPL-2.0
/*
 * kind_stack.c - systems of the Linux network stack: iptables rules and
 * sysctls applied in the DUT's namespace for a trial, each recorded in the
 * cleanup registry with its inverse (-A becomes -D; a sysctl gets its old
 * value back).  The xdp kind reuses xl_stack_apply() for systems that put an
 * XDP program in front of stack rules (linux-raw+xdp-pass).
 *
 * Settings:  iptables = ARGS   (also iptables.2, iptables.3, ... applied in key order)
 *            sysctl   = net.ipv4.ip_forward=1 [KEY=VALUE ...]
 *            lb       = auto | nft | ipvs   the experiment's load balancer (stack_lb.h)
 *            sink     = lb-check            the sink that checks balanced frames
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "system.h"
#include "kind_stack.h"
#include "stack_lb.h"
#include "undo.h"
#include "xl_err.h"
#include "xl_spawn.h"

#define MAX_RULE_ARGS 40

static const char *const stack_keys[] = { XL_STACK_KEYS, NULL };

/* Split a rule into argv after "iptables -w"; -A becomes -D for the inverse. */
static int rule_argv(char *buf, const char **argv, bool inverse)
{
	char *save = NULL, *tok;
	int n = 0;

	argv[n++] = "iptables";
	argv[n++] = "-w";
	for (tok = strtok_r(buf, " \t", &save); tok && n < MAX_RULE_ARGS - 1;
	     tok = strtok_r(NULL, " \t", &save))
		argv[n++] = inverse && !strcmp(tok, "-A") ? "-D" : tok;
	argv[n] = NULL;
	return n;
}

static int apply_rule(struct xl_system *s, const char *rule)
{
	const char *ns = xl_port_ns(s->tb, XL_ROLE_DUT_IN);
	const char *argv[MAX_RULE_ARGS + 1], *undo[MAX_RULE_ARGS + 2];
	char buf[512], ibuf[512];

	snprintf(buf, sizeof(buf), "%s", rule);
	snprintf(ibuf, sizeof(ibuf), "%s", rule);
	rule_argv(buf, argv, false);
	if (xl_spawn_ns(ns, argv))
		return xl_fail(XL_EXIT_ENV, "iptables %s failed in %s", rule, ns ? ns : "root");
	undo[0] = ns ? ns : "-";
	rule_argv(ibuf, undo + 1, true);
	xl_system_keep(s, xl_undo_push("cmd", undo));
	return 0;
}

static int apply_sysctl(struct xl_system *s, const char *kv)
{
	const char *ns = xl_port_ns(s->tb, XL_ROLE_DUT_IN);
	char key[128], path[200], old[64];
	const char *eq = strchr(kv, '=');

	if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key))
		return xl_fail(XL_EXIT_CONFIG, "sysctl '%s' is not KEY=VALUE", kv);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	for (char *c = path + 10; *c; c++)
		if (*c == '.')
			*c = '/';
	if (xl_read_file(ns, path, old, sizeof(old)))
		return xl_fail(XL_EXIT_ENV, "sysctl %s does not exist in %s", key,
			       ns ? ns : "the root namespace");
	if (!strcmp(old, eq + 1))
		return 0;
	if (xl_write_file(ns, path, eq + 1))
		return xl_fail(XL_EXIT_ENV, "cannot set %s in %s", kv, ns ? ns : "root");
	xl_system_keep(s, xl_undo_add("sysctl", ns ? ns : "-", path, old, NULL));
	return 0;
}

int xl_stack_apply(struct xl_system *s)
{
	const char *v = xl_setting(s->e, "iptables");
	char key[32], buf[512], *save = NULL, *tok;

	for (int i = 1; v; v = xl_setting(s->e, key)) {
		if (apply_rule(s, v))
			return -1;
		snprintf(key, sizeof(key), "iptables.%d", ++i);
	}
	v = xl_setting(s->e, "sysctl");
	if (v) {
		snprintf(buf, sizeof(buf), "%s", v);
		for (tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save))
			if (apply_sysctl(s, tok))
				return -1;
	}
	return 0;
}

static char lb_used[96]; /* provenance: which Linux load balancer ran */

static int stack_setup(struct xl_system *s)
{
	const char *used;

	if (xl_system_rx_path(s) || xl_stack_apply(s) || xl_stack_lb_apply(s, &used))
		return -1;
	if (used)
		snprintf(lb_used, sizeof(lb_used), "%s", used);
	return 0;
}

static int stack_check(const struct xl_sys_entry *e, const char *run_opts)
{
	(void)run_opts;
	return xl_stack_lb_check(e);
}

static const char *stack_describe(struct xl_system *s)
{
	return xl_setting(s->e, "lb") ? lb_used : "the Linux stack";
}

static const struct xl_kind_ops stack_kind = {
	.name = "stack",
	.what = "the Linux stack with iptables rules and sysctls in the DUT namespace",
	.modes = XL_SM_STACK,
	.keys = stack_keys,
	.check = stack_check,
	.setup = stack_setup,
	.describe = stack_describe,
};

XL_CONSTRUCTOR(register_stack)
{
	xl_kind_register(&stack_kind);
}
