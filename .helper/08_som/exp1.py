import sys, time; sys.path.insert(0, '/work/main/.helper/08_som')
from core import *
import dlcourse, dlcourse.data
from minisom import MiniSom
Xtr, Xte, ytr, yte = dlcourse.data.digits(dtype=np.float64)
rows = cols = 10
coords = grid_coordinates(rows, cols)
rng = np.random.default_rng(0)
W0 = Xtr[rng.choice(len(Xtr), rows*cols, replace=False)]
for E in [5, 10, 20, 40]:
    for s1 in [0.5, 0.8, 1.0]:
        t0 = time.process_time(); W = batch_som(Xtr, W0, coords, E, sigma=(4.0, s1)); t = time.process_time()-t0
        print(f"batch E={E} s1={s1}: {t:.3f}s QE={qe(Xtr,W):.3f} TE={te(Xtr,W,coords):.3f}")
for sig in [1.0, 1.5, 3.0]:
  for E in [5, 10]:
    som = MiniSom(rows, cols, 64, sigma=sig, learning_rate=0.5, random_seed=0)
    som.random_weights_init(Xtr)
    t0 = time.process_time(); som.train_random(Xtr, E*len(Xtr)); t = time.process_time()-t0
    print(f"minisom sig={sig} E={E}: {t:.3f}s QE={som.quantization_error(Xtr):.3f} TE={som.topographic_error(Xtr):.3f}")
t0 = time.process_time(); W = online_som(Xtr, W0, coords, 5, sigma=(3.0, 0.5)); t = time.process_time()-t0
print(f"online E=5: {t:.3f}s QE={qe(Xtr,W):.3f} TE={te(Xtr,W,coords):.3f}")
