import time, numpy as np, torch, dlcourse
from dlcourse.data import digits
rng = dlcourse.setup(0)
Xtr, Xte, ytr, yte = digits()
mu = Xtr.mean(0)
U,S,Vt = np.linalg.svd(Xtr-mu, full_matrices=False)
print('sv', (S**2/len(Xtr))[:12])
def pca_err(k, X):
    V=Vt[:k]; R=(X-mu)@V.T@V+mu; return ((R-X)**2).mean()
Xt=torch.tensor(Xtr)
k=8
for seed in range(4):
    torch.manual_seed(seed)
    enc=torch.nn.Linear(64,k); dec=torch.nn.Linear(k,64)
    opt=torch.optim.Adam(list(enc.parameters())+list(dec.parameters()), lr=1e-2)
    t1=time.process_time()
    for i in range(3000):
        opt.zero_grad(); loss=((dec(enc(Xt))-Xt)**2).mean(); loss.backward(); opt.step()
        if i in (1499,1999,2499,2999):
            Wd = dec.weight.detach().numpy() # (64,k)
            Q,_=np.linalg.qr(Wd); cos=np.linalg.svd(Q.T@Vt[:k].T, compute_uv=False)
            print(seed,i,'ratio', loss.item()/pca_err(k,Xtr), 'cpu %.2f'%(time.process_time()-t1), 'mincos',cos.min())
