"""Several copies of a small network, one per seed, trained at once as one batched model.

``stack(models)`` turns a list of identical ``nn.Sequential`` networks (each built after its own
``torch.manual_seed``) into one network whose ``nn.Linear`` layers become ``BatchedLinear`` layers: copy
``s`` is slice ``s`` of every parameter, and one batched matrix product (``torch.baddbmm``) runs all
copies. Inputs and outputs gain a leading copy axis: ``(S, B, features)``. ``unstack(model, s)`` gives
copy ``s`` back as an ordinary network. For comparisons over five or more seeds (``dlcourse.stats``):
on one CPU thread, a small network's training step costs mostly Python overhead, so S copies in one
model cost far less than S separate runs. Train with the sum of the copies' losses: no parameter is
shared and Adam scales each parameter's step by its own history, so every copy follows the trajectory it
would follow alone. Introduced in 08_autoencoders.
"""

import copy
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

__all__ = ["BatchedLinear", "stack", "unstack", "apply_copies"]


class BatchedLinear(nn.Module):
    """``S`` independent affine maps: ``weight (S, out, in)``, ``bias (S, out)``; ``(S, B, in) -> (S, B, out)``."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor):
        super().__init__()
        self.weight = nn.Parameter(weight.detach().clone())
        self.bias = nn.Parameter(bias.detach().clone())

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return torch.baddbmm(self.bias.unsqueeze(1), X, self.weight.transpose(1, 2))

    def copy(self, s: int) -> nn.Linear:
        """Copy ``s`` as an ``nn.Linear`` with its own (detached) weights."""
        out_features, in_features = self.weight.shape[1:]
        layer = nn.Linear(in_features, out_features).to(self.weight.device, self.weight.dtype)
        with torch.no_grad():
            layer.weight.copy_(self.weight[s])
            layer.bias.copy_(self.bias[s])
        return layer


def stack(models: Sequence[nn.Module]) -> nn.Module:
    """One batched network from identical networks (``nn.Sequential`` of ``nn.Linear`` and parameter-free
    layers, nested or not): ``nn.Linear`` layers are stacked in the order of ``models``."""
    first = models[0]
    if isinstance(first, nn.Linear):
        return BatchedLinear(torch.stack([m.weight for m in models]), torch.stack([m.bias for m in models]))
    if isinstance(first, nn.Sequential):
        return nn.Sequential(*[stack([m[i] for m in models]) for i in range(len(first))])
    if any(True for _ in first.parameters()):
        raise TypeError(f"stack handles nn.Linear and parameter-free layers, not {type(first).__name__}")
    return copy.deepcopy(first)


def unstack(model: nn.Module, s: int) -> nn.Module:
    """Copy ``s`` of a network built by ``stack``, as an ordinary network (a detached copy)."""
    if isinstance(model, BatchedLinear):
        return model.copy(s)
    if isinstance(model, nn.Sequential):
        return nn.Sequential(*[unstack(layer, s) for layer in model])
    return copy.deepcopy(model)


def apply_copies(model: nn.Module, X) -> np.ndarray:
    """Every copy of a stacked network applied to the same array ``X (N, D)`` in eval mode: ``(S, N, out)``."""
    first = next(model.parameters())
    S = first.shape[0]
    model.eval()
    with torch.no_grad():
        X_t = torch.as_tensor(np.asarray(X), device=first.device, dtype=first.dtype)
        return model(X_t.expand(S, *X_t.shape).contiguous()).cpu().numpy()
