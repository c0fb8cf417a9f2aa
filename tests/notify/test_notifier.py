"""Result-ready notices: queued with the step that makes them due, delivered by the
notifier through a fake gateway on 127.0.0.1 that fails the ways real ones do."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from db.engine import read_session, write_session
from db.models import Dossier, Notice
from desk import clock
from desk.center.config import Config, NotifyConfig
from desk.center.runtime import Runtime
from desk.dossiers.lifecycle import Lifecycle
from desk.notify.notices import notices_of, resend
from desk.notify.notifier import Notifier, message_for
from desk.upstream.sync import apply_upstream_status
from tests.dossiers import test_intake
from tests.dossiers.test_intake import form, save
from tests.fake_gateway import FakeGateway

ROOT = Path(__file__).resolve().parents[2]
rt = test_intake.rt  # the runtime with the demo catalogue (a fixture)


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    gw = FakeGateway().start()
    yield gw
    gw.stop()


def sms_config(config: Config, gateway: FakeGateway, **kw: object) -> Config:
    notify = NotifyConfig(
        channel="sms",
        url=gateway.url,
        token="s3cret",
        timeout_seconds=0.5,
        **kw,
    )
    return config.model_copy(update={"notify": notify})


def at(*args: int) -> datetime:
    moment = datetime(*args)  # type: ignore[arg-type]
    clock.set_clock(lambda: moment)
    return moment


def taken_in(rt: Runtime, **changes: object) -> str:
    """A dossier received Mon 07/12/2026 09:00 (2.000815: due the same day, 17:00…)."""
    at(2026, 12, 7, 9, 0)
    return save(rt, form(**changes))[0].code


def the_notices(rt: Runtime) -> list[Notice]:
    with read_session(rt.engine) as session:
        return list(session.exec(select(Notice).order_by(Notice.id)))  # type: ignore[arg-type]


def test_marking_ready_queues_one_notice_in_the_same_step(
    rt: Runtime, gateway: FakeGateway
) -> None:
    config = sms_config(rt.config, gateway)
    code = taken_in(rt)
    at(2026, 12, 7, 15, 0)
    Lifecycle(rt.engine, config).resolve(code)
    notices = the_notices(rt)
    assert [(n.event, n.state, n.key, n.channel) for n in notices] == [
        ("ready", "queued", f"{code}:ready:1", "sms")
    ]
    assert gateway.requests == []  # the counter never talks to the gateway


def test_no_notice_without_a_phone_or_a_channel(rt: Runtime, gateway: FakeGateway) -> None:
    no_phone = taken_in(rt, applicant_phone="")
    Lifecycle(rt.engine, sms_config(rt.config, gateway)).resolve(no_phone)
    with_phone = taken_in(rt)
    Lifecycle(rt.engine, rt.config).resolve(with_phone)  # the sample config: channel off
    assert the_notices(rt) == []


def test_a_result_before_the_appointment_day_is_an_early_notice(
    rt: Runtime, gateway: FakeGateway
) -> None:
    config = sms_config(rt.config, gateway)
    at(2026, 12, 7, 9, 0)
    # 1.004873 (xác nhận tình trạng hôn nhân) takes 3 working days: due Thu 10/12
    code = save(rt, form(procedure_code="1.004873"))[0].code
    with read_session(rt.engine) as session:
        due = session.exec(select(Dossier.due_at).where(Dossier.code == code)).one()
    assert due == datetime(2026, 12, 10, 9, 0)
    at(2026, 12, 8, 10, 0)
    Lifecycle(rt.engine, config).resolve(code)
    (notice,) = the_notices(rt)
    assert notice.event == "early" and notice.key == f"{code}:early:1"
    with read_session(rt.engine) as session:
        dossier = session.exec(select(Dossier).where(Dossier.code == code)).one()
    message = message_for(config, dossier, "early")
    assert due.strftime("%d/%m/%Y") in message.text and "sớm" in message.text


def test_a_back_office_resolution_pulled_from_upstream_queues_the_notice(
    rt: Runtime, gateway: FakeGateway
) -> None:
    config = sms_config(rt.config, gateway)
    code = taken_in(rt)
    at(2026, 12, 7, 16, 0)
    with write_session(rt.engine) as session:
        dossier = session.exec(select(Dossier).where(Dossier.code == code)).one()
        assert dossier.id is not None
        assert apply_upstream_status(session, dossier.id, "resolved", config=config)
        # pulled twice: still one notice
        apply_upstream_status(session, dossier.id, "resolved", config=config)
    assert [n.event for n in the_notices(rt)] == ["ready"]


def test_the_message_carries_the_phone_and_the_code_and_nothing_else_personal(
    rt: Runtime, gateway: FakeGateway
) -> None:
    config = sms_config(rt.config, gateway)
    code = taken_in(rt)
    Lifecycle(rt.engine, config).resolve(code)
    result = Notifier(rt.engine, config).run_once()
    assert (result.sent, result.retried, result.failed) == (1, 0, 0)
    (request,) = gateway.requests
    body = request["body"]
    assert body["to"] == "+84912345678" and body["id"] == f"{code}:ready:1"
    assert request["key"] == f"{code}:ready:1"
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert code in body["text"] and len(body["text"]) <= 160
    assert body["text"].isascii()  # unaccented for one GSM-7 SMS
    sent = str(body)
    for personal in ("031301012345", "Trần Thị Bình", "Tran Thi Binh", "Lạch Tray"):
        assert personal not in sent
    (notice,) = the_notices(rt)
    assert notice.state == "sent" and notice.sent_at is not None


def test_gateway_down_then_up(rt: Runtime, gateway: FakeGateway) -> None:
    config = sms_config(rt.config, gateway)
    code = taken_in(rt)
    Lifecycle(rt.engine, config).resolve(code)
    gateway.stop()
    notifier = Notifier(rt.engine, config)
    assert notifier.run_once().retried == 1
    (notice,) = the_notices(rt)
    assert notice.state == "queued" and notice.attempts == 1
    assert "không kết nối được cổng gửi" in notice.last_error
    assert notice.next_attempt_at > clock.now()
    assert notifier.run_once().sent == 0  # not due yet: backoff
    gateway.start()
    at(2026, 12, 7, 10, 0)  # past the backoff
    assert notifier.run_once().sent == 1
    assert list(gateway.delivered) == [f"{code}:ready:1"]
    (notice,) = the_notices(rt)
    assert notice.state == "sent" and notice.attempts == 2 and notice.last_error == ""


def test_server_errors_retry_with_growing_delays_then_give_up(
    rt: Runtime, gateway: FakeGateway
) -> None:
    config = sms_config(rt.config, gateway, max_attempts=3, retry_seconds=60)
    code = taken_in(rt)
    Lifecycle(rt.engine, config).resolve(code)
    gateway.mode = "error"
    notifier = Notifier(rt.engine, config)
    now = at(2026, 12, 7, 9, 0)
    delays = []
    for _ in range(3):
        notifier.run_once()
        (notice,) = the_notices(rt)
        delays.append((notice.next_attempt_at - now).total_seconds())
        now = notice.next_attempt_at + timedelta(seconds=1)
        clock.set_clock(lambda n=now: n)  # type: ignore[misc]
    (notice,) = the_notices(rt)
    assert notice.state == "failed" and notice.attempts == 3
    assert notice.last_error.startswith("HTTP 500")
    assert 48 <= delays[0] <= 72  # 60 s ± 20 %
    assert 96 <= delays[1] <= 144  # doubled
    assert len(gateway.requests) == 3 and gateway.delivered == {}


def test_a_slow_gateway_times_out_and_is_retried(rt: Runtime, gateway: FakeGateway) -> None:
    config = sms_config(rt.config, gateway)
    Lifecycle(rt.engine, config).resolve(taken_in(rt))
    gateway.mode, gateway.delay = "slow", 2.0
    assert Notifier(rt.engine, config).run_once().retried == 1
    (notice,) = the_notices(rt)
    assert notice.state == "queued" and "không kết nối được cổng gửi" in notice.last_error


def test_a_refused_notice_fails_and_an_officer_resends_it(
    rt: Runtime, gateway: FakeGateway
) -> None:
    config = sms_config(rt.config, gateway)
    code = taken_in(rt)
    Lifecycle(rt.engine, config).resolve(code)
    gateway.mode = "refuse"
    assert Notifier(rt.engine, config).run_once().failed == 1
    (failed,) = notices_of(rt.engine, the_notices(rt)[0].dossier_id)
    assert failed.state == "failed" and failed.last_error.startswith("HTTP 400")
    gateway.mode = "ok"
    again = resend(rt.engine, config, failed.id)
    assert again.state == "queued"
    assert Notifier(rt.engine, config).run_once().sent == 1
    assert list(gateway.delivered) == [f"{code}:ready:2"]


def test_a_duplicate_report_counts_as_sent_and_nothing_is_sent_twice(
    rt: Runtime, gateway: FakeGateway
) -> None:
    """The gateway took the notice but its answer was lost: the retry carries the same
    key, the gateway reports a duplicate, the notice is sent once."""
    config = sms_config(rt.config, gateway)
    code = taken_in(rt)
    Lifecycle(rt.engine, config).resolve(code)
    gateway.delivered[f"{code}:ready:1"] = {"earlier": True}
    assert Notifier(rt.engine, config).run_once().sent == 1
    assert len(gateway.delivered) == 1
    (notice,) = the_notices(rt)
    assert notice.state == "sent"


def test_a_notifier_killed_mid_send_sends_once_after_restart(
    rt: Runtime, gateway: FakeGateway, tmp_path: Path, db_url: str
) -> None:
    config = sms_config(rt.config, gateway)
    code = taken_in(rt)
    Lifecycle(rt.engine, config).resolve(code)
    script = tmp_path / "notifier.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, sys
            sys.path[0] = {str(ROOT)!r}
            from desk import clock
            from datetime import datetime
            clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0))
            from desk.center.config import load_config, NotifyConfig
            from desk.center.runtime import open_runtime
            from desk.notify.notifier import Notifier
            config = load_config(__import__("pathlib").Path({str(ROOT / "config.toml")!r}))
            config = config.model_copy(update={{"notify": NotifyConfig(
                channel="sms", url={gateway.url!r}, timeout_seconds=2)}})
            rt = open_runtime(config, {db_url!r})
            def hook(point):
                if point == "after_send":
                    os._exit(9)  # killed after the gateway took it, before the record
            Notifier(rt.engine, config, hook=hook).run_once()
            """
        )
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=120)
    assert done.returncode == 9, done.stderr.decode()[-2000:]
    (notice,) = the_notices(rt)
    assert notice.state == "sending"  # caught mid-send
    assert list(gateway.delivered) == [f"{code}:ready:1"]
    notifier = Notifier(rt.engine, config)
    assert notifier.recover() == 1
    assert notifier.run_once().sent == 1
    assert [r["key"] for r in gateway.requests] == [f"{code}:ready:1"] * 2
    assert len(gateway.delivered) == 1  # the citizen got one message
    (notice,) = the_notices(rt)
    assert notice.state == "sent"


