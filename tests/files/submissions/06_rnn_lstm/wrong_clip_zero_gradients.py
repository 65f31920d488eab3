# Divides by the global norm without a guard, so all-zero gradients raise ZeroDivisionError instead of
# coming back unchanged (torch.nn.utils.clip_grad_norm_ returns them unchanged).
# expect: partial
# fails: test_clip_hidden
# %% answer id=clip
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
    scale = min(1.0, max_norm / total_norm)
    return [g * scale for g in grads], total_norm
