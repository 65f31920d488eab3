import time, numpy as np, torch, dlcourse
from dlcourse.data import digits
rng = dlcourse.setup(0)
Xtr, Xte, ytr, yte = digits()
mu = Xtr.mean(0)
U,S,Vt = np.linalg.svd(Xtr-mu, full_matrices=False)
def pca_err(k, X):
    V=Vt[:k]; R=(X-mu)@V.T@V+mu; return ((R-X)**2).mean()
Xt=torch.tensor(Xtr)
for k in [8,2,16]:
  for lr,n,sched in [(1e-2,2000,True),(3e-2,2000,True),(1e-2,3000,False)]:
    torch.manual_seed(0)
    enc=torch.nn.Linear(64,k); dec=torch.nn.Linear(k,64)
    opt=torch.optim.Adam(list(enc.parameters())+list(dec.parameters()), lr=lr)
    sch=torch.optim.lr_scheduler.CosineAnnealingLR(opt,n) if sched else None
    t1=time.process_time()
    for i in range(n):
        opt.zero_grad(); loss=((dec(enc(Xt))-Xt)**2).mean(); loss.backward(); opt.step()
        if sch: sch.step()
    Wd = dec.weight.detach().numpy() # (64,k)
    Q,_=np.linalg.qr(Wd); cos=np.linalg.svd(Q.T@Vt[:k].T, compute_uv=False)
    print(k,lr,n,sched,'ratio', loss.item()/pca_err(k,Xtr), 'cpu %.2f'%(time.process_time()-t1), 'mincos',cos.min())
