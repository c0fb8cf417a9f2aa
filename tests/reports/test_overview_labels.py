"""The overview's measures at 80×24 in English: each on one line.

"Awaiting supplement / returned for supplement" was wider than the measure column
at 80 columns and broke into "Awaiting supplement / returned for" over
"supplement", a row with no figure beside its second half."""

from __future__ import annotations

import pytest

from desk import i18n
from desk.center.runtime import Runtime
from desk.i18n import t
from tests.reports.conftest import at, dashboard
from tests.screens.test_walk import screen_lines


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_every_overview_measure_reads_on_one_line_at_80x24(
    month: Runtime, language: str
) -> None:
    i18n.set_language(language)
    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (80, 24)) as (app, _pilot, _screen):
        shown = screen_lines(app)
        label = t("reports.awaiting_supplement")
        [row] = [line for line in shown if label in line]
        assert row.split(label)[1].split()[0].isdigit()  # its figure beside it
