#!/usr/bin/env bash
# Package dist/ShopRec.app (from `pyinstaller build/shoprec.spec`) into a drag-to-Applications dmg:
#   bash build/macos/make_dmg.sh            -> dist/installers/ShopRec-<version>-macos-<arch>.dmg
# Signing: with SHOPREC_CODESIGN_IDENTITY set ("Developer ID Application: ...") the app is signed
# with the hardened runtime; with SHOPREC_NOTARY_PROFILE also set (a `xcrun notarytool
# store-credentials` profile) the dmg is notarized and stapled. Without them the app keeps
# PyInstaller's ad-hoc signature (fine for testing; Gatekeeper asks the user to confirm).
set -euo pipefail
cd "$(dirname "$0")/../.."

APP="dist/ShopRec.app"
[ -d "$APP" ] || { echo "make_dmg: $APP not found; run pyinstaller build/shoprec.spec first" >&2; exit 1; }
[ -x "$APP/Contents/MacOS/ShopRec" ] || { echo "make_dmg: $APP has no ShopRec executable" >&2; exit 1; }
VERSION=$(python3 build/bundle.py --version)
ARCH=$(uname -m)
OUT="dist/installers/ShopRec-${VERSION}-macos-${ARCH}.dmg"
mkdir -p dist/installers

if [ -n "${SHOPREC_CODESIGN_IDENTITY:-}" ]; then
    codesign --force --deep --options runtime --timestamp \
        --entitlements build/macos/entitlements.plist \
        --sign "$SHOPREC_CODESIGN_IDENTITY" "$APP"
    codesign --verify --deep --strict "$APP"
fi

STAGING=$(mktemp -d)
trap 'rm -rf "$STAGING"' EXIT
cp -R "$APP" "$STAGING/"
ln -s /Applications "$STAGING/Applications"
rm -f "$OUT"
hdiutil create -volname "ShopRec ${VERSION}" -srcfolder "$STAGING" -ov -format UDZO "$OUT"

if [ -n "${SHOPREC_CODESIGN_IDENTITY:-}" ] && [ -n "${SHOPREC_NOTARY_PROFILE:-}" ]; then
    codesign --force --sign "$SHOPREC_CODESIGN_IDENTITY" "$OUT"
    xcrun notarytool submit "$OUT" --keychain-profile "$SHOPREC_NOTARY_PROFILE" --wait
    xcrun stapler staple "$OUT"
fi
echo "$OUT"
