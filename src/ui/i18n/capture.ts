import type { Strings } from './index.ts';

/**
 * Opening a real capture (src/capture, workers/capture.worker.ts, src/ui/lib/capture-client.ts):
 * progress, the reasons a file cannot be read (capture.error.<code>[.<variant>]) and the notices
 * beside an imported session (capture.notice.<code>).
 */
export const capture: Strings = {
  'capture.progress': { en: 'Reading {name}: {percent}%', zh: '正在读取 {name}：{percent}%' },
  'capture.unknownValue': { en: 'unknown (not on the wire)', zh: '未知（抓包中看不到）' },
  'capture.imported': { en: '{name}: {sessions} session(s) between {hosts}', zh: '{name}：{hosts} 之间的 {sessions} 个会话' },

  // Why a file cannot be opened.
  'capture.error.ERR_NOT_A_CAPTURE': { en: 'This file is not a packet capture (pcap or pcapng).', zh: '该文件不是抓包文件（pcap 或 pcapng）。' },
  'capture.error.ERR_NOT_A_CAPTURE.empty': { en: 'The file is empty.', zh: '文件是空的。' },
  'capture.error.ERR_NOT_A_CAPTURE.gzip': { en: 'This file is compressed (gzip). Decompress it first, then open the .pcap or .pcapng inside.', zh: '该文件经过 gzip 压缩。请先解压，再打开其中的 .pcap 或 .pcapng 文件。' },
  'capture.error.ERR_NOT_A_CAPTURE.keylog': { en: 'This is a key log (SSLKEYLOGFILE), not a capture. Open the capture, and give this file as its key log.', zh: '这是密钥日志（SSLKEYLOGFILE），不是抓包文件。请打开抓包文件，并把此文件作为它的密钥日志。' },
  'capture.error.ERR_NOT_A_CAPTURE.json': { en: 'This is a JSON file, not a capture. A saved session (transcript) is opened as a transcript.', zh: '这是 JSON 文件，不是抓包文件。保存的会话（记录文件）请按记录文件打开。' },
  'capture.error.ERR_NOT_A_CAPTURE.text': { en: 'This is a text file, not a packet capture (pcap or pcapng).', zh: '这是文本文件，不是抓包文件（pcap 或 pcapng）。' },
  'capture.error.ERR_TRUNCATED_CAPTURE': { en: 'The capture is cut short: the file ends at byte {offset}.', zh: '抓包文件不完整：文件在第 {offset} 字节处结束。' },
  'capture.error.ERR_TRUNCATED_CAPTURE.header': { en: 'The capture is cut short: the file ends at byte {offset}, inside its file header.', zh: '抓包文件不完整：文件在第 {offset} 字节处结束，位于文件头之中。' },
  'capture.error.ERR_TRUNCATED_CAPTURE.packet': { en: 'The capture is cut short: the file ends at byte {offset}, inside packet {number}.', zh: '抓包文件不完整：文件在第 {offset} 字节处结束，位于第 {number} 个数据包之中。' },
  'capture.error.ERR_TRUNCATED_CAPTURE.block': { en: 'The capture is cut short: the file ends at byte {offset}, inside block {number} ({blockType}).', zh: '抓包文件不完整：文件在第 {offset} 字节处结束，位于第 {number} 个块（{blockType}）之中。' },
  'capture.error.ERR_BAD_CAPTURE': { en: 'The capture is damaged at byte {offset}.', zh: '抓包文件在第 {offset} 字节处已损坏。' },
  'capture.error.ERR_BAD_CAPTURE.header': { en: 'The capture is damaged: its file header (byte {offset}) is not valid.', zh: '抓包文件已损坏：文件头（第 {offset} 字节）无效。' },
  'capture.error.ERR_BAD_CAPTURE.packet': { en: 'The capture is damaged: packet {number} at byte {offset} has an impossible length.', zh: '抓包文件已损坏：第 {number} 个数据包（第 {offset} 字节）的长度不可能成立。' },
  'capture.error.ERR_BAD_CAPTURE.block': { en: 'The capture is damaged: block {number} ({blockType}) at byte {offset} is malformed.', zh: '抓包文件已损坏：第 {number} 个块（{blockType}，第 {offset} 字节）格式错误。' },
  'capture.error.ERR_UNSUPPORTED_LINKTYPE': { en: 'Packets of link type {linktype} ({name}) cannot be read here. Supported: Ethernet, Linux cooked (SLL, SLL2), raw IP and BSD loopback.', zh: '无法读取链路类型 {linktype}（{name}）的数据包。支持：以太网、Linux cooked（SLL、SLL2）、原始 IP 和 BSD 环回。' },
  'capture.error.ERR_NO_TCP': { en: 'None of the {packets} packet(s) is a TCP segment over IPv4 or IPv6.', zh: '{packets} 个数据包中没有任何基于 IPv4 或 IPv6 的 TCP 报文段。' },
  'capture.error.ERR_NO_TLS': { en: 'The capture holds {connections} TCP connection(s), but none carries TLS or HTTP.', zh: '抓包中有 {connections} 个 TCP 连接，但没有一个承载 TLS 或 HTTP。' },
  'capture.error.ERR_BAD_REQUEST': { en: 'The capture reader received a request it does not understand ({issue}).', zh: '抓包读取器收到了无法理解的请求（{issue}）。' },
  'capture.error.ERR_INTERNAL': { en: 'The capture could not be read: {message}', zh: '无法读取抓包文件：{message}' },
  'capture.error.ERR_TOO_LARGE': { en: 'The file is {size} MB; captures up to {max} MB can be opened here.', zh: '文件大小为 {size} MB；此处最多可打开 {max} MB 的抓包文件。' },
  'capture.error.ERR_KEYLOG_TOO_LARGE': { en: 'The key log is {size} MB; key logs up to {max} MB are accepted.', zh: '密钥日志大小为 {size} MB；最多接受 {max} MB 的密钥日志。' },
  'capture.error.ERR_READ': { en: 'The browser could not read the file {name}.', zh: '浏览器无法读取文件 {name}。' },
  'capture.error.ERR_WORKER': { en: 'The capture reader could not start in this browser.', zh: '抓包读取器无法在此浏览器中启动。' },
  'capture.error.ERR_ABORTED': { en: 'Opening the capture was cancelled.', zh: '已取消打开抓包文件。' },

  // Beside an imported session: what could not be done, and why.
  'capture.notice.NO_KEYS': { en: 'Connection {conn}: the key log has no secret for this session (client random {clientRandom}). The handshake is shown; {records} encrypted record(s) stay encrypted.', zh: '连接 {conn}：密钥日志中没有此会话的密钥（client random {clientRandom}）。握手照常显示；{records} 条加密记录保持加密状态。' },
  'capture.notice.DECRYPT_FAILED': { en: 'Connection {conn}: the logged secret for client random {clientRandom} does not decrypt its records: the key log belongs to another session.', zh: '连接 {conn}：client random 为 {clientRandom} 的日志密钥无法解密其记录：该密钥日志属于另一个会话。' },
  'capture.notice.UNSUPPORTED_CIPHER': { en: 'Connection {conn}: records protected with {cipher} cannot be decrypted here.', zh: '连接 {conn}：使用 {cipher} 保护的记录无法在此解密。' },
  'capture.notice.NO_CLIENT_HELLO': { en: 'Connection {conn}: the capture starts after its ClientHello, so its records cannot be decrypted.', zh: '连接 {conn}：抓包开始于 ClientHello 之后，因此无法解密其记录。' },
  'capture.notice.TCP_GAP': { en: 'Connection {conn}: {missing} byte(s) sent by the {from} were never captured; the stream is shown up to the gap.', zh: '连接 {conn}：{from} 发送的 {missing} 字节从未被抓到；数据流只显示到缺口之前。' },
  'capture.notice.KEYLOG_LINES_IGNORED': { en: '{count} line(s) of the key log are not NSS key log lines and were ignored (first: line {line}).', zh: '密钥日志中有 {count} 行不是 NSS 密钥日志格式，已忽略（第一处：第 {line} 行）。' },
  'capture.notice.SKIPPED_PACKETS': { en: '{malformed} malformed packet(s) and {fragments} IP fragment(s) were skipped.', zh: '已跳过 {malformed} 个格式错误的数据包和 {fragments} 个 IP 分片。' },
  'capture.notice.UNSUPPORTED_LINKTYPE': { en: '{packets} packet(s) of link type {linktype} ({name}) were not decoded.', zh: '有 {packets} 个链路类型为 {linktype}（{name}）的数据包未被解码。' },
  'capture.notice.OTHER_STREAMS': { en: '{count} TCP connection(s) carry neither TLS nor HTTP and are not shown (first: {first}).', zh: '有 {count} 个 TCP 连接既不承载 TLS 也不承载 HTTP，未予显示（第一个：{first}）。' },
  'capture.notice.SNAPLEN': { en: '{packets} packet(s) were cut short when captured (snapshot length): their streams have gaps.', zh: '有 {packets} 个数据包在抓取时被截短（快照长度限制）：其数据流存在缺口。' },
  'capture.notice.OTHER_SECRETS': { en: 'A decryption secrets block of type {type} (not a TLS key log) was ignored.', zh: '已忽略一个类型为 {type} 的解密密钥块（不是 TLS 密钥日志）。' },
};
