"""The vocabulary every layer shares: periods, the fact table's measures and checks, the KPI
registry (ratios of sums) and how numbers read. Pure functions; no I/O.
"""
