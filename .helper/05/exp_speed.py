import time, torch, torch.nn as nn
torch.set_num_threads(1)
for kind in [nn.RNN, nn.LSTM, nn.GRU]:
  for bs in [32, 256]:
    for H in [32, 64]:
        m = kind(2, H, batch_first=True); X = torch.randn(bs, 30, 2)
        t0=time.process_time()
        for _ in range(50):
            out,_ = m(X); out[:, -1].sum().backward()
        print(kind.__name__, bs, H, "%.2f ms/step" % ((time.process_time()-t0)/50*1000))
