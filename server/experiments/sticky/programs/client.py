import socket
import struct
import time

# This run's settings (the lab writes them here before it runs the program).
HOST = '127.0.0.1'
PORT = 9000
MESSAGES = 'hello|world|how|are|you'  # the messages to send, separated by |
COUNT = 0              # more than 0: send COUNT made-up messages of SIZE bytes instead
SIZE = 100
NAGLE = True           # False: TCP_NODELAY, every small write goes out at once
CORK = False           # True: TCP_CORK holds the writes back until it is taken off
GAP = 0.0              # seconds to wait between two writes
WARMUP = 0             # ping-pong rounds on the connection before the messages
ONE_WRITE = False      # True: one sendall() for all the messages
FRAMING = 'none'       # 'none', 'length' (4-byte length first), 'delimiter' (b'\n' after), 'fixed'
FIXED_SIZE = 0         # 'fixed': every message is padded with zero bytes to this size


def make_messages():
    if COUNT > 0:
        # Message i is easy to recognise: its number, then one letter repeated (b'00007:hhhh').
        return [(('%05d:' % i) + chr(97 + i % 26) * SIZE)[:SIZE].encode() for i in range(COUNT)]
    return [text.encode() for text in MESSAGES.split('|')]


def frame(message):
    """The bytes that go on the stream for one message."""
    if FRAMING == 'length':
        return struct.pack('!I', len(message)) + message  # 4 bytes, big-endian: the length
    if FRAMING == 'delimiter':
        return message + b'\n'                            # the message, then a newline
    if FRAMING == 'fixed':
        return message.ljust(FIXED_SIZE, b'\0')           # always FIXED_SIZE bytes
    return message                                        # no framing: just the bytes


family = socket.AF_INET6 if ':' in HOST else socket.AF_INET
sk = socket.socket(family, socket.SOCK_STREAM)
if not NAGLE:
    sk.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
sk.connect((HOST, PORT))

for _ in range(WARMUP):
    sk.sendall(b'ping')            # a small request...
    sk.recv(1024)                  # ...and the server's b'pong'

messages = make_messages()
if CORK:
    sk.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)  # hold small writes back
if ONE_WRITE:
    sk.sendall(b''.join(frame(m) for m in messages))
else:
    for i, message in enumerate(messages):
        if i > 0 and GAP > 0:
            time.sleep(GAP)
        sk.sendall(frame(message))  # sendall: send() may take only part of a big message
if CORK:
    sk.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 0)  # uncork: what waits goes out now
print('sent', len(messages), 'messages')

sk.shutdown(socket.SHUT_WR)        # FIN: nothing more to send
while sk.recv(1024):               # wait for the server to close too
    pass
sk.close()
