/* SPDX-License-Identifier: GPL-2.0 */
/*
 * undo.h - the one cleanup registry.  Everything xdplab changes on the machine
 * (a namespace, a sysctl, an iptables rule, GRO, a NAPI thread's scheduling,
 * hugepages, a child process, a DPDK runtime directory, a partial results
 * directory) is recorded here as an undo entry at the moment it is made, and
 * undone from here: by the component that made it (xl_undo_run), by the normal
 * exit and the signal path (xl_undo_all, in reverse order), and, after a
 * SIGKILL, by the next xdplab process or `xdplab cleanup` (xl_undo_sweep).
 *
 * Every entry is a kind and a list of string arguments, so another process can
 * replay it.  The live entries of a process are appended to its journal,
 * /run/xdplab/undo/<pid>.journal, which the process keeps locked (flock) for
 * its whole life: a journal that can be locked belongs to a dead process and
 * is replayed, newest entry first.  A journal given a name (the manual testbed
 * of `xdplab testbed up`) outlives its process until it is replayed by name.
 *
 * Kinds and their arguments:
 *   netns   NAME                  delete network namespace NAME (if it exists)
 *   sysctl  NS PATH VALUE         write VALUE back to PATH (in namespace NS, "-" = none)
 *   cmd     NS ARG0 ARG...        run a command (iptables -D ..., ethtool ...) in NS
 *   sub     PATH DELTA            lower the number in PATH by DELTA, under a lock (hugepages)
 *   proc    PID STARTTIME         end process group PID if it is still the one started then
 *   rmtree  PATH                  remove a directory tree xdplab made (xdplab-named paths only)
 *   salvage PARTIAL FINAL [STATUS] a run's results that will not complete: kept as
 *                                 FINAL-STATUS (status "killed", the default, or "failed")
 *                                 with the INCOMPLETE marker; removed if nothing was recorded
 *   sched   PID STARTTIME POLICY PRIO CPULIST   restore a thread's scheduling
 * Main thread only.  Functions return 0 or -errno (libbpf style).
 */
#ifndef XL_UNDO_H
#define XL_UNDO_H

#include <stdbool.h>

#define XL_UNDO_DIR "/run/xdplab/undo"
#define XL_UNDO_MAX_ARGS 48
/* The file in a results directory whose run has not completed (results.h). */
#define XL_INCOMPLETE_MARKER "INCOMPLETE"

/* In-process undo that does more than the replay would (e.g. waits); arg is its own. */
typedef void (*xl_undo_fn)(void *arg);

/* Record an entry; returns its id (> 0) or -errno.  args is NULL-terminated. */
int xl_undo_push(const char *kind, const char *const args[]);
/* Same, with the arguments inline: xl_undo_add("netns", name, NULL). */
int xl_undo_add(const char *kind, ...) __attribute__((sentinel));
/* Attach an in-process undo to entry id, used instead of the replay by this process. */
void xl_undo_set_fn(int id, xl_undo_fn fn, void *arg);
/* Undo entry id now and drop it; 0 or the undo's error (ids that are gone: 0). */
int xl_undo_run(int id);
/* Drop entry id without undoing it: the state has been handed on (a committed result). */
void xl_undo_drop(int id);
/* Undo every entry of this process, newest first. */
void xl_undo_all(void);
/* Move this process's live entries into the named journal (kept until replayed by name). */
int xl_undo_handoff(const char *name);
/* Replay the named journal, if any; returns the number of entries undone. */
int xl_undo_replay_named(const char *name);
/*
 * Replay the journals of dead xdplab processes (all: also named ones and those
 * of live processes, whose locks are then ignored); returns entries undone.
 */
int xl_undo_sweep(bool all);
/* The entries one owner (a system, a trial) made, to be undone together. */
#define XL_UNDO_SET_MAX 64
struct xl_undo_set {
	int ids[XL_UNDO_SET_MAX];
	int n;
};
/* Keep entry id (> 0; others are ignored) in the set; beyond its size the exit path undoes it. */
void xl_undo_keep(struct xl_undo_set *set, int id);
/* Undo the set's entries, newest first, and empty it. */
void xl_undo_set_run(struct xl_undo_set *set);

/* Number of live entries of this process (tests). */
int xl_undo_count(void);
/* Replay one entry as another process would (kind + args), for tests and the sweep. */
int xl_undo_replay(const char *kind, const char *const args[]);
/* Start time of a process (clock ticks since boot, /proc/PID/stat field 22); 0 if gone. */
unsigned long long xl_proc_starttime(int pid);

#endif
