// SPDX-License-Identifier: GPL-2.0
/* schema.c - the column tables of results.csv, latency.csv and latency_hist.csv (schema.h). */
#include <stdio.h>
#include <string.h>
#include "schema.h"

static const struct xl_column results_cols[] = {
	{ "experiment", "string", "", "config section [experiment NAME]" },
	{ "system", "string", "",
	  "catalog system (configs/systems.ini or the config's [system NAME])" },
	{ "mode", "string", "", "native, generic, stack, dpdk or none" },
	{ "frame_size", "int", "bytes", "on-wire frame size including the FCS (64 = the paper's)" },
	{ "flows", "int", "", "UDP flows the generator cycles through" },
	{ "cores", "int", "", "DUT cores (1 on a 2-vCPU VM)" },
	{ "trial", "int", "", "1..N; rows with the same trial number ran next to each other" },
	{ "valid", "bool", "0/1", "0: excluded from medians and ratios, but counted" },
	{ "invalid_reason", "string", "",
	  "one word: netns-gone, port-gone, link-down, gen-died, sink-stall (faults during the "
	  "trial), counter, gen-error, gen-idle, gen-short, gen-over, gen-late, steal, no-rx, "
	  "no-delivery, sink-drop; empty unless invalid" },
	{ "target_pps", "float", "pps", "asked rate; 0 = maximum rate" },
	{ "offered_pps", "float", "pps", "frames the generator sent / measured interval" },
	{ "dut_pps", "float", "pps", "frames the DUT received / interval" },
	{ "sink_pps", "float", "pps",
	  "frames delivered at the sink / interval; empty when the system has no sink" },
	{ "loss_pct", "float", "%",
	  "100 * (offered - final) / offered, final = sink count, or DUT count without a sink" },
	{ "dut_cpu_pct", "float", "%", "busy share of the DUT core(s), from /proc/stat" },
	{ "ns_per_pkt", "float", "ns", "DUT busy CPU-ns / frames the DUT processed" },
	{ "gen_cpu_pct", "float", "%", "busy share of the generator core(s)" },
	{ "steal_pct", "float", "%", "hypervisor steal on the DUT cores" },
	{ "duration_s", "float", "s", "measured interval" },
	{ "offered_pkts", "int", "frames", "frames the generator sent in the interval" },
	{ "dut_pkts", "int", "frames", "frames the DUT received in the interval" },
	{ "sink_pkts", "int", "frames", "frames delivered at the sink; empty without a sink" },
	{ "dut_rx_dropped", "int", "frames",
	  "frames the DUT port dropped before processing them (RX ring full)" },
	{ "dut_task_ns_per_pkt", "float", "ns",
	  "exact run time of the DUT's threads (dut-in NAPI kthreads, testpmd) per packet, from "
	  "the scheduler; empty where they cannot be named (existing testbed)" },
	{ "status", "string", "",
	  "valid, saturated (the DUT could not keep up: its capacity was measured) or invalid "
	  "(the instrument failed)" },
	{ "invalid_detail", "string", "", "the reason as a sentence, with its numbers" },
	{ "sink_rx_dropped", "int", "frames",
	  "frames the sink's port dropped before the sink counted them (instrument loss)" },
	{ "xdp_aborted", "int", "frames",
	  "the DUT program's XDP_ABORTED verdicts in the interval "
	  "(empty: not counted; the driver counts aborted as dropped)" },
	{ "xdp_drop", "int", "frames", "XDP_DROP verdicts in the interval" },
	{ "xdp_pass", "int", "frames", "XDP_PASS verdicts in the interval" },
	{ "xdp_tx", "int", "frames", "XDP_TX verdicts in the interval" },
	{ "xdp_redirect", "int", "frames", "XDP_REDIRECT verdicts in the interval" },
	{ "actions_from", "string", "",
	  "who counted the verdicts: xl_stats (the program's own map), driver (the NIC "
	  "driver's XDP counters, native mode), empty (neither: generic mode of a foreign "
	  "object, or no XDP program)" },
	{ "rr_tps", "float", "1/s",
	  "TCP request/response transactions per second over the interval (kind = rr: the "
	  "DDoS experiment); empty in other experiments" },
	{ "rr_stalls", "int", "",
	  "transactions that took over 100 ms (a retransmission timeout); empty unless kind = rr" },
	{ "lb_flows", "int", "flows",
	  "load-balancer experiments: distinct flows the checking sink saw in the interval; "
	  "empty elsewhere" },
	{ "lb_reals_hit", "int", "", "reals that received at least one flow" },
	{ "lb_flows_per_real_min", "int", "flows", "fewest flows on a real that got any" },
	{ "lb_flows_per_real_median", "float", "flows", "median flows per real hit" },
	{ "lb_flows_per_real_max", "int", "flows", "most flows on one real" },
	{ "lb_moved", "int", "frames",
	  "frames of a flow that arrived at another real than its first (0 = every flow "
	  "stayed on one real)" },
	{ "lb_malformed", "int", "frames",
	  "IPIP frames with a bad outer header (checksum, lengths); 0 = all well formed" },
	{ "lb_ipip", "int", "frames", "IPIP-encapsulated frames (the XDP load balancer)" },
	{ "lb_plain", "int", "frames", "plain IPv4 frames to a real (the DNAT baseline)" },
	{ "gen_copies", "int", "",
	  "frames the DUT was offered per frame the generator sent: the veth testbed's relay "
	  "copies each frame when one copy cannot reach the rate (testbed/relay.h); empty when "
	  "no generator ran" },
	{ NULL },
};

