exec(open('exp_cnn.py').read().split('def plain')[0])
def run2(m, epochs, lr, seed=0, bs=64, Xa=None, ya=None, optname='adam'):
    Xa = Xtr if Xa is None else Xa; ya = ytr if ya is None else ya
    o = torch.optim.Adam(m.parameters(), lr=lr) if optname=='adam' else torch.optim.SGD(m.parameters(), lr=lr, momentum=0.9)
    t=time.process_time()
    h = training.fit(m, Xa, ya, nn.CrossEntropyLoss(), o, epochs, bs, seed=seed)
    return round(training.accuracy(m, Xte, yte),4), round(time.process_time()-t,2), round(h['train loss'][-1],4)
def deep(act, bn=False, width=16):
    L=[]; c=1
    for i,co in enumerate([width,width,'P',2*width,2*width,'P']):
        if co=='P': L.append(nn.MaxPool2d(2)); continue
        L.append(nn.Conv2d(c,co,3,padding=1)); 
        if bn: L.append(nn.BatchNorm2d(co))
        L.append(act()); c=co
    L += [nn.Flatten(), nn.Linear(c*4,10)]
    return nn.Sequential(*L)
which = sys.argv[1]
if which=='act':
    for opt, lr in [('sgd',0.05),('adam',1e-2)]:
        for act in [nn.Sigmoid, nn.Tanh, nn.ReLU]:
            for s in range(3):
                torch.manual_seed(s); print(opt, act.__name__, s, run2(deep(act), 6, lr, s, optname=opt), flush=True)
if which=='bn':
    for lr in [1e-3, 1e-2, 3e-2]:
        for b in [False, True]:
            for s in range(3):
                torch.manual_seed(s); print('bn', b, lr, s, run2(deep(nn.ReLU, b), 4, lr, s), flush=True)
