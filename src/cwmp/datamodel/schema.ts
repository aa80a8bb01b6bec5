/**
 * A realistic subset of the TR-181 Issue 2 (Device:2) data model for a home router,
 * as served by the CPE over CWMP. Types, sizes, ranges, enumerations, writability,
 * forcedInform and activeNotify facets follow the Broadband Forum definitions
 * (tr-181-2-*-cwmp.xml) for the parameters included here.
 *
 * Names use "{i}" for multi-instance tables (TR-106 §3.1). Objects are listed parent
 * before child; within an object the order of `params` is the order GPN/GPV report.
 */
import type { DefaultContext, ParamDef } from './types.ts';

export interface ObjectDef {
  /** Generic partial path, e.g. 'Device.WiFi.SSID.{i}.' (multi) or 'Device.WiFi.' (single). */
  path: string;
  /** Multi-instance table (path ends in '.{i}.'). */
  multi: boolean;
  /** ACS may AddObject on the table and DeleteObject on its instances. */
  writable: boolean;
  /** Generic full name of the *NumberOfEntries parameter counting this table's instances. */
  numEntries?: string;
  /** Maximum number of instances (AddObject beyond → 9004 Resources exceeded). */
  maxEntries?: number;
  /** Parameters, by relative name. */
  params: Readonly<Record<string, ParamDef>>;
}

// ---------------------------------------------------------------------------
// helpers
type Def = ParamDef['default'];
type Extra = Partial<ParamDef>;

const str = (max: number | undefined, d: Def = '', x: Extra = {}): ParamDef => ({
  type: 'string', writable: false, default: d, ...(max !== undefined ? { maxLength: max } : {}), ...x,
});
const uint = (d: Def = '0', x: Extra = {}): ParamDef => ({ type: 'unsignedInt', writable: false, default: d, ...x });
const ulong = (d: Def = '0', x: Extra = {}): ParamDef => ({ type: 'unsignedLong', writable: false, default: d, ...x });
const int = (d: Def = '0', x: Extra = {}): ParamDef => ({ type: 'int', writable: false, default: d, ...x });
const bool = (d: Def = 'false', x: Extra = {}): ParamDef => ({ type: 'boolean', writable: false, default: d, ...x });
const dt = (d: Def = UNKNOWN_TIME, x: Extra = {}): ParamDef => ({ type: 'dateTime', writable: false, default: d, ...x });
const hex = (max: number | undefined, d: Def = '', x: Extra = {}): ParamDef => ({
  type: 'hexBinary', writable: false, default: d, ...(max !== undefined ? { maxLength: max } : {}), ...x,
});
/** Mark writable. */
const W = (p: ParamDef): ParamDef => ({ ...p, writable: true });
/** A *NumberOfEntries counter: derived from the table, read-only. */
const entries = (): ParamDef => uint('0', { derived: true });
/** Stats counters: frequently changing, CPE may deny active notification. */
const counter32 = (): ParamDef => uint('0', { activeNotify: 'canDeny' });
const counter64 = (): ParamDef => ulong('0', { activeNotify: 'canDeny' });

/** TR-069 "Unknown Time" (TR-106 §3.2.1: 0001-01-01T00:00:00Z). */
export const UNKNOWN_TIME = '0001-01-01T00:00:00Z';

// TR-181 named data types -----------------------------------------------------
const IPV4 = /|((25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])/;
const MAC = /|([0-9A-Fa-f][0-9A-Fa-f]:){5}([0-9A-Fa-f][0-9A-Fa-f])/;
const ipv4Address = (d: Def = '', x: Extra = {}) => str(15, d, { pattern: IPV4, ...x });
const macAddress = (d: Def = '', x: Extra = {}) => str(17, d, { pattern: MAC, ...x });
const alias = (prefix = 'cpe-') => W(str(64, (c: DefaultContext) => `${prefix}${c.instance.at(-1) ?? 1}`));
const lowerLayers = (d: Def = '') => W(str(1024, d, { list: true }));

