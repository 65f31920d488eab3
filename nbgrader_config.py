"""nbgrader configuration: the repository root is the course directory.

The ``autograder`` command (python -m autograder) passes its own configuration through nbgrader's Python
API and keeps all grading state under its ``--workdir``; this file serves nbgrader's own command line
and the JupyterLab extensions (Validate button, Assignment List, Formgrader) started by ``make lab``.
"""

import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "dlcourse"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
workdir = os.environ.get("AUTOGRADER_WORKDIR", os.path.join(c.CourseDirectory.root, "grading"))
c.CourseDirectory.db_url = f"sqlite:///{os.path.join(workdir, 'gradebook.db')}"
c.CourseDirectory.submitted_directory = os.path.join(workdir, "submitted")
c.CourseDirectory.autograded_directory = os.path.join(workdir, "autograded")
c.CourseDirectory.feedback_directory = os.path.join(workdir, "feedback")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__"]

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# a deleted test cell is put back and graded, not silently skipped
c.OverwriteCells.add_missing_cells = True
# per-cell limit: nbgrader's Execute.timeout overrides ExecutePreprocessor.timeout
c.Execute.timeout = 60
# release verification holds this course to the harness's own conventions too (README: Release verification)
c.Autograder.strict_release = True
# the course's helper package, imported by given code in every kernel (README: A course's own packages)
c.Autograder.kernel_packages = ["dlcourse"]
