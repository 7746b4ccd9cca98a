// SPDX-License-Identifier: GPL-2.0
/*
 * test_measure.c - the measurement logic that decides what a number is worth,
 * on synthetic inputs with known answers (no traffic, no timing): the trial
 * validity classifier, one case per reason and for valid and saturated; the
 * NDR/PDR search on synthetic loss curves (monotonic, never saturated,
 * noisy, non-monotonic, failing everywhere); the equal-load rule that sets an
 * experiment's common rate from the systems' capacities.
 */
#define _GNU_SOURCE
#include <math.h>
#include "test_common.h"
#include "core/runner.h"
#include "core/search.h"
#include "core/validity.h"

static const struct xl_bounds bounds = {
	.rate_tolerance_pct = 2,
	.steal_max_pct = 10,
	.saturation_loss_pct = 0.1,
	.sink_drop_max_pct = 0.1,
};

/* A paced trial at 1 Mpps for 1 s that went right: everything delivered. */
static struct xl_trial_counts good(void)
{
	return (struct xl_trial_counts){
		.target_pps = 1e6,
		.offered_pps = 1e6,
		.steal_pct = 0.5,
		.gen = 1000000,
		.dut = 1000000,
		.sink = 999990,
		.has_sink = true,
	};
}

static void expect(const struct xl_trial_counts *c, enum xl_status st, const char *reason,
		   const char *name)
{
	struct xl_verdict v;

	xl_judge(&bounds, c, &v);
	XL_CHECK(v.status == st && !strcmp(v.reason, reason), name,
		 "status %s reason '%s' (%s), expected %s '%s'", xl_status_name(v.status), v.reason,
		 v.detail, xl_status_name(st), reason);
	if (st == XL_ST_INVALID)
		XL_CHECK(v.detail[0] != 0, name, "an invalid trial says why in a sentence");
}

static void expect_detail(const struct xl_trial_counts *c, const char *text, const char *name)
{
	struct xl_verdict v;

	xl_judge(&bounds, c, &v);
	XL_CHECK(strstr(v.detail, text) != NULL, name, "detail '%s' lacks '%s'", v.detail, text);
}

