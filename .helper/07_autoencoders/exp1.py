import time, numpy as np, torch, dlcourse
from dlcourse.data import digits
rng = dlcourse.setup(0)
Xtr, Xte, ytr, yte = digits()
t0=time.process_time()
mu = Xtr.mean(0)
U,S,Vt = np.linalg.svd(Xtr-mu, full_matrices=False)
def pca_err(k, X):
    V=Vt[:k]; R=(X-mu)@V.T@V+mu; return ((R-X)**2).mean()
for k in [2,4,8,16,32]: print(k, pca_err(k,Xtr), pca_err(k,Xte))
# linear AE full batch adam
k=8
Xt=torch.tensor(Xtr); 
torch.manual_seed(0)
enc=torch.nn.Linear(64,k); dec=torch.nn.Linear(k,64)
opt=torch.optim.Adam(list(enc.parameters())+list(dec.parameters()), lr=1e-2)
t1=time.process_time()
for i in range(1500):
    opt.zero_grad(); loss=((dec(enc(Xt))-Xt)**2).mean(); loss.backward(); opt.step()
    if i%250==0: print(i, loss.item()/pca_err(k,Xtr))
print('lin ratio', loss.item()/pca_err(k,Xtr), 'cpu', time.process_time()-t1)
Wd = dec.weight.detach().numpy() # (64,k)
Q,_=np.linalg.qr(Wd); cos=np.linalg.svd(Q.T@Vt[:k].T, compute_uv=False); print('cos', cos)
