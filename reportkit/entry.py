"""The ``reportkit`` command's entry point: the CLI, started with the cycle collector off.

While pandas, matplotlib, nbconvert and the rest import, Python's cycle collector runs
dozens of times and finds next to nothing; with it off the command starts ~0.25-0.5 s
sooner (2 cores, measured). :mod:`reportkit.cli` turns it on again before a command runs,
except ``run`` and ``demo``, whose batch turns it on once its workers' parent has frozen
what it imported (:func:`reportkit.run.workers.warm_up`).
"""

import gc


def main() -> None:
    gc.disable()
    from reportkit.cli import main as cli_main
    cli_main()
