/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssh.h - a session with `xdplab agent` on another host through OpenSSH's
 * client: ssh runs as a child in its own process group (recorded in the
 * cleanup registry as a `proc` entry, and told to end with xdplab by
 * PR_SET_PDEATHSIG), its stdin and stdout carry the agent protocol (wire.h),
 * its stderr (ssh's and the agent's messages) is copied into the run log.
 * When the connection ends, the agent reads the end of its input and undoes
 * everything it did.
 */
#ifndef XL_SSH_H
#define XL_SSH_H

#include <sys/types.h>
#include <json-c/json.h>
#include "hosts.h"
#include "wire.h"

struct xl_ssh {
	const struct xl_host *host;
	pid_t pid;
	int to_fd, err_fd;
	struct xl_wire from;
	int undo; /* the proc entry of the ssh child */
	int status; /* ssh's exit status once it has ended (pid 0) */
	char last_err[256]; /* ssh's last line on stderr (connection errors) */
};

/* Start ssh to host running the remote words (argv after the destination). */
int xl_ssh_open(struct xl_ssh *s, const struct xl_host *host, const char *const words[]);
/*
 * One request and its reply, within timeout_ms.  Returns the reply (ok true),
 * or NULL after one xl_fail() line naming the host and the agent's error.
 */
json_object *xl_ssh_call(struct xl_ssh *s, json_object *req, int timeout_ms);
/* The same for a request of no fields but its op: the reply, or NULL. */
json_object *xl_ssh_ask(struct xl_ssh *s, const char *op, int timeout_ms);
/* The same for a request whose reply carries nothing; takes req; 0 or -1. */
int xl_ssh_call_put(struct xl_ssh *s, json_object *req, int timeout_ms);
/* Close the agent's input, wait for ssh to end (a few seconds), then end it. */
void xl_ssh_close(struct xl_ssh *s);
/* Run the remote words to completion with output to the run log; exit status or -errno. */
int xl_ssh_run(const struct xl_host *host, const char *const words[]);

#endif
