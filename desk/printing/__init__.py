"""Printing of tickets and documents.

Every ticket and document is a ``print_job`` row before anything is sent
(:mod:`desk.printing.jobs`), drawn to ESC/POS bytes with python-escpos
(:mod:`desk.printing.render`) and sent to the configured printer, or written to the
preview directory when there is none (:mod:`desk.printing.transport`). Nothing
printed carries personal data beyond the receipt's own applicant. The roles that run
all day draw in a child process (:mod:`desk.printing.child`), so they never keep
python-escpos and PIL; :func:`draw_in_children` is how they say so, before their UI
starts (this module imports nothing, so saying it costs the first frame nothing).
"""

_in_children = False


def draw_in_children() -> None:
    """From now on this process draws every print job in a child process of its own.
    Commands and tests draw in their own process."""
    global _in_children
    _in_children = True


def drawn_in_children() -> bool:
    return _in_children
