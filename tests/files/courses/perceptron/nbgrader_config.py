"""nbgrader configuration of the frozen test course ``perceptron``: the course directory is this folder.

It holds assignment 01_perceptron as it was before the course rewrote it (predict, update, train, logistic,
gd; 14 autograded points) and its samples under ``tests/files/submissions/``, so the harness tests that
depend on that structure do not change with the course. Same settings as the repository root's.
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
