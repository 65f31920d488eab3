import sys, time; sys.path.insert(0, '/work/main/.helper/08_som')
from core import *
import dlcourse, dlcourse.data
Xtr, Xte, ytr, yte = dlcourse.data.digits(dtype=np.float64)
rows = cols = 10
coords = grid_coordinates(rows, cols)
for seed in [0,1,2]:
  rng = np.random.default_rng(seed)
  W0 = Xtr[rng.choice(len(Xtr), rows*cols, replace=False)]
  for E in [20, 30]:
   for s0 in [4.0]:
    for s1 in [0.5, 0.55, 0.6]:
        t0=time.process_time(); W = batch_som(Xtr, W0, coords, E, sigma=(s0, s1)); t=time.process_time()-t0
        print(f"seed {seed} batch E={E} s0={s0} s1={s1}: {t:.3f}s QE={qe(Xtr,W):.3f} TE={te(Xtr,W,coords):.3f}")
