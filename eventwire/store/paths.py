"""What ``--db`` may point at, checked before DuckDB or any ``open`` touches the path.

A database path is handed to a tool that creates, rewrites and (for an empty
file a failed create left behind) removes files, so the checks are on the
file's kind, from ``lstat``/``stat``, never from reading it: a FIFO would block
a read forever, and a character device reads as empty, which once made the
store delete ``/dev/null``-like paths and put a database in their place.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from eventwire.records.errors import ErrorCode

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class PathProblem:
    """Why a path cannot be the database: a stable code and a short detail."""

    code: ErrorCode
    detail: str = ""


@dataclass(frozen=True)
class PathVerdict:
    """The outcome of checking a path: a problem, or whether an empty file may be replaced."""

    problem: PathProblem | None = None
    replace_empty: bool = False


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _missing(path: Path, read_only: bool) -> PathVerdict:
    if read_only:
        return PathVerdict(PathProblem(ErrorCode.E037_DB_MISSING))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        return PathVerdict(PathProblem(ErrorCode.E044_DB_NO_FOLDER, str(folder)))
    if not folder.is_dir():
        return PathVerdict(PathProblem(ErrorCode.E044_DB_NO_FOLDER, f"{folder} is not a folder"))
    if not os.access(folder, os.W_OK):
        return PathVerdict(PathProblem(ErrorCode.E031_DB_READ_ONLY))
    return PathVerdict()


def _ours_to_replace(info: os.stat_result) -> bool:
    """An empty regular file of our own with one name: what a create cut short leaves."""
    return (stat.S_ISREG(info.st_mode) and info.st_size == 0 and info.st_nlink == 1
            and info.st_uid == os.geteuid())


def check_db_path(path: Path, read_only: bool) -> PathVerdict:
    """Whether ``path`` may be opened as the database; reads at most 16 bytes of a regular file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return _missing(path, read_only)
    except NotADirectoryError:
        return PathVerdict(PathProblem(ErrorCode.E044_DB_NO_FOLDER, "a part of it is a file"))
    except PermissionError:
        return PathVerdict(PathProblem(ErrorCode.E031_DB_READ_ONLY, "cannot be reached"))
    if stat.S_ISDIR(info.st_mode):
        return PathVerdict(PathProblem(ErrorCode.E043_DB_IS_FOLDER))
    if not stat.S_ISREG(info.st_mode):
        return PathVerdict(PathProblem(ErrorCode.E042_DB_SPECIAL_FILE, _kind(info.st_mode)))
    try:
        # O_NONBLOCK: should the path turn into a FIFO after the stat, the open does not wait
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except PermissionError:
        return PathVerdict(PathProblem(ErrorCode.E031_DB_READ_ONLY, "cannot be read"))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return PathVerdict(PathProblem(ErrorCode.E042_DB_SPECIAL_FILE, "not a regular file"))
        head = os.read(fd, 16)
    finally:
        os.close(fd)
    if not head:
        if read_only or not _ours_to_replace(info):
            return PathVerdict(PathProblem(ErrorCode.E033_DB_NOT_DUCKDB, "empty file"))
        return PathVerdict(replace_empty=True)
    if head.startswith(SQLITE_MAGIC):
        return PathVerdict(PathProblem(ErrorCode.E034_DB_SQLITE))
    if len(head) < 12 or head[8:12] != b"DUCK":
        return PathVerdict(PathProblem(ErrorCode.E033_DB_NOT_DUCKDB))
    if not read_only and not os.access(path, os.W_OK):
        return PathVerdict(PathProblem(ErrorCode.E031_DB_READ_ONLY))
    return PathVerdict()


def remove_empty(path: Path) -> None:
    """Remove the empty file a cut-short create left, re-checked just before the unlink."""
    info = os.lstat(path)
    if _ours_to_replace(info):
        path.unlink()
