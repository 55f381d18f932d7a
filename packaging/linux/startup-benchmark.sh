#!/usr/bin/env bash
# Start-up of the INSTALLED TcpLens (the .deb), with and without its AOT cache (issue 13), on a private Xvfb
# display: for each run, the time from starting `tcplens` to its window being mapped (xdotool), and
# the app's own "first frame N ms after JVM start" log line; and the wall time of `tcplens counts`.
# The first run of a fresh home unpacks JavaFX's native libraries and is reported on its own.
# Also the app's "first poll on screen" line (real data: its distance from the first frame) and, when
# BARE_CP names a folder with io.tcplens.bench.BareFxWindow (target/test-classes), a bare JavaFX window
# on the installed runtime and jars, started right before each TcpLens start (the same load).
# Needs root (moves the cache aside for the runs without it, then puts it back).
# Usage: [BARE_CP=target/test-classes] packaging/linux/startup-benchmark.sh [RUNS]     (default 5)
set -euo pipefail
runs=${1:-5}
jsa=/opt/tcplens/lib/app/tcplens.aot
[ -x /usr/bin/tcplens ] && [ -s "$jsa" ] || { echo "startup-benchmark: install the .deb first" >&2; exit 2; }
work=$(mktemp -d)
n=95
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1440x900x24 -nolisten tcp -noreset >/dev/null 2>&1 &   # (-noreset: see verify-deb.sh)
xvfb=$!
cleanup() { kill "$xvfb" 2>/dev/null || true; [ -f "$work/tcplens.aot" ] && mv "$work/tcplens.aot" "$jsa"; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
mkdir -p "$work/home"

bare_cp=${BARE_CP:-}
[ -n "$bare_cp" ] && bare_cp=$(cd "$bare_cp" && pwd)
# the bare window: its "first frame N ms after JVM start" (or "-" without BARE_CP)
bare_once() {
  [ -n "$bare_cp" ] || { echo "-"; return; }
  env -i DISPLAY=":$n" HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 timeout 120 \
    /opt/tcplens/lib/runtime/bin/java -cp "/opt/tcplens/lib/app/*:$bare_cp" io.tcplens.bench.BareFxWindow 2>&1 \
    | sed -n 's/.*first frame \([0-9]*\) ms.*/\1/p' | head -n 1
}

# one start: prints "<ms to window mapped> <first-frame ms from the app's log> <CPU ms used by then> <first poll on screen ms>"
# (the CPU time, user + system, hardly depends on what else the machine is doing; the others do)
start_once() {
  local s0 pid win="" ms ff cpu
  s0=$(date +%s%N)
  env -i DISPLAY=":$n" HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 tcplens >"$work/app.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    win=$(DISPLAY=":$n" xdotool search --onlyvisible --name '^TcpLens$' 2>/dev/null | head -n 1 || true)
    [ -n "$win" ] && break
    sleep 0.02
  done
  ms=$(( ($(date +%s%N) - s0) / 1000000 ))
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  for _ in $(seq 1 1200); do grep -q 'first poll on screen' "$work/app.log" && break; sleep 0.05; done
  ff=$(sed -n 's/.*first frame \([0-9]*\) ms.*/\1/p' "$work/app.log" | head -n 1)
  fp=$(sed -n 's/.*first poll on screen \([0-9]*\) ms.*/\1/p' "$work/app.log" | head -n 1)
  kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  echo "$ms ${ff:-?} $cpu ${fp:-?}"
}
cli_once() {
  local s0
  s0=$(date +%s%N)
  env -i HOME="$work/home" PATH=/usr/bin:/bin tcplens counts >/dev/null 2>&1
  echo $(( ($(date +%s%N) - s0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

read -r first_ms first_ff first_cpu _ < <(start_once)
echo "first start of a fresh home (JavaFX unpacks its native libraries): window ${first_ms} ms (CPU ${first_cpu} ms), first frame ${first_ff} ms after JVM start"
for mode in with without; do
  [ "$mode" = without ] && mv "$jsa" "$work/tcplens.aot"
  : >"$work/win" ; : >"$work/ff" ; : >"$work/cli" ; : >"$work/cpu" ; : >"$work/fp" ; : >"$work/bare"
  for _ in $(seq 1 "$runs"); do
    bare=$(bare_once)
    read -r ms ff cpu fp < <(start_once)
    echo "$ms" >>"$work/win"; echo "$ff" >>"$work/ff"; echo "$cpu" >>"$work/cpu"
    echo "$((fp - ff))" >>"$work/fp"; echo "${bare:--}" >>"$work/bare"
    echo "  run: bare window first frame ${bare:--} ms; TcpLens first frame $ff ms, first poll on screen $fp ms ($((fp - ff)) ms after it), window mapped $ms ms"
    cli_once >>"$work/cli"
  done
  [ "$mode" = without ] && mv "$work/tcplens.aot" "$jsa"
  echo "$mode AOT cache ($runs runs, median): window mapped $(median <"$work/win") ms after start" \
       "(CPU $(median <"$work/cpu") ms);" \
       "first frame $(median <"$work/ff") ms after JVM start; first poll on screen $(median <"$work/fp") ms after it;" \
       "bare window $( [ -n "$bare_cp" ] && median <"$work/bare" || echo -) ms; tcplens counts $(median <"$work/cli") ms" \
       "  [window: $(tr '\n' ' ' <"$work/win")]"
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
