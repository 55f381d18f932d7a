#!/usr/bin/env bash
# Why verify-deb.sh starts Xvfb with -noreset (twenty-eighth round): an X server resets when its last client
# leaves, and a client that connects during the reset is refused. Starts an Xvfb (with the options given, e.g.
# -noreset), loops one client that connects and leaves (as verify-deb's xdotool calls do), and counts how many
# of RUNS other connections fail. Needs Xvfb and xdotool.
# Usage: packaging/linux/xvfb-reset-check.sh [RUNS] [XVFB_OPTION...]      e.g. 300 -noreset
set -euo pipefail
runs=${1:-300}; shift || true
fd_file=$(mktemp)
Xvfb -displayfd 3 -screen 0 640x480x24 -nolisten tcp "$@" 3>"$fd_file" >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" "${loop:-}" 2>/dev/null || true; rm -f "$fd_file"' EXIT
n=""
for _ in $(seq 1 100); do n=$(tr -dc 0-9 <"$fd_file"); [ -n "$n" ] && break; sleep 0.1; done
[ -n "$n" ] || { echo "xvfb-reset-check: Xvfb did not start" >&2; exit 2; }
( while kill -0 "$xvfb" 2>/dev/null; do DISPLAY=":$n" xdotool getdisplaygeometry >/dev/null 2>&1 || true; done ) &
loop=$!
failed=0
for _ in $(seq 1 "$runs"); do DISPLAY=":$n" xdotool getdisplaygeometry >/dev/null 2>&1 || failed=$((failed + 1)); done
echo "Xvfb ${*:-(no options)} on :$n: $failed of $runs connections refused beside a client connecting and leaving in a loop"
