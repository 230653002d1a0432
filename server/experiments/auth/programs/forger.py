"""Length extension, without the key: from one message and its tag md5(key + message), forge a
longer message with a valid tag. MD5's tag is its whole internal state after the padded input;
start an MD5 from that state and hash on. The forger must guess the key's length: it tries each."""
import socket
import struct

import hashsteps   # MD5 written out, whose state can be set (hashsteps.MD5.resume)

try:
    from socketlab import step
except ImportError:
    def step(key, values=None, data=None):
        print(key, values or '', data or '')

# This run's settings (the lab writes them here before it runs the program).
HOST = '127.0.0.1'
PORT = 9000
EXTRA = '&role=admin'     # what the forger appends
MAX_KEY_LENGTH = 16       # key lengths it tries: 1, 2, ... up to this


def send_msg(sk, *messages):
    # All in one write: two small writes in a row would wait for the server's delayed ACK (Nagle).
    sk.sendall(b''.join(struct.pack('!I', len(data)) + data for data in messages))


def recv_exactly(sk, size):
    data = b''
    while len(data) < size:
        chunk = sk.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def recv_msg(sk):
    header = recv_exactly(sk, 4)
    return recv_exactly(sk, struct.unpack('!I', header)[0]) if len(header) == 4 else b''


sk = socket.socket(socket.AF_INET6 if ':' in HOST else socket.AF_INET, socket.SOCK_STREAM)
sk.connect((HOST, PORT))
message = recv_msg(sk)                 # the signed message the server gave out
tag = recv_msg(sk).decode()            # md5(key + message), in hex
extra = EXTRA.encode()
step('auth.forge.given', {'tag': tag}, {'message': message.hex(), 'tag': tag})

for key_length in range(1, MAX_KEY_LENGTH + 1):
    # The server hashed key + message + padding; the padding depends only on the length.
    glue = hashsteps.padding(key_length + len(message))
    hashed = key_length + len(message) + len(glue)          # bytes through the end of the padding
    forged_message = message + glue + extra
    # The tag's 16 bytes are MD5's four state words after those bytes: go on from there.
    md5 = hashsteps.MD5.resume(bytes.fromhex(tag), hashed)
    forged_tag = md5.update(extra).hexdigest()
    step('auth.forge.try', {'keyLength': key_length, 'tag': forged_tag},
         {'padding': glue[:-8].hex(), 'lengthField': glue[-8:].hex(), 'bits': (key_length + len(message)) * 8,
          'state': hashsteps.words_hex(struct.unpack('<4I', bytes.fromhex(tag))),
          'forgedMessage': forged_message.hex(), 'forgedTag': forged_tag})
    send_msg(sk, forged_message, forged_tag.encode())
    verdict = recv_msg(sk)
    print(key_length, verdict)
    if verdict.startswith(b'accepted'):
        break
sk.close()
