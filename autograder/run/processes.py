"""A process tree read from /proc: what a sandbox's kernel started, and whether all of it has ended."""

import time
from pathlib import Path


def descendants(pid: int) -> list[int]:
    """The processes descended from ``pid`` now (read from /proc: children are listed by parent)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def ended(pid: int) -> bool:
    """Gone, or a zombie (it runs no more)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def all_ended(pids: list[int], deadline: float) -> bool:
    for pid in pids:
        while not ended(pid):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
    return True
