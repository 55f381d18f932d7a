#!/bin/sh
# AppCDS for the Linux packages, step 2 of 2: dumps the archive lib/app/tcplens.jsa of an installed
# TcpLens from the class list recorded at build time (packaging/linux/train-cds.sh), with the
# launcher's own class path and JVM options, so that it matches the jars as installed. Run by the
# package's postinst (and once by train-cds.sh as a trial). Usage: cds-dump.sh [INSTALL_DIR]
set -e
root=${1:-/opt/tcplens}
app="$root/lib/app"
java="$root/lib/runtime/bin/java"
cfg="$app/TcpLens.cfg"
[ -f "$app/tcplens.classlist" ] || { echo "cds-dump: no class list in $app" >&2; exit 1; }

classpath=$(sed -n 's/^app\.classpath=//p' "$cfg" | sed "s|\$APPDIR|$app|g" | paste -sd: -)
# the launcher's JVM options, less the CDS and logging ones (none of them contains a space)
opts=$(sed -n 's/^java-options=//p' "$cfg" | grep -v -e 'SharedArchiveFile' -e '^-Xshare' -e '^-Xlog' | sed "s|\$APPDIR|$app|g")

rm -f "$app/tcplens.jsa"
# shellcheck disable=SC2086
"$java" $opts -Xshare:dump -XX:SharedClassListFile="$app/tcplens.classlist" \
  -XX:SharedArchiveFile="$app/tcplens.jsa" -Xlog:disable -Xlog:all=error:stderr -cp "$classpath" >/dev/null
chmod 644 "$app/tcplens.jsa"
