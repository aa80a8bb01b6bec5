import { describe, expect, it } from 'vitest';
import { CwmpFault, DataModel, FAULT_STRINGS, SCHEMA_PARAMETER_COUNT } from './index.ts';

const ID = { manufacturer: 'Handshake Lab', oui: '00259E', productClass: 'HL-AX3000', serialNumber: 'HL0001' };

function model(now = { t: Date.parse('2025-01-01T00:00:00Z') }) {
  return new DataModel(ID, { now: () => now.t });
}

function fault(fn: () => unknown): CwmpFault {
  try {
    fn();
  } catch (e) {
    if (e instanceof CwmpFault) return e;
    throw e;
  }
  throw new Error('expected a CwmpFault');
}

const value = (m: DataModel, name: string) => m.getParameterValues([name])[0]?.value;

describe('size and identity', () => {
  it('has at least ~100 parameters', () => {
    const m = model();
    expect(SCHEMA_PARAMETER_COUNT).toBeGreaterThanOrEqual(100);
    expect(m.parameterCount()).toBeGreaterThanOrEqual(200);
    expect(m.parameterNames()).toHaveLength(m.parameterCount());
  });
  it('reports the device identity', () => {
    const m = model();
    expect(m.getParameterValues([
      'Device.DeviceInfo.Manufacturer', 'Device.DeviceInfo.ManufacturerOUI',
      'Device.DeviceInfo.ProductClass', 'Device.DeviceInfo.SerialNumber',
    ]).map((p) => p.value)).toEqual(['Handshake Lab', '00259E', 'HL-AX3000', 'HL0001']);
    expect(value(m, 'Device.WiFi.SSID.1.BSSID')).toBe('00:25:9E:00:01:01');
  });
});

describe('CwmpFault', () => {
  it('uses the standard strings', () => {
    expect(new CwmpFault(9005).string).toBe('Invalid parameter name');
    expect(FAULT_STRINGS[9008]).toBe('Attempt to set a non-writable parameter');
    expect(Object.keys(FAULT_STRINGS)).toHaveLength(20);
    expect(new CwmpFault(9003, undefined, []).details).toBeUndefined();
  });
});

