/**
 * The CPE's TR-181 Device:2 data model with TR-069 (Amendment 6, Annex A.3.2) RPC semantics.
 * Pure: no I/O; time comes from an injectable clock.
 */
import { CwmpFault, faultDetail, type ParameterFaultDetail } from './fault.ts';
import {
  INITIAL_INSTANCES, OBJECTS, WAN_IP_PARAMETER, defaultNotification, type ObjectDef,
} from './schema.ts';
import {
  validateValue, type DeviceIdentity, type ParamDef, type ParamType,
} from './types.ts';

export interface ParameterValue {
  name: string;
  value: string;
  type: ParamType;
}

export interface ParameterInfo {
  name: string;
  writable: boolean;
}

export interface SetParameterValueInput {
  name: string;
  value: string;
  /** xsi:type as sent by the ACS ('xsd:string', 'unsignedInt', ...); optional. */
  type?: string;
}

/** 0 off, 1 passive, 2 active (TR-069 A.3.2.4; 3–6 lightweight notification are not supported). */
export type NotificationLevel = 0 | 1 | 2;

export interface SetParameterAttributesInput {
  name: string;
  notificationChange: boolean;
  notification: number;
}

export interface ParameterAttribute {
  name: string;
  notification: NotificationLevel;
  accessList: string[];
}

/** Who made a change: the ACS over CWMP, or the CPE itself (DHCP, web UI, firmware...). */
export type ChangeSource = 'acs' | 'cpe';

export interface ValueChange {
  seq: number;
  name: string;
  oldValue: string;
  newValue: string;
  source: ChangeSource;
  /** The RPC or local action that caused it. */
  cause: string;
}

export interface DataModelOptions {
  /** Milliseconds since epoch; default Date.now. Drives UpTime and Time.CurrentLocalTime. */
  now?: () => number;
}

type Resolved =
  | { kind: 'param'; name: string; def: ParamDef; obj: ObjectDef }
  | { kind: 'object'; path: string; def: ObjectDef }
  | { kind: 'table'; path: string; def: ObjectDef };

const PARAMETER_KEY = 'Device.ManagementServer.ParameterKey';
const CR_URL = 'Device.ManagementServer.ConnectionRequestURL';

/** Replace instance numbers by {i}: 'Device.WiFi.SSID.2.SSID' → 'Device.WiFi.SSID.{i}.SSID'. */
export function genericName(name: string): string {
  return name.split('.').map((s) => (/^\d+$/.test(s) ? '{i}' : s)).join('.');
}

function instanceNumbers(path: string): number[] {
  return path.split('.').filter((s) => /^\d+$/.test(s)).map(Number);
}

// Static indices over the schema ------------------------------------------------------
const OBJ_BY_PATH = new Map<string, ObjectDef>(OBJECTS.map((o) => [o.path, o]));
const CHILDREN = new Map<string, ObjectDef[]>();
for (const o of OBJECTS) {
  if (o.path === 'Device.') continue;
  const parentPath = o.multi ? o.path.slice(0, -'{i}.'.length) : o.path;
  const trimmed = parentPath.slice(0, -1);
  const parent = trimmed.slice(0, trimmed.lastIndexOf('.') + 1);
  if (!OBJ_BY_PATH.has(parent)) throw new Error(`schema: no parent object for ${o.path}`);
  const list = CHILDREN.get(parent) ?? [];
  list.push(o);
  CHILDREN.set(parent, list);
}
/** Relative name of a child object within its parent ('SSID' for Device.WiFi.SSID.{i}.). */
function childName(o: ObjectDef): string {
  const p = o.multi ? o.path.slice(0, -'.{i}.'.length) : o.path.slice(0, -1);
  return p.slice(p.lastIndexOf('.') + 1);
}
/** Generic NumberOfEntries name → the multi-instance object it counts. */
const COUNTED = new Map<string, ObjectDef>(
  OBJECTS.filter((o) => o.numEntries).map((o) => [o.numEntries!, o]),
);

