"""The data folder holds the database, the secrets and the photos: it is the server's alone.
Folders are made 0700 and files 0600, and looser ones found there are tightened."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

logger = logging.getLogger(__name__)

PRIVATE_DIRECTORY = 0o700
PRIVATE_FILE = 0o600
GROUP_AND_OTHERS = 0o077


def tighten(path: Path) -> None:
    """Take away any access of the group and others (what the owner has stays)."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & GROUP_AND_OTHERS:
        path.chmod(mode & ~GROUP_AND_OTHERS)
        logger.warning("%s was open to others (%o): now %o", path, mode, mode & ~GROUP_AND_OTHERS)


def private_directory(path: Path) -> Path:
    """Make the folder (0700) if missing, with any missing parents; tighten it if it exists."""
    path.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
    tighten(path)
    return path


def private_file(path: Path) -> None:
    """Make an empty file 0600 if missing, or tighten the existing one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    os.close(fd)
    tighten(path)


def write_private(path: Path, data: bytes) -> None:
    """Write the whole file, mode 0600 even when it was there before with another mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(fd, PRIVATE_FILE)
        handle.write(data)
