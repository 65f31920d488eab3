import time, numpy as np, torch, dlcourse, dlcourse.training, copy
from torch import nn
from dlcourse.data import digits
rng = dlcourse.setup(0)
Xtr, Xte, ytr, yte = digits()
Xt=torch.tensor(Xtr); Xs=torch.tensor(Xte); ys=torch.tensor(yte); yt=torch.tensor(ytr)
def train(model, corrupt=None, epochs=60, bs=64, lr=3e-3, seed=0):
    torch.manual_seed(seed); gg=np.random.default_rng(seed)
    opt=torch.optim.Adam(model.parameters(), lr=lr)
    for e in range(epochs):
        for idx in dlcourse.training.batches(len(Xt),bs,gg):
            xb=Xt[idx]; xin = xb if corrupt is None else corrupt(xb)
            opt.zero_grad(); loss=((model(xin)-xb)**2).mean(); loss.backward(); opt.step()
h=128
torch.manual_seed(0)
dae=nn.Sequential(nn.Linear(64,h),nn.Sigmoid(),nn.Linear(h,64),nn.Sigmoid()); train(dae, lambda x: x*(torch.rand_like(x)>=0.3))
ae=nn.Sequential(nn.Linear(64,h),nn.Sigmoid(),nn.Linear(h,64),nn.Sigmoid()); train(ae)
def finetune(enc, Xl, yl, steps, lr, freeze=False, seed=0):
    torch.manual_seed(seed)
    model = nn.Sequential(enc, nn.Linear(h,10))
    params = model[1].parameters() if freeze else model.parameters()
    opt=torch.optim.Adam(params, lr=lr)
    for s in range(steps):
        opt.zero_grad(); loss=nn.functional.cross_entropy(model(Xl), yl); loss.backward(); opt.step()
    with torch.no_grad(): return (model(Xs).argmax(1)==ys).float().mean().item()
from sklearn.linear_model import LogisticRegression
for per_class in [3,5,10]:
  res={k:[] for k in ['scratch','dae','ae','dae-frozen','logreg']}
  t1=time.process_time()
  for s in range(10):
    g=np.random.default_rng(100+s)
    idx=np.concatenate([g.choice(np.flatnonzero(ytr==c), per_class, replace=False) for c in range(10)])
    Xl,yl=Xt[idx],yt[idx]
    torch.manual_seed(s)
    res['scratch'].append(finetune(nn.Sequential(nn.Linear(64,h),nn.Sigmoid()), Xl,yl,300,1e-2,seed=s))
    res['dae'].append(finetune(copy.deepcopy(dae[:2]), Xl,yl,300,1e-2,seed=s))
    res['ae'].append(finetune(copy.deepcopy(ae[:2]), Xl,yl,300,1e-2,seed=s))
    res['dae-frozen'].append(finetune(copy.deepcopy(dae[:2]), Xl,yl,300,1e-2,freeze=True,seed=s))
    res['logreg'].append(LogisticRegression(max_iter=2000).fit(Xtr[idx],ytr[idx]).score(Xte,yte))
  print(per_class, 'cpu %.1f'%(time.process_time()-t1))
  for k,v in res.items(): print('  %-12s %.3f ± %.3f  min %.3f'%(k,np.mean(v),np.std(v),np.min(v)))
  d=np.array(res['dae'])-np.array(res['scratch']); print('  dae-scratch wins', (d>0).sum(), 'mean', d.mean())