/** Number of parameter definitions in the schema (generic names with {i}). */
export const SCHEMA_PARAMETER_COUNT = OBJECTS.reduce((n, o) => n + Object.keys(o.params).length, 0);

export class DataModel {
  readonly identity: DeviceIdentity;
  private readonly now: () => number;
  private bootTime = 0;
  /** Every concrete parameter (derived ones hold a placeholder). Hidden ones hold the real secret. */
  private values = new Map<string, string>();
  /** Concrete table path ('Device.WiFi.SSID.') → instance numbers, ascending. */
  private instances = new Map<string, number[]>();
  /** Concrete table path → next instance number (never reused, TR-069 A.3.2.6). */
  private nextInstance = new Map<string, number>();
  /** Non-zero notification attributes by concrete name. */
  private notification = new Map<string, NotificationLevel>();
  /** Parameters whose value changed (by the CPE) since the last delivered Inform. */
  private pending = new Map<string, NotificationLevel>();
  private log: ValueChange[] = [];
  private seq = 0;

  constructor(identity: DeviceIdentity, options: DataModelOptions = {}) {
    this.identity = { ...identity };
    this.now = options.now ?? (() => Date.now());
    this.initialise();
  }

  // ------------------------------------------------------------------------- lifecycle
  private initialise(): void {
    this.values = new Map();
    this.instances = new Map();
    this.nextInstance = new Map();
    this.notification = new Map();
    this.pending = new Map();
    this.bootTime = this.now();
    this.createObject('Device.', OBJ_BY_PATH.get('Device.')!);
    for (const [path, overrides] of Object.entries(INITIAL_INSTANCES)) {
      const parts = path.slice(0, -1).split('.');
      const last = parts.at(-1) ?? '';
      if (/^\d+$/.test(last)) {
        const table = parts.slice(0, -1).join('.') + '.';
        const r = this.resolve(table);
        if (!r || r.kind !== 'table') throw new Error(`schema: initial instance ${path} has no table`);
        this.createInstance(table, r.def, Number(last));
      } else if (!this.resolve(path)) {
        throw new Error(`schema: initial object ${path} does not exist`);
      }
      for (const [rel, v] of Object.entries(overrides)) {
        const name = path + rel;
        const def = this.paramDef(name);
        if (!def || !this.values.has(name)) throw new Error(`schema: initial value for unknown ${name}`);
        const ok = validateValue(def, v);
        if (!ok.ok) throw new Error(`schema: initial value for ${name}: ${ok.reason}`);
        this.values.set(name, ok.value);
      }
    }
  }

  /** Restore the factory defaults (TR-069 FactoryReset). The caller then reboots and sends 0 BOOTSTRAP. */
  factoryReset(): void {
    this.initialise();
    this.log = [];
  }

  /** Restart the UpTime clock (the caller performs the Reboot itself). */
  rebooted(): void {
    this.bootTime = this.now();
  }

  private paramDef(name: string): ParamDef | undefined {
    const g = genericName(name);
    const dot = g.lastIndexOf('.');
    return OBJ_BY_PATH.get(g.slice(0, dot + 1))?.params[g.slice(dot + 1)];
  }

  /** Create a (single or instance) object and its single-instance sub-objects, with defaults. */
  private createObject(path: string, def: ObjectDef): void {
    const ctx = { instance: instanceNumbers(path), identity: this.identity };
    for (const [rel, p] of Object.entries(def.params)) {
      const name = path + rel;
      this.values.set(name, typeof p.default === 'function' ? p.default(ctx) : p.default);
      const n = defaultNotification(p);
      if (n) this.notification.set(name, n);
    }
    for (const child of CHILDREN.get(def.path) ?? []) {
      const cp = path + childName(child) + '.';
      if (child.multi) {
        this.instances.set(cp, []);
        this.nextInstance.set(cp, 1);
      } else {
        this.createObject(cp, child);
      }
    }
  }

