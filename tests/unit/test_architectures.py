"""The shared deep CNN: its depth, its shapes, and that the residual flag changes only the skip path."""

import torch

from dlcourse.architectures import deep_cnn


def test_deep_cnn_has_13_convolutions_and_a_dense_layer_and_maps_digits_to_logits():
    model = deep_cnn(residual=False)
    convolutions = [m for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    dense = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    assert len(convolutions) == 13 and len(dense) == 1
    assert model(torch.zeros(5, 1, 8, 8)).shape == (5, 10)


def test_residual_flag_adds_the_input_back():
    torch.manual_seed(0)
    plain = deep_cnn(residual=False, num_blocks=1)
    residual = deep_cnn(residual=True, num_blocks=1)
    residual.load_state_dict(plain.state_dict())  # same weights: the outputs differ only by the skip path
    x = torch.randn(3, 1, 8, 8)
    block_plain, block_residual = plain[2], residual[2]
    stem = torch.relu(plain[0](x))
    h = block_plain.conv2(torch.relu(block_plain.conv1(stem)))
    assert torch.allclose(block_plain(stem), torch.relu(h))
    assert torch.allclose(block_residual(stem), torch.relu(stem + h))
