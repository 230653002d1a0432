"""The client proves it holds the key: it answers the server's challenge with a digest of it."""
import hashlib
import hmac
import socket
import struct

import hashsteps   # the same computation by hand, every intermediate value shown (hashsteps.py)

# This run's settings (the lab writes them here before it runs the program).
HOST = '127.0.0.1'
PORT = 9000
KEY = 'egg'            # the client's key (the course: b'egg'; its MD5 example: b'egon')
SCHEME = 'hmac-md5'    # 'hmac-md5', 'hmac-sha256', 'md5-hex', or 'hmac-default': hmac.new(key, msg) with no digestmod
FRAMED = False         # False: one recv(1024) per message, as the course; True: a 4-byte length first
FOLLOW_UP = ''         # a message sent right after the answer, without waiting for the verdict ('': none)

secret_key = KEY.encode()


def send_msg(sk, data):
    if FRAMED:
        sk.sendall(struct.pack('!I', len(data)) + data)
    else:
        sk.sendall(data)


def recv_exactly(sk, size):
    data = b''
    while len(data) < size:
        chunk = sk.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def recv_msg(sk):
    if FRAMED:
        header = recv_exactly(sk, 4)
        return recv_exactly(sk, struct.unpack('!I', header)[0]) if len(header) == 4 else b''
    return sk.recv(1024)


sk = socket.socket(socket.AF_INET6 if ':' in HOST else socket.AF_INET, socket.SOCK_STREAM)
sk.connect((HOST, PORT))
challenge = recv_msg(sk)                     # 32 random bytes

if SCHEME == 'hmac-default':
    answer = hmac.new(secret_key, challenge).digest()   # TypeError since Python 3.8: digestmod is required
elif SCHEME == 'md5-hex':
    md5 = hashlib.md5(secret_key)
    md5.update(challenge)
    answer = md5.hexdigest().encode()        # 32 hex characters, sent as text
elif SCHEME == 'hmac-sha256':
    answer = hmac.new(secret_key, challenge, hashlib.sha256).digest()   # 32 raw bytes
else:
    answer = hmac.new(secret_key, challenge, hashlib.md5).digest()      # 16 raw bytes

assert hashsteps.show(SCHEME, secret_key, challenge) == answer   # by hand, step by step: the same answer
send_msg(sk, answer)
if FOLLOW_UP:
    send_msg(sk, FOLLOW_UP.encode())         # at once: it may arrive together with the answer
verdict = recv_msg(sk)
print('verdict:', verdict)
if verdict == b'welcome' and FOLLOW_UP:
    print('reply:', recv_msg(sk))
sk.close()
