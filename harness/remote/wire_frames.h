/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wire_frames.h - a capture's frames (gen/replay.h) sent to the generator's
 * host in requests "gen-frames" of XL_WIRE_FRAMES_PER_REQ frames each (hex,
 * so the largest request stays inside the wire's 1 MiB line), before the
 * "gen-open" that replays them.  One file for both ends.
 */
#ifndef XL_WIRE_FRAMES_H
#define XL_WIRE_FRAMES_H

#include <json-c/json.h>
#include "gen/replay.h"

#define XL_WIRE_FRAMES_PER_REQ 256

/* The request carrying frames first.. of fr (at most XL_WIRE_FRAMES_PER_REQ). */
json_object *xl_wire_frames_req(const struct xl_frames *fr, unsigned int first);
/*
 * Agent: take one such request into fr (first 0 starts a new capture of the
 * request's total).  0, or -1 after one xl_fail() line (malformed, out of
 * order, too many or too long frames).
 */
int xl_wire_frames_take(json_object *req, struct xl_frames *fr);

#endif
