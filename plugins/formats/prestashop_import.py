"""PrestaShop order exports (1.7 / 8), ``;`` delimited, labels in the back office language.

The back office's order list (ID;Reference;New client;Delivery;Customer;Total;Payment;Status;Date)
has no line items: it imports the shop's customers. Order-detail exports that name the product
per row import as purchases.
"""

from __future__ import annotations

from shoprec.core import hookimpl
from shoprec.core.contracts.formats import FormatSpec

_CUSTOMER = ("Customer", "Client", "Kunde", "Cliente", "Klant")
_TIME = ("Date", "Datum", "Fecha", "Data", "Date de commande", "Order date")

ORDERS = FormatSpec(
    name="prestashop_orders",
    title="PrestaShop orders list",
    description="Back office order list (ID;Reference;Customer;Total;Status;Date): imports customers.",
    kind="customers",
    columns={"customer_name": _CUSTOMER, "customer": ("Customer ID", "ID client")},
    required=("customer_name",),
    signature=("Reference", "Référence", "Referenz", "New client", "Nouveau client", "Neuer Kunde",
               "Delivery", "Livraison", "Lieferung", "Lieferland"),
    min_signature=2,
)

ORDER_DETAILS = FormatSpec(
    name="prestashop_order_details",
    title="PrestaShop order details",
    description="Orders with product lines (Reference;Customer;Product;Quantity;Date...).",
    columns={
        "order": ("Reference", "Référence", "Referenz", "Order reference", "Référence commande"),
        "customer": ("Customer email", "E-mail", "Email", "Customer ID", "ID client"),
        "customer_name": _CUSTOMER,
        "sku": ("Product reference", "Référence produit", "Artikel-Nr.", "Produktreferenz"),
        "item": ("Product ID", "ID produit"),
        "title": ("Product name", "Product", "Produit", "Nom du produit", "Produkt", "Artikel"),
        "quantity": ("Product quantity", "Quantity", "Quantité", "Menge", "Anzahl"),
        "price": ("Unit price", "Prix unitaire", "Stückpreis"),
        "status": ("Status", "État", "Statut"),
        "time": _TIME,
    },
    required=("order", "customer_name", "time"),
    signature=("Reference", "Référence", "Referenz", "Product reference", "Référence produit",
               "Produktreferenz", "Unit price", "Prix unitaire", "Stückpreis", "New client",
               "Nouveau client"),
    min_signature=2,
    day_first=True,
)


@hookimpl
def shoprec_import_formats() -> list[FormatSpec]:
    return [ORDERS, ORDER_DETAILS]
