"""Networks that more than one lecture trains, defined once.

``deep_cnn`` is the 13-layer digits CNN of two experiments: topic 04 trains its plain form under
different initialisations, topic 05 compares it with and without residual connections and batch
normalisation.
"""

import torch
from torch import nn


class Block(nn.Module):
    """Two 3×3 convolutions with ReLUs; with ``residual=True`` the input is added back before the last ReLU.

    With ``batch_norm=True`` each convolution is followed by ``nn.BatchNorm2d`` (before its ReLU, and for
    the second one before the addition). Input and output: tensors of shape (batch, channels, height, width).
    """

    def __init__(self, channels: int, residual: bool, batch_norm: bool = False):
        super().__init__()
        self.residual = residual
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)
        self.norm1 = nn.BatchNorm2d(channels) if batch_norm else nn.Identity()
        self.norm2 = nn.BatchNorm2d(channels) if batch_norm else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.norm2(self.conv2(torch.relu(self.norm1(self.conv1(x)))))
        return torch.relu(x + h if self.residual else h)


def deep_cnn(residual: bool, num_blocks: int = 6, channels: int = 16, batch_norm: bool = False) -> nn.Sequential:
    """A stem convolution, ``num_blocks`` blocks at 8×8, max-pool to 4×4 and a dense layer to 10 classes:
    1 + 2 * num_blocks convolutions (13 with the defaults) and one dense layer. Input (batch, 1, 8, 8),
    output (batch, 10) logits. PyTorch's default initialisation. ``batch_norm=True`` puts a
    ``BatchNorm2d`` after every convolution, before its ReLU (the stem's too)."""
    stem_norm = [nn.BatchNorm2d(channels)] if batch_norm else []
    return nn.Sequential(nn.Conv2d(1, channels, 3, padding=1), *stem_norm, nn.ReLU(),
                         *[Block(channels, residual, batch_norm) for _ in range(num_blocks)],
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(channels * 4 * 4, 10))
