// SPDX-License-Identifier: GPL-2.0
/*
 * faults.c - faults during a run (faults.h): the testbed's links and
 * namespaces at the snapshots and before each trial, the sink watched through
 * the measured interval, the generator's health at its end, and the one test
 * hook (XDPLAB_FAULT), read once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "faults.h"
#include "trial.h"
#include "collect/snapshot.h"
#include "netns.h"
#include "sig.h"
#include "util.h"
#include "xdp_attach.h"
#include "xl_err.h"
#include "xl_spawn.h"

/* How long an existing testbed's link may take to come back before the run stops. */
#define XL_LINK_WAIT_S 5.0
/* xdplab's own veth link, set up again, must be up this soon. */
#define XL_LINK_UP_S 2.0
/* The sink counted nothing this long while the DUT took at least this many frames. */
#define XL_STALL_S 1.0
#define XL_STALL_FRAMES 1000
/* A generator that dies in this many trials in a row will not run: the run stops. */
#define XL_GEN_DIED_MAX 2

/* The generator's deaths in consecutive trials, and the latest one's sentence. */
static int gen_died_streak;
static char gen_died_why[160];

static const char *port_ns(const struct xl_testbed *tb, int r)
{
	return tb->port[r].ns[0] ? tb->port[r].ns : NULL;
}

/* "netns-gone" or "port-gone" with a sentence, or NULL when every namespace and port is there. */
static const char *testbed_lost(const struct xl_testbed *tb, char *why, size_t len)
{
	for (int r = 0; r < XL_NR_ROLES; r++) {
		if (!xl_ns_exists(port_ns(tb, r))) {
			snprintf(why, len, "namespace %s (of the %s port) vanished during the run",
				 tb->port[r].ns, xl_role_name(r));
			return "netns-gone";
		}
	}
	for (int r = 0; r < XL_NR_ROLES; r++) {
		if (tb->ifindex[r] > 0 &&
		    xl_ns_ifindex(port_ns(tb, r), tb->port[r].ifname) != tb->ifindex[r]) {
			snprintf(why, len, "the %s port %s vanished during the run",
				 xl_role_name(r), tb->port[r].ifname);
			return "port-gone";
		}
	}
	return NULL;
}

void xl_fault_links_read(const struct xl_testbed *tb, struct xl_links *l)
{
	memset(l, 0, sizeof(*l));
	l->down = l->gone = -1;
	for (int r = 0; r < XL_NR_ROLES; r++) {
		struct xl_link_state st;

		if (tb->ifindex[r] <= 0)
			continue;
		if (xl_ns_link_state(port_ns(tb, r), tb->ifindex[r], &st)) {
			if (l->gone < 0)
				l->gone = r;
			continue;
		}
		l->changes += st.carrier_changes;
		/* A port set down names the fault better than its peer that lost carrier. */
		if (!st.up && (l->down < 0 || (!st.admin_up && !l->admin_down))) {
			l->down = r;
			l->admin_down = !st.admin_up;
		}
	}
}

/* Wait up to secs for every link to be up; l says which one is still down. */
static int wait_links(const struct xl_testbed *tb, double secs, struct xl_links *l)
{
	uint64_t end = xl_now_ns() + secs * 1e9;

	for (;;) {
		xl_fault_links_read(tb, l);
		if (l->down < 0 || xl_now_ns() >= end || !xl_sig_sleep(0.1))
			return l->down;
	}
}

int xl_fault_check_testbed(const struct xl_testbed *tb)
{
	char why[160];
	const char *reason = testbed_lost(tb, why, sizeof(why));
	struct xl_links l;
	int down;

	if (reason)
		return xl_fail(XL_EXIT_FAULT, "%s (%s): the testbed is broken, run stopped", why,
			       reason);
	if (gen_died_streak >= XL_GEN_DIED_MAX)
		return xl_fail(XL_EXIT_FAULT,
			       "the generator died in %d trials in a row (%s): run stopped",
			       gen_died_streak, gen_died_why);
	down = wait_links(tb, 0, &l);
	if (down < 0)
		return 0;
	if (tb->create) {
		/* xdplab made these links up; whoever set one down, it is set up again. */
		xl_warn("link of %s (%s) is down: setting it up again", tb->port[down].ifname,
			xl_role_name(down));
		for (int r = 0; r < XL_NR_ROLES; r++)
			xl_run("ip", "-n", tb->port[r].ns, "link", "set", tb->port[r].ifname, "up",
			       NULL);
		down = wait_links(tb, XL_LINK_UP_S, &l);
	} else {
		xl_warn("link of %s (%s) is down: waiting %.0f s for it", tb->port[down].ifname,
			xl_role_name(down), XL_LINK_WAIT_S);
		down = wait_links(tb, XL_LINK_WAIT_S, &l);
	}
	if (down < 0)
		return 0;
	if (xl_sig_stopped())
		return -EINTR;
	if (!l.admin_down)
		return xl_fail(XL_EXIT_FAULT,
			       "link of %s (%s) stays down (no carrier: its peer or cable): the "
			       "testbed is broken, run stopped",
			       tb->port[down].ifname, xl_role_name(down));
	return xl_fail(XL_EXIT_FAULT,
		       "link of %s (%s) stays down: the testbed is broken, run stopped; fix: "
		       "ip%s%s link set %s up",
		       tb->port[down].ifname, xl_role_name(down), port_ns(tb, down) ? " -n " : "",
		       port_ns(tb, down) ? port_ns(tb, down) : "", tb->port[down].ifname);
}

