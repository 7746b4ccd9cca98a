// SPDX-License-Identifier: GPL-2.0
/*
 * hosts.c - the `[host NAME]` sections of a run config (hosts.h): a table of
 * keys, the placement rules checked once the file is read, the ssh command
 * line of a host (always BatchMode: xdplab never waits for a password), and
 * the host's settings as they go to context.json.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hosts.h"
#include "util.h"
#include "xl_err.h"

enum hkey_type {
	H_STR,
	H_INT,
};

static const struct {
	const char *key;
	enum hkey_type type;
	size_t off, size;
	long min, max;
} host_keys[] = {
#define HSTR(k, f)                                                                            \
	{                                                                                     \
		k, H_STR, offsetof(struct xl_host, f), sizeof(((struct xl_host *)0)->f), 0, 0 \
	}
	HSTR("ssh", ssh),
	HSTR("identity", identity),
	HSTR("known_hosts", known_hosts),
	HSTR("xdplab", xdplab),
	{ "port", H_INT, offsetof(struct xl_host, port), 0, 1, 65535 },
	{ "ptp", H_INT, offsetof(struct xl_host, ptp), 0, 0, 1 },
#undef HSTR
};

bool xl_host_word_ok(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._/@:+-", *s))
			return false;
	return true;
}

static struct xl_host *host_get(struct xl_hosts *h, const char *name, char *err, size_t errlen)
{
	struct xl_host *x;

	for (int i = 0; i < h->n; i++)
		if (!strcmp(h->host[i].name, name))
			return &h->host[i];
	if (!*name || strlen(name) >= sizeof(x->name) || strpbrk(name, " ,\"")) {
		snprintf(err, errlen,
			 "host name must be 1..%zu characters without spaces or commas",
			 sizeof(x->name) - 1);
		return NULL;
	}
	if (h->n == XL_MAX_HOSTS) {
		snprintf(err, errlen, "at most %d [host] sections", XL_MAX_HOSTS);
		return NULL;
	}
	x = &h->host[h->n++];
	memset(x, 0, sizeof(*x));
	snprintf(x->name, sizeof(x->name), "%s", name);
	return x;
}

static int set_roles(struct xl_host *x, const char *value, char *err, size_t errlen)
{
	char buf[256], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", value);
	memset(x->role, 0, sizeof(x->role));
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		int r;

		for (r = 0; r < XL_NR_ROLES; r++)
			if (!strcmp(tok, xl_role_name(r)))
				break;
		if (r == XL_NR_ROLES) {
			snprintf(err, errlen, "roles: '%s' is not a role (generator, sink)", tok);
			return -1;
		}
		if (r != XL_ROLE_GEN && r != XL_ROLE_SINK) {
			snprintf(err, errlen,
				 "roles: %s on another host is not implemented (xdplab runs on "
				 "the DUT's host; generator and sink may be remote)",
				 tok);
			return -1;
		}
		x->role[r] = true;
	}
	return 0;
}

int xl_hosts_set(struct xl_hosts *h, const char *name, const char *key, const char *value,
		 char *err, size_t errlen)
{
	struct xl_host *x = host_get(h, name, err, errlen);
	long l;

	if (!x)
		return -1;
	if (!strcmp(key, "roles"))
		return set_roles(x, value, err, errlen);
	for (size_t i = 0; i < sizeof(host_keys) / sizeof(host_keys[0]); i++) {
		void *p = (char *)x + host_keys[i].off;

		if (strcmp(host_keys[i].key, key))
			continue;
		if (host_keys[i].type == H_INT) {
			if (xl_parse_int(value, host_keys[i].min, host_keys[i].max, &l)) {
				snprintf(err, errlen, "%s must be an integer in %ld..%ld, not '%s'",
					 key, host_keys[i].min, host_keys[i].max, value);
				return -1;
			}
			*(long *)p = l;
			return 0;
		}
		/*
		 * Words of an ssh command line (the remote shell parses the remote
		 * ones): no option through the file, no shell syntax.
		 */
		if (!*value || value[0] == '-' || strlen(value) >= host_keys[i].size ||
		    !xl_host_word_ok(value)) {
			snprintf(err, errlen,
				 "%s must be 1..%zu characters of A-Z a-z 0-9 . _ / @ : + -, not "
				 "starting with '-'",
				 key, host_keys[i].size - 1);
			return -1;
		}
		snprintf(p, host_keys[i].size, "%s", value);
		return 0;
	}
	snprintf(err, errlen, "unknown key '%s'", key);
	return -1;
}

