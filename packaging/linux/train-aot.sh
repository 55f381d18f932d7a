#!/usr/bin/env bash
# JDK AOT cache for the Linux packages, build side (called by `mvn -Pinstaller package`, issue 13).
# The cache itself is made on the installing machine by the package's postinst
# (lib/app/tcplens-aot.sh, from packaging/linux/input): a cache is valid only for the very jars (paths,
# sizes, modification times) it saw, and jpackage and the installation give the jars new ones.
# Here: a trial of that script on the application image (a headless training run, no display needed),
# so that a training that no longer works fails the build, not silently every install; the trial
# cache is then removed. jlink's default CDS archive is dropped (the launcher names its own cache).
# Usage: train-aot.sh IMAGE_DIR
set -euo pipefail
image=${1:?usage: train-aot.sh IMAGE_DIR}
app="$image/lib/app"
[ -x "$image/lib/runtime/bin/java" ] || { echo "train-aot: no runtime in $image" >&2; exit 2; }
rm -f "$image/lib/runtime/lib/server/classes.jsa" "$image/lib/runtime/lib/server/classes_nocoops.jsa"
t0=$(date +%s)
sh "$app/tcplens-aot.sh" "$image"
echo "train-aot: trial cache $(du -h "$app/tcplens.aot" | cut -f1) made and mapped in $(( $(date +%s) - t0 )) s; removed (the postinst makes the real one)"
rm -f "$app/tcplens.aot"
