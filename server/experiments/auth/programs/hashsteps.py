"""Every intermediate value of the client's computation, for the lab to show step by step.

The client computes its answer with Python's own ``hmac`` and ``hashlib``, as the course does;
this module computes the same answer again by hand, one step at a time, and reports each step
(``socketlab.step`` in the lab; printed anywhere else). It also holds an MD5 written out in full,
whose internal state can be set: the length-extension forger (forger.py) starts from a tag.
"""
import hashlib
import math
import struct

try:
    from socketlab import step      # in the lab: each step is shown on the page
except ImportError:                  # in a terminal: printed
    def step(key, values=None, data=None):
        print(key, values or '', data or '')

# MD5 (RFC 1321). Each of its 64 rounds per 64-byte block adds a constant, one word of the block
# and a mixing function of three state words, then rotates left by a fixed amount.
SHIFTS = [7, 12, 17, 22] * 4 + [5, 9, 14, 20] * 4 + [4, 11, 16, 23] * 4 + [6, 10, 15, 21] * 4
CONSTANTS = [int(abs(math.sin(i + 1)) * 2 ** 32) & 0xFFFFFFFF for i in range(64)]
INITIAL_STATE = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476)
MASK = 0xFFFFFFFF


def rotate_left(x, n):
    return ((x << n) | (x >> (32 - n))) & MASK


def compress(state, block, rounds=None):
    """The state after one 64-byte block; each round's (a, b, c, d) appended to ``rounds``."""
    a, b, c, d = state
    words = struct.unpack('<16I', block)
    for i in range(64):
        if i < 16:
            f, g = (b & c) | (~b & d), i
        elif i < 32:
            f, g = (d & b) | (~d & c), (5 * i + 1) % 16
        elif i < 48:
            f, g = b ^ c ^ d, (3 * i + 5) % 16
        else:
            f, g = c ^ (b | ~d), (7 * i) % 16
        f = (f + a + CONSTANTS[i] + words[g]) & MASK
        a, d, c = d, c, b
        b = (b + rotate_left(f, SHIFTS[i])) & MASK
        if rounds is not None:
            rounds.append((i, g, a, b, c, d))
    return tuple((x + y) & MASK for x, y in zip(state, (a, b, c, d)))


def padding(length):
    """What MD5 appends to a message of ``length`` bytes: 0x80, zeros, the length in bits (8 bytes, little-endian)."""
    return b'\x80' + b'\x00' * ((55 - length) % 64) + struct.pack('<Q', (length * 8) & 0xFFFFFFFFFFFFFFFF)


def state_bytes(state):
    """The state as MD5 writes its digest: four little-endian words."""
    return struct.pack('<4I', *state)


class MD5:
    """MD5 that may start from any state: ``MD5.resume(digest, length)`` goes on from a digest."""

    def __init__(self, data=b'', state=INITIAL_STATE, length=0):
        self.state = tuple(state)
        self.length = length          # bytes hashed so far (counting those before ``state``)
        self.buffer = b''
        self.update(data)

    @classmethod
    def resume(cls, digest, length):
        """The MD5 whose state is ``digest``, as after ``length`` bytes (a multiple of 64)."""
        return cls(state=struct.unpack('<4I', digest), length=length)

    def update(self, data):
        self.buffer += data
        self.length += len(data)
        while len(self.buffer) >= 64:
            self.state = compress(self.state, self.buffer[:64])
            self.buffer = self.buffer[64:]
        return self

    def digest(self):
        tail = self.buffer + padding(self.length)
        state = self.state
        for i in range(0, len(tail), 64):
            state = compress(state, tail[i:i + 64])
        return state_bytes(state)

    def hexdigest(self):
        return self.digest().hex()


def words_hex(state):
    return ' '.join(f'{w:08x}' for w in state)


def md5_steps(message):
    """Reports MD5 of ``message`` block by block: the padding, the length field, each block's state and rounds."""
    pad = padding(len(message))
    step('auth.md5.padding', {'bytes': len(message), 'padBytes': len(pad) - 8, 'bits': len(message) * 8},
         {'message': message.hex(), 'padding': pad[:-8].hex(), 'lengthField': pad[-8:].hex()})
    padded = message + pad
    state = INITIAL_STATE
    for index in range(len(padded) // 64):
        block = padded[index * 64:(index + 1) * 64]
        rounds = []
        after = compress(state, block, rounds)
        step('auth.md5.block', {'block': index + 1, 'blocks': len(padded) // 64, 'state': words_hex(after)},
             {'block': block.hex(), 'before': words_hex(state), 'after': words_hex(after),
              'rounds': [{'i': i, 'word': g, 'a': f'{a:08x}', 'b': f'{b:08x}', 'c': f'{c:08x}', 'd': f'{d:08x}'}
                         for i, g, a, b, c, d in rounds]})
        state = after
    digest = state_bytes(state)
    step('auth.md5.digest', {'digest': digest.hex()}, {'digest': digest.hex(), 'hashlib': hashlib.md5(message).hexdigest()})
    return digest


def hmac_steps(key, message, name):
    """Reports HMAC(key, message) with hash ``name`` (RFC 2104) step by step; returns the tag."""
    block_size = hashlib.new(name).block_size
    if len(key) > block_size:                      # a long key is hashed first
        key = hashlib.new(name, key).digest()
    padded = key.ljust(block_size, b'\x00')
    step('auth.hmac.pad', {'hash': name, 'blockSize': block_size, 'keyBytes': len(key)}, {'paddedKey': padded.hex()})
    inner_key = bytes(x ^ 0x36 for x in padded)    # key XOR ipad
    step('auth.hmac.ipad', {}, {'keyXorIpad': inner_key.hex()})
    inner = hashlib.new(name, inner_key + message).digest()
    step('auth.hmac.inner', {'inner': inner.hex()}, {'input': (inner_key + message).hex(), 'inner': inner.hex()})
    outer_key = bytes(x ^ 0x5C for x in padded)    # key XOR opad
    step('auth.hmac.opad', {}, {'keyXorOpad': outer_key.hex()})
    outer = hashlib.new(name, outer_key + inner).digest()
    step('auth.hmac.outer', {'outer': outer.hex()}, {'input': (outer_key + inner).hex(), 'outer': outer.hex()})
    return outer


def show(scheme, key, challenge):
    """Reports the computation of ``scheme`` over ``challenge`` with ``key``; returns its result."""
    step('auth.compute', {'scheme': scheme, 'keyBytes': len(key)}, {'key': key.hex(), 'challenge': challenge.hex()})
    if scheme == 'md5-hex':
        return md5_steps(key + challenge).hex().encode()
    return hmac_steps(key, challenge, 'sha256' if scheme == 'hmac-sha256' else 'md5')
