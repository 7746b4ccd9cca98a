/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfprobe.h - what only trying tells: does the kernel let this process run an
 * XDP program in live-frames mode (the live-frames generator), and does a
 * port's driver accept a native XDP program.  Each probe loads a two-instruction
 * program and lets go of everything before it returns.
 */
#ifndef XL_PFPROBE_H
#define XL_PFPROBE_H

/* BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES: 0 or -errno. */
int xl_probe_live_frames(void);
/* Attach XDP_PASS in native mode to ifname in ns as a bpf_link and detach: 0 or -errno. */
int xl_probe_native_xdp(const char *ns, const char *ifname);

#endif
