# The decoder reads the average of the encoder states (uniform weights) instead of attending: the
# fixed-size bottleneck is back and long strings fail.
# expect: partial
# fails: test_seq2seq_floor test_seq2seq_floor_hidden
# %% answer id=seq2seq
class AttentionSeq2Seq(nn.Module):
    def __init__(self, num_hiddens=64, embed_size=32):
        super().__init__()
        self.src_embed = nn.Embedding(seq2seq.VOCAB_SIZE, embed_size)
        self.tgt_embed = nn.Embedding(seq2seq.VOCAB_SIZE, embed_size)
        self.encoder = nn.GRU(embed_size, num_hiddens, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(2 * num_hiddens, num_hiddens)
        self.decoder = nn.GRU(embed_size, num_hiddens, batch_first=True)
        self.W_k = nn.Linear(2 * num_hiddens, num_hiddens, bias=False)
        self.out = nn.Linear(3 * num_hiddens, seq2seq.NUM_DIGITS)
        self.weights = None

    def forward(self, src, tgt_in):
        H, h_last = self.encoder(self.src_embed(src))
        s0 = torch.tanh(self.bridge(torch.cat([h_last[0], h_last[1]], dim=-1))).unsqueeze(0)
        states, _ = self.decoder(self.tgt_embed(tgt_in), s0)
        self.weights = torch.full((src.shape[0], tgt_in.shape[1], src.shape[1]), 1.0 / src.shape[1])
        context = self.weights @ H
        return self.out(torch.cat([states, context], dim=-1))
