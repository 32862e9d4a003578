#!/usr/bin/env bash
# Package dist/ShopRec (from `pyinstaller build/shoprec.spec`) as a tarball with a desktop entry:
#   bash build/linux/make_tarball.sh   -> dist/installers/ShopRec-<version>-linux-<arch>.tar.gz
# Unpack anywhere and run ./ShopRec/ShopRec (the app) or ./ShopRec/shoprec-cli (the command line);
# ./ShopRec/install-desktop-entry.sh adds ShopRec to the applications menu, makes .shoprec files
# a type of their own (shared-mime-info) that opens in ShopRec on a double-click, and links
# shoprec-cli into ~/.local/bin.
set -euo pipefail
cd "$(dirname "$0")/../.."

DIST="dist/ShopRec"
CLI_NAME=$(python3 build/bundle.py --cli-name)
[ -x "$DIST/ShopRec" ] && [ -x "$DIST/$CLI_NAME" ] \
    || { echo "make_tarball: $DIST/ShopRec or $DIST/$CLI_NAME not found; run pyinstaller build/shoprec.spec first" >&2; exit 1; }
VERSION=$(python3 build/bundle.py --version)
OUT="dist/installers/ShopRec-${VERSION}-linux-$(uname -m).tar.gz"
mkdir -p dist/installers
if [ -f build/pyinstaller-work/icon-1024.png ]; then cp build/pyinstaller-work/icon-1024.png "$DIST/shoprec.png"; fi
cat > "$DIST/shoprec-workspace.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="application/x-shoprec-workspace">
    <comment>ShopRec workspace</comment>
    <comment xml:lang="zh_CN">ShopRec 工作区</comment>
    <glob pattern="*.shoprec"/>
    <sub-class-of type="application/vnd.sqlite3"/>
  </mime-type>
</mime-info>
XML
cat > "$DIST/install-desktop-entry.sh" <<'SH'
#!/usr/bin/env bash
# Adds ShopRec to the current user's applications menu, registers .shoprec workspace files (they
# open in ShopRec on a double-click) and links the command line into ~/.local/bin.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$data/applications" "$data/mime/packages" "$HOME/.local/bin"
cp "$here/shoprec-workspace.xml" "$data/mime/packages/shoprec-workspace.xml"
cat > "$data/applications/shoprec.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=ShopRec
Comment=Offline recommendations for small shops
Comment[zh_CN]=小店铺的离线推荐
Exec="$here/ShopRec" %f
Icon=$here/shoprec.png
Terminal=false
Categories=Office;Finance;
MimeType=application/x-shoprec-workspace;
DESKTOP
ln -sf "$here/shoprec-cli" "$HOME/.local/bin/shoprec-cli"
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v xdg-mime >/dev/null && xdg-mime default shoprec.desktop application/x-shoprec-workspace || true
echo "ShopRec added to your applications menu; .shoprec files open in it; shoprec-cli is in ~/.local/bin."
SH
chmod +x "$DIST/install-desktop-entry.sh"
tar -C dist -czf "$OUT" ShopRec
echo "$OUT"