void xl_fault_mon_sample(struct xl_fault_mon *fm, struct xl_system *sys, struct xl_xdp *sink)
{
	struct xl_datarec rec[XL_NR_ACTIONS];
	uint64_t now = xl_now_ns(), dut;

	if (!sink || fm->stalled || xl_xdp_read_stats(sink, rec) || xl_system_read(sys, &dut))
		return;
	if (!fm->started || rec[XDP_DROP].packets != fm->sink) {
		fm->moved = fm->started;
		fm->started = true;
		fm->sink = rec[XDP_DROP].packets;
		fm->t_move = now;
		fm->dut_at_move = dut;
		return;
	}
	/* Only a sink that counted in this interval can stall: one that never did is no-delivery. */
	if (fm->moved && now - fm->t_move >= XL_STALL_S * 1e9 &&
	    dut - fm->dut_at_move >= XL_STALL_FRAMES) {
		fm->stalled = true;
		fm->stall_s = (now - fm->t_move) / 1e9;
		fm->stall_dut = dut - fm->dut_at_move;
	}
}

static void set_fault(struct xl_row_store *st, const char *reason, const char *detail)
{
	st->fault = reason;
	snprintf(st->fault_detail, sizeof(st->fault_detail), "%s", detail);
}

bool xl_fault_lost_row(const struct xl_trial *m, const struct xl_snap *a, struct xl_row_store *st)
{
	char why[160];
	const char *reason = testbed_lost(m->tb, why, sizeof(why));

	if (!reason)
		return false;
	xl_snap_row(m, a, a, st);
	set_fault(st, reason, why);
	xl_row_judge(m, st, false);
	return true;
}

void xl_fault_note(const struct xl_trial *m, struct xl_gen *g, const struct xl_fault_mon *fm,
		   const struct xl_snap *a, const struct xl_snap *b, struct xl_row_store *st)
{
	const struct xl_testbed *tb = m->tb;
	char why[160];

	st->fault = NULL;
	if (b->links.gone >= 0) {
		snprintf(why, sizeof(why),
			 "port %s (%s) could not be read at the end of the interval",
			 tb->port[b->links.gone].ifname, xl_role_name(b->links.gone));
		set_fault(st, "port-gone", why);
	} else if (b->links.down >= 0 || a->links.down >= 0 ||
		   a->links.changes != b->links.changes) {
		int r = b->links.down >= 0 ? b->links.down : a->links.down;

		if (r >= 0)
			snprintf(why, sizeof(why), "the link of %s (%s) was down in the interval",
				 tb->port[r].ifname, xl_role_name(r));
		else
			snprintf(
				why, sizeof(why),
				"a testbed link went down and up in the interval (%u carrier changes)",
				b->links.changes - a->links.changes);
		set_fault(st, "link-down", why);
	} else if (xl_gen_lost(g, why, sizeof(why))) {
		set_fault(st, "gen-died", why);
	} else if (fm && fm->stalled) {
		snprintf(why, sizeof(why),
			 "the sink counted nothing for %.1f s while the DUT took %llu frames",
			 fm->stall_s, (unsigned long long)fm->stall_dut);
		set_fault(st, "sink-stall", why);
	}
	if (st->fault && !strcmp(st->fault, "gen-died")) {
		gen_died_streak++;
		snprintf(gen_died_why, sizeof(gen_died_why), "%s", st->fault_detail);
	} else {
		gen_died_streak = 0;
	}
}

double xl_fault_gen_exit_s(const struct xl_trial *m)
{
	static long trial = -1; /* -1: not read yet, 0: no fault */

	if (trial < 0) {
		const char *v = getenv("XDPLAB_FAULT");

		trial = 0;
		if (v && (strncmp(v, "gen-exit@", 9) || xl_parse_int(v + 9, 1, 1000000, &trial))) {
			trial = 0;
			xl_warn("XDPLAB_FAULT='%s' ignored: the only test fault is gen-exit@TRIAL",
				v);
		}
	}
	return trial && m->trial == trial ? m->warmup_s + m->duration_s / 2 : 0;
}
