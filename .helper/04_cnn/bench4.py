import time, numpy as np
def tm(f, n=9):
    ts=[]
    for _ in range(n):
        t=time.perf_counter(); r=f(); ts.append(time.perf_counter()-t)
    return min(ts)
rng = np.random.default_rng(0)
X = rng.standard_normal((1437,16,8,8)).astype(np.float32)
W = rng.standard_normal((32,16,3,3)).astype(np.float32)
Xh = np.zeros((1437,10,10,16), np.float32)
def pad(): Xh[:, 1:9, 1:9] = X.transpose(0,2,3,1)
print('pad', tm(pad))
cols = np.empty((1437,8,8,3,3,16), np.float32)
def build():
    for i in range(3):
        for j in range(3):
            cols[:, :, :, i, j] = Xh[:, i:i+8, j:j+8]
print('build', tm(build))
C2 = cols.reshape(-1,144); Wm = np.ascontiguousarray(W.transpose(2,3,1,0).reshape(-1,32))
print('mm', tm(lambda: C2@Wm))
WmT = np.ascontiguousarray(Wm.T)
print('mmT', tm(lambda: WmT@C2.T))
out = np.empty((C2.shape[0],32),np.float32)
print('mm out', tm(lambda: np.matmul(C2,Wm,out=out)))
