import numpy as np, time
exec(open('/work/main/.helper/03_backprop_numpy/proto.py').read().split('def train_torch')[0])
for h in [64,128,256]:
  for lr in [0.05,0.1,0.2]:
    for bs in [32,64]:
      res=[]
      for seed in range(3):
        p0 = init([64,h,10], np.random.default_rng(seed))
        r=[]
        for ep in [10,20,30]:
          p = train_np(p0, Xtr, ytr, ep, lr=lr, bs=bs, seed=seed)
          r.append(acc(p,Xte,yte))
        res.append(r)
      print(h, lr, bs, np.round(np.array(res),4).tolist())
