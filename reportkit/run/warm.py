"""Importing this module warms the process up (imports, fonts, template loaders).

It is the forkserver preload of a Dask worker's child processes (see
``reportkit.run.workers._mp_context``): the forkserver imports it once, and every client
forked from it starts warm, as in a local batch. Nothing client-specific happens here.
"""

from reportkit.run.workers import warm_up

warm_up()
