import sys, time; sys.path.insert(0, '/work/main/.helper/08_som')
from core import *
import dlcourse, dlcourse.data
from minisom import MiniSom
Xtr, Xte, ytr, yte = dlcourse.data.digits(dtype=np.float64)
rows = cols = 10
coords = grid_coordinates(rows, cols)
for seed in [0,1,2]:
  rng = np.random.default_rng(seed)
  W0 = Xtr[rng.choice(len(Xtr), rows*cols, replace=False)]
  for E in [10]:
   for s0 in [3.0, 5.0]:
    for s1 in [0.5, 0.6, 0.7]:
        W = batch_som(Xtr, W0, coords, E, sigma=(s0, s1))
        print(f"seed {seed} batch E={E} s0={s0} s1={s1}: QE={qe(Xtr,W):.3f} TE={te(Xtr,W,coords):.3f} testQE={qe(Xte,W):.3f} TE={te(Xte,W,coords):.3f}")
  som = MiniSom(rows, cols, 64, sigma=1.5, learning_rate=0.5, random_seed=seed)
  som.random_weights_init(Xtr)
  som.train_random(Xtr, 10*len(Xtr))
  print(f"minisom seed {seed} QE={som.quantization_error(Xtr):.3f} TE={som.topographic_error(Xtr):.3f} test {som.quantization_error(Xte):.3f} {som.topographic_error(Xte):.3f}")
