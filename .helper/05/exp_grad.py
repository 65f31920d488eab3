import time, numpy as np, torch, torch.nn as nn
import dlcourse
from dlcourse.sequences import adding_problem
rng = dlcourse.setup(0); torch.set_default_dtype(torch.float64)
T=100; H=64
X, y = adding_problem(64, T, 1)
X=torch.from_numpy(X).double(); y=torch.from_numpy(y).double()

def rnn_grads(W_hh_init=None, H=64):
    torch.manual_seed(0)
    cell = nn.RNNCell(2, H)
    if W_hh_init == "orth":
        nn.init.orthogonal_(cell.weight_hh)
    head = nn.Linear(H, 1)
    h = torch.zeros(X.shape[0], H); hs=[]
    for t in range(T):
        h = cell(X[:, t], h); h.retain_grad(); hs.append(h)
    loss = ((head(h).squeeze(-1)-y)**2).mean()
    loss.backward()
    return np.array([hh.grad.norm().item() for hh in hs])
t0=time.process_time()
g = rnn_grads(); print("default", np.log10(g[0]/g[-1]), g[-1])
g = rnn_grads("orth"); print("orth", np.log10(g[0]/g[-1]))
for H in [32,64,128]:
    g = rnn_grads(H=H); print(H, "default", np.log10(g[0]/g[-1]))
    g = rnn_grads("orth",H=H); print(H, "orth", np.log10(g[0]/g[-1]))
print(time.process_time()-t0)

def lstm_grads(fb=None, H=32):
    torch.manual_seed(0)
    cell = nn.LSTMCell(2, H)
    if fb is not None:
        with torch.no_grad():
            cell.bias_ih[H:2*H] = fb; cell.bias_hh[H:2*H]=0
    head = nn.Linear(H, 1)
    h = torch.zeros(X.shape[0], H); c=torch.zeros_like(h); hs=[]; cs=[]
    for t in range(T):
        h, c = cell(X[:, t], (h, c)); h.retain_grad(); c.retain_grad(); hs.append(h); cs.append(c)
    loss = ((head(h).squeeze(-1)-y)**2).mean()
    loss.backward()
    return np.array([hh.grad.norm().item() for hh in hs]), np.array([hh.grad.norm().item() for hh in cs])
for fb in [None, 1., 2., 3.]:
  for H in [32, 64]:
    g, gc = lstm_grads(fb, H); print("lstm", fb, H, np.log10(g[0]/g[-1]), np.log10(gc[0]/gc[-1]))
print(time.process_time()-t0)
