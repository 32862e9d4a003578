"""The learned models strategies build on: the transformer customer profile and the text encoder."""
