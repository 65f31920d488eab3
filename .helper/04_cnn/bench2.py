import time, numpy as np, torch, torch.nn.functional as F
torch.set_num_threads(1)
from numpy.lib.stride_tricks import sliding_window_view
def tm(f, *a, n=7):
    ts=[]
    for _ in range(n):
        t=time.perf_counter(); r=f(*a); ts.append(time.perf_counter()-t)
    return min(ts), r

def conv_b(X, W, b, stride=1, padding=0):
    N, C, H, Wd = X.shape
    F_, _, KH, KW = W.shape
    Xh = np.pad(X.transpose(0,2,3,1), ((0,0),(padding,padding),(padding,padding),(0,0)))
    Ho = (H + 2*padding - KH)//stride + 1
    Wo = (Wd + 2*padding - KW)//stride + 1
    cols = np.concatenate([Xh[:, i:i+stride*Ho:stride, j:j+stride*Wo:stride, :] for i in range(KH) for j in range(KW)], axis=-1)
    out = cols.reshape(-1, KH*KW*C) @ W.transpose(0,2,3,1).reshape(F_, -1).T + b
    return out.reshape(N, Ho, Wo, F_).transpose(0,3,1,2)

def conv_c(X, W, b, stride=1, padding=0):
    N, C, H, Wd = X.shape
    F_, _, KH, KW = W.shape
    Xh = np.pad(X.transpose(0,2,3,1), ((0,0),(padding,padding),(padding,padding),(0,0)))
    Ho = (H + 2*padding - KH)//stride + 1
    Wo = (Wd + 2*padding - KW)//stride + 1
    win = sliding_window_view(Xh, (KH, KW), axis=(1,2))[:, ::stride, ::stride]  # N Ho Wo C KH KW
    cols = win.reshape(N*Ho*Wo, C*KH*KW)
    out = cols @ W.reshape(F_, -1).T + b
    return out.reshape(N, Ho, Wo, F_).transpose(0,3,1,2)

rng = np.random.default_rng(0)
X = rng.standard_normal((1437,16,8,8)).astype(np.float32)
W = rng.standard_normal((32,16,3,3)).astype(np.float32)
b = rng.standard_normal(32).astype(np.float32)
ref = F.conv2d(torch.from_numpy(X), torch.from_numpy(W), torch.from_numpy(b), padding=1).numpy()
for fn in (conv_b, conv_c):
    t, out = tm(fn, X, W, b, 1, 1); print(fn.__name__, t, np.abs(out-ref).max())
A = rng.standard_normal((91968,144)).astype(np.float32); B = rng.standard_normal((144,32)).astype(np.float32)
print('matmul', tm(lambda: A@B)[0])
print('matmul64', tm(lambda: A.astype(np.float64)@B.astype(np.float64))[0])
Xt,Wt,bt=map(torch.from_numpy,(X,W,b))
print('torch', tm(lambda: F.conv2d(Xt,Wt,bt,padding=1))[0])
At, Bt = torch.from_numpy(A), torch.from_numpy(B)
print('torch matmul', tm(lambda: At@Bt)[0])
import numpy; numpy.show_config()
