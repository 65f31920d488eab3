"""The course's nbgrader exchange on a multi-user machine, with permissions that keep students apart.

What nbgrader 0.9.6's default exchange does, measured: the root is 0777; ``inbound/`` is 2733 (students
may write and enter, not list); a submission's folder is made **0777** and its files 0644, hidden only
by a random suffix in its name — whoever learns the name can read it, and change or delete it;
``feedback/`` is 0711 and a feedback file 0644, named by a hash of the submission's secret, which sits
readable in that submission folder. This module tightens that:

- the root is 1777 (sticky: nbgrader's own permission check still passes, but a student can no longer
  rename the course's folder away and put a fake inbox in its place);
- ``inbound/`` belongs to the instructor and the graders group (2733, setgid): a submission's files
  inherit the graders group, and :class:`PrivateSubmit` makes them 0640 in a 0770 folder, so only the
  student and the graders can read them, even knowing the name;
- :class:`PrivateReleaseFeedback` gives a feedback file to the student's private group, mode 0640 (the
  instructor is a member of each student's group), so only that student and the graders can read it.

Both classes are chosen by ``ExchangeFactory`` settings in the nbgrader configuration the hub gives every
user (:func:`nbgrader_settings`); a student who overrides them in their own configuration can only
weaken the protection of their own submission.
"""

import glob
import grp
import os
import pwd
import shutil
import stat
from pathlib import Path

from nbgrader.exchange.default import ExchangeReleaseFeedback, ExchangeSubmit
from nbgrader.utils import ignore_patterns

COURSE_ID = "dlcourse"
ROOT_MODE = 0o1777
INBOUND_MODE = 0o2733
FEEDBACK_MODE = 0o0711
SUBMISSION_FILE_MODE = 0o640
SUBMISSION_DIR_MODE = 0o770
FEEDBACK_FILE_MODE = 0o640


class PrivateSubmit(ExchangeSubmit):
    """nbgrader's submit, after which the submission is readable by its student and the graders only."""

    def set_perms(self, dest, fileperms, dirperms):
        super().set_perms(dest, SUBMISSION_FILE_MODE, SUBMISSION_DIR_MODE)

    def do_copy(self, src, dest, log=None):
        """Into the inbound folder: folders made with ``mkdir`` (they inherit the inbound's graders group and
        its setgid bit; nbgrader's ``copytree`` copies the student's folder mode over them, which drops the
        setgid bit, so the timestamp and secret written next would belong to the student's own group)."""
        if os.path.realpath(os.path.dirname(dest)) != os.path.realpath(self.inbound_path):
            return super().do_copy(src, dest, log)
        if self.get_size(src) > 1000 * self.coursedir.max_dir_size:
            raise RuntimeError(f"Directory size is too big: the maximum is {1000 * self.coursedir.max_dir_size}")
        ignore = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                 max_file_size=self.coursedir.max_file_size, log=self.log)

        def copy(folder: str, target: str) -> None:
            os.mkdir(target)
            names = os.listdir(folder)
            skipped = ignore(folder, names)
            for name in names:
                path = os.path.join(folder, name)
                if name in skipped:
                    continue
                if os.path.isdir(path):
                    copy(path, os.path.join(target, name))
                elif os.path.isfile(path):
                    shutil.copyfile(path, os.path.join(target, name))

        copy(src, dest)

    def copy_files(self):
        super().copy_files()
        # nbgrader ends by making the submission's folder 0777 ("so the instructor can delete later"): the
        # graders group can already, so only the student and the graders may enter it
        os.chmod(os.path.join(self.inbound_path, self.assignment_filename), SUBMISSION_DIR_MODE)


class PrivateReleaseFeedback(ExchangeReleaseFeedback):
    """nbgrader's release_feedback, after which each feedback file is readable by its student only
    (and the graders): the file goes to the student's private group, mode 0640."""

    def copy_files(self):
        super().copy_files()
        for path, student in self._feedback_owners().items():
            restrict_feedback(path, student)

    def _feedback_owners(self) -> dict[Path, str]:
        """Feedback file in the exchange -> the student it is for (nbgrader names the file by a hash)."""
        from nbgrader.utils import notebook_hash

        owners = {}
        pattern = self.coursedir.format_path(self.coursedir.feedback_directory, "*", self.coursedir.assignment_id)
        for folder in map(Path, sorted(glob.glob(pattern))):
            secret = folder / "submission_secret.txt"
            if not secret.exists():
                continue
            student = folder.parent.name
            for html in folder.glob("*.html"):
                digest = notebook_hash(secret=secret.read_text(), notebook_id=html.stem)
                owners[Path(self.dest_path) / f"{digest}.html"] = student
        return owners


