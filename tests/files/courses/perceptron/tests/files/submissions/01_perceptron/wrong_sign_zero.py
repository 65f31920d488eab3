# Uses np.sign, which labels points on the hyperplane 0 instead of -1.
# expect: partial
# fails: test_predict test_predict_hidden
# %% answer id=predict
def predict(X, w, b):
    return np.sign(X @ w + b).astype(int)
