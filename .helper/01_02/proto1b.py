exec(open('proto1.py').read().split('t=time.time()')[0])
import time
t=time.time()
for margin in [1.0,0.3,0.1,0.03]:
    rows=[]
    for seed in range(20):
        X,y = linearly_separable(200, margin, seed)
        w,b,h = perceptron_train(X,y,rng=np.random.default_rng(seed))
        R = np.sqrt((X**2).sum(1)+1).max(); g=best_margin(X,y)
        rows.append((len(h), sum(h), (R/g)**2, h[-1], g))
    r=np.array(rows); print(margin, np.median(r[:,0]), r[:,0].max(), np.mean(r[:,1]), r[:,1].max(), np.median(r[:,2]), (r[:,1]/r[:,2]).max(), r[:,3].max(), np.median(r[:,4]))
print(time.time()-t)
