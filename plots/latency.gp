# latency.gp - forwarding latency per system and rate (paper Table 1).
# (a) average latency, log scale: this run's median (IQR whiskers), its 99th
# percentile, and the paper's average; (b) the share of frames under 10 us.
W = 1500
H = 560
load datadir."/".fig.".vars.gp"
load plotdir."/common.gp"
dat = datadir."/latency.dat"

set multiplot layout 1,2 title fig_title font ",13"
set style fill solid 0.85 border lc rgb "#333333"
set xrange [-0.7:xmax+0.7]
set xtics nomirror scale 0 font ",8"
set bmargin 4
set boxwidth 0.36
# One label per rate group, above its bars.
do for [i=1:n_groups] {
	set label (10+i) group_label[i] at group_x[i], graph 0.82 center font ",11"
}

set title "(a) average latency (log scale)"
set key top left horizontal maxcols 2
set ylabel "latency, µs"
set logscale y
set yrange [ymin:ymax]
if (have_paper) {
	plot dat u ($1-0.19):3 w boxes lc rgb C_HERE t "this run: average", \
	     dat u ($1-0.19):4:(0):($5-$4) @IQR t "IQR of trials", \
	     dat u ($1-0.19):6 w p pt 7 ps 0.8 lc rgb "#d62728" t "this run: p99", \
	     dat u ($1+0.19):7 w boxes fs empty lc rgb C_PAPER lw 2 t "paper: average", \
	     dat u 1:(NaN):xtic(2) notitle
} else {
	plot dat u ($1-0.19):3 w boxes lc rgb C_HERE t "this run: average", \
	     dat u ($1-0.19):4:(0):($5-$4) @IQR t "IQR of trials", \
	     dat u ($1-0.19):6 w p pt 7 ps 0.8 lc rgb "#d62728" t "this run: p99", \
	     dat u 1:(NaN):xtic(2) notitle
}
unset logscale y

set title "(b) frames under 10 µs"
set ylabel "% of frames under 10 µs"
set yrange [0:135]
set ytics 0,20,100
set key top left horizontal maxcols 3
if (have_paper) {
	plot dat u ($1-0.19):8 w boxes lc rgb C_HERE t "this run", \
	     dat u ($1-0.19):9:(0):($10-$9) @IQR t "IQR", \
	     dat u ($1+0.19):11 w boxes fs empty lc rgb C_PAPER lw 2 t "paper", \
	     dat u 1:(NaN):xtic(2) notitle
} else {
	plot dat u ($1-0.19):8 w boxes lc rgb C_HERE t "this run", \
	     dat u ($1-0.19):9:(0):($10-$9) @IQR t "IQR", \
	     dat u 1:(NaN):xtic(2) notitle
}
unset multiplot
