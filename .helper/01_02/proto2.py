import torch, time, numpy as np, math
torch.manual_seed(0)
X = torch.tensor([[0.,0],[0,1],[1,0],[1,1]]); y = torch.tensor([0.,1,1,0])
def train_many(num_hiddens, num_nets=20, num_steps=5000, lr=1.0, seed=0, init="default"):
    g = torch.Generator().manual_seed(seed)
    def U(shape, fan_in):
        k = 1/math.sqrt(fan_in); return (torch.rand(shape, generator=g)*2-1)*k
    if init=="default":
        W1 = U((num_nets, num_hiddens, 2), 2); b1 = U((num_nets, num_hiddens), 2)
        W2 = U((num_nets, 1, num_hiddens), num_hiddens); b2 = U((num_nets,1), num_hiddens)
    else:
        s=float(init)
        W1 = torch.randn((num_nets, num_hiddens, 2), generator=g)*s; b1 = torch.randn((num_nets, num_hiddens), generator=g)*s
        W2 = torch.randn((num_nets, 1, num_hiddens), generator=g)*s; b2 = torch.randn((num_nets,1), generator=g)*s
    params=[W1,b1,W2,b2]
    for p in params: p.requires_grad_(True)
    opt = torch.optim.SGD(params, lr=lr)
    for step in range(num_steps):
        H = torch.sigmoid(torch.einsum('nhd,bd->nbh', W1, X) + b1[:,None,:])
        z = torch.einsum('noh,nbh->nbo', W2, H)[..., 0] + b2
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y.expand_as(z), reduction='none').mean(1)
        opt.zero_grad(); loss.sum().backward(); opt.step()
    pred = (z > 0).float()
    ok = (pred == y).all(1)
    return ok, loss.detach()
for init in []:
  for lr in [1.0, 0.5]:
    for h in [2,3,4]:
        t=time.time(); ok, loss = train_many(h, init=init, lr=lr, num_steps=3000)
        print(init, lr, h, int(ok.sum()), f"{time.time()-t:.2f}s", loss.max().item())
print("----")
for steps in [1500, 2000]:
    for h in [2,3,4]:
        t=time.time(); ok, loss = train_many(h, lr=1.0, num_steps=steps)
        print(steps, h, int(ok.sum()), f"{time.time()-t:.2f}s", loss.max().item(), sorted(loss.numpy().round(3))[-4:])
