# common.gp - terminal, output file and colours shared by every xdplab figure.
# The caller (tools/report.sh) sets datadir, outdir, fig and fmt ("png" or
# "svg") with -e; the figure script sets W and H (pixels) before loading this.
# Text is not "enhanced": system names contain _ and + which must print as is.
if (fmt eq "svg") {
	set terminal svg size W,H dynamic noenhanced font "DejaVu Sans,12" background "#ffffff"
} else {
	set terminal pngcairo size W,H noenhanced font "DejaVu Sans,10" background "#ffffff"
}
set output outdir."/".fig.".".fmt
set encoding utf8
set grid ytics lc rgb "#e0e0e0" lw 1
set key opaque box lc rgb "#bbbbbb"
C_HERE = "#1f77b4"
C_COST = "#9ecae1"
C_PAPER = "#ff7f0e"
# Whiskers from column a to column b at x column x: @IQR after "u x:a:(0):(b-a)".
# (yerrorbars would leave a gap around an invisible point.)
IQR = "w vectors heads size screen 0.006,90 lc rgb '#000000' lw 1.2"
