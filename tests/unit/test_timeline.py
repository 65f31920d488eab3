"""The timeline figure draws one dot and one label per milestone, highlighted ones in red."""

import matplotlib

matplotlib.use("Agg")

from dlcourse.history import MILESTONES  # noqa: E402
from dlcourse.timeline import draw_timeline  # noqa: E402


def test_one_label_per_milestone_with_its_year():
    ax = draw_timeline(highlight=(1958,))
    labels = [text.get_text() for text in ax.texts]
    assert len(labels) == len(MILESTONES)
    for milestone, label in zip(MILESTONES, labels, strict=True):
        assert label.startswith(str(milestone.year)) and milestone.people in label
    red = [text.get_text() for text in ax.texts if text.get_color() == "tab:red"]
    assert red and all(label.startswith("1958") for label in red)
    low, high = ax.get_xlim()
    assert low < MILESTONES[0].year and MILESTONES[-1].year < high
