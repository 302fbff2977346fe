// The service worker's routing: the page and the app's code are handled, everything else —
// API paths, health and metrics, other origins, non-GET methods, queries — goes to the
// network untouched.

import { describe, expect, it } from 'vitest';
import { CACHE_PREFIX, routeRequest, staleCaches } from '../../src/sw/route';

const SCOPE = 'https://relay.example/';
const SHELL = [
  'assets/index-AbC123.css',
  'assets/index-XyZ789.js',
  'icon.svg',
  'icons/icon-192.png',
  'icons/icon-512.png',
  'index.html',
  'manifest.webmanifest',
];
const route = (url: string, method = 'GET', scope = SCOPE) => routeRequest(url, method, scope, SHELL);

describe('routeRequest', () => {
  it('treats the scope and index.html as the page', () => {
    expect(route('https://relay.example/')).toBe('shell');
    expect(route('https://relay.example/index.html')).toBe('shell');
    expect(route('https://relay.example/#/settings')).toBe('shell');
  });

  it('treats the other shell files and anything under assets/ as the app code', () => {
    expect(route('https://relay.example/assets/index-XyZ789.js')).toBe('asset');
    expect(route('https://relay.example/manifest.webmanifest')).toBe('asset');
    expect(route('https://relay.example/icons/icon-512.png')).toBe('asset');
    expect(route('https://relay.example/icon.svg')).toBe('asset');
    expect(route('https://relay.example/assets/terminal-Q1w2E3.js')).toBe('asset');
  });

  it('leaves API, health, metrics and every other path to the network', () => {
    for (const path of [
      'v1/direct',
      'v1/connect/abc',
      'v1/accept/token',
      'healthz',
      'metrics',
      'app-hash.txt',
      'sw.js',
      'icons/other.png',
      'assets',
      'assets/',
      'assets/.hidden.js',
      'assets//x.js',
      'assets/%2e%2e/x.js',
      'index.htm',
      'favicon.ico',
    ]) {
      expect(route(`https://relay.example/${path}`), path).toBe('network');
    }
  });

  it('handles only GET', () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'get']) {
      expect(route('https://relay.example/index.html', method), method).toBe('network');
      expect(route('https://relay.example/assets/index-XyZ789.js', method), method).toBe('network');
    }
  });

  it('handles only its own origin', () => {
    expect(route('https://other.example/index.html')).toBe('network');
    expect(route('http://relay.example/index.html')).toBe('network');
    expect(route('https://relay.example:8443/assets/index-XyZ789.js')).toBe('network');
    expect(route('not a url')).toBe('network');
  });

  it('leaves requests with a query to the network', () => {
    expect(route('https://relay.example/?x=1')).toBe('network');
    expect(route('https://relay.example/assets/index-XyZ789.js?v=2')).toBe('network');
  });

  it('works below a path prefix, and nothing outside it is handled', () => {
    const scope = 'https://relay.example/app/';
    expect(routeRequest('https://relay.example/app/', 'GET', scope, SHELL)).toBe('shell');
    expect(routeRequest('https://relay.example/app/index.html', 'GET', scope, SHELL)).toBe('shell');
    expect(routeRequest('https://relay.example/app/assets/index-XyZ789.js', 'GET', scope, SHELL)).toBe('asset');
    expect(routeRequest('https://relay.example/app', 'GET', scope, SHELL)).toBe('network');
    expect(routeRequest('https://relay.example/index.html', 'GET', scope, SHELL)).toBe('network');
    expect(routeRequest('https://relay.example/assets/index-XyZ789.js', 'GET', scope, SHELL)).toBe('network');
    expect(routeRequest('https://relay.example/app/v1/direct', 'GET', scope, SHELL)).toBe('network');
  });

  it('works on a loopback origin with a port', () => {
    const scope = 'http://127.0.0.1:7777/';
    expect(routeRequest('http://127.0.0.1:7777/', 'GET', scope, SHELL)).toBe('shell');
    expect(routeRequest('http://127.0.0.1:7777/healthz', 'GET', scope, SHELL)).toBe('network');
    expect(routeRequest('http://localhost:7777/', 'GET', scope, SHELL)).toBe('network');
  });
});

describe('staleCaches', () => {
  it('names every cache of ours but the current one, and nobody else’s', () => {
    const current = `${CACHE_PREFIX}bbb`;
    expect(staleCaches([`${CACHE_PREFIX}aaa`, current, 'other-app', 'tether-data', `${CACHE_PREFIX}ccc`], current)).toEqual([
      `${CACHE_PREFIX}aaa`,
      `${CACHE_PREFIX}ccc`,
    ]);
    expect(staleCaches([current], current)).toEqual([]);
  });
});
