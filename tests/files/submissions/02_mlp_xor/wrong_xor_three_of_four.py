# XOR weights whose output unit only copies the OR unit: right on (0,0), (0,1), (1,0), wrong on (1,1).
# expect: partial
# fails: test_xor
# %% answer id=xor_weights
def xor_weights():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([-0.5, -1.5])
    W2 = np.array([[1.0, 0.0]])
    b2 = np.array([-0.5])
    return W1, b1, W2, b2
