// SPDX-License-Identifier: GPL-2.0
/*
 * undo.c - the cleanup registry (undo.h): entries in memory for this process,
 * mirrored line by line into its locked journal so that another process can
 * replay them after a SIGKILL, and the replay of every kind.  A journal line is
 * "+<TAB>id<TAB>kind<TAB>arg..." when an entry is made and "-<TAB>id" when it
 * is undone or dropped; arguments never contain tabs or newlines.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "undo.h"
#include "util.h"
#include "xl_err.h"
#include "xl_spawn.h"

struct entry {
	int id;
	int nargs;
	char *kind;
	char *args[XL_UNDO_MAX_ARGS];
	xl_undo_fn fn;
	void *fn_arg;
};

static struct entry *entries;
static int nentries, cap, next_id = 1;
static int journal_fd = -1;
static pid_t owner = -1; /* the process the entries belong to (a fork's child does not) */
static bool atexit_done;

/* A forked child starts with an empty registry and a journal of its own. */
static void fork_check(void)
{
	if (owner == getpid())
		return;
	if (owner > 0) {
		for (int i = 0; i < nentries; i++) {
			free(entries[i].kind);
			for (int k = 0; k < entries[i].nargs; k++)
				free(entries[i].args[k]);
		}
		nentries = 0;
		if (journal_fd >= 0)
			close(journal_fd); /* the parent's: its lock stays the parent's */
		journal_fd = -1;
	}
	owner = getpid();
}

/* ---- this process's entries and journal --------------------------------- */

static void journal_write(const char *line, size_t len)
{
	if (journal_fd >= 0 && write(journal_fd, line, len) < 0)
		xl_debug("undo journal write failed: %s", strerror(errno));
}

static int replay_file(int fd);

