# The tied decoder uses the encoder's weights without transposing them (F.linear(H, W) computes H @ W.T).
# expect: partial
# fails: test_dae_shapes test_dae_forward test_dae_hidden test_train_loop test_train_contractive_hidden test_train_early_stop test_train_early_stop_hidden test_train_dae test_train_cae test_dae_test_hidden test_train_dae_hidden test_train_emphasis test_train_emphasis_hidden
# %% answer id=dae
import torch.nn.functional as F


class DenoisingAutoencoder(nn.Module):
    def __init__(self, num_inputs, num_hiddens):
        super().__init__()
        a = np.sqrt(6.0 / (num_inputs + num_hiddens))
        self.W = nn.Parameter(torch.empty(num_hiddens, num_inputs).uniform_(-a, a))
        self.b_hidden = nn.Parameter(torch.zeros(num_hiddens))
        self.b_visible = nn.Parameter(torch.zeros(num_inputs))

    def encode(self, X):
        return torch.sigmoid(F.linear(X, self.W, self.b_hidden))

    def decode(self, H):
        return torch.sigmoid(F.linear(H, self.W, self.b_visible))

    def forward(self, X):
        return self.decode(self.encode(X))
