export { CwmpFault, FAULT_STRINGS, faultDetail, type CpeFaultCode, type ParameterFaultDetail } from './fault.ts';
export {
  validateValue, parseXsdType, xsdTypeName, PARAM_TYPES,
  type ParamType, type ParamDef, type DeviceIdentity, type ActiveNotify, type ValidationResult,
} from './types.ts';
export { OBJECTS, INITIAL_INSTANCES, WAN_IP_PARAMETER, UNKNOWN_TIME, type ObjectDef } from './schema.ts';
export {
  DataModel, SCHEMA_PARAMETER_COUNT, genericName,
  type ParameterValue, type ParameterInfo, type SetParameterValueInput, type SetParameterAttributesInput,
  type ParameterAttribute, type NotificationLevel, type ValueChange, type ChangeSource, type DataModelOptions,
} from './model.ts';
