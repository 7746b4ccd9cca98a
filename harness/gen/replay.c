// SPDX-License-Identifier: GPL-2.0
/*
 * replay.c - load the frames of a pcap file for the generator (replay.h).
 * libpcap reads both pcap and pcapng, in either byte order and timestamp
 * precision, which is why the file is not parsed here by hand.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>
#include "replay.h"
#include "util.h"

int xl_frames_load(const char *path, struct xl_frames *fr, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	double total = 0;
	pcap_t *p;
	int rc;

	memset(fr, 0, sizeof(*fr));
	p = pcap_open_offline(path, perr);
	if (!p) {
		snprintf(err, errlen, "pcap %s: %s", path, perr);
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		snprintf(err, errlen, "pcap %s: link type %s, not Ethernet", path,
			 pcap_datalink_val_to_name(pcap_datalink(p)) ?: "unknown");
		goto fail;
	}
	fr->f = calloc(XL_REPLAY_MAX_FRAMES, sizeof(*fr->f));
	if (!fr->f) {
		snprintf(err, errlen, "pcap %s: out of memory", path);
		goto fail;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		struct xl_replay_frame *f;

		if (fr->n == XL_REPLAY_MAX_FRAMES) {
			snprintf(err, errlen,
				 "pcap %s: more than %d frames (the generator holds "
				 "at most that many)",
				 path, XL_REPLAY_MAX_FRAMES);
			goto fail;
		}
		if (h->caplen < h->len) {
			snprintf(err, errlen,
				 "pcap %s: frame %u truncated by the capture (%u of "
				 "%u bytes)",
				 path, fr->n + 1, h->caplen, h->len);
			goto fail;
		}
		if (h->len > XL_REPLAY_MAX_LEN) {
			snprintf(err, errlen, "pcap %s: frame %u has %u bytes, more than %d", path,
				 fr->n + 1, h->len, XL_REPLAY_MAX_LEN);
			goto fail;
		}
		f = &fr->f[fr->n++];
		memcpy(f->data, data, h->len);
		f->len = h->len;
		if (f->len < XL_PAYLOAD_END) {
			f->len = XL_PAYLOAD_END; /* zeros, as a NIC pads a short frame */
			fr->padded++;
		}
		if (!fr->min_len || f->len < fr->min_len)
			fr->min_len = f->len;
		if (f->len > fr->max_len)
			fr->max_len = f->len;
		total += f->len;
	}
	if (rc == PCAP_ERROR) {
		snprintf(err, errlen, "pcap %s: %s", path, pcap_geterr(p));
		goto fail;
	}
	if (!fr->n) {
		snprintf(err, errlen, "pcap %s: no frames", path);
		goto fail;
	}
	pcap_close(p);
	fr->mean_len = total / fr->n;
	if (!realpath(path, fr->path))
		snprintf(fr->path, sizeof(fr->path), "%s", path);
	if (xl_sha256_file(fr->path, fr->sha256, sizeof(fr->sha256)))
		fr->sha256[0] = 0;
	return 0;
fail:
	pcap_close(p);
	xl_frames_free(fr);
	return -1;
}

void xl_frames_set_macs(struct xl_frames *fr, const uint8_t dst[6], const uint8_t src[6])
{
	for (unsigned int i = 0; i < fr->n; i++) {
		memcpy(fr->f[i].data, dst, 6);
		memcpy(fr->f[i].data + 6, src, 6);
	}
}

void xl_frames_free(struct xl_frames *fr)
{
	free(fr->f);
	fr->f = NULL;
	fr->n = 0;
}
