#!/usr/bin/env bash
# Refresh the translation catalogue from the desktop's tr() strings, then compile it.
# Translate new entries (marked unfinished) in Qt Linguist (pyside6-linguist) or by hand first.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.venv/bin}
"$BIN/pyside6-lupdate" desktop/*.py desktop/tabs/*.py -ts resources/i18n/shoprec_zh_CN.ts \
    -source-language en -target-language zh_CN -no-obsolete
"$BIN/pyside6-lrelease" resources/i18n/shoprec_zh_CN.ts -qm resources/i18n/shoprec_zh_CN.qm
