/**
 * One-line explanations of every field the TLS decoders (src/protocol/tls) put in a message's field
 * tree, in English and 简体中文, with the section that defines it. The inspector shows them next to
 * the field tree; the parser's own `ref` on a field wins over the one here when both exist (it knows
 * whether the message was TLS 1.2 or 1.3).
 *
 * Lookup: `Message.name` (a name whose meaning depends on the message), then `parent>name` (on the
 * parent's name), then `name`; extension nodes (children of `extensions`) by `ext:name`; then the
 * patterns (`…_length` prefixes, unknown extensions); then a generic text by the field's shape.
 */
import type { Field } from '../../protocol/tls/fields.ts';

export interface FieldDoc {
  en: string;
  zh: string;
  ref: string;
}

export type DocSource = 'exact' | 'pattern' | 'fallback';

const d = (ref: string, en: string, zh: string): FieldDoc => ({ en, zh, ref });

const R13 = 'RFC 8446';
const R12 = 'RFC 5246';

/** The messages themselves (header of the inspector). */
export const MESSAGE_DOCS: Readonly<Record<string, FieldDoc>> = {
  ClientHello: d(`${R13} §4.1.2`, 'The client opens the handshake: its random, the cipher suites, versions and groups it supports, and its key share.', '客户端发起握手：携带随机数、支持的密码套件、版本和组，以及它的密钥共享。'),
  ServerHello: d(`${R13} §4.1.3`, 'The server picks the version, cipher suite and key exchange from the client’s offer and sends its own random.', '服务器从客户端的提议中选定版本、密码套件和密钥交换方式，并发送自己的随机数。'),
  HelloRetryRequest: d(`${R13} §4.1.4`, 'A ServerHello asking the client to try again with another key share group.', '一种特殊的 ServerHello：要求客户端换一个密钥共享组重新发送 ClientHello。'),
  EncryptedExtensions: d(`${R13} §4.3.1`, 'TLS 1.3: the server’s extensions that need no cryptographic context, already encrypted with handshake keys.', 'TLS 1.3：服务器的、不涉及密钥协商的扩展，已用握手密钥加密。'),
  Certificate: d(`${R13} §4.4.2`, 'The sender’s certificate chain, leaf first; the peer verifies it against its trust anchors.', '发送方的证书链（叶证书在前）；对端用自己的信任锚对其进行校验。'),
  CertificateRequest: d(`${R13} §4.3.2`, 'The server asks the client for a certificate (mutual TLS) and says which signatures and CAs it accepts.', '服务器要求客户端出示证书（双向 TLS），并说明它接受的签名算法和 CA。'),
  ServerKeyExchange: d('RFC 8422 §5.4', 'TLS 1.2 ECDHE: the server’s ephemeral public key, signed with its certificate’s key.', 'TLS 1.2 ECDHE：服务器的临时公钥，用其证书私钥签名。'),
  ServerHelloDone: d(`${R12} §7.4.5`, 'TLS 1.2: the server has sent everything for this flight; the client answers now.', 'TLS 1.2：服务器本轮消息已发送完毕，轮到客户端响应。'),
  ClientKeyExchange: d(`${R12} §7.4.7`, 'TLS 1.2: the client’s key exchange — its ECDHE public key, or the premaster secret encrypted to the server’s RSA key.', 'TLS 1.2：客户端的密钥交换——其 ECDHE 公钥，或用服务器 RSA 公钥加密的预主密钥。'),
  CertificateVerify: d(`${R13} §4.4.3`, 'Proof of possession: a signature over the handshake so far, made with the certificate’s private key.', '持有证明：用证书私钥对到目前为止的握手记录所做的签名。'),
  Finished: d(`${R13} §4.4.4`, 'A MAC over the whole handshake with keys from the shared secret: both sides saw the same handshake.', '用共享密钥派生的密钥对整个握手计算的 MAC：证明双方看到的握手完全一致。'),
  NewSessionTicket: d(`${R13} §4.6.1`, 'A ticket the client may use to resume the session later without a full handshake.', '一张票据，客户端以后可用它恢复会话而不必完整握手。'),
  KeyUpdate: d(`${R13} §4.6.3`, 'The sender switches to the next generation of traffic keys (and may ask the peer to do the same).', '发送方切换到下一代流量密钥（并可要求对端也切换）。'),
  EndOfEarlyData: d(`${R13} §4.5`, 'The client’s 0-RTT early data ends here.', '客户端的 0-RTT 早期数据到此结束。'),
  HelloRequest: d(`${R12} §7.4.1.1`, 'TLS 1.2: the server asks the client to start a new handshake (renegotiation).', 'TLS 1.2：服务器请求客户端发起新一轮握手（重新协商）。'),
  CertificateStatus: d('RFC 6066 §8', 'A stapled OCSP response about the server’s certificate.', '装订的 OCSP 响应，说明服务器证书的吊销状态。'),
  CompressedCertificate: d('RFC 8879 §4', 'A Certificate message, compressed.', '经过压缩的 Certificate 消息。'),
  MessageHash: d(`${R13} §4.4.1`, 'Synthetic message replacing the first ClientHello in the transcript after a HelloRetryRequest.', '在 HelloRetryRequest 之后，代替第一个 ClientHello 进入握手记录的合成消息。'),
  ChangeCipherSpec: d(`${R12} §7.1`, 'TLS 1.2: from the next record on, this side encrypts. In TLS 1.3 it is sent only for middlebox compatibility and has no effect.', 'TLS 1.2：从下一条记录起该方开始加密。TLS 1.3 中仅为兼容中间设备而发送，没有实际作用。'),
  Alert: d(`${R13} §6`, 'A warning or fatal error, or close_notify at a normal close.', '警告或致命错误；正常关闭时为 close_notify。'),
  ApplicationData: d(`${R13} §5.1`, 'Application bytes (here HTTP carrying CWMP SOAP), protected by the record layer.', '应用层数据（这里是承载 CWMP SOAP 的 HTTP），受记录层保护。'),
  EncryptedHandshakeMessage: d(`${R12} §6.2.3`, 'A handshake message encrypted on the wire; without its key it stays ciphertext.', '线路上被加密的握手消息；没有密钥时只能看到密文。'),
  EncryptedAlert: d(`${R12} §6.2.3`, 'An alert encrypted on the wire; without its key it stays ciphertext.', '线路上被加密的告警；没有密钥时只能看到密文。'),
};

