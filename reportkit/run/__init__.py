"""Running reports: papermill execution and nbconvert export of one client (render, export),
the in-process engine (engine), worker processes with limits (workers) and the batch (batch).
"""
