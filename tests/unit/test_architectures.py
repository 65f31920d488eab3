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


def test_batch_norm_follows_every_convolution_before_its_relu_and_is_off_by_default():
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in deep_cnn(residual=False).modules())
    torch.manual_seed(0)
    plain = deep_cnn(residual=False, num_blocks=2)
    torch.manual_seed(0)
    normed = deep_cnn(residual=True, num_blocks=2, batch_norm=True)
    convolutions = [m for m in normed.modules() if isinstance(m, torch.nn.Conv2d)]
    norms = [m for m in normed.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert len(norms) == len(convolutions) == 5
    assert [n.num_features for n in norms] == [c.out_channels for c in convolutions]
    # the same seed draws the same convolution weights with or without normalisation
    assert torch.equal(plain[0].weight, normed[0].weight) and torch.equal(plain[2].conv2.weight, normed[3].conv2.weight)
    assert isinstance(normed[1], torch.nn.BatchNorm2d) and isinstance(normed[2], torch.nn.ReLU)
    # in training mode each block's conv output is standardised per channel before the ReLU
    normed.train()
    x = torch.relu(normed[1](normed[0](torch.randn(16, 1, 8, 8))))
    block = normed[3]
    z = block.norm1(block.conv1(x))
    assert torch.allclose(z.mean(dim=(0, 2, 3)), torch.zeros(16), atol=1e-5)
    assert torch.allclose(z.var(dim=(0, 2, 3), unbiased=False), torch.ones(16), atol=1e-3)
    h = block.norm2(block.conv2(torch.relu(z)))
    assert torch.allclose(block(x), torch.relu(x + h))
    assert normed(torch.zeros(4, 1, 8, 8)).shape == (4, 10)
