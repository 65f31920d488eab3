import torch, time, numpy as np
from torch import nn
import dlcourse
from dlcourse.data import digits
from dlcourse.training import fit, accuracy
dlcourse.setup(0)
Xtr, Xte, ytr, yte = [torch.as_tensor(a) for a in digits()]
for name, make, lr, ep in [("mlp", lambda: nn.Sequential(nn.Linear(64,128), nn.ReLU(), nn.Linear(128,10)), 1e-3, 30),
                   ("mlp3e-3", lambda: nn.Sequential(nn.Linear(64,128), nn.ReLU(), nn.Linear(128,10)), 3e-3, 20),
                   ("mlp3e-3-10", lambda: nn.Sequential(nn.Linear(64,128), nn.ReLU(), nn.Linear(128,10)), 3e-3, 10),
                   ("lin", lambda: nn.Linear(64,10), 1e-2, 30)]:
    for seed in [0,1,2]:
        torch.manual_seed(seed); m = make(); opt = torch.optim.Adam(m.parameters(), lr=lr)
        t=time.time(); h = fit(m, Xtr, ytr, nn.CrossEntropyLoss(), opt, ep, 64, seed=seed)
        print(name, seed, round(accuracy(m, Xte, yte),4), round(accuracy(m,Xtr,ytr),4), f"{time.time()-t:.2f}s")
