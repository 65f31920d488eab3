# A correct solution written differently: the decoder block builds its masks by comparing position indices
# and keeps the residual sums in named steps, the Transformer selects its positions with index_select,
# and Bahdanau's decoder scores with einsum and its own softmax, and collects the steps in preallocated
# tensors.
# expect: full
# %% answer id=decoder_block
class DecoderBlock(nn.Module):
    def __init__(self, d_model, num_heads, d_ff):
        super().__init__()
        self.self_attention = MultiHeadAttention(d_model, num_heads)
        self.cross_attention = MultiHeadAttention(d_model, num_heads)
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d_model), nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model))
        self.cross_weights = None

    def forward(self, Y, memory, memory_valid=None):
        positions = torch.arange(Y.size(1))
        look_back = positions[None, :] <= positions[:, None]
        Z1 = self.norm1(Y + self.self_attention(Y, Y, mask=look_back)[0])
        if memory_valid is None:
            memory_valid = torch.ones(memory.shape[:2], dtype=torch.bool)
        read, weights = self.cross_attention(Z1, memory, mask=memory_valid.unsqueeze(1))
        self.cross_weights = weights
        Z2 = self.norm2(read + Z1)
        return self.norm3(self.ffn(Z2) + Z2)

# %% answer id=transformer_seq2seq
class TransformerSeq2Seq(nn.Module):
    def __init__(self, d_model=32, num_heads=4, d_ff=64, max_len=64):
        super().__init__()
        self.src_embed = nn.Embedding(seq2seq.VOCAB_SIZE, d_model)
        self.tgt_embed = nn.Embedding(seq2seq.VOCAB_SIZE, d_model)
        self.register_buffer("P", positional_encoding(max_len, d_model))
        self.encoder = EncoderBlock(d_model, num_heads, d_ff)
        self.decoder = DecoderBlock(d_model, num_heads, d_ff)
        self.out = nn.Linear(d_model, seq2seq.NUM_DIGITS)

    def forward(self, src, tgt_in):
        src_positions = self.P.index_select(0, torch.arange(src.size(1)))
        tgt_positions = self.P.index_select(0, torch.arange(tgt_in.size(1)))
        memory = self.encoder(src_positions.unsqueeze(0) + self.src_embed(src))
        return self.out(self.decoder(tgt_positions.unsqueeze(0) + self.tgt_embed(tgt_in), memory))

# %% answer id=bahdanau
class BahdanauSeq2Seq(nn.Module):
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
        H, h_last = self.encoder(self.src_embed(src))
        keys = self.W_k(H)
        state = torch.tanh(self.bridge(h_last.transpose(0, 1).reshape(src.size(0), -1)))
        batch, steps = tgt_in.shape
        logits = H.new_empty(batch, steps, self.out.out_features)
        self.weights = H.new_empty(batch, steps, src.size(1))
        for t, embedded in enumerate(self.tgt_embed(tgt_in).unbind(1)):
            scores = torch.einsum("bh,bsh->bs", state, keys) / keys.size(-1) ** 0.5
            alpha = torch.exp(scores - scores.max(dim=1, keepdim=True).values)
            alpha = alpha / alpha.sum(dim=1, keepdim=True)
            context = torch.einsum("bs,bsk->bk", alpha, H)
            state = self.decoder(torch.cat([embedded, context], dim=1), state)
            logits[:, t] = self.out(torch.cat([state, context], dim=1))
            self.weights[:, t] = alpha
        return logits
