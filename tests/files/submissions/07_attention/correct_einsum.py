# A correct solution written differently: einsum, a hand-written stable softmax with torch.where, heads
# handled one at a time by chunks, the causal mask by comparing position indices, the positional
# encoding from exp and log with sines and cosines interleaved by stacking, and the decoder summary built
# by reshaping h_last.
# expect: full
# %% answer id=masked_softmax
def masked_softmax(scores, mask=None):
    if mask is None:
        mask = torch.ones_like(scores, dtype=torch.bool)
    mask = torch.broadcast_to(mask, scores.shape)
    largest = torch.where(mask, scores, torch.full_like(scores, -torch.inf)).amax(dim=-1, keepdim=True)
    exps = torch.where(mask, torch.exp(scores - largest), torch.zeros_like(scores))
    return exps / exps.sum(dim=-1, keepdim=True)

# %% answer id=sdpa
def scaled_dot_product_attention(Q, K, V, mask=None):
    d = Q.size(-1)
    weights = masked_softmax(torch.einsum("...td,...sd->...ts", Q, K) * d ** -0.5, mask)
    return torch.einsum("...ts,...sv->...tv", weights, V), weights

# %% answer id=mha
def multi_head_attention(X_q, X_kv, W_q, W_k, W_v, W_o, num_heads, mask=None):
    Q = torch.einsum("btm,km->btk", X_q, W_q)
    K = torch.einsum("bsn,kn->bsk", X_kv, W_k)
    V = torch.einsum("bsn,vn->bsv", X_kv, W_v)
    outputs, all_weights = [], []
    for q, k, v in zip(Q.chunk(num_heads, dim=-1), K.chunk(num_heads, dim=-1), V.chunk(num_heads, dim=-1)):
        out, weights = scaled_dot_product_attention(q, k, v, mask)
        outputs.append(out)
        all_weights.append(weights)
    return torch.einsum("btv,mv->btm", torch.cat(outputs, dim=-1), W_o), torch.stack(all_weights, dim=1)

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
        encoded, final = self.encoder(self.src_embed(src))
        batch = src.shape[0]
        start = torch.tanh(self.bridge(final.transpose(0, 1).reshape(batch, -1)))
        decoded, _ = self.decoder(self.tgt_embed(tgt_in), start[None])
        keys = self.W_k(encoded)
        scores = torch.bmm(decoded, keys.transpose(1, 2)) / keys.shape[-1] ** 0.5
        self.weights = masked_softmax(scores)
        context = torch.bmm(self.weights, encoded)
        return self.out(torch.cat((decoded, context), dim=2))


# %% answer id=causal_mask
def causal_mask(T):
    position = torch.arange(T)
    return position[None, :] <= position[:, None]


# %% answer id=positional_encoding
def positional_encoding(num_positions, d):
    p = torch.arange(num_positions, dtype=torch.float64).unsqueeze(1)
    rate = torch.exp(torch.arange(d // 2, dtype=torch.float64) * (-2.0 * math.log(10000.0) / d))
    return torch.stack((torch.sin(p * rate), torch.cos(p * rate)), dim=2).flatten(1)
