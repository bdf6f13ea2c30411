// `flowlane check FILE.asl.json`: ASL files (JSON, YAML, templates) are checked by the ASL stage
// (reading, semantic checks, asl-validator) instead of the `.fz` checker.
// Input: nothing at registration. Output: a checker registered with the check command.
import type { Command } from 'commander';
import { checkAslText } from '../../asl/index.js';
import { registerChecker } from './check.js';

/** Files the ASL checker takes: `.asl.json`, `.asl.yaml`, and any `.json`, `.yaml`, `.yml`. */
export function isAslFileName(name: string): boolean {
  return /\.(json|ya?ml)$/i.test(name);
}

export function register(_program: Command): void {
  registerChecker(isAslFileName, (text, name) => checkAslText(text, { name }).diagnostics);
}
