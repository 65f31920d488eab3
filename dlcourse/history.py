"""Dates and results the lectures cite, kept as data with the lecture slide (``../shared/seeds/``) each
comes from, so that a figure and the text beside it cannot disagree.

Seeds are named by the first characters of their file names: ``000`` is ``000_81dcc429783b0bc2.txt``.
Topic 01 draws the timeline; topic 05 draws the ImageNet results. Add an entry only with its seed.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Milestone:
    """One dated step of the field's history."""

    year: int
    event: str
    people: str
    seed: str  # which slide file states it


@dataclass(frozen=True)
class ImageNetResult:
    """A top-5 classification error on the ImageNet challenge (ILSVRC), in percent."""

    year: int
    model: str
    top5_error: float
    seed: str


MILESTONES = (
    Milestone(1943, "neurons as logic gates", "McCulloch and Pitts", "001"),
    Milestone(1949, "a connection grows when its input takes part in firing its output", "Hebb", "001"),
    Milestone(1958, "the perceptron and its learning rule", "Rosenblatt", "002"),
    Milestone(1969, "Perceptrons: what order-limited perceptrons cannot compute (parity, XOR)", "Minsky and Papert",
              "001"),
    Milestone(1974, "backpropagation for multi-layer networks", "Werbos", "001"),
    Milestone(1980, "the neocognitron", "Fukushima", "001"),
    Milestone(1986, "backpropagation popularised", "Rumelhart, Hinton and Williams", "001"),
    Milestone(1989, "backpropagation in convolutional networks", "LeCun et al.", "001"),
    Milestone(1989, "universal approximation with one hidden layer", "Cybenko", "002"),
    Milestone(1990, "the simple recurrent network", "Elman", "001"),
    Milestone(1991, "universal approximation for any continuous bounded non-constant activation", "Hornik",
              "002"),
    Milestone(1997, "long short-term memory", "Hochreiter and Schmidhuber", "001"),
    Milestone(2000, "variational learning of a nonlinear latent-variable model, a predecessor of the VAE",
              "Valpola and Honkela", "000"),
    Milestone(2006, "layer-wise pre-training of deep networks", "Hinton et al.", "001"),
    Milestone(2012, "a deep CNN wins ImageNet by a large margin", "Krizhevsky, Sutskever and Hinton", "000"),
    Milestone(2012, "dropout", "Hinton et al.", "000"),
    Milestone(2015, "residual networks win ImageNet", "He et al.", "002"),
)

# Hebb's postulate in his own words (The Organization of Behavior, 1949, p. 62). "Cells that fire together
# wire together" is a later paraphrase (Shatz 1992; Lowel and Singer 1992), not Hebb's sentence.
HEBB_POSTULATE = ("When an axon of cell A is near enough to excite a cell B and repeatedly or persistently "
                  "takes part in firing it, some growth process or metabolic change takes place in one or "
                  "both cells such that A's efficiency, as one of the cells firing B, is increased.")

# 25.8 % is what seed 001 calls the "next best" result beside AlexNet's; it is the best error reached
# with hand-crafted features (ILSVRC 2011's winner).
IMAGENET_TOP5 = (
    ImageNetResult(2011, "hand-crafted features", 25.8, "001"),
    ImageNetResult(2012, "AlexNet (8 layers)", 16.4, "001"),
    ImageNetResult(2014, "VGG (19 layers)", 7.3, "001"),
    ImageNetResult(2015, "ResNet (152 layers)", 3.6, "001"),
)


@dataclass(frozen=True)
class ILSVRCEntry:
    """One entry of the ImageNet classification challenge (ILSVRC): its top-5 error on the test set, in
    percent, and its place in that year's classification ranking."""

    year: int
    team: str
    model: str
    top5_error: float
    place: int
    note: str = ""


# From the challenge's published results, summarised by Russakovsky et al., "ImageNet Large Scale Visual
# Recognition Challenge", IJCV 115 (2015), and for 2015 by He et al. (CVPR 2016). Every winner, and VGG,
# which came second in 2014 (the slides' 7.3 % and 16.4 % are VGG's and AlexNet's without extra data).
# 2013: the challenge's results page gives Clarifai's best entry 0.11197 (with outside training data) and
# 0.11743 without (quoted, e.g., in BVLC/caffe issue #32); as for 2012, the entry is the winning one.
ILSVRC_CLASSIFICATION = (
    ILSVRCEntry(2011, "XRCE", "hand-crafted features (Fisher vectors)", 25.8, 1),
    ILSVRCEntry(2012, "SuperVision", "AlexNet (8 layers)", 15.3, 1,
                "with extra training data from ImageNet Fall 2011; 16.4 % without"),
    ILSVRCEntry(2013, "Clarifai", "ZFNet ensemble (Zeiler and Fergus)", 11.2, 1,
                "with outside training data; 11.7 % without"),
    ILSVRCEntry(2014, "GoogLeNet", "GoogLeNet (22 layers)", 6.7, 1),
    ILSVRCEntry(2014, "VGG", "VGG (19 layers)", 7.3, 2),
    ILSVRCEntry(2015, "MSRA", "ResNet (152 layers)", 3.6, 1),
)
