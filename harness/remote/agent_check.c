// SPDX-License-Identifier: GPL-2.0
/*
 * agent_check.c - the testbed preflight of another host's ports (agent
 * request "check"; testbed/preflight.h).  xdplab sends what its own
 * preflight sees (the testbed's ports and CPUs, the run's (system, mode)
 * pairs with what the checks read of them, the run's fixtures and backend)
 * and which roles are here; the same check table runs on this host's ports,
 * and its lines go back in the reply.  With fix, the fixes applied here stay
 * until the session ends (the run), undone then or by this host's cleanup.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "agent.h"
#include "gen/pkt.h"
#include "netns.h"
#include "testbed/preflight.h"
#include "xl_err.h"

static int get_int(json_object *o, const char *key)
{
	return json_object_get_int(xl_agent_get(o, key));
}

static void collect(void *ctx, const char *tag, const char *msg)
{
	json_object *pair = json_object_new_array();

	json_object_array_add(pair, json_object_new_string(tag));
	json_object_array_add(pair, json_object_new_string(msg));
	json_object_array_add(ctx, pair);
}

/* The testbed as xdplab's host describes it; this host's ports read here. */
static int testbed_of(json_object *req, struct xl_testbed *tb, const bool here[XL_NR_ROLES])
{
	json_object *ports = xl_agent_get(req, "ports");
	size_t n =
		json_object_is_type(ports, json_type_array) ? json_object_array_length(ports) : 0;

	memset(tb, 0, sizeof(*tb));
	tb->cores = get_int(req, "cores");
	if (n != XL_NR_ROLES || tb->cores < 1 || tb->cores > XL_MAX_CORES ||
	    xl_agent_ints(req, "gen_cpus", tb->gen_cpus, XL_MAX_CORES) < tb->cores ||
	    xl_agent_ints(req, "dut_cpus", tb->dut_cpus, XL_MAX_CORES) < tb->cores)
		return xl_fail(XL_EXIT_USAGE, "check: malformed testbed");
	for (int r = 0; r < XL_NR_ROLES; r++) {
		json_object *p = json_object_array_get_idx(ports, r);
		struct xl_port *pt = &tb->port[r];

		snprintf(pt->ifname, sizeof(pt->ifname), "%s", xl_agent_str(p, "ifname"));
		if (!inet_pton(AF_INET, xl_agent_str(p, "ip"), &pt->ip) ||
		    xl_parse_mac(xl_agent_str(p, "mac"), pt->mac))
			return xl_fail(XL_EXIT_USAGE, "check: malformed port of %s",
				       xl_role_name(r));
		tb->ifindex[r] = -1;
		if (!here[r])
			continue;
		tb->ifindex[r] = xl_ns_ifindex(NULL, pt->ifname);
		if (tb->ifindex[r] < 0 || xl_ns_mac(NULL, pt->ifname, pt->mac))
			return xl_fail(XL_EXIT_NOIF, "interface '%s' does not exist", pt->ifname);
	}
	return 0;
}

/* The (system, mode) pairs, as entries holding what the checks read of a system. */
static int systems_of(json_object *req, struct xl_sys_entry **out, struct xl_pf_input *in)
{
	json_object *a = xl_agent_get(req, "systems");
	size_t n = json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
	struct xl_sys_entry *e;

	if (n > XL_PF_MAX_SYS)
		return xl_fail(XL_EXIT_USAGE, "check: too many systems");
	e = calloc(n ? n : 1, sizeof(*e));
	*out = e;
	if (!e)
		return xl_fail(XL_EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(a, i),
			    *set = xl_agent_get(s, "settings");
		int k = 0;

		e[i].name = strdup(xl_agent_str(s, "name"));
		e[i].counts = get_int(s, "counts");
		e[i].default_mode = get_int(s, "default_mode");
		e[i].settings = calloc(json_object_object_length(set) + 1, sizeof(*e[i].settings));
		if (!e[i].name || !e[i].settings)
			return xl_fail(XL_EXIT_FAIL, "out of memory");
		json_object_object_foreach(set, key, val)
		{
			e[i].settings[k].key = strdup(key);
			e[i].settings[k].value = strdup(json_object_get_string(val));
			k++;
		}
		e[i].nsettings = k;
		xl_pf_add_system(in, &e[i], get_int(s, "mode"));
	}
	return 0;
}

static void systems_free(struct xl_sys_entry *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++) {
		for (int k = 0; k < e[i].nsettings; k++) {
			free(e[i].settings[k].key);
			free(e[i].settings[k].value);
		}
		free(e[i].settings);
		free(e[i].name);
	}
	free(e);
}

int xl_agent_check(struct xl_agent *a, json_object *req, json_object *rep)
{
	json_object *lines = json_object_new_array();
	int roles[XL_NR_ROLES], nroles = xl_agent_ints(req, "roles", roles, XL_NR_ROLES);
	bool here[XL_NR_ROLES] = {};
	struct xl_sys_entry *e = NULL;
	struct xl_pf_input in = {};
	struct xl_testbed tb;
	int n = -1;

	json_object_object_add(rep, "lines", lines);
	for (int i = 0; i < nroles; i++)
		if (roles[i] >= 0 && roles[i] < XL_NR_ROLES)
			here[roles[i]] = true;
	if (testbed_of(req, &tb, here))
		return -1;
	in.tb = &tb;
	for (int r = 0; r < XL_NR_ROLES; r++)
		in.elsewhere[r] = !here[r];
	in.livefr = json_object_get_boolean(xl_agent_get(req, "livefr"));
	in.routes = json_object_get_boolean(xl_agent_get(req, "routes"));
	in.lb = json_object_get_boolean(xl_agent_get(req, "lb"));
	in.rr = json_object_get_boolean(xl_agent_get(req, "rr"));
	in.line = collect;
	in.line_ctx = lines;
	if (!systems_of(req, &e, &in))
		n = xl_preflight(&in, json_object_get_boolean(xl_agent_get(req, "fix")),
				 json_object_get_boolean(xl_agent_get(req, "all")) ? XL_PF_ALL
										   : XL_PF_PROBLEMS,
				 &a->check_undo);
	systems_free(e, json_object_array_length(xl_agent_get(req, "systems")));
	if (n < 0)
		return n == -1 ? -1 : xl_fail(XL_EXIT_FAIL, "check: %s", strerror(-n));
	json_object_object_add(rep, "problems", json_object_new_int(n));
	return 0;
}
