"""desk: the front desk of a Vietnamese one-stop public service center.

The ``desk`` package is the headless domain core. It never imports Textual, so it
runs in tests, the command line and daemons without a terminal. ``desk.cli`` is
the composition root and the only module that may import ``screens`` (lazily).
"""

__version__ = "0.1.0"
