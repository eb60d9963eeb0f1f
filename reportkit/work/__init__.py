"""The work behind the numbers: the work log, next period's plan, the client's action items and
the communication log, read from their files (files) and built into report sections (sections).
"""
