// Knowledge about ASL fields that both directions share: which keys the diagram derives from its
// edges and blocks, which keys can be written as `.fz` attribute keys, which fields belong to which
// query language, and a short readable form of Choice rules for edge labels.
// Input: ASL JSON values. Output: plain facts and strings; no I/O.
import type { JsonValue } from '../core/index.js';
import type { JsonObject } from './types.js';

/**
 * The escape attribute for state fields whose names cannot be written as `.fz` attribute keys
 * (`resultPath`, `Foo.Bar`, `$schema`, or a key starting with `X-`): they travel together as one
 * object, `X-Fields:{"resultPath":"$.x"}`, merged back into the state by to-asl. AWS field names
 * never contain a hyphen, so `X-` keys cannot clash with a real field.
 */
export const ESCAPED_FIELDS = 'X-Fields';

/**
 * The attribute of a node that stands for a `States` entry that is not a state object (a string,
 * an array, an object without a string `Type`): the entry's value, carried verbatim.
 */
export const VERBATIM_VALUE = 'X-Value';

/** The state types AWS documents. */
export const STATE_TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;

/** AWS limits state names to 80 characters. */
export const MAX_STATE_NAME = 80;

/** An ASL key that can be written as a `.fz` attribute key: an upper-case identifier, not an `X-` escape. */
export function isWritableAslKey(key: string): boolean {
  return /^[A-Z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/.test(key) && !key.startsWith('X-');
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets a key on a plain object, also when the key is `__proto__` (which `o[k] = v` would not create). */
export function setKey(o: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** Fields only a JSONPath state may have (AWS rejects them in a JSONata state). */
export const JSONPATH_ONLY = [
  'InputPath',
  'OutputPath',
  'Parameters',
  'ResultSelector',
  'ResultPath',
  'ItemsPath',
  'SecondsPath',
  'TimestampPath',
  'ErrorPath',
  'CausePath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'MaxConcurrencyPath',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCountPath',
  'Result',
] as const;

/** Fields only a JSONata state may have. */
export const JSONATA_ONLY = ['Arguments', 'Output', 'Items'] as const;

const COMPARATORS: Record<string, string> = {
  StringEquals: '==',
  NumericEquals: '==',
  BooleanEquals: '==',
  TimestampEquals: '==',
  StringLessThan: '<',
  NumericLessThan: '<',
  TimestampLessThan: '<',
  StringGreaterThan: '>',
  NumericGreaterThan: '>',
  TimestampGreaterThan: '>',
  StringLessThanEquals: '<=',
  NumericLessThanEquals: '<=',
  TimestampLessThanEquals: '<=',
  StringGreaterThanEquals: '>=',
  NumericGreaterThanEquals: '>=',
  TimestampGreaterThanEquals: '>=',
  StringMatches: 'matches',
};

const TYPE_TESTS: Record<string, string> = {
  IsNull: 'null',
  IsPresent: 'present',
  IsNumeric: 'numeric',
  IsString: 'string',
  IsBoolean: 'boolean',
  IsTimestamp: 'timestamp',
};

const LABEL_MAX = 60;

/** A short readable form of a Choice rule: `$.status == 0`, `$.a > 1 and $.b is present`, `Default`. */
export function ruleLabel(rule: JsonValue): string {
  const text = ruleText(rule, true);
  return text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1)}…` : text;
}

function ruleText(rule: JsonValue, top: boolean): string {
  if (!isObject(rule)) return JSON.stringify(rule);
  if (typeof rule.Condition === 'string') return stripJsonata(rule.Condition);
  if (Array.isArray(rule.And) || Array.isArray(rule.Or)) {
    const op = Array.isArray(rule.And) ? 'and' : 'or';
    const parts = ((rule.And ?? rule.Or) as JsonValue[]).map((r) => ruleText(r, false));
    const text = parts.join(` ${op} `);
    return top ? text : `(${text})`;
  }
  if (rule.Not !== undefined) return `not ${ruleText(rule.Not, false)}`;
  const variable = typeof rule.Variable === 'string' ? rule.Variable : '?';
  for (const [key, value] of Object.entries(rule)) {
    const base = key.endsWith('Path') ? key.slice(0, -4) : key;
    const op = COMPARATORS[base];
    if (op !== undefined) {
      const shown = key.endsWith('Path') && typeof value === 'string' ? value : JSON.stringify(value);
      return `${variable} ${op} ${shown}`;
    }
    const test = TYPE_TESTS[key];
    if (test !== undefined) return value === false ? `${variable} is not ${test}` : `${variable} is ${test}`;
  }
  return JSON.stringify(rule);
}

/** `{% $x > 1 %}` → `$x > 1`. */
export function stripJsonata(expr: string): string {
  const m = /^\{%([\s\S]*)%\}$/.exec(expr.trim());
  return (m ? m[1]! : expr).trim().replace(/\s+/g, ' ');
}

/** A short label for a Catch edge: its error names, `States.ALL` or `States.TaskFailed, MyError`. */
export function catchLabel(catcher: JsonValue): string {
  const errors = isObject(catcher) && Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals : [];
  const text = errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(', ') || 'Catch';
  return text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1)}…` : text;
}

/**
 * The AWS service a Task resource calls, as a lane id: `lambda`, `sns`, `dynamodb`, `activity`…;
 * `undefined` when the resource names none (a placeholder such as `${MyFunctionArn}`).
 */
export function resourceService(resource: JsonValue | undefined): string | undefined {
  if (typeof resource !== 'string') return undefined;
  const m = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/.exec(resource);
  if (!m) {
    // Placeholders often still say what they stand for: `${ProcessOrderFunctionArn}`.
    if (/lambda|function/i.test(resource)) return 'lambda';
    return undefined;
  }
  const service = m[1]!;
  const rest = m[2]!;
  if (service !== 'states') return sanitizeLaneId(service);
  if (rest.startsWith('activity:')) return 'activity';
  // arn:aws:states:::lambda:invoke, arn:aws:states:::aws-sdk:dynamodb:getItem, arn:aws:states:::sns:publish
  const parts = rest.split(':');
  const first = parts[0] === 'aws-sdk' ? parts[1] : parts[0];
  return first ? sanitizeLaneId(first) : undefined;
}

function sanitizeLaneId(s: string): string | undefined {
  const id = s.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!id) return undefined;
  return /^[0-9]/.test(id) ? `s_${id}` : id;
}

const SERVICE_LABELS: Record<string, string> = {
  lambda: 'AWS Lambda',
  sns: 'Amazon SNS',
  sqs: 'Amazon SQS',
  dynamodb: 'Amazon DynamoDB',
  s3: 'Amazon S3',
  states: 'AWS Step Functions',
  events: 'Amazon EventBridge',
  ecs: 'Amazon ECS',
  glue: 'AWS Glue',
  batch: 'AWS Batch',
  bedrock: 'Amazon Bedrock',
  sagemaker: 'Amazon SageMaker',
  apigateway: 'Amazon API Gateway',
  athena: 'Amazon Athena',
  codebuild: 'AWS CodeBuild',
  activity: 'Activities',
  http: 'HTTP endpoints',
};

export function serviceLabel(id: string): string {
  return SERVICE_LABELS[id] ?? id;
}
