"""Where ShopRec runs: the compute device, the offline guard, the log files."""
