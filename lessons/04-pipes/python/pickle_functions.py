"""Listing 4-4: what pickle does with functions. It stores a function's name, not its code, so a
function that cannot be found by its name cannot be pickled."""
import pickle
import pickletools


def square(x):
    return x * x


def make_adder(n):
    def add(x):
        return x + n  # `n` is captured: add is a closure
    return add


def strings_in(data):
    """The strings a pickle holds: for a function, all there is to it."""
    return [arg for op, arg, pos in pickletools.genops(data) if isinstance(arg, str)]


data = pickle.dumps(square)
print('square pickles as the strings %s' % strings_in(data))
print('unpickled, it is the same function: %s' % (pickle.loads(data) is square))
for label, function in [('lambda x: x * x', lambda x: x * x), ('make_adder(10)', make_adder(10))]:
    try:
        pickle.dumps(function)
        print('%s pickles' % label)
    except (pickle.PicklingError, AttributeError):
        print('%s cannot be pickled: no name leads to it' % label)
