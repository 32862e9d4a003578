"""Plain words for what plugins name: strategies, their settings, exporters, import formats,
customer segments and setting choices — in the user's language.

Plugins describe themselves in English (and some in a researcher's words). The desktop shows a
shop owner's words instead, from the tables below, keyed by the plugin's own names; Qt translates
them like every other string (context ``Strategies``, ``Settings``, …). Anything not in a table —
a third-party plugin's strategy, say — falls back to the plugin's own English, so a plugin needs
no GUI code to appear.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

#: The strategy marked "recommended" in the Recommendations tab (when installed).
RECOMMENDED = "transformer"

#: name -> (plain title, one sentence a shop owner understands)
STRATEGIES: dict[str, tuple[str, str]] = {
    "transformer": (
        QT_TRANSLATE_NOOP("Strategies", "Next-purchase predictor"),
        QT_TRANSLATE_NOOP("Strategies", "Learns the order in which each customer shops and "
                                        "predicts what they will want next. The best lists; "
                                        "takes a few minutes to learn.")),
    "multitask": (
        QT_TRANSLATE_NOOP("Strategies", "Predictor using every signal"),
        QT_TRANSLATE_NOOP("Strategies", "The next-purchase predictor with extra signals "
                                        "(purchases after views, categories, ratings), used "
                                        "only where they prove better on your own customers; "
                                        "otherwise it is the next-purchase predictor.")),
    "blend": (
        QT_TRANSLATE_NOOP("Strategies", "Mix of all methods"),
        QT_TRANSLATE_NOOP("Strategies", "Combines the other methods, giving more weight to the "
                                        "ones that work best for your shop. Slowest to learn.")),
    "ease": (
        QT_TRANSLATE_NOOP("Strategies", "Shoppers like you"),
        QT_TRANSLATE_NOOP("Strategies", "Finds what customers with a similar basket chose. Quick "
                                        "and strong for catalogues up to about 40,000 products.")),
    "als": (
        QT_TRANSLATE_NOOP("Strategies", "Taste groups"),
        QT_TRANSLATE_NOOP("Strategies", "Sorts customers and products into tastes; suits very "
                                        "large catalogues.")),
    "itemknn": (
        QT_TRANSLATE_NOOP("Strategies", "Customers also bought"),
        QT_TRANSLATE_NOOP("Strategies", "Customers who bought one product also bought another; "
                                        "every suggestion names the product it comes from.")),
    "content": (
        QT_TRANSLATE_NOOP("Strategies", "Similar products"),
        QT_TRANSLATE_NOOP("Strategies", "For new products and customers with little history: "
                                        "suggests products whose name, category and description "
                                        "resemble what the customer bought, so new products "
                                        "count from day one.")),
    "bought_together": (
        QT_TRANSLATE_NOOP("Strategies", "Bought together"),
        QT_TRANSLATE_NOOP("Strategies", "Products often in the same order as what the customer "
                                        "bought lately.")),
    "popularity": (
        QT_TRANSLATE_NOOP("Strategies", "Best sellers"),
        QT_TRANSLATE_NOOP("Strategies", "What many customers chose lately, the same for everyone. "
                                        "Also used for customers with no history yet.")),
}

#: parameter name (or "strategy.parameter") -> (plain label, what changes for the shop)
SETTINGS: dict[str, tuple[str, str]] = {
    "half_life_days": (
        QT_TRANSLATE_NOOP("Settings", "Older activity counts half after (days)"),
        QT_TRANSLATE_NOOP("Settings", "After this many days a visit or purchase counts half as "
                                      "much. 0: every event counts the same.")),
    "view_weight": (
        QT_TRANSLATE_NOOP("Settings", "Weight of a product view"),
        QT_TRANSLATE_NOOP("Settings", "How much looking at a product counts compared with buying "
                                      "it.")),
    "d_model": (
        QT_TRANSLATE_NOOP("Settings", "Model size"),
        QT_TRANSLATE_NOOP("Settings", "Bigger can learn finer habits but learns more slowly.")),
    "n_layers": (
        QT_TRANSLATE_NOOP("Settings", "Model depth"),
        QT_TRANSLATE_NOOP("Settings", "More layers can learn more complex habits; slower.")),
    "n_heads": (
        QT_TRANSLATE_NOOP("Settings", "Attention heads"),
        QT_TRANSLATE_NOOP("Settings", "A technical detail (it must divide the model size); leave "
                                      "it as it is.")),
    "max_len": (
        QT_TRANSLATE_NOOP("Settings", "Events read per customer"),
        QT_TRANSLATE_NOOP("Settings", "How many of each customer's latest events the model reads.")),
    "dropout": (
        QT_TRANSLATE_NOOP("Settings", "Guard against memorising"),
        QT_TRANSLATE_NOOP("Settings", "Higher values stop the model learning the past by heart; "
                                      "leave it as it is.")),
    "loss": (
        QT_TRANSLATE_NOOP("Settings", "Way of learning"),
        QT_TRANSLATE_NOOP("Settings", "Automatic picks the best way for the size of your shop.")),
    "negatives": (
        QT_TRANSLATE_NOOP("Settings", "Products compared per step"),
        QT_TRANSLATE_NOOP("Settings", "How many other products each guess is compared with while "
                                      "learning; more is slower.")),
    "lr": (
        QT_TRANSLATE_NOOP("Settings", "Learning speed"),
        QT_TRANSLATE_NOOP("Settings", "How big each learning step is; leave it as it is.")),
    "batch_size": (
        QT_TRANSLATE_NOOP("Settings", "Histories per step"),
        QT_TRANSLATE_NOOP("Settings", "How many customer histories are learned at once; larger "
                                      "needs more memory. A small shop learns fewer at once "
                                      "(down to 16), so that it learns more often.")),
    "max_epochs": (
        QT_TRANSLATE_NOOP("Settings", "Most learning rounds"),
        QT_TRANSLATE_NOOP("Settings", "Learning stops earlier once the lists stop getting "
                                      "better.")),
    "windows": (
        QT_TRANSLATE_NOOP("Settings", "Events learned from"),
        QT_TRANSLATE_NOOP("Settings", "Latest events only (faster) or each customer's whole "
                                      "history.")),
    "patience": (
        QT_TRANSLATE_NOOP("Settings", "Rounds without progress before stopping"),
        QT_TRANSLATE_NOOP("Settings", "Learning stops after this many rounds that brought no "
                                      "better lists.")),
    "time_budget_min": (
        QT_TRANSLATE_NOOP("Settings", "Time limit (minutes)"),
        QT_TRANSLATE_NOOP("Settings", "Learning stops after this long and keeps the best model "
                                      "so far.")),
    "time_budget_s": (
        QT_TRANSLATE_NOOP("Settings", "Time limit (seconds)"),
        QT_TRANSLATE_NOOP("Settings", "Learning stops after this long and keeps the best model "
                                      "so far.")),
    "text": (
        QT_TRANSLATE_NOOP("Settings", "Read product texts"),
        QT_TRANSLATE_NOOP("Settings", "Use product names and descriptions: automatic, the English "
                                      "text model, word matching (any language) or off.")),
    "use_text": (
        QT_TRANSLATE_NOOP("Settings", "Read product texts"),
        QT_TRANSLATE_NOOP("Settings", "Use product names and descriptions when the catalogue has "
                                      "them.")),
    "event_features": (
        QT_TRANSLATE_NOOP("Settings", "Use event details"),
        QT_TRANSLATE_NOOP("Settings", "Use the kind of event, the quantity and the time between "
                                      "visits.")),
    "repeat": (
        QT_TRANSLATE_NOOP("Settings", "Suggest repeat purchases"),
        QT_TRANSLATE_NOOP("Settings", "Let products a customer had recently come back in their "
                                      "list (reorders, or viewed and then bought).")),
    "exclude_seen": (
        QT_TRANSLATE_NOOP("Settings", "Learn to suggest only new products"),
        QT_TRANSLATE_NOOP("Settings", "While learning, each guess is made among the products "
                                      "the customer has not had yet, as their list is. Not used "
                                      "when repeat purchases are suggested.")),
    "l2": (
        QT_TRANSLATE_NOOP("Settings", "Smoothing"),
        QT_TRANSLATE_NOOP("Settings", "Higher values favour popular products; automatic finds "
                                      "the right value on your data.")),
    "regularization": (
        QT_TRANSLATE_NOOP("Settings", "Smoothing"),
        QT_TRANSLATE_NOOP("Settings", "Higher values favour popular products; automatic finds "
                                      "the right value on your data.")),
    "tune_seconds": (
        QT_TRANSLATE_NOOP("Settings", "Time for finding the best settings (seconds)"),
        QT_TRANSLATE_NOOP("Settings", "How long to try settings on your data; automatic scales "
                                      "with the size of your shop.")),
    "factors": (
        QT_TRANSLATE_NOOP("Settings", "Detail of each taste"),
        QT_TRANSLATE_NOOP("Settings", "Bigger describes tastes more finely; slower.")),
    "alpha": (
        QT_TRANSLATE_NOOP("Settings", "Weight of repeated activity"),
        QT_TRANSLATE_NOOP("Settings", "How much more a repeated visit or purchase counts; "
                                      "automatic finds it.")),
    "iterations": (
        QT_TRANSLATE_NOOP("Settings", "Learning rounds"),
        QT_TRANSLATE_NOOP("Settings", "More rounds learn more precisely; slower.")),
    "cg_steps": (
        QT_TRANSLATE_NOOP("Settings", "Steps per round"),
        QT_TRANSLATE_NOOP("Settings", "A technical detail; leave it as it is.")),
    "neighbours": (
        QT_TRANSLATE_NOOP("Settings", "Similar products kept per product"),
        QT_TRANSLATE_NOOP("Settings", "Automatic finds the best number on your data.")),
    "shrink": (
        QT_TRANSLATE_NOOP("Settings", "Caution with rare pairs"),
        QT_TRANSLATE_NOOP("Settings", "Trust less the pairs that few customers share; automatic "
                                      "finds it.")),
    "asymmetry": (
        QT_TRANSLATE_NOOP("Settings", "Favour popular products"),
        QT_TRANSLATE_NOOP("Settings", "0.5 is neutral; higher values favour popular products.")),
    "encoder": (
        QT_TRANSLATE_NOOP("Settings", "Text model"),
        QT_TRANSLATE_NOOP("Settings", "Automatic: the built-in English model for Latin letters, "
                                      "word matching for other languages; or the folder of a "
                                      "model on this computer (e.g. a Chinese one).")),
    "half_life": (
        QT_TRANSLATE_NOOP("Settings", "Recent activity counts more"),
        QT_TRANSLATE_NOOP("Settings", "An interaction this many steps back counts half as much; "
                                      "automatic finds it.")),
    "bought_together.half_life": (
        QT_TRANSLATE_NOOP("Settings", "Recent purchases count more"),
        QT_TRANSLATE_NOOP("Settings", "A purchase this many purchases back counts half as "
                                      "much.")),
    "max_history": (
        QT_TRANSLATE_NOOP("Settings", "Interactions remembered"),
        QT_TRANSLATE_NOOP("Settings", "How many of the latest interactions describe the "
                                      "customer.")),
    "popularity_weight": (
        QT_TRANSLATE_NOOP("Settings", "Mix in best sellers"),
        QT_TRANSLATE_NOOP("Settings", "0: texts only, so new products compete on equal terms.")),
    "w_item": (
        QT_TRANSLATE_NOOP("Settings", "Weight: next visit"),
        QT_TRANSLATE_NOOP("Settings", "How much guessing the next product of any kind counts.")),
    "w_purchase": (
        QT_TRANSLATE_NOOP("Settings", "Weight: next purchase"),
        QT_TRANSLATE_NOOP("Settings", "How much guessing the next purchase counts.")),
    "w_category": (
        QT_TRANSLATE_NOOP("Settings", "Weight: next category"),
        QT_TRANSLATE_NOOP("Settings", "How much guessing the next category counts.")),
    "w_rating": (
        QT_TRANSLATE_NOOP("Settings", "Weight: ratings"),
        QT_TRANSLATE_NOOP("Settings", "How much guessing ratings counts (where there are any).")),
    "purchase_horizon": (
        QT_TRANSLATE_NOOP("Settings", "Events looked back from a purchase"),
        QT_TRANSLATE_NOOP("Settings", "1: only the event just before it; 0: any distance.")),
    "heads": (
        QT_TRANSLATE_NOOP("Settings", "Extra signals"),
        QT_TRANSLATE_NOOP("Settings", "Automatic: only where they beat the plain predictor on "
                                      "customers held back from learning; single: never; "
                                      "multi: always.")),
    "score_head": (
        QT_TRANSLATE_NOOP("Settings", "Rank by"),
        QT_TRANSLATE_NOOP("Settings", "Next purchase, next visit of any kind, or automatic.")),
    "epochs": (
        QT_TRANSLATE_NOOP("Settings", "Learning rounds"),
        QT_TRANSLATE_NOOP("Settings", "Automatic stops once the lists stop getting better.")),
    "min_support": (
        QT_TRANSLATE_NOOP("Settings", "Least share of orders"),
        QT_TRANSLATE_NOOP("Settings", "A pair must be in at least this share of all orders.")),
    "min_confidence": (
        QT_TRANSLATE_NOOP("Settings", "Least chance of the second product"),
        QT_TRANSLATE_NOOP("Settings", "Of the orders with the first product, at least this "
                                      "share must hold the second.")),
    "min_lift": (
        QT_TRANSLATE_NOOP("Settings", "Least lift"),
        QT_TRANSLATE_NOOP("Settings", "How much more often together than by chance; 1 = chance.")),
    "min_count": (
        QT_TRANSLATE_NOOP("Settings", "Least orders together"),
        QT_TRANSLATE_NOOP("Settings", "A pair must be in at least this many orders.")),
    "max_per_item": (
        QT_TRANSLATE_NOOP("Settings", "Pairs kept per product"),
        QT_TRANSLATE_NOOP("Settings", "At most this many partners per product.")),
    "recent": (
        QT_TRANSLATE_NOOP("Settings", "Recent purchases used"),
        QT_TRANSLATE_NOOP("Settings", "A customer's list is built from this many latest "
                                      "purchases.")),
    "window_hours": (
        QT_TRANSLATE_NOOP("Settings", "One visit within (hours)"),
        QT_TRANSLATE_NOOP("Settings", "Without order numbers, a customer's events this close "
                                      "count as one order.")),
    "max_basket": (
        QT_TRANSLATE_NOOP("Settings", "Largest order"),
        QT_TRANSLATE_NOOP("Settings", "Longer orders are split into pieces of this size.")),
    "members": (
        QT_TRANSLATE_NOOP("Settings", "Methods to mix"),
        QT_TRANSLATE_NOOP("Settings", "Tick the methods to combine; missing or failing ones are "
                                      "skipped.")),
    "member_settings": (
        QT_TRANSLATE_NOOP("Settings", "Settings of the mixed methods"),
        QT_TRANSLATE_NOOP("Settings", "For experts: NAME.SETTING=VALUE pairs separated by ';'.")),
    "refit": (
        QT_TRANSLATE_NOOP("Settings", "Relearn on all data at the end"),
        QT_TRANSLATE_NOOP("Settings", "Better lists, takes longer.")),
}

#: values of choice settings and of "0 means automatic" spin boxes
CHOICES: dict[str, str] = {
    "auto": QT_TRANSLATE_NOOP("Choices", "automatic"),
    "on": QT_TRANSLATE_NOOP("Choices", "on"),
    "off": QT_TRANSLATE_NOOP("Choices", "off"),
    "ce": QT_TRANSLATE_NOOP("Choices", "compare with every product (best)"),
    "sce": QT_TRANSLATE_NOOP("Choices", "compare with a sample (large shops)"),
    "gbce": QT_TRANSLATE_NOOP("Choices", "sample, scores kept as probabilities"),
    "latest": QT_TRANSLATE_NOOP("Choices", "latest events"),
    "all": QT_TRANSLATE_NOOP("Choices", "whole history"),
    "minilm": QT_TRANSLATE_NOOP("Choices", "English text model"),
    "tfidf": QT_TRANSLATE_NOOP("Choices", "word matching"),
    "purchase": QT_TRANSLATE_NOOP("Choices", "next purchase"),
    "item": QT_TRANSLATE_NOOP("Choices", "next visit"),
    "single": QT_TRANSLATE_NOOP("Choices", "plain predictor only"),
    "multi": QT_TRANSLATE_NOOP("Choices", "always the extra signals"),
}

EXPORTERS: dict[str, tuple[str, str]] = {
    "csv": (QT_TRANSLATE_NOOP("Exporters", "Lists for a spreadsheet (CSV)"),
            QT_TRANSLATE_NOOP("Exporters", "One row per suggested product: customer, e-mail, "
                                           "rank, product, title, chance and reason. Opens "
                                           "correctly in Excel.")),
    "xlsx": (QT_TRANSLATE_NOOP("Exporters", "Lists as an Excel workbook"),
             QT_TRANSLATE_NOOP("Exporters", "Every customer's list, with a sheet that describes "
                                            "how it was made.")),
    "json": (QT_TRANSLATE_NOOP("Exporters", "Lists for programs (JSON)"),
             QT_TRANSLATE_NOOP("Exporters", "Every customer's list in one file for scripts and "
                                            "other programs.")),
    "email-feed": (QT_TRANSLATE_NOOP("Exporters", "E-mail tool feed"),
                   QT_TRANSLATE_NOOP("Exporters", "One row per customer with an e-mail address "
                                                  "and five product slots, for Klaviyo, "
                                                  "Mailchimp or Brevo.")),
    "shopify-products": (
        QT_TRANSLATE_NOOP("Exporters", "Shopify related products"),
        QT_TRANSLATE_NOOP("Exporters", "A products file for Shopify that fills related and "
                                       "complementary products.")),
    "woocommerce-products": (
        QT_TRANSLATE_NOOP("Exporters", "WooCommerce upsells and cross-sells"),
        QT_TRANSLATE_NOOP("Exporters", "A product file for WooCommerce, matched by SKU, that "
                                       "fills upsells and cross-sells.")),
    "magento-catalog": (
        QT_TRANSLATE_NOOP("Exporters", "Magento related products"),
        QT_TRANSLATE_NOOP("Exporters", "A catalogue import file for Magento 2 with related, "
                                       "cross-sell and up-sell products.")),
    "bought-together": (
        QT_TRANSLATE_NOOP("Exporters", "Frequently bought together"),
        QT_TRANSLATE_NOOP("Exporters", "For each product, the products most often in the same "
                                       "order, and how much more often than by chance.")),
}

#: who an exporter's file is for, where the plugin says it in words rather than product names
PLATFORMS: dict[str, str] = {
    "scripts, APIs": QT_TRANSLATE_NOOP("Exporters", "scripts and other programs"),
    "Excel, shop apps": QT_TRANSLATE_NOOP("Exporters", "Excel and shop apps"),
}

SEGMENTS: dict[str, str] = {
    "champion": QT_TRANSLATE_NOOP("Segments", "best customer"),
    "loyal": QT_TRANSLATE_NOOP("Segments", "loyal"),
    "at risk": QT_TRANSLATE_NOOP("Segments", "at risk of leaving"),
    "new": QT_TRANSLATE_NOOP("Segments", "new"),
    "promising": QT_TRANSLATE_NOOP("Segments", "promising"),
    "hibernating": QT_TRANSLATE_NOOP("Segments", "asleep"),
    "can't lose": QT_TRANSLATE_NOOP("Segments", "big spender drifting away"),
    "needs attention": QT_TRANSLATE_NOOP("Segments", "needs attention"),
    "no history": QT_TRANSLATE_NOOP("Segments", "no history"),
}

EVENTS: dict[str, str] = {
    "purchase": QT_TRANSLATE_NOOP("Events", "purchase"),
    "view": QT_TRANSLATE_NOOP("Events", "view"),
    "cart": QT_TRANSLATE_NOOP("Events", "add to cart"),
    "fav": QT_TRANSLATE_NOOP("Events", "saved"),
    "rating": QT_TRANSLATE_NOOP("Events", "rating"),
    "refund": QT_TRANSLATE_NOOP("Events", "return"),
}


#: "3 views" — counted events, used in activity summaries
EVENT_COUNTS: dict[str, str] = {
    "purchase": QT_TRANSLATE_NOOP("Events", "{n} purchases"),
    "view": QT_TRANSLATE_NOOP("Events", "{n} views"),
    "cart": QT_TRANSLATE_NOOP("Events", "{n} adds to cart"),
    "fav": QT_TRANSLATE_NOOP("Events", "{n} saves"),
    "rating": QT_TRANSLATE_NOOP("Events", "{n} ratings"),
    "refund": QT_TRANSLATE_NOOP("Events", "{n} returns"),
}


def _tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def strategy_title(spec: Any) -> str:
    """The plain, translated name of a strategy (the plugin's own title when unknown)."""
    entry = STRATEGIES.get(spec.name)
    return _tr("Strategies", entry[0]) if entry else str(spec.title)


def strategy_description(spec: Any) -> str:
    entry = STRATEGIES.get(spec.name)
    return _tr("Strategies", entry[1]) if entry else str(spec.description)


def strategy_title_by_name(name: str, fallback: str = "") -> str:
    entry = STRATEGIES.get(name)
    return _tr("Strategies", entry[0]) if entry else (fallback or name)


def setting_text(strategy: str, name: str, fallback_label: str,
                 fallback_help: str) -> tuple[str, str]:
    """(label, help) for setting ``name`` of ``strategy``; the plugin's English when unknown.

    Only the built-in strategies' settings are in the table: another plugin's ``factors`` may
    mean something else, so its own help is shown."""
    if strategy not in STRATEGIES:
        return fallback_label, fallback_help
    entry = SETTINGS.get(f"{strategy}.{name}") or SETTINGS.get(name)
    if entry is None:
        return fallback_label, fallback_help
    return _tr("Settings", entry[0]), _tr("Settings", entry[1])


def choice_text(value: Any) -> str:
    text = CHOICES.get(str(value))
    return _tr("Choices", text) if text else str(value)


#: Campaign audience files, by exporter name: (title, description).
CAMPAIGN_EXPORTERS: dict[str, tuple[str, str]] = {
    "csv": (QT_TRANSLATE_NOOP("Exporters", "Audience for a spreadsheet (CSV)"),
            QT_TRANSLATE_NOOP("Exporters", "The customers who get the e-mail: address, name, "
                                           "chance, reason and the products to show.")),
    "klaviyo": (QT_TRANSLATE_NOOP("Exporters", "Klaviyo list"),
                QT_TRANSLATE_NOOP("Exporters", "Import into a new Klaviyo list; the products "
                                               "become properties the e-mail template shows.")),
    "mailchimp": (QT_TRANSLATE_NOOP("Exporters", "Mailchimp audience"),
                  QT_TRANSLATE_NOOP("Exporters", "Import into your Mailchimp audience with a tag; "
                                                 "the products become merge fields.")),
    "shopify-email": (QT_TRANSLATE_NOOP("Exporters", "Shopify Email customers"),
                      QT_TRANSLATE_NOOP("Exporters", "Import as customers in Shopify to tag "
                                                     "who gets the e-mail, then send to that tag.")),
}


def campaign_exporter_title(spec: Any) -> str:
    entry = CAMPAIGN_EXPORTERS.get(spec.name)
    return _tr("Exporters", entry[0]) if entry else str(spec.title)


def campaign_exporter_description(spec: Any) -> str:
    entry = CAMPAIGN_EXPORTERS.get(spec.name)
    return _tr("Exporters", entry[1]) if entry else str(spec.description)


def exporter_title(spec: Any) -> str:
    entry = EXPORTERS.get(spec.name)
    return _tr("Exporters", entry[0]) if entry else str(spec.title)


def exporter_description(spec: Any) -> str:
    entry = EXPORTERS.get(spec.name)
    return _tr("Exporters", entry[1]) if entry else str(spec.description)


def platform_text(platform: str) -> str:
    text = PLATFORMS.get(platform)
    return _tr("Exporters", text) if text else platform


def segment_text(segment: str) -> str:
    text = SEGMENTS.get(segment)
    return _tr("Segments", text) if text else segment


def event_count_text(kind: str, n: str) -> str:
    """ "3 views" in the user's language."""
    text = EVENT_COUNTS.get(kind)
    return _tr("Events", text).format(n=n) if text else f"{n} {kind}"


def event_text(kind: str) -> str:
    text = EVENTS.get(kind)
    return _tr("Events", text) if text else kind


#: import fields (core.importing.FIELDS) in plain words, for the column mapping
FIELDS: dict[str, str] = {
    "customer": QT_TRANSLATE_NOOP("Fields", "customer id"),
    "email": QT_TRANSLATE_NOOP("Fields", "customer e-mail"),
    "customer_name": QT_TRANSLATE_NOOP("Fields", "customer name"),
    "first_name": QT_TRANSLATE_NOOP("Fields", "first name"),
    "last_name": QT_TRANSLATE_NOOP("Fields", "last name"),
    "item": QT_TRANSLATE_NOOP("Fields", "product id"),
    "sku": QT_TRANSLATE_NOOP("Fields", "SKU (stock code)"),
    "title": QT_TRANSLATE_NOOP("Fields", "product name"),
    "description": QT_TRANSLATE_NOOP("Fields", "product description"),
    "category": QT_TRANSLATE_NOOP("Fields", "category"),
    "price": QT_TRANSLATE_NOOP("Fields", "unit price"),
    "value": QT_TRANSLATE_NOOP("Fields", "line total"),
    "currency": QT_TRANSLATE_NOOP("Fields", "currency"),
    "stock": QT_TRANSLATE_NOOP("Fields", "stock"),
    "published": QT_TRANSLATE_NOOP("Fields", "on sale (yes/no)"),
    "vendor": QT_TRANSLATE_NOOP("Fields", "brand or vendor"),
    "variant_of": QT_TRANSLATE_NOOP("Fields", "variant of product"),
    "url": QT_TRANSLATE_NOOP("Fields", "link"),
    "option": QT_TRANSLATE_NOOP("Fields", "variant option (e.g. size)"),
    "quantity": QT_TRANSLATE_NOOP("Fields", "quantity"),
    "type": QT_TRANSLATE_NOOP("Fields", "kind of event"),
    "time": QT_TRANSLATE_NOOP("Fields", "date and time"),
    "clock": QT_TRANSLATE_NOOP("Fields", "time of day"),
    "order": QT_TRANSLATE_NOOP("Fields", "order number"),
    "rating": QT_TRANSLATE_NOOP("Fields", "rating"),
    "status": QT_TRANSLATE_NOOP("Fields", "order status"),
    "cancelled": QT_TRANSLATE_NOOP("Fields", "cancelled on"),
    "products": QT_TRANSLATE_NOOP("Fields", "products of the order in one cell"),
    "ignore": QT_TRANSLATE_NOOP("Fields", "not imported"),
}


#: import format titles (plugins name them; product names stay as they are)
FORMATS: dict[str, str] = {
    "shopify_orders": QT_TRANSLATE_NOOP("Formats", "Shopify orders export"),
    "shopify_products": QT_TRANSLATE_NOOP("Formats", "Shopify products export"),
    "shopify_customers": QT_TRANSLATE_NOOP("Formats", "Shopify customers export"),
    "woocommerce_products": QT_TRANSLATE_NOOP("Formats", "WooCommerce product export"),
    "woocommerce_order_items": QT_TRANSLATE_NOOP("Formats", "WooCommerce orders (line items)"),
    "woocommerce_analytics_orders": QT_TRANSLATE_NOOP("Formats", "WooCommerce Analytics orders"),
    "square_item_sales": QT_TRANSLATE_NOOP("Formats", "Square item sales"),
    "etsy_sold_order_items": QT_TRANSLATE_NOOP("Formats", "Etsy sold order items"),
    "prestashop_orders": QT_TRANSLATE_NOOP("Formats", "PrestaShop orders list"),
    "prestashop_order_details": QT_TRANSLATE_NOOP("Formats", "PrestaShop order details"),
    "magento_catalog": QT_TRANSLATE_NOOP("Formats", "Magento catalog export"),
    "movielens": QT_TRANSLATE_NOOP("Formats", "MovieLens ratings"),
    "movielens_movies": QT_TRANSLATE_NOOP("Formats", "MovieLens movies"),
    "movielens_u_item": QT_TRANSLATE_NOOP("Formats", "MovieLens 100k movies (u.item)"),
    "taobao": QT_TRANSLATE_NOOP("Formats", "Taobao UserBehavior log"),
    "sequences": QT_TRANSLATE_NOOP("Formats", "Item sequences (one customer per line)"),
    "events": QT_TRANSLATE_NOOP("Formats", "Generic event log"),
}


def format_title(name: str, fallback: str = "") -> str:
    text = FORMATS.get(name)
    return _tr("Formats", text) if text else (fallback or name)


def field_text(name: str) -> str:
    text = FIELDS.get(name)
    return _tr("Fields", text) if text else name


#: Why an item is kept out of lists (core.merchandise.REASONS, by kind); {detail} as there.
NON_PRODUCT_REASONS: dict[str, str] = {
    "fee_name": QT_TRANSLATE_NOOP("NonProducts", "the name says it is postage, a fee, a discount "
                                                 "or a voucher ({detail})"),
    "fee_name_zh": QT_TRANSLATE_NOOP("NonProducts", "the name says it is a fee or voucher, not a "
                                                    "product ({detail})"),
    "voucher_name": QT_TRANSLATE_NOOP("NonProducts", "the name says it is a gift card or voucher"),
    "gift_card": QT_TRANSLATE_NOOP("NonProducts", "a gift card in the products export"),
    "catalogue_price_0": QT_TRANSLATE_NOOP("NonProducts", "its price in the catalogue is 0"),
    "all_lines_free": QT_TRANSLATE_NOOP("NonProducts", "all {detail} order lines were at price 0"),
    "basket": QT_TRANSLATE_NOOP("NonProducts", "added to {detail} % of orders but never bought on "
                                               "its own, as postage or a fee is"),
    "owner": QT_TRANSLATE_NOOP("NonProducts", "kept out of lists by you"),
}


def non_product_reason(kind: str, detail: str, fallback: str = "") -> str:
    text = NON_PRODUCT_REASONS.get(kind)
    return _tr("NonProducts", text).format(detail=detail) if text else fallback

