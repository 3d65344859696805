# Helpers the bench scripts share; sourced (`. "$(dirname "$0")/lib.sh"`), not run.

# median NUMBER...: the median of the numbers, given as arguments or as words of one (a list kept in a string); the mean
# of the two middle ones for an even count. An odd count prints the middle number as it was given.
median() { printf '%s\n' $* | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# cpu_seconds USER SYS: the CPU time of a run (user + sys, as /usr/bin/time prints them), two decimals.
cpu_seconds() { awk -v u="$1" -v s="$2" 'BEGIN {printf "%.2f", u+s}'; }
