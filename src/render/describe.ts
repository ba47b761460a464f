/** Short phrases that several artifacts use to describe targets and operations to people. */

/**
 * The Windows "this folder" prefix for paths in instructions. Models pass it to templates because
 * in a template a backslash before a mustache (`.\{{file}}`) escapes the mustache.
 */
export const WINDOWS_CURRENT_FOLDER = '.\\';
import type { Architecture } from '../definitions/types.js';
import type { RegistryOperation, TargetPlan } from '../resolve/plan.js';

export function describeArchitecture(architecture: Architecture): string {
  return architecture === 'x64' ? '64-bit (x64)' : '32-bit (x86)';
}

export function describeBuilds(build: TargetPlan['target']['build']): string {
  if (build.max === null) return `build ${build.min} or later`;
  return build.min === build.max ? `build ${build.min}` : `builds ${build.min} to ${build.max}`;
}

/** `HKEY_LOCAL_MACHINE\…\Key "Name"` (or `(default)`), or the key alone for a key deletion. */
export function describeOperationTarget(op: RegistryOperation): string {
  const key = `${op.hive}\\${op.path}`;
  if (op.action === 'delete-key') return key;
  return `${key} ${op.name === '' ? '(default)' : `"${op.name}"`}`;
}
