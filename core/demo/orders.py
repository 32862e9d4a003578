"""The demo shop's six months: a seeded simulation of visits, carts and orders from the customers'
tastes, written as a Shopify orders export and a browsing log."""


from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..contracts.progress import CancelToken, ProgressFn, check, report
from .catalog import (
    CITIES,
    CURRENCY,
    DEPARTMENTS,
    NOTES,
    PERIOD_END,
    PERIOD_START,
    _Customer,
    _money,
    _Product,
    iso_time,
    shopify_time,
)

# ---------------------------------------------------------------------------------------------
# Behaviour: sessions of views and carts; some end in an order
# ---------------------------------------------------------------------------------------------


@dataclass
class _Order:
    ts: float
    customer: int
    lines: list[tuple[int, int, int]]  # (product, variant, quantity)
    cancelled_ts: float | None = None


class _Simulator:
    def __init__(self, rng: np.random.Generator, products: list[_Product], customers: list[_Customer]):
        self.rng = rng
        self.products = products
        self.customers = customers
        self.by_dept: list[np.ndarray] = [
            np.array([i for i, p in enumerate(products) if p.dept == d and p.published])
            for d in range(len(DEPARTMENTS))
        ]
        self.log_appeal = np.log(np.array([p.appeal for p in products]))
        self.log_price = np.log(np.array([p.prices[0] for p in products]))
        self.dept_mid = np.array([math.log(math.sqrt(d.price[0] * d.price[1])) for d in DEPARTMENTS])
        self.code_index = {d.code: i for i, d in enumerate(DEPARTMENTS)}
        self.events: list[tuple[float, str, int, int, int, int, str]] = []
        self.orders: list[_Order] = []

    def utility(self, c: _Customer, candidates: np.ndarray) -> np.ndarray:
        p = self.products
        vendor = np.array([c.vendor_aff[p[i].vendor] for i in candidates])
        depts = np.array([p[i].dept for i in candidates])
        target = self.dept_mid[depts] + math.log(c.price_target)
        price_fit = -1.2 * np.abs(self.log_price[candidates] - target)
        return self.log_appeal[candidates] + vendor + price_fit

    def pick(self, c: _Customer, dept: int, n: int) -> list[int]:
        candidates = self.by_dept[dept]
        if len(candidates) == 0:
            return []
        u = self.utility(c, candidates) + self.rng.gumbel(size=len(candidates)) * 0.7
        top = np.argsort(-u)[: min(n, len(candidates))]
        return [int(candidates[i]) for i in top]

    def run(self, cancel: CancelToken | None, progress: ProgressFn | None) -> None:
        end = PERIOD_END.timestamp()
        start = PERIOD_START.timestamp()
        n = len(self.customers)
        for ci, c in enumerate(self.customers):
            if ci % 100 == 0:
                check(cancel)
                report(progress, ci, n, "simulating customers")
            t = max(c.joined, start)
            last_dept: int | None = None
            due: dict[int, float] = {}  # staple product -> when it runs out
            owned: set[int] = set()
            session = 0
            while True:
                t += self.rng.exponential(30 * 86400 / c.rate)
                if t >= end:
                    break
                session += 1
                sid = f"s{ci:05d}-{session:03d}"
                # replenishment: a staple has run out, the customer comes back for it
                running_out = [i for i, when in due.items() if when <= t]
                if running_out and self.rng.random() < 0.8:
                    item = running_out[0]
                    variant = min(1, len(self.products[item].skus) - 1)
                    self._view(t, ci, item, variant, sid)
                    extra = self.pick(c, self.products[item].dept, 2)
                    lines = [(item, variant, int(self.rng.integers(1, 3)))]
                    for j in extra:
                        self._view(t + 40, ci, j, 0, sid)
                    if extra and self.rng.random() < 0.25 and extra[0] != item:
                        lines.append((extra[0], 0, 1))
                        owned.add(extra[0])
                    self._order(t + 300, ci, lines, sid)
                    due[item] = t + self.rng.normal(35, 6) * 86400
                    last_dept = self.products[item].dept
                    continue
                dept = self._choose_dept(c, last_dept)
                viewed = self.pick(c, dept, int(self.rng.integers(1, 7)))
                carted: list[tuple[int, int, int]] = []
                for k, item in enumerate(viewed):
                    p = self.products[item]
                    variant = int(self.rng.integers(len(p.skus)))
                    ts = t + 25 * k + self.rng.integers(5, 60)
                    self._view(ts, ci, item, variant, sid)
                    if item in owned and not DEPARTMENTS[p.dept].consumable:
                        continue  # nobody buys the same tent twice; they still look at it
                    if p.stock[variant] > 0 and self.rng.random() < (0.45 if k == 0 else 0.15):
                        qty = int(self.rng.integers(1, 3)) if DEPARTMENTS[p.dept].consumable else 1
                        self.events.append((ts + 20, "cart", ci, item, variant, qty, sid))
                        carted.append((item, variant, qty))
                if carted and self.rng.random() < 0.55:
                    # a complementary add-on, found on the product page ("goes well with")
                    comp = DEPARTMENTS[dept].complements
                    if comp and self.rng.random() < 0.35:
                        extra = self.pick(c, self.code_index[comp[int(self.rng.integers(len(comp)))]], 1)
                        if extra:
                            self._view(t + 400, ci, extra[0], 0, sid)
                            if extra[0] not in owned:
                                carted.append((extra[0], 0, 1))
                    self._order(t + 600, ci, carted, sid)
                    owned.update(item for item, _, _ in carted)
                    for item, _, _ in carted:
                        if DEPARTMENTS[self.products[item].dept].consumable and (
                            item in due or self.rng.random() < 0.5
                        ):
                            due[item] = t + self.rng.normal(35, 8) * 86400
                last_dept = dept
        report(progress, n, n, "simulating customers")

    def _choose_dept(self, c: _Customer, last: int | None) -> int:
        # what someone buys next depends on what they bought last (skillet -> spatula)
        if last is not None and DEPARTMENTS[last].complements and self.rng.random() < 0.3:
            comp = DEPARTMENTS[last].complements
            return self.code_index[comp[int(self.rng.integers(len(comp)))]]
        return int(self.rng.choice(len(DEPARTMENTS), p=c.dept_pref))

    def _view(self, ts: float, ci: int, item: int, variant: int, sid: str) -> None:
        self.events.append((ts, "view", ci, item, variant, 1, sid))

    def _order(self, ts: float, ci: int, lines: list[tuple[int, int, int]], sid: str) -> None:
        merged: dict[tuple[int, int], int] = {}
        for item, variant, qty in lines:
            merged[(item, variant)] = merged.get((item, variant), 0) + qty
        lines = [(i, v, q) for (i, v), q in merged.items()]
        cancelled = ts + self.rng.uniform(600, 2 * 86400) if self.rng.random() < 0.03 else None
        if ts < PERIOD_END.timestamp():
            self.orders.append(_Order(ts=ts, customer=ci, lines=lines, cancelled_ts=cancelled))


