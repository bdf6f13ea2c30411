// The ASL conversion stage: Amazon States Language <-> Diagram, the ASL file loader and checks.
// Input/output of each entry: see the header of the file it comes from.
export { fromAsl } from './from-asl.js';
export type { FromAslResult } from './from-asl.js';
export { toAsl, toAslWithLocator, ruleFromLabel } from './to-asl.js';
export type { ToAslOutput } from './to-asl.js';
export { checkDefinition } from './check.js';
export { validateAsl, isPlaceholderResource } from './validate.js';
export { judgeDefinition, rejected } from './validity.js';
export { FALSE_POSITIVES } from './false-positives.js';
export type { FalsePositive, FalsePositiveId } from './false-positives.js';
export { loadAsl, checkAslText } from './load.js';
export type { LoadedAsl, LoadOptions } from './load.js';
export { ESCAPED_FIELDS, VERBATIM_VALUE, resourceService } from './fields.js';
export type { AslStateMachine, FromAslOptions, JsonObject, JsonPath, LaneMode, Locator, ToAslOptions } from './types.js';