const IF_STATUS = ['Up', 'Down', 'Unknown', 'Dormant', 'NotPresent', 'LowerLayerDown', 'Error'] as const;
const FREQ_BANDS = ['2.4GHz', '5GHz', '6GHz'] as const;
const WIFI_STANDARDS = ['a', 'b', 'g', 'n', 'ac', 'ax', 'be'] as const;
const BANDWIDTHS = ['20MHz', '40MHz', '80MHz', '160MHz', '320MHz', 'Auto'] as const;
const SECURITY_MODES = [
  'None', 'WEP-64', 'WEP-128', 'WPA-Personal', 'WPA2-Personal', 'WPA3-Personal',
  'WPA-WPA2-Personal', 'WPA3-Personal-Transition', 'WPA-Enterprise', 'WPA2-Enterprise',
  'WPA3-Enterprise', 'WPA-WPA2-Enterprise',
] as const;

/** Build a MAC address from the device OUI ("00259E") and a 24-bit suffix. */
export function macFromOui(oui: string, suffix: number): string {
  const o = (oui + '000000').slice(0, 6).toUpperCase();
  const s = (suffix & 0xffffff).toString(16).toUpperCase().padStart(6, '0');
  const hexs = o + s;
  return hexs.match(/../g)!.join(':');
}

/** Expand a TR-181 channel list ("1-13" or "36,40,44") to numbers. */
export function expandChannelList(list: string): number[] {
  const out: number[] = [];
  for (const part of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)-(\d+)$/.exec(part);
    if (m) for (let c = Number(m[1]); c <= Number(m[2]); c++) out.push(c);
    else if (/^\d+$/.test(part)) out.push(Number(part));
  }
  return out;
}