/* One test case per verdict: each reason, valid, saturated, the tolerances, precedence. */
static void validity_cases(void)
{
	struct xl_trial_counts c;

	RUN_CASE("valid: everything delivered",
		 (c = good(), expect(&c, XL_ST_VALID, "", "valid: everything delivered")));
	RUN_CASE("valid: maximum rate has no target to miss",
		 (c = good(), c.target_pps = 0, c.offered_pps = 5e6,
		  expect(&c, XL_ST_VALID, "", "valid: maximum rate has no target to miss")));
	RUN_CASE("saturated: the DUT delivered 60%",
		 (c = good(), c.sink = 600000,
		  expect(&c, XL_ST_SATURATED, "", "saturated: the DUT delivered 60%")));
	RUN_CASE("saturated: a drop system processed 40%",
		 (c = good(), c.has_sink = false, c.dut = 400000,
		  expect(&c, XL_ST_SATURATED, "", "saturated: a drop system processed 40%")));
	RUN_CASE("counter: a counter went backwards",
		 (c = good(), c.backwards = true,
		  expect(&c, XL_ST_INVALID, "counter", "counter: a counter went backwards")));
	RUN_CASE("gen-error: the generator failed",
		 (c = good(), c.gen_error = true,
		  expect(&c, XL_ST_INVALID, "gen-error", "gen-error: the generator failed")));
	RUN_CASE("gen-idle: nothing sent",
		 (c = good(), c.gen = 0, c.offered_pps = 0,
		  expect(&c, XL_ST_INVALID, "gen-idle", "gen-idle: nothing sent")));
	RUN_CASE("gen-short: 3% under the target",
		 (c = good(), c.offered_pps = 0.97e6,
		  expect(&c, XL_ST_INVALID, "gen-short", "gen-short: 3% under the target")));
	RUN_CASE("tolerance: 1.5% under the target is on target",
		 (c = good(), c.offered_pps = 0.985e6,
		  expect(&c, XL_ST_VALID, "", "tolerance: 1.5% under the target is on target")));
	RUN_CASE("gen-over: 3% over the target",
		 (c = good(), c.offered_pps = 1.03e6,
		  expect(&c, XL_ST_INVALID, "gen-over", "gen-over: 3% over the target")));
	RUN_CASE("gen-late: a counted run did not finish",
		 (c = good(), c.gen_unfinished = true,
		  expect(&c, XL_ST_INVALID, "gen-late", "gen-late: a counted run did not finish")));
	RUN_CASE("steal: 25% on the DUT cores",
		 (c = good(), c.steal_pct = 25,
		  expect(&c, XL_ST_INVALID, "steal", "steal: 25% on the DUT cores")));
	RUN_CASE("steal: unknown steal is not a failure",
		 (c = good(), c.steal_pct = NAN,
		  expect(&c, XL_ST_VALID, "", "steal: unknown steal is not a failure")));
	RUN_CASE("no-rx: the DUT received nothing",
		 (c = good(), c.dut = 0, c.sink = 0,
		  expect(&c, XL_ST_INVALID, "no-rx", "no-rx: the DUT received nothing")));
	RUN_CASE("no-delivery: a forwarding system delivered nothing",
		 (c = good(), c.sink = 0,
		  expect(&c, XL_ST_INVALID, "no-delivery",
			 "no-delivery: a forwarding system delivered nothing")));
	RUN_CASE("sink-drop: the instrument lost what the DUT sent",
		 (c = good(), c.sink_drops = 5000,
		  expect(&c, XL_ST_INVALID, "sink-drop",
			 "sink-drop: the instrument lost what the DUT sent")));
	RUN_CASE("fault: a link that went down voids counts that look valid",
		 (c = good(), c.fault = "link-down", c.fault_detail = "the link of dut-in was down",
		  expect(&c, XL_ST_INVALID, "link-down",
			 "fault: a link that went down voids counts that look valid")));
	RUN_CASE("fault: comes before a counter check and before saturation",
		 (c = good(), c.backwards = true, c.sink = 600000, c.fault = "gen-died",
		  c.fault_detail = "generator thread 0 stopped",
		  expect(&c, XL_ST_INVALID, "gen-died",
			 "fault: comes before a counter check and before saturation")));
	RUN_CASE("fault: its sentence is the detail",
		 (c = good(), c.fault = "sink-stall", c.fault_detail = "the sink counted nothing",
		  expect_detail(&c, "the sink counted nothing",
				"fault: its sentence is the detail")));
	RUN_CASE("sink-drop: a few frames under the bound are tolerated",
		 (c = good(), c.sink_drops = 10,
		  expect(&c, XL_ST_VALID, "",
			 "sink-drop: a few frames under the bound are tolerated")));
	/*
	 * A short generator matters only while the system kept up: a saturated
	 * system was offered more than it took (on veth the sender slows down
	 * exactly when the DUT's ring is full).  The shortfall is in the detail.
	 */
	RUN_CASE("saturated: a short generator does not void a saturated trial",
		 (c = good(), c.offered_pps = 0.9e6, c.gen = 900000, c.dut = 900000,
		  c.sink = 600000,
		  expect(&c, XL_ST_SATURATED, "",
			 "saturated: a short generator does not void a saturated trial"),
		  expect_detail(&c, "offered 900000 of 1000000",
				"saturated: the shortfall is in the detail")));
	RUN_CASE("gen-short: short while the system kept up (loss under the bound)",
		 (c = good(), c.offered_pps = 0.9e6, c.gen = 900000, c.dut = 900000,
		  c.sink = 899990,
		  expect(&c, XL_ST_INVALID, "gen-short",
			 "gen-short: short while the system kept up (loss under the bound)")));
	/* Precedence: the instrument's other failures win over saturation. */
	RUN_CASE("precedence: steal, not saturation",
		 (c = good(), c.steal_pct = 25, c.sink = 100,
		  expect(&c, XL_ST_INVALID, "steal", "precedence: steal, not saturation")));
}

/* A system that loses everything above its capacity: loss (r - C) / r. */
static double cap_loss(double r, double cap)
{
	return r <= cap ? 0 : 100 * (r - cap) / r;
}

