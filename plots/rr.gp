# rr.gp - a request/response rate under a rising attack (paper Fig. 7, DDoS).
# (a) this run: the metric (TCP transactions/s) per system against the attack
# rate actually sent, medians with min-max whiskers; (b) every curve, this
# run's (solid) and the paper's (dashed), normalised to its own no-attack
# value, with the knee_pct line and each curve's knee (crosses).
# Data and labels come from <fig>.dat, <fig>_paper.dat, <fig>_knee.dat and
# <fig>.vars.gp (harness/analysis/xdplab_analysis/plotdata.py).
W = 1400
H = 560
load datadir."/".fig.".vars.gp"
load plotdir."/common.gp"
dat = datadir."/".fig.".dat"
pdat = datadir."/".fig."_paper.dat"
kdat = datadir."/".fig."_knee.dat"

set multiplot layout 1,2 title fig_title font ",13"
set xlabel "attack, Mpps (measured offered rate)"
set key top right width -2 font ",9"

set title "(a) this run: median, min-max of trials"
set ylabel metric
set xrange [0:xmax]
set yrange [0:ymax]
plot for [i=1:n_here] dat index (i-1) u 1:2:3:4 w yerrorlines lc rgb here_color[i] pt 7 lw 2 t here_title[i]

set title "(b) % of each curve's no-attack value; paper dashed"
set ylabel "% of the no-attack value"
set xrange [0:nxmax]
set yrange [0:nymax]
set arrow 1 from graph 0, first knee_pct to graph 1, first knee_pct nohead dt 3 lc rgb "#555555"
if (n_paper > 0) {
	plot for [i=1:n_here] dat index (i-1) u 1:5 w lp lc rgb here_color[i] pt 7 lw 2 t here_title[i], \
	     for [i=1:n_paper] pdat index (i-1) u 1:3 w lp dt 2 pt 6 lc rgb paper_color[i] t paper_title[i], \
	     kdat index 0 u 1:2:3 w p pt 2 ps 2.5 lw 2 lc rgb variable t "knee", \
	     kdat index 1 u 1:2:3 w p pt 2 ps 2.5 lw 2 lc rgb variable notitle
} else {
	plot for [i=1:n_here] dat index (i-1) u 1:5 w lp lc rgb here_color[i] pt 7 lw 2 t here_title[i], \
	     kdat index 0 u 1:2:3 w p pt 2 ps 2.5 lw 2 lc rgb variable t "knee"
}
unset multiplot
