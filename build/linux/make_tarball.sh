#!/usr/bin/env bash
# Package dist/ShopRec (from `pyinstaller build/shoprec.spec`) as a tarball with a desktop entry:
#   bash build/linux/make_tarball.sh   -> dist/installers/ShopRec-<version>-linux-<arch>.tar.gz
# Unpack anywhere and run ./ShopRec/ShopRec (app) or ./ShopRec/shoprec (command line);
# ./ShopRec/install-desktop-entry.sh adds it to the applications menu.
set -euo pipefail
cd "$(dirname "$0")/../.."

DIST="dist/ShopRec"
[ -x "$DIST/shoprec" ] || { echo "make_tarball: $DIST/shoprec not found; run pyinstaller build/shoprec.spec first" >&2; exit 1; }
VERSION=$(python3 build/bundle.py --version)
OUT="dist/installers/ShopRec-${VERSION}-linux-$(uname -m).tar.gz"
mkdir -p dist/installers
if [ -f build/pyinstaller-work/icon-1024.png ]; then cp build/pyinstaller-work/icon-1024.png "$DIST/shoprec.png"; fi
cat > "$DIST/install-desktop-entry.sh" <<'SH'
#!/usr/bin/env bash
# Adds ShopRec to the applications menu of the current user.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$HOME/.local/share/applications"
cat > "$HOME/.local/share/applications/shoprec.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=ShopRec
Comment=Offline recommendations for small shops
Exec="$here/ShopRec" %f
Icon=$here/shoprec.png
Terminal=false
Categories=Office;Finance;
MimeType=application/x-shoprec-workspace;
DESKTOP
echo "ShopRec added to your applications menu."
SH
chmod +x "$DIST/install-desktop-entry.sh"
tar -C dist -czf "$OUT" ShopRec
echo "$OUT"
