"""Campaigns: the random split, the interval and power arithmetic, audiences, the report after a
new import, every campaign exporter's columns, a backtest, and the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import json

import numpy as np
import pytest
from click.testing import CliRunner
from shop_fixtures import DAY, build_shop
from shoprec.core import engine, hookimpl
from shoprec.core.cli import cli
from shoprec.core.data.dataset import TYPE_CODE, Dataset
from shoprec.core.importing import import_file
from shoprec.core.registry import get_plugin_manager
from shoprec.core.shop import backtest, campaigns
from shoprec.core.shop.audiences import Contacts, Scorer, item_audience, opted_out
from shoprec.core.shop.experiments import (
    HOLDOUT,
    SEND,
    assign_groups,
    detectable_difference,
    difference_interval,
    needed_size,
    wilson,
)
from shoprec.core.shop.exporting import campaign_exporters
from shoprec.plugins.exporters import campaigns as campaign_plugin

# -------------------------------------------------------------------------------------------
# Random assignment
# -------------------------------------------------------------------------------------------


def test_assignment_is_reproducible_with_a_seed_and_differs_between_seeds():
    a = assign_groups(1000, 0.2, seed=11)
    assert list(a) == list(assign_groups(1000, 0.2, seed=11))
    assert list(a) != list(assign_groups(1000, 0.2, seed=12))


@pytest.mark.parametrize(("n", "share"), [(1000, 0.2), (7, 0.3), (101, 0.5), (50, 0.0)])
def test_assignment_holds_out_exactly_the_share_and_every_member_once(n, share):
    groups = assign_groups(n, share, seed=3)
    assert len(groups) == n
    assert set(groups) <= {SEND, HOLDOUT}
    assert (groups == HOLDOUT).sum() == round(share * n)
    assert (groups == SEND).sum() + (groups == HOLDOUT).sum() == n  # never both, never neither


def test_assignment_is_random_not_by_rank():
    # the audience arrives best first: the holdout must not be its tail or head
    groups = assign_groups(1000, 0.2, seed=5)
    held = np.flatnonzero(groups == HOLDOUT)
    assert 300 < held.mean() < 700
    assert (held < 500).sum() == pytest.approx(100, abs=30)


def test_assignment_refuses_a_holdout_of_everyone():
    with pytest.raises(ValueError):
        assign_groups(10, 1.0, seed=0)


# -------------------------------------------------------------------------------------------
# Interval arithmetic, against published values and hand computation
# -------------------------------------------------------------------------------------------


def test_wilson_matches_newcombes_published_intervals():
    # Newcombe (1998), Stat. Med. 17:857, table I: 81/263 -> 0.2553 to 0.3662; 0/10 -> 0 to 0.2775
    lo, hi = wilson(81, 263)
    assert (round(lo, 4), round(hi, 4)) == (0.2553, 0.3662)
    lo, hi = wilson(0, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.0, 0.2775)


def test_difference_interval_matches_newcombes_published_examples():
    # Newcombe (1998), Stat. Med. 17:873, table II, method 10, examples (a)-(f)
    published = {
        (56, 70, 48, 80): (0.0524, 0.3339),
        (9, 10, 3, 10): (0.1705, 0.8090),
        (6, 7, 2, 7): (0.0582, 0.8062),
        (5, 56, 0, 29): (-0.0381, 0.1926),  # where the Wald interval fails
        (0, 10, 0, 20): (-0.1611, 0.2775),
        (10, 10, 0, 20): (0.6791, 1.0),
    }
    for (x1, n1, x2, n2), expected in published.items():
        d, (lo, hi) = difference_interval(x1, n1, x2, n2)
        assert d == pytest.approx(x1 / n1 - x2 / n2)
        assert (round(lo, 4), round(hi, 4)) == expected


def test_difference_interval_by_hand():
    # d = 0.3 - 0.1; Wilson (30/100) = (0.2189, 0.3958), (10/100) = (0.0552, 0.1744)
    d, (lo, hi) = difference_interval(30, 100, 10, 100)
    l1, u1 = wilson(30, 100)
    l2, u2 = wilson(10, 100)
    assert d == pytest.approx(0.2)
    assert lo == pytest.approx(0.2 - ((0.3 - l1) ** 2 + (u2 - 0.1) ** 2) ** 0.5)
    assert hi == pytest.approx(0.2 + ((u1 - 0.3) ** 2 + (0.1 - l2) ** 2) ** 0.5)
    assert 0 < lo < d < hi


# -------------------------------------------------------------------------------------------
# Power
# -------------------------------------------------------------------------------------------


def test_needed_size_matches_the_textbook_formula():
    # (1.96 + 0.8416)^2 * (0.6*0.4 + 0.5*0.5) / 0.1^2 = 384.6 per group -> 770 in all
    assert needed_size(0.5, 0.1, 0.5) == 770


def test_detectable_difference_and_needed_size_agree():
    n = needed_size(0.05, 0.03, 0.2)
    d = detectable_difference(0.05, n - round(0.2 * n), round(0.2 * n))
    assert d == pytest.approx(0.03, rel=0.01)
    # bigger campaigns tell smaller effects; no holdout tells nothing
    assert detectable_difference(0.05, 4000, 1000) < detectable_difference(0.05, 400, 100)
    assert detectable_difference(0.05, 100, 0) is None


def test_power_plan_in_plain_words():
    from shoprec.core.shop.experiments import plan

    text = plan(0.05, 800, 200).text()
    assert "800 customers" in text and "200 back" in text
    assert "percentage points" in text and "8 campaigns out of 10" in text
    assert "nobody is kept back" in plan(0.05, 100, 0).text()


# -------------------------------------------------------------------------------------------
# Audiences, creating, the report after the next import
# -------------------------------------------------------------------------------------------


@pytest.fixture
def shop(ws_file):
    build_shop(ws_file)
    engine.train(ws_file, "ease", device="cpu")
    return ws_file


def _data_end(ws) -> int:
    return int(ws.conn.execute("SELECT MAX(ts) FROM events").fetchone()[0])


def test_item_audience_leaves_out_recent_buyers_and_the_unmailable(shop):
    keys = dict(shop.conn.execute("SELECT external_id, id FROM customers"))
    with shop.atomic() as conn:
        conn.execute("UPDATE customers SET email = NULL WHERE external_id = 'K001'")
        conn.execute("UPDATE customers SET attrs = ? WHERE external_id = 'K003'",
                     (json.dumps({"accepts_email_marketing": "no"}),))
    chosen = campaigns.preview(shop, "items", item_ids=["T03"])
    ids = {m.customer_id for m in chosen.audience.members}
    assert "K001" not in ids and "K003" not in ids
    assert chosen.audience.excluded["no e-mail address"] == 1
    assert chosen.audience.excluded["unsubscribed"] == 1
    recent = {r[0] for r in shop.conn.execute(
        "SELECT customer_id FROM events e JOIN items i ON i.id = e.item_id WHERE i.external_id "
        "= 'T03' AND e.type = 'purchase' AND e.ts >= ?", (_data_end(shop) - 30 * DAY,))}
    assert not ids & {ext for ext, key in keys.items() if key in recent}
    probs = [m.probability for m in chosen.audience.members]
    assert probs == sorted(probs, reverse=True)
    assert chosen.audience.expected == pytest.approx(sum(probs))
    assert all(m.reason for m in chosen.audience.members)


def test_opted_out_reads_shop_export_values():
    assert opted_out(json.dumps({"Accepts Email Marketing": "no"}))
    assert opted_out(json.dumps({"accepts_marketing": "FALSE"}))
    assert not opted_out(json.dumps({"accepts_marketing": "yes"}))
    assert not opted_out(None) and not opted_out("not json")


def test_unknown_product_is_one_line(shop):
    with pytest.raises(campaigns.CampaignError, match="unknown product 'NOPE'"):
        campaigns.preview(shop, "items", item_ids=["NOPE"])


def test_reorder_and_winback_audiences_say_why(shop):
    reorder = campaigns.preview(shop, "reorder", window_days=30).audience
    assert reorder.size > 0
    assert all("due around" in m.reason for m in reorder.members)
    winback = campaigns.preview(shop, "winback").audience
    assert winback.size > 0
    assert all("days ago" in m.reason for m in winback.members)
    assert all(m.items for m in winback.members)  # products for the e-mail's merge fields


def test_create_stores_a_reproducible_split_and_refuses_a_duplicate_name(shop):
    chosen = campaigns.preview(shop, "items", item_ids=["T03", "C03"], size=20)
    a = campaigns.create(shop, "a", chosen, holdout=0.25, seed=9)
    b = campaigns.create(shop, "b", chosen, holdout=0.25, seed=9)
    assert a.sizes == b.sizes == {SEND: 15, HOLDOUT: 5}

    def split(c):
        return [(m.customer_id, m.assignment) for m in campaigns.members(shop, c)]

    assert sorted(split(a)) == sorted(split(b))
    with pytest.raises(campaigns.CampaignError, match="exists already"):
        campaigns.create(shop, "a", chosen)
    one = campaigns.preview(shop, "items", item_ids=["T03"], size=1)
    with pytest.raises(campaigns.CampaignError, match="leaves nobody to send to"):
        campaigns.create(shop, "c", one, holdout=0.9)
    listed = campaigns.list_campaigns(shop)
    assert [c["name"] for c in listed] == ["b", "a"]
    assert listed[0]["summary"]["power"]["text"].startswith("Sending to 15 customers")


def _orders_csv(path, rows):
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["customer_id", "product_id", "event", "timestamp", "order_id", "total"])
        out.writerows(rows)
    return path


def test_report_after_new_orders_are_imported(shop, tmp_path):
    start = _data_end(shop) + DAY
    chosen = campaigns.preview(shop, "items", item_ids=["T03"], size=30)
    campaigns.create(shop, "teapots", chosen, holdout=0.3, seed=4, starts_at=start)
    camp = campaigns.get(shop, "teapots")
    send = [m.customer_id for m in campaigns.members(shop, camp, SEND)]
    held = [m.customer_id for m in campaigns.members(shop, camp, HOLDOUT)]
    when = dt.datetime.fromtimestamp(start + 2 * DAY, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    late = dt.datetime.fromtimestamp(start + 40 * DAY, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    rows = [(c, "T03", "purchase", when, f"N{n}", "30.00") for n, c in enumerate(send[:6])]
    rows += [(held[0], "T03", "purchase", when, "H0", "30.00")]
    rows += [(held[1], "T01", "purchase", when, "H1", "8.00")]  # another product: not converted
    rows += [(send[6], "T03", "purchase", late, "L0", "30.00")]  # after the window
    rows += [("K000", "T03", "purchase", when, "X0", "30.00")]  # not in the campaign
    early = campaigns.report(shop, "teapots")
    assert early["verdict"].startswith("no orders imported since the campaign started")
    summary = import_file(shop, _orders_csv(tmp_path / "next.csv", rows))
    assert summary.imported == len(rows)

    rep = campaigns.report(shop, "teapots")
    assert rep["treated"]["size"] == len(send) and rep["holdout"]["size"] == len(held)
    assert rep["treated"]["converted"] == 6 and rep["holdout"]["converted"] == 1
    assert rep["treated"]["revenue"] == pytest.approx(180.0)
    assert rep["treated"]["expected"] == pytest.approx(
        sum(m.probability for m in campaigns.members(shop, camp, SEND)))
    d = 6 / len(send) - 1 / len(held)
    assert rep["lift"]["difference"] == pytest.approx(d)
    assert rep["lift"]["ci95"] == pytest.approx(list(difference_interval(6, len(send), 1, len(held))[1]))
    assert rep["window"]["complete"]  # orders imported past the window's end
    buyers = 6 + 1 + ("K000" not in send + held)
    assert rep["base_rate"] == pytest.approx(buyers / rep["base_customers"])
    assert rep["verdict"]
    # with 21 vs 9 customers a 15-point rise is not proven: the verdict says so
    assert "too few customers to tell" in rep["verdict"] or "no clear effect" in rep["verdict"]
    # a shorter window counts nothing after it
    assert campaigns.report(shop, "teapots", window_days=1)["treated"]["converted"] == 0


def test_verdict_names_the_added_buyers_when_the_interval_excludes_zero():
    rep = {"treated": {"size": 800, "converted": 80, "rate": 0.1},
           "holdout": {"size": 200, "converted": 4, "rate": 0.02},
           "lift": {"difference": 0.08, "ci95": [0.05, 0.105]},
           "window": {"complete": True}}
    assert campaigns.verdict(rep).startswith("the e-mail added about 64 buyers (40–84)")
    # a 2-point rise needs about 2,865 customers in all: 1,865 more than these 1,000
    rep["lift"] = {"difference": 0.02, "ci95": [-0.005, 0.04]}
    rep["treated"]["rate"], rep["holdout"]["rate"] = 0.04, 0.02
    assert "too few customers to tell: about 1,865 more needed" in campaigns.verdict(rep)
    # an effect so small that no campaign of this shop could confirm it: no clear effect
    rep["lift"] = {"difference": 0.001, "ci95": [-0.03, 0.02]}
    rep["treated"]["rate"] = 0.021
    assert campaigns.verdict(rep).startswith("no clear effect: somewhere between 24 fewer")


def test_forgetting_a_customer_removes_them_from_campaigns(shop):
    campaigns.create(shop, "c", campaigns.preview(shop, "items", item_ids=["T03"]), seed=1)
    key = shop.conn.execute("SELECT customer_id FROM campaign_members LIMIT 1").fetchone()[0]
    with shop.atomic() as conn:
        conn.execute("DELETE FROM events WHERE customer_id = ?", (key,))
        conn.execute("DELETE FROM run_lists WHERE customer_id = ?", (key,))
        conn.execute("DELETE FROM customers WHERE id = ?", (key,))
    assert shop.count("campaign_members", "customer_id = ?", (key,)) == 0


# -------------------------------------------------------------------------------------------
# Exporters: the send group only, each tool's columns
# -------------------------------------------------------------------------------------------


def _read(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


EXPECTED_COLUMNS = {
    "csv": campaign_plugin.CSV_COLUMNS,
    "klaviyo": campaign_plugin.KLAVIYO_COLUMNS,
    "mailchimp": campaign_plugin.MAILCHIMP_COLUMNS,
    "shopify-email": campaign_plugin.SHOPIFY_COLUMNS,
}
EMAIL_COLUMN = {"csv": "email", "klaviyo": "Email", "mailchimp": "Email Address",
                "shopify-email": "Email"}
TITLE_COLUMN = {"csv": "item_1_title", "klaviyo": "item_1_title", "mailchimp": "ITEM1TITLE",
                "shopify-email": "Metafield: shoprec.item_1_title [single_line_text_field]"}


def test_every_campaign_exporter_is_registered():
    assert list(campaign_exporters()) == ["csv", "klaviyo", "mailchimp", "shopify-email"]


@pytest.mark.parametrize("name", list(EXPECTED_COLUMNS))
def test_campaign_export_writes_only_the_send_group_with_merge_fields(shop, tmp_path, name):
    with shop.atomic() as conn:
        conn.execute("UPDATE customers SET name = 'Kim Lee' WHERE external_id = 'K001'")
    campaigns.create(shop, "tea", campaigns.preview(shop, "items", item_ids=["T03"], size=20),
                     holdout=0.25, seed=2)
    camp = campaigns.get(shop, "tea")
    result = campaigns.export_campaign(shop, "tea", name, tmp_path / f"{name}.csv",
                                       shop_url="https://shop.example")
    rows = _read(tmp_path / f"{name}.csv")
    assert list(rows[0]) == list(EXPECTED_COLUMNS[name])
    mails = {r[EMAIL_COLUMN[name]] for r in rows}
    assert mails == {m.email for m in campaigns.members(shop, camp, SEND)}
    assert not mails & {m.email for m in campaigns.members(shop, camp, HOLDOUT)}
    assert result["rows"] == len(rows) == camp.sizes[SEND]
    assert {r[TITLE_COLUMN[name]] for r in rows} == {"Teapot"}
    if name in ("csv", "klaviyo"):
        assert {r["item_1_url"] for r in rows} == {"https://shop.example/products/teapot"}
    if name in ("mailchimp", "shopify-email"):
        assert {r["Tags"] for r in rows} == {"shoprec-tea"}
    kim = [r for r in rows if r[EMAIL_COLUMN[name]] == "k1@example.com"]
    if kim:
        assert (kim[0]["First Name" if name != "csv" else "first_name"]) == "Kim"
    assert campaigns.get(shop, "tea").exported_at is not None


def test_campaign_export_leaves_out_customers_without_email(shop, tmp_path):
    campaigns.create(shop, "tea", campaigns.preview(shop, "items", item_ids=["T03"], size=10),
                     holdout=0.0, seed=2)
    first = campaigns.members(shop, campaigns.get(shop, "tea"))[0]
    with shop.atomic() as conn:
        conn.execute("UPDATE customers SET email = NULL WHERE id = ?", (first.customer_key,))
    result = campaigns.export_campaign(shop, "tea", "csv", tmp_path / "a.csv")
    assert result["left_out_without_email"] == 1 and result["rows"] == 9


def test_a_plugin_can_add_a_campaign_exporter(tmp_path):
    from shoprec.core.contracts.exporters import CampaignExporterSpec

    class Plug:
        @hookimpl
        def shoprec_campaign_exporters(self):
            return [CampaignExporterSpec(name="brevo", title="Brevo", description="d",
                                         extension="csv", write=lambda data, path: 0)]

    pm = get_plugin_manager(entry_points=False)
    pm.register(Plug(), name="brevo-plugin")
    assert "brevo" in campaign_exporters(pm)
    info = {i.name: i for i in pm.plugin_infos()}
    assert info["brevo-plugin"].kinds == ("campaign exporter",)


# -------------------------------------------------------------------------------------------
# Backtest: nothing was sent, so send and holdout buy alike; the audience beats the base rate
# -------------------------------------------------------------------------------------------


def _taste_shop(seed: int = 0) -> tuple[Dataset, int]:
    """400 customers in 4 taste groups of 6 products; after day 60, a third of each group buys
    its group's product 0, nobody else does."""
    rng = np.random.default_rng(seed)
    users, items, times = [], [], []
    as_of = 60 * DAY
    for u in range(400):
        g = u % 4
        for _ in range(6):
            users.append(u)
            items.append(g * 6 + int(rng.integers(0, 6)))
            times.append(int(rng.integers(0, 59)) * DAY)
        if rng.random() < 0.35:
            users.append(u)
            items.append(g * 6)
            times.append(as_of + int(rng.integers(0, 13)) * DAY)
    n = len(users)
    ds = Dataset(user_ids=np.array([f"U{u}" for u in range(400)], dtype=object),
                 item_ids=np.array([f"P{i}" for i in range(24)], dtype=object),
                 users=users, items=items, types=np.full(n, TYPE_CODE["purchase"]), times=times,
                 quantities=np.ones(n), values=np.full(n, np.nan), orders=np.arange(n))
    return ds, as_of


