// Types shared by the ASL conversion stage.
// Input: nothing (types only). Output: the vocabulary of from-asl, to-asl, the loader and the checks.
import type { JsonValue, Range } from '../core/index.js';

/** A JSON object, as ASL definitions are made of. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * An Amazon States Language state machine: `StartAt`, `States` and the machine's own fields
 * (`Comment`, `TimeoutSeconds`, `Version`, `QueryLanguage`, …). Kept as plain JSON so that fields AWS
 * adds later, and unknown fields, pass through unchanged.
 */
export type AslStateMachine = JsonObject;

/** A path into a JSON document: object keys and array indexes, from the root. */
export type JsonPath = readonly (string | number)[];

/**
 * Maps a path in an ASL document to the text range that explains it: the line of the state in
 * the input file, or the `.fz` node or edge that produced it. Returns the range of the longest
 * prefix of the path it knows.
 */
export type Locator = (path: JsonPath) => Range;

/** How `fromAsl` assigns states to lanes. */
export type LaneMode = 'single' | 'service';

export interface FromAslOptions {
  /** `single` (default): one lane for the machine; `service`: one lane per AWS service Task resources call. */
  lanes?: LaneMode;
  /** Where diagnostics about the definition point; without it they carry an empty range at 0:0. */
  locate?: Locator;
  /** `false`: only flowlane's own checks, without asl-validator. */
  validate?: boolean;
  /**
   * Draw a definition AWS would reject anyway: its errors become warnings and the nodes of the
   * offending states are marked (`invalid` in the result, `// invalid:` comments in the diagram).
   */
  allowInvalid?: boolean;
}

export interface ToAslOptions {
  /** Convert only this top-level lane (the other lanes are left out, edges into them dropped with a warning). */
  lane?: string;
  /** Report every inference (a guess about a plain FlowZap node or edge) as an error instead of a warning. */
  strict?: boolean;
  /** `false`: only flowlane's own checks, without asl-validator. */
  validate?: boolean;
}
