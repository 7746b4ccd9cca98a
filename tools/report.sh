#!/usr/bin/env bash
# report.sh - from a results directory to its analysis, figures and report in
# one command.  Runs the analysis package harness/analysis/xdplab_analysis
# (summary.csv, ratios.csv, figure data; claims and figures from configs/claims.ini),
# draws every figure that has data with the gnuplot scripts in plots/ (PNG and
# SVG), then writes report.md and report.html.  Everything is produced in a
# staging directory inside RESULTS_DIR and moved into place only when every
# step succeeded, so a failure or Ctrl-C leaves the directory as it was.
# gnuplot warnings are passed on to stderr (tests treat them as failures).
#
# Usage: tools/report.sh RESULTS_DIR
# Exit codes: 0 ok, 1 failure (analysis, configs/claims.ini, gnuplot, missing tool), 2 usage,
#             3 RESULTS_DIR missing, unreadable, unwritable or without a
#               valid results.csv.  Errors are one line "xdplab: ...".
set -u

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${XL_PYTHON:-/usr/bin/python3} # Debian's python3 has pandas; a pyenv one may not
ANALYSIS_PATH=$REPO/harness/analysis
OUTPUTS=(summary.csv ratios.csv claims.csv report.md report.html)

usage() {
	echo "usage: tools/report.sh RESULTS_DIR"
	echo "  writes RESULTS_DIR/{summary.csv,ratios.csv,claims.csv,report.md,report.html,plots/}"
	echo "  exit codes: 0 ok, 1 failure, 2 usage, 3 unusable results directory"
}

die() {
	echo "xdplab: $2" >&2
	exit "$1"
}

# A value for gnuplot's -e inside single quotes ('' is a literal quote there).
gp_quote() { printf "'%s'" "${1//\'/\'\'}"; }

if [ $# -eq 1 ] && { [ "$1" = "-h" ] || [ "$1" = "--help" ]; }; then
	usage
	exit 0
fi
if [ $# -ne 1 ] || [ -z "$1" ]; then
	usage >&2
	exit 2
fi
dir=${1%/}
[ -n "$dir" ] || dir=/

[ -e "$dir" ] || die 3 "no such results directory: $dir"
[ -d "$dir" ] || die 3 "not a directory: $dir"
{ [ -r "$dir" ] && [ -x "$dir" ]; } || die 3 "cannot read results directory: $dir"
[ -f "$dir/results.csv" ] || die 3 "no results.csv in $dir"
[ -r "$dir/results.csv" ] || die 3 "cannot read $dir/results.csv"
[ -w "$dir" ] || die 3 "cannot write into results directory: $dir"
[ -x "$PYTHON" ] || die 1 "$PYTHON not found (Debian's python3 with python3-pandas is needed)"
command -v gnuplot >/dev/null 2>&1 || die 1 "gnuplot not found (apt-get install gnuplot-nox)"

stage=$(mktemp -d "$dir/.report.XXXXXX") || die 1 "cannot create a staging directory in $dir"
old_plots=""
cleanup() {
	rm -rf -- "$stage"
	if [ -n "$old_plots" ]; then rm -rf -- "$old_plots"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# analysis STEP: run one step of the Python analysis; its messages (also
# warnings on success) go to stderr; exit 3 passes through, anything else is 1.
analysis() {
	local rc
	PYTHONPATH=$ANALYSIS_PATH${PYTHONPATH:+:$PYTHONPATH} \
		"$PYTHON" -B -m xdplab_analysis "$1" "$dir" "$stage" 2>"$stage/analysis.err"
	rc=$?
	if [ -s "$stage/analysis.err" ]; then
		cat "$stage/analysis.err" >&2
	elif [ $rc -ne 0 ]; then
		echo "xdplab: analysis step '$1' failed (exit $rc)" >&2
	fi
	case $rc in
	0) ;;
	3) exit 3 ;;
	*) exit 1 ;;
	esac
}

analysis analyze

while IFS=$'\t' read -r fig script _; do
	for fmt in png svg; do
		out=$stage/plots/$fig.$fmt
		err=$(gnuplot -e "datadir=$(gp_quote "$stage/plots/data"); outdir=$(gp_quote "$stage/plots"); plotdir=$(gp_quote "$REPO/plots"); fig=$(gp_quote "$fig"); fmt=$(gp_quote "$fmt")" \
			"$REPO/plots/$script" 2>&1)
		rc=$?
		if [ $rc -ne 0 ]; then
			printf '%s\n' "$err" >&2
			die 1 "gnuplot failed drawing $fig ($fmt) with plots/$script"
		fi
		if [ -n "$err" ]; then
			printf '%s\n' "$err" | sed "s|^|xdplab: gnuplot, $fig.$fmt: |" >&2
		fi
		[ -s "$out" ] || die 1 "gnuplot wrote no $fig.$fmt"
	done
done <"$stage/plots/data/figures.list"

analysis report

nfig=$(grep -c . "$stage/plots/data/figures.list")

# Publish: plots/ as a whole (old one renamed away first), then the files,
# each by rename(2) within the directory, the report last.
if [ -e "$dir/plots" ]; then
	old_plots=$dir/.plots.old.$$
	mv -- "$dir/plots" "$old_plots" || die 1 "cannot replace $dir/plots"
fi
mv -- "$stage/plots" "$dir/plots" || die 1 "cannot move plots into $dir"
for f in "${OUTPUTS[@]}"; do
	mv -f -- "$stage/$f" "$dir/$f" || die 1 "cannot move $f into $dir"
done
echo "xdplab: report written to $dir/report.md ($nfig figures in $dir/plots)"
