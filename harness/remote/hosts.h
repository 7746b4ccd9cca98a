/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hosts.h - two-host mode's configuration: `[host NAME]` sections that place
 * testbed roles on another machine reached with OpenSSH.  xdplab runs on the
 * DUT's host; the generator (and the sink, as in the paper's testbed, where
 * the DUT forwards back to the generator's host) may be on a host of their
 * own.  Parsing and validation only: the sessions are in remote.c.
 *
 *   [host gen]
 *   ssh = root@192.0.2.10        user@address (required)
 *   roles = generator, sink      roles placed there (generator; sink only with it)
 *   port = 22                    identity = FILE, known_hosts = FILE
 *   xdplab = /path/build/xdplab  the binary there (default: this binary's path)
 *   ptp = 1                      its clock and this host's share PTP
 */
#ifndef XL_HOSTS_H
#define XL_HOSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include "testbed/testbed.h"

#define XL_MAX_HOSTS 2

struct xl_host {
	char name[32];
	char ssh[128]; /* [user@]host */
	char identity[256];
	char known_hosts[256];
	char xdplab[256];
	long port; /* 0 = ssh's default */
	long ptp; /* 1: this host's clock and the DUT host's are synchronised by PTP */
	bool role[XL_NR_ROLES];
	int line; /* of its section header */
};

struct xl_hosts {
	int n;
	struct xl_host host[XL_MAX_HOSTS];
};

/* One key of section [host NAME]; 0, or -1 with err filled. */
int xl_hosts_set(struct xl_hosts *h, const char *name, const char *key, const char *value,
		 char *err, size_t errlen);
/* A word safe to hand to ssh and the remote shell as it is (no quoting, no spaces). */
bool xl_host_word_ok(const char *s);
/* Checks that need the whole file (required keys, roles placed once, supported placements). */
int xl_hosts_check(const struct xl_hosts *h, const char *testbed_type, const char *path);
/*
 * The CPU check of a DUT host whose generator is elsewhere: dut_cpus online
 * here and distinct (gen_cpus name the generator host's CPUs; its agent's
 * generator refuses one that is not there).
 */
int xl_hosts_check_dut_cpus(const struct xl_testbed *tb);
/* The host a role is placed on, NULL = this host. */
const struct xl_host *xl_hosts_of(const struct xl_hosts *h, enum xl_role r);
/*
 * An existing testbed's port of role r on another host: IFNAME as named there
 * (its MAC is read over ssh when the run starts; no namespace there).
 */
int xl_hosts_port(struct xl_testbed *tb, enum xl_role r, const char *spec);
/* The ssh command line for a host: "ssh", options, destination, then the caller's words. */
#define XL_SSH_MAX_ARGS 40
struct xl_ssh_argv {
	const char *argv[XL_SSH_MAX_ARGS];
	int n;
	char port[16], known[300], strict[48];
};
/* Fill a with ssh's options and the destination; returns the number of words so far. */
int xl_host_ssh_argv(const struct xl_host *host, struct xl_ssh_argv *a);
/* The host's settings for context.json (no secrets: the identity file's path only). */
json_object *xl_host_json(const struct xl_host *host);

#endif
