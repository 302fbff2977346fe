// The pure helpers behind the screens: routes, session rows, names, SAS layout.

import { describe, expect, it } from 'vitest';
import { guessDeviceName, spacedSas } from '../../src/ui/pair_screen';
import { hrefFor, parseRoute } from '../../src/ui/route';
import { ago, shortPath } from '../../src/ui/widgets';

const ID = 'A'.repeat(43);

describe('routes', () => {
  it('parses and prints every screen', () => {
    for (const r of [
      { screen: 'hosts' },
      { screen: 'pair' },
      { screen: 'inbox' },
      { screen: 'settings' },
      { screen: 'sessions', daemonId: ID },
      { screen: 'new', daemonId: ID },
      { screen: 'devices', daemonId: ID },
      { screen: 'session', daemonId: ID, sessionId: 's3fa9c01b2d4e' },
    ] as const) {
      expect(parseRoute(hrefFor(r))).toEqual(r);
    }
  });

  it('sends a pairing link to the pair screen and anything unknown home', () => {
    expect(parseRoute('#offer=abc')).toEqual({ screen: 'pair' });
    expect(parseRoute('#/host/short')).toEqual({ screen: 'hosts' });
    expect(parseRoute(`#/host/${ID}/s/bad%20id`)).toEqual({ screen: 'hosts' });
    expect(parseRoute(`#/host/${ID}/other`)).toEqual({ screen: 'hosts' });
    expect(parseRoute('')).toEqual({ screen: 'hosts' });
  });
});

describe('screen helpers', () => {
  it('shortens long paths from the left', () => {
    expect(shortPath('/home/me/src')).toBe('/home/me/src');
    expect(shortPath('/home/someone/work/projects/tether/web/src/ui')).toBe('…/projects/tether/web/src/ui');
    expect(shortPath('/' + 'x'.repeat(50))).toBe('…/' + 'x'.repeat(50));
  });

  it('says how long ago', () => {
    expect(ago(1000, 1000)).toBe('just now');
    expect(ago(0, 5 * 60_000)).toBe('5 min ago');
    expect(ago(0, 3 * 3_600_000)).toBe('3 h ago');
    expect(ago(0, 2 * 86_400_000)).toBe('2 d ago');
  });

  it('names devices and spaces the SAS', () => {
    expect(guessDeviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)')).toBe('iPhone');
    expect(guessDeviceName('Mozilla/5.0 (Linux; Android 14; Pixel 8)')).toBe('Android phone');
    expect(guessDeviceName('Mozilla/5.0 (X11; Linux x86_64)')).toBe('Browser');
    expect(spacedSas('012345')).toBe('012 345');
  });
});
