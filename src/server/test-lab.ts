import { afterAll, beforeAll } from 'vitest';
import { closeLabKeyPool, labMaterial } from './material.ts';
import type { SessionMaterial } from './session.ts';
import { closeSharedWireHost } from './wire/host.ts';

/**
 * For the engine's session test files: the lab's certificates, made once per file before its tests,
 * and the key pool and the shared wire worker released after them. Read `lab.material` in a test.
 */
export function labForTests(): { readonly material: SessionMaterial } {
  const lab = {} as { material: SessionMaterial };
  beforeAll(async () => {
    lab.material = await labMaterial();
  });
  afterAll(async () => {
    await closeLabKeyPool();
    await closeSharedWireHost();
  });
  return lab;
}
