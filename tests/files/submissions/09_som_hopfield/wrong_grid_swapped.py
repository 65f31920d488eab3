# np.meshgrid with its default 'xy' indexing: unit k gets (k % rows, k // rows), row and column swapped.
# Invisible on square grids, wrong on every other.
# expect: partial
# fails: test_grid test_grid_hidden test_step_hidden test_train_hidden test_topographic_error_hidden
# %% answer id=grid_coordinates
def grid_coordinates(rows, cols):
    R, C = np.meshgrid(np.arange(rows), np.arange(cols))
    return np.column_stack([R.ravel(), C.ravel()]).astype(float)
