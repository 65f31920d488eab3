"""`make demo` grades with the best isolated sandbox backend the machine offers, and says which and why."""

import pytest

from autograder.run import backends
from autograder.run.backends import SandboxMode
from autograder.run.sandbox import SandboxUnavailable
from coursetools import demo

A = "01_perceptron"


@pytest.fixture
def chosen(monkeypatch):
    """Run ``demo.main`` with the demo itself replaced: what it would grade with (the backend's name)."""
    seen = {}

    def fake_demo(course, assignments, workdir, options):
        seen["sandbox"] = options.run.sandbox
        return 0

    monkeypatch.setattr(demo, "demo", fake_demo)

    def run(*flags):
        assert demo.main([A, "--workdir", "unused", *flags]) == 0
        return seen["sandbox"].name

    return run


def refuse(self, allow_weaker=True):
    raise SandboxUnavailable("c.Autograder.sandbox = 'template' needs root")


def test_the_template_backend_when_it_can_run(monkeypatch, chosen, capsys):
    """Where the template backend's own check passes, the demo forks its kernels from templates, and says so."""
    monkeypatch.setattr(backends.Template, "require", lambda self, allow_weaker=True: None)
    assert chosen() == SandboxMode.TEMPLATE
    assert capsys.readouterr().out.startswith("sandbox: template (")


def test_bubblewrap_with_the_reason_when_the_template_cannot_run(monkeypatch, chosen, capsys):
    """Where the template backend refuses, the demo falls back to bubblewrap and prints the refusal in one line."""
    monkeypatch.setattr(backends.Template, "require", refuse)
    assert chosen() == SandboxMode.BWRAP
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith("sandbox: bwrap (the faster template backend cannot run here: ") and "needs root" in line


@pytest.mark.parametrize("flag", [SandboxMode.BWRAP, SandboxMode.TEMPLATE])
def test_a_sandbox_named_on_the_command_line_is_used_as_it_is(monkeypatch, chosen, capsys, flag):
    """``--sandbox`` is obeyed without probing: the demo never picks another backend than the one asked for (each
    case is set up so that the automatic choice would be the other one)."""
    monkeypatch.setattr(backends.Template, "require", refuse if flag == SandboxMode.TEMPLATE else
                        lambda self, allow_weaker=True: None)
    assert chosen("--sandbox", str(flag)) == flag
    assert capsys.readouterr().out.startswith(f"sandbox: {flag} (set by --sandbox or nbgrader_config.py)")


def test_the_choice_is_made_once_not_per_kernel(monkeypatch):
    """``choose_sandbox`` returns a backend instance (the workers get the object, not a name to resolve again)."""
    monkeypatch.setattr(backends.Template, "require", refuse)
    from autograder.core.config import Autograder

    backend, line = demo.choose_sandbox(Autograder(), explicit=False)
    assert isinstance(backend, backends.Bubblewrap) and not isinstance(backend, backends.Template)
    assert line.count("\n") == 0


@pytest.mark.parametrize("can_fork", [True, False])
def test_the_chosen_backend_lets_kernels_import_the_course_packages(monkeypatch, can_fork):
    """Whichever backend the demo picks carries the course's ``c.Autograder.kernel_packages`` (verification gets
    the same object as grading, so both see the same packages)."""
    monkeypatch.setattr(backends.Template, "require", (lambda self, allow_weaker=True: None) if can_fork else refuse)
    from autograder.core.config import Autograder

    backend, _ = demo.choose_sandbox(Autograder(kernel_packages=["dlcourse"]), explicit=False)
    assert backend.packages == ("dlcourse",)
    backend, _ = demo.choose_sandbox(Autograder(kernel_packages=["dlcourse"], sandbox="bwrap"), explicit=True)
    assert backend.packages == ("dlcourse",)
