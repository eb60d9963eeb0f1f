"""How a report looks: the HTML of each section (results, analysis, work), the charts and their
layout, branding, the page around the notebook's outputs (page) and the nbconvert template.
"""
