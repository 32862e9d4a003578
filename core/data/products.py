"""Variants grouped into the products a shop owner knows, even when the export names no parent.

A products export says which variant belongs to which product (``items.variant_of``). Order
exports often do not: Shopify writes each line as "Product - Variant" ("PawProof Throw Blanket -
Beige / Medium"), other platforms and spreadsheets append the option ("Hoodie (XL)", "Hoodie,
S", "Coffee 250g", "T恤 白色 L码"). :func:`product_keys` gives every item a product key:

- its parent when the catalogue names one;
- else the title's stem - the title without its option part - when at least two items share
  that stem (a lone "Dachshund Ice Tray - Single Ice Tray" stays its own product: nothing says
  what else would be a variant of it);
- else the item itself.

The option part is what follows the last " - " (Shopify's separator), or trailing sizes,
colours, amounts with a unit and bracketed options in English, French, German, Spanish and
Chinese. A bare number is never taken for an option: "Vol 3" and "iPhone 15" are products.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

import numpy as np

_SIZES = {
    "xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "2xl", "3xl", "4xl", "5xl", "small",
    "medium", "large", "x-large", "xx-large", "extra", "one", "size", "petite", "tall", "regular",
    "king", "queen", "twin", "full", "single", "double", "mini", "standard", "kids", "adult",
    "taille", "größe", "grösse", "talla", "klein", "mittel", "groß", "gross", "petit", "grand",
}
_COLOURS = {
    "black", "white", "red", "blue", "green", "yellow", "pink", "purple", "orange", "brown",
    "grey", "gray", "beige", "navy", "cream", "ivory", "gold", "silver", "natural", "tan",
    "khaki", "olive", "teal", "charcoal", "burgundy", "maroon", "turquoise", "mint", "coral",
    "rose", "sand", "camel", "espresso", "expresso", "multi", "multicolour", "multicolor",
    "noir", "blanc", "rouge", "bleu", "vert", "jaune", "gris", "schwarz", "weiß", "weiss",
    "rot", "blau", "grün", "gelb", "negro", "blanco", "rojo", "azul", "verde", "light", "dark",
}
_ZH_OPTION = re.compile(
    r"(?:(?<=\s)|(?<=[\u3400-\u9fff]))(?:[黑白红蓝绿黄粉紫橙棕灰米金银卡其藏青咖啡酒]+色|均码|大码|小码|加大|特大|"
    r"[\dA-Za-z]+码|[SMLX]{1,4}号?|\d+(?:\.\d+)?\s*(?:克|千克|公斤|斤|毫升|升|g|kg|ml|l|片|粒|包|袋|盒|支|瓶|罐|件|套))$",
    re.IGNORECASE,
)
_MEASURE = re.compile(
    r"^\d+(?:[.,]\d+)?\s*(?:g|gr|kg|mg|ml|cl|l|oz|lb|lbs|cm|mm|m|in|inch|\"|pack|pcs|pc|"
    r"count|ct|x\d+)$|^\d+x\d+(?:cm|mm|in)?$|^\d+-?pack$|^\d+(?:xl|x)$",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_BRACKETS = re.compile(r"\s*[(\[（【][^()\[\]（）【】]*[)\]）】]\s*$")
_TAIL_SPLIT = re.compile(r"\s*[,/|·]\s*|\s+")


def _is_option(token: str) -> bool:
    t = token.strip().casefold().strip(".:;")
    return bool(t) and (t in _SIZES or t in _COLOURS or bool(_MEASURE.match(t)))


def title_stem(title: str) -> str:
    """The title without its option part ("" when nothing is left or there is no option)."""
    text = unicodedata.normalize("NFKC", str(title or "")).strip()
    if not text:
        return ""
    if " - " in text:  # Shopify's "Product - Variant"
        stem = text.rsplit(" - ", 1)[0].strip(" -")
        return stem if stem and stem != text else ""
    stem = text
    for _ in range(4):  # "Hoodie, Black / XL (2 pack)": peel options off the end
        before = stem
        stem = _BRACKETS.sub("", stem) if _BRACKETS.search(stem) and _bracket_is_option(stem) else stem
        zh = _ZH_OPTION.search(stem) if _CJK.search(stem) else None
        if zh and zh.start() > 0:
            stem = stem[: zh.start()].rstrip(" ,/|·")
        parts = _TAIL_SPLIT.split(stem)
        while len(parts) > 1 and _is_option(parts[-1]):
            parts.pop()
        if len(parts) < len(_TAIL_SPLIT.split(stem)):
            # cut the original text at the start of the first option token peeled
            keep = len(parts)
            pieces = list(re.finditer(r"[^\s,/|·]+", stem))
            stem = stem[: pieces[keep].start()].rstrip(" ,/|·-") if keep < len(pieces) else stem
        if stem == before:
            break
    stem = stem.strip()
    return stem if stem and stem != text else ""


def _bracket_is_option(text: str) -> bool:
    inner = _BRACKETS.search(text).group(0).strip().strip("()[]（）【】")
    tokens = [t for t in _TAIL_SPLIT.split(inner) if t]
    return bool(tokens) and all(_is_option(t) or bool(_ZH_OPTION.fullmatch(t)) for t in tokens)


def product_keys(
    item_ids: Sequence[str], titles: Sequence[str], parents: Sequence[str]
) -> np.ndarray:
    """A product key per item (object array): ``"p:<parent or own id>"`` or ``"t:<stem>"``."""
    stems = [title_stem(t) if not p else "" for t, p in zip(titles, parents, strict=True)]
    shared = Counter(s.casefold() for s in stems if s)
    keys = []
    for own, parent, stem in zip(item_ids, parents, stems, strict=True):
        if not parent and stem and shared[stem.casefold()] >= 2:
            keys.append(f"t:{stem.casefold()}")
        else:  # a parent shares its key with its variants
            keys.append(f"p:{parent or own}")
    return np.array(keys, dtype=object)
