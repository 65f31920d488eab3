"""The course's own tooling (the demo, the lab, the lecture site), outside the harness."""
