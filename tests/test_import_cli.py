"""``shoprec import | info | rejects | formats`` as a shop owner runs them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from shoprec.core.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"


def run(tmp_path: Path, *args: str):
    return CliRunner().invoke(cli, ["--workspace", str(tmp_path / "shop.shoprec"), *args])


def test_import_prints_the_accounting_and_json_has_every_field(tmp_path):
    res = run(tmp_path, "import", str(FIXTURES / "events_pipe.txt"))
    assert res.exit_code == 0, res.output
    assert "7 rows read = 4 imported + 0 duplicates + 3 rejected" in res.output
    res = run(tmp_path, "import", "--json", str(FIXTURES / "events_pipe.txt"))
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    (s,) = data["imports"]
    assert {k: s[k] for k in ("format", "encoding", "delimiter", "rows_read", "imported",
                              "duplicates", "rejected")} == {
        "format": "events", "encoding": "utf-8", "delimiter": "|", "rows_read": 7, "imported": 0,
        "duplicates": 4, "rejected": 3}
    assert isinstance(s["seconds"], float)


def test_bad_file_exits_non_zero_with_one_line_and_no_traceback(tmp_path):
    res = run(tmp_path, "import", str(FIXTURES / "picture.csv"), str(FIXTURES / "ratings.dat"))
    assert res.exit_code == 1
    errors = [line for line in res.stderr.splitlines() if line.strip()]
    assert errors == [f"Error: {FIXTURES / 'picture.csv'}: this is a PNG image, not a CSV file"]
    assert "Traceback" not in res.output
    assert "4 rows read = 4 imported" in res.stdout  # the good file still went in


def test_map_option_and_format_option(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Customer Email,Product,When\na@x.org,P1,2026-03-01\n")
    res = run(tmp_path, "import", str(path))
    assert res.exit_code == 1 and "unknown layout" in res.stderr
    res = run(tmp_path, "import", str(path), "--map", "Customer Email=customer",
              "--map", "Product=item", "--map", "When=time")
    assert res.exit_code == 0, res.output
    assert "1 imported" in res.stdout
    res = run(tmp_path, "import", str(path), "--map", "Customer Email")
    assert res.exit_code == 2 and "COLUMN=FIELD" in res.output
    res = run(tmp_path, "import", "--format", "nosuch", str(path))
    assert res.exit_code == 1 and "unknown format 'nosuch'" in res.stderr


def test_info_rejects_and_formats(tmp_path):
    run(tmp_path, "import", str(FIXTURES / "events_zh_gb18030.csv"), str(FIXTURES / "ratings.dat"))
    info = json.loads(run(tmp_path, "info", "--json").stdout)
    assert (info["customers"], info["events"], info["imports"], info["rejects"]) == (4, 8, 2, 2)
    assert info["events_by_type"] == {"view": 1, "cart": 1, "fav": 1, "purchase": 1, "rating": 4}
    text = run(tmp_path, "info").stdout
    assert "rating 4" in text and "rejects:    2" in text

    rejects = json.loads(run(tmp_path, "rejects", "--json").stdout)
    assert [(r["file"], r["line"], r["reason"]) for r in rejects] == [
        ("events_zh_gb18030.csv", 6, "unknown event type '飞行'"),
        ("events_zh_gb18030.csv", 7, "non-numeric quantity '两'"),
    ]
    assert rejects[0]["raw"] == "U002,SP-003,茶杯,飞行,2026-01-06 08:01:00,1"
    assert json.loads(run(tmp_path, "rejects", "--import", "2", "--json").stdout) == []
    res = run(tmp_path, "rejects", "--import", "99")
    assert res.exit_code == 1 and "no import with id 99" in res.output
    assert "events_zh_gb18030.csv:6: unknown event type" in run(tmp_path, "rejects").stdout

    res = run(tmp_path, "formats")
    assert res.exit_code == 0
    for name in ("shopify_orders", "woocommerce_products", "taobao", "movielens", "events"):
        assert name in res.stdout
    names = {f["name"] for f in json.loads(run(tmp_path, "formats", "--json").stdout)}
    assert "square_item_sales" in names


def test_reimporting_a_file_does_not_count_its_rejects_twice_and_guests_are_shown(tmp_path):
    path = FIXTURES / "online_retail.csv"
    bad = tmp_path / "bad.csv"
    bad.write_text("customer,sku,quantity,date\nc1,A,1,2026-01-02\nc1,B,x,2026-01-02\n,C,1,2026-01-03\n")
    for _ in range(3):
        assert run(tmp_path, "import", str(bad), str(path)).exit_code == 0
    info = json.loads(run(tmp_path, "info", "--json").stdout)
    assert (info["rejects"], info["rejects_all_imports"]) == (2, 6)
    assert (info["anonymous_lines"], info["anonymous_orders"]) == (1, 1)
    text = run(tmp_path, "info").stdout
    assert "rejects:    2 distinct rows (4 more are the same rows imported again)" in text
    assert "anonymous:  1 order lines in 1 orders without a customer" in text
    res = run(tmp_path, "import", str(path))
    assert "4 rows read = 0 imported + 4 duplicates + 0 rejected" in res.output
    res = run(tmp_path, "import", "--json", str(path))
    assert json.loads(res.stdout)["imports"][0]["anonymous"] == 0


def test_import_says_how_many_lines_have_no_customer(tmp_path):
    res = run(tmp_path, "import", str(FIXTURES / "online_retail.csv"))
    assert res.exit_code == 0, res.output
    assert "4 rows read = 3 imported + 1 anonymous (order lines without a customer) + 0 duplicates + 0 rejected" in res.output
