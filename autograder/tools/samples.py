"""Sample submissions built from small answer files (``tests/files/submissions/<assignment>/*.py``).

A sample starts from the reference solution (or, with ``# base: release``, from the untouched student
version) and replaces whole answer cells, so each known-wrong sample differs from a correct one in
exactly the mistake it is named after. Header lines say what grading it must get::

    # Forgets the bias in predict().
    # expect: partial
    # fails: test_predict test_predict_hidden
    # %% answer id=predict
    def predict(X, w, b): ...

Two samples need no file: ``untouched`` (the release as given, ``expect: zero``), always written, and
``reference`` (the reference solution as a student hands it in, ``expect: full``), written on request
(``make demo`` grades both in place of release verification's rules 4 and 5).
"""

import copy
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat

from autograder.core.course import grade_id, is_answer, solution_notebook
from autograder.tools.percent import parse


@dataclass
class Sample:
    name: str
    title: str
    expect: str  # full | zero | partial
    fails: list[str] | None  # exact failing test ids, when given
    base: str  # solution | release
    cells: dict[str, str] = field(default_factory=dict)  # answer grade id -> replacement source


def read_sample(path: Path) -> Sample:
    """Parse a sample file's header and answer cells."""
    text = Path(path).read_text()
    header, _, body = text.partition("# %%")
    meta = {}
    title = ""
    for line in header.splitlines():
        match = re.match(r"^# (expect|fails|base):\s*(.*)$", line)
        if match:
            meta[match[1]] = match[2].strip()
        elif line.startswith("# ") and not title:
            title = line[2:].strip()
    expect = meta.get("expect", "")
    if expect not in ("full", "zero", "partial"):
        raise ValueError(f"{path}: '# expect:' must be full, zero or partial")
    cells = {}
    if body:
        for cell in parse("# %%" + body).cells:
            gid = grade_id(cell)
            if gid is None:
                raise ValueError(f"{path}: every cell of a sample must replace an answer (give id=...)")
            cells[gid] = cell.source
    fails = meta["fails"].split() if "fails" in meta else None
    return Sample(Path(path).stem, title, expect, fails, meta.get("base", "solution"), cells)


def build(sample: Sample, source: nbformat.NotebookNode, release: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The submitted notebook of ``sample``: its base with the sample's answer cells swapped in."""
    notebook = copy.deepcopy(release) if sample.base == "release" else solution_notebook(source)
    if sample.base == "solution":  # a student's file carries the release's locked cells, not the source's
        notebook = _with_release_locked_cells(notebook, release)
    targets = {grade_id(cell): cell for cell in notebook.cells if is_answer(cell)}
    unknown = set(sample.cells) - set(targets)
    if unknown:
        raise ValueError(f"sample {sample.name} replaces cells that are not answers: {sorted(unknown)}")
    for gid, text in sample.cells.items():
        targets[gid].source = text
    return notebook


def _with_release_locked_cells(solved: nbformat.NotebookNode, release: nbformat.NotebookNode):
    """Release notebook with the solved answers: what a correct student would submit."""
    answers = {grade_id(cell): cell.source for cell in solved.cells if is_answer(cell)}
    notebook = copy.deepcopy(release)
    for cell in notebook.cells:
        if is_answer(cell) and grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return notebook


UNTOUCHED = Sample("untouched", "the student version, unchanged", "zero", None, "release")
REFERENCE = Sample("reference", "the reference solution as a student hands it in", "full", None, "solution")


def sample_files(root: Path, assignment: str) -> list[Path]:
    """The sample files of an assignment, sorted by name."""
    return sorted((root / "tests" / "files" / "submissions" / assignment).glob("*.py"))


def all_samples(root: Path, assignment: str, reference: bool = False) -> list[Sample]:
    """``untouched``, then ``reference`` when asked for, then the assignment's sample files (none of which
    may take either name: its folder would be overwritten)."""
    files = sample_files(root, assignment)
    taken = [path for path in files if path.stem in (UNTOUCHED.name, REFERENCE.name)]
    if taken:
        raise ValueError(f"{taken[0]}: a sample file must not be named {taken[0].stem!r} (the harness writes that "
                         "sample itself); rename it")
    return [UNTOUCHED] + [REFERENCE] * reference + [read_sample(path) for path in files]


def write_samples(samples: list[Sample], assignment: str, source, release, into: Path,
                  notebook_name: str) -> list[Sample]:
    """Write each of ``samples`` (``all_samples``: ``untouched`` first) as
    ``into/<sample>/<assignment>/<notebook>.ipynb`` (nbgrader's layout); returns them."""
    for sample in samples:
        folder = into / sample.name / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(build(sample, source, release), folder / f"{notebook_name}.ipynb")
    return samples


def write_assignment_samples(course, assignment: str, into: Path, reference: bool = False) -> list[Sample]:
    """``write_samples`` for every notebook of ``assignment`` (several, as nbgrader allows): each sample's
    answer cells go to the notebook that holds their grade id, and its other notebooks are the sample's
    base (the solved or the untouched release), so a sample fails only the tests it declares. With
    ``reference``, the sample ``reference`` too (``REFERENCE``)."""
    from autograder.core.course import read_notebook

    names = course.notebook_names(assignment)
    if len(names) == 1:
        return write_samples(all_samples(course.root, assignment, reference), assignment,
                             read_notebook(course.source_path(assignment, names[0])),
                             read_notebook(course.release_path(assignment, names[0])), into, names[0])
    pairs = {name: (read_notebook(course.source_path(assignment, name)),
                    read_notebook(course.release_path(assignment, name))) for name in names}
    answers = {name: {grade_id(cell) for cell in source.cells if is_answer(cell)}
               for name, (source, _) in pairs.items()}
    samples = all_samples(course.root, assignment, reference)
    for sample in samples:
        unknown = set(sample.cells) - set().union(*answers.values())
        if unknown:
            raise ValueError(f"sample {sample.name} replaces cells that are not answers: {sorted(unknown)}")
        folder = into / sample.name / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for name, (source, release) in pairs.items():
            part = replace(sample, cells={gid: text for gid, text in sample.cells.items() if gid in answers[name]})
            nbformat.write(build(part, source, release), folder / f"{name}.ipynb")
    return samples
