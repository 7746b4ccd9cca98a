# cpu.gp - busy share of the DUT core against the offered load (paper Fig. 4).
# (a) this run, one line per system with IQR whiskers, and the paper's curves
# dashed over the same x range; (b) the paper's figure at its own scale.
W = 1300
H = 520
load datadir."/".fig.".vars.gp"
load plotdir."/common.gp"
dat = datadir."/cpu.dat"
pdat = datadir."/cpu_paper.dat"

set multiplot layout 1,2 title fig_title font ",13"
set ylabel "DUT CPU busy, % of one core"
set xlabel "offered load, Mpps"
# Head room above 100% holds the key, clear of the curves.
set yrange [0:145]
set ytics 0,20,100
set key top left maxrows 4 width -2 font ",9"

set title "(a) this run (solid) and paper (dashed, same range)"
set xrange [0:xmax]
if (n_paper > 0) {
	plot for [i=1:n_here] dat index (i-1) u 1:2:3:4 w yerrorlines lc rgb here_color[i] pt 7 lw 2 t here_title[i], \
	     for [i=1:n_paper] pdat index (i-1) u 1:2 w lp dt 2 pt 6 lc rgb paper_color[i] t paper_title[i]
} else {
	plot for [i=1:n_here] dat index (i-1) u 1:2:3:4 w yerrorlines lc rgb here_color[i] pt 7 lw 2 t here_title[i]
}

set title "(b) paper, full range"
set key bottom right maxrows 3
set xrange [0:paper_xmax]
if (n_paper > 0) {
	plot for [i=1:n_paper] pdat index (i-1) u 1:2 w lp dt 2 pt 6 lc rgb paper_color[i] t paper_title[i]
}
unset multiplot