typedef double (*loss_fn)(double rate, int trial);

/* Run a search to its end against a synthetic loss curve; returns the trials it took. */
static int run_search(struct xl_search *s, loss_fn f)
{
	double r;
	int n = 0;

	while (xl_search_next(s, &r) && n < 500) {
		double loss = f(r, n);

		xl_search_report(s, r, loss, r * (1 - loss / 100));
		n++;
	}
	return n;
}

/* What any result must satisfy against the trials the search saw. */
static void check_sound(const struct xl_search *s, enum xl_goal g, const char *what)
{
	double lower, upper, lmax = s->loss_max_pct[g];
	int passed_at_lower = 0, failed_below = 0;
	char name[96];

	xl_search_result(s, g, &lower, &upper);
	for (int i = 0; i < s->ntrials; i++) {
		passed_at_lower += s->t[i].rate == lower && s->t[i].loss_pct <= lmax;
		failed_below += s->t[i].rate <= lower && s->t[i].loss_pct > lmax;
	}
	snprintf(name, sizeof(name), "%s: the result passed %d+1 times", what, s->repeats);
	if (lower > 0)
		XL_CHECK(passed_at_lower >= s->repeats + 1, name, "%d passes at %g",
			 passed_at_lower, lower);
	snprintf(name, sizeof(name), "%s: no trial failed at or below the result", what);
	XL_CHECK(failed_below == 0, name, "%d failures at or below %g", failed_below, lower);
}

static double monotonic(double r, int n)
{
	(void)n;
	return cap_loss(r, 1.234e6);
}

static void test_search_monotonic(void)
{
	struct xl_search s;
	double nl, nu, pl, pu;
	int n;

	xl_search_init(&s, 1e4, 5e6, 2, 0.5, 1, 100);
	n = run_search(&s, monotonic);
	ASSERT_TRUE(xl_search_result(&s, XL_GOAL_NDR, &nl, &nu), "ndr: precision reached");
	ASSERT_TRUE(xl_search_result(&s, XL_GOAL_PDR, &pl, &pu), "pdr: precision reached");
	ASSERT_TRUE(nl <= 1.234e6 && nu > 1.234e6, "ndr: the capacity lies between the bounds");
	ASSERT_TRUE(nu / nl - 1 <= 0.02 + 1e-9, "ndr: bounds within 2%");
	/* 0.5% loss is allowed up to C / 0.995. */
	ASSERT_TRUE(pl <= 1.234e6 / 0.995 && pu > 1.234e6 / 0.995, "pdr: at the 0.5% loss point");
	ASSERT_TRUE(pl >= nl, "pdr >= ndr");
	ASSERT_LE(n, 30, "search: a bounded number of trials");
	check_sound(&s, XL_GOAL_NDR, "ndr");
	check_sound(&s, XL_GOAL_PDR, "pdr");
}

static double never(double r, int n)
{
	(void)n;
	return cap_loss(r, 1e9);
}

static void test_search_keeps_up(void)
{
	struct xl_search s;
	double l, u;

	xl_search_init(&s, 1e4, 5e6, 2, 0.5, 1, 100);
	ASSERT_EQ(run_search(&s, never), 1, "keeps up: one trial at the maximum rate");
	xl_search_result(&s, XL_GOAL_NDR, &l, &u);
	ASSERT_TRUE(l == 5e6 && u == 0, "keeps up: NDR is the maximum, no failing rate");
}

/* Loses a little once, at the first confirmation of a rate below its capacity. */
static double noisy_first;
static double noisy(double r, int n)
{
	if (n > 2 && !noisy_first && r < 1.234e6) {
		noisy_first = r;
		return 0.01;
	}
	return cap_loss(r, 1.234e6);
}

static void test_search_noisy(void)
{
	struct xl_search s;
	double l, u;

	noisy_first = 0;
	xl_search_init(&s, 1e4, 5e6, 2, 0.5, 2, 100);
	run_search(&s, noisy);
	xl_search_result(&s, XL_GOAL_NDR, &l, &u);
	ASSERT_TRUE(noisy_first > 0, "noisy: the spurious loss happened");
	ASSERT_TRUE(l > 0 && l < noisy_first, "noisy: NDR moved below the rate that lost once");
	check_sound(&s, XL_GOAL_NDR, "noisy ndr");
}

