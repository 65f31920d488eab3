import numpy as np
exec(open('/work/main/.helper/03_backprop_numpy/proto.py').read().split('def train_torch')[0])
for h in [128,256]:
  for lr in [0.05, 0.1]:
    for seed in range(4):
        p0 = init([64,h,10], np.random.default_rng(seed))
        r=[acc(train_np(p0, Xtr, ytr, ep, lr=lr, bs=32, seed=0),Xte,yte) for ep in [8,10,12,15,20,25,30]]
        print(h, lr, seed, np.round(r,4).tolist())
