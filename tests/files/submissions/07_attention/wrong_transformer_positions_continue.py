# Numbers the decoder positions S, S + 1, ... (as in the lecture's decoder-only model) instead of from 0.
# expect: partial
# fails: test_transformer_hidden
# %% answer id=transformer_seq2seq
class TransformerSeq2Seq(nn.Module):
    """One encoder block and one decoder block with sinusoidal positions; logits (batch, T, 10)."""

    def __init__(self, d_model=32, num_heads=4, d_ff=64, max_len=64):
        super().__init__()
        self.src_embed = nn.Embedding(seq2seq.VOCAB_SIZE, d_model)
        self.tgt_embed = nn.Embedding(seq2seq.VOCAB_SIZE, d_model)
        self.register_buffer("P", positional_encoding(max_len, d_model))
        self.encoder = EncoderBlock(d_model, num_heads, d_ff)
        self.decoder = DecoderBlock(d_model, num_heads, d_ff)
        self.out = nn.Linear(d_model, seq2seq.NUM_DIGITS)

    def forward(self, src, tgt_in):
        """Logits of the next digit under teacher forcing.

        src:    int64 tensor of shape (batch, S), the digits to reverse.
        tgt_in: int64 tensor of shape (batch, T), BOS followed by the first T - 1 output digits.
        Returns float logits of shape (batch, T, 10).
        """
        memory = self.encoder(self.src_embed(src) + self.P[: src.shape[1]])
        decoded = self.decoder(self.tgt_embed(tgt_in) + self.P[src.shape[1]: src.shape[1] + tgt_in.shape[1]], memory)
        return self.out(decoded)
