# A Value whose tanh backward uses the input: 1 - x^2 instead of 1 - tanh(x)^2.
# expect: partial
# fails: test_value test_value_shared test_value_ops_hidden test_value_mlp_hidden
# %% answer id=value
class Value:
    """A scalar that records the computation that produced it, for reverse-mode differentiation.

    data: float, the value. grad: float, d(output)/d(this value) once output.backward() has run (0.0
    before). Build expressions with +, -, *, /, ** (a constant int or float exponent), .tanh() and
    .exp(); a plain number on either side of an operator is treated as a constant Value.
    """

    def __init__(self, data, children=(), op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None  # adds this node's share of grad to its children's grad
        self._prev = tuple(children)
        self._op = op

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        """self + other for other a Value or a number; returns a new Value."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        """self * other for other a Value or a number; returns a new Value."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent):
        """self ** exponent for a constant int or float exponent (not a Value); returns a new Value."""
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        def _backward():
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        """tanh(self); returns a new Value."""
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - self.data**2) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        """e ** self; returns a new Value."""
        e = math.exp(self.data)
        out = Value(e, (self,), "exp")

        def _backward():
            self.grad += e * out.grad

        out._backward = _backward
        return out

    def backward(self):
        """Set self.grad to 1 and fill in .grad of every Value this one depends on, in reverse topological order."""
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for child in node._prev:
                    visit(child)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

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
