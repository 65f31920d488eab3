"""A course's own plugins (tests/harness/test_plugins.py): a sandbox backend, a late method and an export
format, each one class named by one line of nbgrader_config.py."""

import os
from dataclasses import dataclass

from autograder.run.backends import NoSandbox
from autograder.core.plugins import ExportFormat, LateMethod


@dataclass(frozen=True)
class RecordingSandbox(NoSandbox):
    """The no-sandbox runner, noting every kernel it starts in the file ``$COURSE_PLUGINS_LOG``."""

    name = "recording"

    def launch(self, folder, env, limits, owns_folder=False):
        with open(os.environ["COURSE_PLUGINS_LOG"], "a") as log:
            log.write(f"launch {folder}\n")
        return super().launch(folder, env, limits, owns_folder)


@dataclass(frozen=True)
class HalfOff(LateMethod):
    """Any late submission loses half of what it scored."""

    name = "half_off"

    def penalty(self, lateness):
        return lateness.score / 2

    def describe(self, policy):
        return "half off"


@dataclass(frozen=True)
class Gradescope(ExportFormat):
    """Two columns: the student's id and the score after any penalty."""

    name = "gradescope"

    def write(self, writer, table):
        writer.writerow(["SID", "Total Score"])
        for row in table.rows:
            writer.writerow([row.student_id, f"{row.score:g}"])
