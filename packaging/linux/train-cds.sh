#!/usr/bin/env bash
# AppCDS for the Linux packages, step 1 of 2 (called by `mvn -Pinstaller package`).
# Runs a TcpLens application image on its own runtime with the launcher's class path and JVM options,
# opens the window on the live source (on a private Xvfb display when there is no DISPLAY) for a few
# seconds, then ends it (SIGTERM), recording the classes it loaded in <image>/lib/app/tcplens.classlist.
# Step 2 is on the installing machine: the package's postinst dumps the archive lib/app/tcplens.jsa from
# that list (packaging/linux/cds-dump.sh, copied into the image) and the launcher maps it
# (-XX:SharedArchiveFile=$APPDIR/tcplens.jsa, packaging/linux/app-image.args). It cannot be dumped here:
# a CDS archive is valid only for jars with the very modification times it saw, and jpackage gives
# the packaged jars new ones. A trial dump here checks that the list and the options work.
# Without a display or Xvfb it trains on the command line (`counts`).
# The window runs until the app logs its first frame, then SECONDS more (polls, views, charts).
# Usage: train-cds.sh IMAGE_DIR [SECONDS]
set -euo pipefail
image=${1:?usage: train-cds.sh IMAGE_DIR [SECONDS]}
seconds=${2:-6}
here=$(cd "$(dirname "$0")" && pwd)
app="$image/lib/app"
java="$image/lib/runtime/bin/java"
classlist="$app/tcplens.classlist"
[ -x "$java" ] || { echo "train-cds: no runtime in $image" >&2; exit 2; }
cfg=$(ls "$app"/*.cfg | head -n 1)

# the launcher's settings, read from its .cfg ($APPDIR is the app folder)
mainclass=$(sed -n 's/^app\.mainclass=//p' "$cfg")
classpath=$(sed -n 's/^app\.classpath=//p' "$cfg" | sed "s|\$APPDIR|$app|g" | paste -sd: -)
opts=()
while IFS= read -r line; do
  case "$line" in *SharedArchiveFile*|-Xshare*|-Xlog*) continue ;; esac
  opts+=("$line")
done < <(sed -n 's/^java-options=//p' "$cfg" | sed "s|\$APPDIR|$app|g")

# jlink's default archive is not used (the launcher names its own): 28 MB saved
rm -f "$image/lib/runtime/lib/server/classes.jsa" "$image/lib/runtime/lib/server/classes_nocoops.jsa"

rm -f "$classlist"
cmd=("$java" "${opts[@]}" -Xshare:off -XX:DumpLoadedClassList="$classlist" -Xlog:disable -Xlog:all=error:stderr
     -Dtcplens.prefs.node=tcplens-cds-training -cp "$classpath" "$mainclass")

log=$(mktemp)
xvfb_pid=""
cleanup() { [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; rm -f "$log" "$app/tcplens.jsa"; }
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ] && command -v Xvfb >/dev/null; then
  n=91
  while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  export DISPLAY=":$n"
  for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
fi
if [ -n "${DISPLAY:-}" ]; then
  echo "train-cds: window on the live source until its first frame + ${seconds}s (DISPLAY=$DISPLAY)"
  "${cmd[@]}" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q 'first frame' "$log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  sleep "$seconds"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
else
  echo "train-cds: no display and no Xvfb: training on \`counts\`"
  "${cmd[@]}" counts >"$log" 2>&1 || true
fi
if ! grep -q '^io/tcplens/' "$classlist" 2>/dev/null; then
  echo "train-cds: no class list written; output of the training run:" >&2
  cat "$log" >&2
  exit 1
fi

# trial: dump as the postinst will, then start as the launcher does: not a word on stderr
cp "$here/cds-dump.sh" "$app/cds-dump.sh"
chmod 755 "$app/cds-dump.sh"
sh "$app/cds-dump.sh" "$image"
check=$("$java" "${opts[@]}" -XX:SharedArchiveFile="$app/tcplens.jsa" -Xshare:on -Xlog:disable -Xlog:all=warning:stderr \
          -cp "$classpath" "$mainclass" --version 2>&1 >/dev/null || true)
if [ -n "$check" ]; then
  echo "train-cds: the launcher's options do not map the trial archive cleanly:" >&2
  echo "$check" >&2
  exit 1
fi
echo "train-cds: $(grep -c . "$classlist") classes listed; trial archive $(du -h "$app/tcplens.jsa" | cut -f1) maps"
