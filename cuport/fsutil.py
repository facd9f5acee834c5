"""Writing files safely: atomically (temp file + rename) and never over a user's file without a backup."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` to `path` so a reader sees the old file or the new one, never a half-written one."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists() and not path.is_file():
        # a device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout`): renaming over it would
        # replace the device node with a regular file, so write straight into it
        with open(path, "wb") as f:
            f.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:  # mkstemp makes 0600; a new file gets what open() would give it under the umask
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def backup_path(path: Path) -> Path:
    """The first free `NAME.cuport-bak[.N]` beside `path`."""
    candidate = path.with_name(path.name + ".cuport-bak")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.cuport-bak.{n}")
        n += 1
    return candidate


def is_within(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except (ValueError, OSError):
        return False
    return True