  private createInstance(table: string, def: ObjectDef, n: number): string {
    const list = this.instances.get(table) ?? [];
    list.push(n);
    list.sort((a, b) => a - b);
    this.instances.set(table, list);
    this.nextInstance.set(table, Math.max(this.nextInstance.get(table) ?? 1, n + 1));
    const path = `${table}${n}.`;
    this.createObject(path, def);
    return path;
  }

  private removeInstance(path: string): void {
    const parts = path.slice(0, -1).split('.');
    const n = Number(parts.at(-1));
    const table = parts.slice(0, -1).join('.') + '.';
    this.instances.set(table, (this.instances.get(table) ?? []).filter((i) => i !== n));
    for (const m of [this.values, this.notification, this.pending] as Map<string, unknown>[]) {
      for (const k of [...m.keys()]) if (k.startsWith(path)) m.delete(k);
    }
    for (const m of [this.instances, this.nextInstance] as Map<string, unknown>[]) {
      for (const k of [...m.keys()]) if (k.startsWith(path)) m.delete(k);
    }
  }

  // ------------------------------------------------------------------------- resolution
  /** Classify a name: parameter, object (single or instance), or multi-instance table. */
  private resolve(name: string): Resolved | undefined {
    if (typeof name !== 'string' || !name.startsWith('Device.')) return undefined;
    if (name.endsWith('.')) {
      if (name === 'Device.') return { kind: 'object', path: name, def: OBJ_BY_PATH.get(name)! };
      const g = genericName(name);
      const inst = OBJ_BY_PATH.get(g);
      if (inst) {
        if (inst.multi) {
          const parts = name.slice(0, -1).split('.');
          const table = parts.slice(0, -1).join('.') + '.';
          const list = this.instances.get(table);
          return list && list.some((i) => String(i) === parts.at(-1)) ? { kind: 'object', path: name, def: inst } : undefined;
        }
        // Single object: exists iff its parent chain exists — its first parameter or child marks it.
        return this.objectMaterialised(name, inst) ? { kind: 'object', path: name, def: inst } : undefined;
      }
      const table = OBJ_BY_PATH.get(g + '{i}.');
      if (table?.multi && this.instances.has(name)) return { kind: 'table', path: name, def: table };
      return undefined;
    }
    const def = this.paramDef(name);
    if (!def || !this.values.has(name)) return undefined;
    const g = genericName(name);
    return { kind: 'param', name, def, obj: OBJ_BY_PATH.get(g.slice(0, g.lastIndexOf('.') + 1))! };
  }

  private objectMaterialised(path: string, def: ObjectDef): boolean {
    const first = Object.keys(def.params)[0];
    if (first !== undefined) return this.values.has(path + first);
    for (const child of CHILDREN.get(def.path) ?? []) {
      const cp = path + childName(child) + '.';
      if (child.multi ? this.instances.has(cp) : this.objectMaterialised(cp, child)) return true;
    }
    return false;
  }

  /** Depth-first walk in schema order, emitting objects (with '.') and parameters. */
  private walk(node: Resolved, emit: (r: Resolved) => void): void {
    emit(node);
    if (node.kind === 'param') return;
    if (node.kind === 'table') {
      for (const n of this.instances.get(node.path) ?? []) {
        this.walk({ kind: 'object', path: `${node.path}${n}.`, def: node.def }, emit);
      }
      return;
    }
    for (const child of this.children(node)) this.walk(child, emit);
  }

  /** Next-level children of an object or table. */
  private children(node: Resolved): Resolved[] {
    if (node.kind === 'param') return [];
    if (node.kind === 'table') {
      return (this.instances.get(node.path) ?? []).map((n) => ({ kind: 'object', path: `${node.path}${n}.`, def: node.def }));
    }
    const out: Resolved[] = [];
    for (const [rel, def] of Object.entries(node.def.params)) {
      out.push({ kind: 'param', name: node.path + rel, def, obj: node.def });
    }
    for (const child of CHILDREN.get(node.def.path) ?? []) {
      const cp = node.path + childName(child) + '.';
      out.push(child.multi ? { kind: 'table', path: cp, def: child } : { kind: 'object', path: cp, def: child });
    }
    return out;
  }

