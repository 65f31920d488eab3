"""The service's memory, in the work directory: what it has seen in the inbox and what became of it.

One JSON file per assignment (``WORKDIR/serve/<assignment>.json``), replaced atomically (written beside,
then renamed) after every change, so a service killed at any moment restarts from the last state written:
a submission it had not finished is graded when it comes back, and one it had finished is not graded
again unless its files changed (``Entry.signature`` and ``Entry.sha256``). The gradebook stays the record
of grades; this file only says which inbox folders were dealt with.
"""

import json
import os
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

NEW, QUEUED, GRADED, LIMITED, SUPERSEDED, REFUSED = "new", "queued", "graded", "limited", "superseded", "refused"
DONE = (GRADED, LIMITED, SUPERSEDED, REFUSED)


@dataclass
class Entry:
    """One inbox folder as the service last saw it and what it did with it."""

    key: str
    student: str
    signature: str
    sha256: str
    submitted_at: str  # ISO 8601
    seen_at: float  # seconds since the epoch, by the service's clock
    state: str = NEW
    done_at: float = 0.0  # when it reached a state of DONE
    note: str = ""  # what the student's page says, in one sentence, for a state other than graded


class State:
    """Every entry of one assignment, by inbox folder name."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.entries: dict[str, Entry] = {}
        if self.path.is_file():
            known = {f.name for f in fields(Entry)}
            for key, data in json.loads(self.path.read_text()).items():
                self.entries[key] = Entry(**{name: value for name, value in data.items() if name in known})

    @classmethod
    def of(cls, workdir, assignment: str) -> "State":
        return cls(workdir.folder("serve") / f"{assignment}.json")

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        partial.write_text(json.dumps({key: asdict(entry) for key, entry in self.entries.items()}, indent=1))
        os.replace(partial, self.path)

    def mark(self, key: str, state: str, note: str = "") -> None:
        entry = self.entries[key]
        entry.state, entry.note = state, note
        entry.done_at = time.time() if state in DONE else 0.0

    def pending(self) -> list[Entry]:
        """Entries not dealt with yet, first seen first (of those seen at one look, first handed in first)."""
        waiting = [entry for entry in self.entries.values() if entry.state not in DONE]
        return sorted(waiting, key=lambda e: (e.seen_at, e.submitted_at, e.key))