def restrict_feedback(path: Path, student: str | None) -> bool:
    """Make one released feedback file readable by ``student`` (its private group) and the graders only.
    Returns False (and leaves nbgrader's 0644) when the student or the group is unknown here."""
    try:
        gid = grp.getgrnam(student).gr_gid if student else None
        if gid is None:
            return False
        os.chown(path, -1, gid)
        os.chmod(path, FEEDBACK_FILE_MODE)
        return True
    except (KeyError, PermissionError, FileNotFoundError):
        return False


def feedback_owners(root: Path) -> dict[str, str]:
    """Feedback file name -> student, for every submission in the inbox (read as root: a submission's secret
    and notebooks name its feedback pages, ``<md5(secret + notebook)>.html``)."""
    from nbgrader.utils import notebook_hash

    owners = {}
    for submission in (course_path(root) / "inbound").iterdir():
        secret = submission / "submission_secret.txt"
        if not secret.is_file():
            continue
        student = submission.name.split("+", 1)[0]
        for notebook in submission.glob("*.ipynb"):
            owners[f"{notebook_hash(secret=secret.read_text(), notebook_id=notebook.stem)}.html"] = student
    return owners


def keep_feedback_private(root: Path, known: dict[str, str] | None = None) -> int:
    """One pass of the hub's keeper (run as root): every feedback page still readable by others goes to its
    student's private group, mode 0640, whoever wrote it (nbgrader's release_feedback or the grading
    service). Returns how many pages it changed; a page of an unknown submission is left as it is."""
    feedback = course_path(root) / "feedback"
    if not feedback.is_dir():
        return 0
    pages = [p for p in feedback.glob("*.html") if mode(p) & 0o004]
    if not pages:
        return 0
    owners = dict(known or {})
    if any(p.name not in owners for p in pages):
        owners.update(feedback_owners(root))
    return sum(restrict_feedback(p, owners.get(p.name)) for p in pages)


def course_path(root: Path) -> Path:
    return Path(root) / COURSE_ID


def prepare(root: Path, instructor: str, graders: str) -> None:
    """Create (as root) the exchange at ``root`` with the course's folders owned by ``instructor`` and the
    ``graders`` group, in the modes above."""
    user, group = pwd.getpwnam(instructor), grp.getgrnam(graders)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    os.chown(root, 0, 0)
    root.chmod(ROOT_MODE)
    course = course_path(root)
    for folder, mode in ((course, 0o755), (course / "outbound", 0o755), (course / "inbound", INBOUND_MODE),
                         (course / "feedback", FEEDBACK_MODE)):
        folder.mkdir(exist_ok=True)
        os.chown(folder, user.pw_uid, group.gr_gid)
        folder.chmod(mode)


def publish(root: Path, release_dir: Path, assignments: list[str], instructor: str) -> None:
    """Put ``release_dir/<a>/`` into the exchange's outbound folder as the instructor's release would
    (owned by the instructor, readable by everyone), replacing an earlier release."""
    user = pwd.getpwnam(instructor)
    for name in assignments:
        dest = course_path(root) / "outbound" / name
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(release_dir / name, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        for folder, _, files in os.walk(dest):
            os.chown(folder, user.pw_uid, user.pw_gid)
            os.chmod(folder, 0o755)
            for file in files:
                os.chown(os.path.join(folder, file), user.pw_uid, user.pw_gid)
                os.chmod(os.path.join(folder, file), 0o644)


def nbgrader_settings(root: Path, instructor: bool) -> str:
    """The lines of ``nbgrader_config.py`` that every user of the hub gets (the instructor's also release
    feedback privately)."""
    lines = [f"c.CourseDirectory.course_id = {COURSE_ID!r}",
             f"c.Exchange.root = {str(root)!r}",
             "c.ExchangeFactory.submit = 'coursetools.hub_exchange.PrivateSubmit'"]
    if instructor:
        lines.append("c.ExchangeFactory.release_feedback = 'coursetools.hub_exchange.PrivateReleaseFeedback'")
    return "\n".join(lines) + "\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)
