"""Why an item is on a customer's list, as a code that any front end can say in its language.

A reason is a code plus, for most codes, the history item it names. The core stores both with
every list line (``run_lists.reason_code`` / ``reason_item``) and an English text for files
and terminals; the desktop says the code through Qt's translations, and exports can be written
in Simplified Chinese (:func:`render` with ``language="zh_CN"``).

Every code is a true statement about this customer:

- ``popular``: the strategy had nothing personal to go on for the item (no history, or scores
  tied), so the item is there because it sells well in the shop;
- ``again_<type>``: the item itself is in the customer's history (a repeat purchase, an item
  they viewed, carted, saved or rated) - never a returned one;
- ``because_<type>``: an item the customer bought/viewed/carted/saved/rated that raised this
  item's score (the strategy's own explanation) or that other customers took together with it;
- ``strategy``: a plugin strategy's reason in its own words, about an item of the customer's
  history that raised the score (kept as the plugin wrote it: only it knows its words).
"""

from __future__ import annotations

POPULAR = "popular"
#: A third-party strategy's reason in its own words (stored as text; said as it is).
STRATEGY = "strategy"

#: Event types a reason may name, as code suffixes (refunds never: returning X is no reason).
#: (Names, not type codes: this module stays light enough for `shoprec export --help`.)
REASON_TYPE_NAMES: tuple[str, ...] = ("purchase", "view", "cart", "fav", "rating")
#: Which event type a reason names when a customer did several things with one item.
TYPE_STRENGTH = ("purchase", "rating", "cart", "fav", "view")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        POPULAR: "popular in the shop right now",
        "again_purchase": "you buy this again from time to time",
        "again_view": "you looked at this recently",
        "again_cart": "you put this in your cart",
        "again_fav": "you saved this",
        "again_rating": "you rated this",
        "because_purchase": "because you bought {item}",
        "because_view": "because you looked at {item}",
        "because_cart": "because you put {item} in your cart",
        "because_fav": "because you saved {item}",
        "because_rating": "because you rated {item}",
    },
    "zh_CN": {
        POPULAR: "本店近期热销",
        "again_purchase": "您会定期回购这件商品",
        "again_view": "您最近看过这件商品",
        "again_cart": "您把它加入过购物车",
        "again_fav": "您收藏过这件商品",
        "again_rating": "您评价过这件商品",
        "because_purchase": "因为您购买了 {item}",
        "because_view": "因为您看过 {item}",
        "because_cart": "因为您把 {item} 加入了购物车",
        "because_fav": "因为您收藏了 {item}",
        "because_rating": "因为您评价了 {item}",
    },
}
LANGUAGES: tuple[str, ...] = tuple(TEXTS)


def render(code: str, item_title: str = "", language: str = "en") -> str:
    """The reason in words; "" for an unknown code (an older run stored only its text)."""
    table = TEXTS.get(language) or TEXTS["en"]
    template = table.get(code) or TEXTS["en"].get(code)
    if template is None:
        return ""
    return template.format(item=item_title)
