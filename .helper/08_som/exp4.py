import sys, time; sys.path.insert(0, '/work/main/.helper/08_som')
from core import *
import dlcourse, dlcourse.data
Xtr, Xte, ytr, yte = dlcourse.data.digits(dtype=np.float64)
rows = cols = 10
coords = grid_coordinates(rows, cols)
rng = np.random.default_rng(0)
W0 = Xtr[rng.choice(len(Xtr), rows*cols, replace=False)]
W = batch_som(Xtr, W0, coords, 30, sigma=(4.0, 0.5))
b = bmus(Xtr, W)
lab = np.full(len(W), -1)
for k in range(len(W)):
    if (b==k).any(): lab[k] = np.bincount(ytr[b==k], minlength=10).argmax()
print((lab==-1).sum(), (lab[bmus(Xte, W)] == yte).mean())
# oja on digits
Xc = Xtr - Xtr.mean(0)
pc1 = np.linalg.svd(Xc, full_matrices=False)[2][0]
print(np.linalg.eigvalsh(Xc.T@Xc/len(Xc))[-3:])
for eta in [0.01, 0.005, 0.002]:
  w = rng.normal(size=64); w/=np.linalg.norm(w)
  t0=time.process_time()
  for ep in range(3):
    for x in Xc[rng.permutation(len(Xc))]:
        y = w@x; w += eta*y*(x-y*w)
  print(eta, abs(w@pc1)/np.linalg.norm(w), np.linalg.norm(w), time.process_time()-t0)