  private root(): Resolved {
    return { kind: 'object', path: 'Device.', def: OBJ_BY_PATH.get('Device.')! };
  }

  // ------------------------------------------------------------------------- reading
  /** Current wire value of a concrete parameter as the ACS sees it (hidden → ''). */
  private read(name: string, def: ParamDef, revealHidden = false): string {
    if (def.hidden && !revealHidden) return '';
    if (def.derived) {
      const g = genericName(name);
      const counted = COUNTED.get(g);
      if (counted) {
        const parent = name.slice(0, name.lastIndexOf('.') + 1);
        return String(this.instances.get(parent + childName(counted) + '.')?.length ?? 0);
      }
      if (g === 'Device.DeviceInfo.UpTime') return String(Math.max(0, Math.floor((this.now() - this.bootTime) / 1000)));
      if (g === 'Device.Time.CurrentLocalTime') return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    return this.values.get(name) ?? '';
  }

  private pv(name: string, def: ParamDef): ParameterValue {
    return { name, value: this.read(name, def), type: def.type };
  }

  /**
   * GetParameterValues (A.3.2.2). Each name is a full parameter name or a partial path
   * ending in '.'; '' means the whole tree. Any unknown name → fault 9005 for the whole call.
   */
  getParameterValues(names: readonly string[]): ParameterValue[] {
    if (!Array.isArray(names)) throw new CwmpFault(9003, 'ParameterNames must be an array');
    const out: ParameterValue[] = [];
    for (const n of names) {
      const node = n === '' ? this.root() : this.resolve(n);
      if (!node) throw new CwmpFault(9005, `Invalid parameter name: ${String(n)}`);
      this.walk(node, (r) => {
        if (r.kind === 'param') out.push(this.pv(r.name, r.def));
      });
    }
    return out;
  }

  /**
   * GetParameterNames (A.3.2.3).
   * NextLevel=false: the named object/parameter itself plus every descendant ('' = everything incl. 'Device.').
   * NextLevel=true: only the next-level children of the named object ('' → just 'Device.').
   * A parameter name with NextLevel=true is invalid (9003). Objects end with '.'.
   * Writable on an object: tables → AddObject allowed; instances → DeleteObject allowed.
   */
  getParameterNames(path: string, nextLevel: boolean): ParameterInfo[] {
    if (typeof path !== 'string' || typeof nextLevel !== 'boolean') throw new CwmpFault(9003);
    if (path === '' && nextLevel) return [{ name: 'Device.', writable: false }];
    const node = path === '' ? this.root() : this.resolve(path);
    if (!node) throw new CwmpFault(9005, `Invalid parameter name: ${path}`);
    const info = (r: Resolved): ParameterInfo =>
      r.kind === 'param' ? { name: r.name, writable: r.def.writable }
      : r.kind === 'table' ? { name: r.path, writable: r.def.writable }
      : { name: r.path, writable: r.def.multi && r.def.writable };
    if (nextLevel) {
      if (node.kind === 'param') throw new CwmpFault(9003, 'NextLevel must be false for a parameter name');
      return this.children(node).map(info);
    }
    const out: ParameterInfo[] = [];
    this.walk(node, (r) => out.push(info(r)));
    return out;
  }

  // ------------------------------------------------------------------------- writing
  private checkParameterKey(parameterKey: unknown): void {
    if (typeof parameterKey !== 'string' || [...parameterKey].length > 32) {
      throw new CwmpFault(9003, 'ParameterKey must be a string of at most 32 characters');
    }
  }

  private record(name: string, oldValue: string, newValue: string, source: ChangeSource, cause: string): void {
    this.log.push({ seq: ++this.seq, name, oldValue, newValue, source, cause });
  }

  /**
   * SetParameterValues (A.3.2.1). All-or-nothing: every entry is validated first; on any
   * problem a 9003 fault with one SetParameterValuesFault per offending parameter is thrown
   * and nothing changes. On success the values and ParameterKey are applied, Status 0.
   *
   * Per-parameter codes: 9005 unknown / not a parameter, 9008 read-only, 9006 xsi:type
   * differs from the parameter's type, 9007 value invalid (syntax, range, enumeration,
   * length, cross-parameter constraint). A parameter listed twice → plain 9003.
   *
   * Changes made here are the ACS's own and do not raise '4 VALUE CHANGE' (see README).
   */
  setParameterValues(list: readonly SetParameterValueInput[], parameterKey: string): { status: 0; changed: string[] } {
    if (!Array.isArray(list)) throw new CwmpFault(9003, 'ParameterList must be an array');
    this.checkParameterKey(parameterKey);
    const seen = new Set<string>();
    for (const e of list) {
      if (e === null || typeof e !== 'object' || typeof e.name !== 'string') {
        throw new CwmpFault(9003, 'Malformed ParameterValueStruct');
      }
      if (seen.has(e.name)) throw new CwmpFault(9003, `Parameter ${e.name} appears more than once`);
      seen.add(e.name);
    }
    const details: ParameterFaultDetail[] = [];
    const accepted: { name: string; value: string; def: ParamDef }[] = [];
    for (const e of list) {
      const r = this.resolve(e.name);
      if (!r || r.kind !== 'param') { details.push(faultDetail(e.name, 9005)); continue; }
      if (!r.def.writable) { details.push(faultDetail(e.name, 9008)); continue; }
      const t = e.type;
      if (t !== undefined && typeof t !== 'string') { details.push(faultDetail(e.name, 9006, 'type is not a string')); continue; }
      const v = validateValue(r.def, e.value, t);
      if (!v.ok) { details.push(faultDetail(e.name, v.code, v.reason)); continue; }
      accepted.push({ name: e.name, value: v.value, def: r.def });
    }
    // Cross-parameter checks against the state as it would be after the whole request.
    if (details.length === 0) {
      const proposed = new Map(accepted.map((a) => [a.name, a.value]));
      for (const a of accepted) {
        if (!a.def.check) continue;
        const base = a.name.slice(0, a.name.lastIndexOf('.') + 1);
        const reason = a.def.check(a.value, (rel) => proposed.get(base + rel) ?? this.values.get(base + rel));
        if (reason) details.push(faultDetail(a.name, 9007, reason));
      }
    }
    if (details.length > 0) throw new CwmpFault(9003, undefined, details);

    const changed: string[] = [];
    for (const a of accepted) {
      const old = this.values.get(a.name) ?? '';
      this.values.set(a.name, a.value);
      if (old !== a.value) {
        changed.push(a.name);
        this.record(a.name, a.def.hidden ? '' : old, a.def.hidden ? '' : a.value, 'acs', 'SetParameterValues');
      }
    }
    this.setParameterKey(parameterKey, 'SetParameterValues');
    return { status: 0, changed };
  }

  private setParameterKey(key: string, cause: string): void {
    const old = this.values.get(PARAMETER_KEY) ?? '';
    this.values.set(PARAMETER_KEY, key);
    if (old !== key) this.record(PARAMETER_KEY, old, key, 'acs', cause);
  }

  /**
   * AddObject (A.3.2.6). `path` names a multi-instance table, e.g. 'Device.WiFi.SSID.'.
   * 9005 if it is unknown or not a table; 9003 if the ACS may not create instances there;
   * 9004 beyond maxEntries. The new instance gets its defaults; *NumberOfEntries follows.
   */
  addObject(path: string, parameterKey: string): { instanceNumber: number; status: 0 } {
    this.checkParameterKey(parameterKey);
    const r = typeof path === 'string' && path.endsWith('.') ? this.resolve(path) : undefined;
    if (!r || r.kind !== 'table') throw new CwmpFault(9005, `Not a multi-instance object: ${String(path)}`);
    if (!r.def.writable) throw new CwmpFault(9003, `AddObject not allowed on ${path}`);
    const count = this.instances.get(path)?.length ?? 0;
    if (r.def.maxEntries !== undefined && count >= r.def.maxEntries) {
      throw new CwmpFault(9004, `At most ${r.def.maxEntries} instances of ${path}`);
    }
    const n = this.nextInstance.get(path) ?? 1;
    this.createInstance(path, r.def, n);
    this.record(`${path}${n}.`, '', 'added', 'acs', 'AddObject');
    this.setParameterKey(parameterKey, 'AddObject');
    return { instanceNumber: n, status: 0 };
  }

  /**
   * DeleteObject (A.3.2.7). `path` names an existing instance, e.g. 'Device.WiFi.SSID.3.'.
   * 9005 if it is not an existing instance; 9003 if the ACS may not delete it.
   * If parameterKey is omitted, ParameterKey is left unchanged.
   */
  deleteObject(path: string, parameterKey?: string): { status: 0 } {
    if (parameterKey !== undefined) this.checkParameterKey(parameterKey);
    const r = typeof path === 'string' && path.endsWith('.') ? this.resolve(path) : undefined;
    if (!r || r.kind !== 'object' || !r.def.multi) throw new CwmpFault(9005, `Not an object instance: ${String(path)}`);
    if (!r.def.writable) throw new CwmpFault(9003, `DeleteObject not allowed on ${path}`);
    this.removeInstance(path);
    this.record(path, 'present', '', 'acs', 'DeleteObject');
    if (parameterKey !== undefined) this.setParameterKey(parameterKey, 'DeleteObject');
    return { status: 0 };
  }

  // ------------------------------------------------------------------------- attributes / notification
  /**
   * SetParameterAttributes (A.3.2.4), notification part only (AccessList is accepted and ignored).
   * Partial paths apply to every parameter below. All-or-nothing.
   * 9005 unknown name; 9003 notification outside 0..6; 9009 lightweight (3..6) requested,
   * Active requested on a 'canDeny' parameter, or turning off a 'forceEnabled' one.
   */
  setParameterAttributes(list: readonly SetParameterAttributesInput[]): void {
    if (!Array.isArray(list)) throw new CwmpFault(9003);
    const plan: [string, NotificationLevel][] = [];
    for (const e of list) {
      if (e === null || typeof e !== 'object' || typeof e.name !== 'string') throw new CwmpFault(9003);
      const node = e.name === '' ? this.root() : this.resolve(e.name);
      if (!node) throw new CwmpFault(9005, `Invalid parameter name: ${e.name}`);
      if (!e.notificationChange) continue;
      const level = e.notification;
      if (!Number.isInteger(level) || level < 0 || level > 6) throw new CwmpFault(9003, `Notification ${level} out of range`);
      if (level > 2) throw new CwmpFault(9009, 'Lightweight notification is not supported');
      this.walk(node, (r) => {
        if (r.kind !== 'param') return;
        if (level === 2 && r.def.activeNotify === 'canDeny') {
          throw new CwmpFault(9009, `Active notification rejected for ${r.name}`);
        }
        if (level !== 2 && r.def.activeNotify === 'forceEnabled') {
          throw new CwmpFault(9009, `Active notification is mandatory for ${r.name}`);
        }
        plan.push([r.name, level as NotificationLevel]);
      });
    }
    for (const [name, level] of plan) {
      if (level === 0) this.notification.delete(name);
      else this.notification.set(name, level);
    }
  }

  /** GetParameterAttributes (A.3.2.5). */
  getParameterAttributes(names: readonly string[]): ParameterAttribute[] {
    if (!Array.isArray(names)) throw new CwmpFault(9003);
    const out: ParameterAttribute[] = [];
    for (const n of names) {
      const node = n === '' ? this.root() : this.resolve(n);
      if (!node) throw new CwmpFault(9005, `Invalid parameter name: ${String(n)}`);
      this.walk(node, (r) => {
        if (r.kind === 'param') out.push({ name: r.name, notification: this.notification.get(r.name) ?? 0, accessList: [] });
      });
    }
    return out;
  }

  private noteLocalChange(name: string, def: ParamDef, oldValue: string, newValue: string, cause: string): void {
    this.record(name, def.hidden ? '' : oldValue, def.hidden ? '' : newValue, 'cpe', cause);
    const level = this.notification.get(name) ?? 0;
    if (level > 0) this.pending.set(name, Math.max(level, this.pending.get(name) ?? 0) as NotificationLevel);
  }

  /**
   * A change made by the CPE itself (DHCP lease, user in the web UI, firmware...).
   * Ignores writability but validates the value. Notifies per the parameter's attribute.
   * A new WAN address also moves ManagementServer.ConnectionRequestURL to that host.
   */
  localSet(name: string, value: string, cause = 'local'): { changed: boolean; notification: NotificationLevel } {
    const r = this.resolve(name);
    if (!r || r.kind !== 'param' || r.def.derived) throw new CwmpFault(9005, `Invalid parameter name: ${name}`);
    const v = validateValue(r.def, value);
    if (!v.ok) throw new CwmpFault(v.code, v.reason);
    const old = this.values.get(name) ?? '';
    if (old === v.value) return { changed: false, notification: 0 };
    this.values.set(name, v.value);
    this.noteLocalChange(name, r.def, old, v.value, cause);
    if (name === WAN_IP_PARAMETER && v.value !== '') {
      const url = this.values.get(CR_URL) ?? '';
      const moved = url.replace(/^(\w+:\/\/)(\[[^\]]*\]|[^/:]*)/, `$1${v.value}`);
      if (moved !== url) {
        this.values.set(CR_URL, moved);
        this.noteLocalChange(CR_URL, this.paramDef(CR_URL)!, url, moved, cause);
      }
    }
    return { changed: true, notification: this.notification.get(name) ?? 0 };
  }

