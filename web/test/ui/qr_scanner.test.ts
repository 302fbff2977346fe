// The scanner's words for each way the camera can be unavailable.

import { describe, expect, it } from 'vitest';
import { cameraErrorMessage } from '../../src/ui/qr_scanner';

const err = (name: string) => new DOMException('x', name);

describe('cameraErrorMessage', () => {
  it('explains that an insecure page has no camera API', () => {
    expect(cameraErrorMessage('no-api', false)).toMatch(/served over https or from localhost/);
    expect(cameraErrorMessage('no-api', true)).toMatch(/no camera access/);
  });

  it('tells a refusal from a missing or busy camera', () => {
    expect(cameraErrorMessage(err('NotAllowedError'), true)).toMatch(/denied/);
    expect(cameraErrorMessage(err('NotFoundError'), true)).toMatch(/No camera was found/);
    expect(cameraErrorMessage(err('OverconstrainedError'), true)).toMatch(/No camera was found/);
    expect(cameraErrorMessage(err('NotReadableError'), true)).toMatch(/another app/);
    expect(cameraErrorMessage(new TypeError('bad'), true)).toMatch(/could not be started \(TypeError\)/);
  });

  it('always offers the other ways to pair', () => {
    for (const e of ['no-api', err('NotAllowedError'), err('NotFoundError'), null]) {
      expect(cameraErrorMessage(e, true)).toMatch(/paste it/);
    }
  });
});
