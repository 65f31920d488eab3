"""The course's timeline figure: the milestones of ``dlcourse.history`` on one time axis.

Topic 01 draws it whole; any later topic can draw it again with its own milestones highlighted
(``highlight=(1986,)``) so that a student sees where the idea of the week sits.
"""

import matplotlib.pyplot as plt
import numpy as np

from dlcourse.history import MILESTONES, Milestone


def draw_timeline(milestones: tuple[Milestone, ...] = MILESTONES, highlight=(), ax=None, title: str = ""):
    """Draw ``milestones`` on a time axis, one row each (oldest at the top); returns the axes.

    Each dot sits at its year with the label beside it (to the left for the later half of the axis, so
    that no label leaves the figure). Milestones whose year is in ``highlight`` are red and bold.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 0.32 * len(milestones) + 1.2))
    years = np.array([m.year for m in milestones])
    middle = (years.min() + years.max()) / 2
    for row, milestone in enumerate(milestones):
        emphasised = milestone.year in highlight
        colour = "tab:red" if emphasised else "tab:blue"
        ax.plot([years.min() - 5, milestone.year], [row, row], color=colour, lw=0.5, alpha=0.4)
        ax.plot(milestone.year, row, "o", color=colour, ms=6)
        left = milestone.year > middle
        ax.annotate(f"{milestone.year}  {milestone.people}: {milestone.event}", (milestone.year, row),
                    xytext=(-8 if left else 8, 0), textcoords="offset points", ha="right" if left else "left",
                    va="center", fontsize=8, color=colour, fontweight="bold" if emphasised else "normal")
    ax.set_xlim(years.min() - 5, years.max() + 5)
    ax.set_ylim(len(milestones) - 0.5, -0.5)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    return ax
