import torch, time, numpy as np
from torch import nn
import dlcourse
from dlcourse.data import digits
from dlcourse.training import fit, accuracy
dlcourse.setup(0)
Xtr, Xte, ytr, yte = [torch.as_tensor(a) for a in digits()]
def mk(h): return lambda: nn.Sequential(nn.Linear(64,h), nn.ReLU(), nn.Linear(h,10))
for name, make, lr, ep, bs, wd in [("256/1e-3/40/32", mk(256), 1e-3, 40, 32, 0),
                   ("256/1e-3/40/32/wd1e-4", mk(256), 1e-3, 40, 32, 1e-4),
                   ("128/1e-3/60/32", mk(128), 1e-3, 60, 32, 0),
                   ("256/3e-3/30/64", mk(256), 3e-3, 30, 64, 0)]:
    accs=[]
    t=time.time()
    for seed in [0,1,2,3]:
        torch.manual_seed(seed); m = make(); opt = torch.optim.Adam(m.parameters(), lr=lr, weight_decay=wd)
        h = fit(m, Xtr, ytr, nn.CrossEntropyLoss(), opt, ep, bs, seed=seed)
        accs.append(round(accuracy(m, Xte, yte),4))
    print(name, accs, f"{(time.time()-t)/4:.2f}s")
