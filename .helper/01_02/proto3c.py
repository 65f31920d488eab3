import torch, time, numpy as np
from torch import nn
import dlcourse
from dlcourse.data import digits
from dlcourse.training import fit, accuracy
dlcourse.setup(0)
Xtr, Xte, ytr, yte = [torch.as_tensor(a) for a in digits()]
def mk(h, drop=0.0, depth=1):
    def f():
        layers=[]; d=64
        for _ in range(depth):
            layers += [nn.Linear(d,h), nn.ReLU()] + ([nn.Dropout(drop)] if drop else []); d=h
        return nn.Sequential(*layers, nn.Linear(d,10))
    return f
for name, make, lr, ep, bs, sched in [("256/3e-3/30/64 cos", mk(256), 3e-3, 30, 64, True),
                   ("256 drop.2 3e-3/30", mk(256,0.2), 3e-3, 30, 64, False),
                   ("256 drop.2 3e-3/30 cos", mk(256,0.2), 3e-3, 30, 64, True),
                   ("2x128 3e-3/30 cos", mk(128,0,2), 3e-3, 30, 64, True)]:
    accs=[]
    t=time.time()
    for seed in range(6):
        torch.manual_seed(seed); m = make(); opt = torch.optim.Adam(m.parameters(), lr=lr)
        s = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=ep*23) if sched else None
        h = fit(m, Xtr, ytr, nn.CrossEntropyLoss(), opt, ep, bs, scheduler=s, seed=seed)
        accs.append(round(accuracy(m, Xte, yte),4))
    print(name, accs, f"{(time.time()-t)/6:.2f}s")