/** Extension nodes (`extensions` children), by extension name. */
const EXT: Readonly<Record<string, FieldDoc>> = {
  server_name: d('RFC 6066 §3', 'SNI: the host name the client wants to reach; the CPE sends the ACS name from its ACS URL.', 'SNI：客户端要访问的主机名；CPE 发送其 ACS URL 中的 ACS 主机名。'),
  max_fragment_length: d('RFC 6066 §4', 'Asks for smaller records (for constrained devices).', '请求更小的记录长度（适用于资源受限设备）。'),
  status_request: d('RFC 6066 §8', 'OCSP stapling: asks the server to include its certificate status (or carries it, in TLS 1.3 Certificate).', 'OCSP 装订：请求服务器附带证书状态（在 TLS 1.3 的 Certificate 中则直接携带状态）。'),
  supported_groups: d(`${R13} §4.2.7`, 'The (EC)DHE groups the client supports, most preferred first.', '客户端支持的 (EC)DHE 组，按偏好排序。'),
  ec_point_formats: d('RFC 8422 §5.1.2', 'TLS 1.2: the EC point encodings accepted (uncompressed is the only one used today).', 'TLS 1.2：可接受的椭圆曲线点编码（如今只用 uncompressed）。'),
  signature_algorithms: d(`${R13} §4.2.3`, 'The signature schemes the sender accepts in CertificateVerify (and ServerKeyExchange).', '发送方在 CertificateVerify（及 ServerKeyExchange）中接受的签名方案。'),
  signature_algorithms_cert: d(`${R13} §4.2.3`, 'The signature schemes the sender accepts in certificates, when different from signature_algorithms.', '发送方在证书中接受的签名方案（与 signature_algorithms 不同时才出现）。'),
  application_layer_protocol_negotiation: d('RFC 7301 §3.1', 'ALPN: the application protocols offered (client) or chosen (server).', 'ALPN：提供（客户端）或选定（服务器）的应用层协议。'),
  signed_certificate_timestamp: d('RFC 6962 §3.3.1', 'Certificate Transparency timestamps.', '证书透明度（CT）时间戳。'),
  padding: d('RFC 7685 §3', 'Zero bytes that pad the ClientHello to a size some middleboxes handle better.', '用零字节把 ClientHello 填充到某些中间设备更易处理的长度。'),
  encrypt_then_mac: d('RFC 7366 §2', 'TLS 1.2 CBC suites: MAC the ciphertext instead of the plaintext.', 'TLS 1.2 CBC 套件：对密文而不是明文计算 MAC。'),
  extended_master_secret: d('RFC 7627 §5.1', 'TLS 1.2: bind the master secret to the whole handshake (prevents the triple-handshake attack).', 'TLS 1.2：把主密钥与整个握手绑定（防御三次握手攻击）。'),
  compress_certificate: d('RFC 8879 §3', 'Certificate compression algorithms the sender can decompress.', '发送方能够解压的证书压缩算法。'),
  record_size_limit: d('RFC 8449 §4', 'The largest record the sender is willing to receive.', '发送方愿意接收的最大记录长度。'),
  session_ticket: d('RFC 5077 §3.2', 'TLS 1.2 session tickets: empty to ask for one, or a ticket to resume.', 'TLS 1.2 会话票据：为空表示请求票据，否则携带票据以恢复会话。'),
  pre_shared_key: d(`${R13} §4.2.11`, 'Resumption: the PSK identities offered (client) or the one chosen (server).', '会话恢复：提供（客户端）或选定（服务器）的 PSK 身份。'),
  early_data: d(`${R13} §4.2.10`, '0-RTT: the client sends data before the handshake ends (or how much a ticket allows).', '0-RTT：客户端在握手结束前就发送数据（或票据允许的早期数据量）。'),
  supported_versions: d(`${R13} §4.2.1`, 'The TLS versions offered (client) or the one selected (server) — the real version field of TLS 1.3.', '提供的（客户端）或选定的（服务器）TLS 版本——TLS 1.3 真正的版本字段。'),
  cookie: d(`${R13} §4.2.2`, 'A value from a HelloRetryRequest the client must echo back.', 'HelloRetryRequest 中的值，客户端必须原样回传。'),
  psk_key_exchange_modes: d(`${R13} §4.2.9`, 'How PSKs may be used: with a fresh (EC)DHE exchange (psk_dhe_ke) or alone.', 'PSK 的使用方式：配合新的 (EC)DHE 交换（psk_dhe_ke）或单独使用。'),
  certificate_authorities: d(`${R13} §4.2.4`, 'The CAs the sender trusts: a hint for which certificate chain to send.', '发送方信任的 CA：提示对端应发送哪条证书链。'),
  oid_filters: d(`${R13} §4.2.5`, 'Certificate extension values the server requires in the client certificate.', '服务器要求客户端证书具备的扩展取值。'),
  post_handshake_auth: d(`${R13} §4.2.6`, 'The client is willing to authenticate after the handshake.', '客户端愿意在握手之后再进行身份认证。'),
  key_share: d(`${R13} §4.2.8`, 'The (EC)DHE public keys: the client’s offers, or the server’s share in the chosen group.', '(EC)DHE 公钥：客户端提供的各个共享，或服务器在选定组中的共享。'),
  renegotiation_info: d('RFC 5746 §3.2', 'Secure renegotiation: binds a renegotiation to the previous handshake (empty on the first one).', '安全重新协商：将重新协商与上一次握手绑定（首次握手时为空）。'),
  encrypted_client_hello: d('RFC 9849 §5', 'Encrypted ClientHello (ECH): the real ClientHello, encrypted to the server.', '加密的 ClientHello（ECH）：用服务器公钥加密的真实 ClientHello。'),
};

