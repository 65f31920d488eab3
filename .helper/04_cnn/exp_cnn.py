import time, sys, numpy as np, torch, torch.nn as nn
import dlcourse
from dlcourse import data, training
rng = dlcourse.setup(0)
Xtr, Xte, ytr, yte = data.digits()
Xtr = torch.from_numpy(Xtr).reshape(-1,1,8,8); Xte = torch.from_numpy(Xte).reshape(-1,1,8,8)
ytr = torch.from_numpy(ytr); yte = torch.from_numpy(yte)
def nparams(m): return sum(p.numel() for p in m.parameters())
def plain():
    return nn.Sequential(nn.Conv2d(1,8,3,padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8,16,3,padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64,10))
def bn():
    return nn.Sequential(nn.Conv2d(1,16,3,padding=1,bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.Conv2d(16,32,3,padding=1,bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32,32,3,padding=1,bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(128,10))
def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(64,128), nn.ReLU(), nn.Linear(128,10))
def run(make, epochs, lr, onecycle=False, seed=0, bs=64, opt='adam'):
    torch.manual_seed(seed)
    m = make()
    o = torch.optim.Adam(m.parameters(), lr=lr)
    sch = torch.optim.lr_scheduler.OneCycleLR(o, max_lr=lr, total_steps=epochs*((len(Xtr)+bs-1)//bs)) if onecycle else None
    t=time.process_time()
    h = training.fit(m, Xtr, ytr, nn.CrossEntropyLoss(), o, epochs, bs, scheduler=sch, seed=seed)
    return nparams(m), training.accuracy(m, Xte, yte), time.process_time()-t, h['train loss'][-1]
for name, make, ep, lr, oc in [('plain',plain,30,1e-2,False),('plain_oc',plain,30,1e-2,True),('bn_oc',bn,10,1e-2,True),('bn_oc8',bn,8,2e-2,True),('mlp',mlp,30,1e-2,False)]:
    for s in range(3):
        print(name, s, run(make, ep, lr, oc, seed=s), flush=True)
