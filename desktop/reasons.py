"""Why an item is on a list, in the user's language: one function for every view.

The core stores each list line's reason. Once it stores a reason *code* and the history item the
reason names, :func:`reason_text` maps the code to a sentence with that item's title; until then
(and for lists stored before) the stored English sentence is read: its known shapes map to the
same codes, anything else is shown as stored.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

#: reason code -> sentence; %1 is the history item's title where the reason names one
CODES: dict[str, str] = {
    "bought": QT_TRANSLATE_NOOP("Reasons", "because you bought %1"),
    "viewed": QT_TRANSLATE_NOOP("Reasons", "because you looked at %1"),
    "cart": QT_TRANSLATE_NOOP("Reasons", "because you put %1 in your cart"),
    "saved": QT_TRANSLATE_NOOP("Reasons", "because you saved %1"),
    "rated": QT_TRANSLATE_NOOP("Reasons", "because you rated %1"),
    "returned": QT_TRANSLATE_NOOP("Reasons", "because you returned %1"),
    "chose": QT_TRANSLATE_NOOP("Reasons", "because you chose %1"),
    "similar": QT_TRANSLATE_NOOP("Reasons", "similar to %1, which you chose"),
    "again_purchase": QT_TRANSLATE_NOOP("Reasons", "you buy this again from time to time"),
    "again_view": QT_TRANSLATE_NOOP("Reasons", "you looked at this recently"),
    "again_cart": QT_TRANSLATE_NOOP("Reasons", "you put this in your cart"),
    "again_fav": QT_TRANSLATE_NOOP("Reasons", "you saved this"),
    "again_rating": QT_TRANSLATE_NOOP("Reasons", "you rated this"),
    "again": QT_TRANSLATE_NOOP("Reasons", "you chose it before"),
    "because_purchase": QT_TRANSLATE_NOOP("Reasons", "because you bought %1"),
    "because_view": QT_TRANSLATE_NOOP("Reasons", "because you looked at %1"),
    "because_cart": QT_TRANSLATE_NOOP("Reasons", "because you put %1 in your cart"),
    "because_fav": QT_TRANSLATE_NOOP("Reasons", "because you saved %1"),
    "because_rating": QT_TRANSLATE_NOOP("Reasons", "because you rated %1"),
    "popular": QT_TRANSLATE_NOOP("Reasons", "popular in the shop right now"),
    "popular_like_you": QT_TRANSLATE_NOOP("Reasons", "popular with customers like you"),
    "popular_chosen": QT_TRANSLATE_NOOP("Reasons", "popular: chosen by %1 customers"),
    "new": QT_TRANSLATE_NOOP("Reasons", "new in the shop"),
    "no_text": QT_TRANSLATE_NOOP("Reasons", "this product has no text to compare"),
}

_VERB_CODES = {"bought": "bought", "viewed": "viewed", "added to your cart": "cart",
               "saved": "saved", "rated": "rated", "returned": "returned", "chose": "chose"}
_FIXED = {
    "you buy this again from time to time": "again_purchase",
    "you looked at this recently": "again_view",
    "you put this in your cart": "again_cart",
    "you saved this": "again_fav",
    "you rated this": "again_rating",
    "you chose it before": "again",
    "popular with other customers right now": "popular",
    "popular in the shop right now": "popular",
    "popular with customers like you": "popular_like_you",
    "new in the shop": "new",
    "this product has no text to compare": "no_text",
}
_BECAUSE = re.compile(r"^because you (bought|viewed|added to your cart|saved|rated|returned|chose) (.+)$")
_SIMILAR = re.compile(r"^similar to (.+), which you \w+(?: [\w ]+)?$")
_POPULAR = re.compile(r"^popular: chosen by ([\d,]+) customers?$")


def reason_text(code: str | None, item_title: str = "", stored: str = "") -> str:
    """The sentence for reason ``code`` naming ``item_title``; without a code, the stored
    English sentence is parsed into one (and shown unchanged when its shape is unknown)."""
    if not code:
        from .i18n import current

        if current() == "en":
            return stored  # the stored sentence is already the English one
        code, item_title = parse(stored)
    if code is None or code not in CODES:
        return stored
    text = QCoreApplication.translate("Reasons", CODES[code])
    return text.replace("%1", item_title) if "%1" in text else text


def parse(stored: str) -> tuple[str | None, str]:
    """(code, item title) of a stored English reason, or (None, "")."""
    text = (stored or "").strip()
    if text in _FIXED:
        return _FIXED[text], ""
    m = _BECAUSE.match(text)
    if m:
        return _VERB_CODES[m.group(1)], m.group(2)
    m = _SIMILAR.match(text)
    if m:
        return "similar", m.group(1)
    m = _POPULAR.match(text)
    if m:
        return "popular_chosen", m.group(1)
    return None, ""
