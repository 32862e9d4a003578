"""A generic event log: any table with a customer and a product column, matched by synonyms.

Headers are recognised in English and Chinese (用户ID, 客户, 商品ID, 商品名称, 行为类型, 时间,
数量, 评分, 金额...), which covers most hand-made spreadsheets and analytics exports, and the UCI
"Online Retail" invoice layout (invoices starting with ``C`` are returns).
"""

from __future__ import annotations

from shoprec.core import hookimpl
from shoprec.core.contracts.formats import FormatSpec

EVENTS = FormatSpec(
    name="events",
    title="Generic event log",
    description="Any table with customer and product columns (English or Chinese headers).",
    columns={
        "customer": ("customer", "customer_id", "customer id", "customerid", "user", "user_id",
                     "userid", "user id", "client", "client_id", "buyer", "buyer_id", "member",
                     "member_id", "visitor_id", "shopper", "account", "kunde", "kundennummer", "cliente",
                     "用户ID", "用户id", "用户", "用户编号", "会员", "会员ID", "会员编号", "客户",
                     "客户ID", "客户编号", "顾客", "买家", "买家ID"),
        "email": ("email", "e-mail", "customer email", "customer_email", "邮箱", "电子邮件"),
        "customer_name": ("customer name", "customer_name", "客户名称", "客户姓名", "姓名"),
        "sku": ("sku", "stockcode", "stock code", "product sku", "article number", "商品编码",
                "货号", "商品货号", "sku编码"),
        "item": ("item", "item_id", "itemid", "item id", "product", "product_id", "productid",
                 "product id", "article", "article_id", "artikel", "produit", "produkt", "商品ID", "商品id", "商品编号", "产品ID",
                 "宝贝ID", "物品ID"),
        "title": ("product name", "product_name", "item name", "item_name", "title", "name",
                  "description", "produktname", "nom du produit", "商品名称", "商品名", "产品名称", "宝贝名称", "商品标题"),
        "category": ("category", "category_id", "类目", "类别", "商品类目", "分类", "类目ID"),
        "type": ("event", "event_type", "event type", "action", "behavior", "behaviour",
                 "behavior_type", "interaction", "type", "ereignis", "événement", "行为类型", "行为", "事件类型", "类型", "动作"),
        "time": ("timestamp", "datetime", "date_time", "time", "date", "event_time", "event time",
                 "created_at", "invoicedate", "invoice date", "order date", "order_date", "datum",
                 "时间", "时间戳", "日期", "下单时间", "发生时间", "行为时间", "创建时间", "交易时间",
                 "付款时间", "购买时间"),
        "quantity": ("quantity", "qty", "count", "menge", "anzahl", "quantité", "数量", "购买数量", "件数"),
        "rating": ("rating", "score", "stars", "评分", "打分", "星级", "评价分数"),
        "price": ("price", "unit price", "unitprice", "unit_price", "单价", "价格"),
        "value": ("total", "amount", "revenue", "line total", "sales", "betrag", "montant", "金额", "总价", "实付金额",
                  "订单金额", "销售额"),
        "order": ("order", "order_id", "order id", "orderid", "order number", "invoice",
                  "invoiceno", "invoice no", "transaction_id", "订单号", "订单ID", "订单编号"),
        "currency": ("currency", "币种", "货币"),
        "status": ("status", "order status", "订单状态", "状态"),
    },
    required=("customer",),
    refund_invoice_prefix="C",
    priority=-10,
)


@hookimpl
def shoprec_import_formats() -> list[FormatSpec]:
    return [EVENTS]
