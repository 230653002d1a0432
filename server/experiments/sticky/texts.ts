/** The sticky-packet experiment's texts: title, description, parameters, presets and notes, per language. */
import type { ExperimentText, Localized } from '../../contract/experiment.js';

export const texts: Localized<ExperimentText> = {
  en: {
    title: 'Sticky packets: message boundaries in a byte stream',
    description:
      'A client sends messages to a server over one TCP connection. The lab shows each write the client made, each segment that crossed the wire and each read the server made, every byte coloured by the message it came from, and whether the server got the messages back.',
    params: {
      messages: {
        label: 'Messages',
        help: 'The texts the client sends, separated by |. Two bars with nothing between them make an empty message.',
      },
      count: {
        label: 'Made-up messages',
        help: 'More than 0: send this many made-up messages of the size below instead of the texts (each starts with its number).',
      },
      size: { label: 'Size of each made-up message (bytes)', help: 'How long each made-up message is.' },
      nagle: {
        label: "Nagle's algorithm",
        help: 'On: the kernel holds a small write back while earlier data is unacknowledged, and sends it with the next ones. Off: TCP_NODELAY.',
      },
      cork: {
        label: 'Cork the writes',
        help: 'Python: TCP_CORK on while writing, off after: the kernel sends what it holds in as few segments as it can. Node.js: socket.cork() holds the writes in Node until uncork() hands them to the kernel at once.',
      },
      gapMs: { label: 'Gap between writes (ms)', help: 'How long the client waits between two writes.' },
      warmup: {
        label: 'Warm-up rounds',
        help: "Ping-pong rounds on the connection before the messages. They leave the server delaying its ACKs, so Nagle's algorithm has unacknowledged data to wait for.",
      },
      writes: {
        label: 'Writes',
        help: 'One sendall() per message, or one for all of them.',
        values: { each: 'One write per message', one: 'One write for all' },
      },
      reader: {
        label: 'The server reads',
        help: 'As data arrives, or only after the client has finished writing (the data waits in the kernel’s receive buffer).',
        values: { 'as-arrives': 'As data arrives', late: 'Late: after the client’s last write' },
      },
      lateMs: { label: 'How late (ms)', help: 'A late reader starts reading this long after the client’s last write.' },
      recvSize: {
        label: 'Bytes per recv()',
        help: 'The most one read may return, like recv(1024): a bigger message is split across reads. Python only: Node.js reads whatever has arrived, up to 64 KiB.',
      },
      rcvbuf: { label: 'Receive buffer (bytes)', help: 'SO_RCVBUF of the server’s socket; 0 keeps the kernel’s default. Python only.' },
      framing: {
        label: 'Framing',
        help: 'How the receiver finds where a message ends: not at all, a 4-byte big-endian length first, a newline after, or a fixed size.',
        values: {
          none: 'None',
          length: "Length prefix (struct.pack('!I', n))",
          delimiter: 'Delimiter (\\n)',
          fixed: 'Fixed length (padded)',
        },
      },
    },
    presets: {
      'late-reader': 'The server reads late → one read holds all',
      cork: 'Cork the writes → one segment',
      'recv-split': 'recv(1024) on a 3000-byte message',
      'nagle-busy': 'Nagle on a busy connection',
      'nagle-off': 'The same with Nagle off',
      'one-write': 'One write for all the messages',
      'spaced-writes': 'Writes 50 ms apart',
      'length-prefix': 'A length prefix fixes it',
      delimiter: 'A newline after each message fixes it',
      'fixed-length': 'Fixed-length messages fix it',
      'length-prefix-split': 'Length prefix on a message split across reads',
      'empty-message': 'An empty message',
      'many-messages': '10,000 messages with a length prefix',
    },
    words: {
      kept: 'boundaries kept, each read held one message',
      lost: 'boundaries lost',
      rebuilt: 'every message rebuilt',
      broken: 'not every message rebuilt',
      unsent: 'not every message sent',
      none: 'none',
      length: 'a length prefix',
      delimiter: 'a delimiter',
      fixed: 'fixed length',
    },
    notes: {
      'stream.plan': 'the client will send {messages} messages (framing: {framing})',
    },
  },
  'zh-CN': {
    title: '粘包与拆包：字节流里的消息边界',
    description:
      '客户端通过一条 TCP 连接向服务器发送若干消息。实验室展示客户端的每次写、线路上的每个报文段、服务器的每次读，每个字节按它所属的消息着色，并判断服务器是否拿回了这些消息。',
    params: {
      messages: { label: '消息', help: '客户端发送的文本，用 | 分隔。两个 | 之间什么也没有，就是一条空消息。' },
      count: { label: '生成的消息条数', help: '大于 0 时，改为发送这么多条下面大小的生成消息（每条以它的编号开头）。' },
      size: { label: '每条生成消息的大小（字节）', help: '每条生成消息的长度。' },
      nagle: {
        label: 'Nagle 算法',
        help: '开：前面的数据还没被确认时，内核先扣住小的写入，和后面的一起发。关：TCP_NODELAY。',
      },
      cork: {
        label: '塞住写入（cork）',
        help: 'Python：写的时候打开 TCP_CORK，写完关掉：内核用尽可能少的报文段发出它扣住的数据。Node.js：socket.cork() 让 Node 先留住这些写入，uncork() 时一次交给内核。',
      },
      gapMs: { label: '两次写之间的间隔（毫秒）', help: '客户端两次写之间等待的时间。' },
      warmup: {
        label: '预热轮数',
        help: '发消息之前在这条连接上做几轮一问一答。之后服务器会延迟发送 ACK，Nagle 算法就有未确认的数据可等。',
      },
      writes: {
        label: '写的方式',
        help: '每条消息一次 sendall()，或者所有消息一次。',
        values: { each: '每条消息写一次', one: '所有消息写一次' },
      },
      reader: {
        label: '服务器何时读',
        help: '数据一到就读，或者等客户端写完之后才读（数据先在内核的接收缓冲区里等着）。',
        values: { 'as-arrives': '数据一到就读', late: '晚读：客户端最后一次写之后' },
      },
      lateMs: { label: '晚多久（毫秒）', help: '晚读时，在客户端最后一次写之后再过这么久才开始读。' },
      recvSize: {
        label: '每次 recv() 的字节数',
        help: '一次读最多返回的字节数，如 recv(1024)：更大的消息会被拆到几次读里。仅 Python：Node.js 每次读走已到达的全部数据，最多 64 KiB。',
      },
      rcvbuf: { label: '接收缓冲区（字节）', help: '服务器套接字的 SO_RCVBUF；0 表示用内核的默认值。仅 Python。' },
      framing: {
        label: '分帧方式',
        help: '接收方怎样找到一条消息的结尾：不分帧；先发 4 字节大端长度；消息后加换行符；或固定长度。',
        values: {
          none: '不分帧',
          length: "长度前缀（struct.pack('!I', n)）",
          delimiter: '分隔符（\\n）',
          fixed: '固定长度（补齐）',
        },
      },
    },
    presets: {
      'late-reader': '服务器晚读 → 一次读拿到全部',
      cork: '塞住写入 → 一个报文段',
      'recv-split': 'recv(1024) 读一条 3000 字节的消息',
      'nagle-busy': '繁忙连接上的 Nagle 算法',
      'nagle-off': '同上，关掉 Nagle',
      'one-write': '所有消息一次写出',
      'spaced-writes': '每次写间隔 50 毫秒',
      'length-prefix': '长度前缀解决粘包',
      delimiter: '每条消息后加换行符解决粘包',
      'fixed-length': '固定长度消息解决粘包',
      'length-prefix-split': '长度前缀，消息被拆到几次读里',
      'empty-message': '一条空消息',
      'many-messages': '带长度前缀的 10,000 条消息',
    },
    words: {
      kept: '边界保留，每次读到一条消息',
      lost: '消息边界丢失',
      rebuilt: '每条消息都还原了',
      broken: '没有全部还原',
      unsent: '没有全部发出',
      none: '不分帧',
      length: '长度前缀',
      delimiter: '分隔符',
      fixed: '固定长度',
    },
    notes: {
      'stream.plan': '客户端将发送 {messages} 条消息（分帧：{framing}）',
    },
  },
};
