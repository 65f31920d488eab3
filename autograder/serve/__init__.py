"""Grading on submit: ``python -m autograder serve ASSIGNMENT``, the instructor's service.

It watches the nbgrader exchange's inbox (``exchange.py``), notes what is new there by submission folder
and content (``inbox.py``, ``state.py``), holds back a student past the hourly limit (``limits.py``),
grades the rest with the same plan → run → store as ``grade`` (``service.py``), and writes each
submission's page where nbgrader's *fetch feedback* finds it (``pages.py``). ``deadlines.py`` says a
student's own due time, extension and time left; ``extension.py`` shows it in the student's Jupyter
server at ``/autograder/deadlines``.
"""
