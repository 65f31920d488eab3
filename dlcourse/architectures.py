"""Networks that more than one lecture trains, defined once.

``deep_cnn`` is the 13-layer digits CNN of two experiments: topic 04 trains its plain form under
different initialisations, topic 05 compares it with and without residual connections.
"""

import torch
from torch import nn


class Block(nn.Module):
    """Two 3×3 convolutions with ReLUs; with ``residual=True`` the input is added back before the last ReLU.

    Input and output: tensors of shape (batch, channels, height, width).
    """

    def __init__(self, channels: int, residual: bool):
        super().__init__()
        self.residual = residual
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv2(torch.relu(self.conv1(x)))
        return torch.relu(x + h if self.residual else h)


def deep_cnn(residual: bool, num_blocks: int = 6, channels: int = 16) -> nn.Sequential:
    """A stem convolution, ``num_blocks`` blocks at 8×8, max-pool to 4×4 and a dense layer to 10 classes:
    1 + 2 * num_blocks convolutions (13 with the defaults) and one dense layer. Input (batch, 1, 8, 8),
    output (batch, 10) logits. PyTorch's default initialisation."""
    return nn.Sequential(nn.Conv2d(1, channels, 3, padding=1), nn.ReLU(),
                         *[Block(channels, residual) for _ in range(num_blocks)],
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(channels * 4 * 4, 10))
