"""make lab: configuration of the local exchange, release to it and collect from it (no server here;
tests/browser starts real ones)."""

import os

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from coursetools import lab as lab_module
from coursetools.lab import COURSE_ID, Lab, collect, command, release, write_config


def _course(tmp_path):
    root = tmp_path / "course"
    (root / "release" / "01_topic").mkdir(parents=True)
    (root / "release" / "empty").mkdir()  # no notebook: not an assignment
    (root / "source").mkdir()
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    nbformat.write(new_notebook(cells=[new_code_cell("1")]), root / "release" / "01_topic" / "01_topic.ipynb")
    return Lab.at(root, root / "grading")


def test_config_and_environment(tmp_path):
    lab = _course(tmp_path)
    write_config(lab, {"@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"}})
    text = (lab.config_dir / "nbgrader_config.py").read_text()
    assert f"c.Exchange.root = {str(lab.exchange)!r}" in text and str(lab.student_dir) in text
    news = lab.config_dir / "lab" / "user-settings" / "@jupyterlab/apputils-extension/notification.jupyterlab-settings"
    assert '"fetchNews": "false"' in news.read_text()
    env = lab.env({"PATH": "/usr/bin"})
    assert env["JUPYTER_CONFIG_DIR"] == str(lab.config_dir) and env["AUTOGRADER_WORKDIR"] == str(lab.workdir)
    assert env["OMP_NUM_THREADS"] == "1"
    argv = command(lab, 8123, token="abc")
    assert "--ServerApp.ip=127.0.0.1" in argv and "--ServerApp.port=8123" in argv
    assert "--IdentityProvider.token=abc" in argv and f"--ServerApp.root_dir={lab.root}" in argv
    assert ("--allow-root" in argv) == (os.geteuid() == 0)


def test_release_then_collect(tmp_path):
    lab = _course(tmp_path)
    write_config(lab)
    assert release(lab) == ["01_topic"]
    assert (lab.exchange / COURSE_ID / "outbound" / "01_topic" / "01_topic.ipynb").exists()
    assert release(lab, ["01_topic"]) == ["01_topic"]  # releasing again replaces the earlier release
    submission = lab.exchange / COURSE_ID / "inbound" / "alice+01_topic+2026-01-01 10:00:00.000000 UTC+abc"
    submission.mkdir(parents=True)
    (submission / "01_topic.ipynb").write_text("{}")
    (submission / "timestamp.txt").write_text("2026-01-01 10:00:00.000000 UTC")
    into = collect(lab, "01_topic", tmp_path / "collected")
    assert (into / "alice" / "01_topic" / "01_topic.ipynb").exists()


def test_free_port_is_bindable():
    import socket

    port = lab_module.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
