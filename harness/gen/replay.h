/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay.h - test traffic from a pcap file: the frames the generator sends in
 * turn (pcap = FILE in a config, --pcap for ab).  Read with libpcap, checked
 * once when the config is loaded, so a bad file is an error before any
 * testbed exists.
 */
#ifndef XL_REPLAY_H
#define XL_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include "xdplab.h"

struct xl_frames {
	unsigned int n;
	struct xl_replay_frame *f; /* n frames, as the generator's map holds them */
	unsigned int min_len, max_len, padded; /* data bytes (no FCS); frames padded to 60 */
	double mean_len;
	char path[4096];
	char sha256[65];
};

/*
 * Read an Ethernet pcap of 1..XL_REPLAY_MAX_FRAMES frames of at most
 * XL_REPLAY_MAX_LEN bytes, none truncated by the capture's snap length.
 * 0, or -1 with one line in err (the caller adds where it came from).
 */
int xl_frames_load(const char *path, struct xl_frames *fr, char *err, size_t errlen);
/* Overwrite every frame's Ethernet destination and source (the testbed's ports). */
void xl_frames_set_macs(struct xl_frames *fr, const uint8_t dst[6], const uint8_t src[6]);
void xl_frames_free(struct xl_frames *fr);

#endif
