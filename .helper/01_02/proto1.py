import numpy as np, time
from dlcourse.data import linearly_separable, xor
def perceptron_train(X, y, max_epochs=1000, rng=None):
    w = np.zeros(X.shape[1]); b = 0.0; history=[]
    for epoch in range(max_epochs):
        mistakes = 0
        order = rng.permutation(len(X)) if rng is not None else range(len(X))
        for i in order:
            if y[i] * (X[i] @ w + b) <= 0:
                w += y[i] * X[i]; b += y[i]; mistakes += 1
        history.append(mistakes)
        if mistakes == 0: break
    return w, b, history
def best_margin(X,y,num_angles=3600):
    th = np.linspace(0,2*np.pi,num_angles,endpoint=False)
    N = np.stack([np.cos(th),np.sin(th)],1)
    S = X@N.T  # n, angles
    minpos = np.where(y[:,None]>0, S, np.inf).min(0); maxneg = np.where(y[:,None]<0, S, -np.inf).max(0)
    gap = minpos-maxneg; b = -(minpos+maxneg)/2
    g = np.where(gap>0, gap/2/np.sqrt(1+b**2), -np.inf)
    return g.max()
t=time.time()
for margin in [1.0,0.5,0.2,0.1]:
    rows=[]
    for seed in range(10):
        X,y = linearly_separable(100, margin, seed)
        w,b,h = perceptron_train(X,y,rng=np.random.default_rng(seed))
        R = np.sqrt((X**2).sum(1)+1).max(); g=best_margin(X,y)
        rows.append((len(h), sum(h), (R/g)**2, h[-1]))
    r=np.array(rows); print(margin, np.median(r[:,0]), r[:,0].max(), np.median(r[:,1]), r[:,1].max(), np.min(r[:,2]), (r[:,1]<=r[:,2]).all(), r[:,3].max())
print(time.time()-t)
X,y=xor(); y=2*y-1
t=time.time(); w,b,h=perceptron_train(X,y,1000); print(min(h), len(h), time.time()-t)
