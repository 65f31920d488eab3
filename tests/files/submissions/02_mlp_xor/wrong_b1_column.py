# Right XOR weights, but b1 is a column (2, 1) and W2 a flat (2,) vector: the old concatenated-shape
# check accepted this; each shape is now checked on its own.
# expect: partial
# fails: test_xor_shapes test_xor
# %% answer id=xor_weights
def xor_weights():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([[-0.5], [-1.5]])
    W2 = np.array([1.0, -1.0])
    b2 = np.array([-0.5])
    return W1, b1, W2, b2
