"""Bounded decompression: a gzip stream that cannot grow past a limit.

A few megabytes of gzip can hold gigabytes of zeros. Decompressing here, in
blocks of bounded output, counts every byte that comes out and stops with
:class:`DecompressedTooLarge` at the limit, so memory and time stay bounded
whatever the archive holds. Every gzip member is read (WARC.gz is one member
per record); a stream that ends inside a member is noted as truncated.
"""

from __future__ import annotations

import zlib
from typing import IO

GZIP_MAGIC = b"\x1f\x8b"
BLOCK = 1 << 16


class DecompressedTooLarge(Exception):
    """The stream decompresses past its limit."""


class Prefixed:
    """A stream with bytes already read from it put back in front (for sniffing a pipe)."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head = head
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.stream.read(size)
        if size is None or size < 0:
            data, self.head = self.head + self.stream.read(), b""
            return data
        data, self.head = self.head[:size], self.head[size:]
        if len(data) < size:
            data += self.stream.read(size - len(data))
        return data


class BoundedGunzip:
    """Read-only file object over the decompressed bytes of a (multi-member) gzip stream."""

    def __init__(self, raw: IO[bytes] | Prefixed, limit: int) -> None:
        self.raw = raw
        self.limit = limit
        self.total = 0
        self.truncated = False
        self.eof = False
        self._decompressor = zlib.decompressobj(31)
        self._member_open = False
        self._buffer = bytearray()

    def read(self, size: int = -1) -> bytes:
        want = BLOCK if size is None or size < 0 else size
        while len(self._buffer) < want and not self.eof:
            self._fill(want)
        if size is None or size < 0:
            while not self.eof:
                self._fill(BLOCK)
            want = len(self._buffer)
        data = bytes(self._buffer[:want])
        del self._buffer[:want]
        return data

    def _next_input(self) -> bytes | None:
        """Compressed bytes to feed next; None at the end of the stream."""
        d = self._decompressor
        if d.eof:
            rest = d.unused_data
            self._decompressor = zlib.decompressobj(31)
            self._member_open = False
            if rest.strip(b"\x00"):
                return rest
        elif d.unconsumed_tail:
            return d.unconsumed_tail
        data = self.raw.read(BLOCK)
        if not data:
            self.truncated = self._member_open
            return None
        if not self._member_open and not data.strip(b"\x00"):
            return b""  # zero padding after the last member
        return data

    def _fill(self, want: int) -> None:
        data = self._next_input()
        if data is None:
            self.eof = True
            return
        if not data:
            return
        self._member_open = True
        out = self._decompressor.decompress(data, max(want, BLOCK))
        self.total += len(out)
        if self.total > self.limit:
            raise DecompressedTooLarge(f"over {self.limit} bytes decompressed")
        self._buffer += out


def open_maybe_gzip(stream: IO[bytes], limit: int) -> tuple[IO[bytes] | Prefixed | BoundedGunzip,
                                                            BoundedGunzip | None]:
    """The stream's plain bytes, decompressed within ``limit`` when it is gzip; and the gunzip."""
    head = stream.read(2)
    prefixed = Prefixed(head, stream)
    if head == GZIP_MAGIC:
        gunzip = BoundedGunzip(prefixed, limit)
        return gunzip, gunzip
    return prefixed, None