static const struct xl_column latency_cols[] = {
	{ "experiment", "string", "", "config section" },
	{ "system", "string", "", "catalog system" },
	{ "mode", "string", "", "mode" },
	{ "target_pps", "float", "pps", "asked rate" },
	{ "trial", "int", "", "1..N" },
	{ "count", "int", "frames", "frames timed at the sink" },
	{ "min_ns", "int", "ns", "smallest one-way latency (exact)" },
	{ "avg_ns", "float", "ns", "average (exact)" },
	{ "p50_ns", "float", "ns", "median, midpoint of its histogram bucket" },
	{ "p90_ns", "float", "ns", "90th percentile (bucket midpoint)" },
	{ "p99_ns", "float", "ns", "99th percentile (bucket midpoint)" },
	{ "p999_ns", "float", "ns", "99.9th percentile (bucket midpoint)" },
	{ "max_ns", "int", "ns", "largest (exact)" },
	{ "share_under_10us", "float", "fraction",
	  "fraction 0..1 of the timed frames under 10 us" },
	{ "sent", "int", "frames", "stamped frames the generator sent" },
	{ "received", "int", "frames", "stamped frames that arrived" },
	{ "lost", "int", "frames", "sent - received" },
	{ "reordered", "int", "frames", "frames whose sequence number is below one already seen" },
	{ "unstamped", "int", "frames", "xdplab frames without a timestamp" },
	{ "clock_anomalies", "int", "frames", "timestamps from the future" },
	{ "valid", "bool", "0/1", "the trial's validity, as in results.csv" },
	{ "invalid_reason", "string", "", "why the trial is invalid" },
	{ NULL },
};

static const struct xl_column hist_cols[] = {
	{ "system", "string", "", "catalog system" },
	{ "mode", "string", "", "mode" },
	{ "target_pps", "float", "pps", "asked rate" },
	{ "trial", "int", "", "1..N" },
	{ "bucket_lo_ns", "int", "ns", "lower edge of the bucket" },
	{ "bucket_hi_ns", "int", "ns", "upper edge (exclusive)" },
	{ "count", "int", "frames", "frames in the bucket (empty buckets are not written)" },
	{ "experiment", "string", "", "config section" },
	{ NULL },
};

static const struct xl_column ndr_cols[] = {
	{ "experiment", "string", "", "config section" },
	{ "system", "string", "", "catalog system" },
	{ "mode", "string", "", "mode" },
	{ "ndr_pps", "float", "pps",
	  "highest offered rate with no loss (no failed trial at or below it); 0 = even the "
	  "lowest rate lost" },
	{ "ndr_upper_pps", "float", "pps", "lowest rate that lost frames; 0 = none did" },
	{ "ndr_converged", "bool", "0/1", "the bounds are within the stated precision" },
	{ "pdr_pps", "float", "pps", "highest offered rate with loss at most pdr_loss_pct" },
	{ "pdr_upper_pps", "float", "pps", "lowest rate that lost more; 0 = none did" },
	{ "pdr_converged", "bool", "0/1", "the bounds are within the stated precision" },
	{ "precision_pct", "float", "%",
	  "the search stops when upper / lower - 1 is at most this" },
	{ "pdr_loss_pct", "float", "%", "the loss a PDR trial may have" },
	{ "repeats", "int", "", "confirmations of each result after it was found" },
	{ "trials", "int", "", "trials the search took (in results.csv, experiment of this name)" },
	{ "duration_s", "float", "s", "frames per trial = rate * duration_s, counted exactly" },
	{ "min_pps", "float", "pps", "lowest rate searched" },
	{ "max_pps", "float", "pps", "highest rate searched (the generator's paced ceiling)" },
	{ NULL },
};

