"""Reading ESC/POS bytes back: the text lines and raster images they carry.

Knows the commands desk's renderer emits; anything else raises, so a test notices
when the printer would receive something unexpected (e.g. a control code that came
from a citizen's name)."""

from __future__ import annotations

from dataclasses import dataclass, field

# command → number of argument bytes
ESC_ARGS = {b"@": 0, b"t": 1, b"!": 1, b"E": 1, b"a": 1, b"-": 1, b"M": 1, b"d": 1, b"G": 1}
GS_ARGS = {b"!": 1, b"B": 1, b"b": 1, b"L": 2, b"W": 2}


@dataclass
class Decoded:
    text: bytes = b""
    images: list[tuple[int, int, bytes]] = field(default_factory=list)
    qr: list[bytes] = field(default_factory=list)
    cuts: int = 0


def decode(data: bytes) -> Decoded:
    out = Decoded()
    text = bytearray()
    i = 0
    n = len(data)
    while i < n:
        b = data[i : i + 1]
        if b == b"\x1b":
            cmd = data[i + 1 : i + 2]
            if cmd not in ESC_ARGS:
                raise ValueError(f"unexpected ESC {cmd!r} at {i}")
            i += 2 + ESC_ARGS[cmd]
        elif b == b"\x1d":
            cmd = data[i + 1 : i + 2]
            if cmd == b"V":
                mode = data[i + 2]
                i += 3 if mode in (0, 1, 48, 49) else 4
                out.cuts += 1
            elif cmd == b"v":  # GS v 0 m xL xH yL yH data
                width_bytes = data[i + 4] + 256 * data[i + 5]
                height = data[i + 6] + 256 * data[i + 7]
                size = width_bytes * height
                out.images.append((width_bytes * 8, height, data[i + 8 : i + 8 + size]))
                i += 8 + size
            elif cmd == b"(":  # GS ( k pL pH ...
                length = data[i + 3] + 256 * data[i + 4]
                body = data[i + 5 : i + 5 + length]
                if body[:3] == b"1P0":
                    out.qr.append(body[3:])
                i += 5 + length
            elif cmd in GS_ARGS:
                i += 2 + GS_ARGS[cmd]
            else:
                raise ValueError(f"unexpected GS {cmd!r} at {i}")
        elif b == b"\x1c":  # FS: python-escpos emits none of these
            raise ValueError(f"unexpected FS at {i}")
        elif data[i] < 0x20 and b not in (b"\n",):
            raise ValueError(f"unexpected control byte {data[i]:#04x} at {i}")
        else:
            text += b
            i += 1
    out.text = bytes(text)
    return out
