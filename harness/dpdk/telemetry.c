// SPDX-License-Identifier: GPL-2.0
/* telemetry.c - DPDK telemetry socket: connect, one command, one JSON answer. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "telemetry.h"

#define DPDK_RUN_DIR "/var/run/dpdk"

int xl_dpdk_tele_open(const char *prefix, char *version, size_t vlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[1024];
	json_object *hello, *v;
	ssize_t n;
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), DPDK_RUN_DIR "/%s/dpdk_telemetry.v2", prefix);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto err;
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		goto err;
	buf[n] = 0;
	hello = json_tokener_parse(buf);
	if (version && vlen) {
		version[0] = 0;
		if (hello && json_object_object_get_ex(hello, "version", &v))
			snprintf(version, vlen, "%s", json_object_get_string(v));
	}
	json_object_put(hello);
	return fd;
err:
	n = -errno;
	close(fd);
	return n ? n : -EIO;
}

int xl_dpdk_tele_cmd(int fd, const char *cmd, json_object **val)
{
	char buf[32768]; /* telemetry answers are at most max_output_len (16 KB) */
	json_object *obj, *v;
	char key[64];
	ssize_t n;

	*val = NULL;
	if (send(fd, cmd, strlen(cmd), 0) < 0)
		return -errno;
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return n ? -errno : -ECONNRESET;
	buf[n] = 0;
	obj = json_tokener_parse(buf);
	if (!obj)
		return -EPROTO;
	snprintf(key, sizeof(key), "%.*s", (int)strcspn(cmd, ","), cmd);
	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null)) {
		json_object_put(obj);
		return -ENOENT;
	}
	*val = json_object_get(v);
	json_object_put(obj);
	return 0;
}