static const struct xl_column profile_cols[] = {
	{ "experiment", "string", "", "config section [experiment NAME] (with profile = 1)" },
	{ "system", "string", "", "catalog system" },
	{ "mode", "string", "", "native, generic, stack, dpdk or none" },
	{ "trial", "int", "", "the trial of results.csv this profile was taken in" },
	{ "symbol", "string", "", "kernel or user symbol (perf report --sort sym)" },
	{ "share_pct", "float", "%",
	  "share of the DUT cores' cpu-clock samples in this symbol (idle included)" },
	{ "ns_per_pkt", "float", "ns",
	  "share_pct / dut_cpu_pct of the trial's ns_per_pkt: this symbol's cost per packet" },
	{ NULL },
};

static const struct xl_column programs_cols[] = {
	{ "system", "string", "", "catalog system with an XDP program on dut-in" },
	{ "mode", "string", "", "native or generic" },
	{ "prog", "string", "", "program name" },
	{ "verified_insns", "int", "", "instructions the verifier processed (bpf_prog_info)" },
	{ "xlated_bytes", "int", "bytes", "size after the verifier's rewrites" },
	{ "jited_bytes", "int", "bytes", "JITed size; 0 without the JIT" },
	{ "maps", "int", "", "maps the program uses" },
	{ "frame_size", "int", "bytes", "the test frame (the generator's first frame)" },
	{ "test_run_repeat", "int", "", "runs per BPF_PROG_TEST_RUN call" },
	{ "test_run_calls", "int", "", "calls; the columns below are over them" },
	{ "test_run_ns", "float", "ns", "median ns per run (the kernel's own timing of the loop)" },
	{ "test_run_min_ns", "float", "ns", "fastest call, ns per run" },
	{ "test_run_max_ns", "float", "ns", "slowest call, ns per run" },
	{ "test_run_retval", "int", "", "the program's return value on the test frame" },
	{ NULL },
};

const struct xl_csv_schema xl_schemas[] = {
	{ "results.csv", "one row per measured trial per system", results_cols },
	{ "calibration.csv",
	  "the trials that set rates: the generator's paced ceiling (experiment \"ceiling\"; "
	  "through the veth testbed's relay first \"ceiling-one-copy\", one copy per frame) and "
	  "each equal-load experiment's capacity trials (trial 0, target 0) and its probes of the "
	  "common rate (trial 0, target > 0); columns as results.csv",
	  results_cols },
	{ "ndr.csv", "one row per system of an ndr experiment: its NDR and PDR", ndr_cols },
	{ "latency.csv", "one row per latency trial (latency experiments only)", latency_cols },
	{ "profile.csv",
	  "cpu-clock profile of the DUT cores, per trial of an experiment with "
	  "profile = 1",
	  profile_cols },
	{ "programs.csv",
	  "deterministic metrics of each XDP program measured in the run: "
	  "verifier, sizes, BPF_PROG_TEST_RUN time",
	  programs_cols },
	{ "latency_hist.csv", "the histogram behind each latency row", hist_cols },
	{ NULL },
};

const struct xl_csv_schema *xl_schema_find(const char *file)
{
	for (const struct xl_csv_schema *s = xl_schemas; s->file; s++)
		if (!strcmp(s->file, file))
			return s;
	return NULL;
}

const char *xl_schema_header(const char *file)
{
	static char headers[8][2048];
	int idx = 0;

	for (const struct xl_csv_schema *s = xl_schemas; s->file; s++, idx++) {
		size_t off = 0;

		if (strcmp(s->file, file))
			continue;
		if (!headers[idx][0])
			for (const struct xl_column *c = s->cols; c->name; c++)
				off += snprintf(headers[idx] + off, sizeof(headers[idx]) - off,
						"%s%s", off ? "," : "", c->name);
		return headers[idx];
	}
	return NULL;
}

json_object *xl_schema_json(void)
{
	json_object *o = json_object_new_object();

	for (const struct xl_csv_schema *s = xl_schemas; s->file; s++) {
		json_object *a = json_object_new_array();

		for (const struct xl_column *c = s->cols; c->name; c++) {
			json_object *j = json_object_new_object();

			json_object_object_add(j, "name", json_object_new_string(c->name));
			json_object_object_add(j, "type", json_object_new_string(c->type));
			json_object_object_add(j, "unit", json_object_new_string(c->unit));
			json_object_object_add(j, "meaning", json_object_new_string(c->meaning));
			json_object_array_add(a, j);
		}
		json_object_object_add(o, s->file, a);
	}
	return o;
}

void xl_schema_markdown(FILE *f)
{
	for (const struct xl_csv_schema *s = xl_schemas; s->file; s++) {
		fprintf(f, "### %s: %s\n\n| column | type | unit | meaning |\n|---|---|---|---|\n",
			s->file, s->what);
		for (const struct xl_column *c = s->cols; c->name; c++)
			fprintf(f, "| %s | %s | %s | %s |\n", c->name, c->type, c->unit,
				c->meaning);
		fprintf(f, "\n");
	}
}
