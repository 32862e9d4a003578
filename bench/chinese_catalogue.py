"""Text for a Chinese catalogue: the bundled English encoder against the character n-gram
fallback, on a small shop export in GBK (the encoding Chinese shop tools still write).

    python bench/chinese_catalogue.py

A hand-written catalogue of 120 products in 12 categories (tea, teaware, kitchen, baby, pet,
skincare, stationery, phone accessories, snacks, bedding, outdoor, gardening; titles as Taobao or
JD sellers write them) is written as a GBK event log, imported through ShopRec's own importer, and
its titles encoded with each encoder. Two measurements:

- similar products: of each product's 5 nearest neighbours, the share in its own category;
- cold start: 240 customers each bought 3 products of one category; a third of the catalogue is
  "new" (never bought); each customer ranks all new products by similarity to their purchases,
  and a hit is a new product of their category in the top 5 (HR@5; MRR of the first one).

The multilingual encoders that would read Chinese are not installed and nothing is downloaded,
so they are not measured here; a local model folder can be given with ``--encoder PATH``.

Runtime: dominated by the bundled MiniLM encoding the titles (14.1 s on the shared 2-core
machine, 2026-12-07). Results: bench/RESULTS.md, "Quality: new products, text, guest baskets".
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import numpy as np

CATALOGUE = {
    "茶叶": ["西湖龙井 明前特级 250克", "安溪铁观音 浓香型 礼盒装", "云南普洱熟茶 357克 茶饼", "福建白茶 白牡丹 散装",
           "正山小种 红茶 罐装 200克", "茉莉花茶 飘雪 100克", "黄山毛峰 绿茶 新茶", "大红袍 岩茶 礼盒",
           "祁门红茶 一级 150克", "碧螺春 春茶 罐装"],
    "茶具": ["宜兴紫砂壶 手工 西施壶", "青瓷茶杯 家用 套装 6只", "玻璃公道杯 加厚 耐热", "功夫茶具 整套 带茶盘",
           "竹制茶盘 排水式", "白瓷盖碗 三才碗", "旅行茶具 便携 快客杯", "建盏 天目釉 主人杯",
           "铸铁茶壶 日式 煮茶", "茶漏 茶滤 不锈钢"],
    "厨房": ["不粘锅 炒锅 32厘米 燃气电磁炉通用", "不锈钢 汤锅 加厚 双耳", "陶瓷 刀具 套装 五件", "实木 砧板 菜板 抗菌",
           "电饭煲 4升 智能预约", "硅胶 铲子 勺子 厨具套装", "铸铁 平底锅 煎锅 28厘米", "厨房 收纳架 置物架 多层",
           "玻璃 保鲜盒 微波炉可用 套装", "手摇 打蛋器 不锈钢"],
    "母婴": ["婴儿 纸尿裤 L码 60片", "宝宝 奶瓶 宽口径 防胀气", "儿童 保温杯 吸管杯", "婴儿 湿巾 手口专用 80抽",
           "宝宝 辅食 米粉 高铁", "婴儿 连体衣 纯棉 春秋", "儿童 安全座椅 0-4岁", "婴儿 推车 轻便 折叠",
           "宝宝 磨牙棒 牙胶", "婴儿 洗发沐浴露 二合一"],
    "宠物": ["猫粮 成猫 全价 2公斤", "狗粮 小型犬 鸡肉味 5公斤", "猫砂 豆腐砂 除臭 6升", "宠物 牵引绳 反光",
           "猫抓板 瓦楞纸 耐磨", "狗狗 磨牙 洁齿骨", "宠物 自动饮水机 循环", "猫咪 逗猫棒 羽毛",
           "宠物 窝 冬季 保暖", "狗狗 洗澡 沐浴露 除臭"],
    "护肤": ["补水 保湿 面膜 20片", "玻尿酸 精华液 30毫升", "氨基酸 洗面奶 温和", "防晒霜 SPF50 清爽",
           "保湿 乳液 男士", "眼霜 淡化 细纹", "卸妆水 敏感肌 500毫升", "爽肤水 控油 收缩毛孔",
           "身体乳 滋润 保湿 秋冬", "护手霜 便携 套装"],
    "文具": ["中性笔 黑色 0.5毫米 12支", "笔记本 A5 方格 加厚", "彩色 铅笔 48色 绘画", "文件夹 A4 多层 收纳",
           "便利贴 彩色 便签纸", "钢笔 学生 练字 墨囊", "订书机 省力 办公", "荧光笔 标记 6色",
           "橡皮擦 美术 4B", "桌面 笔筒 收纳盒"],
    "手机配件": ["手机壳 防摔 透明 硅胶", "钢化膜 全屏 高清", "快充 充电器 20瓦 Type-C", "数据线 编织 1米",
             "无线 充电器 15瓦", "充电宝 20000毫安 快充", "蓝牙 耳机 降噪 真无线", "车载 手机支架 出风口",
             "自拍杆 三脚架 蓝牙遥控", "手机 散热器 游戏"],
    "零食": ["每日坚果 混合 30袋", "牛肉干 麻辣味 250克", "夏威夷果 奶油味 罐装", "薯片 原味 大包装",
           "饼干 早餐 代餐 整箱", "巧克力 黑巧 85%", "果干 芒果干 无添加", "海苔 即食 儿童 零食",
           "辣条 大刀肉 怀旧", "山楂片 酸甜 开胃"],
    "床品": ["纯棉 四件套 1.8米床", "蚕丝被 冬被 加厚", "记忆棉 枕头 颈椎", "乳胶 床垫 1.5米",
           "珊瑚绒 毛毯 午睡", "羽绒被 白鹅绒", "床笠 防滑 单件", "蚊帐 拉链 落地",
           "凉席 冰丝 三件套", "抱枕 沙发 靠垫"],
    "户外": ["帐篷 户外 双人 防雨", "登山杖 碳纤维 伸缩", "睡袋 成人 加厚 冬季", "户外 折叠椅 便携",
           "登山包 40升 防水", "头灯 强光 充电", "露营灯 营地灯 挂灯", "速干 衣 男 户外",
           "保温 水壶 不锈钢 1升", "野餐垫 防潮 加厚"],
    "园艺": ["绿萝 盆栽 室内 净化空气", "多肉 植物 组合 含盆", "花盆 陶瓷 大号 带托盘", "营养土 通用型 种花",
           "园艺 剪刀 修枝剪", "洒水壶 长嘴 浇花", "缓释肥 复合肥 颗粒", "种子 香草 薄荷 罗勒",
           "多肉 铺面石 彩色", "花架 阳台 多层 铁艺"],
}


def write_gbk_export(path: Path) -> None:
    """The catalogue as a GBK event log (each product viewed once), the way the import reads it."""
    with open(path, "w", encoding="gbk", newline="") as fh:
        fh.write("用户ID,商品ID,商品名称,类目,行为类型,时间,数量\n")
        n = 0
        for cat, titles in CATALOGUE.items():
            for title in titles:
                n += 1
                fh.write(f"U{n:04d},SP-{n:04d},{title},{cat},浏览,2026-01-{1 + n % 28:02d} 10:00:00,1\n")


def neighbour_precision(vectors: np.ndarray, cats: np.ndarray, k: int = 5) -> float:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    top = np.argsort(-sims, axis=1)[:, :k]
    return float((cats[top] == cats[:, None]).mean())


def cold_start(vectors: np.ndarray, cats: np.ndarray, seed: int = 0, k: int = 5) -> tuple[float, float]:
    rnd = random.Random(seed)
    n = len(cats)
    new = np.array(sorted(rnd.sample(range(n), n // 3)))
    old = np.array([i for i in range(n) if i not in set(new.tolist())])
    hits, rr = [], []
    for _ in range(240):
        cat = rnd.choice(sorted(set(cats.tolist())))
        mine = [i for i in old if cats[i] == cat]
        if len(mine) < 3 or not (cats[new] == cat).any():
            continue
        bought = rnd.sample(mine, 3)
        profile = vectors[bought].mean(axis=0)
        order = new[np.argsort(-(vectors[new] @ profile))]
        good = cats[order] == cat
        hits.append(bool(good[:k].any()))
        rr.append(1.0 / (1 + int(np.argmax(good))))
    return float(np.mean(hits)), float(np.mean(rr))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", action="append", default=None,
                        help="encoders to measure (default: minilm and tfidf)")
    args = parser.parse_args()
    from shoprec.core.data.dataset import Dataset
    from shoprec.core.importing import import_file
    from shoprec.core.models.text import choose_encoder, encode_items, latin_share
    from shoprec.core.store.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "商品浏览_gbk.csv"
        write_gbk_export(export)
        ws = Workspace(Path(tmp) / "zh.shoprec")
        summary = import_file(ws, export)
        ds = Dataset.from_workspace(ws)
        titles = [str(t or "") for t in ds.catalog.title]
        # The category is known from the catalogue itself (the generic log has no category
        # column), so the measure never depends on what the importer made of it.
        by_title = {t: cat for cat, ts in CATALOGUE.items() for t in ts}
        cats = np.array([by_title[t] for t in titles])
        ws.close()
    print(f"import: {summary.rows_read} rows, encoding {summary.encoding}, format {summary.format}; "
          f"{len(titles)} products, Latin share of letters {latin_share(titles):.2f}, "
          f"'auto' picks {choose_encoder(titles)}")
    print("| encoder | similar products: same category in top 5 | cold start HR@5 | cold start MRR | encode s |")
    print("|---|---:|---:|---:|---:|")
    rnd = np.random.default_rng(0)
    random_vectors = rnd.normal(size=(len(titles), 64)).astype(np.float32)
    random_vectors /= np.linalg.norm(random_vectors, axis=1, keepdims=True)
    rows = [("random vectors (chance)", random_vectors, 0.0)]
    for enc in args.encoder or ["minilm", "tfidf"]:
        t = time.perf_counter()
        vectors = encode_items(titles, encoder=enc, device="cpu")
        rows.append((enc, vectors, time.perf_counter() - t))
    for name, vectors, seconds in rows:
        hr, mrr = cold_start(vectors, cats)
        print(f"| {name} | {neighbour_precision(vectors, cats):.3f} | {hr:.3f} | {mrr:.3f} | "
              f"{seconds:.1f} |")


if __name__ == "__main__":
    main()
