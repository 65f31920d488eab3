import time, numpy as np, torch
import dlcourse
from dlcourse.data import digits
rng = dlcourse.setup(0)
Xtr, Xte, ytr, yte = digits(dtype=np.float64)
def init(sizes, rng):
    return [(rng.normal(0, np.sqrt(2/a), (a,b)), np.zeros(b)) for a,b in zip(sizes[:-1], sizes[1:])]
def train_np(params, X, y, epochs, lr=0.1, mom=0.9, bs=64, seed=0, dtype=np.float64):
    g = np.random.default_rng(seed)
    params = [(W.astype(dtype).copy(), b.astype(dtype).copy()) for W,b in params]
    vel = [(np.zeros_like(W), np.zeros_like(b)) for W,b in params]
    X = X.astype(dtype)
    for ep in range(epochs):
        order = g.permutation(len(X))
        for s in range(0, len(X), bs):
            idx = order[s:s+bs]; h = X[idx]; acts=[h]
            for i,(W,b) in enumerate(params):
                h = h@W + b
                if i < len(params)-1: h = np.maximum(h,0)
                acts.append(h)
            z = h - h.max(1, keepdims=True); p = np.exp(z); p/=p.sum(1,keepdims=True)
            d = p; d[np.arange(len(idx)), y[idx]] -= 1; d /= len(idx)
            for i in reversed(range(len(params))):
                W,b = params[i]
                if i < len(params)-1: d = d*(acts[i+1]>0)
                dW = acts[i].T@d; db = d.sum(0); d = d@W.T
                vW, vb = vel[i]
                vW *= mom; vW += dW; vb *= mom; vb += db
                W -= lr*vW; b -= lr*vb
    return params
def acc(params, X, y):
    h = X
    for i,(W,b) in enumerate(params):
        h = h@W+b
        if i < len(params)-1: h = np.maximum(h,0)
    return (h.argmax(1)==y).mean()
def train_torch(params, X, y, epochs, lr=0.1, mom=0.9, bs=64, seed=0, dtype=torch.float64):
    layers=[]
    for i,(W,b) in enumerate(params):
        l = torch.nn.Linear(*W.shape).to(dtype)
        with torch.no_grad(): l.weight.copy_(torch.tensor(W.T)); l.bias.copy_(torch.tensor(b))
        layers.append(l)
        if i < len(params)-1: layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=mom)
    Xt = torch.tensor(X, dtype=dtype); yt = torch.tensor(y)
    g = np.random.default_rng(seed)
    lossf = torch.nn.CrossEntropyLoss()
    for ep in range(epochs):
        order = torch.as_tensor(g.permutation(len(X)))
        for s in range(0, len(X), bs):
            idx = order[s:s+bs]
            opt.zero_grad(); loss = lossf(model(Xt[idx]), yt[idx]); loss.backward(); opt.step()
    return model
for hidden in [[64],[128],[100]]:
  for dt in ['64','32']:
    p0 = init([64]+hidden+[10], np.random.default_rng(1))
    t=time.perf_counter(); c0=time.process_time(); p = train_np(p0, Xtr, ytr, 30, dtype=np.float64 if dt=='64' else np.float32); tn=time.perf_counter()-t; cn=time.process_time()-c0
    t=time.perf_counter(); c0=time.process_time(); m = train_torch(p0, Xtr, ytr, 30, dtype=torch.float64 if dt=='64' else torch.float32); tt=time.perf_counter()-t; ct=time.process_time()-c0
    with torch.no_grad(): at = (m(torch.tensor(Xte, dtype=next(m.parameters()).dtype)).argmax(1).numpy()==yte).mean()
    print(hidden, dt, f"np {tn:.3f}s cpu {cn:.3f} acc {acc(p,Xte,yte):.4f} | torch {tt:.3f}s cpu {ct:.3f} acc {at:.4f}  ratio {tn/tt:.2f}")
# random labels 512x2
yr = np.random.default_rng(5).permutation(ytr)
for ep in [30, 50, 80]:
    p0 = init([64,512,512,10], np.random.default_rng(1))
    t=time.perf_counter(); c0=time.process_time(); p = train_np(p0, Xtr, yr, ep, lr=0.05, dtype=np.float32); print("rand", ep, time.perf_counter()-t, time.process_time()-c0, acc(p,Xtr.astype(np.float32),yr), acc(p,Xte,yte))
