// What the editor knows about the language's words: shapes, directions, FlowZap keys, and the ASL
// fields valid for each state `Type`, with one-line documentation for completion and hover.
// Input: nothing. Output: tables read by completion.ts and hover.ts.
import { DIRECTIONS, SHAPES } from '../model/types.js';

export { DIRECTIONS, SHAPES };

export const SHAPE_DOCS: Record<string, string> = {
  circle: 'A start or end event. In the ASL profile: a start/end marker without `Type`, or a Succeed/Fail state.',
  rectangle: 'A process step. In the ASL profile: most states (Task, Pass, Wait, Parallel, Map).',
  diamond: 'A decision. In the ASL profile: usually a Choice state.',
  taskbox: 'An assigned task; the `|`-separated parts of its label are its sub-items.',
};

export const NODE_KEY_DOCS: Record<string, string> = {
  label: "The node's text. For an ASL state, its state name.",
  owner: 'Who is responsible for the step.',
  description: 'A longer description of the step.',
  system: 'The system that performs the step.',
};

/** Fields every state may carry whatever its type. */
const COMMON = ['Comment', 'QueryLanguage'];
const IO_JSONPATH = ['InputPath', 'OutputPath'];
const IO_JSONATA = ['Output', 'Assign'];

/** The ASL fields a state of each type may be written with (derived fields such as `Next` are left out). */
export const STATE_FIELDS: Record<string, string[]> = {
  Task: [
    'Resource', 'Arguments', 'Parameters', 'ResultPath', 'ResultSelector', 'Retry', 'TimeoutSeconds',
    'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials', ...IO_JSONPATH, ...IO_JSONATA,
  ],
  Pass: ['Result', 'ResultPath', 'Parameters', ...IO_JSONPATH, ...IO_JSONATA],
  Choice: [...IO_JSONPATH, ...IO_JSONATA],
  Wait: ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath', ...IO_JSONPATH, ...IO_JSONATA],
  Succeed: [...IO_JSONPATH, 'Output'],
  Fail: ['Error', 'ErrorPath', 'Cause', 'CausePath'],
  Parallel: ['Arguments', 'Parameters', 'ResultPath', 'ResultSelector', 'Retry', ...IO_JSONPATH, ...IO_JSONATA],
  Map: [
    'ItemsPath', 'Items', 'ItemSelector', 'Parameters', 'ItemReader', 'ItemBatcher', 'ResultWriter', 'MaxConcurrency',
    'MaxConcurrencyPath', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 'ToleratedFailureCount',
    'ToleratedFailureCountPath', 'Label', 'ResultPath', 'ResultSelector', 'Retry', ...IO_JSONPATH, ...IO_JSONATA,
  ],
};
for (const fields of Object.values(STATE_FIELDS)) fields.unshift(...COMMON);

export const STATE_TYPES = Object.keys(STATE_FIELDS);

/** Fields of a start marker (a `circle` without `Type`): the fields of its scope (state machine, branch, processor). */
export const MARKER_FIELDS = ['Comment', 'TimeoutSeconds', 'Version', 'QueryLanguage', 'ProcessorConfig'];

export const STATE_TYPE_DOCS: Record<string, string> = {
  Task: 'Runs a unit of work: a Lambda function, an AWS SDK call or an activity (`Resource`).',
  Pass: 'Passes its input to its output, optionally injecting `Result`.',
  Choice: 'Chooses the next state from its `Choice=` edges, or its `Default=true` edge.',
  Wait: 'Waits for `Seconds` or until `Timestamp`.',
  Succeed: 'Stops the execution successfully.',
  Fail: 'Stops the execution with `Error` and `Cause`.',
  Parallel: 'Runs the branch lanes of its block in parallel.',
  Map: 'Runs the processor lane of its block for each item of its input.',
};

