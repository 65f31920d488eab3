# Attends from the new state s_t (the lecture's order) and feeds the previous step's context into the recurrence.
# expect: partial
# fails: test_bahdanau_hidden
# %% answer id=bahdanau
class BahdanauSeq2Seq(nn.Module):
    """GRU encoder-decoder whose decoder attends from its previous state and feeds the context into its GRU."""

    def __init__(self, num_hiddens=64, embed_size=32):
        super().__init__()
        self.src_embed = nn.Embedding(seq2seq.VOCAB_SIZE, embed_size)
        self.tgt_embed = nn.Embedding(seq2seq.VOCAB_SIZE, embed_size)
        self.encoder = nn.GRU(embed_size, num_hiddens, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(2 * num_hiddens, num_hiddens)
        self.W_k = nn.Linear(2 * num_hiddens, num_hiddens, bias=False)
        self.decoder = nn.GRUCell(embed_size + 2 * num_hiddens, num_hiddens)
        self.out = nn.Linear(3 * num_hiddens, seq2seq.NUM_DIGITS)
        self.weights = None

    def forward(self, src, tgt_in):
        """Logits of the next digit under teacher forcing.

        src:    int64 tensor of shape (batch, S), the digits to reverse.
        tgt_in: int64 tensor of shape (batch, T), BOS followed by the first T - 1 output digits.
        Returns logits of shape (batch, T, 10) and stores the attention weights of every step, shape
        (batch, T, S), in self.weights.
        """
        H, h_last = self.encoder(self.src_embed(src))  # (batch, S, 2h), (2, batch, h)
        keys = self.W_k(H)
        s = torch.tanh(self.bridge(torch.cat([h_last[0], h_last[1]], dim=-1)))  # (batch, h)
        inputs = self.tgt_embed(tgt_in)
        logits, weights = [], []
        context = torch.zeros(src.shape[0], 1, H.shape[-1])
        for t in range(tgt_in.shape[1]):
            s = self.decoder(torch.cat([inputs[:, t], context[:, 0]], dim=-1), s)
            context, w = scaled_dot_product_attention(s[:, None], keys, H)
            logits.append(self.out(torch.cat([s, context[:, 0]], dim=-1)))
            weights.append(w[:, 0])
        self.weights = torch.stack(weights, dim=1)
        return torch.stack(logits, dim=1)
