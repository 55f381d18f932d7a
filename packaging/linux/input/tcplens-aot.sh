#!/bin/sh
# JDK AOT cache for an installed TcpLens (issue 13): made on the installing machine by the package's
# postinst, so that it matches the installed jars, runtime and launcher options exactly (a cache is
# valid only for the very jars - paths, sizes, times - and module options it was made with).
# One training run of the window on JavaFX's headless platform (no display needed), with the
# launcher's class path and JVM options, in a temporary home (nothing left in root's), that ends
# after its first poll; then a check that the launcher's options map the cache (-XX:AOTMode=on
# refuses to start otherwise) before it goes to lib/app/tcplens.aot. The launcher names the cache with
# -Xlog:aot*=off: a missing or unusable cache means a slower start, never a failed one or a message.
# Usage: tcplens-aot.sh [INSTALL_DIR]     (default /opt/tcplens)
set -e
root=${1:-/opt/tcplens}
app="$root/lib/app"
java="$root/lib/runtime/bin/java"
cfg="$app/TcpLens.cfg"
cache="$app/tcplens.aot"
[ -x "$java" ] && [ -f "$cfg" ] || { echo "tcplens-aot: no TcpLens in $root" >&2; exit 1; }

mainclass=$(sed -n 's/^app\.mainclass=//p' "$cfg")
classpath=$(sed -n 's/^app\.classpath=//p' "$cfg" | sed "s|\$APPDIR|$app|g" | paste -sd: -)
# the launcher's JVM options, less the cache and logging ones (none of them contains a space)
opts=$(sed -n 's/^java-options=//p' "$cfg" | grep -v -e 'AOTCache' -e '^-Xlog' | sed "s|\$APPDIR|$app|g")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f "$cache"
# shellcheck disable=SC2086
if ! HOME="$tmp" timeout 300 "$java" $opts -XX:AOTCacheOutput="$tmp/tcplens.aot" \
    -Dglass.platform=Headless -Dprism.order=sw -Djava.awt.headless=true \
    -Duser.home="$tmp" -Djava.util.prefs.userRoot="$tmp/prefs" -Dtcplens.prefs.node=tcplens-aot-training \
    -Dtcplens.exitAfterFirstPoll=true -cp "$classpath" "$mainclass" >"$tmp/training.log" 2>&1 \
   || [ ! -s "$tmp/tcplens.aot" ]; then
  echo "tcplens-aot: the training run made no cache; its last lines:" >&2
  tail -n 5 "$tmp/training.log" >&2
  exit 1
fi
# shellcheck disable=SC2086
if ! "$java" $opts -XX:AOTCache="$tmp/tcplens.aot" -XX:AOTMode=on -Xlog:disable -cp "$classpath" "$mainclass" --version >/dev/null 2>&1; then
  echo "tcplens-aot: the launcher's options do not map the cache" >&2
  exit 1
fi
install -m 644 "$tmp/tcplens.aot" "$cache"
