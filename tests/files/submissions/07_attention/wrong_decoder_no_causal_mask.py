# Self-attention without the causal mask: in training each step reads the digits it is meant to predict.
# expect: partial
# fails: test_decoder_torch test_decoder_hidden test_transformer_causal test_transformer_hidden
# %% answer id=decoder_block
class DecoderBlock(nn.Module):
    """Post-norm Transformer decoder block: causal self-attention, cross-attention, feed-forward network."""

    def __init__(self, d_model, num_heads, d_ff):
        super().__init__()
        self.self_attention = MultiHeadAttention(d_model, num_heads)
        self.cross_attention = MultiHeadAttention(d_model, num_heads)
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d_model), nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model))
        self.cross_weights = None

    def forward(self, Y, memory, memory_valid=None):
        """One decoder block.

        Y:            float tensor of shape (batch, T, d_model), the decoder's input.
        memory:       float tensor of shape (batch, S, d_model), the encoder's output.
        memory_valid: None or a bool tensor of shape (batch, S), True at real encoder positions.
        Returns a tensor of shape (batch, T, d_model), and stores the cross-attention weights of every head,
        shape (batch, num_heads, T, S), in self.cross_weights.
        """
        attended, _ = self.self_attention(Y, Y)
        Z1 = self.norm1(Y + attended)
        cross_mask = None if memory_valid is None else memory_valid[:, None, :]
        read, self.cross_weights = self.cross_attention(Z1, memory, cross_mask)
        Z2 = self.norm2(Z1 + read)
        return self.norm3(Z2 + self.ffn(Z2))
