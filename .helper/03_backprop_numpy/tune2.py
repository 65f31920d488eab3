import numpy as np, time
exec(open('/work/main/.helper/03_backprop_numpy/proto.py').read().split('def train_torch')[0])
mu, sd = Xtr.mean(0), Xtr.std(0)+1e-1
Xs, Xts = (Xtr-mu)/sd, (Xte-mu)/sd
for name,(A,B) in {"raw":(Xtr,Xte),"std":(Xs,Xts)}.items():
 for h in [128,256]:
  for lr in [0.02, 0.05,0.1]:
    bs=32
    res=[]
    for seed in range(4):
        p0 = init([64,h,10], np.random.default_rng(seed))
        r=[]
        for ep in [10,20,40]:
          p = train_np(p0, A, ytr, ep, lr=lr, bs=bs, seed=seed)
          r.append(acc(p,B,yte))
        res.append(r)
    print(name, h, lr, bs, np.round(np.array(res),4).tolist())