  private noteCountChange(table: string, def: ObjectDef, before: number, cause: string): void {
    if (!def.numEntries) return;
    const parent = table.slice(0, table.slice(0, -1).lastIndexOf('.') + 1);
    const name = parent + def.numEntries.slice(def.numEntries.lastIndexOf('.') + 1);
    const after = this.instances.get(table)?.length ?? 0;
    if (after !== before) this.noteLocalChange(name, this.paramDef(name)!, String(before), String(after), cause);
  }

  /** The CPE creates an instance itself (e.g. a new LAN host), regardless of ACS writability. */
  localAddObject(table: string, values: Readonly<Record<string, string>> = {}, cause = 'local'): number {
    const r = this.resolve(table);
    if (!r || r.kind !== 'table') throw new CwmpFault(9005, `Not a multi-instance object: ${table}`);
    const defs = Object.entries(values).map(([rel, v]) => {
      const def = r.def.params[rel];
      if (!def) throw new CwmpFault(9005, `Invalid parameter name: ${table}{i}.${rel}`);
      const ok = validateValue(def, v);
      if (!ok.ok) throw new CwmpFault(ok.code, ok.reason);
      return [rel, ok.value] as const;
    });
    const before = this.instances.get(table)?.length ?? 0;
    const n = this.nextInstance.get(table) ?? 1;
    const path = this.createInstance(table, r.def, n);
    for (const [rel, v] of defs) this.values.set(path + rel, v);
    this.record(path, '', 'added', 'cpe', cause);
    this.noteCountChange(table, r.def, before, cause);
    return n;
  }

