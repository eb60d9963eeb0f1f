"""What leaves a run: the PDF (pdf), the batch manifest (manifest) and the agency overview (overview).
"""
