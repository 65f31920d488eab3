# Forgets the bias in predict().
# expect: partial
# fails: test_predict test_predict_hidden test_train
# %% answer id=predict
def predict(X, w, b):
    return np.where(X @ w > 0, 1, -1)