  /** The CPE removes an instance itself (e.g. a host ages out). */
  localDeleteObject(path: string, cause = 'local'): void {
    const r = this.resolve(path);
    if (!r || r.kind !== 'object' || !r.def.multi) throw new CwmpFault(9005, `Not an object instance: ${path}`);
    const table = path.slice(0, path.slice(0, -1).lastIndexOf('.') + 1);
    const before = this.instances.get(table)?.length ?? 0;
    this.removeInstance(path);
    this.record(path, 'present', '', 'cpe', cause);
    this.noteCountChange(table, r.def, before, cause);
  }

  /** Whether the next Inform carries '4 VALUE CHANGE', and whether a session must be started now (active). */
  valueChangeStatus(): { valueChange: boolean; active: boolean } {
    let active = false;
    for (const l of this.pending.values()) if (l === 2) active = true;
    return { valueChange: this.pending.size > 0, active };
  }

  /** Parameters changed (by the CPE) since the last delivered Inform, with their current values. */
  valueChangedParameters(): ParameterValue[] {
    const out: ParameterValue[] = [];
    for (const name of this.pending.keys()) {
      const def = this.paramDef(name);
      if (def && this.values.has(name)) out.push(this.pv(name, def));
    }
    return out;
  }

  /** The InformResponse arrived: pending value changes have been delivered. */
  informDelivered(): void {
    this.pending.clear();
  }

