"""The course's timeline figure: the milestones of ``dlcourse.history`` on one time axis.

Topic 01 draws it whole; any later topic can draw it again with its own milestones highlighted
(``highlight=(1986,)``) so that a student sees where the idea of the week sits.
"""

import matplotlib.pyplot as plt
import numpy as np

from dlcourse.history import MILESTONES, Milestone


def draw_timeline(milestones: tuple[Milestone, ...] = MILESTONES, highlight=(), ax=None, title: str = ""):
    """Draw ``milestones`` as labelled ticks on a horizontal time axis; returns the axes.

    Labels alternate above and below the axis (four heights) so that neighbouring years do not overlap.
    Milestones whose year is in ``highlight`` are drawn in red and bold.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(13, 5))
    years = np.array([m.year for m in milestones])
    heights = np.array([1.0, -1.0, 2.1, -2.1])[np.arange(len(milestones)) % 4]
    ax.axhline(0, color="k", lw=1)
    for milestone, height in zip(milestones, heights, strict=True):
        emphasised = milestone.year in highlight
        colour = "tab:red" if emphasised else "tab:blue"
        ax.plot([milestone.year, milestone.year], [0, height * 0.85], color=colour, lw=1)
        ax.plot(milestone.year, 0, "o", color=colour, ms=5)
        ax.annotate(f"{milestone.year}  {milestone.people}\n{milestone.event}", (milestone.year, height),
                    ha="center", va="bottom" if height > 0 else "top", fontsize=7.5, color=colour,
                    fontweight="bold" if emphasised else "normal")
    ax.set_xlim(years.min() - 6, years.max() + 6)
    ax.set_ylim(-3.4, 3.4)
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    return ax
