/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spawn.h - run external set-up tools (ip, iptables, ethtool, sysctl) with an
 * argv array, never through a shell.  Their output goes to the run's log file,
 * never to the terminal and never back to xdplab for parsing.
 */
#ifndef XL_SPAWN_H
#define XL_SPAWN_H

#include <stddef.h>

/* Where child output goes; -1 (default) means /dev/null, unless xl_verbose. */
void xl_spawn_set_log(int fd);
int xl_spawn_log_fd(void);
/* Run argv (NULL-terminated); returns the exit status, or -errno if it could not run. */
int xl_spawn(const char *const argv[]);
/* The same inside a network namespace (ip netns exec NS ...); ns NULL or "": here. */
int xl_spawn_ns(const char *ns, const char *const argv[]);
/* Same, with the arguments listed inline: xl_run("ip", "link", ..., NULL). */
int xl_run(const char *arg0, ...) __attribute__((sentinel));
/* Like xl_run but inside namespace ns (via `ip netns exec`); ns NULL = here. */
int xl_run_ns(const char *ns, const char *arg0, ...) __attribute__((sentinel));
/* Write a string to a file, optionally inside namespace ns (sysfs/procfs knobs). */
int xl_write_file(const char *ns, const char *path, const char *value);
/* Read a file's first line (newline stripped), optionally inside namespace ns. */
int xl_read_file(const char *ns, const char *path, char *buf, size_t len);
int xl_have_tool(const char *name);

#endif
