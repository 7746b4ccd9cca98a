// SPDX-License-Identifier: GPL-2.0
/*
 * system.c - the kind registry, the life cycle of a system instance
 * (set-up, counter read, teardown through its kind), the helpers kinds share
 * (registry entries kept per instance, GRO for veth's receive path, the
 * port's rx counter), the "none" kind of the no-DUT baseline, and the
 * registration of the shipped systems file configs/systems.ini, which the
 * build compiles in (build/gen/systems_ini.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "system.h"
#include "netns.h"
#include "undo.h"
#include "xl_err.h"

#define XL_MAX_KINDS 16

static const struct xl_kind_ops *kinds[XL_MAX_KINDS];
static int nkinds;

void xl_kind_register(const struct xl_kind_ops *ops)
{
	if (nkinds < XL_MAX_KINDS)
		kinds[nkinds++] = ops;
}

const struct xl_kind_ops *xl_kind_find(const char *name)
{
	for (int i = 0; i < nkinds; i++)
		if (!strcmp(kinds[i]->name, name))
			return kinds[i];
	return NULL;
}

bool xl_kind_claims_run_key(const char *key)
{
	for (int i = 0; i < nkinds; i++)
		if (kinds[i]->run_key && !strcmp(kinds[i]->run_key, key))
			return true;
	return false;
}

bool xl_kind_accepts(const struct xl_kind_ops *ops, const char *key)
{
	for (const char *const *k = ops->keys; k && *k; k++) {
		size_t len = strlen(*k);

		if (len > 2 && !strcmp(*k + len - 2, ".*") ? !strncmp(key, *k, len - 1)
							   : !strcmp(key, *k))
			return true;
	}
	return false;
}

void xl_system_keep(struct xl_system *s, int undo_id)
{
	xl_undo_keep(&s->undo, undo_id);
}

void xl_system_undo(struct xl_system *s)
{
	xl_undo_set_run(&s->undo);
}

int xl_system_rx_path(struct xl_system *s)
{
	int id;

	/* veth delivers xdp_xmit'd frames to a peer without native XDP only through GRO/NAPI. */
	if (s->mode == XL_SM_NATIVE || s->mode == XL_SM_NONE || !s->tb->create)
		return 0;
	id = xl_testbed_gro(s->tb, XL_ROLE_DUT_IN, true);
	if (id < 0)
		return xl_fail(XL_EXIT_ENV, "cannot enable GRO on %s: %s",
			       s->tb->port[XL_ROLE_DUT_IN].ifname, strerror(-id));
	xl_system_keep(s, id);
	return 0;
}

int xl_system_link_rx(struct xl_system *s, uint64_t *pkts)
{
	struct rtnl_link_stats64 st;
	int err;

	if (s->tb->ifindex[XL_ROLE_DUT_IN] <= 0)
		return -ENODEV;
	err = xl_ns_link_stats(s->tb->port[XL_ROLE_DUT_IN].ns, s->tb->ifindex[XL_ROLE_DUT_IN], &st);
	if (!err)
		*pkts = st.rx_packets;
	return err;
}

int xl_system_setup(struct xl_system *s)
{
	int err = s->e->ops->setup ? s->e->ops->setup(s) : 0;

	if (err)
		xl_system_undo(s);
	s->set_up = !err;
	return err;
}

int xl_system_read(struct xl_system *s, uint64_t *dut_pkts)
{
	return s->e->ops->read ? s->e->ops->read(s, dut_pkts) : xl_system_link_rx(s, dut_pkts);
}

void xl_system_teardown(struct xl_system *s)
{
	if (!s->set_up)
		return;
	if (s->e->ops->teardown)
		s->e->ops->teardown(s);
	xl_system_undo(s);
	s->set_up = false;
}

/* No system at all: the sink sits on dut-in (the method's own latency floor). */
static const struct xl_kind_ops none_kind = {
	.name = "none",
	.what = "nothing on the DUT; the sink counts on dut-in",
	.modes = XL_SM_NONE,
};

extern const char xl_systems_ini[];
extern const unsigned int xl_systems_ini_len;

XL_CONSTRUCTOR(register_core)
{
	xl_kind_register(&none_kind);
	xl_catalog_register_text("configs/systems.ini", xl_systems_ini, xl_systems_ini_len);
}
