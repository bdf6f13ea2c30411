// Types for asl-validator 4, which ships none. Only the call this stage makes.
declare module 'asl-validator' {
  interface AslValidatorError {
    'Error code': string;
    Message: string;
    schemaError?: { instancePath?: string; schemaPath?: string };
  }
  function validator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): { isValid: boolean; errors: AslValidatorError[] };
  export = validator;
}