/* Open (and lock) this process's journal; a dead namesake's journal is replayed first. */
static int journal_open(void)
{
	char path[128];
	int fd;

	if (journal_fd >= 0)
		return 0;
	mkdir("/run/xdplab", 0755);
	mkdir(XL_UNDO_DIR, 0755);
	snprintf(path, sizeof(path), XL_UNDO_DIR "/%d.journal", (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		return -EBUSY;
	}
	/* A journal left by an earlier process with our pid: undo its entries first. */
	replay_file(fd);
	if (ftruncate(fd, 0))
		xl_debug("cannot truncate %s: %s", path, strerror(errno));
	journal_fd = fd;
	return 0;
}

static void at_exit(void)
{
	char path[128];

	if (owner != getpid())
		return; /* a child that inherited the handler: the state is its parent's */
	xl_undo_all();
	if (journal_fd >= 0) {
		snprintf(path, sizeof(path), XL_UNDO_DIR "/%d.journal", (int)getpid());
		unlink(path);
		close(journal_fd);
		journal_fd = -1;
	}
}

int xl_undo_push(const char *kind, const char *const args[])
{
	char line[4096];
	size_t off;
	struct entry *e;
	int n = 0;

	fork_check();
	while (args[n])
		n++;
	if (n > XL_UNDO_MAX_ARGS)
		return -E2BIG;
	for (int i = -1; i < n; i++) {
		const char *s = i < 0 ? kind : args[i];

		if (!*s || strpbrk(s, "\t\n"))
			return -EINVAL;
	}
	if (nentries == cap) {
		int ncap = cap ? 2 * cap : 32;
		struct entry *ne = realloc(entries, ncap * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		entries = ne;
		cap = ncap;
	}
	if (!atexit_done) {
		atexit(at_exit);
		atexit_done = true;
	}
	if (journal_open())
		xl_debug("no undo journal: a SIGKILL would leave this process's state behind");
	e = &entries[nentries];
	memset(e, 0, sizeof(*e));
	e->id = next_id++;
	e->kind = strdup(kind);
	e->nargs = n;
	for (int i = 0; i < n; i++)
		e->args[i] = strdup(args[i]);
	nentries++;
	off = snprintf(line, sizeof(line), "+\t%d\t%s", e->id, kind);
	for (int i = 0; i < n && off < sizeof(line); i++)
		off += snprintf(line + off, sizeof(line) - off, "\t%s", args[i]);
	if (off < sizeof(line) - 1) {
		line[off++] = '\n';
		journal_write(line, off);
	}
	return e->id;
}

int xl_undo_add(const char *kind, ...)
{
	const char *args[XL_UNDO_MAX_ARGS + 1];
	va_list ap;
	int n = 0;

	va_start(ap, kind);
	while (n < XL_UNDO_MAX_ARGS && (args[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	args[n] = NULL;
	return xl_undo_push(kind, args);
}

static int find(int id)
{
	for (int i = 0; i < nentries; i++)
		if (entries[i].id == id)
			return i;
	return -1;
}

void xl_undo_set_fn(int id, xl_undo_fn fn, void *arg)
{
	int i = find(id);

	if (i >= 0) {
		entries[i].fn = fn;
		entries[i].fn_arg = arg;
	}
}

/* Remove entry i from memory and mark it done in the journal. */
static void forget(int i)
{
	char line[32];
	int len;

	len = snprintf(line, sizeof(line), "-\t%d\n", entries[i].id);
	journal_write(line, len);
	free(entries[i].kind);
	for (int k = 0; k < entries[i].nargs; k++)
		free(entries[i].args[k]);
	memmove(&entries[i], &entries[i + 1], (nentries - i - 1) * sizeof(*entries));
	nentries--;
	if (!nentries && journal_fd >= 0 && ftruncate(journal_fd, 0))
		xl_debug("cannot truncate the undo journal");
}

static int undo_at(int i)
{
	struct entry *e = &entries[i];
	const char *args[XL_UNDO_MAX_ARGS + 1];
	int err = 0;

	if (e->fn) {
		e->fn(e->fn_arg);
	} else {
		for (int k = 0; k < e->nargs; k++)
			args[k] = e->args[k];
		args[e->nargs] = NULL;
		err = xl_undo_replay(e->kind, args);
		if (err)
			xl_debug("undo %s %s failed: %s", e->kind, e->nargs ? args[0] : "",
				 strerror(-err));
	}
	forget(i);
	return err;
}

int xl_undo_run(int id)
{
	int i;

	fork_check();
	i = find(id);

	return i < 0 ? 0 : undo_at(i);
}

void xl_undo_drop(int id)
{
	int i = find(id);

	if (i >= 0)
		forget(i);
}

void xl_undo_all(void)
{
	fork_check();
	while (nentries)
		undo_at(nentries - 1);
}

void xl_undo_keep(struct xl_undo_set *set, int id)
{
	if (id > 0 && set->n < XL_UNDO_SET_MAX)
		set->ids[set->n++] = id;
}

void xl_undo_set_run(struct xl_undo_set *set)
{
	while (set->n)
		xl_undo_run(set->ids[--set->n]);
}

int xl_undo_count(void)
{
	fork_check();
	return nentries;
}

/* ---- journals of other processes ---------------------------------------- */

/* Replay every live entry of the journal open at fd, newest first; returns how many. */
static int replay_file(int fd)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0, n_alloc = 0;
	char **lines = NULL;
	int nlines = 0, done = 0;
	FILE *f;
	int dupfd = dup(fd);

	if (dupfd < 0)
		return 0;
	f = fdopen(dupfd, "r");
	if (!f) {
		close(dupfd);
		return 0;
	}
	rewind(f);
	{
		FILE *m = open_memstream(&text, &len);
		char buf[4096];
		size_t r;

		while ((r = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, r, m);
		fclose(m);
	}
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if ((size_t)nlines == n_alloc) {
			n_alloc = n_alloc ? 2 * n_alloc : 64;
			lines = realloc(lines, n_alloc * sizeof(*lines));
			if (!lines)
				goto out;
		}
		lines[nlines++] = line;
	}
	for (int i = nlines - 1; i >= 0; i--) {
		const char *args[XL_UNDO_MAX_ARGS + 3];
		char *save2 = NULL, *tok, *copy, id[16];
		bool undone = false;
		int n = 0;

		if (lines[i][0] != '+')
			continue;
		copy = strdup(lines[i]);
		if (!copy)
			break;
		strtok_r(copy, "\t", &save2);
		tok = strtok_r(NULL, "\t", &save2);
		snprintf(id, sizeof(id), "%s", tok ? tok : "");
		for (int j = i + 1; j < nlines && !undone; j++) {
			size_t idl = strlen(id);

			undone = lines[j][0] == '-' && !strncmp(lines[j] + 2, id, idl) &&
				 lines[j][2 + idl] == 0;
		}
		while (!undone && n < XL_UNDO_MAX_ARGS + 1 && (tok = strtok_r(NULL, "\t", &save2)))
			args[n++] = tok;
		args[n] = NULL;
		if (!undone && n >= 1) {
			int err = xl_undo_replay(args[0], args + 1);

			if (err)
				xl_debug("replaying undo %s failed: %s", args[0], strerror(-err));
			done++;
		}
		free(copy);
	}
out:
	free(lines);
	free(text);
	return done;
}

int xl_undo_handoff(const char *name)
{
	char path[160], line[4096];
	int fd;

	snprintf(path, sizeof(path), XL_UNDO_DIR "/%s.named", name);
	mkdir("/run/xdplab", 0755);
	mkdir(XL_UNDO_DIR, 0755);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	for (int i = 0; i < nentries; i++) {
		size_t off =
			snprintf(line, sizeof(line), "+\t%d\t%s", entries[i].id, entries[i].kind);

		for (int k = 0; k < entries[i].nargs && off < sizeof(line); k++)
			off += snprintf(line + off, sizeof(line) - off, "\t%s", entries[i].args[k]);
		if (off < sizeof(line) - 1) {
			line[off++] = '\n';
			if (write(fd, line, off) < 0)
				break;
		}
	}
	close(fd);
	while (nentries)
		forget(nentries - 1);
	return 0;
}

static int replay_path(const char *path, bool force)
{
	int fd = open(path, O_RDWR | O_CLOEXEC), n;

	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) && !force) {
		close(fd);
		return 0; /* its owner is alive */
	}
	n = replay_file(fd);
	unlink(path);
	close(fd);
	return n;
}

int xl_undo_replay_named(const char *name)
{
	char path[160];

	snprintf(path, sizeof(path), XL_UNDO_DIR "/%s.named", name);
	return replay_path(path, false);
}

int xl_undo_sweep(bool all)
{
	char own[32];
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(XL_UNDO_DIR);

	if (!d)
		return 0;
	snprintf(own, sizeof(own), "%d.journal", (int)getpid());
	while ((de = readdir(d))) {
		char path[300];
		size_t len = strlen(de->d_name);
		bool journal = len > 8 && !strcmp(de->d_name + len - 8, ".journal");
		bool named = len > 6 && !strcmp(de->d_name + len - 6, ".named");

		if ((!journal && !(named && all)) || !strcmp(de->d_name, own))
			continue;
		snprintf(path, sizeof(path), XL_UNDO_DIR "/%s", de->d_name);
		n += replay_path(path, all);
	}
	closedir(d);
	return n;
}