const T: Readonly<Record<string, FieldDoc>> = {
  // ---- handshake header (RFC 8446 §4)
  msg_type: d(`${R13} §4`, 'Handshake message type (1 ClientHello, 2 ServerHello, 11 Certificate, …).', '握手消息类型（1 ClientHello、2 ServerHello、11 Certificate 等）。'),
  length: d(`${R13} §4`, 'Length of the message body in bytes (3 bytes, after this 4-byte header).', '消息体的字节长度（3 字节，位于 4 字节头部之后）。'),
  body: d(`${R13} §4`, 'The message body, not decoded.', '未解码的消息体。'),

  // ---- hellos
  'ClientHello.legacy_version': d(`${R13} §4.1.2`, 'Always TLS 1.2 (0x0303) for compatibility; the versions really offered are in supported_versions.', '出于兼容性总是 TLS 1.2（0x0303）；真正提供的版本在 supported_versions 中。'),
  'ServerHello.legacy_version': d(`${R13} §4.1.3`, 'TLS 1.2 (0x0303); a TLS 1.3 server says 1.3 in supported_versions instead.', 'TLS 1.2（0x0303）；TLS 1.3 服务器改在 supported_versions 中声明 1.3。'),
  'HelloRetryRequest.legacy_version': d(`${R13} §4.1.4`, 'TLS 1.2 (0x0303), as in every TLS 1.3 ServerHello.', 'TLS 1.2（0x0303），与所有 TLS 1.3 ServerHello 相同。'),
  'ClientHello.random': d(`${R13} §4.1.2`, '32 fresh random bytes from the client; they enter every key derived in this session.', '客户端生成的 32 字节新随机数；参与本次会话所有密钥的派生。'),
  'ServerHello.random': d(`${R13} §4.1.3`, '32 fresh random bytes from the server; the last 8 carry a downgrade sentinel when a 1.3 server negotiates less.', '服务器生成的 32 字节新随机数；TLS 1.3 服务器协商更低版本时，最后 8 字节带有降级标记。'),
  'HelloRetryRequest.random': d(`${R13} §4.1.3`, 'The fixed value SHA-256("HelloRetryRequest") that marks this ServerHello as a retry request.', '固定值 SHA-256("HelloRetryRequest")，标明这个 ServerHello 是重试请求。'),
  legacy_session_id: d(`${R13} §4.1.2`, 'TLS 1.2 session resumption id; TLS 1.3 clients send 32 random bytes for middlebox compatibility.', 'TLS 1.2 会话恢复 ID；TLS 1.3 客户端为兼容中间设备发送 32 个随机字节。'),
  legacy_session_id_echo: d(`${R13} §4.1.3`, 'The server echoes the client’s legacy_session_id.', '服务器原样回传客户端的 legacy_session_id。'),
  cipher_suites: d(`${R13} §4.1.2`, 'The cipher suites the client supports, most preferred first.', '客户端支持的密码套件，按偏好排序。'),
  'cipher_suites>cipher_suite': d(`${R13} §B.4`, 'One cipher suite offered: AEAD cipher and hash (TLS 1.3), plus key exchange and authentication in TLS 1.2.', '提供的一个密码套件：AEAD 算法与哈希（TLS 1.3），TLS 1.2 中还包括密钥交换与认证方式。'),
  cipher_suite: d(`${R13} §4.1.3`, 'The cipher suite the server chose from the client’s list.', '服务器从客户端列表中选定的密码套件。'),
  legacy_compression_methods: d(`${R13} §4.1.2`, 'Compression methods; only null (no compression) is allowed since CRIME.', '压缩方法；自 CRIME 攻击以来只允许 null（不压缩）。'),
  compression_method: d(`${R13} §4.1.2`, 'One compression method (null = none).', '一种压缩方法（null 表示不压缩）。'),
  legacy_compression_method: d(`${R13} §4.1.3`, 'The compression the server chose: always null.', '服务器选定的压缩方法：总是 null。'),
  extensions: d(`${R13} §4.2`, 'The extensions block: everything TLS added after the base hello.', '扩展块：TLS 在基本 hello 之后新增的所有内容。'),
  extension_type: d(`${R13} §4.2`, 'Which extension this is (IANA number).', '扩展的类型（IANA 编号）。'),
  extension_data: d(`${R13} §4.2`, 'Extension bytes this lab does not decode further.', '本实验不再进一步解码的扩展字节。'),

  // ---- extension contents
  server_name_list: d('RFC 6066 §3', 'The list of server names (one host name in practice).', '服务器名称列表（实际上只有一个主机名）。'),
  'server_name_list>server_name': d('RFC 6066 §3', 'One server name entry: its type and the name.', '一个服务器名称条目：类型与名称。'),
  name_type: d('RFC 6066 §3', 'Kind of name: 0 = host_name (DNS).', '名称类型：0 = host_name（DNS 主机名）。'),
  host_name: d('RFC 6066 §3', 'The DNS host name, ASCII, without a trailing dot.', 'DNS 主机名，ASCII 编码，不带结尾的点。'),
  name: d('RFC 6066 §3', 'A server name of a type other than host_name.', '非 host_name 类型的服务器名称。'),
  max_fragment_length: d('RFC 6066 §4', 'Requested maximum record size: 2^9, 2^10, 2^11 or 2^12 bytes.', '请求的最大记录长度：2^9、2^10、2^11 或 2^12 字节。'),
  status_type: d('RFC 6066 §8', 'Certificate status type: 1 = OCSP.', '证书状态类型：1 = OCSP。'),
  ocsp_response: d('RFC 6066 §8', 'A DER OCSP response about the certificate.', '关于该证书的 DER 编码 OCSP 响应。'),
  response: d('RFC 6066 §8', 'The stapled status response (DER OCSP).', '装订的状态响应（DER 编码 OCSP）。'),
  request: d('RFC 6066 §8', 'Status request bytes for a non-OCSP status type.', '非 OCSP 类型的状态请求字节。'),
  responder_id_list: d('RFC 6066 §8', 'OCSP responders the client trusts (empty: any).', '客户端信任的 OCSP 响应者（为空表示任意）。'),
  responder_id: d('RFC 6066 §8', 'One trusted OCSP responder (DER ResponderID).', '一个受信任的 OCSP 响应者（DER 编码 ResponderID）。'),
  request_extensions: d('RFC 6066 §8', 'OCSP request extensions (DER), e.g. a nonce.', 'OCSP 请求扩展（DER 编码），例如 nonce。'),
  named_group_list: d(`${R13} §4.2.7`, 'The key exchange groups supported (x25519, secp256r1, …).', '支持的密钥交换组（x25519、secp256r1 等）。'),
  named_group: d(`${R13} §4.2.7`, 'One key exchange group (elliptic curve or finite-field group).', '一个密钥交换组（椭圆曲线或有限域群）。'),
  ec_point_format_list: d('RFC 8422 §5.1.2', 'Accepted EC point formats.', '可接受的椭圆曲线点格式。'),
  ec_point_format: d('RFC 8422 §5.1.2', 'One EC point format.', '一种椭圆曲线点格式。'),
  supported_signature_algorithms: d(`${R13} §4.2.3`, 'Signature schemes accepted, most preferred first.', '可接受的签名方案，按偏好排序。'),
  signature_scheme: d(`${R13} §4.2.3`, 'One signature scheme: algorithm and hash (e.g. rsa_pss_rsae_sha256).', '一种签名方案：算法与哈希（如 rsa_pss_rsae_sha256）。'),
  protocol_name_list: d('RFC 7301 §3.1', 'ALPN protocol names (e.g. http/1.1).', 'ALPN 协议名列表（如 http/1.1）。'),
  protocol_name: d('RFC 7301 §3.1', 'One application protocol name.', '一个应用层协议名。'),
  padding: d('RFC 7685 §3', 'Padding bytes (all zero).', '填充字节（全为零）。'),
  algorithms: d('RFC 8879 §3', 'Certificate compression algorithms (zlib, brotli, zstd).', '证书压缩算法（zlib、brotli、zstd）。'),
  'algorithms>algorithm': d('RFC 8879 §3', 'One certificate compression algorithm.', '一种证书压缩算法。'),
  record_size_limit: d('RFC 8449 §4', 'The largest record plaintext the sender accepts, in bytes.', '发送方接受的最大记录明文长度（字节）。'),
  'session_ticket>ticket': d('RFC 5077 §3.2', 'A session ticket the client presents to resume.', '客户端为恢复会话出示的会话票据。'),
  selected_identity: d(`${R13} §4.2.11`, 'Index of the PSK identity the server accepted.', '服务器接受的 PSK 身份的序号。'),
  identities: d(`${R13} §4.2.11`, 'The PSK identities (tickets) the client offers.', '客户端提供的 PSK 身份（票据）。'),
  PskIdentity: d(`${R13} §4.2.11`, 'One PSK identity and its obfuscated age.', '一个 PSK 身份及其混淆后的票龄。'),
  identity: d(`${R13} §4.2.11`, 'The PSK identity: a ticket from NewSessionTicket, or an external PSK name.', 'PSK 身份：来自 NewSessionTicket 的票据，或外部 PSK 名称。'),
  obfuscated_ticket_age: d(`${R13} §4.2.11`, 'Ticket age in ms plus ticket_age_add (mod 2^32), so observers cannot link sessions.', '票龄（毫秒）加上 ticket_age_add（模 2^32），使观察者无法关联会话。'),
  binders: d(`${R13} §4.2.11`, 'HMACs over the partial ClientHello proving the client holds each PSK.', '对部分 ClientHello 计算的 HMAC，证明客户端持有各个 PSK。'),
  PskBinderEntry: d(`${R13} §4.2.11`, 'One binder: HMAC keyed from the PSK over the ClientHello so far.', '一个 binder：以 PSK 派生的密钥对目前的 ClientHello 计算的 HMAC。'),
  max_early_data_size: d(`${R13} §4.2.10`, 'How many bytes of 0-RTT data the client may send with this ticket.', '客户端凭此票据可发送的 0-RTT 数据字节数。'),
  versions: d(`${R13} §4.2.1`, 'The versions the client supports, most preferred first.', '客户端支持的版本，按偏好排序。'),
  version: d(`${R13} §4.2.1`, 'One protocol version (0x0304 = TLS 1.3).', '一个协议版本（0x0304 = TLS 1.3）。'),
  selected_version: d(`${R13} §4.2.1`, 'The version the server chose: this, not legacy_version, is the negotiated version.', '服务器选定的版本：协商出的版本以此为准，而不是 legacy_version。'),
  cookie: d(`${R13} §4.2.2`, 'Opaque state from the server, echoed by the client.', '服务器给出的不透明状态，由客户端回传。'),
  ke_modes: d(`${R13} §4.2.9`, 'PSK key exchange modes the client supports.', '客户端支持的 PSK 密钥交换模式。'),
  ke_mode: d(`${R13} §4.2.9`, 'psk_ke (PSK only) or psk_dhe_ke (PSK with (EC)DHE, forward secret).', 'psk_ke（仅 PSK）或 psk_dhe_ke（PSK 加 (EC)DHE，具备前向保密）。'),
  authorities: d(`${R13} §4.2.4`, 'Distinguished names of the CAs the sender trusts.', '发送方信任的 CA 的可分辨名称。'),
  DistinguishedName: d(`${R13} §4.2.4`, 'One CA name (DER X.501 Name); the peer should send a chain ending at this CA.', '一个 CA 名称（DER 编码 X.501 Name）；对端应发送以此 CA 为终点的证书链。'),
  renegotiated_connection: d('RFC 5746 §3.2', 'Finished verify_data of the previous handshake; empty on the first handshake.', '上一次握手的 Finished verify_data；首次握手时为空。'),
  client_shares: d(`${R13} §4.2.8`, 'The client’s key shares, one per group it guesses the server will pick.', '客户端的密钥共享，每个它猜测服务器会选的组各一个。'),
  KeyShareEntry: d(`${R13} §4.2.8`, 'A group and the sender’s ephemeral public key in it.', '一个组以及发送方在该组中的临时公钥。'),
  server_share: d(`${R13} §4.2.8`, 'The server’s ephemeral public key, in one of the client’s groups: with the client’s share it yields the shared secret.', '服务器的临时公钥（属于客户端提供的某个组）：与客户端的共享一起得出共享密钥。'),
  group: d(`${R13} §4.2.8`, 'The key exchange group of this share.', '此密钥共享所属的组。'),
  key_exchange: d(`${R13} §4.2.8`, 'The ephemeral public key (x25519: 32 bytes; P-256: 65-byte uncompressed point).', '临时公钥（x25519：32 字节；P-256：65 字节未压缩点）。'),
  selected_group: d(`${R13} §4.2.8`, 'HelloRetryRequest: the group the client must send a key share for.', 'HelloRetryRequest：客户端必须为之发送密钥共享的组。'),

  // ---- Certificate (TLS 1.3 §4.4.2, TLS 1.2 §7.4.2) and the X.509 summary (RFC 5280 §4.1)
  certificate_request_context: d(`${R13} §4.4.2`, 'Echo of the CertificateRequest’s context; empty during the handshake.', 'CertificateRequest 上下文的回显；握手期间为空。'),
  'CertificateRequest.certificate_request_context': d(`${R13} §4.3.2`, 'An identifier the client echoes in its Certificate; empty during the handshake.', '客户端会在其 Certificate 中回显的标识；握手期间为空。'),
  certificate_list: d(`${R13} §4.4.2`, 'The chain: the sender’s own certificate first, then each issuer up toward (not necessarily including) the root.', '证书链：先是发送方自己的证书，然后是逐级的颁发者，直到（不一定包含）根证书。'),
  CertificateEntry: d(`${R13} §4.4.2`, 'One certificate of the chain with its per-certificate extensions.', '证书链中的一张证书及其逐证书扩展。'),
  'ASN.1Cert': d(`${R12} §7.4.2`, 'One DER-encoded X.509 certificate of the chain.', '证书链中的一张 DER 编码 X.509 证书。'),
  cert_data: d('RFC 5280 §4.1', 'The DER-encoded X.509 certificate.', 'DER 编码的 X.509 证书。'),
  'CertificateEntry>extensions': d(`${R13} §4.4.2`, 'Extensions for this certificate (OCSP status, SCTs); usually none.', '针对这张证书的扩展（OCSP 状态、SCT）；通常为空。'),
  subject: d('RFC 5280 §4.1.2.6', 'Whom the certificate names: the owner of the public key.', '证书所标识的主体：公钥的所有者。'),
  issuer: d('RFC 5280 §4.1.2.4', 'The CA that signed this certificate; must equal its issuer’s subject.', '签发此证书的 CA；必须与颁发者证书的 subject 相同。'),
  serialNumber: d('RFC 5280 §4.1.2.2', 'Unique per issuer; CRLs revoke certificates by this number.', '在同一颁发者下唯一；CRL 按此编号吊销证书。'),
  validity: d('RFC 5280 §4.1.2.5', 'The period in which the certificate may be used.', '证书可被使用的时间段。'),
  notBefore: d('RFC 5280 §4.1.2.5', 'Not valid before this time.', '在此时间之前无效。'),
  notAfter: d('RFC 5280 §4.1.2.5', 'Not valid after this time (expired afterwards).', '在此时间之后无效（过期）。'),
  subjectPublicKeyInfo: d('RFC 5280 §4.1.2.7', 'The subject’s public key and its algorithm (RSA 2048 bits, EC P-256, …).', '主体的公钥及其算法（RSA 2048 位、EC P-256 等）。'),
  subjectAltName: d('RFC 5280 §4.2.1.6', 'The names the certificate is valid for (DNS names, IP addresses); hostname checks use these.', '证书适用的名称（DNS 名、IP 地址）；主机名检查以此为准。'),
  GeneralName: d('RFC 5280 §4.2.1.6', 'One name in the SAN (DNS:, IP:, URI:, email:).', 'SAN 中的一个名称（DNS:、IP:、URI:、email:）。'),
  keyUsage: d('RFC 5280 §4.2.1.3', 'What the key may do: digitalSignature, keyEncipherment, keyCertSign, cRLSign, …', '密钥允许的用途：digitalSignature、keyEncipherment、keyCertSign、cRLSign 等。'),
  extendedKeyUsage: d('RFC 5280 §4.2.1.12', 'The purposes: serverAuth for the ACS, clientAuth for the CPE.', '证书用途：ACS 需要 serverAuth，CPE 需要 clientAuth。'),
  basicConstraints: d('RFC 5280 §4.2.1.9', 'CA:TRUE lets the key sign certificates; pathlen limits how many CAs may follow below.', 'CA:TRUE 表示该密钥可签发证书；pathlen 限制其下还能有几级 CA。'),
  x509_extensions: d('RFC 5280 §4.2', 'The certificate’s v3 extensions.', '证书的 v3 扩展。'),
  extension: d('RFC 5280 §4.2', 'One X.509 extension (OID; critical ones must be understood or the certificate rejected).', '一个 X.509 扩展（OID；关键扩展若无法理解则必须拒绝证书）。'),
  signatureAlgorithm: d('RFC 5280 §4.1.1.2', 'The algorithm the issuer signed this certificate with.', '颁发者签署此证书所用的算法。'),

  // ---- CertificateRequest (TLS 1.2 §7.4.4)
  certificate_types: d(`${R12} §7.4.4`, 'TLS 1.2: the kinds of client certificate key accepted (rsa_sign, ecdsa_sign).', 'TLS 1.2：接受的客户端证书密钥类型（rsa_sign、ecdsa_sign）。'),
  certificate_type: d(`${R12} §7.4.4`, 'One accepted client certificate type.', '一种可接受的客户端证书类型。'),
  certificate_authorities: d(`${R12} §7.4.4`, 'TLS 1.2: names of the CAs whose certificates the server accepts.', 'TLS 1.2：服务器接受其所签发证书的 CA 名称。'),
  'CertificateRequest.supported_signature_algorithms': d(`${R12} §7.4.4`, 'TLS 1.2: signature schemes the server accepts in the client’s CertificateVerify.', 'TLS 1.2：服务器在客户端 CertificateVerify 中接受的签名方案。'),

  // ---- key exchange (TLS 1.2)
  ServerECDHParams: d('RFC 8422 §5.4', 'The curve and the server’s ephemeral ECDH public key.', '曲线以及服务器的临时 ECDH 公钥。'),
  curve_params: d('RFC 8422 §5.4', 'Which curve: named_curve and its id.', '使用哪条曲线：named_curve 及其编号。'),
  curve_type: d('RFC 8422 §5.4', 'How the curve is given: 3 = named_curve (the only one allowed).', '曲线的给出方式：3 = named_curve（唯一允许的方式）。'),
  namedcurve: d('RFC 8422 §5.4', 'The named curve (x25519, secp256r1, …).', '命名曲线（x25519、secp256r1 等）。'),
  public: d('RFC 8422 §5.4', 'The server’s ephemeral ECDH public key (point).', '服务器的临时 ECDH 公钥（点）。'),
  ServerDHParams: d(`${R12} §7.4.3`, 'Finite-field Diffie-Hellman parameters and the server’s public value.', '有限域 Diffie-Hellman 参数以及服务器的公开值。'),
  dh_p: d(`${R12} §7.4.3`, 'The DH prime modulus.', 'DH 素数模数。'),
  dh_g: d(`${R12} §7.4.3`, 'The DH generator.', 'DH 生成元。'),
  dh_Ys: d(`${R12} §7.4.3`, 'The server’s DH public value.', '服务器的 DH 公开值。'),
  psk_identity_hint: d('RFC 4279 §2', 'A hint which PSK identity the client should use.', '提示客户端应使用哪个 PSK 身份。'),
  params: d(`${R12} §7.4.3`, 'Key exchange parameters for a method this lab does not decode.', '本实验不解码的密钥交换方式的参数。'),
  signed_params: d('RFC 8422 §5.4', 'Signature over client random, server random and the ECDH parameters, with the certificate’s key: proves the server owns the certificate.', '用证书私钥对客户端随机数、服务器随机数和 ECDH 参数的签名：证明服务器持有该证书。'),
  'signed_params>algorithm': d(`${R12} §7.4.1.4.1`, 'Signature scheme (hash and signature algorithm) of the ServerKeyExchange signature.', 'ServerKeyExchange 签名所用的签名方案（哈希与签名算法）。'),
  'signed_params>signature': d(`${R12} §4.7`, 'The signature bytes over the randoms and ECDH parameters.', '对随机数与 ECDH 参数所做签名的字节。'),
  ecdh_Yc: d('RFC 8422 §5.7', 'The client’s ephemeral ECDH public key.', '客户端的临时 ECDH 公钥。'),
  EncryptedPreMasterSecret: d(`${R12} §7.4.7.1`, 'Static RSA: 48 random bytes encrypted to the server’s RSA key. Whoever has that key later can decrypt the session (no forward secrecy).', '静态 RSA：用服务器 RSA 公钥加密的 48 字节随机数。日后获得该私钥的人即可解密此会话（无前向保密）。'),
  dh_Yc: d(`${R12} §7.4.7.2`, 'The client’s DH public value.', '客户端的 DH 公开值。'),
  exchange_keys: d(`${R12} §7.4.7`, 'Key exchange bytes for a method this lab does not decode.', '本实验不解码的密钥交换方式的字节。'),

  // ---- CertificateVerify, Finished
  'CertificateVerify.algorithm': d(`${R13} §4.4.3`, 'The signature scheme used, one the peer offered in signature_algorithms.', '所用签名方案，必须是对端在 signature_algorithms 中提供的之一。'),
  'CertificateVerify.signature': d(`${R13} §4.4.3`, 'Signature over the transcript hash with the certificate’s private key: proves this side holds the key.', '用证书私钥对握手记录哈希所做的签名：证明该方持有私钥。'),
  verify_data: d(`${R13} §4.4.4`, 'HMAC of the transcript hash with the finished key (TLS 1.2: 12-byte PRF output). A MITM changing any byte breaks it.', '用 finished 密钥对握手记录哈希计算的 HMAC（TLS 1.2：12 字节 PRF 输出）。中间人改动任何字节都会使其失效。'),

  // ---- NewSessionTicket, KeyUpdate
  ticket_lifetime: d(`${R13} §4.6.1`, 'Seconds the ticket may be used (at most 7 days).', '票据可使用的秒数（最多 7 天）。'),
  ticket_age_add: d(`${R13} §4.6.1`, 'Random value added to the ticket age to hide it on the wire.', '加到票龄上的随机值，用于在线路上隐藏票龄。'),
  ticket_nonce: d(`${R13} §4.6.1`, 'Per-ticket value: each ticket gets a different PSK.', '每张票据唯一的值：使每张票据派生出不同的 PSK。'),
  ticket: d(`${R13} §4.6.1`, 'The opaque ticket the client presents to resume (only the server can read it).', '客户端恢复会话时出示的不透明票据（只有服务器能读懂）。'),
  'NewSessionTicket.extensions': d(`${R13} §4.6.1`, 'Ticket extensions (early_data limit).', '票据扩展（early_data 上限）。'),
  ticket_lifetime_hint: d('RFC 5077 §3.3', 'TLS 1.2: seconds the ticket should be kept (0 = unspecified).', 'TLS 1.2：建议保存票据的秒数（0 表示未指定）。'),
  request_update: d(`${R13} §4.6.3`, 'update_requested (1): the peer must update its keys too; update_not_requested (0).', 'update_requested（1）：对端也必须更新密钥；update_not_requested（0）：不要求。'),

  // ---- CertificateStatus, CompressedCertificate, message_hash
  'CompressedCertificate.algorithm': d('RFC 8879 §4', 'The compression algorithm used.', '所用的压缩算法。'),
  uncompressed_length: d('RFC 8879 §4', 'Length of the Certificate message once decompressed.', '解压后 Certificate 消息的长度。'),
  compressed_certificate_message: d('RFC 8879 §4', 'The compressed Certificate message.', '压缩后的 Certificate 消息。'),
  hash: d(`${R13} §4.4.1`, 'Hash of the first ClientHello.', '第一个 ClientHello 的哈希。'),

  // ---- Alert, ChangeCipherSpec
  level: d(`${R13} §6`, 'warning (1) or fatal (2); in TLS 1.3 every alert but close_notify and user_canceled is fatal.', 'warning（1）或 fatal（2）；TLS 1.3 中除 close_notify 和 user_canceled 外都是致命的。'),
  description: d(`${R13} §6`, 'What happened: close_notify, bad_certificate (42), certificate_expired (45), unknown_ca (48), …', '发生了什么：close_notify、bad_certificate（42）、certificate_expired（45）、unknown_ca（48）等。'),
  'ChangeCipherSpec.type': d(`${R12} §7.1`, 'Always 1 (change_cipher_spec).', '总是 1（change_cipher_spec）。'),

  // ---- records as they are
  encrypted_record: d(`${R13} §5.2`, 'AEAD ciphertext and tag; without the key log we cannot read it.', 'AEAD 密文和认证标签；没有密钥日志就无法读取。'),
  application_data: d(`${R13} §5.1`, 'The decrypted application bytes (HTTP request or response carrying CWMP).', '解密后的应用层字节（承载 CWMP 的 HTTP 请求或响应）。'),
  fragment: d(`${R13} §5.1`, 'Record bytes that could not be decoded as this content type.', '无法按此内容类型解码的记录字节。'),
};

