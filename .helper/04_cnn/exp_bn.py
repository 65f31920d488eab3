exec(open('exp_cnn.py').read().split('for name, make')[0])
import itertools
for ep, lr in [(10,1e-2),(15,1e-2),(10,2e-2),(15,3e-2)]:
    accs=[]; ts=[]
    for s in range(8):
        r = run(bn, ep, lr, True, seed=s); accs.append(r[1]); ts.append(r[2])
    print(ep, lr, np.round(np.sort(accs),4), 'mean', np.mean(accs), 'cpu', np.mean(ts), flush=True)