def _write_orders(path: Path, sim: _Simulator, customers: list[_Customer], rng: np.random.Generator) -> tuple[int, int]:
    products = sim.products
    orders = sorted(sim.orders, key=lambda o: o.ts)
    end = PERIOD_END.timestamp()
    rows = cancelled = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(ORDER_COLUMNS)
        # Numbered oldest first (a welcome code on some first orders), written newest first
        # as Shopify exports them.
        seen: set[int] = set()
        welcome: set[int] = set()
        for number, order in enumerate(orders, start=1001):
            if order.customer not in seen and order.customer % 7 == 0:
                welcome.add(number)
            seen.add(order.customer)
        numbered = list(enumerate(orders, start=1001))
        for number, order in reversed(numbered):
            c = customers[order.customer]
            c_city = CITIES[c.city]
            subtotal = sum(products[i].prices[v] * q for i, v, q in order.lines)
            code = ""
            discount = 0.0
            if number in welcome:
                code, discount = "WILLKOMMEN10", round(subtotal * 0.10, 2)
            shipping = 0.0 if subtotal - discount >= 49 else 4.90
            total = round(subtotal - discount + shipping, 2)
            taxes = round(total * 19 / 119, 2)  # German VAT, included in prices
            is_cancelled = order.cancelled_ts is not None
            fulfilled = not is_cancelled and order.ts < end - 2 * 86400
            fulfilled_ts = order.ts + rng.uniform(0.5, 3) * 86400
            zip_text = f"'{c.zip}" if c.zip.startswith("0") else c.zip  # Shopify's Excel guard
            name = f"{c.first} {c.last}"
            order_id = str(5_600_000_000_000 + number * 7919)
            payment = ("Shopify Payments", "PayPal Express Checkout", "Klarna")[number % 3]
            if not is_cancelled:
                c.spent += total
                c.orders += 1
            else:
                cancelled += 1
            for k, (item, variant, qty) in enumerate(order.lines):
                p = products[item]
                row = dict.fromkeys(ORDER_COLUMNS, "")
                label = p.option_values[variant]
                row.update({
                    "Name": f"#{number}", "Email": c.email, "Created at": shopify_time(order.ts),
                    "Lineitem quantity": str(qty),
                    "Lineitem name": f"{p.title} - {label}" if label else p.title,
                    "Lineitem price": _money(p.prices[variant]),
                    "Lineitem compare at price": "" if p.compare_at[variant] is None else _money(p.compare_at[variant]),
                    "Lineitem sku": p.skus[variant], "Lineitem requires shipping": "true",
                    "Lineitem taxable": "true",
                    "Lineitem fulfillment status": "fulfilled" if fulfilled else "pending",
                    "Vendor": p.vendor, "Lineitem discount": "0.00",
                })
                if k == 0:
                    row.update({
                        "Financial Status": "refunded" if is_cancelled else "paid",
                        "Paid at": shopify_time(order.ts + 2),
                        "Fulfillment Status": "fulfilled" if fulfilled else "unfulfilled",
                        "Fulfilled at": shopify_time(fulfilled_ts) if fulfilled else "",
                        "Accepts Marketing": "yes" if c.accepts_marketing else "no",
                        "Currency": CURRENCY, "Subtotal": _money(subtotal - discount),
                        "Shipping": _money(shipping), "Taxes": _money(taxes), "Total": _money(total),
                        "Discount Code": code, "Discount Amount": _money(discount),
                        "Shipping Method": "DHL Paket" if shipping else "Kostenloser Versand",
                        "Billing Name": name, "Billing Street": c.street, "Billing Address1": c.street,
                        "Billing City": c_city[0], "Billing Zip": zip_text,
                        "Billing Province": c_city[2], "Billing Country": "DE", "Billing Phone": c.phone,
                        "Shipping Name": name, "Shipping Street": c.street,
                        "Shipping Address1": c.street, "Shipping City": c_city[0],
                        "Shipping Zip": zip_text, "Shipping Province": c_city[2],
                        "Shipping Country": "DE", "Shipping Phone": c.phone,
                        "Notes": NOTES[number % len(NOTES)] if number % 23 == 0 else "",
                        "Cancelled at": shopify_time(order.cancelled_ts) if is_cancelled else "",
                        "Payment Method": payment,
                        "Payment Reference": f"c{order_id[-9:]}.1",
                        "Refunded Amount": _money(total if is_cancelled else 0.0),
                        "Outstanding Balance": "0.00", "Id": order_id, "Risk Level": "Low",
                        "Source": "web", "Tax 1 Name": "DE MwSt. 19%", "Tax 1 Value": _money(taxes),
                        "Phone": c.phone, "Billing Province Name": c_city[3],
                        "Shipping Province Name": c_city[3], "Payment ID": f"c{order_id[-9:]}.1",
                        "Payment References": f"c{order_id[-9:]}.1",
                    })
                out.writerow(row.values())
                rows += 1
    return rows, cancelled


