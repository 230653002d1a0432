"""An eavesdropper replays an answer it saw on an earlier connection. The server's new challenge
is different, so the old answer no longer fits."""
import socket
import struct

try:
    from socketlab import step
except ImportError:
    def step(key, values=None, data=None):
        print(key, values or '', data or '')

# This run's settings (the lab writes them here before it runs the program).
HOST = '127.0.0.1'
PORT = 9000
OLD_ANSWER = ''        # the answer seen on the wire earlier, in hex
FRAMED = False         # as the server: a 4-byte length before each message

sk = socket.socket(socket.AF_INET6 if ':' in HOST else socket.AF_INET, socket.SOCK_STREAM)
sk.connect((HOST, PORT))
challenge = sk.recv(1024)                    # a new challenge
if FRAMED:
    challenge = challenge[4:]
step('auth.replay', {}, {'newChallenge': challenge.hex(), 'oldAnswer': OLD_ANSWER})
old = bytes.fromhex(OLD_ANSWER)
sk.sendall(struct.pack('!I', len(old)) + old if FRAMED else old)   # no key needed to copy bytes
print('verdict:', sk.recv(1024))
sk.close()
