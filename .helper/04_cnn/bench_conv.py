import time, numpy as np, torch, torch.nn.functional as F
torch.set_num_threads(1)
from numpy.lib.stride_tricks import sliding_window_view

def im2col_conv(X, W, b, stride=1, padding=0):
    N, C, H, Wd = X.shape
    F_, _, KH, KW = W.shape
    Xp = np.pad(X, ((0,0),(0,0),(padding,padding),(padding,padding)))
    Ho = (H + 2*padding - KH)//stride + 1
    Wo = (Wd + 2*padding - KW)//stride + 1
    win = sliding_window_view(Xp, (KH, KW), axis=(2,3))[:, :, ::stride, ::stride]  # N C Ho Wo KH KW
    cols = win.transpose(0,2,3,1,4,5).reshape(N*Ho*Wo, C*KH*KW)
    out = cols @ W.reshape(F_, -1).T + b
    return out.reshape(N, Ho, Wo, F_).transpose(0,3,1,2)

def im2col_conv2(X, W, b, stride=1, padding=0):
    # einsum / tensordot on window view
    N, C, H, Wd = X.shape
    F_, _, KH, KW = W.shape
    Xp = np.pad(X, ((0,0),(0,0),(padding,padding),(padding,padding)))
    win = sliding_window_view(Xp, (KH, KW), axis=(2,3))[:, :, ::stride, ::stride]
    out = np.tensordot(win, W, axes=([1,4,5],[1,2,3]))  # N Ho Wo F
    return out.transpose(0,3,1,2) + b[None,:,None,None]

rng = np.random.default_rng(0)
X = rng.standard_normal((1437,16,8,8)).astype(np.float32)
W = rng.standard_normal((32,16,3,3)).astype(np.float32)
b = rng.standard_normal(32).astype(np.float32)
ref = F.conv2d(torch.from_numpy(X), torch.from_numpy(W), torch.from_numpy(b), padding=1).numpy()
for fn in (im2col_conv, im2col_conv2):
    out = fn(X,W,b,1,1); print(fn.__name__, np.abs(out-ref).max())
    ts=[]
    for _ in range(5):
        t=time.perf_counter(); fn(X,W,b,1,1); ts.append(time.perf_counter()-t)
    print(fn.__name__, min(ts))
ts=[]
Xt,Wt,bt=map(torch.from_numpy,(X,W,b))
for _ in range(5):
    t=time.perf_counter(); F.conv2d(Xt,Wt,bt,padding=1); ts.append(time.perf_counter()-t)
print('torch', min(ts))
