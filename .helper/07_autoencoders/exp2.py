import time, numpy as np, torch, dlcourse, dlcourse.training
from torch import nn
from dlcourse.data import digits
rng = dlcourse.setup(0)
Xtr, Xte, ytr, yte = digits()
mu = Xtr.mean(0)
U,S,Vt = np.linalg.svd(Xtr-mu, full_matrices=False)
def pca_err(k, X):
    V=Vt[:k]; R=(X-mu)@V.T@V+mu; return ((R-X)**2).mean()
Xt=torch.tensor(Xtr); Xs=torch.tensor(Xte)
def make(k,h=128):
    return nn.Sequential(nn.Linear(64,h),nn.ReLU(),nn.Linear(h,k)), nn.Sequential(nn.Linear(k,h),nn.ReLU(),nn.Linear(h,64),nn.Sigmoid())
for k in [2,4,8,16]:
  for epochs,bs,lr in [(60,64,3e-3),(100,128,3e-3)]:
    torch.manual_seed(0); g=np.random.default_rng(0)
    enc,dec=make(k); params=list(enc.parameters())+list(dec.parameters())
    opt=torch.optim.Adam(params, lr=lr)
    t1=time.process_time()
    for e in range(epochs):
        for idx in dlcourse.training.batches(len(Xt),bs,g):
            xb=Xt[idx]; opt.zero_grad(); loss=((dec(enc(xb))-xb)**2).mean(); loss.backward(); opt.step()
    with torch.no_grad(): te=((dec(enc(Xs))-Xs)**2).mean().item()
    print(k,epochs,bs,'test',te,'pca',pca_err(k,Xte),'ratio %.3f'%(te/pca_err(k,Xte)),'cpu %.2f'%(time.process_time()-t1))