const inList = (sibling: string, what: string) => (value: string, get: (n: string) => string | undefined) => {
  const allowed = (get(sibling) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const badItem = items.find((i) => !allowed.includes(i));
  return badItem === undefined ? null : `${what} '${badItem}' not in ${sibling} (${allowed.join(',')})`;
};

// ---------------------------------------------------------------------------
export const OBJECTS: readonly ObjectDef[] = [
  {
    path: 'Device.', multi: false, writable: false,
    params: {
      RootDataModelVersion: str(32, '2.15', { forcedInform: true }),
    },
  },
  {
    path: 'Device.DeviceInfo.', multi: false, writable: false,
    params: {
      Manufacturer: str(64, (c) => c.identity.manufacturer),
      ManufacturerOUI: str(6, (c) => c.identity.oui, { minLength: 6, pattern: /[0-9A-F]{6}/ }),
      ModelName: str(64, 'HL-AX3000'),
      Description: str(256, 'Handshake Lab dual-band Wi-Fi 6 home gateway'),
      ProductClass: str(64, (c) => c.identity.productClass),
      SerialNumber: str(64, (c) => c.identity.serialNumber),
      HardwareVersion: str(64, 'HW-1.2', { forcedInform: true }),
      SoftwareVersion: str(64, '4.2.1-build.1187', { forcedInform: true, activeNotify: 'forceDefaultEnabled' }),
      AdditionalHardwareVersion: str(64, 'WIFI-BCM6755', { list: true }),
      AdditionalSoftwareVersion: str(64, 'bootloader-2.0.3', { list: true }),
      ProvisioningCode: W(str(64, '', { forcedInform: true, activeNotify: 'forceDefaultEnabled' })),
      UpTime: uint('0', { derived: true, activeNotify: 'canDeny' }),
      FirstUseDate: dt('2024-03-01T09:30:00Z'),
    },
  },
  {
    path: 'Device.DeviceInfo.MemoryStatus.', multi: false, writable: false,
    params: {
      Total: uint('524288'),
      Free: uint('301204', { activeNotify: 'canDeny' }),
    },
  },
  {
    path: 'Device.DeviceInfo.ProcessStatus.', multi: false, writable: false,
    params: {
      CPUUsage: uint('7', { range: { max: 100 }, activeNotify: 'canDeny' }),
    },
  },
  {
    path: 'Device.ManagementServer.', multi: false, writable: false,
    params: {
      EnableCWMP: W(bool('true')),
      URL: W(str(256, 'https://acs.handshake.lab:7548/cwmp')),
      Username: W(str(256, (c) => `${c.identity.oui}-${c.identity.serialNumber}`)),
      Password: W(str(256, 'cpe-secret', { hidden: true })),
      PeriodicInformEnable: W(bool('true')),
      PeriodicInformInterval: W(uint('3600', { range: { min: 1 } })),
      PeriodicInformTime: W(dt(UNKNOWN_TIME)),
      ParameterKey: str(32, '', { forcedInform: true, activeNotify: 'canDeny' }),
      ConnectionRequestURL: str(256, (c) => `http://203.0.113.42:7547/cr/${c.identity.serialNumber}`, {
        forcedInform: true, activeNotify: 'forceDefaultEnabled',
      }),
      ConnectionRequestUsername: W(str(256, (c) => `cr-${c.identity.serialNumber}`)),
      ConnectionRequestPassword: W(str(256, 'cr-secret', { hidden: true })),
      UpgradesManaged: W(bool('false')),
      DefaultActiveNotificationThrottle: W(uint('0')),
      CWMPRetryMinimumWaitInterval: W(uint('5', { range: { min: 1, max: 65535 } })),
      CWMPRetryIntervalMultiplier: W(uint('2000', { range: { min: 1000, max: 65535 } })),
      AliasBasedAddressing: bool('false', { forcedInform: true }),
      InstanceMode: W(str(undefined, 'InstanceNumber', { enum: ['InstanceNumber', 'InstanceAlias'] })),
      AutoCreateInstances: W(bool('false')),
      UDPConnectionRequestAddress: str(256, ''),
      STUNEnable: W(bool('false')),
      InformParameterNumberOfEntries: entries(),
    },
  },
  {
    path: 'Device.ManagementServer.InformParameter.{i}.', multi: true, writable: true, maxEntries: 16,
    numEntries: 'Device.ManagementServer.InformParameterNumberOfEntries',
    params: {
      Enable: W(bool('false')),
      Alias: alias(),
      ParameterName: W(str(256, '')),
      EventList: W(str(undefined, '', { list: true, maxLength: 1024 })),
    },
  },
  {
    path: 'Device.Time.', multi: false, writable: false,
    params: {
      Enable: W(bool('true')),
      Status: str(undefined, 'Synchronized', {
        enum: ['Disabled', 'Unsynchronized', 'Synchronized', 'Error_FailedToSynchronize', 'Error'],
      }),
      NTPServer1: W(str(64, 'pool.ntp.org')),
      NTPServer2: W(str(64, 'time.cloudflare.com')),
      NTPServer3: W(str(64, '')),
      CurrentLocalTime: dt(UNKNOWN_TIME, { derived: true, activeNotify: 'canDeny' }),
      LocalTimeZone: W(str(256, 'CET-1CEST,M3.5.0,M10.5.0/3')),
    },
  },
  {
    path: 'Device.WiFi.', multi: false, writable: false,
    params: {
      RadioNumberOfEntries: entries(),
      SSIDNumberOfEntries: entries(),
      AccessPointNumberOfEntries: entries(),
    },
  },
  {
    // Radios are physical: the ACS cannot add or delete them.
    path: 'Device.WiFi.Radio.{i}.', multi: true, writable: false,
    numEntries: 'Device.WiFi.RadioNumberOfEntries',
    params: {
      Enable: W(bool('true')),
      Status: str(undefined, 'Up', { enum: IF_STATUS }),
      Alias: alias(),
      Name: str(64, (c) => `wifi${(c.instance[0] ?? 1) - 1}`),
      LastChange: uint('0', { activeNotify: 'canDeny' }),
      LowerLayers: lowerLayers(),
      Upstream: bool('false'),
      MaxBitRate: uint('574'),
      SupportedFrequencyBands: str(undefined, '2.4GHz', { list: true, enum: FREQ_BANDS }),
      OperatingFrequencyBand: W(str(undefined, '2.4GHz', {
        enum: FREQ_BANDS, check: inList('SupportedFrequencyBands', 'band'),
      })),
      SupportedStandards: str(undefined, 'b,g,n,ax', { list: true, enum: WIFI_STANDARDS }),
      OperatingStandards: W(str(undefined, 'g,n,ax', {
        list: true, enum: WIFI_STANDARDS, check: inList('SupportedStandards', 'standard'),
      })),
      PossibleChannels: str(1024, '1-13', { list: true }),
      Channel: W(uint('6', {
        range: { min: 1, max: 255 },
        check: (v, get) =>
          expandChannelList(get('PossibleChannels') ?? '').includes(Number(v))
            ? null : `channel ${v} not in PossibleChannels (${get('PossibleChannels') ?? ''})`,
      })),
      AutoChannelSupported: bool('true'),
      AutoChannelEnable: W(bool('true')),
      OperatingChannelBandwidth: W(str(undefined, '20MHz', { enum: BANDWIDTHS })),
      TransmitPowerSupported: str(64, '-1,25,50,75,100', { list: true, pattern: /-1|[0-9]|[1-9][0-9]|100/ }),
      TransmitPower: W(int('-1', { range: { min: -1, max: 100 } })),
      RegulatoryDomain: W(str(3, 'DE ', { minLength: 3, pattern: /[A-Z][A-Z][ OI]/ })),
    },
  },
  {
    path: 'Device.WiFi.SSID.{i}.', multi: true, writable: true, maxEntries: 8,
    numEntries: 'Device.WiFi.SSIDNumberOfEntries',
    params: {
      Enable: W(bool('false')),
      Status: str(undefined, 'Down', { enum: IF_STATUS }),
      Alias: alias(),
      Name: str(64, (c) => `wl${c.instance[0] ?? 1}`),
      LastChange: uint('0', { activeNotify: 'canDeny' }),
      LowerLayers: lowerLayers('Device.WiFi.Radio.1.'),
      BSSID: macAddress((c) => macFromOui(c.identity.oui, 0x100 + (c.instance[0] ?? 0))),
      MACAddress: macAddress((c) => macFromOui(c.identity.oui, 0x100 + (c.instance[0] ?? 0))),
      SSID: W(str(32, '')),
      Upstream: bool('false'),
    },
  },
  {
    path: 'Device.WiFi.SSID.{i}.Stats.', multi: false, writable: false,
    params: {
      BytesSent: counter64(),
      BytesReceived: counter64(),
      PacketsSent: counter64(),
      PacketsReceived: counter64(),
      ErrorsSent: counter32(),
      ErrorsReceived: counter32(),
    },
  },
  {
    path: 'Device.WiFi.AccessPoint.{i}.', multi: true, writable: true, maxEntries: 8,
    numEntries: 'Device.WiFi.AccessPointNumberOfEntries',
    params: {
      Enable: W(bool('false')),
      Status: str(undefined, 'Disabled', { enum: ['Disabled', 'Enabled', 'Error_Misconfigured', 'Error'] }),
      Alias: alias(),
      SSIDReference: W(str(256, '')),
      SSIDAdvertisementEnabled: W(bool('true')),
      IsolationEnable: W(bool('false')),
      MaxAssociatedDevices: W(uint('32')),
      WMMEnable: W(bool('true')),
    },
  },
  {
    path: 'Device.WiFi.AccessPoint.{i}.Security.', multi: false, writable: false,
    params: {
      ModesSupported: str(undefined, 'None,WPA2-Personal,WPA3-Personal,WPA3-Personal-Transition,WPA2-Enterprise', {
        list: true, enum: SECURITY_MODES,
      }),
      ModeEnabled: W(str(undefined, 'WPA2-Personal', {
        enum: SECURITY_MODES, check: inList('ModesSupported', 'mode'),
      })),
      WEPKey: W(hex(13, '', {
        hidden: true,
        check: (v) => (v === '' || v.length === 10 || v.length === 26 ? null : 'WEP key must be 5 or 13 bytes'),
      })),
      PreSharedKey: W(hex(32, '', { hidden: true })),
      KeyPassphrase: W(str(63, 'handshake-lab-wifi', { minLength: 8, hidden: true })),
      SAEPassphrase: W(str(undefined, '', { hidden: true })),
      RekeyingInterval: W(uint('3600')),
      MFPConfig: W(str(undefined, 'Optional', { enum: ['Disabled', 'Optional', 'Required'] })),
    },
  },
  {
    path: 'Device.IP.', multi: false, writable: false,
    params: {
      IPv4Capable: bool('true'),
      IPv4Enable: W(bool('true')),
      IPv4Status: str(undefined, 'Enabled', { enum: ['Disabled', 'Enabled', 'Error'] }),
      InterfaceNumberOfEntries: entries(),
    },
  },
  {
    path: 'Device.IP.Interface.{i}.', multi: true, writable: true, maxEntries: 8,
    numEntries: 'Device.IP.InterfaceNumberOfEntries',
    params: {
      Enable: W(bool('false')),
      IPv4Enable: W(bool('true')),
      Status: str(undefined, 'Down', { enum: IF_STATUS }),
      Alias: alias(),
      Name: str(64, (c) => `ip${c.instance[0] ?? 1}`),
      LastChange: uint('0', { activeNotify: 'canDeny' }),
      LowerLayers: lowerLayers(),
      MaxMTUSize: W(uint('1500', { range: { min: 64, max: 65535 } })),
      Type: str(undefined, 'Normal', { enum: ['Normal', 'Loopback', 'Tunnel', 'Tunneled'] }),
      IPv4AddressNumberOfEntries: entries(),
    },
  },
  {
    path: 'Device.IP.Interface.{i}.IPv4Address.{i}.', multi: true, writable: true, maxEntries: 4,
    numEntries: 'Device.IP.Interface.{i}.IPv4AddressNumberOfEntries',
    params: {
      Enable: W(bool('false')),
      Status: str(undefined, 'Disabled', { enum: ['Disabled', 'Enabled', 'Error_Misconfigured', 'Error'] }),
      Alias: alias(),
      IPAddress: W(ipv4Address('')),
      SubnetMask: W(ipv4Address('')),
      AddressingType: str(undefined, 'Static', { enum: ['DHCP', 'AutoIP', 'IKEv2', 'Static'] }),
    },
  },
  {
    path: 'Device.Hosts.', multi: false, writable: false,
    params: {
      HostNumberOfEntries: entries(),
    },
  },
  {
    // Learned by the CPE (DHCP / ARP); the ACS cannot add or delete hosts.
    path: 'Device.Hosts.Host.{i}.', multi: true, writable: false,
    numEntries: 'Device.Hosts.HostNumberOfEntries',
    params: {
      Alias: alias(),
      PhysAddress: str(64, ''),
      IPAddress: str(45, ''),
      AddressSource: str(undefined, 'DHCP', { enum: ['DHCP', 'Static', 'AutoIP', 'None'] }),
      LeaseTimeRemaining: int('0', { range: { min: -1 }, activeNotify: 'canDeny' }),
      Layer1Interface: str(256, ''),
      Layer3Interface: str(256, 'Device.IP.Interface.2.'),
      HostName: str(64, ''),
      Active: bool('true'),
    },
  },
];

/**
 * Instances present after boot / factory reset, keyed by concrete instance path, with
 * values overriding the defaults (relative names). Parents are listed before children.
 */
export const INITIAL_INSTANCES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'Device.WiFi.Radio.1.': {},
  'Device.WiFi.Radio.2.': {
    MaxBitRate: '2402',
    SupportedFrequencyBands: '5GHz',
    OperatingFrequencyBand: '5GHz',
    SupportedStandards: 'a,n,ac,ax',
    OperatingStandards: 'a,n,ac,ax',
    PossibleChannels: '36,40,44,48,52,56,60,64,100,104,108,112,116,120,124,128,132,136,140',
    Channel: '36',
    OperatingChannelBandwidth: '80MHz',
  },
  'Device.WiFi.SSID.1.': { Enable: 'true', Status: 'Up', SSID: 'HandshakeLab', LowerLayers: 'Device.WiFi.Radio.1.' },
  'Device.WiFi.SSID.2.': { Enable: 'true', Status: 'Up', SSID: 'HandshakeLab-5G', LowerLayers: 'Device.WiFi.Radio.2.' },
  'Device.WiFi.SSID.3.': { Enable: 'false', Status: 'Down', SSID: 'HandshakeLab-Guest', LowerLayers: 'Device.WiFi.Radio.1.' },
  'Device.WiFi.AccessPoint.1.': { Enable: 'true', Status: 'Enabled', SSIDReference: 'Device.WiFi.SSID.1.' },
  'Device.WiFi.AccessPoint.1.Security.': {},
  'Device.WiFi.AccessPoint.2.': { Enable: 'true', Status: 'Enabled', SSIDReference: 'Device.WiFi.SSID.2.' },
  'Device.WiFi.AccessPoint.2.Security.': { ModeEnabled: 'WPA3-Personal-Transition' },
  'Device.WiFi.AccessPoint.3.': { SSIDReference: 'Device.WiFi.SSID.3.', IsolationEnable: 'true' },
  'Device.WiFi.AccessPoint.3.Security.': { KeyPassphrase: 'guest-wifi-pass' },
  'Device.IP.Interface.1.': { Enable: 'true', Status: 'Up', Alias: 'cpe-WAN', Name: 'wan', LowerLayers: 'Device.Ethernet.Link.1.' },
  'Device.IP.Interface.1.IPv4Address.1.': {
    Enable: 'true', Status: 'Enabled', IPAddress: '203.0.113.42', SubnetMask: '255.255.255.0', AddressingType: 'DHCP',
  },
  'Device.IP.Interface.2.': { Enable: 'true', Status: 'Up', Alias: 'cpe-LAN', Name: 'br-lan', LowerLayers: 'Device.Bridging.Bridge.1.Port.1.' },
  'Device.IP.Interface.2.IPv4Address.1.': {
    Enable: 'true', Status: 'Enabled', IPAddress: '192.168.1.1', SubnetMask: '255.255.255.0', AddressingType: 'Static',
  },
  'Device.Hosts.Host.1.': {
    PhysAddress: 'a4:83:e7:12:34:56', IPAddress: '192.168.1.23', LeaseTimeRemaining: '80211',
    Layer1Interface: 'Device.WiFi.SSID.2.', HostName: 'laptop',
  },
  'Device.Hosts.Host.2.': {
    PhysAddress: '3c:22:fb:aa:bb:cc', IPAddress: '192.168.1.31', LeaseTimeRemaining: '43100',
    Layer1Interface: 'Device.WiFi.SSID.1.', HostName: 'phone',
  },
  'Device.Hosts.Host.3.': {
    PhysAddress: 'b8:27:eb:01:02:03', IPAddress: '192.168.1.2', AddressSource: 'Static', LeaseTimeRemaining: '-1',
    Layer1Interface: 'Device.Ethernet.Interface.2.', HostName: 'nas', Active: 'false',
  },
};

/**
 * The WAN IP address parameter reported in every Inform. Device:2 has no single
 * "ExternalIPAddress" (IGD had one); by convention the first IPv4 address of the
 * WAN-facing IP interface is used.
 */
export const WAN_IP_PARAMETER = 'Device.IP.Interface.1.IPv4Address.1.IPAddress';

/** Parameters with Active notification enabled by default (activeNotify forceDefaultEnabled / forceEnabled). */
export function defaultNotification(def: ParamDef): 0 | 2 {
  return def.activeNotify === 'forceDefaultEnabled' || def.activeNotify === 'forceEnabled' ? 2 : 0;
}
