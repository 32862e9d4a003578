#!/usr/bin/env bash
# Package dist/ShopRec.app (from `pyinstaller build/shoprec.spec`) into a drag-to-Applications dmg:
#   bash build/macos/make_dmg.sh            -> dist/installers/ShopRec-<version>-macos-arm64.dmg
# Signing: with SHOPREC_CODESIGN_IDENTITY set ("Developer ID Application: ...", its certificate in
# a keychain: CI imports it) every Mach-O file in the app is signed, inside out, with the hardened
# runtime and a timestamp, then the app itself - never with --deep, which signs nested code with
# the wrong options. With SHOPREC_NOTARY_PROFILE also set (a `xcrun notarytool store-credentials`
# profile; SHOPREC_NOTARY_KEYCHAIN names its keychain when not the default one) the dmg is signed,
# notarized and stapled. Without them the app keeps PyInstaller's ad-hoc signature (fine for
# testing; Gatekeeper asks the user to confirm).
set -euo pipefail
cd "$(dirname "$0")/../.."

APP="dist/ShopRec.app"
CLI_NAME=$(python3 build/bundle.py --cli-name)
[ -d "$APP" ] || { echo "make_dmg: $APP not found; run pyinstaller build/shoprec.spec first" >&2; exit 1; }
[ -x "$APP/Contents/MacOS/ShopRec" ] || { echo "make_dmg: $APP has no ShopRec executable" >&2; exit 1; }
[ -L "$APP/Contents/MacOS/$CLI_NAME" ] || { echo "make_dmg: $APP has no Contents/MacOS/$CLI_NAME" >&2; exit 1; }
[ "$(uname -m)" = "arm64" ] || { echo "make_dmg: Apple Silicon (arm64) only; see build/README.md" >&2; exit 1; }
VERSION=$(python3 build/bundle.py --version)
OUT="dist/installers/ShopRec-${VERSION}-macos-arm64.dmg"
ENTITLEMENTS=build/macos/entitlements.plist
mkdir -p dist/installers

sign() {
    codesign --force --options runtime --timestamp --entitlements "$ENTITLEMENTS" \
        --sign "$SHOPREC_CODESIGN_IDENTITY" "$1"
}

if [ -n "${SHOPREC_CODESIGN_IDENTITY:-}" ]; then
    # 1. every Mach-O file (libraries, Python extensions, Qt's framework binaries), deepest first
    find "$APP/Contents" -type f -print0 | xargs -0 file | grep -E "Mach-O" | cut -d: -f1 \
        | awk -F/ '{ print NF "\t" $0 }' | sort -rn | cut -f2- | while IFS= read -r binary; do
        sign "$binary"
    done
    # 2. framework bundles (Qt), deepest first, so each seals its signed contents
    find "$APP/Contents" -type d -name "*.framework" | awk -F/ '{ print NF "\t" $0 }' | sort -rn \
        | cut -f2- | while IFS= read -r framework; do
        sign "$framework"
    done
    # 3. the app (its main program and resources); the CLI is a link to the same program
    sign "$APP"
    codesign --verify --strict --verbose=2 "$APP"
fi

STAGING=$(mktemp -d)
trap 'rm -rf "$STAGING"' EXIT
cp -R "$APP" "$STAGING/"
ln -s /Applications "$STAGING/Applications"
rm -f "$OUT"
hdiutil create -volname "ShopRec ${VERSION}" -srcfolder "$STAGING" -ov -format UDZO "$OUT"

if [ -n "${SHOPREC_CODESIGN_IDENTITY:-}" ] && [ -n "${SHOPREC_NOTARY_PROFILE:-}" ]; then
    codesign --force --timestamp --sign "$SHOPREC_CODESIGN_IDENTITY" "$OUT"
    xcrun notarytool submit "$OUT" --keychain-profile "$SHOPREC_NOTARY_PROFILE" \
        ${SHOPREC_NOTARY_KEYCHAIN:+--keychain "$SHOPREC_NOTARY_KEYCHAIN"} --wait
    xcrun stapler staple "$OUT"
    xcrun stapler validate "$OUT"
    spctl --assess --type open --context context:primary-signature --verbose "$OUT"
fi
echo "$OUT"