def test_a_configured_command_delivers_and_can_ask_for_a_retry(rt: Runtime, tmp_path: Path) -> None:
    record = tmp_path / "sent.txt"
    command = tmp_path / "send.py"
    command.write_text(
        "import os, sys\n"
        f"open({str(record)!r}, 'a').write(os.environ['DESK_NOTICE_KEY'] + ' ' + sys.argv[1] + '\\n')\n"
        "sys.exit(int(os.environ.get('EXIT_CODE', '0')))\n"
    )
    notify = NotifyConfig(
        channel="command", command=[sys.executable, str(command), "{phone}", "{text}"]
    )
    config = rt.config.model_copy(update={"notify": notify})
    code = taken_in(rt)
    Lifecycle(rt.engine, config).resolve(code)
    import os

    os.environ["EXIT_CODE"] = "75"
    try:
        assert Notifier(rt.engine, config).run_once().retried == 1
    finally:
        del os.environ["EXIT_CODE"]
    (waiting,) = the_notices(rt)
    # the officer reads why in the UI language (it read "exit 75: ")
    assert waiting.last_error == "lệnh gửi tạm chưa gửi được (mã thoát 75), sẽ thử lại"
    at(2026, 12, 7, 12, 0)
    assert Notifier(rt.engine, config).run_once().sent == 1
    lines = record.read_text().splitlines()
    assert lines == [f"{code}:ready:1 +84912345678"] * 2
