import time, sys, numpy as np, torch, torch.nn as nn
import dlcourse
from dlcourse.sequences import adding_problem
rng = dlcourse.setup(0)

class Model(nn.Module):
    def __init__(self, kind, H, fb=None):
        super().__init__()
        self.rnn = (nn.LSTM if kind=="lstm" else nn.RNN)(2, H, batch_first=True)
        if fb == "orth":
            nn.init.orthogonal_(self.rnn.weight_hh_l0)
        elif fb is not None:
            with torch.no_grad():
                self.rnn.bias_ih_l0[H:2*H] = fb; self.rnn.bias_hh_l0[H:2*H] = 0
        self.head = nn.Linear(H, 1)
    def forward(self, X):
        out, _ = self.rnn(X)
        return self.head(out[:, -1]).squeeze(-1)

def train(kind, H, T, steps, lr, bs, fb=None, seed=0, clip=1.0, target=0.005):
    torch.manual_seed(seed); g = np.random.default_rng(seed)
    m = Model(kind, H, fb)
    opt = torch.optim.Adam(m.parameters(), lr=lr)
    Xt, yt = map(torch.from_numpy, adding_problem(1000, T, 12345))
    t0 = time.process_time(); hist=[]
    for s in range(steps):
        X, y = map(torch.from_numpy, adding_problem(bs, T, g))
        loss = ((m(X)-y)**2).mean()
        opt.zero_grad(); loss.backward()
        nn.utils.clip_grad_norm_(m.parameters(), clip)
        opt.step()
        if (s+1) % 25 == 0:
            with torch.no_grad(): mse = ((m(Xt)-yt)**2).mean().item()
            hist.append(mse)
            if mse < target: break
    print(np.round(hist[::4],3))
    return s+1, mse, time.process_time()-t0

for spec in sys.argv[1:]:
    kind, H, T, steps, lr, bs, fb, seed = spec.split(",")
    fb = None if fb=="none" else fb if fb=="orth" else float(fb)
    r = train(kind, int(H), int(T), int(steps), float(lr), int(bs), fb, int(seed))
    print(spec, "steps %d mse %.4f cpu %.1f" % r, flush=True)