/** Names whose meaning depends on the message. */
const MESSAGE_FIELD: Readonly<Record<string, FieldDoc>> = Object.fromEntries(Object.entries(T).filter(([k]) => /^[A-Z]\w*\.\w/.test(k)));

/** Strip the `_length` suffix: `cipher_suites_length` → `cipher_suites`. */
function lengthBase(name: string): string | null {
  const m = /^(.+)_length$/.exec(name);
  return m ? m[1]! : null;
}

export interface DocContext {
  /** The message event's name (ClientHello …). */
  message: string;
  /** The parent field's name, when the field is nested. */
  parent?: string | undefined;
}

/** The explanation of one field; `source` says whether it came from the table, a rule or the generic text. */
export function fieldDoc(f: Pick<Field, 'name' | 'value' | 'children' | 'ref'>, ctx: DocContext): { doc: FieldDoc; source: DocSource } {
  const { name } = f;
  const hit =
    MESSAGE_FIELD[`${ctx.message}.${name}`] ??
    (ctx.parent !== undefined ? T[`${ctx.parent}>${name}`] : undefined) ??
    (ctx.parent === 'extensions' ? EXT[name] : undefined) ??
    (Object.hasOwn(T, name) ? T[name] : undefined);
  if (hit) return { doc: hit, source: 'exact' };

  const base = lengthBase(name);
  if (base !== null && name !== 'max_fragment_length') {
    return {
      doc: {
        en: `Length prefix: how many bytes of ${base} follow.`,
        zh: `长度前缀：其后 ${base} 的字节数。`,
        ref: f.ref ?? `${R13} §3.4`,
      },
      source: 'pattern',
    };
  }
  if (ctx.parent === 'extensions') {
    return {
      doc: {
        en: `Extension ${name}: not decoded by this lab (GREASE values test that peers ignore unknown extensions).`,
        zh: `扩展 ${name}：本实验不解码（GREASE 值用于测试对端能否忽略未知扩展）。`,
        ref: f.ref ?? `${R13} §4.2`,
      },
      source: 'pattern',
    };
  }
  const shape = f.children?.length
    ? { en: `A structure of ${f.children.length} parts.`, zh: `由 ${f.children.length} 个部分组成的结构。` }
    : typeof f.value === 'number'
      ? { en: 'A number.', zh: '一个数值。' }
      : { en: 'Raw bytes.', zh: '原始字节。' };
  return { doc: { ...shape, ref: f.ref ?? '' }, source: 'fallback' };
}

/** The explanation of a whole message (by event name), or null when unknown. */
export function messageDoc(name: string): FieldDoc | null {
  return MESSAGE_DOCS[name] ?? null;
}

/** Every key of the table (tests). */
export function documentedNames(): string[] {
  return [...Object.keys(T), ...Object.keys(EXT).map((k) => `ext:${k}`)];
}
