#!/usr/bin/env bash
# Records the AppCDS archive of a TcpLens application image: runs the image's own runtime with the
# launcher's class path and JVM options, opens the window (under Xvfb when there is no display) on the
# live source for a few seconds, then ends it; the JVM writes the classes it loaded to
# <image>/lib/app/tcplens.jsa at exit. The launcher maps it (-XX:SharedArchiveFile=$APPDIR/tcplens.jsa,
# packaging/linux/app-image.args). Without any display it trains on the command line (`counts`).
# Usage: train-cds.sh IMAGE_DIR [SECONDS]     (called by `mvn -Pinstaller package`)
set -euo pipefail
image=${1:?usage: train-cds.sh IMAGE_DIR [SECONDS]}
seconds=${2:-8}
app="$image/lib/app"
java="$image/lib/runtime/bin/java"
cfg=$(ls "$app"/*.cfg | head -n 1)
archive="$app/tcplens.jsa"
[ -x "$java" ] || { echo "train-cds: no runtime in $image" >&2; exit 2; }

# the launcher's settings, read from its .cfg ($APPDIR is the app folder)
mainclass=$(sed -n 's/^app\.mainclass=//p' "$cfg")
classpath=$(sed -n 's/^app\.classpath=//p' "$cfg" | sed "s|\$APPDIR|$app|g" | paste -sd: -)
opts=()
while IFS= read -r line; do
  case "$line" in *SharedArchiveFile*|-Xshare*|-Xlog*) continue ;; esac
  opts+=("$line")
done < <(sed -n 's/^java-options=//p' "$cfg" | sed "s|\$APPDIR|$app|g")

rm -f "$archive"
cmd=("$java" "${opts[@]}" -XX:ArchiveClassesAtExit="$archive" -Xlog:disable -Xlog:all=error:stderr
     -Dtcplens.prefs.node=tcplens-cds-training -cp "$classpath" "$mainclass")

log=$(mktemp)
if [ -n "${DISPLAY:-}" ] || command -v xvfb-run >/dev/null; then
  echo "train-cds: window on the live source for ${seconds}s"
  wrap=()
  [ -z "${DISPLAY:-}" ] && wrap=(xvfb-run -a -s "-screen 0 1280x800x24")
  "${wrap[@]}" "${cmd[@]}" >"$log" 2>&1 &
  pid=$!
  sleep "$seconds"
  # SIGTERM ends the JVM through its normal exit path, which writes the archive
  pkill -TERM -f -- "-XX:ArchiveClassesAtExit=$archive" || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  wait "$pid" 2>/dev/null || true
else
  echo "train-cds: no display and no xvfb-run: training on \`counts\`"
  "${cmd[@]}" counts >"$log" 2>&1 || true
fi
if [ ! -s "$archive" ]; then
  echo "train-cds: no archive written; output of the training run:" >&2
  cat "$log" >&2
  exit 1
fi
rm -f "$log"
# the launcher's -XX:SharedArchiveFile must map it: a quick check with the command line
if "$java" "${opts[@]}" -XX:SharedArchiveFile="$archive" -Xshare:on -Xlog:disable -cp "$classpath" "$mainclass" --version >/dev/null 2>&1 \
   || "$java" "${opts[@]}" -XX:SharedArchiveFile="$archive" -Xshare:on -Xlog:disable -cp "$classpath" "$mainclass" >/dev/null 2>&1; then
  echo "train-cds: $(du -h "$archive" | cut -f1) archive $archive maps"
else
  echo "train-cds: $archive does not map (-Xshare:on failed)" >&2
  exit 1
fi
# the 'no compressed oops' base archive is only used with heaps above 32 GB; not worth 14 MB here
rm -f "$image/lib/runtime/lib/server/classes_nocoops.jsa"