  /**
   * Forced Inform parameters (TR-181 forcedInform): RootDataModelVersion, DeviceInfo.HardwareVersion,
   * SoftwareVersion, ProvisioningCode, ManagementServer.ParameterKey, ConnectionRequestURL,
   * AliasBasedAddressing — plus the WAN IPv4 address (WAN_IP_PARAMETER) if that instance exists.
   */
  informParameters(): ParameterValue[] {
    const out: ParameterValue[] = [];
    this.walk(this.root(), (r) => {
      if (r.kind === 'param' && r.def.forcedInform) out.push(this.pv(r.name, r.def));
    });
    const wan = this.resolve(WAN_IP_PARAMETER);
    if (wan?.kind === 'param') out.push(this.pv(wan.name, wan.def));
    return out;
  }

  /**
   * The full Inform ParameterList: forced parameters, enabled ManagementServer.InformParameter
   * entries whose EventList is empty or names one of `eventCodes`, then changed parameters.
   * Each name appears once.
   */
  informParameterList(eventCodes: readonly string[] = []): ParameterValue[] {
    const out = new Map<string, ParameterValue>();
    for (const p of this.informParameters()) out.set(p.name, p);
    for (const n of this.instances.get('Device.ManagementServer.InformParameter.') ?? []) {
      const base = `Device.ManagementServer.InformParameter.${n}.`;
      if (this.values.get(base + 'Enable') !== 'true') continue;
      const events = (this.values.get(base + 'EventList') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (events.length > 0 && !events.some((e) => eventCodes.includes(e))) continue;
      const target = this.values.get(base + 'ParameterName') ?? '';
      const node = target === '' ? undefined : this.resolve(target);
      if (!node) continue;
      this.walk(node, (r) => {
        if (r.kind === 'param' && !out.has(r.name)) out.set(r.name, this.pv(r.name, r.def));
      });
    }
    for (const p of this.valueChangedParameters()) out.set(p.name, p);
    return [...out.values()];
  }

  // ------------------------------------------------------------------------- introspection
  /** Number of concrete parameters currently in the model. */
  parameterCount(): number {
    return this.values.size;
  }

  /** All concrete parameter names in tree order. */
  parameterNames(): string[] {
    const out: string[] = [];
    this.walk(this.root(), (r) => { if (r.kind === 'param') out.push(r.name); });
    return out;
  }

  /** Definition (type, facets) of a concrete or generic parameter name. */
  definition(name: string): ParamDef | undefined {
    return this.paramDef(name);
  }

  /** Change history (ACS and CPE), oldest first. Hidden values are blanked. */
  changes(): readonly ValueChange[] {
    return this.log;
  }

  /** Deep copy of the whole state (secrets included), for tests and persistence. */
  snapshot(): { values: Record<string, string>; instances: Record<string, number[]>; notification: Record<string, number> } {
    return {
      values: Object.fromEntries([...this.values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      instances: Object.fromEntries([...this.instances.entries()].map(([k, v]) => [k, [...v]])),
      notification: Object.fromEntries(this.notification),
    };
  }

  /** Read a value including secrets (for the CPE's own use, e.g. Connection Request auth). Never for the ACS. */
  internalValue(name: string): string | undefined {
    const def = this.paramDef(name);
    return def && this.values.has(name) ? this.read(name, def, true) : undefined;
  }
}
