// SPDX-License-Identifier: GPL-2.0
/*
 * remote_check.c - the testbed preflight on another host (remote.h): what
 * this host's preflight sees, sent to that host's agent (agent_check.c),
 * which runs the same check table on its own ports; its lines are printed
 * here, each after "host NAME: ".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "remote.h"
#include "gen/pkt.h"
#include "xl_err.h"

#define CHECK_MS 60000

static json_object *ports_json(const struct xl_testbed *tb)
{
	json_object *a = json_object_new_array();

	for (int r = 0; r < XL_NR_ROLES; r++) {
		json_object *p = json_object_new_object();
		char ip[INET_ADDRSTRLEN], mac[24];

		inet_ntop(AF_INET, &tb->port[r].ip, ip, sizeof(ip));
		xl_format_mac(tb->port[r].mac, mac, sizeof(mac));
		json_object_object_add(p, "ifname", json_object_new_string(tb->port[r].ifname));
		json_object_object_add(p, "ip", json_object_new_string(ip));
		json_object_object_add(p, "mac", json_object_new_string(mac));
		json_object_array_add(a, p);
	}
	return a;
}

/* Each (system, mode) with what the checks read of it: counts, its default mode, its settings. */
static json_object *systems_json(const struct xl_pf_input *in)
{
	json_object *a = json_object_new_array();

	for (int i = 0; i < in->nsys; i++) {
		const struct xl_sys_entry *e = in->sys[i].e;
		json_object *s = json_object_new_object(), *set = json_object_new_object();

		json_object_object_add(s, "name", json_object_new_string(e->name));
		json_object_object_add(s, "mode", json_object_new_int(in->sys[i].mode));
		json_object_object_add(s, "default_mode", json_object_new_int(e->default_mode));
		json_object_object_add(s, "counts", json_object_new_int(e->counts));
		for (int k = 0; k < e->nsettings; k++)
			json_object_object_add(set, e->settings[k].key,
					       json_object_new_string(e->settings[k].value));
		json_object_object_add(s, "settings", set);
		json_object_array_add(a, s);
	}
	return a;
}

int xl_remote_check_host(struct xl_ssh *s, const struct xl_host *h, const struct xl_pf_input *in,
			 bool fix, enum xl_pf_report report, int *fixed)
{
	json_object *req = xl_wire_req("check"), *rep, *roles = json_object_new_array(), *lines, *v;
	char prefix[XL_NAME_LEN + 16];
	int n;

	for (int r = 0; r < XL_NR_ROLES; r++)
		if (h->role[r])
			json_object_array_add(roles, json_object_new_int(r));
	json_object_object_add(req, "roles", roles);
	json_object_object_add(req, "ports", ports_json(in->tb));
	json_object_object_add(req, "cores", json_object_new_int(in->tb->cores));
	json_object_object_add(req, "gen_cpus", xl_wire_ints(in->tb->gen_cpus, in->tb->cores));
	json_object_object_add(req, "dut_cpus", xl_wire_ints(in->tb->dut_cpus, in->tb->cores));
	json_object_object_add(req, "systems", systems_json(in));
	json_object_object_add(req, "livefr", json_object_new_boolean(in->livefr));
	json_object_object_add(req, "routes", json_object_new_boolean(in->routes));
	json_object_object_add(req, "lb", json_object_new_boolean(in->lb));
	/* The agent gives the rr client its path to the DUT itself (agent_rr.c): not checked there. */
	json_object_object_add(req, "rr", json_object_new_boolean(false));
	json_object_object_add(req, "fix", json_object_new_boolean(fix));
	json_object_object_add(req, "all", json_object_new_boolean(report == XL_PF_ALL));
	rep = xl_ssh_call(s, req, CHECK_MS);
	json_object_put(req);
	if (!rep)
		return -1;
	snprintf(prefix, sizeof(prefix), "host %s: ", h->name);
	if (json_object_object_get_ex(rep, "lines", &lines))
		for (size_t i = 0; i < json_object_array_length(lines); i++) {
			json_object *p = json_object_array_get_idx(lines, i);
			const char *tag = json_object_get_string(json_object_array_get_idx(p, 0));

			xl_pf_print(report, tag, prefix,
				    json_object_get_string(json_object_array_get_idx(p, 1)));
			*fixed += !strcmp(tag, "fixed");
		}
	n = json_object_object_get_ex(rep, "problems", &v) ? json_object_get_int(v) : 0;
	json_object_put(rep);
	return n;
}
