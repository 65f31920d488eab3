exec(open('exp_abl.py').read().split('which = ')[0])
class Block(nn.Module):
    def __init__(s, c, residual):
        super().__init__(); s.residual=residual
        s.conv1=nn.Conv2d(c,c,3,padding=1); s.conv2=nn.Conv2d(c,c,3,padding=1)
    def forward(s, x):
        h = s.conv2(torch.relu(s.conv1(x)))
        return torch.relu(x + h) if s.residual else torch.relu(h)
def net(nblocks, residual, c=16):
    return nn.Sequential(nn.Conv2d(1,c,3,padding=1), nn.ReLU(), *[Block(c,residual) for _ in range(nblocks)],
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(c*16,10))
which = sys.argv[1]
if which=='res':
    for nb in [6]:
        for r in [False, True]:
            for s in range(3):
                torch.manual_seed(s); print('res', nb, r, s, run2(net(nb, r), 5, float(sys.argv[2]), s), flush=True)
if which=='drop':
    def m(p):
        return nn.Sequential(nn.Conv2d(1,16,3,padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16,32,3,padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Dropout(p), nn.Linear(128,64), nn.ReLU(), nn.Dropout(p), nn.Linear(64,10))
    for p in [0, 0.5]:
        for s in range(5):
            torch.manual_seed(s); print('drop', p, s, run2(m(p), 15, 3e-3, s), flush=True)