/* Passes below 1.0M, loses 5% in [1.0M, 1.2M), passes again in [1.2M, 1.3M), loses above. */
static double bumpy(double r, int n)
{
	(void)n;
	if (r < 1.0e6)
		return 0;
	if (r < 1.2e6)
		return 5;
	if (r < 1.3e6)
		return 0;
	return cap_loss(r, 1.3e6);
}

static void test_search_non_monotonic(void)
{
	struct xl_search s;
	double l, u;
	int n;

	xl_search_init(&s, 1e4, 5e6, 2, 0.5, 1, 100);
	n = run_search(&s, bumpy);
	xl_search_result(&s, XL_GOAL_NDR, &l, &u);
	ASSERT_LE(n, 40, "non-monotonic: the search ends");
	ASSERT_TRUE(l > 0 && (l < 1.0e6 || (l >= 1.2e6 && l < 1.3e6)),
		    "non-monotonic: the result is a rate that passes");
	check_sound(&s, XL_GOAL_NDR, "non-monotonic ndr");
}

static double always(double r, int n)
{
	(void)r;
	(void)n;
	return 50;
}

static void test_search_fails_everywhere(void)
{
	struct xl_search s;
	double l, u;

	xl_search_init(&s, 1e4, 5e6, 2, 0.5, 1, 100);
	ASSERT_LE(run_search(&s, always), 40, "fails everywhere: the search ends");
	xl_search_result(&s, XL_GOAL_NDR, &l, &u);
	ASSERT_TRUE(l == 0 && u == 1e4, "fails everywhere: even the minimum rate failed");
}

/* The common rate: just above the slowest capacity, capped by what the generator reached. */
static void equal_load_cases(void)
{
	const double caps[] = { 9e6, 1.5e6, 0, 3e6 }; /* one calibration was invalid (0) */
	bool bound;
	double r;

	RUN_CASE("equal load: slowest capacity plus headroom",
		 (r = xl_common_rate(caps, 4, 10, 6e6, &bound),
		  XL_CHECK(fabs(r - 1.65e6) < 1 && !bound,
			   "equal load: slowest capacity plus headroom", "rate %.0f bound %d", r,
			   bound)));
	RUN_CASE("equal load: an invalid calibration (0) is not the slowest",
		 (r = xl_common_rate(caps + 2, 2, 10, 0, &bound),
		  XL_CHECK(fabs(r - 3.3e6) < 1 && !bound,
			   "equal load: an invalid calibration (0) is not the slowest",
			   "rate %.0f bound %d", r, bound)));
	RUN_CASE("equal load: capped at 90% of what the generator reached",
		 (r = xl_common_rate(caps, 1, 10, 5e6, &bound),
		  XL_CHECK(fabs(r - 4.5e6) < 1 && bound,
			   "equal load: capped at 90% of what the generator reached",
			   "rate %.0f bound %d", r, bound)));
	RUN_CASE("equal load: no valid calibration falls back to the generator's cap",
		 (r = xl_common_rate(caps + 2, 1, 10, 5e6, &bound),
		  XL_CHECK(fabs(r - 4.5e6) < 1 && bound,
			   "equal load: no valid calibration falls back to the generator's cap",
			   "rate %.0f bound %d", r, bound)));
	RUN_CASE("equal load: nothing known gives no rate",
		 (r = xl_common_rate(caps + 2, 1, 10, 0, &bound),
		  XL_CHECK(r == 0, "equal load: nothing known gives no rate", "rate %.0f", r)));
}

int main(void)
{
	validity_cases();
	equal_load_cases();
	RUN_TEST(test_search_monotonic);
	RUN_TEST(test_search_keeps_up);
	RUN_TEST(test_search_noisy);
	RUN_TEST(test_search_non_monotonic);
	RUN_TEST(test_search_fails_everywhere);
	return xl_test_failed;
}
