"""desk: the front desk of a Vietnamese one-stop public service center.

The ``desk`` package is the headless domain core. It never imports Textual, so it
runs in tests, the command line and daemons without a terminal. ``desk.cli`` is
the composition root and the only package that may import ``screens`` (lazily,
inside the command that starts the UI).

Each folder is one part of the domain and its ``__init__`` states its rules:

- ``center/``: the center's configuration, its mirror in the database, officer
  accounts and what every role needs at run time;
- ``queue/``: tickets: issue, call, recall, no-show, transfer; ratings; the invariants;
- ``dossiers/``: intake, the lifecycle, the printed forms, the catalogue and its
  search, checks of personal data, the working-day calendar and due dates;
- ``printing/``: ESC/POS rendering, the print queue, the transport to the printer;
- ``reports/``: a period's figures for the director and the province;
- ``upstream/``: sync with the provincial PostgreSQL;
- ``demo/``: the synthetic history for demos and benchmarks;
- ``cli/``: the ``desk`` command, one module per command group.

A few modules every part uses stay at the top: ``clock`` (the center's local time),
``errors`` (typed errors a person can fix), ``i18n`` (the translation layer),
``text`` (cleaning and folding typed text), ``logs`` (a log without personal data) and
``sequence`` (numbers that never repeat: ticket numbers, dossier codes, register entries).
"""

__version__ = "0.1.0"
