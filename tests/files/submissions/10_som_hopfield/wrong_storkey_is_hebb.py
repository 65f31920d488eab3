# Hebb's rule from the lecture in place of Storkey's: the same outer products, no crosstalk correction.
# expect: partial
# fails: test_storkey test_storkey_hidden test_capacity test_hopfield_digits
# %% answer id=storkey_weights
def storkey_weights(patterns):
    return hebbian_weights(patterns)
