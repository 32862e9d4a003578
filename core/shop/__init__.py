"""What a shop owner acts on: exports, audiences, campaigns and their statistics, customer portraits."""
