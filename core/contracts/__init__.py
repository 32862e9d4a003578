"""The plugin SDK: the contracts a plugin implements (hook specs, strategy, format and exporter specs, progress); imports nothing else of ours."""
