import time, numpy as np, torch, dlcourse, dlcourse.training
from torch import nn
from dlcourse.data import digits
rng = dlcourse.setup(0)
Xtr, Xte, ytr, yte = digits()
mu = Xtr.mean(0)
print('always-zero pixels', (Xtr.max(0)==0).sum(), 'rank', np.linalg.matrix_rank(Xtr-mu))
U,S,Vt = np.linalg.svd(Xtr-mu, full_matrices=False)
def pca_rec(k, X):
    V=Vt[:k]; return (X-mu)@V.T@V+mu
Xt=torch.tensor(Xtr); Xs=torch.tensor(Xte)
g=np.random.default_rng(1)
noise_img = g.uniform(0,1,(500,64)).astype(np.float32)
mask = g.random(Xte.shape) >= 0.3
Xte_noisy = (Xte*mask).astype(np.float32)
noisy_err = ((Xte_noisy-Xte)**2).mean()
best_pca = min(((pca_rec(k,Xte_noisy)-Xte)**2).mean() for k in range(1,65))
print('noisy err', noisy_err, 'best pca', best_pca, [ (k,((pca_rec(k,Xte_noisy)-Xte)**2).mean()) for k in (4,8,12,16,24,32)])
def metrics(f, name):
    with torch.no_grad():
        R = f(torch.tensor(noise_img)).numpy()
        passthru = 1 - ((R-noise_img)**2).mean()/noise_img.var()
        clean = ((f(Xs).numpy()-Xte)**2).mean()
        rep = ((f(torch.tensor(Xte_noisy)).numpy()-Xte)**2).mean()
    print(f'{name:25s} clean {clean:.4f} masked->{rep:.4f} repair {rep/noisy_err:.3f} passthrough {passthru:.3f}')
def train(model, corrupt=None, epochs=60, bs=64, lr=3e-3, seed=0):
    torch.manual_seed(seed); gg=np.random.default_rng(seed)
    opt=torch.optim.Adam(model.parameters(), lr=lr)
    t1=time.process_time()
    for e in range(epochs):
        for idx in dlcourse.training.batches(len(Xt),bs,gg):
            xb=Xt[idx]; xin = xb if corrupt is None else corrupt(xb)
            opt.zero_grad(); loss=((model(xin)-xb)**2).mean(); loss.backward(); opt.step()
    return time.process_time()-t1
def masker(p):
    return lambda x: x*(torch.rand_like(x)>=p)
torch.manual_seed(0)
for h in [128]:
    m=nn.Sequential(nn.Linear(64,h),nn.Linear(h,64)); t=train(m); metrics(m, f'linear wide {h}')
    m=nn.Sequential(nn.Linear(64,8),nn.Linear(8,64)); t=train(m); metrics(m, f'linear 8')
    m=nn.Sequential(nn.Linear(64,h),nn.Sigmoid(),nn.Linear(h,64),nn.Sigmoid()); t=train(m); metrics(m, f'sigmoid wide {h} {t:.1f}')
    m=nn.Sequential(nn.Linear(64,h),nn.ReLU(),nn.Linear(h,64)); t=train(m); metrics(m, f'relu wide {h} {t:.1f}')
    m=nn.Sequential(nn.Linear(64,h),nn.Sigmoid(),nn.Linear(h,64),nn.Sigmoid()); t=train(m, masker(0.3)); metrics(m, f'DAE mask wide {h} {t:.1f}')
    m=nn.Sequential(nn.Linear(64,h),nn.Sigmoid(),nn.Linear(h,64),nn.Sigmoid()); t=train(m, lambda x: x+0.3*torch.randn_like(x)); metrics(m, f'DAE gauss wide {h} {t:.1f}')
    m=nn.Sequential(nn.Linear(64,h),nn.Linear(h,64)); t=train(m, masker(0.3)); metrics(m, f'linear DAE mask wide {h} {t:.1f}')
    m=nn.Sequential(nn.Linear(64,h),nn.ReLU(),nn.Linear(h,8),nn.ReLU(),nn.Linear(8,h),nn.ReLU(),nn.Linear(h,64),nn.Sigmoid()); t=train(m); metrics(m, f'deep bottleneck 8 {t:.1f}')
    metrics(lambda x: torch.tensor(pca_rec(8,x.numpy())), 'pca 8')
