"""Turning scores into lists and measuring them: calibration, scoring, rules, reasons, metrics, evaluation, tuning."""
