/**
 * What to do when a third-party consumer (Wine, hivexregedit) is not installed.
 *
 * Locally a missing consumer only skips its checks, loudly. In CI, or when
 * TLSGEN_REQUIRE_CONSUMERS=1, a missing consumer fails the run: a silently skipped
 * consumer check would look exactly like a passing one.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';
import type { RegParseResult } from '../support/reg-reader.js';

/** Result of feeding a file to one consumer. */
export interface ConsumerResult {
  ok: boolean;
  /** Human-readable reasons the file was not accepted exactly. Empty when ok. */
  problems: string[];
  /** Things worth knowing that do not fail the check (known consumer limitations, style). */
  notes: string[];
  /** Wall time of each external process started, in milliseconds. */
  callMs: number[];
}

/**
 * A target's plan (from generate()), as operations in the reader's vocabulary encoded by the test
 * (test/support/registry-outcomes.ts planAsRegParse): what a consumer must hold after the apply
 * file, and what must be gone after the rollback file.
 */
export interface PlanExpectation {
  apply: RegParseResult;
  rollback: RegParseResult;
}

/** diffState speaks of "the file" and its lines; when the expected side is the plan, say so. */
export function asPlanProblem(problem: string): string {
  return problem
    .replace(/ \(line (\d+)\)/, ' (plan operation $1)')
    .replace('file has', 'plan has')
    .replace('the file does not set it', 'the plan does not set it');
}

export function requireConsumers(): boolean {
  const ci = process.env['CI'];
  return process.env['TLSGEN_REQUIRE_CONSUMERS'] === '1' || ci === 'true' || ci === '1';
}

/** Absolute path of an executable found on PATH, or null. */
export function findOnPath(command: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

export function skipNotice(name: string): string {
  return `SKIPPED: ${name} not installed — consumer checks did not run`;
}

/**
 * describe() for tests that need a consumer. When it is missing: fail if consumers are
 * required, else skip the block with a loud warning.
 */
export function describeConsumer(name: string, available: boolean, fn: () => void): void {
  if (available) {
    describe(name, fn);
    return;
  }
  if (requireConsumers()) {
    describe(name, () => {
      it(`${name} is installed (required by CI=true or TLSGEN_REQUIRE_CONSUMERS=1)`, () => {
        throw new Error(`${name} is not installed, but consumer checks are required`);
      });
    });
    return;
  }
  const banner = '!'.repeat(72);
  console.warn(`\n${banner}\n${skipNotice(name)}\n${banner}\n`);
  describe.skip(name, fn);
}
