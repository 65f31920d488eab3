"""dlcourse.batched: stacked copies compute and train exactly as the separate networks would."""

import numpy as np
import pytest
import torch
from torch import nn

from dlcourse.batched import BatchedLinear, apply_copies, stack, unstack


def _net(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Sequential(nn.Linear(6, 5), nn.ReLU()), nn.Linear(5, 4), nn.Sigmoid())


def test_forward_matches_each_copy():
    nets = [_net(seed) for seed in (0, 1, 2)]
    batched = stack(nets)
    X = torch.randn(3, 7, 6, generator=torch.Generator().manual_seed(5))
    out = batched(X)
    assert out.shape == (3, 7, 4)
    for s, net in enumerate(nets):
        torch.testing.assert_close(out[s], net(X[s]))
    shared = apply_copies(batched, X[0].numpy())
    assert shared.shape == (3, 7, 4)
    for s, net in enumerate(nets):
        np.testing.assert_allclose(shared[s], net(X[0]).detach().numpy(), rtol=1e-6, atol=1e-6)


def test_unstack_gives_back_each_copy():
    nets = [_net(seed) for seed in (3, 4)]
    batched = stack(nets)
    X = torch.randn(5, 6)
    for s, net in enumerate(nets):
        torch.testing.assert_close(unstack(batched, s)(X), net(X))
    assert isinstance(batched[1], BatchedLinear) and isinstance(unstack(batched, 0)[1], nn.Linear)


def test_adam_on_the_summed_loss_trains_each_copy_as_alone():
    nets = [_net(seed) for seed in (0, 1)]
    batched = stack(nets)
    X = torch.rand(2, 8, 6, generator=torch.Generator().manual_seed(9))
    Y = torch.rand(2, 8, 4, generator=torch.Generator().manual_seed(10))
    optimizer = torch.optim.Adam(batched.parameters(), lr=0.05)
    alone = [torch.optim.Adam(net.parameters(), lr=0.05) for net in nets]
    for _ in range(5):
        optimizer.zero_grad()
        ((batched(X) - Y) ** 2).mean(dim=(1, 2)).sum().backward()
        optimizer.step()
        for s, (net, opt) in enumerate(zip(nets, alone)):
            opt.zero_grad()
            ((net(X[s]) - Y[s]) ** 2).mean().backward()
            opt.step()
    for s, net in enumerate(nets):
        torch.testing.assert_close(batched[1].weight[s], net[1].weight, rtol=1e-5, atol=1e-6)


def test_layers_with_parameters_other_than_linear_are_refused():
    with pytest.raises(TypeError, match="stack handles nn.Linear"):
        stack([nn.Sequential(nn.LayerNorm(3)) for _ in range(2)])
