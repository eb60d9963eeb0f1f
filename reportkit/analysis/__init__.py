"""What the figures mean: each KPI against its comparison periods (comparisons), data checks
(quality), goals and their status rules (goals, goal_rules), why KPIs moved (drivers), budget
pacing (budget) and benchmarks. Pure functions of the facts and the params.
"""