def _write_events(path: Path, sim: _Simulator, customers: list[_Customer]) -> int:
    events = sorted(sim.events, key=lambda e: (e[0], e[2]))
    end = PERIOD_END.timestamp()
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(EVENT_COLUMNS)
        for ts, kind, ci, item, variant, qty, sid in events:
            if ts >= end:
                continue
            p = sim.products[item]
            out.writerow([
                iso_time(ts), EVENT_NAMES[kind], customers[ci].email, p.skus[variant], p.title,
                str(qty), sid,
            ])
            rows += 1
    return rows


ORDER_COLUMNS: tuple[str, ...] = (
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code",
    "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
    "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
    "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
    "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip",
    "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
    "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes",
    "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount", "Vendor",
    "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags", "Risk Level",
    "Source", "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name", "Tax 2 Value",
    "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value", "Tax 5 Name", "Tax 5 Value",
    "Phone", "Receipt Number", "Duties", "Billing Province Name", "Shipping Province Name",
    "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References",
)


# A tracking tool's export: one row per storefront event; customers are known by their e-mail
# (the key Shopify's order export uses too), products by SKU.
EVENT_COLUMNS: tuple[str, ...] = (
    "event_time", "event_type", "customer_id", "product_sku", "product_name", "quantity",
    "session_id",
)


EVENT_NAMES = {"view": "view", "cart": "add_to_cart"}
