"""The service's small parts: inbox folder names, times no student can set back, links never followed,
the hourly limit, and the state that survives a restart."""

import os
import time
from datetime import UTC, datetime, timedelta

from autograder.serve import limits
from autograder.serve.inbox import arrival, content_hash, parse_name, scan
from autograder.serve.state import GRADED, QUEUED, Entry, State


def _submission(inbound, name, notebook=b"{}", stamp="2026-12-01 10:00:00.000000 UTC"):
    folder = inbound / name
    folder.mkdir(parents=True)
    (folder / "a1.ipynb").write_bytes(notebook)
    (folder / "timestamp.txt").write_text(stamp)
    (folder / "submission_secret.txt").write_text("s3cret")
    return folder


def test_folder_names_as_nbgrader_writes_them():
    assert parse_name("alice+a1+2026-12-01 10:00:00.000000 UTC+AbC_dEf-123", "a1") == "alice"
    assert parse_name("alice+a1+2026-12-01 10:00:00.000000 UTC", "a1") == "alice"  # add_random_string off
    assert parse_name("bob+a2+2026-12-01 10:00:00 UTC+xyz", "a1") is None
    assert parse_name("../evil+a1+t+r", "a1") is None and parse_name("a1", "a1") is None


def test_a_written_time_earlier_than_the_files_does_not_count(tmp_path):
    folder = _submission(tmp_path, "alice+a1+t+r", stamp="2020-01-01 00:00:00 UTC")  # forged: years early
    item = arrival(folder, "alice")
    assert abs((item.submitted_at - datetime.now(UTC)).total_seconds()) < 60
    later = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S UTC")
    (folder / "timestamp.txt").write_text(later)  # a later written time counts (it is the student's loss)
    assert arrival(folder, "alice").submitted_at > datetime.now(UTC) + timedelta(minutes=50)
    assert item.secret == "s3cret" and item.notebooks == ("a1",)


def test_links_are_never_followed_and_the_hash_follows_the_content(tmp_path):
    secret = tmp_path / "instructor-only.txt"
    secret.write_text("the answers")
    folder = _submission(tmp_path / "inbound", "alice+a1+t+r")
    (folder / "data.csv").symlink_to(secret)
    (folder / "submission_secret.txt").unlink()
    (folder / "submission_secret.txt").symlink_to(secret)
    item = arrival(folder, "alice")
    assert item.secret == ""  # a linked secret is no secret: no page is written for it
    before = content_hash(item)
    secret.write_text("changed")
    assert content_hash(item) == before  # the link's target is not part of the submission
    (folder / "a1.ipynb").write_bytes(b'{"cells": []}')
    assert content_hash(arrival(folder, "alice")) != before
    (tmp_path / "inbound" / "bob+a1+t+r").symlink_to(folder)  # a linked folder is not a submission
    assert [found.student for found in scan(tmp_path / "inbound", "a1")] == ["alice"]


def test_the_hourly_limit_counts_a_sliding_hour():
    now = 10_000.0
    assert limits.check([], now, 2).allowed and limits.check([now - 10] * 5, now, 0).allowed
    assert limits.check([now - 3700, now - 100], now, 2).allowed  # the first left the hour
    verdict = limits.check([now - 1000, now - 100], now, 2)
    assert not verdict.allowed and verdict.next_at == now - 1000 + 3600


def test_the_state_survives_a_restart_and_orders_by_arrival(tmp_path):
    state = State(tmp_path / "serve" / "a1.json")
    state.entries["k2"] = Entry("k2", "bob", "sig", "h2", "2026-12-01T10:00:02+00:00", 5.0)
    state.entries["k1"] = Entry("k1", "alice", "sig", "h1", "2026-12-01T10:00:01+00:00", 5.0)
    state.mark("k2", GRADED)
    state.save()
    again = State(tmp_path / "serve" / "a1.json")
    assert again.entries["k2"].state == GRADED and again.entries["k2"].done_at >= time.time() - 60
    assert [entry.key for entry in again.pending()] == ["k1"]
    again.entries["k1"].state = QUEUED
    assert [entry.key for entry in again.pending()] == ["k1"]
    assert not [p for p in os.listdir(tmp_path / "serve") if p.startswith(".")]  # no partial file left