describe('GetParameterValues', () => {
  it('returns full names with type', () => {
    const m = model();
    expect(m.getParameterValues(['Device.ManagementServer.PeriodicInformInterval'])).toEqual([
      { name: 'Device.ManagementServer.PeriodicInformInterval', value: '3600', type: 'unsignedInt' },
    ]);
    expect(m.getParameterValues(['Device.WiFi.Radio.2.Channel'])[0]).toEqual({
      name: 'Device.WiFi.Radio.2.Channel', value: '36', type: 'unsignedInt',
    });
  });
  it('expands partial paths in tree order', () => {
    const m = model();
    const r = m.getParameterValues(['Device.Hosts.']);
    expect(r[0]).toEqual({ name: 'Device.Hosts.HostNumberOfEntries', value: '3', type: 'unsignedInt' });
    expect(r.map((p) => p.name)).toContain('Device.Hosts.Host.3.HostName');
    expect(r).toHaveLength(1 + 3 * 9);
    const ip = m.getParameterValues(['Device.IP.Interface.2.IPv4Address.']);
    expect(ip.map((p) => p.name.split('.').pop())).toEqual(['Enable', 'Status', 'Alias', 'IPAddress', 'SubnetMask', 'AddressingType']);
    expect(m.getParameterValues([''])).toHaveLength(m.parameterCount());
    expect(m.getParameterValues(['Device.'])).toHaveLength(m.parameterCount());
  });
  it('hides passwords and keys (read back as empty string)', () => {
    const m = model();
    expect(value(m, 'Device.ManagementServer.Password')).toBe('');
    expect(value(m, 'Device.ManagementServer.ConnectionRequestPassword')).toBe('');
    expect(value(m, 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase')).toBe('');
    expect(m.internalValue('Device.ManagementServer.ConnectionRequestPassword')).toBe('cr-secret');
  });
  it('derives UpTime and CurrentLocalTime from the clock', () => {
    const clock = { t: Date.parse('2025-01-01T00:00:00Z') };
    const m = model(clock);
    clock.t += 90_500;
    expect(value(m, 'Device.DeviceInfo.UpTime')).toBe('90');
    expect(value(m, 'Device.Time.CurrentLocalTime')).toBe('2025-01-01T00:01:30Z');
    m.rebooted();
    expect(value(m, 'Device.DeviceInfo.UpTime')).toBe('0');
  });
  it('faults 9005 on unknown names, bad instances and wrong partial paths', () => {
    const m = model();
    for (const n of ['Device.Nope', 'Device.WiFi.SSID.9.SSID', 'Device.WiFi.SSID.01.SSID', 'Device.WiFi.SSID.{i}.SSID',
      'Device.DeviceInfo.Manufacturer.', 'Device.DeviceInfo', 'InternetGatewayDevice.', 'Device.WiFi.SSID.9.']) {
      const f = fault(() => m.getParameterValues(['Device.DeviceInfo.UpTime', n]));
      expect(f.code, n).toBe(9005);
    }
  });
});

describe('GetParameterNames', () => {
  const names = (m: DataModel, p: string, nl: boolean) => m.getParameterNames(p, nl).map((i) => i.name);

  it('empty path: NextLevel true lists only the root; false lists everything', () => {
    const m = model();
    expect(m.getParameterNames('', true)).toEqual([{ name: 'Device.', writable: false }]);
    const all = names(m, '', false);
    expect(all[0]).toBe('Device.');
    expect(all.filter((n) => !n.endsWith('.'))).toHaveLength(m.parameterCount());
    expect(all).toContain('Device.WiFi.SSID.');
    expect(all).toContain('Device.WiFi.SSID.2.');
    expect(all).toContain('Device.ManagementServer.InformParameter.'); // empty table still listed
  });

  it('matches the spec Hosts example (A.3.2.3)', () => {
    const m = model();
    expect(names(m, 'Device.Hosts.', true)).toEqual(['Device.Hosts.HostNumberOfEntries', 'Device.Hosts.Host.']);
    const deep = names(m, 'Device.Hosts.', false);
    expect(deep.slice(0, 5)).toEqual([
      'Device.Hosts.', 'Device.Hosts.HostNumberOfEntries', 'Device.Hosts.Host.', 'Device.Hosts.Host.1.', 'Device.Hosts.Host.1.Alias',
    ]);
    expect(deep).toHaveLength(3 + 3 * 10);
  });

  it('NextLevel true at several depths', () => {
    const m = model();
    expect(names(m, 'Device.', true)).toEqual([
      'Device.RootDataModelVersion', 'Device.DeviceInfo.', 'Device.ManagementServer.', 'Device.Time.',
      'Device.WiFi.', 'Device.IP.', 'Device.Hosts.',
    ]);
    expect(m.getParameterNames('Device.WiFi.SSID.', true)).toEqual([
      { name: 'Device.WiFi.SSID.1.', writable: true },
      { name: 'Device.WiFi.SSID.2.', writable: true },
      { name: 'Device.WiFi.SSID.3.', writable: true },
    ]);
    expect(m.getParameterNames('Device.WiFi.Radio.', true)[0]).toEqual({ name: 'Device.WiFi.Radio.1.', writable: false });
    expect(names(m, 'Device.IP.Interface.1.', true).slice(-2)).toEqual([
      'Device.IP.Interface.1.IPv4AddressNumberOfEntries', 'Device.IP.Interface.1.IPv4Address.',
    ]);
    expect(names(m, 'Device.WiFi.AccessPoint.2.Security.', true)).toContain('Device.WiFi.AccessPoint.2.Security.ModeEnabled');
    expect(m.getParameterNames('Device.ManagementServer.InformParameter.', true)).toEqual([]);
  });

  it('writable flags: parameters, tables (AddObject), instances (DeleteObject)', () => {
    const m = model();
    const w = new Map(m.getParameterNames('Device.', false).map((i) => [i.name, i.writable]));
    expect(w.get('Device.DeviceInfo.')).toBe(false);
    expect(w.get('Device.DeviceInfo.SerialNumber')).toBe(false);
    expect(w.get('Device.DeviceInfo.ProvisioningCode')).toBe(true);
    expect(w.get('Device.WiFi.SSID.')).toBe(true);
    expect(w.get('Device.Hosts.Host.')).toBe(false);
    expect(w.get('Device.Hosts.Host.1.')).toBe(false);
    expect(w.get('Device.WiFi.SSID.1.Stats.')).toBe(false);
  });

  it('a parameter name: itself with NextLevel false, 9003 with NextLevel true', () => {
    const m = model();
    expect(m.getParameterNames('Device.WiFi.SSID.1.SSID', false)).toEqual([{ name: 'Device.WiFi.SSID.1.SSID', writable: true }]);
    expect(fault(() => m.getParameterNames('Device.WiFi.SSID.1.SSID', true)).code).toBe(9003);
    expect(fault(() => m.getParameterNames('Device.WiFi.SSID.7.', true)).code).toBe(9005);
    expect(fault(() => m.getParameterNames('Device.Bogus.', false)).code).toBe(9005);
  });
});

describe('SetParameterValues', () => {
  it('applies, canonicalizes, sets ParameterKey, returns status 0', () => {
    const m = model();
    const r = m.setParameterValues([
      { name: 'Device.WiFi.SSID.1.SSID', value: 'NewName', type: 'xsd:string' },
      { name: 'Device.ManagementServer.PeriodicInformInterval', value: '+0600', type: 'xsd:unsignedInt' },
      { name: 'Device.WiFi.Radio.1.AutoChannelEnable', value: '0', type: 'xsd:boolean' },
      { name: 'Device.WiFi.Radio.1.TransmitPower', value: '-1', type: 'int' },
      { name: 'Device.ManagementServer.PeriodicInformTime', value: '2025-06-01T02:00:00Z' },
    ], 'key-1');
    expect(r.status).toBe(0);
    expect(r.changed).toContain('Device.WiFi.SSID.1.SSID');
    expect(value(m, 'Device.WiFi.SSID.1.SSID')).toBe('NewName');
    expect(value(m, 'Device.ManagementServer.PeriodicInformInterval')).toBe('600');
    expect(value(m, 'Device.WiFi.Radio.1.AutoChannelEnable')).toBe('false');
    expect(value(m, 'Device.ManagementServer.ParameterKey')).toBe('key-1');
    expect(m.changes().filter((c) => c.source === 'acs').map((c) => c.name)).toContain('Device.ManagementServer.ParameterKey');
  });

  it('write-only secrets are set but read back empty', () => {
    const m = model();
    m.setParameterValues([{ name: 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase', value: 'correct horse battery' }], 'k');
    expect(value(m, 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase')).toBe('');
    expect(m.internalValue('Device.WiFi.AccessPoint.1.Security.KeyPassphrase')).toBe('correct horse battery');
    expect(m.changes().at(-2)).toMatchObject({ name: 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase', oldValue: '', newValue: '' });
  });

  const single = (name: string, v: string, type?: string) => {
    const m = model();
    const before = m.snapshot();
    const f = fault(() => m.setParameterValues([type === undefined ? { name, value: v } : { name, value: v, type }], 'bad'));
    expect(f.code).toBe(9003);
    expect(f.details).toHaveLength(1);
    expect(m.snapshot()).toEqual(before);
    return f.details![0]!;
  };

  it('9005 invalid names (unknown, object path, missing instance)', () => {
    for (const n of ['Device.WiFi.SSID.1.Nope', 'Device.WiFi.SSID.1.', 'Device.WiFi.SSID.42.SSID', 'Device.Hosts.Host.']) {
      expect(single(n, 'x').code, n).toBe(9005);
    }
  });
  it('9008 read-only parameters', () => {
    for (const n of ['Device.DeviceInfo.SerialNumber', 'Device.DeviceInfo.UpTime', 'Device.ManagementServer.ParameterKey',
      'Device.WiFi.SSID.1.BSSID', 'Device.Hosts.HostNumberOfEntries']) {
      const d = single(n, '1');
      expect(d.code, n).toBe(9008);
      expect(d.string).toBe('Attempt to set a non-writable parameter');
    }
  });
  it('9006 when xsi:type differs from the parameter type', () => {
    expect(single('Device.WiFi.Radio.1.Channel', '6', 'xsd:string').code).toBe(9006);
    expect(single('Device.WiFi.SSID.1.Enable', 'true', 'xsd:int').code).toBe(9006);
    expect(single('Device.WiFi.SSID.1.SSID', 'x', 'xsd:frobnicate').code).toBe(9006);
  });
  it('9007 for syntax, range, enumeration, length and cross-parameter violations', () => {
    const cases: [string, string][] = [
      ['Device.WiFi.Radio.1.Channel', 'six'],
      ['Device.WiFi.Radio.1.Channel', '256'],
      ['Device.WiFi.Radio.1.Channel', '36'], // not in 2.4 GHz PossibleChannels
      ['Device.WiFi.Radio.1.TransmitPower', '101'],
      ['Device.WiFi.Radio.1.OperatingFrequencyBand', '7GHz'],
      ['Device.WiFi.Radio.1.OperatingFrequencyBand', '5GHz'], // not supported by radio 1
      ['Device.WiFi.Radio.1.OperatingStandards', 'g,ac'],
      ['Device.ManagementServer.PeriodicInformInterval', '0'],
      ['Device.ManagementServer.PeriodicInformInterval', '4294967296'],
      ['Device.ManagementServer.PeriodicInformInterval', '-5'],
      ['Device.ManagementServer.CWMPRetryIntervalMultiplier', '999'],
      ['Device.ManagementServer.PeriodicInformTime', '2025-02-30T00:00:00Z'],
      ['Device.ManagementServer.PeriodicInformTime', 'yesterday'],
      ['Device.ManagementServer.InstanceMode', 'InstanceName'],
      ['Device.WiFi.SSID.1.SSID', 'x'.repeat(33)],
      ['Device.WiFi.SSID.1.Enable', 'yes'],
      ['Device.WiFi.AccessPoint.1.Security.ModeEnabled', 'WPA2-Personal2'],
      ['Device.WiFi.AccessPoint.1.Security.ModeEnabled', 'WEP-64'], // valid enum, not in ModesSupported
      ['Device.WiFi.AccessPoint.1.Security.KeyPassphrase', 'short'],
      ['Device.WiFi.AccessPoint.1.Security.PreSharedKey', 'xyz'],
      ['Device.WiFi.AccessPoint.1.Security.WEPKey', '00112233'],
      ['Device.IP.Interface.2.IPv4Address.1.IPAddress', '192.168.1.256'],
      ['Device.ManagementServer.URL', 'h'.repeat(257)],
    ];
    for (const [n, v] of cases) {
      const d = single(n, v);
      expect(d.code, `${n}=${v}`).toBe(9007);
      expect(d.string.startsWith('Invalid parameter value')).toBe(true);
    }
    expect(single('Device.WiFi.SSID.1.SSID', 'x'.repeat(32) + 'y').string).toMatch(/length 33 exceeds maximum 32/);
  });

  it('several faults at once → one 9003 with a detail per parameter, nothing changed', () => {
    const m = model();
    const before = m.snapshot();
    const f = fault(() => m.setParameterValues([
      { name: 'Device.WiFi.SSID.1.SSID', value: 'fine' },
      { name: 'Device.DeviceInfo.Nope', value: '1' },
      { name: 'Device.DeviceInfo.ModelName', value: 'x' },
      { name: 'Device.WiFi.Radio.2.Channel', value: '1000' },
      { name: 'Device.WiFi.Radio.2.Enable', value: 'true', type: 'xsd:unsignedInt' },
    ], 'k2'));
    expect(f.code).toBe(9003);
    expect(f.string).toBe('Invalid arguments');
    expect(f.details!.map((d) => [d.name, d.code])).toEqual([
      ['Device.DeviceInfo.Nope', 9005],
      ['Device.DeviceInfo.ModelName', 9008],
      ['Device.WiFi.Radio.2.Channel', 9007],
      ['Device.WiFi.Radio.2.Enable', 9006],
    ]);
    expect(m.snapshot()).toEqual(before);
    expect(value(m, 'Device.ManagementServer.ParameterKey')).toBe('');
  });

  it('cross-parameter checks see the other values of the same request', () => {
    const m = model();
    // Radio 2 channel 1 is invalid (5 GHz), a valid one passes.
    expect(fault(() => m.setParameterValues([{ name: 'Device.WiFi.Radio.2.Channel', value: '1' }], '')).details![0]!.code).toBe(9007);
    m.setParameterValues([{ name: 'Device.WiFi.Radio.2.Channel', value: '44' }], '');
    expect(value(m, 'Device.WiFi.Radio.2.Channel')).toBe('44');
  });

  it('duplicate names and bad ParameterKey are plain 9003', () => {
    const m = model();
    const dup = fault(() => m.setParameterValues([
      { name: 'Device.WiFi.SSID.1.SSID', value: 'a' }, { name: 'Device.WiFi.SSID.1.SSID', value: 'b' },
    ], 'k'));
    expect(dup.code).toBe(9003);
    expect(dup.details).toBeUndefined();
    expect(fault(() => m.setParameterValues([], 'k'.repeat(33))).code).toBe(9003);
    expect(value(m, 'Device.WiFi.SSID.1.SSID')).toBe('HandshakeLab');
  });
});

describe('AddObject / DeleteObject', () => {
  it('adds an SSID with defaults and keeps NumberOfEntries consistent', () => {
    const m = model();
    expect(value(m, 'Device.WiFi.SSIDNumberOfEntries')).toBe('3');
    const r = m.addObject('Device.WiFi.SSID.', 'add-1');
    expect(r).toEqual({ instanceNumber: 4, status: 0 });
    expect(value(m, 'Device.WiFi.SSIDNumberOfEntries')).toBe('4');
    expect(value(m, 'Device.ManagementServer.ParameterKey')).toBe('add-1');
    expect(m.getParameterValues(['Device.WiFi.SSID.4.']).map((p) => [p.name.slice('Device.WiFi.SSID.4.'.length), p.value])).toEqual([
      ['Enable', 'false'], ['Status', 'Down'], ['Alias', 'cpe-4'], ['Name', 'wl4'], ['LastChange', '0'],
      ['LowerLayers', 'Device.WiFi.Radio.1.'], ['BSSID', '00:25:9E:00:01:04'], ['MACAddress', '00:25:9E:00:01:04'],
      ['SSID', ''], ['Upstream', 'false'],
      ['Stats.BytesSent', '0'], ['Stats.BytesReceived', '0'], ['Stats.PacketsSent', '0'],
      ['Stats.PacketsReceived', '0'], ['Stats.ErrorsSent', '0'], ['Stats.ErrorsReceived', '0'],
    ]);
    m.setParameterValues([{ name: 'Device.WiFi.SSID.4.SSID', value: 'IoT' }], 'set-4');
    expect(m.deleteObject('Device.WiFi.SSID.4.', 'del-4')).toEqual({ status: 0 });
    expect(value(m, 'Device.WiFi.SSIDNumberOfEntries')).toBe('3');
    expect(value(m, 'Device.ManagementServer.ParameterKey')).toBe('del-4');
    expect(fault(() => m.getParameterValues(['Device.WiFi.SSID.4.SSID'])).code).toBe(9005);
    // Instance numbers are not reused.
    expect(m.addObject('Device.WiFi.SSID.', 'again').instanceNumber).toBe(5);
  });

  it('nested tables: IPv4Address under an interface, deleted with its parent', () => {
    const m = model();
    const { instanceNumber: ifn } = m.addObject('Device.IP.Interface.', '');
    expect(value(m, `Device.IP.Interface.${ifn}.IPv4AddressNumberOfEntries`)).toBe('0');
    expect(m.getParameterNames(`Device.IP.Interface.${ifn}.IPv4Address.`, true)).toEqual([]);
    const { instanceNumber: an } = m.addObject(`Device.IP.Interface.${ifn}.IPv4Address.`, '');
    expect(an).toBe(1);
    expect(value(m, `Device.IP.Interface.${ifn}.IPv4AddressNumberOfEntries`)).toBe('1');
    expect(value(m, 'Device.IP.InterfaceNumberOfEntries')).toBe('3');
    m.deleteObject(`Device.IP.Interface.${ifn}.`, '');
    expect(value(m, 'Device.IP.InterfaceNumberOfEntries')).toBe('2');
    expect(m.getParameterNames('', false).some((i) => i.name.startsWith(`Device.IP.Interface.${ifn}.`))).toBe(false);
    expect(m.addObject('Device.IP.Interface.', '').instanceNumber).toBe(ifn + 1);
  });

  it('faults: 9005 unknown / not a table, 9003 not allowed, 9004 full', () => {
    const m = model();
    for (const p of ['Device.Nope.', 'Device.DeviceInfo.', 'Device.WiFi.SSID.1.', 'Device.WiFi.SSID', 'Device.WiFi.SSIDNumberOfEntries']) {
      expect(fault(() => m.addObject(p, '')).code, p).toBe(9005);
    }
    expect(fault(() => m.addObject('Device.Hosts.Host.', '')).code).toBe(9003);
    expect(fault(() => m.addObject('Device.WiFi.Radio.', '')).code).toBe(9003);
    for (const p of ['Device.WiFi.SSID.', 'Device.WiFi.SSID.9.', 'Device.DeviceInfo.', 'Device.WiFi.AccessPoint.1.Security.']) {
      expect(fault(() => m.deleteObject(p, '')).code, p).toBe(9005);
    }
    expect(fault(() => m.deleteObject('Device.Hosts.Host.1.', '')).code).toBe(9003);
    for (let i = 0; i < 5; i++) m.addObject('Device.WiFi.SSID.', '');
    expect(fault(() => m.addObject('Device.WiFi.SSID.', 'full')).code).toBe(9004);
    expect(value(m, 'Device.ManagementServer.ParameterKey')).toBe('');
  });
});

describe('notification and VALUE CHANGE', () => {
  it('ACS changes via SPV do not raise VALUE CHANGE, CPE changes do', () => {
    const m = model();
    m.setParameterAttributes([{ name: 'Device.WiFi.SSID.1.SSID', notificationChange: true, notification: 1 }]);
    m.setParameterValues([{ name: 'Device.WiFi.SSID.1.SSID', value: 'FromACS' }], 'k');
    m.setParameterValues([{ name: 'Device.DeviceInfo.ProvisioningCode', value: 'ABC' }], 'k'); // active by default
    expect(m.valueChangeStatus()).toEqual({ valueChange: false, active: false });

    // The user renames the SSID in the web UI: passive → next Inform, no session now.
    m.localSet('Device.WiFi.SSID.1.SSID', 'FromUser', 'web UI');
    expect(m.valueChangeStatus()).toEqual({ valueChange: true, active: false });
    expect(m.valueChangedParameters()).toEqual([{ name: 'Device.WiFi.SSID.1.SSID', value: 'FromUser', type: 'string' }]);
    // Unnotified parameters changing locally do not count.
    m.localSet('Device.WiFi.SSID.2.SSID', 'Other');
    expect(m.valueChangedParameters()).toHaveLength(1);
  });

  it('a new WAN address moves the ConnectionRequestURL → active notification', () => {
    const m = model();
    m.localSet('Device.IP.Interface.1.IPv4Address.1.IPAddress', '198.51.100.7', 'DHCP');
    expect(m.valueChangeStatus()).toEqual({ valueChange: true, active: true });
    expect(m.valueChangedParameters()).toEqual([
      { name: 'Device.ManagementServer.ConnectionRequestURL', value: 'http://198.51.100.7:7547/cr/HL0001', type: 'string' },
    ]);
    const list = m.informParameterList(['4 VALUE CHANGE']);
    expect(list.map((p) => p.name)).toContain('Device.IP.Interface.1.IPv4Address.1.IPAddress');
    expect(new Set(list.map((p) => p.name)).size).toBe(list.length);
    m.informDelivered();
    expect(m.valueChangeStatus()).toEqual({ valueChange: false, active: false });
  });

  it('SoftwareVersion is active by default; UpTime may not be active (9009)', () => {
    const m = model();
    expect(m.getParameterAttributes(['Device.DeviceInfo.SoftwareVersion'])[0]!.notification).toBe(2);
    expect(m.getParameterAttributes(['Device.DeviceInfo.UpTime'])[0]!.notification).toBe(0);
    expect(fault(() => m.setParameterAttributes([{ name: 'Device.DeviceInfo.UpTime', notificationChange: true, notification: 2 }])).code).toBe(9009);
    expect(fault(() => m.setParameterAttributes([{ name: 'Device.DeviceInfo.', notificationChange: true, notification: 2 }])).code).toBe(9009);
    expect(fault(() => m.setParameterAttributes([{ name: 'Device.DeviceInfo.UpTime', notificationChange: true, notification: 7 }])).code).toBe(9003);
    expect(fault(() => m.setParameterAttributes([{ name: 'Device.X.', notificationChange: true, notification: 1 }])).code).toBe(9005);
    m.setParameterAttributes([{ name: 'Device.DeviceInfo.', notificationChange: true, notification: 1 }]);
    expect(m.getParameterAttributes(['Device.DeviceInfo.SoftwareVersion'])[0]!.notification).toBe(1);
    m.localSet('Device.DeviceInfo.SoftwareVersion', '4.3.0', 'firmware upgrade');
    expect(m.valueChangeStatus()).toEqual({ valueChange: true, active: false });
  });

  it('hosts joining change HostNumberOfEntries (notified if subscribed)', () => {
    const m = model();
    m.setParameterAttributes([{ name: 'Device.Hosts.HostNumberOfEntries', notificationChange: true, notification: 2 }]);
    const n = m.localAddObject('Device.Hosts.Host.', { PhysAddress: '11:22:33:44:55:66', HostName: 'tv', IPAddress: '192.168.1.40' }, 'DHCP');
    expect(n).toBe(4);
    expect(value(m, 'Device.Hosts.HostNumberOfEntries')).toBe('4');
    expect(m.valueChangedParameters()).toEqual([{ name: 'Device.Hosts.HostNumberOfEntries', value: '4', type: 'unsignedInt' }]);
    m.informDelivered();
    m.localDeleteObject('Device.Hosts.Host.1.');
    expect(m.valueChangedParameters()[0]!.value).toBe('3');
  });

  it('forced inform parameters and InformParameter entries', () => {
    const m = model();
    expect(m.informParameters().map((p) => p.name)).toEqual([
      'Device.RootDataModelVersion',
      'Device.DeviceInfo.HardwareVersion', 'Device.DeviceInfo.SoftwareVersion', 'Device.DeviceInfo.ProvisioningCode',
      'Device.ManagementServer.ParameterKey', 'Device.ManagementServer.ConnectionRequestURL',
      'Device.ManagementServer.AliasBasedAddressing',
      'Device.IP.Interface.1.IPv4Address.1.IPAddress',
    ]);
    const { instanceNumber: i } = m.addObject('Device.ManagementServer.InformParameter.', 'ip');
    m.setParameterValues([
      { name: `Device.ManagementServer.InformParameter.${i}.Enable`, value: 'true' },
      { name: `Device.ManagementServer.InformParameter.${i}.ParameterName`, value: 'Device.DeviceInfo.UpTime' },
      { name: `Device.ManagementServer.InformParameter.${i}.EventList`, value: '1 BOOT,2 PERIODIC' },
    ], 'ip2');
    expect(m.informParameterList(['2 PERIODIC']).map((p) => p.name)).toContain('Device.DeviceInfo.UpTime');
    expect(m.informParameterList(['6 CONNECTION REQUEST']).map((p) => p.name)).not.toContain('Device.DeviceInfo.UpTime');
  });
});

describe('factoryReset', () => {
  it('restores defaults, instances, attributes and ParameterKey', () => {
    const m = model();
    const pristine = m.snapshot();
    m.setParameterValues([{ name: 'Device.WiFi.SSID.1.SSID', value: 'changed' }], 'k');
    m.addObject('Device.WiFi.SSID.', 'k2');
    m.deleteObject('Device.WiFi.SSID.3.', 'k3');
    m.setParameterAttributes([{ name: 'Device.WiFi.', notificationChange: true, notification: 1 }]);
    m.localSet('Device.WiFi.SSID.2.SSID', 'x');
    expect(m.snapshot()).not.toEqual(pristine);
    m.factoryReset();
    expect(m.snapshot()).toEqual(pristine);
    expect(m.valueChangeStatus().valueChange).toBe(false);
    expect(m.changes()).toEqual([]);
    expect(m.addObject('Device.WiFi.SSID.', '').instanceNumber).toBe(4);
  });
});
