#!/bin/sh
# Start-up time (exec to the ready line) and idle RSS (1 s after ready) of
# `fakecloud serve` with temp state, 5 starts, median last.
# Usage: bench/startup.sh [path/to/fakecloud]
set -eu
bin=${1:-fakecloud}
for i in 1 2 3 4 5; do
	fifo=$(mktemp -u); mkfifo "$fifo"
	t0=$(date +%s%N)
	"$bin" serve --addr 127.0.0.1:0 --log-level warn >"$fifo" 2>/dev/null &
	pid=$!
	exec 3<"$fifo" # kept open: the server writes more lines after the first
	read -r line <&3
	t1=$(date +%s%N)
	sleep 1
	rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
	kill "$pid"; wait "$pid" 2>/dev/null || true
	exec 3<&-
	rm -f "$fifo"
	echo "startup_ms=$(( (t1 - t0) / 1000000 )) idle_rss_kb=$rss"
done | sort -t= -k2 -n | awk '{print} NR==3 {m=$0} END {print "median: " m}'
