"""The board served to a web browser: the page loads over HTTP and its websocket sends
the board's screen."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read().decode() if proc.stderr else "exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the board server did not start")


@pytest.mark.early
async def test_the_served_board_answers_over_http_and_its_websocket(
    tmp_path: Path, db_url: str
) -> None:
    port = free_port()
    env = {**os.environ, "DESK_DB": db_url, "DESK_CONFIG": str(ROOT / "config.toml")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "desk.cli", "board", "--serve", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(port, proc)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/") as page:
                assert page.status == 200
                html = await page.text()
            assert "<html" in html.lower() and f"ws://127.0.0.1:{port}/ws" in html
            # nothing from the internet (a center may be offline): every URL on the
            # page is this server's own, no Google font (and its words are Vietnamese)
            own = f"http://127.0.0.1:{port}/"
            urls = re.findall(r"(?:[a-z]+:)?//[^\s\"'<>)]+", html)
            assert urls and all(u.startswith((own, f"ws://127.0.0.1:{port}")) for u in urls), urls
            assert "googleapis" not in html and "@import" not in html
            assert 'lang="vi"' in html and "Bảng đã ngắt kết nối." in html
            for static in re.findall(rf"{re.escape(own)}static/[^\s\"']+\.(?:css|js)", html):
                async with http.get(static) as asset:
                    assert asset.status == 200, static
                    body = await asset.text()
                assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", body), static
                assert "@import" not in body, static
            screen = b""
            async with http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=100&height=30") as ws:
                await ws.send_json(["resize", {"width": 100, "height": 30}])
                deadline = time.monotonic() + 60
                while "Mời công dân đến quầy".encode() not in screen:
                    assert time.monotonic() < deadline, screen[-500:]
                    message = await ws.receive(timeout=30)
                    assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
                    if message.type == aiohttp.WSMsgType.BINARY:
                        screen += message.data
            assert "Trung tâm Phục vụ hành chính công".encode() in screen
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        await asyncio.sleep(0)