export const FIELD_DOCS: Record<string, string> = {
  Type: 'The ASL state type. A node with `Type` is a state; its `label` is the state name.',
  Comment: 'A human-readable description.',
  QueryLanguage: 'The query language of the state or machine: `JSONata` or `JSONPath` (the default).',
  Resource: 'The ARN of what the Task runs, e.g. `arn:aws:states:::lambda:invoke`.',
  Arguments: 'JSONata: the arguments passed to the resource.',
  Parameters: 'JSONPath: the input passed to the resource (keys ending in `.$` are paths).',
  Output: 'JSONata: the state output.',
  Assign: 'Variables to assign.',
  InputPath: 'JSONPath: selects part of the input.',
  OutputPath: 'JSONPath: selects part of the output.',
  ResultPath: 'JSONPath: where to put the result in the input.',
  ResultSelector: 'JSONPath: reshapes the result before ResultPath.',
  Retry: 'Retriers: `[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}]`.',
  TimeoutSeconds: 'Maximum run time in seconds.',
  TimeoutSecondsPath: 'JSONPath to the timeout in seconds.',
  HeartbeatSeconds: 'Maximum time between heartbeats in seconds.',
  HeartbeatSecondsPath: 'JSONPath to the heartbeat interval.',
  Credentials: 'A role to assume for the task.',
  Result: 'Pass: the output to inject.',
  Seconds: 'Wait: seconds to wait.',
  SecondsPath: 'Wait: JSONPath to the seconds to wait.',
  Timestamp: 'Wait: the time to wait until (ISO 8601).',
  TimestampPath: 'Wait: JSONPath to the timestamp.',
  Error: 'Fail: the error name.',
  ErrorPath: 'Fail: JSONPath to the error name.',
  Cause: 'Fail: the failure cause.',
  CausePath: 'Fail: JSONPath to the cause.',
  ItemsPath: 'Map: JSONPath to the array to iterate.',
  Items: 'Map (JSONata): the array to iterate.',
  ItemSelector: 'Map: reshapes each item.',
  ItemReader: 'Map: reads items from S3.',
  ItemBatcher: 'Map: batches items.',
  ResultWriter: 'Map: writes results to S3.',
  MaxConcurrency: 'Map: maximum parallel iterations (0 = no limit).',
  MaxConcurrencyPath: 'Map: JSONPath to MaxConcurrency.',
  ToleratedFailurePercentage: 'Map: failure percentage tolerated.',
  ToleratedFailurePercentagePath: 'Map: JSONPath to ToleratedFailurePercentage.',
  ToleratedFailureCount: 'Map: failure count tolerated.',
  ToleratedFailureCountPath: 'Map: JSONPath to ToleratedFailureCount.',
  Label: 'Map: a label for the Map Run.',
  Version: 'The ASL version of the state machine (`1.0`).',
  ProcessorConfig: 'Map processor lane: `{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"}`.',
};

export const QUERY_LANGUAGES = ['JSONata', 'JSONPath'];

/** Common Task resources, as offered after `Resource:`. */
export const RESOURCE_ARNS: [string, string][] = [
  ['arn:aws:states:::lambda:invoke', 'Invoke a Lambda function (optimized integration).'],
  ['arn:aws:states:::lambda:invoke.waitForTaskToken', 'Invoke a Lambda function and wait for a task token.'],
  ['arn:aws:states:::sns:publish', 'Publish a message to an SNS topic.'],
  ['arn:aws:states:::sqs:sendMessage', 'Send a message to an SQS queue.'],
  ['arn:aws:states:::sqs:sendMessage.waitForTaskToken', 'Send an SQS message and wait for a task token.'],
  ['arn:aws:states:::dynamodb:getItem', 'Read an item from DynamoDB.'],
  ['arn:aws:states:::dynamodb:putItem', 'Write an item to DynamoDB.'],
  ['arn:aws:states:::dynamodb:updateItem', 'Update an item in DynamoDB.'],
  ['arn:aws:states:::dynamodb:deleteItem', 'Delete an item from DynamoDB.'],
  ['arn:aws:states:::states:startExecution', 'Start another state machine.'],
  ['arn:aws:states:::states:startExecution.sync:2', 'Start another state machine and wait for it.'],
  ['arn:aws:states:::events:putEvents', 'Send events to EventBridge.'],
  ['arn:aws:states:::ecs:runTask.sync', 'Run an ECS task and wait for it.'],
  ['arn:aws:states:::batch:submitJob.sync', 'Submit a Batch job and wait for it.'],
  ['arn:aws:states:::glue:startJobRun.sync', 'Run a Glue job and wait for it.'],
  ['arn:aws:states:::http:invoke', 'Call an HTTPS API.'],
  ['arn:aws:states:::bedrock:invokeModel', 'Invoke a Bedrock model.'],
  ['arn:aws:states:::aws-sdk:s3:getObject', 'AWS SDK integration: S3 GetObject.'],
];

/** Edge attribute keys: FlowZap's label and the ASL transition data. */
export const EDGE_KEY_DOCS: Record<string, string> = {
  label: "The edge's label.",
  Choice: 'Makes the edge a rule of its Choice state: the rule object, e.g. `{"Variable":"$.x","NumericEquals":0}`.',
  Default: "`Default=true`: the edge is its Choice state's `Default`.",
  Catch: 'Makes the edge a catcher: `{"ErrorEquals":["States.ALL"]}`.',
};

export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;
export const RESERVED = new Set(['loop', 'handle', 'true', 'false', 'null']);
