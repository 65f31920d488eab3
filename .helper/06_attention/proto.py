import time, sys, numpy as np, torch
from torch import nn
import torch.nn.functional as F
torch.manual_seed(0)
BOS=10
def batch(B, L, rng):
    src = rng.integers(0, 10, size=(B, L))
    out = src[:, ::-1].copy()
    tin = np.concatenate([np.full((B,1),BOS), out[:, :-1]], 1)
    return torch.as_tensor(src), torch.as_tensor(tin), torch.as_tensor(out)

class S2S(nn.Module):
    def __init__(self, H=64, E=32, attention=True):
        super().__init__()
        self.attention=attention
        self.src_emb=nn.Embedding(11,E); self.tgt_emb=nn.Embedding(11,E)
        self.enc=nn.GRU(E,H,batch_first=True,bidirectional=True)
        self.bridge=nn.Linear(2*H,H)
        self.dec=nn.GRU(E,H,batch_first=True)
        self.key=nn.Linear(2*H,H, bias=False)
        self.out=nn.Linear(H+2*H if attention else H,10)
    def forward(self, src, tin):
        Hs, h = self.enc(self.src_emb(src))  # (B,L,2H), (2,B,H)
        h0 = torch.tanh(self.bridge(torch.cat([h[0],h[1]],-1))).unsqueeze(0)
        S,_ = self.dec(self.tgt_emb(tin), h0)
        if not self.attention: return self.out(S)
        K = self.key(Hs)
        scores = S @ K.transpose(1,2) / K.shape[-1]**0.5
        w = scores.softmax(-1); self.w=w
        C = w @ Hs
        return self.out(torch.cat([S,C],-1))

def greedy(model, src):
    B,L=src.shape
    prefix=torch.full((B,1),BOS)
    with torch.no_grad():
        for t in range(L):
            logits=model(src,prefix)
            prefix=torch.cat([prefix, logits[:,-1].argmax(-1,keepdim=True)],1)
    return prefix[:,1:]

def ev(m):
    erng=np.random.default_rng(1); accs={}
    for L in [5,10,15,20]:
        src,_,out=batch(200,L,erng)
        accs[L]=(greedy(m,src)==out).all(1).float().mean().item()
    return accs
def run(att, steps, maxL=20, B=64, lr=3e-3):
    rng=np.random.default_rng(0)
    import os
    lr=float(os.environ.get('LR',lr)); H=int(os.environ.get('H',64)); B=int(os.environ.get('B',B)); minL=int(os.environ.get('MINL',1))
    m=S2S(H=H,attention=att); opt=torch.optim.Adam(m.parameters(), lr=lr)
    sched=torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.1) if os.environ.get('SCHED') else None
    t0=time.process_time()
    for s in range(steps):
        L=int(rng.integers(minL,maxL+1))
        src,tin,out=batch(B,L,rng)
        loss=F.cross_entropy(m(src,tin).reshape(-1,10), out.reshape(-1))
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(m.parameters(),1.0); opt.step()
        if sched: sched.step()
        if s%300==299: print(s, loss.item(), time.process_time()-t0, ev(m), flush=True)
    tr=time.process_time()-t0
    t0=time.process_time()
    erng=np.random.default_rng(1)
    accs={}
    for L in [5,10,15,20]:
        src,_,out=batch(200,L,erng)
        accs[L]=(greedy(m,src)==out).all(1).float().mean().item()
    print(att, steps, 'train cpu', round(tr,1), 'eval cpu', round(time.process_time()-t0,2), accs, flush=True)
run(sys.argv[1]=='1', int(sys.argv[2]))
