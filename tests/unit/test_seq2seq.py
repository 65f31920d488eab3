"""Tests of dlcourse.seq2seq: the reversal data, greedy decoding, exact match and the training loop."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from dlcourse import seq2seq  # noqa: E402


class Oracle(torch.nn.Module):
    """Reverses perfectly (reads the answer off ``src``); ``wrong_at`` spoils one output step."""

    def __init__(self, wrong_at=None):
        super().__init__()
        self.wrong_at = wrong_at

    def forward(self, src, tgt_in):
        steps = tgt_in.shape[1]
        digits = src.flip(1)[:, :steps].clone()
        if self.wrong_at is not None and self.wrong_at < steps:
            digits[:, self.wrong_at] = (digits[:, self.wrong_at] + 1) % seq2seq.NUM_DIGITS
        return torch.nn.functional.one_hot(digits, seq2seq.NUM_DIGITS).float()


class Leaky(torch.nn.Module):
    """Cheats by reading ``tgt_in`` one step ahead: perfect under teacher forcing, useless greedily."""

    def forward(self, src, tgt_in):
        ahead = torch.cat([tgt_in[:, 1:], torch.zeros_like(tgt_in[:, :1])], dim=1).clamp(max=9)
        return torch.nn.functional.one_hot(ahead, seq2seq.NUM_DIGITS).float()


def test_reversal_batch_shapes_and_contents():
    src, tgt_in, tgt_out = seq2seq.reversal_batch(5, 7, np.random.default_rng(0))
    for tensor in (src, tgt_in, tgt_out):
        assert tensor.shape == (5, 7) and tensor.dtype == torch.int64
    assert torch.equal(tgt_out, src.flip(1))
    assert torch.all(tgt_in[:, 0] == seq2seq.BOS)
    assert torch.equal(tgt_in[:, 1:], tgt_out[:, :-1])
    assert int(src.min()) >= 0 and int(src.max()) < seq2seq.NUM_DIGITS


def test_reversal_batch_is_reproducible():
    a = seq2seq.reversal_batch(4, 6, np.random.default_rng(3))
    b = seq2seq.reversal_batch(4, 6, np.random.default_rng(3))
    assert all(torch.equal(x, y) for x, y in zip(a, b, strict=True))


def test_greedy_decode_with_a_perfect_model():
    src, _, tgt_out = seq2seq.reversal_batch(8, 9, np.random.default_rng(1))
    assert torch.equal(seq2seq.greedy_decode(Oracle(), src), tgt_out)
    assert seq2seq.greedy_decode(Oracle(), src, num_steps=3).shape == (8, 3)


def test_exact_match_counts_whole_strings():
    assert seq2seq.exact_match(Oracle(), 6, n=50) == 1.0
    assert seq2seq.exact_match(Oracle(wrong_at=5), 6, n=50) == 0.0
    assert seq2seq.exact_match(Oracle(wrong_at=5), 5, n=50) == 1.0  # the spoilt step lies beyond length 5
    accs = seq2seq.accuracy_by_length(Oracle(wrong_at=4), [2, 4, 5, 8], n=20)
    np.testing.assert_array_equal(accs, [1.0, 1.0, 0.0, 0.0])


def test_greedy_decoding_does_not_see_the_answer():
    # A model that peeks at the next teacher-forced digit gets nothing right when it must decode alone.
    assert seq2seq.exact_match(Leaky(), 6, n=100) < 0.05


def test_exact_match_test_strings_do_not_depend_on_the_model():
    assert seq2seq.exact_match(Oracle(), 4, n=30, seed=5) == seq2seq.exact_match(Oracle(), 4, n=30, seed=5)


def test_train_lowers_the_loss_of_a_small_model():
    torch.manual_seed(0)

    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = torch.nn.Embedding(seq2seq.VOCAB_SIZE, 16)
            self.out = torch.nn.Linear(16, seq2seq.NUM_DIGITS)

        def forward(self, src, tgt_in):  # length-1 strings: the answer is the single input digit
            return self.out(self.embed(src[:, :1])).expand(-1, tgt_in.shape[1], -1)

    model = Tiny()
    losses = seq2seq.train(model, num_steps=60, max_length=1, lr=0.05)
    assert len(losses) == 60 and not model.training
    assert np.mean(losses[-10:]) < 0.3 * np.mean(losses[:5])
    assert seq2seq.exact_match(model, 1, n=100) == 1.0


def test_show_attention_labels_the_axes():
    import matplotlib

    matplotlib.use("Agg")
    weights = torch.softmax(torch.randn(3, 4), dim=-1)
    ax = seq2seq.show_attention(weights, [1, 2, 3, 4], [4, 3, 2])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["4", "3", "2"]


def test_train_keeps_the_checkpoint_with_the_lowest_validation_loss():
    torch.manual_seed(0)
    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = torch.nn.Embedding(seq2seq.VOCAB_SIZE, 16)
            self.out = torch.nn.Linear(16, seq2seq.NUM_DIGITS)

        def forward(self, src, tgt_in):
            return self.out(self.embed(src[:, :1])).expand(-1, tgt_in.shape[1], -1)

    model = Tiny()
    history = []
    seq2seq.train(model, num_steps=40, max_length=1, lr=0.05, val_every=10, val_history=history)
    assert [step for step, _ in history] == [10, 20, 30, 40]
    best = min(loss for _, loss in history)
    assert abs(seq2seq.validation_loss(model, 1) - best) < 1e-6
