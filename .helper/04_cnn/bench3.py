import time, numpy as np, torch, torch.nn.functional as F
torch.set_num_threads(1)
def tm(f, *a, n=9):
    ts=[]
    for _ in range(n):
        t=time.perf_counter(); r=f(*a); ts.append(time.perf_counter()-t)
    return min(ts), r
def conv_d(X, W, b, stride=1, padding=0):
    N, C, H, Wd = X.shape
    F_, _, KH, KW = W.shape
    Ho = (H + 2*padding - KH)//stride + 1
    Wo = (Wd + 2*padding - KW)//stride + 1
    Xh = np.zeros((N, H+2*padding, Wd+2*padding, C), X.dtype)
    Xh[:, padding:padding+H, padding:padding+Wd] = X.transpose(0,2,3,1)
    cols = np.empty((N, Ho, Wo, KH, KW, C), X.dtype)
    for i in range(KH):
        for j in range(KW):
            cols[:, :, :, i, j] = Xh[:, i:i+stride*Ho:stride, j:j+stride*Wo:stride]
    out = cols.reshape(-1, KH*KW*C) @ W.transpose(2,3,1,0).reshape(-1, F_)
    out += b
    return out.reshape(N, Ho, Wo, F_).transpose(0,3,1,2)
def conv_e(X, W, b, padding=0):
    N, C, H, Wd = X.shape
    F_, _, KH, KW = W.shape
    Hp, Wp = H+2*padding, Wd+2*padding
    Xh = np.zeros((N, Hp, Wp, C), X.dtype)
    Xh[:, padding:padding+H, padding:padding+Wd] = X.transpose(0,2,3,1)
    flat = Xh.reshape(-1, C)
    L = flat.shape[0] - (KH-1)*Wp - (KW-1)
    out = np.zeros((N*Hp*Wp, F_), X.dtype)
    for i in range(KH):
        for j in range(KW):
            off = i*Wp+j
            out[:L] += flat[off:off+L] @ W[:, :, i, j].T
    out = out.reshape(N, Hp, Wp, F_)[:, :Hp-KH+1, :Wp-KW+1] + b
    return out.transpose(0,3,1,2)
rng = np.random.default_rng(0)
X = rng.standard_normal((1437,16,8,8)).astype(np.float32)
W = rng.standard_normal((32,16,3,3)).astype(np.float32)
b = rng.standard_normal(32).astype(np.float32)
ref = F.conv2d(torch.from_numpy(X), torch.from_numpy(W), torch.from_numpy(b), padding=1).numpy()
t, out = tm(conv_d, X, W, b, 1, 1); print('d', t, np.abs(out-ref).max())
t, out = tm(conv_e, X, W, b, 1); print('e', t, np.abs(out-ref).max())
Xt,Wt,bt=map(torch.from_numpy,(X,W,b))
print('torch', tm(lambda: F.conv2d(Xt,Wt,bt,padding=1))[0])
