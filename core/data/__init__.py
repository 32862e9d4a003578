"""What the shop's data is, read from the store: the dataset, baskets, products, non-products and holdout splits."""