def test_backtest_audience_beats_the_base_rate_and_the_aa_split_reads_zero():
    ds, as_of = _taste_shop()
    result = backtest.backtest(ds, ["P0", "P6", "P12"], as_of=as_of, size=60, strategy="ease",
                                window_days=14, seed=0, window_check=False)
    assert len(result.items) == 3
    for row in result.items:
        lo, hi = row.send_holdout_ci95
        assert lo <= 0 <= hi  # nothing was sent: the difference is consistent with zero
        assert row.lift is not None and row.lift > 2.5  # several times the shop-wide rate
        assert row.rate_ci95[0] > row.base_rate
    totals = result.totals()
    assert totals["mean_lift"] > 2.5
    assert totals["bought"] > totals["random_bought"]
    assert "mean targeting lift" in result.table()


def test_backtest_refuses_a_date_without_data_after_it():
    ds, _ = _taste_shop()
    with pytest.raises(campaigns.CampaignError, match="choose an earlier"):
        backtest.backtest(ds, ["P0"], as_of=400 * DAY, strategy="popularity")


def test_scorer_probabilities_are_the_lists_probabilities(shop):
    loaded = engine.load_run(shop, engine.latest_run(shop).id, device="cpu")
    scorer = Scorer.from_loaded(loaded)
    lists = engine.recommend(shop, loaded.record.id, ["K002"], top_n=3, threshold=0.0,
                             loaded=loaded)
    rec = lists[0].items[0]
    u = int(loaded.dataset.user_index(["K002"])[0])
    p = scorer.probabilities(np.array([rec.item]), np.array([u]))[0, 0]
    assert p == pytest.approx(rec.score, rel=1e-5)
    aud = item_audience(scorer, np.array([rec.item]), contacts=Contacts.everyone(loaded.dataset.n_users))
    assert aud.eligible > 0


