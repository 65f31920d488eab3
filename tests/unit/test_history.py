"""The dates and results the lectures cite: in order, and each found in the slide file it names."""

from pathlib import Path

import pytest

from dlcourse.history import IMAGENET_TOP5, MILESTONES

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def seed_text(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("the lecture slides (../shared/seeds) are not beside this checkout")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text()


def test_milestones_in_order_and_each_year_in_its_seed():
    years = [m.year for m in MILESTONES]
    assert years == sorted(years)
    for milestone in MILESTONES:
        assert str(milestone.year) in seed_text(milestone.seed), milestone


def test_imagenet_errors_fall_and_each_is_in_its_seed():
    errors = [r.top5_error for r in IMAGENET_TOP5]
    assert errors == sorted(errors, reverse=True)
    for result in IMAGENET_TOP5:
        assert f"{result.top5_error}%" in seed_text(result.seed), result


def test_ilsvrc_winners_one_per_year_and_falling():
    from dlcourse.history import ILSVRC_CLASSIFICATION

    winners = [e for e in ILSVRC_CLASSIFICATION if e.place == 1]
    years = [e.year for e in winners]
    assert years == sorted(set(years))
    assert [e.top5_error for e in winners] == sorted((e.top5_error for e in winners), reverse=True)
    assert {(e.year, e.model.split()[0], e.top5_error) for e in ILSVRC_CLASSIFICATION} >= {
        (2012, "AlexNet", 15.3), (2013, "ZFNet", 11.2), (2014, "GoogLeNet", 6.7), (2014, "VGG", 7.3),
        (2015, "ResNet", 3.6)}


def test_hebb_in_his_own_words_and_the_1990_entry_is_elmans_network():
    from dlcourse.history import HEBB_POSTULATE

    assert HEBB_POSTULATE.startswith("When an axon of cell A is near enough to excite a cell B")
    hebb = next(m for m in MILESTONES if m.people == "Hebb")
    assert hebb.year == 1949 and "fire together" not in hebb.event  # a 1992 paraphrase, not Hebb's words
    (elman,) = [m for m in MILESTONES if m.year == 1990]
    assert elman.people == "Elman" and "simple recurrent network" in elman.event
