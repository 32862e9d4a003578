"""Text in every encoding shops write is stored as the shop owner typed it, or refused in one line.

A table of real shop languages (Chinese GBK/GB18030/Big5, Japanese Shift-JIS, Korean EUC-KR,
Cyrillic cp1251, Central European cp1250, Western cp1252, UTF-16 with and without BOM) is
imported and the product names read back; a file that changes encoding part way is read line by
line; NUL bytes late in a file, out-of-range numbers and duplicated columns are rejects or one
clear line, never stored garbage.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from shoprec.core.cli import cli
from shoprec.core.importing import ImportFailed, import_file

TITLES = {
    "zh-Hans": ["绿茶礼盒装", "不锈钢保温杯", "纯棉毛巾", "手工香皂", "蓝牙耳机", "陶瓷茶杯套装"],
    "zh-Hant": ["綠茶禮盒裝", "不鏽鋼保溫杯", "純棉毛巾", "手工香皂", "藍牙耳機", "陶瓷茶杯組"],
    "ja": ["緑茶ギフトセット", "ステンレス水筒", "綿のタオル", "手作り石鹸", "ワイヤレスイヤホン", "陶器のマグカップ"],
    "ko": ["녹차 선물 세트", "스테인리스 텀블러", "면 수건", "수제 비누", "블루투스 이어폰", "도자기 머그컵"],
    "ru": ["Зелёный чай", "Термокружка из стали", "Хлопковое полотенце", "Мыло ручной работы",
           "Беспроводные наушники", "Керамическая кружка"],
    "pl": ["Zielona herbata", "Kubek termiczny ze stali", "Ręcznik bawełniany", "Mydło ręcznie robione",
           "Słuchawki bezprzewodowe", "Kubek ceramiczny żółty"],
    "cs": ["Zelený čaj", "Termohrnek z oceli", "Bavlněný ručník", "Ručně vyráběné mýdlo",
           "Bezdrátová sluchátka", "Keramický hrnek"],
    "fr": ["Thé vert", "Crème brûlée", "Café au lait", "Gâteau à la crème", "Pâte à tartiner", "Bière blonde"],
    "de": ["Grüner Tee", "Thermobecher aus Edelstahl", "Baumwollhandtuch", "Handgemachte Seife",
           "Kopfhörer für Kinder", "Müsli mit Früchten"],
}

# (label, language, how the bytes are written, encoding the import reports)
TABLE = [
    ("GBK", "zh-Hans", "gbk", "gb18030"),
    ("GB18030", "zh-Hans", "gb18030", "gb18030"),
    ("Big5", "zh-Hant", "big5", "big5"),
    ("Shift-JIS", "ja", "shift_jis", "shift_jis"),
    ("EUC-KR", "ko", "euc_kr", "euc_kr"),
    ("cp1251 Russian", "ru", "cp1251", "cp1251"),
    ("cp1250 Polish", "pl", "cp1250", "cp1250"),
    ("cp1250 Czech", "cs", "cp1250", "cp1250"),
    ("cp1252 French", "fr", "cp1252", "cp1252"),
    ("cp1252 German", "de", "cp1252", "cp1252"),
    ("UTF-16 with BOM", "zh-Hans", "utf-16", "utf-16 (BOM)"),
    ("UTF-16 LE without BOM", "fr", "utf-16-le", "utf-16-le"),
    ("UTF-16 BE without BOM", "ru", "utf-16-be", "utf-16-be"),
    ("UTF-8", "ko", "utf-8", "utf-8"),
    ("UTF-8 with BOM", "ja", "utf-8-sig", "utf-8 (BOM)"),
]


def _shop_file(tmp_path: Path, titles: list[str], encoding: str, name: str = "orders.csv") -> Path:
    lines = ["customer,sku,product name,quantity,date"]
    lines += [f"c{i % 3},S{i},{t},1,2026-01-{i + 1:02d}" for i, t in enumerate(titles)]
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _titles(ws) -> dict[str, str]:
    return dict(ws.conn.execute("SELECT external_id, title FROM items"))


@pytest.mark.parametrize(("label", "lang", "written", "reported"), TABLE, ids=[t[0] for t in TABLE])
def test_every_shop_language_is_stored_as_written(ws, tmp_path, label, lang, written, reported):
    titles = TITLES[lang]
    s = import_file(ws, _shop_file(tmp_path, titles, written))
    assert (s.encoding, s.imported, s.rejected) == (reported, len(titles), 0), label
    assert _titles(ws) == {f"S{i}": t for i, t in enumerate(titles)}


def test_given_encoding_is_used_as_is_and_a_wrong_one_is_one_line(ws, tmp_path):
    path = _shop_file(tmp_path, TITLES["pl"], "cp1250")
    with pytest.raises(ImportFailed) as err:  # Polish bytes are not valid Shift-JIS
        import_file(ws, _shop_file(tmp_path, TITLES["zh-Hans"], "gbk", "zh.csv"), encoding="utf-8")
    assert "not valid utf-8" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(ImportFailed, match="unknown encoding 'klingon'"):
        import_file(ws, path, encoding="klingon")
    s = import_file(ws, path, encoding="cp1250")
    assert s.encoding == "cp1250"
    assert _titles(ws)["S2"] == "Ręcznik bawełniany"


def test_import_command_takes_encoding(tmp_path):
    path = _shop_file(tmp_path, TITLES["cs"], "cp1250")
    res = CliRunner().invoke(cli, ["--workspace", str(tmp_path / "w.shoprec"), "import",
                                   "--encoding", "cp1250", str(path)])
    assert res.exit_code == 0, res.output
    assert "cp1250" in res.output and "6 imported" in res.output


def test_text_no_encoding_reads_is_refused_naming_the_file_not_imported_as_mojibake(ws, tmp_path):
    rnd = random.Random(3)
    lines = [b"customer,sku,product name"]
    lines += [b"c%d,s%d," % (i, i) + bytes(rnd.randrange(0x80, 0x100) for _ in range(12)) for i in range(30)]
    path = tmp_path / "garbled.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(ImportFailed) as err:
        import_file(ws, path)
    msg = str(err.value)
    assert msg.startswith(str(path)) and "cannot tell the text encoding" in msg and "--encoding" in msg
    assert ws.count("events") == 0 and ws.count("imports") == 0


def test_a_file_that_changes_encoding_part_way_is_read_line_by_line(ws, tmp_path):
    head = "customer,sku,product name,quantity,date\n"
    utf8 = "".join(f"c{i},U{i},Café crème {i},1,2026-01-02\n" for i in range(3000))
    western = "".join(f"w{i},W{i},Café crème {i},1,2026-01-03\n" for i in range(3))
    chinese = "".join(f"z{i},Z{i},绿茶礼盒 {i},1,2026-01-04\n" for i in range(3))
    path = tmp_path / "glued.csv"
    path.write_bytes(head.encode() + utf8.encode() + western.encode("cp1252") + chinese.encode("gbk")
                     + b"x9,U9x,ok,1,2026-01-05\n")
    s = import_file(ws, path)
    assert (s.rows_read, s.imported, s.rejected) == (3007, 3007, 0)
    assert s.encoding == "utf-8 + cp1252 (3 lines) + gb18030 (3 lines)"
    titles = _titles(ws)
    assert titles["U5"] == "Café crème 5" and titles["W1"] == "Café crème 1"
    assert titles["Z2"] == "绿茶礼盒 2"
    assert not any("Ã" in t or "\ufffd" in t for t in titles.values())


def test_lines_no_encoding_reads_are_rejects_naming_the_line(ws, tmp_path):
    head = "customer,sku,product name,quantity,date\n"
    good = "".join(f"c{i},U{i},Grüner Tee {i},1,2026-01-02\n" for i in range(5))
    path = tmp_path / "broken.csv"
    # 0x81 0x8d: undefined in Windows-1252, and not UTF-8 or GB18030 as they stand
    path.write_bytes((head + good).encode() + b"c9,X9,bad \x81\x8d\xff,1,2026-01-02\n" + good.encode())
    s = import_file(ws, path)
    assert (s.rows_read, s.rejected) == (11, 1)
    line, reason = ws.conn.execute("SELECT line, reason FROM rejects").fetchone()
    assert line == 7 and "not valid utf-8" in reason
    assert ws.count("items", "external_id = 'X9'") == 0


def test_a_nul_byte_late_in_the_file_rejects_that_line_only(ws, tmp_path):
    head = "customer,sku,quantity,date\n"
    rows = "".join(f"customer{i:06d},SKU{i % 50},1,2026-01-02 10:00:00\n" for i in range(12_000))
    path = tmp_path / "nul.csv"
    path.write_bytes((head + rows).encode() + b"cust\x00omer,SKU1,1,2026-01-03\n" + b"last,SKU2,1,2026-01-03\n")
    assert path.stat().st_size > 256 * 1024  # past the sniffed sample
    s = import_file(ws, path)
    assert (s.rows_read, s.imported, s.rejected) == (12_002, 12_001, 1)
    line, reason = ws.conn.execute("SELECT line, reason FROM rejects").fetchone()
    assert line == 12_002 and "NUL" in reason
    assert ws.count("customers", "instr(external_id, char(0)) > 0") == 0


@pytest.mark.parametrize("bad", ["inf", "1e309", "NaN", "-inf", "1e12"])
def test_quantities_that_are_not_numbers_of_things_are_rejects(ws, tmp_path, bad):
    path = tmp_path / "q.csv"
    path.write_text(f"customer,sku,quantity,price,date\nc1,A,2,3.5,2026-01-02\nc1,B,{bad},3.5,2026-01-02\n")
    s = import_file(ws, path)
    assert (s.imported, s.rejected) == (1, 1)
    assert "quantity" in ws.conn.execute("SELECT reason FROM rejects").fetchone()[0]
    assert ws.conn.execute("SELECT MAX(ABS(quantity)) FROM events").fetchone()[0] == 2


def test_an_infinite_price_is_a_reject(ws, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("customer,sku,quantity,price,date\nc1,A,2,1e309,2026-01-02\nc1,B,1,2.50,2026-01-02\n")
    s = import_file(ws, path)
    assert (s.imported, s.rejected) == (1, 1)
    assert "price out of range" in ws.conn.execute("SELECT reason FROM rejects").fetchone()[0]


def test_a_duplicated_customer_column_is_one_line(ws, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("customer_id,sku,customer_id,date\nc1,A,c2,2026-01-02\n")
    with pytest.raises(ImportFailed) as err:
        import_file(ws, path)
    assert "'customer_id' appears 2 times (columns 1, 3)" in str(err.value)
    assert ws.count("imports") == 0


def test_a_duplicated_column_that_is_not_used_is_harmless(ws, tmp_path):
    path = tmp_path / "dup_notes.csv"
    path.write_text("customer,sku,notes,notes,date\nc1,A,x,y,2026-01-02\n")
    assert import_file(ws, path).imported == 1


def test_a_western_file_with_utf8_rows_added_later_reads_both(ws, tmp_path):
    head = "customer;sku;product name;quantity;date\n"
    western = "".join(f"w{i};W{i};Crème brûlée {i};1;2026-01-02\n" for i in range(50))
    utf8 = "".join(f"u{i};U{i};Crème brûlée {i};1;2026-01-03\n" for i in range(3))
    path = tmp_path / "pasted.csv"
    path.write_bytes((head + western).encode("cp1252") + utf8.encode("utf-8"))
    s = import_file(ws, path)
    assert (s.imported, s.rejected) == (53, 0)
    assert s.encoding == "cp1252 + utf-8 (3 lines)"
    titles = _titles(ws)
    assert titles["W7"] == "Crème brûlée 7" and titles["U2"] == "Crème brûlée 2"


def test_a_western_file_with_chinese_rows_pasted_at_the_end_reads_both(ws, tmp_path):
    head = "customer;sku;product name;quantity;date\n"
    western = "".join(f"w{i};W{i};Crème brûlée {i};1;2026-01-02\n" for i in range(50))
    chinese = "".join(f"z{i};Z{i};绿茶礼盒 {i};1;2026-01-03\n" for i in range(2))
    path = tmp_path / "pasted_zh.csv"
    path.write_bytes((head + western).encode("cp1252") + chinese.encode("gbk"))
    s = import_file(ws, path)
    assert (s.imported, s.rejected, s.encoding) == (52, 0, "cp1252 + gb18030 (2 lines)")
    assert _titles(ws)["Z1"] == "绿茶礼盒 1" and _titles(ws)["W3"] == "Crème brûlée 3"


def test_a_stray_nul_byte_early_in_the_file_rejects_its_line_too(ws, tmp_path):
    path = tmp_path / "nul_early.csv"
    path.write_bytes(b"customer,sku,quantity,date\nc1,A,1,2026-01-02\nc\x002,B,1,2026-01-02\nc3,C,1,2026-01-02\n")
    s = import_file(ws, path)
    assert (s.imported, s.rejected) == (2, 1)
    assert ws.conn.execute("SELECT line, reason FROM rejects").fetchone() == (3, "a NUL byte in the line (binary data?)")


def test_a_cyrillic_file_with_a_utf8_row_reads_both_and_cyrillic_is_never_taken_for_utf8(ws, tmp_path):
    head = "customer;sku;product name;quantity;date\n"
    russian = "".join(f"r{i};R{i};Зелёный чай Ёлка {i};1;2026-01-02\n" for i in range(40))
    path = tmp_path / "ru.csv"
    path.write_bytes((head + russian).encode("cp1251") + "u1;U1;Чай ёлка;1;2026-01-03\n".encode())
    s = import_file(ws, path)
    assert (s.imported, s.encoding) == (41, "cp1251 + utf-8 (1 line)")
    assert _titles(ws)["R7"] == "Зелёный чай Ёлка 7" and _titles(ws)["U1"] == "Чай ёлка"


@pytest.mark.parametrize(("main", "lang"), [("gbk", "zh-Hans"), ("big5", "zh-Hant"), ("shift_jis", "ja"),
                                            ("euc_kr", "ko")])
def test_a_cjk_file_with_utf8_rows_pasted_at_the_end_reads_both(ws, tmp_path, main, lang):
    titles = TITLES[lang]
    head = "customer,sku,product name,quantity,date\n"
    rows = "".join(f"c{i},L{i},{titles[i % 6]} {i},1,2026-01-02\n" for i in range(60))
    pasted = "".join(f"u{i},U{i},{titles[i]},1,2026-01-03\n" for i in range(3))
    path = tmp_path / f"{main}.csv"
    path.write_bytes((head + rows).encode(main) + pasted.encode("utf-8"))
    s = import_file(ws, path)
    assert (s.imported, s.rejected) == (63, 0)
    assert s.encoding.endswith(" + utf-8 (3 lines)")
    got = _titles(ws)
    assert [got[f"U{i}"] for i in range(3)] == titles[:3]
    assert all(got[f"L{i}"] == f"{titles[i % 6]} {i}" for i in range(60))