int xl_hosts_check(const struct xl_hosts *h, const char *testbed_type, const char *path)
{
	bool placed[XL_NR_ROLES] = {};

	for (int i = 0; i < h->n; i++) {
		const struct xl_host *x = &h->host[i];
		bool any = false;

		if (!x->ssh[0])
			return xl_fail(XL_EXIT_CONFIG, "%s: [host %s] needs ssh = [user@]address",
				       path, x->name);
		for (int r = 0; r < XL_NR_ROLES; r++) {
			if (!x->role[r])
				continue;
			if (placed[r])
				return xl_fail(XL_EXIT_CONFIG,
					       "%s: [host %s] role %s is placed on two hosts", path,
					       x->name, xl_role_name(r));
			placed[r] = any = true;
		}
		if (!any)
			return xl_fail(XL_EXIT_CONFIG,
				       "%s: [host %s] needs roles = generator[, sink]", path,
				       x->name);
		if (x->role[XL_ROLE_SINK] && !x->role[XL_ROLE_GEN])
			return xl_fail(
				XL_EXIT_CONFIG,
				"%s: [host %s] a remote sink needs the generator on the same "
				"host (roles = generator, sink)",
				path, x->name);
	}
	if (h->n && strcmp(testbed_type, "existing"))
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [host] sections need [testbed] type = existing (the ports "
			       "that link the hosts)",
			       path);
	return 0;
}

int xl_hosts_check_dut_cpus(const struct xl_testbed *tb)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t seen;

	if (tb->cores < 1 || tb->cores > XL_MAX_CORES || tb->cores > online)
		return xl_fail(XL_EXIT_ENV, "%d DUT cores need %d CPUs here, this host has %ld",
			       tb->cores, tb->cores, online);
	CPU_ZERO(&seen);
	for (int i = 0; i < tb->cores; i++) {
		int c = tb->dut_cpus[i];

		if (c < 0 || c >= online)
			return xl_fail(XL_EXIT_CONFIG, "DUT CPU %d is not online here (0..%ld)", c,
				       online - 1);
		if (CPU_ISSET(c, &seen))
			return xl_fail(XL_EXIT_CONFIG, "DUT CPU %d is listed twice", c);
		CPU_SET(c, &seen);
	}
	return 0;
}

const struct xl_host *xl_hosts_of(const struct xl_hosts *h, enum xl_role r)
{
	for (int i = 0; h && i < h->n; i++)
		if (h->host[i].role[r])
			return &h->host[i];
	return NULL;
}

int xl_hosts_port(struct xl_testbed *tb, enum xl_role r, const char *spec)
{
	struct xl_port *p = &tb->port[r];

	if (!*spec || strchr(spec, ':') || strlen(spec) >= sizeof(p->ifname))
		return xl_fail(XL_EXIT_CONFIG,
			       "existing testbed: role '%s' on another host needs IFNAME as named "
			       "there (no namespace), not '%s'",
			       xl_role_name(r), spec);
	p->ns[0] = 0;
	snprintf(p->ifname, sizeof(p->ifname), "%s", spec);
	memset(p->mac, 0, sizeof(p->mac));
	tb->create = false;
	return 0;
}

int xl_host_ssh_argv(const struct xl_host *host, struct xl_ssh_argv *a)
{
	a->n = 0;
	a->argv[a->n++] = "ssh";
	/* Never a prompt, no pty (the agent's stdin ends when the connection does). */
	a->argv[a->n++] = "-T";
	a->argv[a->n++] = "-o";
	a->argv[a->n++] = "BatchMode=yes";
	a->argv[a->n++] = "-o";
	a->argv[a->n++] = "ConnectTimeout=10";
	a->argv[a->n++] = "-o";
	a->argv[a->n++] = "ServerAliveInterval=5";
	a->argv[a->n++] = "-o";
	a->argv[a->n++] = "LogLevel=ERROR";
	if (host->port) {
		snprintf(a->port, sizeof(a->port), "%ld", host->port);
		a->argv[a->n++] = "-p";
		a->argv[a->n++] = a->port;
	}
	if (host->identity[0]) {
		a->argv[a->n++] = "-i";
		a->argv[a->n++] = host->identity;
		a->argv[a->n++] = "-o";
		a->argv[a->n++] = "IdentitiesOnly=yes";
	}
	if (host->known_hosts[0]) {
		snprintf(a->known, sizeof(a->known), "UserKnownHostsFile=%s", host->known_hosts);
		snprintf(a->strict, sizeof(a->strict), "StrictHostKeyChecking=yes");
		a->argv[a->n++] = "-o";
		a->argv[a->n++] = a->known;
		a->argv[a->n++] = "-o";
		a->argv[a->n++] = a->strict;
	}
	a->argv[a->n++] = "--";
	a->argv[a->n++] = host->ssh;
	a->argv[a->n] = NULL;
	return a->n;
}

json_object *xl_host_json(const struct xl_host *host)
{
	json_object *o = json_object_new_object(), *roles = json_object_new_array();

	json_object_object_add(o, "ssh", json_object_new_string(host->ssh));
	if (host->port)
		json_object_object_add(o, "port", json_object_new_int(host->port));
	if (host->identity[0])
		json_object_object_add(o, "identity", json_object_new_string(host->identity));
	json_object_object_add(o, "ptp", json_object_new_boolean(host->ptp));
	for (int r = 0; r < XL_NR_ROLES; r++)
		if (host->role[r])
			json_object_array_add(roles, json_object_new_string(xl_role_name(r)));
	json_object_object_add(o, "roles", roles);
	return o;
}
