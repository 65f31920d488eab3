# A correct solution written differently from the reference: log-sum-exp row by row, batch norm
# through the staged graph (mean, centred, variance, inverse std), a Value that stores its local
# derivatives and sorts the graph with Kahn's algorithm, and other names.
# expect: full
# %% answer id=softmax_cross_entropy
def softmax_cross_entropy(Z, y):
    """Mean softmax cross-entropy and its gradient, one row at a time."""
    batch = Z.shape[0]
    total = 0.0
    grad = np.empty(Z.shape)
    for n in range(batch):
        top = np.max(Z[n])
        log_norm = top + np.log(np.sum(np.exp(Z[n] - top)))
        total += log_norm - Z[n, y[n]]
        grad[n] = np.exp(Z[n] - log_norm)
        grad[n, y[n]] -= 1.0
    return total / batch, grad / batch

# %% answer id=batchnorm_forward
def batchnorm_forward(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    """Batch norm over the rows of X, with running statistics."""
    if training:
        count = len(X)
        mu = np.sum(X, axis=0) / count
        centred = X - mu
        sq_mean = np.sum(centred * centred, axis=0) / count
        inv = (sq_mean + eps) ** -0.5
        normed = centred * inv
        running_mean *= 1 - momentum
        running_mean += momentum * mu
        running_var *= 1 - momentum
        running_var += momentum * np.sum(centred * centred, axis=0) / (count - 1)
        return normed * gamma + beta, {"centred": centred, "inv": inv, "gamma": gamma}
    normed = (X - running_mean) / np.sqrt(running_var + eps)
    return normed * gamma + beta, None

# %% answer id=batchnorm_backward
def batchnorm_backward(dY, cache):
    """Batch norm backward, node by node through the staged graph."""
    centred, inv, gamma = cache["centred"], cache["inv"], cache["gamma"]
    count = dY.shape[0]
    normed = centred * inv
    d_beta = np.sum(dY, axis=0)
    d_gamma = np.sum(dY * normed, axis=0)
    d_normed = dY * gamma
    d_inv = np.sum(d_normed * centred, axis=0)
    d_var = d_inv * -0.5 * inv**3
    d_centred = d_normed * inv + d_var * 2 * centred / count
    d_mu = -np.sum(d_centred, axis=0)
    return d_centred + d_mu / count, d_gamma, d_beta

# %% answer id=value
class Value:
    """A scalar with local derivatives to its inputs; backward sorts the graph with Kahn's algorithm."""

    def __init__(self, data, children=(), op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(children)
        self._op = op
        self._local = ()

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    @staticmethod
    def _wrap(x):
        return x if isinstance(x, Value) else Value(x)

    def _node(self, data, inputs, local, op):
        out = Value(data, inputs, op)
        out._local = local
        return out

    def __add__(self, other):
        other = Value._wrap(other)
        return self._node(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        other = Value._wrap(other)
        return self._node(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, exponent):
        return self._node(self.data**exponent, (self,), (exponent * self.data ** (exponent - 1),), "**")

    def tanh(self):
        t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1) if abs(self.data) < 20 else math.copysign(1.0, self.data)
        return self._node(t, (self,), (1 - t * t,), "tanh")

    def exp(self):
        e = math.exp(self.data)
        return self._node(e, (self,), (e,), "exp")

    def backward(self):
        nodes, stack = {id(self): self}, [self]
        while stack:
            for child in stack.pop()._prev:
                if id(child) not in nodes:
                    nodes[id(child)] = child
                    stack.append(child)
        users = {key: 0 for key in nodes}
        for node in nodes.values():
            for child in node._prev:
                users[id(child)] += 1
        ready = [self]
        self.grad = 1.0
        while ready:
            node = ready.pop()
            for child, local in zip(node._prev, node._local):
                child.grad += local * node.grad
                users[id(child)] -= 1
                if users[id(child)] == 0:
                    ready.append(child)

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return self**-1 * other

# %% answer id=train_step
def train_step(params, state, X, y, lr):
    """One gradient-descent step of the batch-normalised MLP."""
    pre = np.einsum("nd,hd->nh", X, params["W1"])
    normed, memo = batchnorm_forward(pre, params["gamma"], params["beta"], state["running_mean"],
                                     state["running_var"], True)
    hidden = np.where(normed > 0, normed, 0.0)
    logits = hidden @ params["W2"].T + params["b2"]
    batch_loss, d_logits = softmax_cross_entropy(logits, y)
    d_hidden = d_logits @ params["W2"]
    step = {"W2": d_logits.T @ hidden, "b2": d_logits.sum(axis=0)}
    d_pre, step["gamma"], step["beta"] = batchnorm_backward(np.where(normed > 0, d_hidden, 0.0), memo)
    step["W1"] = d_pre.T @ X
    for key in step:
        params[key] -= lr * step[key]
    return batch_loss
