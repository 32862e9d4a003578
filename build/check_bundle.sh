#!/usr/bin/env bash
# Build the Linux bundle from a clean checkout with the lock, then prove it works as a shop owner
# would run it: frozen, with the network removed (unshare -n) and an empty HOME.
#   bash build/check_bundle.sh [WORK_FOLDER]        (default: a new folder under /tmp)
# Steps: a clean copy of the committed tree (git archive HEAD); a fresh venv with torch
# (build/requirements-torch.txt) and the lock (build/requirements-lock.txt, --require-hashes);
# PyInstaller; then, offline: shoprec-cli --bundle-check, the demo shop with the transformer, a
# 200,000-row import (large enough for the importer's parser process), and the desktop program
# under Xvfb until its window is visible. Prints the bundle's size, the build time, the command
# line's start-up time and the time to the window; exits non-zero when any step fails.
# Needs: git, python3.11 with venv, unshare (root, or user namespaces), Xvfb and xdotool
# (Debian: apt-get install xvfb xdotool). SHOPREC_TORCH_INDEX: an index for the CPU build of torch
# (e.g. https://download.pytorch.org/whl/cpu) where pip's default would take a CUDA build.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${1:-$(mktemp -d /tmp/shoprec-check-XXXXXX)}
PY=${PYTHON:-python3.11}
SRC="$WORK/src"
VENV="$WORK/venv"
HOME_EMPTY="$WORK/home"
LOG="$WORK/log"
mkdir -p "$WORK" "$LOG"
fails=0
say() { printf '%s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
fail() { say "FAILED: $*"; fails=$((fails + 1)); }
now() { date +%s.%N; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$2"; }
# frozen, offline, with an empty home: nothing of this machine's set-up can help the app
offline() {
    env -i PATH=/usr/bin:/bin HOME="$HOME_EMPTY" LANG=C.UTF-8 TMPDIR="$WORK/tmp" \
        ${DISPLAY:+DISPLAY=$DISPLAY} unshare -n -- "$@"
}
for tool in git unshare Xvfb xdotool "$PY"; do
    command -v "$tool" >/dev/null || { say "check_bundle: $tool not found (see the comment at the top)"; exit 2; }
done

step "clean checkout of $(git -C "$ROOT" rev-parse --short HEAD) into $SRC"
[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ] \
    || say "(uncommitted changes in $ROOT are not part of this build)"
rm -rf "$SRC" && mkdir -p "$SRC"
git -C "$ROOT" archive HEAD | tar -x -C "$SRC"

step "venv with the locked dependencies"
t0=$(now)
rm -rf "$VENV"
"$PY" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --quiet)
"${PIP[@]}" install --no-deps -r "$SRC/build/requirements-torch.txt" ${SHOPREC_TORCH_INDEX:+--index-url "$SHOPREC_TORCH_INDEX"}
"${PIP[@]}" install --require-hashes --no-deps -r "$SRC/build/requirements-lock.txt"
"${PIP[@]}" install --no-deps --no-build-isolation "$SRC"
"${PIP[@]}" check
t1=$(now)
say "installed in $(secs "$t0" "$t1") s"

step "PyInstaller"
cd "$SRC"
"$VENV/bin/python" build/make_icons.py >/dev/null
t2=$(now)
"$VENV/bin/pyinstaller" build/shoprec.spec --noconfirm --log-level WARN \
    --workpath "$SRC/build/pyinstaller-work" --distpath "$SRC/dist" > "$LOG/pyinstaller.log" 2>&1 \
    || { tail -30 "$LOG/pyinstaller.log"; say "FAILED: PyInstaller"; exit 1; }
t3=$(now)
build_s=$(secs "$t2" "$t3")
APP="$SRC/dist/ShopRec"
CLI="$APP/shoprec-cli"
size_mb=$(du -sm "$APP" | cut -f1)
files=$(find "$APP" -type f | wc -l)
say "built in $build_s s: $APP, $size_mb MB unpacked, $files files"
du -sm "$APP"/_internal/* 2>/dev/null | sort -rn | head -8 | sed 's/^/    /'
bash build/linux/make_tarball.sh > "$LOG/tarball.log"
tarball=$(tail -1 "$LOG/tarball.log")
tar_mb=$(du -sm "$tarball" | cut -f1)
say "tarball: $tarball, $tar_mb MB"
[ "$size_mb" -le 1024 ] || fail "the bundle is $size_mb MB unpacked, more than 1.0 GB"

rm -rf "$HOME_EMPTY" "$WORK/tmp" && mkdir -p "$HOME_EMPTY" "$WORK/tmp"
step "command line start-up (offline, empty HOME)"
for args in "--version" "--help" "train --help" "import --help"; do
    a=$(now)
    # shellcheck disable=SC2086
    offline "$CLI" $args > "$LOG/cli.out" 2>&1 || fail "shoprec-cli $args"
    b=$(now)
    say "    shoprec-cli $args: $(secs "$a" "$b") s"
done
offline "$APP/ShopRec" --version | grep -q "^ShopRec " || fail "ShopRec --version"

step "bundle check (offline, empty HOME)"
a=$(now)
offline "$CLI" --bundle-check > "$LOG/bundle-check.out" 2>&1 && ok=1 || ok=0
b=$(now)
cat "$LOG/bundle-check.out"
[ "$(wc -l < "$LOG/bundle-check.out")" -eq 1 ] || fail "the bundle check printed more than one line"
[ "$ok" = 1 ] || fail "bundle check"
say "    ($(secs "$a" "$b") s)"

step "demo shop with the transformer (offline, empty HOME)"
a=$(now)
offline "$CLI" demo --terminal --strategy transformer --customers 400 --folder "$HOME_EMPTY/demo" \
    > "$LOG/demo.out" 2>&1 && ok=1 || ok=0
b=$(now)
grep -E "Training|run [0-9]+ stored|rows$|Done in|Error|FAILED" "$LOG/demo.out" | sed 's/^/    /' || true
[ "$ok" = 1 ] || { tail -5 "$LOG/demo.out"; fail "demo"; }
grep -q "Training transformer" "$LOG/demo.out" || fail "the demo did not train the transformer"
[ -s "$HOME_EMPTY/demo/exports/recommendations.csv" ] || fail "the demo wrote no recommendations.csv"
say "    ($(secs "$a" "$b") s)"

step "200,000-row import through the parser process (offline, empty HOME)"
python3 - "$WORK/big.csv" <<'PY'
import random, sys
rng = random.Random(7)
words = "enamel cast iron skillet linen napkin ceramic mug oak board copper kettle wool throw".split()
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    f.write("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n")
    for i in range(200_000):
        item = rng.randrange(3000)
        title = " ".join(words[(item * k) % len(words)] for k in range(1, 6)).upper()
        f.write(f"{540000 + i // 4},{10000 + item},{title} NO {item},{rng.randint(1, 12)},"
                f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/2011 {rng.randint(8, 19)}:{rng.randint(10, 59)},"
                f"{rng.randint(50, 5000) / 100:.2f},{12000 + rng.randrange(20000)},United Kingdom\n")
PY
say "    $(du -m "$WORK/big.csv" | cut -f1) MB file"
: > "$LOG/parser-seen"
( while [ ! -e "$LOG/import-done" ]; do
      pgrep -f -- "--shoprec-import-parser" >/dev/null && echo yes > "$LOG/parser-seen"
      sleep 0.2
  done ) &
watcher=$!
a=$(now)
offline "$CLI" --workspace "$HOME_EMPTY/big.shoprec" import "$WORK/big.csv" > "$LOG/import.out" 2>&1 \
    && ok=1 || ok=0
b=$(now)
touch "$LOG/import-done"; wait "$watcher" || true
sed 's/^/    /' "$LOG/import.out" | tail -3
[ "$ok" = 1 ] || fail "import"
grep -q "200000 rows read\|200,000 rows read" "$LOG/import.out" || grep -q "200000" "$LOG/import.out" \
    || fail "the import did not read 200,000 rows"
[ -s "$LOG/parser-seen" ] && say "    the parser process ran" || fail "no parser process was seen"
say "    ($(secs "$a" "$b") s)"

step "desktop program under Xvfb until its window is visible (offline, empty HOME)"
Xvfb :87 -screen 0 1600x1000x24 -nolisten tcp > "$LOG/xvfb.log" 2>&1 &
xvfb=$!
export DISPLAY=:87
for _ in $(seq 1 100); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.2; done
a=$(now)
offline "$APP/ShopRec" "$HOME_EMPTY/demo/demo.shoprec" > "$LOG/window.out" 2>&1 &
app=$!
seen=""
for _ in $(seq 1 600); do
    if xdotool search --onlyvisible --name "ShopRec" >/dev/null 2>&1; then seen=1; break; fi
    kill -0 "$app" 2>/dev/null || break
    sleep 0.1
done
b=$(now)
if [ -n "$seen" ]; then
    window_s=$(secs "$a" "$b")
    say "    window visible after $window_s s: $(xdotool search --onlyvisible --name ShopRec getwindowname | head -1)"
else
    window_s="-"
    tail -5 "$LOG/window.out"; fail "no ShopRec window within 60 s"
fi
kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true
kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true
unset DISPLAY

step "summary"
say "bundle: $size_mb MB unpacked ($files files), tarball $tar_mb MB; venv ${VENV} installed in $(secs "$t0" "$t1") s; PyInstaller $build_s s; window $window_s s"
if [ "$fails" -gt 0 ]; then say "check_bundle: $fails step(s) FAILED (logs in $LOG)"; exit 1; fi
say "check_bundle: all steps passed (logs in $LOG)"
