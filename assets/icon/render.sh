#!/usr/bin/env bash
# Regenerates every raster form of the TcpLens icon from the SVG sources beside this script:
#   assets/icon/png/tcplens-<N>.png        N = 16 24 32 48 64 128 256 512 1024
#   packaging/linux/resources/TcpLens.png   (512 px, jpackage --icon on Linux and the menu entry)
#   packaging/windows/tcplens.ico           (16…256 px; 256 stored as PNG)
#   packaging/macos/tcplens.icns            (16…1024 px)
#   src/main/resources/io/tcplens/app/icons/tcplens-<N>.png  (window icons, N = 16 32 48 64 128 256)
# Sizes up to 32 px come from tcplens-small.svg (less detail), the rest from tcplens.svg.
# Needs Debian's librsvg2-bin (rsvg-convert) and icoutils (icotool), and python3:
#   apt-get install -y librsvg2-bin icoutils
# The .icns is written here with PNG payloads, the layout Apple's own iconutil writes (libicns'
# png2icns stores the large sizes as JPEG 2000, which recent macOS versions render poorly).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
for tool in rsvg-convert icotool python3; do
  command -v "$tool" >/dev/null || { echo "render.sh: $tool not found (apt-get install -y librsvg2-bin icoutils python3)" >&2; exit 2; }
done

png="$here/png"
mkdir -p "$png" "$root/packaging/linux/resources" "$root/packaging/windows" "$root/packaging/macos" \
         "$root/src/main/resources/io/tcplens/app/icons"

for n in 16 24 32 48 64 128 256 512 1024; do
  src="$here/tcplens.svg"
  [ "$n" -le 32 ] && src="$here/tcplens-small.svg"
  rsvg-convert --width "$n" --height "$n" --keep-aspect-ratio "$src" -o "$png/tcplens-$n.png"
done

cp "$png/tcplens-512.png" "$root/packaging/linux/resources/TcpLens.png"

icotool --create --output="$root/packaging/windows/tcplens.ico" \
  "$png/tcplens-16.png" "$png/tcplens-24.png" "$png/tcplens-32.png" "$png/tcplens-48.png" \
  "$png/tcplens-64.png" "$png/tcplens-128.png" --raw="$png/tcplens-256.png"

# icns = "icns" + total length, then (OSType, length incl. 8-byte header, PNG bytes) per element
python3 - "$png" "$root/packaging/macos/tcplens.icns" <<'PY'
import struct, sys
png, out = sys.argv[1], sys.argv[2]
elements = [("icp4", 16), ("icp5", 32), ("ic11", 32), ("icp6", 64), ("ic12", 64), ("ic07", 128),
            ("ic08", 256), ("ic13", 256), ("ic09", 512), ("ic14", 512), ("ic10", 1024)]
body = b""
for ostype, n in elements:
    data = open(f"{png}/tcplens-{n}.png", "rb").read()
    body += ostype.encode("ascii") + struct.pack(">I", len(data) + 8) + data
open(out, "wb").write(b"icns" + struct.pack(">I", len(body) + 8) + body)
PY

for n in 16 32 48 64 128 256; do
  cp "$png/tcplens-$n.png" "$root/src/main/resources/io/tcplens/app/icons/tcplens-$n.png"
done
echo "render.sh: icons written under assets/icon/png, packaging/{linux,windows,macos} and src/main/resources/io/tcplens/app/icons"