# -------------------------------------------------------------------------------------------
# CLI
# -------------------------------------------------------------------------------------------


def test_cli_campaign_end_to_end(shop, tmp_path):
    runner = CliRunner()
    base = ["--workspace", str(shop.path), "campaign"]
    out = runner.invoke(cli, base + ["audience", "--item", "T03", "--size", "10"])
    assert out.exit_code == 0, out.output
    assert "expected to buy" in out.output and "percentage points" in out.output
    out = runner.invoke(cli, base + ["audience", "--item", "T03", "--size", "5", "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert doc["size"] == len(doc["members"]) == 5 and doc["members"][0]["items"] == ["T03"]
    assert doc["power"]["send"] == 4 and doc["power"]["holdout"] == 1
    out = runner.invoke(cli, base + ["create", "tea", "--item", "T03", "--size", "10",
                                     "--holdout", "0.2", "--seed", "3"])
    assert out.exit_code == 0, out.output
    assert "8 to send, 2 held back (seed 3)" in out.output
    out = runner.invoke(cli, base + ["export", "tea", "--exporter", "mailchimp", "--out",
                                     str(tmp_path / "m.csv")])
    assert out.exit_code == 0, out.output
    assert len(_read(tmp_path / "m.csv")) == 8
    out = runner.invoke(cli, base + ["report", "tea", "--json"])
    assert out.exit_code == 0, out.output
    rep = json.loads(out.output)
    for group in ("treated", "holdout"):
        assert {"size", "converted", "expected"} <= set(rep[group])
    assert {"difference", "ci95"} <= set(rep["lift"]) and "base_rate" in rep
    out = runner.invoke(cli, base + ["list"])
    assert "tea" in out.output and "send" in out.output
    out = runner.invoke(cli, base + ["delete", "tea"])
    assert out.exit_code == 0 and shop.count("campaign_members") == 0
    out = runner.invoke(cli, base + ["report", "nope"])
    assert out.exit_code != 0 and "no campaign named 'nope'" in out.output
    assert "Traceback" not in out.output


# -------------------------------------------------------------------------------------------
# From the run's event to "buys it within the window"
# -------------------------------------------------------------------------------------------


def test_solve_shift_matches_the_observed_count_and_keeps_the_order():
    from shoprec.core.shop.audiences import WindowShift, solve_shift

    p = np.array([0.5, 0.4, 0.3, 0.2, 0.1, 0.05])  # sums to 1.55
    b = solve_shift(p, 0.5)
    shift = WindowShift(b=b, days=14, predicted=float(p.sum()), observed=1, rows=len(p))
    q = shift.apply(p)
    assert q.sum() == pytest.approx(0.5, abs=1e-6)
    assert b < 0 and list(np.argsort(-q)) == list(np.argsort(-p))
    # by hand: one probability of 0.2 and one observed buyer in 2 rows -> σ(logit 0.2 + b) = 0.5
    assert solve_shift(np.array([0.2, 0.2]), 1.0) == pytest.approx(np.log(4), abs=1e-6)


def test_audience_chances_read_as_purchases_within_the_window(shop):
    chosen = campaigns.preview(shop, "items", item_ids=["T03"], window_days=14)
    assert "buys it within 14 days" in chosen.audience.event
    key = f"campaigns.window_shift.{chosen.run_id}.14"
    assert json.loads(shop.get_setting(key))["rows"] > 0  # measured once, kept for next time
    plain = campaigns.preview(shop, "items", item_ids=["T03"], window_check=False)
    assert "next 10 interactions" in plain.audience.event
    assert [m.customer_id for m in plain.audience.members] == [
        m.customer_id for m in chosen.audience.members]  # the same customers, in the same order


def test_cli_backtest_by_category(shop):
    as_of = dt.datetime.fromtimestamp(_data_end(shop) - 30 * DAY, dt.timezone.utc)
    out = CliRunner().invoke(cli, [
        "--workspace", str(shop.path), "campaign", "backtest", "--top-categories", "2",
        "--category", "Tea", "--as-of", as_of.strftime("%Y-%m-%d"), "--size", "10",
        "--window", "30", "--no-window-check", "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    labels = [row["item"] for row in result["items"]]
    assert labels[0] == "category:Tea" and len(labels) == 3
    assert all(row["size"] == 10 and 0 <= row["bought"] <= 10 for row in result["items"])


def test_chance_of_any_counts_the_likeliest_few_products_of_a_set():
    from shoprec.core.shop.audiences import chance_of_any

    row = np.array([[0.3, 0.2] + [0.005] * 500])
    # 1 - 0.7 * 0.8 * 0.995^3, not the near-certainty 500 floor values would add up to
    assert chance_of_any(row)[0] == pytest.approx(1 - 0.7 * 0.8 * 0.995**3)
    assert chance_of_any(np.array([[0.1, 0.2]]))[0] == pytest.approx(1 - 0.9 * 0.8)


def test_cli_backtest_of_reorder_reminders(shop):
    as_of = dt.datetime.fromtimestamp(_data_end(shop) - 40 * DAY, dt.timezone.utc)
    out = CliRunner().invoke(cli, [
        "--workspace", str(shop.path), "campaign", "backtest", "--reorder",
        "--as-of", as_of.strftime("%Y-%m-%d"), "--window", "30", "--no-window-check", "--json"])
    assert out.exit_code == 0, out.output
    r = json.loads(out.output)
    assert r["due"] > 0 and 0 <= r["due_bought"] <= r["due"]
    assert r["others_bought"] <= r["others"]
    lo, hi = r["difference_ci95"]
    assert lo <= r["difference"] <= hi
