"""The groups of the QĐ 766/QĐ-TTg service index that desk has data for, scored as
a provincial system computes them (domain.md §7.3, [S]).

- Tiến độ giải quyết (20): (open within time + resolved early or on time + open
  waiting for the citizen's supplement, the formula's "trả lại") / everything
  handled in the period (carried over + new) × 20;
- Dịch vụ công trực tuyến (12): online share against the commune target (70 %);
- Thanh toán trực tuyến (10), Mức độ hài lòng (18), Số hóa hồ sơ (22): their shares
  × points;
- Công khai, minh bạch (18) is outside desk: always ``None``.

A group is ``None`` when the period has nothing to score it on.
"""

from __future__ import annotations

from dataclasses import dataclass

from desk.reports.dossiers import DossierFigures
from desk.reports.period import ratio
from desk.reports.ratings import Ratings

ONLINE_TARGET = 0.7
"""QĐ 766 target share of online dossiers at commune level [S]."""


@dataclass(frozen=True)
class Index766:
    tien_do_giai_quyet_20: float | None
    dich_vu_cong_truc_tuyen_12: float | None
    thanh_toan_truc_tuyen_10: float | None
    muc_do_hai_long_18: float | None
    so_hoa_ho_so_22: float | None
    cong_khai_minh_bach_18: None = None


def _points(value: float | None, points: int) -> float | None:
    return None if value is None else round(points * value, 2)


def index_766(dossiers: DossierFigures, ratings: Ratings) -> Index766:
    d = dossiers
    progress_ok = (
        d.processing_within_time + d.resolved_early + d.resolved_on_time + d.awaiting_supplement
    )
    online = d.online_share
    return Index766(
        tien_do_giai_quyet_20=_points(ratio(progress_ok, d.received_total), 20),
        dich_vu_cong_truc_tuyen_12=_points(
            None if online is None else min(1.0, online / ONLINE_TARGET), 12
        ),
        thanh_toan_truc_tuyen_10=_points(d.online_payment_share, 10),
        muc_do_hai_long_18=_points(ratings.satisfied_share, 18),
        so_hoa_ho_so_22=_points(d.digitised_share, 22),
    )
