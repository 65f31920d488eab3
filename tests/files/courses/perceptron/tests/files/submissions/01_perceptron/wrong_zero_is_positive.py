# Labels a point exactly on the hyperplane +1 (score >= 0), against the course's convention that a
# score of zero is negative.
# expect: partial
# fails: test_predict test_predict_hidden
# %% answer id=predict
def predict(X, w, b):
    return np.where(X @ w + b >= 0, 1, -1)
